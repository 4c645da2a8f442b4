"""Showing and printing a PDF held in memory: QtPdf's view, and the system print dialog.

The print dialog chooses printer (or PDF file), copies and page range; ``ui.print_job`` then sends
the PDF itself, vectors and all, off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget


class PackPreview(QPdfView):
    """An in-app preview of PDF bytes (the buffer lives as long as the document shows)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Pack preview")
        self.pdf_document = QPdfDocument(self)
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
