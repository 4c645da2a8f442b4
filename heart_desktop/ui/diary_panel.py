"""A case's diary: its visits (booked, moved with the reason, given an outcome: done, no access,
cancelled by the customer) and its contact log (calls, letters, emails and visits: when, which
way, with whom, what was said, and the follow-up it needs).

Everything is written through ``services.casework`` on the store worker; the panel shows what the
store holds after each commit (the workspace reloads it on the one "data changed" signal).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.process import process
from heart_desktop.services import casework
from heart_desktop.ui.form_dialog import Field, FormDialog, named_button, run_in_dialog
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import listing_table

VISIT_COLUMNS = ("When", "Kind", "Officer", "Outcome", "Moved because")
CONTACT_COLUMNS = ("When", "Kind", "Direction", "Who", "Summary", "Follow up", "By")


def _when(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value)[:16])
    except ValueError:
        return str(value or "")
    return f"{moment:%a %d/%m/%Y %H:%M}"


def _day(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else ""


def _table(parent: QWidget, columns: Sequence[str], name: str) -> QTableWidget:
    return listing_table(parent, columns, name, fit_columns=True)


class DiaryPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = session.worker
        self.case_id: str | None = None
        self.visit_rows: list[dict[str, Any]] = []
        self.contact_rows: list[dict[str, Any]] = []
        self.dialog: FormDialog | None = None
        self.setAccessibleName("Diary and contact log")
        layout = QVBoxLayout(self)
        visits = QGroupBox("Visits", self)
        visits_layout = QVBoxLayout(visits)
        self.visits = _table(visits, VISIT_COLUMNS, "Visits")
        visits_layout.addWidget(self.visits, 1)
        row = QHBoxLayout()
        self.book_button = named_button("Book a visi&t…", visits)
        self.move_button = named_button("Mo&ve the visit…", visits)
        self.outcome_button = named_button("Visit resu&lt…", visits)
        for button in (self.book_button, self.move_button, self.outcome_button):
            row.addWidget(button)
        row.addStretch(1)
        visits_layout.addLayout(row)
        layout.addWidget(visits, 2)
        contacts = QGroupBox("Contact log", self)
        contacts_layout = QVBoxLayout(contacts)
        self.contacts = _table(contacts, CONTACT_COLUMNS, "Contact log")
        contacts_layout.addWidget(self.contacts, 1)
        row = QHBoxLayout()
        self.log_button = named_button("Lo&g a contact…", contacts)
        self.follow_up_button = named_button("Ma&rk the follow-up done", contacts)
        row.addWidget(self.log_button)
        row.addWidget(self.follow_up_button)
        row.addStretch(1)
        contacts_layout.addLayout(row)
        layout.addWidget(contacts, 3)
        self.message = StatusLabel("", self)
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Diary message")
        layout.addWidget(self.message)
        self.book_button.clicked.connect(self.book)
        self.move_button.clicked.connect(self.move)
        self.outcome_button.clicked.connect(self.outcome)
        self.log_button.clicked.connect(self.log_contact)
        self.follow_up_button.clicked.connect(self.follow_up_done)
        self.visits.itemSelectionChanged.connect(self._enable)
        self.contacts.itemSelectionChanged.connect(self._enable)
        self._enable()

    def today(self) -> date:
        return self.session.today()

    # --- showing -------------------------------------------------------------------------------

    def show_case(self, case_id: str, detail: Mapping[str, Any]) -> None:
        self.case_id = case_id
        closed = bool(detail["case"].get("outcome"))
        lists = process(self.today())
        self.visit_rows = sorted(detail.get("visits") or [], key=lambda v: str(v.get("scheduled_for")), reverse=True)
        self.visits.setRowCount(0)
        for visit in self.visit_rows:
            values = (_when(visit.get("scheduled_for")), lists.label("visit_kinds", visit.get("kind")),
                      visit.get("officer") or "", lists.label("visit_outcomes", visit.get("outcome"))
                      if visit.get("outcome") else ("Booked" if visit.get("status") == "planned" else
                                                     str(visit.get("status") or "")),
                      visit.get("moved_reason") or "")
            self._add(self.visits, values)
        self.contact_rows = list(detail.get("contacts") or [])
        self.contacts.setRowCount(0)
        for contact in self.contact_rows:
            follow = contact.get("follow_up_on")
            due = ""
            if isinstance(follow, date):
                done = contact.get("followed_up_on")
                due = f"{follow:%d/%m/%Y}" + (f" (done {done:%d/%m/%Y})" if isinstance(done, date) else
                                              " (due)" if follow <= self.today() else "")
            self._add(self.contacts, (_when(contact.get("at")), lists.label("contact_kinds", contact.get("kind")),
                                      lists.label("contact_directions", contact.get("direction")),
                                      contact.get("who") or "", contact.get("summary") or "", due,
                                      contact.get("author") or ""))
        self.book_button.setEnabled(not closed)
        self._enable()

    @staticmethod
    def _add(table: QTableWidget, values: Sequence[Any]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            item.setToolTip(str(value))
            table.setItem(row, column, item)

    def _selected_visit(self) -> dict[str, Any] | None:
        row = self.visits.currentRow()
        return self.visit_rows[row] if 0 <= row < len(self.visit_rows) and self.visits.selectedItems() else None

    def _selected_contact(self) -> dict[str, Any] | None:
        row = self.contacts.currentRow()
        return self.contact_rows[row] if 0 <= row < len(self.contact_rows) and self.contacts.selectedItems() \
            else None

    def _enable(self) -> None:
        visit = self._selected_visit()
        planned = visit is not None and visit.get("status") == "planned"
        self.move_button.setEnabled(planned)
        self.outcome_button.setEnabled(planned)
        contact = self._selected_contact()
        self.follow_up_button.setEnabled(contact is not None and contact.get("follow_up_on") is not None
                                         and contact.get("followed_up_on") is None)

    # --- acting --------------------------------------------------------------------------------

    def _dialog(self, title: str, intro: str, fields: list[Field], action: str,
                run: Callable[[dict[str, Any]], Any]) -> FormDialog:
        dialog = FormDialog(title, intro, fields, action, self)
        run_in_dialog(dialog, self.worker, run, lambda _result: self.message.setText(""))
        self.dialog = dialog
        dialog.open()
        return dialog

    def book(self) -> FormDialog | None:
        if self.case_id is None:
            return None
        case_id, lists = self.case_id, process(self.today())
        tomorrow = datetime.combine(self.today() + timedelta(days=1), time(10, 0))
        return self._dialog("Book a visit", "", [
            Field("scheduled_for", "&Date and time", "datetime", value=tomorrow),
            Field("kind", "&Kind of visit", "choice", list(lists.labels("visit_kinds").items())),
            Field("officer", "&Officer", "text", help="Leave blank for the officer the case is allocated to"),
        ], "&Book", lambda v: casework.book_visit(self.session, case_id, v["scheduled_for"], v["kind"],
                                                 today=self.today(), officer=v["officer"] or None))

    def move(self) -> FormDialog | None:
        visit = self._selected_visit()
        if visit is None:
            return None
        current = datetime.fromisoformat(str(visit["scheduled_for"])[:16])
        return self._dialog("Move the visit", f"Booked for {_when(visit['scheduled_for'])}.", [
            Field("scheduled_for", "&New date and time", "datetime", value=current),
            Field("moved_reason", "&Reason", "text", help="Why the visit moves (kept with the visit)"),
        ], "&Move", lambda v: casework.move_visit(self.session, visit["id"], v["scheduled_for"], v["moved_reason"],
                                                  today=self.today()))

    def outcome(self) -> FormDialog | None:
        visit = self._selected_visit()
        if visit is None:
            return None
        lists = process(self.today())
        return self._dialog("Visit result", f"{lists.label('visit_kinds', visit.get('kind'))}, "
                                            f"{_when(visit['scheduled_for'])}.", [
            Field("outcome", "&Outcome", "choice", list(lists.labels("visit_outcomes").items())),
            Field("note", "&Note", "text"),
        ], "&Record", lambda v: casework.visit_outcome(self.session, visit["id"], v["outcome"], today=self.today(),
                                                       note=v["note"]))

    def log_contact(self) -> FormDialog | None:
        if self.case_id is None:
            return None
        case_id, lists = self.case_id, process(self.today())
        now = datetime.combine(self.today(), datetime.now().time().replace(second=0, microsecond=0))
        return self._dialog("Log a contact", "Calls, letters, emails and visits, as they happen (policy 5.7).", [
            Field("at", "&When", "datetime", value=now),
            Field("kind", "&Kind", "choice", list(lists.labels("contact_kinds").items())),
            Field("direction", "&Direction", "choice", list(lists.labels("contact_directions").items())),
            Field("who", "W&ho", "text", help="Who it was with: the customer, their daughter, the OT, ..."),
            Field("summary", "&Summary", "multiline"),
            Field("follow_up_on", "&Follow up by", "date", value=self.today() + timedelta(days=7)),
            Field("needs_follow_up", "&Needs a follow-up", "check"),
            Field("telephone_assessment", "This call was the &telephone assessment (policy 5.5)", "check"),
        ], "&Log", lambda v: casework.log_contact(
            self.session, case_id, at=v["at"], kind=v["kind"], direction=v["direction"], who=v["who"],
            summary=v["summary"], today=self.today(),
            follow_up_on=v["follow_up_on"] if v["needs_follow_up"] else None,
            telephone_assessment=v["telephone_assessment"]))

    def follow_up_done(self) -> None:
        contact = self._selected_contact()
        if contact is None:
            return
        self.worker.submit(lambda: casework.follow_up_done(self.session, contact["id"], today=self.today()),
                           lambda _r: None, lambda error: self.message.setText(f"Not saved: {error}"))

