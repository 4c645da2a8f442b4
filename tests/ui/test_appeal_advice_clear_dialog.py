"""The advice dialog clears medical advice recorded in error (policy 12.14): the Clear box is
offered only once advice is recorded, a clearing without a reason is refused in the dialog naming
the field, and with one the tab's history no longer speaks of advice. Filled by typing (pytest-qt)."""

from __future__ import annotations

from datetime import date

from gui_steps import open_first_case, unlocked
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_appeals_tab import DAY, answer_special, fill, refused_with_special_appeal

from heart_desktop.services import appeals
from heart_desktop.ui.main_window import MainWindow

WHY = "asked for in error: the GP letter already answers it"


def test_the_advice_dialog_clears_the_advice(qtbot: QtBot, window: MainWindow) -> None:
    win = window
    unlocked(qtbot, win)
    case_id, reference, appeal_id = refused_with_special_appeal(win)
    store = win.session.store

    win.worker.call(lambda: answer_special(win, appeal_id))
    open_first_case(qtbot, win, reference)
    workspace = win.workspace
    assert workspace is not None
    panel = workspace.appeals
    workspace.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.advice_button.isEnabled(), timeout=10_000)

    first = panel.ask_advice()
    assert first is not None
    qtbot.waitExposed(first)
    assert "clear" not in first.widgets  # nothing recorded yet: nothing to clear
    first.reject()
    win.worker.call(lambda: appeals.advice(win.session, appeal_id, today=DAY, requested_on=date(2026, 11, 10),
                                           source="independent occupational health adviser"))
    qtbot.waitUntil(lambda: "independent occupational health adviser" in panel.history.toPlainText(),
                    timeout=10_000)

    dialog = panel.ask_advice()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert "clear" in dialog.widgets and "clear_reason" in dialog.widgets
    fill(qtbot, dialog, clear=True)
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "say why the advice is cleared" in dialog.message.text() and dialog.isVisible()
    assert win.worker.call(lambda: appeals.view(win.session, appeal_id))["medical_advice"] is not None
    fill(qtbot, dialog, clear_reason=WHY)
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: "independent occupational health adviser" not in panel.history.toPlainText(),
                    timeout=10_000)
    assert win.worker.call(lambda: appeals.view(win.session, appeal_id))["medical_advice"] is None
    entry = win.worker.call(lambda: next(e for e in store.audit.read(case_id) if e["entity"] == "appeal"))
    assert entry["detail"]["appeal"] == "advice_cleared" and entry["reason"] == WHY
