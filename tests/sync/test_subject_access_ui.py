"""Reports > Subject access request… in the application, against the real office over HTTP: a
manager asks by name, is told when the name may be two people, gives the date of birth and saves
the ZIP; offline the dialog says so. With SHOT_DIR set the dialog is saved there as PNG."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sync_server import PASSPHRASE, Server
from test_subject_access_route import _enquiry
from test_sync_ui import opened, unlock

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import write_state
from heart_desktop.sync.client import enrol, sync_once
from heart_desktop.ui.subject_access_dialog import SubjectAccessDialog


def test_a_manager_asks_the_office_and_saves_the_zip(qtbot: QtBot, laptop, server: Server, tmp_path: Path) -> None:
    wdc = laptop("wdc", "A. Okafor", ("WDC",))
    _enquiry(wdc, tmp_path, "Sam Twice", "1950-03-14")
    _enquiry(wdc, tmp_path, "Sam Twice", "1962-09-30")
    sync_once(wdc)
    server.service.add_officer("M. Manager", "manager", ["WDC"])
    path = tmp_path / "manager.heartdb"
    with Store.open(path, PASSPHRASE, officer="M. Manager", create=True) as mine:
        enrol(mine, server.url, server.service.enrol_code("M. Manager"))
        sync_once(mine)
    with opened(qtbot, path) as win:
        unlock(qtbot, win)
        assert win.subject_access_action.isVisible()
        win.show_subject_access()
        dialog = win.subject_access_dialog
        assert isinstance(dialog, SubjectAccessDialog)
        out = tmp_path / "sam.zip"
        qtbot.keyClicks(dialog.name, "Sam Twice")
        qtbot.keyClicks(dialog.reason, "SAR-21 of 2026-12-02")
        dialog.path.setText(str(out))
        qtbot.keyClick(dialog.export_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: dialog.message.text().startswith("Not exported"), timeout=20_000)
        assert "2 records" in dialog.message.text() and "date of birth" in dialog.message.text()
        assert dialog.date_of_birth.hasFocus() and not out.exists()
        folder = os.environ.get("SHOT_DIR")
        if folder:
            qtbot.wait(300)
            QGuiApplication.primaryScreen().grabWindow(0).save(str(Path(folder) / "subject-access-ambiguous.png"))
        qtbot.keyClicks(dialog.date_of_birth, "1962-09-30")
        qtbot.keyClick(dialog.export_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)
        assert str(out) in dialog.message.text()
        data = json.loads(zipfile.ZipFile(io.BytesIO(out.read_bytes())).read("data.json"))
        assert [c["roles"] for c in data["cases"]] == [["customer"]]
        assert out.stat().st_mode & 0o777 == 0o600
        for widget in (dialog.name, dialog.date_of_birth, dialog.reason, dialog.path, dialog.export_button):
            assert widget.accessibleName() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus

        write_state(win.session.store, server="http://127.0.0.1:9")  # the office out of reach
        dialog.result = None
        qtbot.keyClick(dialog.export_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: "could not be reached" in dialog.message.text(), timeout=20_000)
