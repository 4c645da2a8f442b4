"""Every control an officer can reach is reachable by Tab and has a name a screen reader reads out,
on the caseload, on every tab of a case and in every visit form."""

from __future__ import annotations

from gui_steps import forms_tab, open_first_case, unlocked
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollBar, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from heart_desktop.ui.main_window import MainWindow


def reachable_controls(root: QWidget) -> list[QWidget]:
    """Visible, enabled widgets that take focus from the keyboard (scroll bars are for the mouse)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.isEnabled() or isinstance(widget, QScrollBar):
            continue
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            found.append(widget)
    return found


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.objectName() or ''} ({w.toolTip() or w.property('text') or ''})"
            for w in reachable_controls(root) if not spoken_name(w)]


def tab_reaches_all(qtbot: QtBot, root: QWidget, start: QWidget) -> list[str]:
    """Press Tab from ``start`` until focus comes back; list the controls never reached."""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus, timeout=5_000)
    seen: set[int] = set()
    for _ in range(2000):
        focused = QApplication.focusWidget()
        if focused is None:
            break
        if id(focused) in seen:
            break
        seen.add(id(focused))
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    return [f"{type(w).__name__} {spoken_name(w)!r}" for w in reachable_controls(root)
            if id(w) not in seen and not isinstance(w, QTabBar)]


def test_caseload_and_every_case_tab_are_named_and_reachable(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    assert window.caseload is not None
    assert unnamed(window.caseload) == []
    assert tab_reaches_all(qtbot, window.caseload, window.caseload.search) == []
    open_first_case(qtbot, window, "CV")
    workspace = window.workspace
    assert workspace is not None
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        page = workspace.tabs.currentWidget()
        qtbot.waitUntil(page.isVisible, timeout=5_000)
        assert unnamed(page) == [], workspace.tabs.tabText(index)


def test_every_visit_form_is_named_throughout(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    open_first_case(qtbot, window, "CV")
    panel = forms_tab(window)
    for form_id in panel.forms:
        panel.open_form(form_id)
        qtbot.waitUntil(lambda f=form_id: panel.view is not None and panel.current is not None
                        and panel.current.id == f, timeout=10_000)
        view = panel.view
        assert view is not None
        problems = unnamed(view)
        assert problems == [], f"{form_id}: {problems[:10]}"
        buttons = [b for b in view.findChildren(QAbstractButton) if b.isVisibleTo(view) and not spoken_name(b)]
        assert buttons == [], form_id


def test_sign_dialog_and_print_queue_are_named_and_reachable(qtbot: QtBot, window: MainWindow) -> None:
    from heart_desktop.ui.sign_dialog import SignDialog

    dialog = SignDialog("I declare that the information given is true.", {"applicant": "Ann Smith",
                        "officer": "T. Officer"}, tenant=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == []
    first = reachable_controls(dialog)[0]
    assert tab_reaches_all(qtbot, dialog, first) == []
    dialog.close()
    unlocked(qtbot, window)
    window.show_print_queue()
    queue = window.print_queue
    assert queue is not None
    qtbot.waitExposed(queue)
    assert unnamed(queue) == []
    assert tab_reaches_all(qtbot, queue, queue.council) == []
    queue.close()


def test_conflicts_dialog_is_named_and_reachable(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    window.show_conflicts()
    dialog = window.conflicts_dialog
    qtbot.waitUntil(lambda: "conflicts" in dialog.message.text(), timeout=10_000)
    assert unnamed(dialog) == []


def test_office_connection_dialog_is_named_and_reachable(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)  # the demo store is not enrolled: the menu offers to connect it
    window.office_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "enrol_dialog", None) is not None, timeout=10_000)
    dialog = window.enrol_dialog
    assert unnamed(dialog) == []
    assert tab_reaches_all(qtbot, dialog, dialog.server) == []
    dialog.close()
