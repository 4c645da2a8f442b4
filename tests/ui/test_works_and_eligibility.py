"""The works editor and eligibility panel, driven with keyboard and clicks as an officer would."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.case_summary import CaseSummary
from heart_desktop.ui.eligibility_panel import EligibilityPanel
from heart_desktop.ui.works_editor import WorksEditor

SUMMARY = CaseSummary(council="RBC", application_date=date(2026, 10, 1), tenure="owner",
                      applicant_age=74, disabled_person_age=74, household_ages=(71,))


def focused_line(qtbot: QtBot) -> QLineEdit:
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit)
    return widget


def type_into_cell(qtbot: QtBot, editor: WorksEditor, row: int, column: int, text: str) -> None:
    """Select the cell, press F2 to edit, type, press Return: what an officer does."""
    table = editor.table
    index = editor.model.index(row, column)
    qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit))  # no editor open
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    line = focused_line(qtbot)
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit))


def test_adding_an_item_updates_totals_and_award(qtbot: QtBot) -> None:
    editor = WorksEditor(summary_provider=lambda: SUMMARY)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    saved: list[list[dict]] = []
    editor.changed.connect(saved.append)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    location = focused_line(qtbot)  # the new row opens on its location
    qtbot.keyClicks(location, "Bathroom")
    qtbot.keyClick(location, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit))
    type_into_cell(qtbot, editor, 0, 1, "Level access shower")
    type_into_cell(qtbot, editor, 0, 4, "6000")
    editor.model.setData(editor.model.index(0, 5), "0")
    assert editor.labels["gross"].text() == "£6,000.00"
    assert editor.labels["dfg"].text() == "£6,000.00"
    assert editor.labels["fees"].text() == "£750.00"
    assert saved[-1][0]["description"] == "Level access shower"
    assert saved[-1][0]["location"] == "Bathroom"
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(focused_line(qtbot), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit))
    type_into_cell(qtbot, editor, 1, 1, "Grab rail")
    type_into_cell(qtbot, editor, 1, 2, "3")
    type_into_cell(qtbot, editor, 1, 4, "25.50")
    assert editor.labels["net"].text() == "£6,076.50"
    assert editor.labels["vat"].text() == "£15.30"
    assert editor.labels["gross"].text() == "£6,091.80"


def test_an_item_that_cannot_be_costed_says_why(qtbot: QtBot) -> None:
    editor = WorksEditor(summary_provider=lambda: SUMMARY)
    qtbot.addWidget(editor)
    editor.set_items([{"description": "Ramp", "quantity": "two", "rate": "100", "vat_rate": "20"}])
    assert "Item 1: quantity" in editor.problem.text()
    assert editor.model.data(editor.model.index(0, 6)) == "?"
    editor.model.setData(editor.model.index(0, 2), "2")
    assert editor.problem.text() == ""
    assert editor.labels["gross"].text() == "£240.00"


def test_eligibility_panel_shows_reasons_and_award(qtbot: QtBot) -> None:
    panel = EligibilityPanel()
    qtbot.addWidget(panel)
    from dataclasses import replace

    panel.show_decision(decide(replace(SUMMARY, works_cost=10_000_00)))
    top = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert top[0] == "Disabled Facilities Grant (DFG)"
    assert panel.tree.topLevelItem(0).text(1).startswith("Eligible")
    reasons = [panel.tree.topLevelItem(0).child(i).text(0) for i in range(panel.tree.topLevelItem(0).childCount())]
    assert any("(policy 4.1.2)" in r for r in reasons)
    assert panel.award_labels["dfg"].text() == "£10,000.00"
    assert panel.award_labels["total_award"].text() == "£11,250.00"
    assert panel.award_labels["fees"].text() == "£1,250.00"
    assert "13.1" in panel.notes.text()
    panel.show_problem("the tenure is not answered yet")
    assert "tenure" in panel.problem.text() and panel.tree.topLevelItemCount() == 0
