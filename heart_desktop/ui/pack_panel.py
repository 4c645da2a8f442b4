"""The case's Documents tab: generate the application pack, preview it, sign it, print it; and the
customer's letters (``letters_panel``), shown in the same viewer.

The PDF is built on the store worker (never on the GUI thread). The status line says whether
the pack is signed and whether the case data has changed since it was signed; a changed pack
must be generated and signed again (the signed bytes themselves never change).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.services import packs
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.letters_panel import LettersPanel
from heart_desktop.ui.pack_preview import PackPreview, ask_printer
from heart_desktop.ui.print_job import PrintJob, start_print, target_for
from heart_desktop.ui.print_queue import officer_time
from heart_desktop.ui.reflow import FlowLayout, Splitter
from heart_desktop.ui.session import Session
from heart_desktop.ui.sign_dialog import SignDialog
from heart_desktop.ui.tables import fill_rows, listing_table


class PackPanel(QWidget):
    pack_shown = Signal()
    signed = Signal(str)  # document id
    status_shown = Signal()
    printed = Signal(int)  # pages sent
    html_saved = Signal(str)  # the file written

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = session.worker
        self.case_id: str | None = None
        self.info: dict[str, Any] = {}
        self.shown_signed: str | None = None  # document id when the preview shows a signed version
        self.sign_dialog: SignDialog | None = None
        self.print_job: PrintJob | None = None
        self.setAccessibleName("Application pack")
        layout = QVBoxLayout(self)
        self.status = StatusLabel("Generate the pack to preview it.", self)
        self.status.setObjectName("packStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleDescription("Pack status")
        layout.addWidget(self.status)
        buttons = FlowLayout()
        self.generate_button = QPushButton("&Generate pack", self)
        self.sign_button = QPushButton("S&ign…", self)
        self.print_button = QPushButton("Prin&t…", self)
        self.open_signed_button = QPushButton("Open signed &version", self)
        self.open_signed_button.setToolTip("Show the signed version chosen in the list, to read or reprint it "
                                           "(Enter or a double-click on the list does the same)")
        self.html_button = QPushButton("HTML copy to &read on screen…", self)
        self.html_button.setToolTip("Save the customer's documents as one HTML file, for those who read with their "
                                    "own software (a screen reader, their own text size and colours)")
        for button, name in ((self.generate_button, "Generate the application pack"),
                             (self.sign_button, "Read the declaration and sign the pack"),
                             (self.print_button, "Print the pack shown"),
                             (self.open_signed_button, "Open signed version"),
                             (self.html_button, "Save an HTML copy of the documents")):
            button.setAccessibleName(name)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.large_print = QCheckBox("&Large print (16 pt)", self)
        self.large_print.setAccessibleName("Large print for this customer (16 point, remembered on the case)")
        self.large_print.setToolTip("This customer's pack and letters in large print: at least 16 point, reflowed "
                                    "to the page. Remembered on the case; generate the pack again to see it.")
        self.large_print.setEnabled(False)
        layout.addWidget(self.large_print)
        split = Splitter(self)
        self.versions = listing_table(split, ("Signed version", "Signed at", "Printed", "SHA-256"),
                                      "Signed versions of the pack")
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.preview = PackPreview(split)
        split.addWidget(self.versions)
        split.addWidget(self.preview)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 900])
        self.versions.setColumnWidth(0, 110)
        self.versions.setColumnWidth(1, 140)
        self.versions.setColumnWidth(2, 80)
        layout.addWidget(split, 1)
        self.letters = LettersPanel(session, self.preview, self)
        layout.addWidget(self.letters)
        self.sign_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.generate_button.clicked.connect(self.generate)
        self.sign_button.clicked.connect(self.start_signing)
        self.print_button.clicked.connect(self.print_shown)
        self.versions.cellActivated.connect(self._open_version)
        self.open_signed_button.setEnabled(False)
        self.open_signed_button.clicked.connect(self.open_selected_version)
        self.versions.itemSelectionChanged.connect(self._version_selection_changed)
        self.large_print.toggled.connect(self._large_print_chosen)
        self.html_button.clicked.connect(self.save_html_copy)

    # --- loading ---------------------------------------------------------------------------------

    def show_case(self, case_id: str) -> None:
        """Refresh the status for a case (on load and after every change)."""
        if case_id != self.case_id:
            self.case_id = case_id
            self.preview.show_pdf(b"")
            self.print_button.setEnabled(False)
            self.sign_button.setEnabled(False)
            self.shown_signed = None
        self.letters.show_case(case_id)
        self.worker.submit(lambda: packs.status(self.session, case_id), self._status,
                           lambda error: self.status.setText(f"Cannot read the pack status: {error}"))

    def generate(self) -> None:
        if self.case_id is None:
            return
        case_id = self.case_id
        self.generate_button.setEnabled(False)
        self.status.setText("Building the pack…")
        self.worker.submit(lambda: packs.build(self.session, case_id), self._built, self._failed)

    def _built(self, result: dict[str, Any]) -> None:
        self.generate_button.setEnabled(True)
        if result["case_id"] != self.case_id:
            return
        self.shown_signed = None
        self.preview.show_pdf(result["pdf"])
        self._status(result)
        self.sign_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.pack_shown.emit()

    def _failed(self, error: BaseException) -> None:
        self.generate_button.setEnabled(True)
        self.status.setText(f"The pack could not be made: {error}")

    def _status(self, info: dict[str, Any]) -> None:
        if info["case_id"] != self.case_id:
            return
        self.info = {k: v for k, v in info.items() if k != "pdf"}
        signed = info.get("signed")
        if signed is None:
            text = "Not signed yet. Generate the pack, read the declaration and sign."
        elif info["changed_since_signed"]:
            when = officer_time(signed["signed_at"])
            text = (f"CHANGED SINCE SIGNED: version {signed['version']} was signed on {when}, "
                    "and the case data it shows has changed since. Generate and sign a new version.")
        else:
            text = f"Signed: version {signed['version']}, {officer_time(signed['signed_at'])}. The pack is frozen."
        if info.get("uncaptioned"):
            count = int(info["uncaptioned"])
            text += (f" {count} photo{'s have' if count > 1 else ' has'} no caption: give each one on the Photos "
                     "tab, as it is read aloud to people who cannot see the photo.")
        self.status.setText(text)
        self.status.setProperty("changed", bool(info.get("changed_since_signed")))
        self.large_print.blockSignals(True)
        self.large_print.setChecked(bool(info.get("large_print")))
        self.large_print.blockSignals(False)
        self.large_print.setEnabled(True)
        fill_rows(self.versions, [(row["id"], (str(row["version"]), officer_time(row.get("signed_at")),
                                               "posted" if row.get("posted_at")
                                               else "printed" if row.get("printed_at") else "not yet",
                                               str(row["sha256"])[:16]))
                                  for row in info.get("versions") or []])
        if self.versions.rowCount() and self.versions.currentRow() < 0:
            self.versions.selectRow(0)
        self.open_signed_button.setEnabled(self.versions.rowCount() > 0)
        self.status_shown.emit()

    def _version_selection_changed(self) -> None:
        self.open_signed_button.setEnabled(self.versions.currentRow() >= 0 and self.versions.rowCount() > 0)

    def open_selected_version(self) -> None:
        """The visible way to reopen a signed version (the list's first row when none is chosen)."""
        if self.versions.rowCount() == 0:
            return
        self._open_version(max(self.versions.currentRow(), 0), 0)

    def _open_version(self, row: int, _column: int) -> None:
        item = self.versions.item(row, 0)
        if item is None:
            return
        document_id = str(item.data(256))
        self.worker.submit(lambda: packs.signed_bytes(self.session, document_id),
                           lambda pdf: self._show_signed(document_id, pdf), self._failed)

    def _show_signed(self, document_id: str, pdf: bytes) -> None:
        self.shown_signed = document_id
        self.preview.show_pdf(pdf)
        self.print_button.setEnabled(True)
        self.pack_shown.emit()

    def _large_print_chosen(self, large: bool) -> None:
        if self.case_id is None:
            return
        case_id = self.case_id
        self.worker.submit(lambda: packs.set_large_print(self.session, case_id, large), self._print_size_kept,
                           lambda error: self.status.setText(f"The print size was not kept: {error}"))

    def _print_size_kept(self, info: dict[str, Any]) -> None:
        self._status(info)
        if info["case_id"] == self.case_id and self.preview.pdf and self.shown_signed is None:
            self.generate()  # the preview shows the unsigned pack in the size chosen

    def save_html_copy(self, path: str | None = None) -> None:
        """Write the HTML copy of the documents to a file the officer chooses."""
        if self.case_id is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, "Save an HTML copy of the documents",
                                                        "application-pack.html", "HTML (*.html)")
        if not path:
            return
        case_id, target = self.case_id, Path(path)

        def write() -> str:
            target.write_text(packs.html_copy(self.session, case_id), encoding="utf-8")
            return str(target)

        self.worker.submit(write, self._html_saved,
                           lambda error: self.status.setText(f"The HTML copy was not saved: {error}"))

    def _html_saved(self, path: str) -> None:
        self.status.setText(f"HTML copy saved as {path}.")
        self.html_saved.emit(path)

    # --- signing ---------------------------------------------------------------------------------

    def start_signing(self) -> None:
        from heart_desktop.domain.conditions import declaration

        text, section = declaration()
        names = {"applicant": str(self.info.get("applicant") or ""), "officer": str(self.info.get("officer") or "")}
        dialog = SignDialog(f"{text}\n\n(policy {section})", names, bool(self.info.get("tenant")), self,
                            photos=self.info.get("photos") or ())
        dialog.accepted.connect(lambda: self._sign(dialog.signatures()))
        self.sign_dialog = dialog
        dialog.open()

    def _sign(self, signatures: list[dict[str, Any]]) -> None:
        if self.case_id is None or not signatures:
            return
        case_id = self.case_id
        self.status.setText("Signing and freezing the pack…")
        self.worker.submit(lambda: packs.sign(self.session, case_id, signatures), self._signed, self._failed)

    def _signed(self, result: dict[str, Any]) -> None:
        if result["case_id"] != self.case_id:
            return
        self._show_signed(result["document"]["id"], result["pdf"])
        self._status(result)
        self.signed.emit(result["document"]["id"])

    # --- printing --------------------------------------------------------------------------------

    def print_shown(self) -> None:
        pdf = self.preview.pdf
        if not pdf or self.case_id is None:
            return
        printer = ask_printer(self, "Print the application pack")
        if printer is None:
            return
        case_id, document_id = self.case_id, self.shown_signed
        self.status.setText("Sending the pack to the printer…")
        self.print_job = start_print(self, [pdf], target_for(printer, "HEART application pack"))
        self.print_job.finished.connect(lambda pages: self._printed(case_id, document_id, pages))
        self.print_job.failed.connect(lambda message: self.status.setText(f"Not printed: {message}"))
        self.print_job.cancelled.connect(lambda: self.status.setText("Printing cancelled."))

    def _printed(self, case_id: str, document_id: str | None, pages: int) -> None:
        self.status.setText(f"Sent {pages} pages to the printer.")
        self.printed.emit(pages)
        if document_id:
            self.worker.submit(lambda: packs.mark_printed(self.session, [document_id]),
                               lambda _n: self.show_case(case_id), self._failed)
        else:
            self.worker.submit(lambda: packs.audit_print(self.session, case_id, {"signed": False, "pages": pages}),
                               None, self._failed)
