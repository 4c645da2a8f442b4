"""The app offers only what the enrolled officer's role may do (the office's permission table,
``domain.permissions``), and an enrolled laptop writes as its officer, whoever is logged in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from gui_steps import forms_tab, open_new_case, unlocked
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from heart_desktop.store import DEMO_PASSPHRASE, Store
from heart_desktop.store.sync_apply import write_state
from heart_desktop.ui.main_window import MainWindow


def enrol_as(path: Path, officer: str, role: str) -> None:
    """The sync state an enrolment leaves (no office is reached: the test needs none)."""
    with Store.open(path, DEMO_PASSPHRASE) as store:
        write_state(store, server="http://127.0.0.1:9", device_id="d1", token="t", officer=officer, role=role,
                    councils="WDC SDC", last_contact=datetime.now(UTC).isoformat(timespec="seconds"))


def test_an_admin_laptop_cannot_complete_a_home_assessment_or_agree_urgency(qtbot: QtBot, store_copy: Path) -> None:
    enrol_as(store_copy, "D. Desk", "admin")
    window = MainWindow(store_copy, lock_minutes=30)
    qtbot.addWidget(window)
    window.show()
    try:
        unlocked(qtbot, window)
        assert (window.session.officer, window.session.role) == ("D. Desk", "admin")
        assert "only a manager or team leader may agree that a case is urgent" in (
            window.session.refusal("agree_urgency") or "")
        assert window.session.refusal("print_post") is None
        case_id = open_new_case(qtbot, window)
        panel = forms_tab(window)
        panel.open_form("home_safety_check")
        qtbot.mouseClick(panel.complete_button, Qt.MouseButton.LeftButton)
        assert "may record a home assessment" in panel.status.text()
        note = window.worker.call(lambda: window.session.add_note(case_id, "Called the customer"))
        assert window.worker.call(lambda: window.session.store.notes.get(note))["author"] == "D. Desk"
    finally:
        window.shutdown()
