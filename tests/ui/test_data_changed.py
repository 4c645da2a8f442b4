"""The one "data changed" signal in the window: a pack printed from the admin print queue shows as
printed on the open case's Documents tab without reopening it, and a note saved shows in the list."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_steps import open_first_case, unlocked
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from heart_desktop.documents.demo_packs import sign_demo_packs
from heart_desktop.services import packs
from heart_desktop.ui import print_queue
from heart_desktop.ui.main_window import MainWindow


def test_printing_from_the_queue_updates_the_documents_tab(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def to_file(_parent: object, _title: str) -> QPrinter:
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "queue.pdf"))
        return printer

    monkeypatch.setattr(print_queue, "ask_printer", to_file)
    unlocked(qtbot, window)
    window.worker.call(lambda: sign_demo_packs(window.session.store, limit=1))  # an admin's queue of one
    queue = window.worker.call(lambda: packs.queue(window.session, None, None))
    waiting = next(row for row in queue if not row.get("printed_at"))
    open_first_case(qtbot, window, waiting["reference"])
    documents = window.workspace.documents
    window.workspace.tabs.setCurrentWidget(documents)
    qtbot.waitUntil(lambda: documents.versions.rowCount() > 0, timeout=10_000)
    assert documents.versions.item(0, 2).text() == "not yet"

    window.show_print_queue()
    dialog = window.print_queue
    qtbot.waitUntil(lambda: any(row["id"] == waiting["id"] for row in dialog.rows), timeout=10_000)
    dialog.table.selectRow(next(i for i, row in enumerate(dialog.rows) if row["id"] == waiting["id"]))
    dialog.print_selected()
    qtbot.waitUntil(lambda: documents.versions.item(0, 2).text() == "printed", timeout=30_000)
    qtbot.waitUntil(lambda: all(row["id"] != waiting["id"] or row.get("printed_at") for row in dialog.rows),
                    timeout=10_000)  # the queue itself shows the print too


def test_a_saved_note_shows_through_the_signal(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    first = window.worker.call(lambda: window.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, window, first["reference"])
    workspace = window.workspace
    before = workspace.notes.count()
    workspace.note_text.setPlainText("Customer asked for a large-print copy")
    workspace._add_note()
    qtbot.waitUntil(lambda: workspace.notes.count() == before + 1, timeout=10_000)
    assert workspace.note_text.toPlainText() == ""
