"""A revoked laptop is wiped whichever call to the office learns it (issue 20), not only a sync: a
manager's subject access request answered "revoked" locks the window and wipes the store, its
-wal and -shm, its backups and the copy a migration kept, with the same message as a revoked sync
(what happened, what to do). The measures and a case's history at the office pass the revocation
on too, instead of showing cached figures or "the office cannot be reached"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sync_server import PASSPHRASE, Server
from test_subject_access_route import _enquiry
from test_sync_ui import opened, unlock

from heart_desktop.services.audit import case_history_everywhere
from heart_desktop.services.measures import MeasuresService
from heart_desktop.store import Store, connection, migrations
from heart_desktop.store.backup import backup_store, copies
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import DeviceRevoked, enrol, sync_once
from heart_desktop.sync.errors import REVOKED_TITLE, REVOKED_WIPED
from heart_desktop.sync.privacy_client import request_subject_access
from heart_desktop.ui.subject_access_dialog import SubjectAccessDialog


def test_every_call_to_the_office_passes_a_revocation_on(laptop: Callable[..., Store], server: Server,
                                                         tmp_path: Path) -> None:
    wdc = laptop("wdc", "A. Okafor", ("WDC",))
    case = _enquiry(wdc, tmp_path, "Edna Fairweather", "1950-03-14")
    sync_once(wdc)
    manager = laptop("manager", "M. Manager", ("WDC",), role="manager")
    sync_once(manager)
    service = MeasuresService(manager)
    quarter = "2026/27-Q3"
    assert not service.figures(quarter).offline  # fetched, and kept for offline use
    assert request_subject_access(manager, "Edna Fairweather", "1950-03-14", "SAR-17").startswith(b"PK")
    server.service.revoke(read_state(manager)["device_id"])

    with pytest.raises(DeviceRevoked):  # not a refusal of the request ("refused" in the dialog)
        request_subject_access(manager, "Edna Fairweather", "1950-03-14", "SAR-18")
    with pytest.raises(DeviceRevoked):  # not the cached figures
        service.figures(quarter)
    with pytest.raises(DeviceRevoked):  # not "this laptop's entries only"
        case_history_everywhere(manager, case["id"], "manager")


def manager_store(server: Server, path: Path, usb: Path) -> list[Path]:
    """The manager's laptop as it is after an upgrade and a backup: the store upgraded from the
    release before (the migration keeps a copy beside it) and a backup on a USB stick; enrolled
    and synced. Returns every copy the store lists."""
    older = connection.connect(path, PASSPHRASE, create=True)
    migrations.migrate(older, target=migrations.LATEST - 1)
    older.close()
    server.service.add_officer("M. Manager", "manager", ["WDC"])
    with Store.open(path, PASSPHRASE, officer="M. Manager") as store:  # upgraded here: the copy is kept
        backup_store(store, usb / "friday.heartdb")
        enrol(store, server.url, server.service.enrol_code("M. Manager"))
        sync_once(store)
        listed = copies(store)
    return listed


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_subject_access_request_refused_as_revoked_wipes_the_laptop(
        qtbot: QtBot, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, usb = tmp_path / "data" / "manager.heartdb", tmp_path / "usb"
    path.parent.mkdir()
    usb.mkdir()
    listed = manager_store(server, path, usb)
    migration_copy = path.with_name(f"{path.name}.pre-v{migrations.LATEST}.bak")
    assert {migration_copy.resolve(), (usb / "friday.heartdb").resolve()} <= set(listed)
    shown: list[tuple[str, str]] = []
    # the window's message box (ui/messages.py) is shown by exec: answered here, as the officer would
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text())) or 0)

    with opened(qtbot, path) as win:
        unlock(qtbot, win)
        qtbot.waitUntil(lambda: "last sync" in win.sync_label.text(), timeout=20_000)
        assert Path(f"{path}-wal").exists()  # the store is open, in WAL mode
        server.service.revoke(read_state(win.session.store)["device_id"])
        win.show_subject_access()
        dialog = win.subject_access_dialog
        assert isinstance(dialog, SubjectAccessDialog)
        qtbot.keyClicks(dialog.name, "Edna Fairweather")
        qtbot.keyClicks(dialog.reason, "SAR-21 of 2026-12-02")
        dialog.path.setText(str(tmp_path / "edna.zip"))
        qtbot.keyClick(dialog.export_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
        assert shown == [(REVOKED_TITLE, REVOKED_WIPED)]
        assert "wiped" in REVOKED_WIPED and "Ask IT to enrol the laptop again" in REVOKED_WIPED
        assert win.is_locked() and win.session.store is None
    for gone in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), migration_copy, usb / "friday.heartdb"):
        assert not gone.exists(), gone
    assert list(path.parent.iterdir()) == [] and list(usb.iterdir()) == []
    assert not (tmp_path / "edna.zip").exists()
