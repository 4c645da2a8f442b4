"""The Documents tab: generate and preview the pack, sign it with the mouse on the pad, find the
strokes in the frozen PDF as vector paths, then print and post it from the admin print queue."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from gui_steps import open_first_case, unlocked
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from heart_desktop.store.packs import Packs
from heart_desktop.ui import print_queue
from heart_desktop.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).parent.parent / "documents"))
from pdftext import line_to_count

SCRIBBLE = [QPoint(30, 70), QPoint(60, 40), QPoint(90, 80), QPoint(120, 45), QPoint(150, 75), QPoint(190, 50)]


def _draw(qtbot: QtBot, pad: object) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=SCRIBBLE[0])
    for point in SCRIBBLE[1:]:
        qtbot.mouseMove(pad, point)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=SCRIBBLE[-1])


def test_sign_with_the_mouse_and_find_the_strokes_in_the_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    win = window
    unlocked(qtbot, win)
    first = win.worker.call(lambda: win.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, win, first["reference"])
    workspace = win.workspace
    assert workspace is not None
    panel = workspace.documents
    workspace.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.pack_shown, timeout=30_000):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    assert panel.preview.page_count() >= 8
    assert "Not signed" in panel.status.text()

    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    dialog = panel.sign_dialog
    assert dialog is not None and dialog.isVisible()
    assert "true and complete" in dialog.declaration.toPlainText()
    assert not dialog.sign_button.isEnabled()  # nobody has signed yet
    pad = dialog.signers["applicant"].pad
    _draw(qtbot, pad)
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) == len(SCRIBBLE)
    assert dialog.sign_button.isEnabled()
    with qtbot.waitSignal(panel.signed, timeout=30_000) as signed:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    document_id = signed.args[0]
    assert "Signed: version 1" in panel.status.text()

    store = win.session.store
    row, pdf = win.worker.call(lambda: (store.documents.get(document_id), Packs(store).content(document_id)))
    stored = row["signatures"][0]
    assert stored["role"] == "applicant" and len(stored["strokes"][0]) == len(SCRIBBLE)
    from heart_desktop.documents.model import from_store
    from heart_desktop.documents.pack import build_pack

    unsigned = win.worker.call(lambda: build_pack(from_store(store, first["id"])))
    pages = range(1, unsigned.pages + 1)
    added = sum(line_to_count(pdf, p) for p in pages) - sum(line_to_count(unsigned.pdf, p) for p in pages)
    # one path of len(SCRIBBLE) - 1 line-to operators in each of the applicant's boxes (application,
    # certificates, conditions, consent): at least four, and nothing else added
    assert added >= (len(SCRIBBLE) - 1) * 4 and added % (len(SCRIBBLE) - 1) == 0, added

    # the admin print queue: print to a PDF file instead of a printer, then mark posted
    output = tmp_path / "printed.pdf"

    def to_file(_parent: object, _title: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output))
        return printer

    monkeypatch.setattr(print_queue, "ask_printer", to_file)
    win.print_queue_action.trigger()
    queue = win.print_queue
    assert queue is not None
    qtbot.waitUntil(lambda: any(r["id"] == document_id for r in queue.rows), timeout=10_000)
    queue.search.setText(first["reference"])
    qtbot.waitUntil(lambda: [r["id"] for r in queue.rows] == [document_id], timeout=10_000)
    queue.table.selectRow(0)
    qtbot.mouseClick(queue.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(queue.rows and queue.rows[0]["printed_at"]), timeout=30_000)
    assert output.exists() and output.read_bytes().startswith(b"%PDF")
    queue.table.selectRow(0)
    qtbot.mouseClick(queue.posted_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue.rows == [], timeout=10_000)
    actions = win.worker.call(lambda: [a["action"] for a in store.audit.read(first["id"])])
    assert {"sign", "print", "post"} <= set(actions)


def test_large_print_is_chosen_per_case_and_the_html_copy_saved(qtbot: QtBot, window: MainWindow,
                                                               tmp_path: Path) -> None:
    from pdftext import font_sizes

    win = window
    unlocked(qtbot, win)
    first = win.worker.call(lambda: win.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, win, first["reference"])
    workspace = win.workspace
    assert workspace is not None
    panel = workspace.documents
    workspace.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.large_print.isEnabled, timeout=10_000)
    assert not panel.large_print.isChecked()
    with qtbot.waitSignal(panel.pack_shown, timeout=30_000):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    standard_pages = panel.preview.page_count()
    panel.large_print.setFocus()
    with qtbot.waitSignal(panel.pack_shown, timeout=60_000):  # the preview is made again in large print
        qtbot.keyClick(panel.large_print, Qt.Key.Key_Space)
    assert panel.preview.page_count() > standard_pages
    assert min(font_sizes(panel.preview.pdf)) >= 16
    store = win.session.store
    assert win.worker.call(lambda: store.cases.get(first["id"])["large_print"]) is True  # remembered, synced
    journal = win.worker.call(lambda: store.conn.execute(
        "SELECT count(*) FROM journal WHERE entity = 'case' AND entity_id = ? AND changes LIKE '%large_print%'",
        (first["id"],)).fetchone()[0])
    assert journal >= 1
    target = tmp_path / "copy.html"
    with qtbot.waitSignal(panel.html_saved, timeout=30_000):
        panel.save_html_copy(str(target))
    assert '<html lang="en-GB"' in target.read_text(encoding="utf-8")
