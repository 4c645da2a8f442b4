"""Keyboard findings of a day of use: one mnemonic per letter on screen, Alt+letter goes where it says,
Ctrl+Tab / Ctrl+PgDn between the case's sections, one Enter in the search box opens the case, and a
visible "Open signed version" button."""

from __future__ import annotations

from collections import Counter

from gui_steps import open_first_case, unlocked
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from heart_desktop.ui.main_window import MainWindow


def _mnemonic(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else None


def mnemonics_on_screen(win: MainWindow) -> list[str]:
    """The Alt+letters live in the window now: menu titles, tab titles, visible buttons and buddied labels."""
    letters = [_mnemonic(a.text()) for a in win.menuBar().actions()]
    workspace = win.workspace
    if workspace is not None and workspace.isVisible():
        letters += [_mnemonic(workspace.tabs.tabText(i)) for i in range(workspace.tabs.count())]
    for widget in win.findChildren(QWidget):
        if not widget.isVisibleTo(win):
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            letters.append(_mnemonic(widget.text()))
    return [letter for letter in letters if letter]


def test_no_letter_is_two_mnemonics_on_any_screen(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    clashes = {k: n for k, n in Counter(mnemonics_on_screen(window)).items() if n > 1}
    assert clashes == {}, "caseload"
    first = window.worker.call(lambda: window.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, window, first["reference"])
    workspace = window.workspace
    assert workspace is not None
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        clashes = {k: n for k, n in Counter(mnemonics_on_screen(window)).items() if n > 1}
        assert clashes == {}, workspace.tabs.tabText(index)


def test_alt_letters_go_where_the_mnemonic_says_and_ctrl_tab_changes_tab(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    first = window.worker.call(lambda: window.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, window, first["reference"])
    workspace = window.workspace
    assert workspace is not None
    for index in range(workspace.tabs.count()):
        letter = _mnemonic(workspace.tabs.tabText(index))
        assert letter
        qtbot.keyClick(window.focusWidget() or window, getattr(Qt.Key, f"Key_{letter.upper()}"),
                       Qt.KeyboardModifier.AltModifier)
        assert workspace.tabs.currentIndex() == index, workspace.tabs.tabText(index)
    workspace.tabs.setCurrentIndex(0)
    workspace.tabs.currentWidget().setFocus()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert workspace.tabs.currentIndex() == 1
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert workspace.tabs.currentIndex() == 2
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert workspace.tabs.currentIndex() == 1
    # the Documents tab: a visible button reopens a signed version, with its letter
    workspace.tabs.setCurrentWidget(workspace.documents)
    button = workspace.documents.open_signed_button
    assert button.isVisible() and button.text() == "Open signed &version"
    assert button.accessibleName() == "Open signed version"


def test_one_enter_in_the_search_box_opens_the_first_match(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    first = window.worker.call(lambda: window.session.store.cases.page(0, 1, sort="reference")[0])
    caseload = window.caseload
    assert caseload is not None
    caseload.search.setFocus()
    qtbot.keyClicks(caseload.search, first["reference"])
    qtbot.keyClick(caseload.search, Qt.Key.Key_Return)  # before the search has even answered
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.is_loaded() and workspace.case_id == first["id"], timeout=10_000)
