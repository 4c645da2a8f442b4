"""The one "data changed" signal, end to end: a sync pull that changes the open case and the
caseload shows on both screens at once, with no click, against the real office on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sync_cases import new_case
from sync_server import PASSPHRASE, Server, enrolled_laptop
from test_sync_ui import opened, unlock

from heart_desktop.store import Store
from heart_desktop.sync.client import enrol, sync_once
from heart_desktop.ui.caseload_model import COLUMNS
from heart_desktop.ui.main_window import MainWindow


def caseload_names(win: MainWindow) -> list[str]:
    model = win.caseload.model
    column = [c.key for c in COLUMNS].index("customer")
    return [str(model.data(model.index(row, column))) for row in range(model.rowCount())]


def test_a_pulled_change_refreshes_the_open_case_and_the_caseload(qtbot: QtBot, tmp_path: Path,
                                                                 server: Server) -> None:
    server.service.add_officer("A. Okafor", "HAO", ["WDC"])
    with Store.open(tmp_path / "mine.heartdb", PASSPHRASE, officer="A. Okafor", create=True) as mine:  # the app's KDF
        case_id = new_case(mine, family="Fairweather")
        enrol(mine, server.url, server.service.enrol_code("A. Okafor"))
        sync_once(mine)
    other = enrolled_laptop(server, tmp_path / "other.heartdb", "K. Osei", ("WDC",), role="OT")
    try:
        sync_once(other)
        with opened(qtbot, tmp_path / "mine.heartdb") as win:
            unlock(qtbot, win)
            qtbot.waitUntil(lambda: "last sync" in win.sync_label.text(), timeout=20_000)
            win.open_case(case_id)
            qtbot.waitUntil(lambda: win.workspace.is_loaded() and "Fairweather" in win.workspace.title.text(),
                            timeout=10_000)
            assert any("Fairweather" in name for name in caseload_names(win))

            applicant = other.people.applicant(case_id)
            other.people.update(applicant["id"], {"family_name": "Fairbanks"})
            other.notes.add(case_id, "Spoke to the daughter: visit moved to Thursday")
            sync_once(other)

            with qtbot.waitSignal(win.sync.finished, timeout=20_000):
                win.sync_action.trigger()  # F5: nothing else is clicked after it
            qtbot.waitUntil(lambda: "Fairbanks" in win.workspace.title.text(), timeout=10_000)
            qtbot.waitUntil(lambda: any("visit moved to Thursday" in win.workspace.notes.item(i).text()
                                        for i in range(win.workspace.notes.count())), timeout=10_000)
            qtbot.waitUntil(lambda: any("Fairbanks" in name for name in caseload_names(win)), timeout=10_000)
            assert not any("Fairweather" in name for name in caseload_names(win))
    finally:
        other.close()
