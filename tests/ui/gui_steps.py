"""What an officer does, as steps the GUI tests share (typing and keys, not direct calls)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from heart_desktop.store import DEMO_PASSPHRASE
from heart_desktop.ui.forms_panel import FormsPanel
from heart_desktop.ui.main_window import MainWindow

DEMO_CASES = 120


def unlock(qtbot: QtBot, win: MainWindow, passphrase: str = DEMO_PASSPHRASE) -> None:
    page = win.passphrase_page
    page.passphrase.setFocus()
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)


def unlocked(qtbot: QtBot, win: MainWindow) -> None:
    unlock(qtbot, win)
    qtbot.waitUntil(lambda: win.caseload is not None and win.caseload.model.total() > 0, timeout=20_000)


def open_first_case(qtbot: QtBot, win: MainWindow, text: str) -> None:
    assert win.caseload is not None
    qtbot.keyClicks(win.caseload.search, text)
    qtbot.waitUntil(lambda: win.caseload.model.query.search == text and win.caseload.model.is_settled()
                    and win.caseload.model.row_data(0) is not None,
                    timeout=10_000)
    qtbot.keyClick(win.caseload.search, Qt.Key.Key_Return)  # one Enter opens the first match
    assert win.workspace is not None
    qtbot.waitUntil(win.workspace.is_loaded, timeout=10_000)


def open_new_case(qtbot: QtBot, win: MainWindow, council: str = "WDC") -> str:
    """A case just taken on (no forms yet), opened in the workspace; returns its id."""
    from datetime import date

    store = win.session.store
    case_id = win.worker.call(lambda: store.cases.create(council, enquiry_on=date(2026, 11, 2)))
    win.open_case(case_id)
    assert win.workspace is not None
    qtbot.waitUntil(lambda: win.workspace.is_loaded() and win.workspace.case_id == case_id, timeout=10_000)
    return case_id


def forms_tab(win: MainWindow) -> FormsPanel:
    """The open case's Forms tab, shown."""
    workspace = win.workspace
    assert workspace is not None
    workspace.tabs.setCurrentWidget(workspace.forms)
    return workspace.forms
