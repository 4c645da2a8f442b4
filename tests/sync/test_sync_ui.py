"""Sync in the application, against the real server: it runs by itself after unlocking (off the GUI
thread), the status line says what was sent and when, a completed form is sent at once, and a
revoked laptop is locked and wiped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sync_server import PASSPHRASE, Server

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import enrol
from heart_desktop.ui.main_window import MainWindow


@pytest.fixture
def enrolled(tmp_path: Path, server: Server) -> Path:
    server.service.add_officer("A. Okafor", "HAO", ["WDC"])
    path = tmp_path / "laptop.heartdb"
    with Store.open(path, PASSPHRASE, officer="A. Okafor", create=True) as store:
        case_id = store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
        store.notes.add(case_id, "Written before unlocking the app")
        enrol(store, server.url, server.service.enrol_code("A. Okafor"))
    return path


def unlock(qtbot: QtBot, win: MainWindow) -> None:
    page = win.passphrase_page
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.caseload is not None, timeout=20_000)


def test_sync_runs_after_unlock_and_says_so(qtbot: QtBot, enrolled: Path, server: Server) -> None:
    win = MainWindow(enrolled)
    qtbot.addWidget(win)
    win.show()
    try:
        unlock(qtbot, win)
        qtbot.waitUntil(lambda: "last sync" in win.sync_label.text(), timeout=20_000)
        assert "0 changes waiting" in win.sync_label.text()
        with server.service.db.transaction() as tx:
            assert tx.one("SELECT count(*) FROM feed WHERE entity = 'note'")[0] == 1
        win.worker.call(lambda: win.session.store.notes.add(
            win.session.store.cases.page(0, 1)[0]["id"], "Written in the app"))
        with qtbot.waitSignal(win.sync.finished, timeout=20_000):
            win.sync_action.trigger()  # F5
        qtbot.waitUntil(lambda: "0 changes waiting" in win.sync_label.text(), timeout=20_000)
        with server.service.db.transaction() as tx:
            assert tx.one("SELECT count(*) FROM feed WHERE entity = 'note'")[0] == 2
    finally:
        win.shutdown()


def test_a_revoked_laptop_is_locked_and_wiped(qtbot: QtBot, enrolled: Path, server: Server,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, _text: shown.append(title))
    with Store.open(enrolled, PASSPHRASE) as store:
        server.service.revoke(read_state(store)["device_id"])
    win = MainWindow(enrolled)
    qtbot.addWidget(win)
    win.show()
    try:
        unlock(qtbot, win)
        qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
        assert shown == ["This laptop has been revoked"]
        assert win.is_locked() and not enrolled.exists()
    finally:
        win.shutdown()
