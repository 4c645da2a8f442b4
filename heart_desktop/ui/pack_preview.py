"""Showing and printing a PDF held in memory: QtPdf's view, and the system print dialog.

The print dialog chooses printer (or PDF file), copies and page range; ``ui.print_job`` then sends
the PDF itself, vectors and all, off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QAccessible, QHideEvent, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from heart_desktop.ui import accessible_roles

DESCRIBED_CHARACTERS = 4000  # the pages' text a screen reader is given (the PDF itself is tagged)


class PackPreview(QPdfView):
    """An in-app preview of PDF bytes (the buffer lives as long as the document shows). To
    assistive technology it is a document (not a filler) named "Pack preview, N pages" whose
    description is the pages' text, so a screen reader can read what the picture shows."""

    ACCESSIBLE_ROLE = QAccessible.Role.Document

    def __init__(self, parent: QWidget | None = None) -> None:
        accessible_roles.install()
        super().__init__(parent)
        self.setAccessibleName("Pack preview: nothing shown yet")
        self.pdf_document = QPdfDocument(self)
        self.pdf_document.statusChanged.connect(self._describe)
        self.setDocument(self.pdf_document)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None
        self.pdf = b""

    def show_pdf(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.pdf_document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf_document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer

    def page_text(self) -> str:
        """The text of every page, page by page (what the preview's description carries)."""
        pages = []
        for page in range(self.pdf_document.pageCount()):
            text = " ".join(self.pdf_document.getAllText(page).text().split())
            pages.append(f"Page {page + 1}: {text}")
        return "\n".join(pages)

    def _describe(self) -> None:
        if self.pdf_document.status() != QPdfDocument.Status.Ready:
            return
        count = self.pdf_document.pageCount()
        self.setAccessibleName(f"Pack preview, {count} page{'s' if count != 1 else ''}")
        self.setAccessibleDescription(self.page_text()[:DESCRIBED_CHARACTERS])

    def page_count(self) -> int:
        return self.pdf_document.pageCount()

    # QPdfView renders pages on a thread; destroying it with a document attached (window closed,
    # app quitting) has crashed Qt 6.11 in the next event loop. Detach whenever the view is hidden.
    def showEvent(self, event: QShowEvent) -> None:
        if self.document() is None:
            self.setDocument(self.pdf_document)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.setDocument(None)
        super().hideEvent(event)


def load(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    document = QPdfDocument(parent)
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document, buffer


def ask_printer(parent: QWidget | None, title: str) -> QPrinter | None:
    """The system print dialog; None when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer
