"""The letters part of the Documents tab (issue 18): choose a letter, preview it in the tab's viewer,
sign it as the officer, by name or drawn on screen in the pack's signature pad (frozen with its
SHA-256 and logged in the contact log), print it, save its accessible HTML copy, and the case's
signed letters listed. Letters the case cannot have yet are offered with the reason
they are not available. The PDFs are built on the store worker."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from heart_desktop.services import letters, packs
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.pack_preview import PackPreview, ask_printer
from heart_desktop.ui.print_job import PrintJob, start_print, target_for
from heart_desktop.ui.print_queue import officer_time
from heart_desktop.ui.reflow import FlowLayout, pair
from heart_desktop.ui.session import Session
from heart_desktop.ui.sign_dialog import LetterSignDialog
from heart_desktop.ui.tables import fill_rows, listing_table


class LettersPanel(QGroupBox):
    previewed = Signal(str)  # kind
    signed = Signal(str)  # document id
    listed = Signal()
    html_saved = Signal(str)  # the file written

    def __init__(self, session: Session, preview: PackPreview, parent: QWidget | None = None) -> None:
        super().__init__("Letters to the customer", parent)
        self.session = session
        self.worker = session.worker
        self.preview = preview  # the tab's viewer shows the letter
        self.case_id: str | None = None
        self.shown: dict[str, Any] | None = None  # the letter in the viewer
        self.print_job: PrintJob | None = None
        self.sign_dialog: LetterSignDialog | None = None
        self.setAccessibleName("Letters to the customer")
        layout = QVBoxLayout(self)
        row = FlowLayout()
        label = QLabel("Letter:", self)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Letter")
        label.setBuddy(self.kind)
        self.preview_button = QPushButton("Preview letter", self)
        self.sign_button = QPushButton("Sign by name and save letter", self)
        self.draw_button = QPushButton("Sign on screen…", self)
        self.draw_button.setToolTip("Sign the letter on the signature pad, or by name from the keyboard")
        self.print_button = QPushButton("Print letter", self)
        self.html_button = QPushButton("Save HTML copy…", self)
        self.html_button.setToolTip("Save the letter as an HTML file, for those who read with their own software")
        for widget in (self.preview_button, self.sign_button, self.draw_button, self.print_button, self.html_button):
            widget.setAccessibleName(widget.text())
        row.addLayout(pair(label, self.kind))
        for widget in (self.preview_button, self.sign_button, self.draw_button, self.print_button, self.html_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = StatusLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Letter status")
        layout.addWidget(self.message)
        self.table = listing_table(self, ("Letter", "Version", "To", "Signed", "Signed by", "Printed", "SHA-256"),
                                   "Signed letters of the case")
        self.table.setMaximumHeight(150)
        layout.addWidget(self.table)
        for button in (self.sign_button, self.draw_button, self.print_button, self.html_button):
            button.setEnabled(False)
        self.preview_button.clicked.connect(self.preview_letter)
        self.sign_button.clicked.connect(self.sign_letter)
        self.draw_button.clicked.connect(self.start_signing)
        self.html_button.clicked.connect(lambda: self.save_html_copy())
        self.print_button.clicked.connect(self.print_letter)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.table.cellActivated.connect(self._open_signed)
        self.available: list[dict[str, Any]] = []
        self.rows: list[dict[str, Any]] = []

    def today(self) -> date:
        return self.session.today()

    def show_case(self, case_id: str) -> None:
        if case_id != self.case_id:
            self.case_id, self.shown = case_id, None
            for button in (self.sign_button, self.draw_button, self.print_button, self.html_button):
                button.setEnabled(False)
        day = self.today()
        self.worker.submit(lambda: (letters.available(self.session, case_id, today=day),
                                    letters.letters(self.session, case_id)),
                           lambda result: self._listed(case_id, *result),
                           lambda error: self.message.setText(f"Cannot read the letters: {error}"))

    def _listed(self, case_id: str, available: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
        if case_id != self.case_id:
            return
        chosen = self.kind.currentData()
        self.available, self.rows = available, rows
        self.kind.blockSignals(True)
        self.kind.clear()
        for item in available:
            self.kind.addItem(item["title"] + ("" if item["refusal"] is None else " (not yet)"), item["kind"])
        index = self.kind.findData(chosen)
        self.kind.setCurrentIndex(max(index, 0))
        self.kind.blockSignals(False)
        self._kind_chosen()
        fill_rows(self.table, [(r["id"], (r["title"], str(r["version"]), r.get("addressee") or "",
                                         officer_time(r.get("signed_at")), r.get("signed_by") or "",
                                         officer_time(r.get("printed_at")) or "not yet", str(r["sha256"])[:16]))
                               for r in rows])
        self.table.setColumnWidth(0, 300)
        self.table.setColumnWidth(3, 130)
        self.listed.emit()

    def _kind_chosen(self) -> None:
        item = next((a for a in self.available if a["kind"] == self.kind.currentData()), None)
        refusal = item["refusal"] if item else None
        self.preview_button.setEnabled(item is not None and refusal is None)
        self.message.setText(f"Not available yet: {refusal}." if refusal else "")

    def preview_letter(self) -> None:
        if self.case_id is None or not self.kind.currentData():
            return
        case_id, kind, day = self.case_id, str(self.kind.currentData()), self.today()
        self.message.setText("Building the letter…")
        self.worker.submit(lambda: letters.preview(self.session, case_id, kind, today=day), self._shown, self._failed)

    def _shown(self, result: dict[str, Any]) -> None:
        self.shown = result
        self.preview.show_pdf(result["pdf"])
        state = "signed and saved" if result["signed"] else "preview, not signed"
        pages = f"{result['pages']} pages, " if isinstance(result.get("pages"), int) else ""
        self.message.setText(f"{result['title']}, to {result['addressee']} ({pages}{state}).")
        self.sign_button.setEnabled(not result["signed"])
        self.draw_button.setEnabled(not result["signed"])
        self.print_button.setEnabled(True)
        self.html_button.setEnabled(True)
        if result["signed"]:
            self.signed.emit(result["document"]["id"])
        else:
            self.previewed.emit(result["kind"])

    def sign_letter(self) -> None:
        """Sign the letter shown by the officer's name, at once."""
        self._sign({"method": "by_name", "name": self.session.officer,
                    "signed_at": datetime.now().replace(microsecond=0).isoformat()})

    def start_signing(self) -> None:
        """The sign dialog: the officer signs on the pad, or by name from the keyboard."""
        if self.shown is None or self.shown.get("signed"):
            return
        dialog = LetterSignDialog(self.shown["title"], self.session.officer, self)
        dialog.accepted.connect(lambda: self._sign(dialog.signature()))
        self.sign_dialog = dialog
        dialog.open()

    def _sign(self, signature: dict[str, Any] | None) -> None:
        if signature is None or self.case_id is None or self.shown is None or self.shown.get("signed"):
            return
        case_id, kind, day = self.case_id, self.shown["kind"], self.today()
        at = datetime.fromisoformat(signature["signed_at"]).replace(tzinfo=None, microsecond=0)
        if at.date() != day:  # the letter's day is the session's (tests and back-dated letters)
            at = datetime.combine(day, at.time())
        signature = {**signature, "signed_at": at.isoformat()}
        self.message.setText("Signing and saving the letter…")
        self.worker.submit(lambda: {**letters.sign(self.session, case_id, kind, signature, today=day), "kind": kind},
                           self._signed, self._failed)

    def _signed(self, result: dict[str, Any]) -> None:
        self._shown(result)
        if self.case_id:
            self.show_case(self.case_id)

    def _open_signed(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is None:
            return
        from PySide6.QtCore import Qt

        document_id = str(item.data(Qt.ItemDataRole.UserRole))
        chosen = next((r for r in self.rows if r["id"] == document_id), None)
        if chosen is None:
            return
        self.worker.submit(lambda: letters.content(self.session, document_id),
                           lambda pdf: self._shown({"pdf": pdf, "title": chosen["title"], "pages": None,
                                                    "addressee": chosen.get("addressee"), "signed": True,
                                                    "kind": chosen["kind"], "document": {"id": document_id}}),
                           self._failed)

    def save_html_copy(self, path: str | None = None) -> None:
        """Write the letter's accessible HTML copy (as ``heart-desktop letter --html`` writes it)."""
        if self.case_id is None or self.shown is None:
            return
        kind = str(self.shown["kind"])
        # a signed letter's copy is of that letter, with its signature; else of the preview
        document_id = str(self.shown["document"]["id"]) if self.shown.get("signed") else None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, "Save an HTML copy of the letter",
                                                        f"letter-{kind}.html", "HTML (*.html)")
        if not path:
            return
        case_id, target, day = self.case_id, Path(path), self.today()

        def write() -> str:
            target.write_text(letters.html_copy(self.session, case_id, kind, today=day, document_id=document_id),
                              encoding="utf-8")
            return str(target)

        self.worker.submit(write, self._html_saved,
                           lambda error: self.message.setText(f"The HTML copy was not saved: {error}"))

    def _html_saved(self, path: str) -> None:
        self.message.setText(f"HTML copy of the letter saved as {path}.")
        self.html_saved.emit(path)

    def print_letter(self) -> None:
        shown = self.shown
        if not shown or self.case_id is None:
            return
        printer = ask_printer(self, f"Print the letter: {shown['title']}")
        if printer is None:
            return
        case_id = self.case_id
        document_id = shown["document"]["id"] if shown.get("signed") else None
        self.print_job = start_print(self, [shown["pdf"]], target_for(printer, shown["title"]))
        self.print_job.finished.connect(lambda pages: self._printed(case_id, document_id, pages))
        self.print_job.failed.connect(lambda message: self.message.setText(f"Not printed: {message}"))

    def _printed(self, case_id: str, document_id: str | None, pages: int) -> None:
        self.message.setText(f"Sent {pages} pages to the printer.")
        if document_id:
            self.worker.submit(lambda: packs.mark_printed(self.session, [document_id]),
                               lambda _n: self.show_case(case_id), self._failed)
        else:
            self.worker.submit(lambda: packs.audit_print(self.session, case_id, {"letter": True, "pages": pages}),
                               None, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(str(error))
