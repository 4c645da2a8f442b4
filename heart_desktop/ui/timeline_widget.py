"""A case's stages with their dates and who set each, the statutory clocks counting down, what
happened (the events that set the dates), and a correction with its reason.

The events the app records set the stage dates by themselves (a visit done, the signed pack, the
approval); the officer records the rest here as they happen (a telephone assessment, a quotation,
works started, certified complete, signed off) and may correct any date, giving the reason. Order
is checked by ``domain.casework`` before anything is saved: no approval before the application, no
date in the future.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.casework import (
    CORRECTED,
    EVENT_BY_KEY,
    MANUAL_EVENTS,
    STAGES,
    Clock,
    StageOrderError,
    check_stage_dates,
    statutory_clocks,
)
from heart_desktop.domain.policy import Policy
from heart_desktop.ui.labels import StatusLabel, caption_for
from heart_desktop.ui.reflow import FlowLayout, narrow_combo, pair

WARN_DAYS = 30  # how early a clock turns amber: a display choice, not a policy rule


def set_by(event: Mapping[str, Any] | None) -> str:
    """Who set a stage date, from what, and why: 'A. Okafor: home visit done (HHSRS assessment completed)'."""
    if not event:
        return ""
    what = "corrected" if event.get("event") == CORRECTED else (
        EVENT_BY_KEY[event["event"]].label.lower() if event.get("event") in EVENT_BY_KEY else str(event.get("event")))
    why = f" ({event['reason']})" if event.get("reason") else ""
    return f"{event.get('set_by') or 'unknown'}: {what}{why}"


class TimelineWidget(QWidget):
    stage_recorded = Signal(str, object, str)  # stage key, date, reason: a correction
    event_recorded = Signal(str, object)  # event key, date: something happened

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Case timeline")
        self._dates: dict[str, date | None] = {}
        self._applied_for = "DFG"
        self._early_start_reason = ""
        self._policy: Policy | None = None
        self._today = date.today()
        self._refused_on: date | None = None
        self._closed_on: date | None = None
        self._extension_to: date | None = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(STAGES), 4, self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move within it
        self.table.setHorizontalHeaderLabels(["Stage", "Date", "Days", "Set by"])
        self.table.setAccessibleName("Stages and dates")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(22)
        layout.addWidget(self.table, 1)
        self.clocks = QVBoxLayout()
        layout.addLayout(self.clocks)

        happened = FlowLayout()
        self.event = QComboBox(self)
        self.event.setAccessibleName("What happened")
        for key in MANUAL_EVENTS:
            self.event.addItem(EVENT_BY_KEY[key].label, key)
        self.event_when = QDateEdit(self)
        self.event_when.setCalendarPopup(True)
        self.event_when.setDisplayFormat("dd/MM/yyyy")
        self.event_when.setAccessibleName("Date it happened")
        self.event_button = QPushButton("&Record", self)
        self.event_button.setAccessibleName("Record")
        self.event_button.setToolTip("Record what happened: its stage takes the date")
        narrow_combo(self.event, 16)
        happened.addLayout(pair(caption_for("What happened:", self.event, self), self.event))
        happened.addLayout(pair(self.event_when, self.event_button))
        layout.addLayout(happened)

        record = FlowLayout()
        self.stage = QComboBox(self)
        self.stage.setAccessibleName("Stage to correct")
        for stage in STAGES:
            self.stage.addItem(stage.label, stage.key)
        self.when = QDateEdit(self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy")
        self.when.setAccessibleName("Corrected date")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Reason for the correction")
        self.reason.setMinimumWidth(180)
        self.reason.setAccessibleName("Reason for the correction")
        self.record_button = QPushButton("Correc&t", self)
        self.record_button.setAccessibleName("Correct")
        self.record_button.setToolTip("Correct the stage's date, with the reason (kept on the timeline)")
        narrow_combo(self.stage, 16)
        record.addLayout(pair(caption_for("Stage to correct:", self.stage, self), self.stage))
        record.addWidget(self.when)
        record.addLayout(pair(self.reason, self.record_button))
        layout.addLayout(record)
        self.message = StatusLabel("", self)
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Timeline message")
        layout.addWidget(self.message)
        self.record_button.clicked.connect(self._record)
        self.event_button.clicked.connect(self._happened)
        self._set_today(self._today)

    def _set_today(self, today: date) -> None:
        self._today = today
        for picker in (self.when, self.event_when):
            picker.setMaximumDate(QDate(today))  # first: a later day is not clamped to the old maximum
            picker.setDate(QDate(today))

    def show_dates(self, dates: Mapping[str, date | None], policy: Policy, today: date | None = None,
                   early_start_reason: str = "", applied_for: str = "DFG",
                   events: Mapping[str, Mapping[str, Any]] | None = None, refused_on: date | None = None,
                   extension_to: date | None = None, closed: bool = False, closed_on: date | None = None) -> None:
        self._dates = dict(dates)
        self._applied_for = applied_for  # the statutory determination clock is a DFG's only
        self._early_start_reason = early_start_reason  # the schedule of works' written consent (4.1.7)
        self._policy = policy
        self._refused_on, self._extension_to = refused_on, extension_to
        self._closed_on = closed_on if closed else None
        if today is not None and today != self._today:
            self._set_today(today)
        events = events or {}
        previous: date | None = None
        for row, stage in enumerate(STAGES):
            when = dates.get(stage.key)
            gap = f"{(when - previous).days}" if when and previous else ""
            who = set_by(events.get(stage.key)) if when or events.get(stage.key) else ""
            for column, text in enumerate((stage.label, f"{when:%d/%m/%Y}" if when else "", gap, who)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            if when:
                previous = when
        # the next stage to record is offered first: the one after the latest recorded
        recorded = [row for row, stage in enumerate(STAGES) if dates.get(stage.key)]
        following = min((recorded[-1] + 1) if recorded else 0, len(STAGES) - 1)
        self.stage.setCurrentIndex(self.stage.findData(STAGES[following].key))
        nxt = next((k for k in MANUAL_EVENTS if not dates.get(EVENT_BY_KEY[k].stage)
                    and STAGES[following].key == EVENT_BY_KEY[k].stage), None)
        if nxt is not None:
            self.event.setCurrentIndex(self.event.findData(nxt))
        for widget in (self.event, self.event_when, self.event_button, self.stage, self.when, self.reason,
                       self.record_button):
            widget.setEnabled(not closed)
        self._show_clocks(self._today)

    def clock_list(self) -> Sequence[Clock]:
        if self._policy is None:
            return []
        return statutory_clocks(self._dates, self._policy, self._applied_for, refused_on=self._refused_on,
                                extension_to=self._extension_to)

    def _show_clocks(self, today: date) -> None:
        while self.clocks.count():
            item = self.clocks.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for clock in self.clock_list():
            state = clock.state(today, WARN_DAYS)
            stopped_by = "decided" if clock.key == "determine" and self._refused_on == clock.stopped else "done"
            if clock.stopped is None and self._closed_on is not None:
                state = "met"
                text = (f"■ {clock.label}: no longer running, the case closed on {self._closed_on:%d/%m/%Y} "
                        f"(it was due {clock.due:%d/%m/%Y})")
            elif state == "met":
                text = (f"✓ {clock.label}: {stopped_by} on {clock.stopped:%d/%m/%Y}, within the deadline of "
                        f"{clock.due:%d/%m/%Y}")
            elif state == "missed":
                text = (f"✗ {clock.label}: {stopped_by} on {clock.stopped:%d/%m/%Y}, after the deadline of "
                        f"{clock.due:%d/%m/%Y}")
            elif state == "over":
                text = f"⚠ {clock.label}: {-clock.days_left(today)} days OVERDUE (due {clock.due:%d/%m/%Y})"
            else:
                text = f"{clock.label}: {clock.days_left(today)} days left (due {clock.due:%d/%m/%Y})"
            label = QLabel(f"{text} - policy {clock.section}", self)
            label.setWordWrap(True)
            label.setObjectName({"ok": "clockOk", "met": "clockOk", "warn": "clockWarn"}.get(state, "clockOver"))
            label.setAccessibleDescription(f"Statutory clock: {clock.label}")
            self.clocks.addWidget(label)

    def _record(self) -> None:
        key = self.stage.currentData()
        when = self.when.date().toPython()
        reason = self.reason.text().strip()
        if not reason:
            self.message.setText("Reason for the correction: say why the date is corrected (it is kept on the "
                                 "timeline).")
            self.reason.setFocus()
            return
        proposed = {**self._dates, key: when}
        try:
            check_stage_dates(proposed, today=self._today, early_start_reason=self._early_start_reason)
        except StageOrderError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText("")
        self.stage_recorded.emit(key, when, reason)

    def _happened(self) -> None:
        self.message.setText("")
        self.event_recorded.emit(self.event.currentData(), self.event_when.date().toPython())

    def correction_done(self) -> None:
        self.reason.clear()
