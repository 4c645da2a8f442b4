"""Printing the pack to a PDF file from the Documents tab: the PDF itself, as vectors, off the GUI thread."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from gui_steps import open_first_case, unlocked
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from heart_desktop.ui import pack_panel
from heart_desktop.ui.main_window import MainWindow


def test_print_to_file_is_a_small_vector_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "printed.pdf"

    def to_file(_parent: object, _title: str) -> QPrinter:  # the system dialog, answered "Print to file"
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output))
        return printer

    monkeypatch.setattr(pack_panel, "ask_printer", to_file)
    unlocked(qtbot, window)
    first = window.worker.call(lambda: window.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, window, first["reference"])
    panel = window.workspace.documents
    window.workspace.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.pack_shown, timeout=30_000):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.printed, timeout=30_000) as printed:
        qtbot.keyClick(panel.print_button, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert printed.args[0] == panel.preview.page_count()
    data = output.read_bytes()
    assert len(data) < 2_000_000
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == panel.preview.page_count()
    assert first["reference"] in reader.pages[0].extract_text()  # text, not a picture of text
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for image in page.images:  # photos may be there; a picture of the whole page may not
            assert image.image.width < 2 * width or image.image.height < 2 * height
        assert page.extract_text().strip()
