"""The assistance decision for the open case, with its reasons and policy sections.

It only displays what ``domain.assistance.decide`` says; it is told to refresh whenever an
answer that feeds the decision changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.assistance import Decision
from heart_desktop.domain.award import COUNCIL_HOUSING, award_lines
from heart_desktop.domain.money import fmt
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import wrapping_form

ROUTE_WORDS = {"grant": "Route: grant", COUNCIL_HOUSING: "Route: council-housing adaptation (the council's own works)"}


class EligibilityPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Eligibility and award")
        layout = QVBoxLayout(self)
        self.heading = QLabel("Eligibility", self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Assistance", "Decision"])
        self.tree.setAccessibleName("Assistance types and reasons")
        self.tree.setWordWrap(True)
        self.tree.setColumnWidth(0, 22 * self.tree.fontMetrics().averageCharWidth())  # from the font
        layout.addWidget(self.tree, 3)
        self.award_box = QGroupBox("How the cost is met", self)
        box_layout = QVBoxLayout(self.award_box)
        # the route on a wrapped line of its own: in the box's title it made the tab wider than a
        # 1366x768 screen at 150% with a 16 pt font (a group box is as wide as its title)
        self.route = QLabel("", self.award_box)
        self.route.setWordWrap(True)
        box_layout.addWidget(self.route)
        self.award_form = wrapping_form(QFormLayout())
        box_layout.addLayout(self.award_form)
        self.award_labels: dict[str, QLabel] = {}
        layout.addWidget(self.award_box)
        self.notes = StatusLabel("", self)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleDescription("Notes on the award")
        layout.addWidget(self.notes)
        self.problem = QLabel("", self)
        self.problem.setWordWrap(True)
        self.problem.setObjectName("problem")
        layout.addWidget(self.problem)

    def show_problem(self, message: str) -> None:
        """When the case cannot be assessed yet (a missing answer), say which and why."""
        self.problem.setText(f"Cannot work out eligibility yet: {message}")
        self.tree.clear()
        self._clear_award()
        self.notes.setText("")

    def _clear_award(self) -> None:
        self.route.setText("")
        while self.award_form.rowCount():
            self.award_form.removeRow(0)
        self.award_labels = {}

    def _award_row(self, key: str, label: str, text: str, bold: bool = False) -> None:
        value = QLabel(text, self.award_box)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        value.setAccessibleDescription(label.strip())
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                      | Qt.TextInteractionFlag.TextSelectableByMouse)
        caption = QLabel(label, self.award_box)  # one line: a form does not grow a row for a wrapped caption
        if bold:
            for widget in (caption, value):
                font = widget.font()
                font.setBold(True)
                widget.setFont(font)
        self.award_form.addRow(caption, value)
        self.award_labels[key] = value

    def show_decision(self, decision: Decision) -> None:
        self.problem.setText("")
        self.heading.setText(f"{decision.policy_title} v{decision.policy_version}, "
                             f"{decision.council_name}, application "
                             f"{decision.summary.application_date:%d/%m/%Y}")
        self.tree.clear()
        for item in decision.types.values():
            verdict = "Eligible" if item.eligible else "Not eligible"
            if item.eligible and item.allowance_left is not None:
                verdict += f" ({fmt(item.allowance_left)} left)"
            elif item.eligible and item.max_award:
                verdict += f" (up to {fmt(item.max_award)})"
            top = QTreeWidgetItem([f"{item.name} ({item.type})", verdict])
            for reason in item.reasons:
                child = QTreeWidgetItem([str(reason), ""])
                child.setFirstColumnSpanned(True)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
            for child_index in range(top.childCount()):
                top.child(child_index).setFirstColumnSpanned(True)
        award = decision.award
        self._clear_award()
        route = ROUTE_WORDS.get(award.route, award.route)
        self.route.setText(route)
        self.award_box.setAccessibleName(f"How the cost is met - {route}")
        lines = award_lines(award)  # the same lines, in the same order, as the pack
        for line in lines:
            if line.key == "total_award" and award.repayable_charge:
                until = (f" until {award.charge_expires:%d/%m/%Y}" if award.charge_expires
                         else f" for {award.charge_years} years from the certified date")
                self._award_row("repayable_charge", "Repayable grant charge", f"{fmt(award.repayable_charge)}{until}")
            self._award_row(line.key, line.label, fmt(line.amount), bold=line.total)
        deadline = decision.deadlines
        lines = [f"• {note}" for note in decision.notes]
        if deadline.determine_by:
            lines.append(f"• Decide by {deadline.determine_by:%d/%m/%Y} (policy {deadline.determine_section})")
        if deadline.complete_by:
            lines.append(f"• Works to be complete by {deadline.complete_by:%d/%m/%Y} "
                         f"(policy {deadline.complete_section})")
        self.notes.setText("\n".join(lines))
