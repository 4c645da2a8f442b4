"""The Documents tab's letters: choose the acknowledgement, preview it in the tab's viewer, sign it
by name, and find it listed, frozen with its SHA-256 and logged in the contact log."""

from __future__ import annotations

import hashlib
from datetime import date

from gui_steps import open_first_case, unlocked
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from heart_desktop.documents.letters import KINDS
from heart_desktop.store.letters import Letters
from heart_desktop.ui.main_window import MainWindow


def test_produce_a_letter_from_the_documents_tab(qtbot: QtBot, window: MainWindow) -> None:
    win = window
    unlocked(qtbot, win)
    win.session.today = lambda: date(2026, 11, 30)
    first = win.worker.call(lambda: win.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, win, first["reference"])
    workspace = win.workspace
    assert workspace is not None
    panel = workspace.documents.letters
    workspace.tabs.setCurrentWidget(workspace.documents)
    qtbot.waitUntil(lambda: panel.kind.count() == len(KINDS), timeout=30_000)
    assert panel.kind.accessibleName() == "Letter" and panel.preview_button.accessibleName() == "Preview letter"
    panel.kind.setCurrentIndex(panel.kind.findData("acknowledgement"))
    assert panel.preview_button.isEnabled() and not panel.sign_button.isEnabled()
    with qtbot.waitSignal(panel.previewed, timeout=30_000):
        qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    assert workspace.documents.preview.page_count() >= 1
    assert "preview, not signed" in panel.message.text()
    with qtbot.waitSignal(panel.signed, timeout=30_000) as signed:
        qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    document_id = signed.args[0]
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    assert panel.table.item(0, 0).text() == "We have received your enquiry"
    store = win.session.store
    row, pdf, contacts = win.worker.call(lambda: (store.documents.get(document_id),
                                                  Letters(store).content(document_id),
                                                  store.contacts.for_case(first["id"])))
    assert row["kind"] == "letter_acknowledgement" and hashlib.sha256(pdf).hexdigest() == row["sha256"]
    assert row["signatures"][0]["name"] == win.session.officer
    assert any(c["kind"] == "letter" and c["summary"].startswith("Letter sent: We have received") for c in contacts)
    # a letter the case cannot have yet is offered with its reason, and cannot be previewed
    panel.kind.setCurrentIndex(panel.kind.findData("completion"))
    if "(not yet)" in panel.kind.currentText():
        assert not panel.preview_button.isEnabled() and "Not available yet" in panel.message.text()
