"""The admin print queue: signed packs not yet posted, by council and date.

Admin staff filter by council, search by reference, name or postcode, print a batch in one
print job and mark packs posted; the store audits each print and post.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.services import packs
from heart_desktop.ui.buttons import button_row, push_button
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.pack_preview import ask_printer
from heart_desktop.ui.print_job import start_print, target_for
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import fill_rows, listing_table


def _version(row: dict[str, Any]) -> str:
    """A pack's version number; a letter's title with its version (letters share the queue)."""
    if str(row.get("kind") or "application_pack") == "application_pack":
        return str(row["version"])
    return f"{row.get('title')} (letter) v{row['version']}"


COLUMNS = ("Council", "Reference", "Customer", "Postcode", "Signed", "Version", "Printed")


class PrintQueue(QDialog):
    refreshed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = session.worker
        self.rows: list[dict[str, Any]] = []
        self.setWindowTitle("Print queue: signed packs to print and post")
        self.setAccessibleName("Print queue")
        resize_within_screen(self, 1040, 560)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.council = QComboBox(self)
        self.council.setAccessibleName("Council")
        self.council.addItem("All councils", "")
        for code, name in session.councils().items():
            self.council.addItem(name, code)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search reference, name or postcode")
        self.search.setAccessibleName("Search the print queue")
        council_label = QLabel("&Council:", self)
        council_label.setBuddy(self.council)
        filters.addWidget(council_label)
        filters.addWidget(self.council)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)
        self.table = listing_table(self, COLUMNS, "Signed packs not yet posted", several=True)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.message = StatusLabel("", self)
        self.message.setAccessibleDescription("Print queue status")
        self.print_button = push_button("&Print selected…", self, "Print the selected packs", self.print_selected)
        self.posted_button = push_button("Mark p&osted", self, "Mark the selected packs posted", self.mark_posted)
        self.refresh_button = push_button("&Refresh", self, "Refresh the print queue", self.refresh)
        button_row(layout, (self.refresh_button, self.print_button, self.posted_button), self.message)
        self.council.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self.refresh)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)

    def refresh(self) -> None:
        council, search = str(self.council.currentData() or ""), self.search.text()
        self.worker.submit(lambda: packs.queue(self.session, council, search), self._show,
                           lambda error: self.message.setText(f"Cannot read the queue: {error}"))

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        fill_rows(self.table, [(row["id"], (row["council"], row["reference"], row.get("customer") or "",
                                            row.get("postcode") or "", officer_time(row.get("signed_at")),
                                            _version(row), officer_time(row.get("printed_at")) or "not yet"))
                               for row in rows])
        self.table.resizeColumnsToContents()
        self.message.setText(f"{len(rows)} pack{'s' if len(rows) != 1 else ''} to post")
        self.refreshed.emit()

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r]["id"] for r in rows]

    def print_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.message.setText("Select the packs to print first.")
            return
        refused = self.session.refusal("print_post")
        if refused:
            self.message.setText(f"Cannot print: {refused}")
            return
        self.worker.submit(lambda: packs.queue_bytes(self.session, ids), lambda pdfs: self._print(ids, pdfs),
                           lambda error: self.message.setText(f"Cannot print: {error}"))

    def _print(self, ids: list[str], pdfs: list[bytes]) -> None:
        printer = ask_printer(self, f"Print {len(ids)} application pack{'s' if len(ids) != 1 else ''}")
        if printer is None:
            return
        self.message.setText("Sending the packs to the printer…")
        self.print_job = start_print(self, pdfs, target_for(printer, "HEART application packs"))
        self.print_job.finished.connect(lambda _pages: self.worker.submit(
            lambda: packs.mark_printed(self.session, ids), None,
            lambda error: self.message.setText(f"Printed, but not recorded: {error}")))
        self.print_job.failed.connect(lambda message: self.message.setText(f"Not printed: {message}"))
        self.print_job.cancelled.connect(lambda: self.message.setText("Printing cancelled; nothing was recorded."))

    def mark_posted(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.message.setText("Select the packs that have been posted first.")
            return
        refused = self.session.refusal("print_post")
        if refused:
            self.message.setText(f"Not marked: {refused}")
            return
        self.worker.submit(lambda: packs.mark_posted(self.session, ids), None,
                           lambda error: self.message.setText(f"Not marked: {error}"))


def officer_time(value: Any) -> str:
    """An ISO time as an officer reads it (23/11/2026 14:05); blank when there is none."""
    text = str(value or "")
    if len(text) < 16:
        return text
    return f"{text[8:10]}/{text[5:7]}/{text[0:4]} {text[11:16]}"
