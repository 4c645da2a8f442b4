"""A manager's view of the audit trail: a case's access history (who, when, on which laptop, what
and why), and Reports > Export audit for a period… (this laptop's entries, in the office export's
CSV or JSON shape). Both read through ``services/audit.py``, which refuses any role but a manager;
the app offers them only to managers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.services import audit
from heart_desktop.ui.buttons import button_row, file_row, push_button
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import fill_rows, listing_table

COLUMNS = ("When", "Who", "Laptop", "What", "Why")


def _when(stamp: str) -> str:
    return str(stamp or "")[:19].replace("T", " ")


class AccessHistoryDialog(QDialog):
    """Case > Access history…: every entry of the case, newest first."""

    def __init__(self, session: Session, case_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker, self.case_id = session, session.worker, case_id
        self.rows: list[dict[str, Any]] = []
        self.setWindowTitle(f"Access history — {title}")
        self.setAccessibleName("Access history")
        resize_within_screen(self, 980, 460)
        layout = QVBoxLayout(self)
        intro = QLabel("Who opened, changed, signed, printed or exported this case: when, on which laptop, and "
                       "why.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # whose entries these are (the office's copy, or this laptop's only): read by its words
        self.source = StatusLabel("", self, kind="Where the entries come from")
        self.source.setMinimumHeight(self.source.fontMetrics().lineSpacing() * 2)
        layout.addWidget(self.source)
        self.table = listing_table(self, COLUMNS, "Access history entries")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.message = StatusLabel("Reading the history…", self, kind="Access history message")
        self.close_button = push_button("Close", self, "Close the access history", self.accept)
        button_row(layout, (self.close_button,), self.message)

    def refresh(self) -> None:
        session, case_id = self.session, self.case_id
        self.worker.submit(lambda: audit.case_history_everywhere(session._store(), case_id, session.role),
                           self._show, lambda error: self.message.setText(f"Cannot show the history: {error}"))

    def _show(self, found: tuple[list[dict[str, Any]], str]) -> None:
        rows, source = found
        self.rows = rows
        self.source.setText(source)
        fill_rows(self.table, [(str(row["seq"]), (_when(row["at"]), row["officer"] or "", row["device_id"] or "",
                                                  row["what"], row["reason"] or ""))
                               for row in rows])
        self.message.setText(f"{len(rows)} entr{'ies' if len(rows) != 1 else 'y'}, newest first"
                             if rows else "Nothing is recorded for this case yet.")
        if rows:
            self.table.selectRow(0)
        self.table.setFocus()


class AuditExportDialog(QDialog):
    """Reports > Export audit for a period…: the laptop's entries of the period to a CSV or JSON file."""

    def __init__(self, session: Session, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, session.worker
        self.setWindowTitle("Export audit for a period")
        self.setAccessibleName("Export audit for a period")
        resize_within_screen(self, 620, 220)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        day = today or session.today()
        self.start = QDateEdit(QDate(day.year, day.month, 1), self)
        self.end = QDateEdit(QDate(day.year, day.month, day.day), self)
        for edit, name in ((self.start, "First day of the period"), (self.end, "Last day of the period")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setAccessibleName(name)
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        self.path, self.choose = file_row(form, self, "File to write (.csv or .json)", "audit.csv", "Choose the file",
                                          self._choose)
        layout.addLayout(form)
        self.message = StatusLabel("The entries of this laptop; the office's export (heart-central audit-export) "
                                  "has every laptop's.", self, kind="Export message")
        layout.addWidget(self.message, 1)
        self.export_button = push_button("&Export", self, "Export the audit entries", self.export, default=True)
        self.close_button = push_button("Close", self, "Close", self.reject)
        button_row(layout, (self.export_button, self.close_button))
        self.result: dict[str, Any] | None = None

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, "Export audit to", self.path.text() or "audit.csv",
                                                      "CSV (*.csv);;JSON (*.json)")
        if chosen:
            self.path.setText(chosen)

    def export(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.message.setText("Not exported: choose the file to write (.csv or .json)")
            self.path.setFocus()
            return
        start, end = self.start.date().toPython(), self.end.date().toPython()
        session, out = self.session, Path(text)
        self.export_button.setEnabled(False)
        self.worker.submit(lambda: audit.export_period(session._store(), start, end, out, session.role),
                           self._done, self._failed)

    def _done(self, result: dict[str, Any]) -> None:
        self.result = result
        self.export_button.setEnabled(True)
        state = "the trail's chain holds" if result["intact"] else "THE TRAIL'S CHAIN IS BROKEN: tell IT"
        self.message.setText(f"Exported {result['entries']} entries to {result['out']}; {state}.")

    def _failed(self, error: Any) -> None:
        self.export_button.setEnabled(True)
        self.message.setText(f"Not exported: {error}")
