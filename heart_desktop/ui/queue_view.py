"""Cases > Waiting lists (Ctrl+Shift+L): the cases waiting for each stage in the order they are to
be taken (``domain.queue``: urgent first, then those sanctioned out of order, vulnerable groups
first where resources are short, then by enquiry date; the Home Improvement Officers' own queue
apart). Allocating from the list takes the first; any other needs a team leader's written sanction
(policy 9.3), which only the roles that may give it are offered.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain import queue as queues
from heart_desktop.domain.process import process
from heart_desktop.services import casework
from heart_desktop.ui.form_dialog import Field, FormDialog, named_button, run_in_dialog
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import FlowLayout, narrow_combo, pair
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import listing_table

COLUMNS = ("#", "Reference", "Customer", "Council", "Enquiry", "Waiting", "Why here", "Officer")


class QueueView(QDialog):
    open_case = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = session.worker
        self.rows: list[dict[str, Any]] = []
        self.dialog: FormDialog | None = None
        self.setWindowTitle("Waiting lists")
        self.setAccessibleName("Waiting lists")
        layout = QVBoxLayout(self)
        bar = FlowLayout()
        self.queue = QComboBox(self)
        self.queue.setAccessibleName("Queue")
        for key, label in queues.QUEUES:
            self.queue.addItem(label, key)
        queue_label = QLabel("&Queue:", self)
        queue_label.setBuddy(self.queue)
        self.team = QComboBox(self)
        self.team.setAccessibleName("Team")
        self.team.addItem("Main team", queues.MAIN)
        self.team.addItem("Home Improvement Officers (WaSH, 9.1)", queues.SPECIALIST)
        team_label = QLabel("&Team:", self)
        team_label.setBuddy(self.team)
        self.area = QComboBox(self)
        self.area.setAccessibleName("Duty desk")
        self.area.addItem("Both duty desks", None)
        self.area.addItem("HEART North", "north")
        self.area.addItem("HEART South", "south")
        area_label = QLabel("&Desk:", self)
        area_label.setBuddy(self.area)
        self.short = QCheckBox("&Resources are limited: vulnerable groups first (9.2)", self)
        self.short.setAccessibleName("Resources are limited: vulnerable groups first (9.2)")
        for combo in (self.queue, self.team, self.area):
            narrow_combo(combo, 14)  # the row fits the screen with a 16 pt font
        for label, combo in ((queue_label, self.queue), (team_label, self.team), (area_label, self.area)):
            bar.addLayout(pair(label, combo))
        layout.addLayout(bar)
        layout.addWidget(self.short)
        self.table = listing_table(self, COLUMNS, "Cases waiting, in the order they are taken", fit_columns=True)
        layout.addWidget(self.table, 1)
        self.note = QLabel(process().queue_note, self)
        self.note.setWordWrap(True)
        self.note.setAccessibleDescription("How the order is kept")
        layout.addWidget(self.note)
        buttons = FlowLayout()
        self.open_button = named_button("&Open the case", self)
        self.allocate_button = named_button("A&llocate…", self)
        self.sanction_button = named_button("&Sanction out of order…", self)
        self.close_button = named_button("Close", self)
        self.message = StatusLabel("", self)
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Waiting lists message")
        for button in (self.open_button, self.allocate_button, self.sanction_button):
            buttons.addWidget(button)
        buttons.addWidget(self.close_button)
        layout.addWidget(self.message)  # its own line: a long message wraps there, not between buttons
        layout.addLayout(buttons)
        self.queue.currentIndexChanged.connect(self.refresh)
        self.team.currentIndexChanged.connect(self.refresh)
        self.area.currentIndexChanged.connect(self.refresh)
        self.short.toggled.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.activated.connect(lambda _index: self._open())
        self.open_button.clicked.connect(self._open)
        self.allocate_button.clicked.connect(self.ask_allocate)
        self.sanction_button.clicked.connect(self.ask_sanction)
        self.close_button.clicked.connect(self.close)
        resize_within_screen(self, 1180, 640)
        self._enable()

    def refresh(self) -> None:
        session, queue, team, area = self.session, self.queue.currentData(), self.team.currentData(), \
            self.area.currentData()
        short = self.short.isChecked()
        self.worker.submit(lambda: casework.waiting_list(session, queue, today=session.today(), team=team, area=area,
                                                         resources_short=short),
                           self._show, lambda error: self.message.setText(f"Could not read the list: {error}"))

    def _show(self, rows: list[dict[str, Any]]) -> None:
        selected = self.selected()
        self.rows = rows
        self.table.setRowCount(0)
        for row in rows:
            values = (row["position"], row["reference"], row.get("customer") or "", row["council"],
                      f"{row['enquiry_on']:%d/%m/%Y}" if row.get("enquiry_on") else "",
                      f"{row['waiting_days']} days" if row.get("waiting_days") is not None else "",
                      row["why"] + (f": {row['priority_reason']}" if row.get("priority_reason") else ""),
                      row.get("officer") or "")
            index = self.table.rowCount()
            self.table.insertRow(index)
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                self.table.setItem(index, column, item)
        again = next((i for i, r in enumerate(rows) if selected and r["id"] == selected["id"]), 0 if rows else -1)
        if again >= 0:
            self.table.selectRow(again)
        self.message.setText("" if rows else "Nobody is waiting in this queue.")
        self._enable()

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _enable(self) -> None:
        chosen = self.selected()
        self.open_button.setEnabled(chosen is not None)
        allocating = self.queue.currentData() == queues.ALLOCATION
        self.allocate_button.setEnabled(chosen is not None and allocating
                                        and self.session.refusal("allocate") is None)
        first = chosen is not None and chosen["position"] == 1
        self.sanction_button.setEnabled(chosen is not None and not first and not chosen.get("priority_reason")
                                        and self.session.refusal("sanction_out_of_order") is None)

    def _open(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.open_case.emit(str(chosen["id"]))

    def _form(self, title: str, intro: str, fields: list[Field], action: str, run: Any) -> FormDialog:
        dialog = FormDialog(title, intro, fields, action, self)
        run_in_dialog(dialog, self.worker, run, lambda _r: self.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_allocate(self) -> FormDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        session, case_id = self.session, str(chosen["id"])
        lists = process(session.today())
        officers = sorted({*self.worker.call(session.officers), session.officer})
        role = lists.specialist_role if self.team.currentData() == queues.SPECIALIST else "HAO"
        return self._form(f"Allocate {chosen['reference']}", f"{chosen.get('customer') or ''}, waiting since "
                          f"{chosen['enquiry_on']:%d/%m/%Y}: {chosen['why']}." if chosen.get("enquiry_on") else "", [
                              Field("allocated_to", "&Officer", "editable_choice", [(o, o) for o in officers]),
                              Field("allocated_role", "&As", "choice",
                                    list(lists.labels("allocation_roles").items()), value=role),
                          ], "A&llocate", lambda v: casework.allocate(session, case_id, v["allocated_to"],
                                                                    v["allocated_role"], today=session.today()))

    def ask_sanction(self) -> FormDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        session, case_id = self.session, str(chosen["id"])
        ahead = chosen["position"] - 1
        return self._form(
            "Take the case out of order (policy 9.3)",
            f"{chosen['reference']} is number {chosen['position']}: {ahead} case{'s' if ahead != 1 else ''} "
            "wait ahead of it. Taking it first needs the sanction of the Head of Service, the HEART Team Manager "
            "or a team leader, with a written justification kept on the case for anyone who opens it.",
            [Field("priority_reason", "&Written justification", "multiline")], "&Sanction",
            lambda v: casework.sanction_out_of_order(session, case_id, v["priority_reason"], today=session.today()))
