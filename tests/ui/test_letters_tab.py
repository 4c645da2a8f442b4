"""The Documents tab's letters: choose the acknowledgement, preview it in the tab's viewer, sign it
by name, and find it listed, frozen with its SHA-256 and logged in the contact log."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from datetime import date
from pathlib import Path

from gui_steps import open_first_case, unlocked
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from heart_desktop.documents.letters import KINDS
from heart_desktop.store.letters import Letters
from heart_desktop.ui.letters_panel import LettersPanel
from heart_desktop.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).parent.parent / "documents"))


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


SCRIBBLE = [QPoint(30, 70), QPoint(60, 40), QPoint(90, 80), QPoint(120, 45), QPoint(150, 75), QPoint(190, 50)]
DAY = date(2026, 11, 30)


def _shot(widget: object, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def _open_letter(qtbot: QtBot, win: MainWindow, kind: str) -> tuple[dict, LettersPanel]:
    """Open the first case (by reference) that can have a ``kind`` letter on DAY, and preview it."""
    from heart_desktop.services import letters
    from heart_desktop.store.demo import record_demo_decisions

    unlocked(qtbot, win)
    win.session.today = lambda: DAY
    store = win.session.store

    def first_that_can() -> dict:
        record_demo_decisions(store)
        for case in store.cases.page(0, 200, sort="reference"):
            if not [a for a in letters.available(win.session, case["id"], today=DAY, kinds=(kind,)) if a["refusal"]]:
                return case
        raise AssertionError(f"no demo case can have a {kind} letter")

    case = win.worker.call(first_that_can)
    open_first_case(qtbot, win, case["reference"])
    workspace = win.workspace
    assert workspace is not None
    panel = workspace.documents.letters
    workspace.tabs.setCurrentWidget(workspace.documents)
    qtbot.waitUntil(lambda: panel.kind.count() == len(KINDS), timeout=30_000)
    panel.kind.setCurrentIndex(panel.kind.findData(kind))
    assert not panel.draw_button.isEnabled() and not panel.html_button.isEnabled()
    with qtbot.waitSignal(panel.previewed, timeout=30_000):
        qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    return case, panel


def test_sign_a_letter_by_drawing_on_the_pad(qtbot: QtBot, window: MainWindow) -> None:
    from pdftext import line_to_count, page_texts

    from heart_desktop.services import letters

    win = window
    case, panel = _open_letter(qtbot, win, "acknowledgement")
    assert panel.draw_button.isEnabled() and panel.draw_button.accessibleName() == "Sign on screen…"
    qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    dialog = panel.sign_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.how.currentData() == "drawn" and not dialog.sign_button.isEnabled()
    # the keyboard alternative is offered: by name, confirmed with a check box, no pointer needed
    dialog.how.setCurrentIndex(dialog.how.findData("by_name"))
    assert not dialog.pad.isVisible() and dialog.by_name.isVisible() and not dialog.sign_button.isEnabled()
    dialog.by_name.setChecked(True)
    assert dialog.sign_button.isEnabled()
    _shot(dialog, "letter_sign_dialog_by_name")
    dialog.how.setCurrentIndex(dialog.how.findData("drawn"))
    assert dialog.pad.isVisible() and not dialog.sign_button.isEnabled()  # the pad is still empty
    qtbot.mousePress(dialog.pad, Qt.MouseButton.LeftButton, pos=SCRIBBLE[0])
    for point in SCRIBBLE[1:]:
        qtbot.mouseMove(dialog.pad, point)
    qtbot.mouseRelease(dialog.pad, Qt.MouseButton.LeftButton, pos=SCRIBBLE[-1])
    assert dialog.sign_button.isEnabled()
    _shot(dialog, "letter_sign_dialog")
    with qtbot.waitSignal(panel.signed, timeout=30_000) as signed:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    document_id = signed.args[0]
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    _shot(win, "letters_tab_signed_on_screen")
    store = win.session.store
    row, pdf, unsigned = win.worker.call(lambda: (
        store.documents.get(document_id), Letters(store).content(document_id),
        letters.preview(win.session, case["id"], "acknowledgement", today=DAY)["pdf"]))
    stored = row["signatures"][0]
    assert stored["method"] == "drawn" and stored["name"] == win.session.officer
    assert len(stored["strokes"]) == 1 and len(stored["strokes"][0]) == len(SCRIBBLE)
    assert hashlib.sha256(pdf).hexdigest() == row["sha256"]
    # the drawn signature is in the PDF as a vector path: one line-to per segment of the scribble
    pages = range(1, len(page_texts(pdf)) + 1)
    added = sum(line_to_count(pdf, p) for p in pages) - sum(line_to_count(unsigned, p) for p in pages)
    assert added == len(SCRIBBLE) - 1, added
    text = " ".join(" ".join(page_texts(pdf)).split())
    said = re.search(r"Signed by (.+?) on (\d\d/\d\d/\d{4}) \d\d:\d\d \(signed on screen\)", text)
    assert said is not None, text
    assert said.groups() == (win.session.officer, "30/11/2026")
    if os.environ.get("SHOT_DIR"):
        (Path(os.environ["SHOT_DIR"]) / "letter_signed_on_screen.pdf").write_bytes(pdf)


def test_save_the_letters_html_copy_from_the_tab(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from html.parser import HTMLParser

    from heart_desktop.services import letters

    win = window
    case, panel = _open_letter(qtbot, win, "decision")
    assert panel.html_button.isEnabled() and panel.html_button.accessibleName() == "Save HTML copy…"
    target = tmp_path / "decision.html"
    with qtbot.waitSignal(panel.html_saved, timeout=30_000):
        panel.save_html_copy(str(target))
    html = target.read_text(encoding="utf-8")
    assert "saved as" in panel.message.text()
    assert '<html lang="en-GB"' in html

    class Headings(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag in ("h1", "h2", "h3"):
                self.found.append(tag)

    parser = Headings()
    parser.feed(html)
    assert parser.found[0] == "h1" and "h2" in parser.found
    # the letter's figures: every amount of the decision as the PDF letter gives it
    said = win.worker.call(lambda: letters.preview(win.session, case["id"], "decision", today=DAY)["text"])
    amounts = [word.rstrip(".,;)") for word in said.split() if word.startswith("£")]
    assert amounts, said
    for amount in amounts:
        assert amount in html, amount
    # the same file the verb writes with --html
    assert html == win.worker.call(lambda: letters.html_copy(win.session, case["id"], "decision", today=DAY))


def test_sign_a_letter_from_the_keyboard_alone(qtbot: QtBot, window: MainWindow) -> None:
    """The keyboard alternative to the pad: choose "Sign by name", tick the confirmation, Enter."""
    win = window
    _case, panel = _open_letter(qtbot, win, "acknowledgement")
    panel.start_signing()
    dialog = panel.sign_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.how.setFocus()
    qtbot.keyClick(dialog.how, Qt.Key.Key_Down)
    assert dialog.how.currentData() == "by_name" and not dialog.sign_button.isEnabled()
    dialog.by_name.setFocus()
    qtbot.keyClick(dialog.by_name, Qt.Key.Key_Space)
    assert dialog.by_name.isChecked() and dialog.sign_button.isEnabled()
    with qtbot.waitSignal(panel.signed, timeout=30_000) as signed:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    store = win.session.store
    row = win.worker.call(lambda: store.documents.get(signed.args[0]))
    assert row["signatures"][0]["method"] == "by_name" and row["signatures"][0]["strokes"] == []
    assert row["signatures"][0]["name"] == win.session.officer
