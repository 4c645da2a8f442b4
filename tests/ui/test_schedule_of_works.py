"""The Works tab and the schedule of works form are one schedule: items typed in either show in the
other and in the store; a completed form settles the works (the tab turns read-only) until the
form is revised."""

from __future__ import annotations

from gui_steps import open_new_case, unlocked
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from heart_desktop.store.errors import FormLockedError
from heart_desktop.ui.main_window import MainWindow


def stored_works(window: MainWindow, case_id: str) -> list[tuple[str, int]]:
    rows = window.worker.call(lambda: window.session.store.works.for_case(case_id))
    return [(row["description"], row["rate_pence"]) for row in rows]


def line(view, path: str) -> QLineEdit:
    widget = view.rows[path].editor.widget
    assert isinstance(widget, QLineEdit)
    return widget


def choose(view, path: str, value: str) -> None:
    combo = view.rows[path].editor.widget
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value) if combo.findData(value) >= 0 else combo.findText(value))


def test_the_works_tab_and_the_schedule_form_are_one_schedule(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    session = window.session
    case_id = open_new_case(qtbot, window)
    workspace = window.workspace
    assert workspace is not None

    # typed on the Works tab: stored, and the new form starts with it
    works, model = workspace.works, workspace.works.model
    assert ("nr", "number") in works.table.itemDelegateForColumn(3).units  # the form's units, chosen
    workspace.tabs.setCurrentWidget(works)
    row = model.add_row()
    for column, value in ((0, "Bathroom"), (1, "Level access shower"), (4, "4500"), (5, "0")):
        model.setData(model.index(row, column), value)
    qtbot.waitUntil(lambda: stored_works(window, case_id) == [("Level access shower", 450_000)], timeout=10_000)
    panel = workspace.forms
    workspace.tabs.setCurrentWidget(panel)
    panel.open_form("works_schedule")
    view = panel.view
    assert view is not None and view.answers["items"] == [
        {"location": "Bathroom", "description": "Level access shower", "quantity": "1", "unit": "item",
         "rate": "4500.00", "vat_rate": "0"}]

    # typed in the form: a second item reaches the store and the Works tab
    add = next(b for b in view.findChildren(QPushButton) if b.accessibleName() == "Add a row to Works items")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "items/1/description" in view.rows, timeout=5_000)
    qtbot.keyClicks(line(view, "items/1/location"), "Stairs")
    qtbot.keyClicks(line(view, "items/1/description"), "Second handrail")
    qtbot.keyClicks(line(view, "items/1/quantity"), "1")
    choose(view, "items/1/unit", "item")
    qtbot.keyClicks(line(view, "items/1/rate"), "180")
    choose(view, "items/1/vat_rate", "20")
    panel.flush()
    qtbot.waitUntil(lambda: stored_works(window, case_id) == [("Level access shower", 450_000),
                                                              ("Second handrail", 18_000)], timeout=10_000)
    qtbot.waitUntil(lambda: [r["description"] for r in model.items()] == ["Level access shower", "Second handrail"],
                    timeout=10_000)
    assert works.labels["gross"].text() == "£4,716.00"

    # and back: a change on the Works tab reaches the open form's draft, which shows it
    workspace.tabs.setCurrentWidget(works)
    model.setData(model.index(0, 4), "4200")
    qtbot.waitUntil(lambda: stored_works(window, case_id)[0] == ("Level access shower", 420_000), timeout=10_000)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.answers["items"][0]["rate"] == "4200.00",
                    timeout=10_000)
    assert len(panel.view.answers["items"]) == 2

    # completing the form settles the works; revising it opens them again
    workspace.tabs.setCurrentWidget(panel)
    view = panel.view
    choose(view, "assistance_type", "DFG")
    qtbot.keyClicks(line(view, "prepared_on"), "20/11/2026")
    qtbot.mouseClick(panel.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: works.locked, timeout=10_000)
    assert not works.add_button.isEnabled() and "Revise" in works.lock_note.text()
    works.add_item()  # the shortcut does nothing either
    assert len(model.items()) == 2
    try:
        window.worker.call(lambda: session.save_works(case_id, []))
        raise AssertionError("a settled schedule was changed")
    except FormLockedError as exc:
        assert "revise it" in str(exc)
    assert len(stored_works(window, case_id)) == 2
    qtbot.mouseClick(panel.revise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not works.locked, timeout=10_000)
    assert works.add_button.isEnabled()
