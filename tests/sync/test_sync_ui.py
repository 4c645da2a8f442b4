"""Sync in the application, against the real server: it runs by itself after unlocking (off the GUI
thread), the status line says what was sent and when, a completed form is sent at once, and a
revoked laptop is locked and wiped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

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


@contextmanager
def opened(qtbot: QtBot, path: Path, **options: Any) -> Iterator[MainWindow]:
    """The application window on the laptop's store, shut down (syncs finished) afterwards."""
    win = MainWindow(path, **options)
    qtbot.addWidget(win)
    win.show()
    try:
        yield win
    finally:
        win.shutdown()


def type_passphrase(qtbot: QtBot, win: MainWindow) -> None:
    page = win.passphrase_page
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)


def unlock(qtbot: QtBot, win: MainWindow) -> None:
    type_passphrase(qtbot, win)
    qtbot.waitUntil(lambda: win.caseload is not None, timeout=20_000)


def test_sync_runs_after_unlock_and_says_so(qtbot: QtBot, enrolled: Path, server: Server) -> None:
    with opened(qtbot, enrolled) as win:
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


def test_a_revoked_laptop_is_locked_and_wiped(qtbot: QtBot, enrolled: Path, server: Server,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.windowTitle()) or 0)
    with Store.open(enrolled, PASSPHRASE) as store:
        server.service.revoke(read_state(store)["device_id"])
    with opened(qtbot, enrolled) as win:
        unlock(qtbot, win)
        qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
        assert shown == ["This laptop has been revoked"]
        assert win.is_locked() and not enrolled.exists()


def test_a_conflict_is_decided_in_the_app_and_the_choice_syncs(qtbot: QtBot, enrolled: Path, server: Server,
                                                                tmp_path: Path) -> None:
    from sync_server import FAST_KDF

    other = Store.open(tmp_path / "other.heartdb", PASSPHRASE, officer="A. Okafor", create=True, kdf_iter=FAST_KDF)
    enrol(other, server.url, server.service.enrol_code("A. Okafor"))
    from heart_desktop.sync.client import sync_once

    with Store.open(enrolled, PASSPHRASE) as mine:
        sync_once(mine)
        case_id = mine.cases.page(0, 1)[0]["id"]
        sync_once(other)
        other.cases.update(case_id, {"urgent_reason": "from the other laptop"})
        sync_once(other)
        mine.cases.update(case_id, {"urgent_reason": "from this laptop"})  # pushed by the app: a conflict
    try:
        with opened(qtbot, enrolled) as win:
            unlock(qtbot, win)
            qtbot.waitUntil(lambda: "last sync" in win.sync_label.text(), timeout=20_000)
            win.conflicts_action.trigger()
            dialog = win.conflicts_dialog
            qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
            assert dialog.table.item(0, 3).text() == "from the other laptop"
            assert dialog.table.item(0, 4).text() == "from this laptop"
            with qtbot.waitSignal(win.sync.finished, timeout=20_000):
                dialog.take.click()
            qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10_000)
            sync_once(other)
            assert other.cases.get(case_id)["urgent_reason"] == "from this laptop"
            assert other.conflicts.open(case_id) == []
    finally:
        other.close()


def _out_of_touch(path: Path, days: int) -> None:
    from datetime import UTC, datetime, timedelta

    from heart_desktop.store.sync_apply import write_state

    with Store.open(path, PASSPHRASE) as store:
        write_state(store, last_contact=(datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds"))


def test_after_the_lease_the_laptop_signs_in_again_before_showing_data(qtbot: QtBot, enrolled: Path,
                                                                       server: Server) -> None:
    _out_of_touch(enrolled, 20)
    with opened(qtbot, enrolled, lease_days=14) as win:
        page = win.passphrase_page
        type_passphrase(qtbot, win)
        qtbot.waitUntil(lambda: "has not reached the office" in page.message.text(), timeout=20_000)
        qtbot.waitUntil(lambda: win.caseload is not None, timeout=20_000)  # shown once signed in again


def test_no_data_while_the_office_cannot_be_reached(qtbot: QtBot, enrolled: Path, server: Server) -> None:
    _out_of_touch(enrolled, 20)
    server.stop()
    try:
        with opened(qtbot, enrolled, lease_days=14) as win:
            page = win.passphrase_page
            type_passphrase(qtbot, win)
            qtbot.waitUntil(lambda: "Could not sign in to the office" in page.message.text(), timeout=20_000)
            assert win.caseload is None and win.session.store is None
    finally:
        server.start()


def test_a_laptop_is_connected_to_the_office_from_the_sync_menu(qtbot: QtBot, tmp_path: Path, server: Server,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Enrolment in the app: a plain-http address elsewhere and a used code are refused in words and
    what was typed stays; the right code connects, names the officer, and the first sync runs."""
    server.service.add_officer("K. Osei", "OT", ["NWBC", "WDC"], team="North adaptations")
    path = tmp_path / "new.heartdb"
    with Store.open(path, PASSPHRASE, officer="K. Osei", create=True) as store:
        store.notes.add(store.cases.create("WDC", enquiry_on=date(2026, 11, 2)), "Before connecting")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    with opened(qtbot, path) as win:
        unlock(qtbot, win)
        qtbot.waitUntil(lambda: "not connected to the office" in win.sync_label.text(), timeout=20_000)
        win.office_action.trigger()
        qtbot.waitUntil(lambda: getattr(win, "enrol_dialog", None) is not None, timeout=10_000)
        dialog = win.enrol_dialog
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.server, "http://heart.example.org")
        qtbot.keyClicks(dialog.code, "nonsense")
        dialog.connect_button.click()
        assert "only allowed to this machine" in dialog.message.text() and dialog.code.text() == "nonsense"
        dialog.server.setText(server.url)
        dialog.connect_button.click()
        qtbot.waitUntil(lambda: "not valid or has been used" in dialog.message.text(), timeout=20_000)
        assert dialog.server.isEnabled() and dialog.server.text() == server.url
        dialog.code.setText(server.service.enrol_code("K. Osei"))
        with (qtbot.waitSignal(win.sync.finished, timeout=30_000),
              qtbot.waitSignal(dialog.enrolled, timeout=20_000) as enrolled):
            dialog.connect_button.click()
        assert enrolled.args == ["K. Osei (OT, North adaptations; NWBC, WDC)"]
        assert not dialog.isVisible()
        qtbot.waitUntil(lambda: "0 changes waiting" in win.sync_label.text(), timeout=20_000)
        with server.service.db.transaction() as tx:
            assert tx.one("SELECT count(*) FROM feed WHERE entity = 'note'")[0] == 1
            assert "new.heartdb" not in tx.one("SELECT name FROM devices")[0]  # named by computer, not file
        win.office_action.trigger()  # enrolled: says where, offers no second enrolment
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        assert f"connected to {server.url} for K. Osei (OT" in shown[-1]


def test_the_progress_bar_fills_as_photos_are_sent(qtbot: QtBot, enrolled: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from PIL import Image

    with Store.open(enrolled, PASSPHRASE) as store:
        case_id = store.cases.page(0, 1)[0]["id"]
        out = io.BytesIO()
        Image.effect_noise((1200, 900), 60).convert("RGB").save(out, "PNG")
        store.attachments.add(case_id, out.getvalue(), caption="Bath")
    seen: list[tuple[int, int, str]] = []
    shown = MainWindow._show_sync_progress

    def watched(self: MainWindow, progress: object) -> None:  # the bar as it stands after each step
        shown(self, progress)
        seen.append((self.sync_progress.maximum(), self.sync_progress.value(),
                     self.sync_progress.accessibleDescription()))

    monkeypatch.setattr(MainWindow, "_show_sync_progress", watched)
    with opened(qtbot, enrolled) as win:
        unlock(qtbot, win)
        qtbot.waitUntil(lambda: "last sync" in win.sync_label.text(), timeout=30_000)
        uploads = [entry for entry in seen if "Sending photos and packs" in entry[2]]
        assert uploads and uploads[-1][:2] == (1000, 1000) and " MB" in uploads[-1][2]
        assert any(0 < value < 1000 for _maximum, value, _text in uploads)  # it moved, not jumped
        assert not win.sync_progress.isVisible()
