"""Today (Cases > Today, Ctrl+T): the signed-in officer's visits for the day, each with the address,
the phone number and what is still to do on the case, and the follow-ups of the contact log that
are due. It refreshes on the one "data changed" signal, never by reloading on a timer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.casework import STAGE_LABELS
from heart_desktop.domain.process import process
from heart_desktop.services import casework
from heart_desktop.ui.form_dialog import named_button
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import listing_table

VISIT_COLUMNS = ("Time", "Reference", "Customer", "Address", "Phone", "Visit", "Still to do")
FOLLOW_COLUMNS = ("Due", "Reference", "Customer", "Phone", "About", "Contact")


def _table(parent: QWidget, columns: Sequence[str], name: str) -> QTableWidget:
    return listing_table(parent, columns, name, fit_columns=True)


class TodayView(QWidget):
    open_case = Signal(str)
    back_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = session.worker
        self.visit_rows: list[dict[str, Any]] = []
        self.follow_rows: list[dict[str, Any]] = []
        self._loaded = False
        self.setAccessibleName("Today")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel("Today", self)
        self.title.setObjectName("title")
        self.title.setAccessibleDescription("Today")
        self.title.setWordWrap(True)  # the long date in a 16 pt heading: two lines, not a wider window
        self.back = named_button("Back to the case&load", self)
        top.addWidget(self.title, 1)
        top.addWidget(self.back)
        layout.addLayout(top)
        visits = QGroupBox("Visits", self)
        visits_layout = QVBoxLayout(visits)
        self.visits = _table(visits, VISIT_COLUMNS, "Today's visits")
        visits_layout.addWidget(self.visits)
        layout.addWidget(visits, 1)
        follow = QGroupBox("Follow-ups due", self)
        follow_layout = QVBoxLayout(follow)
        self.follow_ups = _table(follow, FOLLOW_COLUMNS, "Follow-ups due")
        follow_layout.addWidget(self.follow_ups)
        layout.addWidget(follow, 1)
        row = QHBoxLayout()
        self.open_button = named_button("&Open the case", self)
        self.status = StatusLabel("", self)
        self.status.setAccessibleDescription("Today status")
        row.addWidget(self.open_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.open_button.clicked.connect(self._open_selected)
        self.back.clicked.connect(self.back_requested)
        self.visits.activated.connect(lambda index: self._open_row(self.visit_rows, index.row()))
        self.follow_ups.activated.connect(lambda index: self._open_row(self.follow_rows, index.row()))
        self._last_table = self.visits
        self.visits.itemSelectionChanged.connect(lambda: setattr(self, "_last_table", self.visits))
        self.follow_ups.itemSelectionChanged.connect(lambda: setattr(self, "_last_table", self.follow_ups))

    def is_loaded(self) -> bool:
        return self._loaded

    def refresh(self) -> None:
        session = self.session
        day = session.today()
        self.worker.submit(lambda: casework.today_view(session, day), self._show,
                           lambda error: self.status.setText(f"Could not read today's list: {error}"))

    def _show(self, view: dict[str, Any]) -> None:
        day: date = view["day"]
        lists = process(day)
        self.title.setText(f"Today, {day:%A %d %B %Y}: {view['officer']}")
        self.visit_rows = view["visits"]
        self.visits.setRowCount(0)
        for visit in self.visit_rows:
            at = datetime.fromisoformat(str(visit["scheduled_for"])[:16])
            phone = visit.get("phone") or ""
            if visit.get("contact_preference") == "advocate" and visit.get("advocate"):
                phone = f"{phone} (through {visit['advocate']})".strip()
            self._add(self.visits, (f"{at:%H:%M}", visit["reference"], visit.get("customer") or "",
                                    ", ".join(p for p in (visit.get("address"), visit.get("postcode")) if p),
                                    phone, lists.label("visit_kinds", visit.get("kind")),
                                    f"{STAGE_LABELS.get(visit['stage'], visit['stage'])}: "
                                    + "; ".join(visit.get("to_do") or [])))
        self.follow_rows = view["follow_ups"]
        self.follow_ups.setRowCount(0)
        for item in self.follow_rows:
            due = date.fromisoformat(str(item["follow_up_on"]))
            when = "today" if due == day else f"{due:%d/%m/%Y} (overdue)"
            self._add(self.follow_ups, (when, item["reference"], item.get("customer") or "", item.get("phone") or "",
                                        item.get("summary") or "",
                                        f"{lists.label('contact_kinds', item.get('kind'))} "
                                        f"{lists.label('contact_directions', item.get('direction'))}"
                                        + (f", {item['who']}" if item.get("who") else "")))
        self.visits.resizeRowsToContents()
        self.follow_ups.resizeRowsToContents()
        visits, due = len(self.visit_rows), len(self.follow_rows)
        self.status.setText(f"{visits} visit{'s' if visits != 1 else ''} today, "
                            f"{due} follow-up{'s' if due != 1 else ''} due. Enter opens the case.")
        if visits and not self.visits.selectedItems():
            self.visits.selectRow(0)
        self._loaded = True

    @staticmethod
    def _add(table: QTableWidget, values: tuple[Any, ...]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            item.setToolTip(str(value))
            table.setItem(row, column, item)

    def _open_row(self, rows: list[dict[str, Any]], row: int) -> None:
        if 0 <= row < len(rows):
            self.open_case.emit(str(rows[row]["case_id"]))

    def _open_selected(self) -> None:
        table = self._last_table
        rows = self.visit_rows if table is self.visits else self.follow_rows
        self._open_row(rows, table.currentRow())

    def focus(self) -> None:
        self.visits.setFocus()
