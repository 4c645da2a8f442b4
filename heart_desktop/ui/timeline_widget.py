"""A case's stages with their dates, the statutory clocks counting down, and stage recording.

Order is checked by ``domain.casework`` before anything is saved: no approval before the
application, no date in the future.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.casework import STAGES, StageOrderError, check_stage_dates, statutory_clocks
from heart_desktop.domain.policy import Policy

WARN_DAYS = 30  # how early a clock turns amber: a display choice, not a policy rule


class TimelineWidget(QWidget):
    stage_recorded = Signal(str, object)  # stage key, date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Case timeline")
        self._dates: dict[str, date | None] = {}
        self._applied_for = "DFG"
        self._early_start_reason = ""
        self._policy: Policy | None = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(STAGES), 3, self)
        self.table.setHorizontalHeaderLabels(["Stage", "Date", "Days from previous"])
        self.table.setAccessibleName("Stages and dates")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 120)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.clocks = QVBoxLayout()
        layout.addLayout(self.clocks)
        record = QHBoxLayout()
        self.stage = QComboBox(self)
        self.stage.setAccessibleName("Stage to record")
        for stage in STAGES:
            self.stage.addItem(stage.label, stage.key)
        self.when = QDateEdit(self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy")
        self.when.setDate(QDate.currentDate())
        self.when.setAccessibleName("Date of the stage")
        self.record_button = QPushButton("&Record stage date", self)
        self.record_button.setAccessibleName("Record stage date")
        record.addWidget(QLabel("Record:", self))
        record.addWidget(self.stage, 2)
        record.addWidget(self.when, 1)
        record.addWidget(self.record_button)
        layout.addLayout(record)
        self.message = QLabel("", self)
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Timeline message")
        layout.addWidget(self.message)
        self.record_button.clicked.connect(self._record)

    def show_dates(self, dates: Mapping[str, date | None], policy: Policy, today: date | None = None,
                   early_start_reason: str = "", applied_for: str = "DFG") -> None:
        self._dates = dict(dates)
        self._applied_for = applied_for  # the statutory determination clock is a DFG's only
        self._early_start_reason = early_start_reason  # the schedule of works' written consent (4.1.7)
        self._policy = policy
        previous: date | None = None
        for row, stage in enumerate(STAGES):
            when = dates.get(stage.key)
            gap = f"{(when - previous).days}" if when and previous else ""
            for column, text in enumerate((stage.label, f"{when:%d/%m/%Y}" if when else "", gap)):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if when:
                previous = when
        # the next stage to record is offered first: the one after the latest recorded
        recorded = [row for row, stage in enumerate(STAGES) if dates.get(stage.key)]
        following = min((recorded[-1] + 1) if recorded else 0, len(STAGES) - 1)
        self.stage.setCurrentIndex(self.stage.findData(STAGES[following].key))
        self._show_clocks(today or date.today())

    def _show_clocks(self, today: date) -> None:
        while self.clocks.count():
            item = self.clocks.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if self._policy is None:
            return
        for clock in statutory_clocks(self._dates, self._policy, self._applied_for):
            state = clock.state(today, WARN_DAYS)
            if state == "met":
                text = f"✓ {clock.label}: done on {clock.stopped:%d/%m/%Y}, within the deadline of {clock.due:%d/%m/%Y}"
            elif state == "missed":
                text = f"✗ {clock.label}: done on {clock.stopped:%d/%m/%Y}, after the deadline of {clock.due:%d/%m/%Y}"
            elif state == "over":
                text = f"⚠ {clock.label}: {-clock.days_left(today)} days OVERDUE (due {clock.due:%d/%m/%Y})"
            else:
                text = f"{clock.label}: {clock.days_left(today)} days left (due {clock.due:%d/%m/%Y})"
            label = QLabel(f"{text} - policy {clock.section}", self)
            label.setObjectName({"ok": "clockOk", "met": "clockOk", "warn": "clockWarn"}.get(state, "clockOver"))
            label.setAccessibleName(f"Statutory clock: {clock.label}")
            self.clocks.addWidget(label)

    def _record(self) -> None:
        key = self.stage.currentData()
        when = self.when.date().toPython()
        proposed = {**self._dates, key: when}
        try:
            check_stage_dates(proposed, today=date.today(), early_start_reason=self._early_start_reason)
        except StageOrderError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText("")
        self.stage_recorded.emit(key, when)
