"""Printing off the GUI thread, with progress and Cancel: the PDF goes to the printer as PDF.

The system print dialog chooses the printer (or a PDF file), copies and page range; this module
turns that choice into a :class:`~heart_desktop.documents.print_output.PrintTarget` and sends the
packs on a thread of its own, so the window stays responsive while a batch prints.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from heart_desktop.documents.print_output import PrintCancelled, PrintTarget, send


def target_for(printer: QPrinter, title: str) -> PrintTarget:
    """What the print dialog chose, as a target that takes the PDF unchanged."""
    pages = None
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = (printer.fromPage(), max(printer.fromPage(), printer.toPage()))
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return PrintTarget(file=Path(printer.outputFileName()), title=title)
    return PrintTarget(printer=printer.printerName() or None, copies=printer.copyCount(), pages=pages, title=title)


class PrintJob(QObject):
    """One batch of PDFs on its way; ``finished(pages)``, ``failed(message)`` or ``cancelled`` ends it."""

    progress = Signal(int, int)  # packs sent, packs in the batch
    finished = Signal(int)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, pdfs: Sequence[bytes], target: PrintTarget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pdfs = list(pdfs)
        self.target = target
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="print-job", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def _run(self) -> None:
        try:
            pages = send(self.pdfs, self.target, lambda done, total: self.progress.emit(done, total),
                         self._cancel.is_set)
        except PrintCancelled:
            self.cancelled.emit()
        except Exception as exc:  # any failure is reported to the officer in words
            self.failed.emit(str(exc))
        else:
            self.finished.emit(pages)


def start_print(parent: QWidget, pdfs: Sequence[bytes], target: PrintTarget) -> PrintJob:
    """Start printing with a progress dialog whose Cancel stops before the next pack."""
    job = PrintJob(pdfs, target, parent)
    dialog = QProgressDialog(f"Sending {len(pdfs)} pack{'s' if len(pdfs) != 1 else ''} to "
                             f"{target.file or target.printer or 'the printer'}…", "Cancel", 0, len(pdfs), parent)
    dialog.setWindowTitle("Printing")
    dialog.setAccessibleName("Printing progress")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setValue(0)
    dialog.canceled.connect(job.cancel)
    job.progress.connect(lambda done, _total: dialog.setValue(done))
    for signal in (job.finished, job.failed, job.cancelled):
        signal.connect(dialog.reset)
        signal.connect(dialog.deleteLater)
    job.dialog = dialog  # type: ignore[attr-defined]  # kept for tests and for the job's life
    job.start()
    return job
