"""The appeal's "Anonymised report for the panel…" button (policy 12.20): the dialog lists the case's
photos with nothing ticked, the officer ticks one from the keyboard (their confirmation it shows no
faces and no house numbers) and saves; the PDF has that photo only, no identifier of the household,
and the export with the confirmation is in the case's audit. A case that cannot have the report
says why and offers nothing to save.

With SHOT_DIR set (under Xvfb at 1366x768) the dialog is saved there as PNG."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).parents[1] / "documents"))

from appeal_cases import TODAY, identified_case, leaks, lodge_appeal
from pdftext import page_texts, structure

from heart_desktop.store import Store
from heart_desktop.ui.appeal_report_dialog import BUTTON_TEXT, ReportButton
from heart_desktop.ui.session import Session
from heart_desktop.ui.worker import StoreWorker

PASSPHRASE = "appeal report dialog"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[Session, dict[str, str]]]:
    path = tmp_path / "s.heartdb"
    with Store.open(path, PASSPHRASE, create=True, kdf_iter=None, officer="Priya Officer") as store:
        ready = identified_case(store, photos=2)
        lodge_appeal(store, ready)
        bare = identified_case(store, decided=False, photos=0)
        cases = {"ready": ready, "bare": bare}
    worker = StoreWorker()
    opened = Session(path, worker, officer="Priya Officer")
    worker.call(lambda: opened.open(PASSPHRASE))
    opened.today = lambda: TODAY
    yield opened, cases
    worker.call(opened.close)
    worker.stop()


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_choose_a_photo_and_save_the_report(qtbot: QtBot, session: tuple[Session, dict[str, str]], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    opened, cases = session
    host = QWidget()
    qtbot.addWidget(host)
    button = ReportButton(opened, lambda: cases["ready"], parent=host)
    host.show()
    assert button.text() == BUTTON_TEXT and button.accessibleName() == BUTTON_TEXT
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = button.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: len(dialog.boxes) == 2, timeout=20_000)
    boxes = list(dialog.boxes.values())
    assert not any(b.isChecked() for b in boxes)  # no photo unless the officer ticks it
    # heard as one sentence; shown as a short box with the confirmation wrapped under it (reflow at 16 pt)
    assert all(b.accessibleName().startswith(b.text().replace("&", "") + ": ")
               and "shows no faces and no house numbers" in b.accessibleName() for b in boxes)
    assert dialog.save_button.isEnabled() and dialog.save_button.accessibleName() == "Save report…"
    from PySide6.QtWidgets import QLabel

    captions = [w.text() for w in dialog.findChildren(QLabel)
                if w.accessibleDescription().startswith("Caption of photo")]  # read by their words
    assert len(captions) == 2 and leaks(" ".join(captions)) == []  # shown as the panel will read them
    boxes[1].setFocus()
    qtbot.keyClick(boxes[1], Qt.Key.Key_Space)
    assert dialog.chosen() == [list(dialog.boxes)[1]]
    dialog.resize(1000, 640)
    shot(dialog, "appeal-report-dialog")
    out = tmp_path / "panel"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), "PDF (*.pdf)"))
    with qtbot.waitSignal(dialog.saved, timeout=60_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    made = saved.args[0]
    pdf = (tmp_path / "panel.pdf").read_bytes()  # ".pdf" added to the name given
    assert made["sha256"] == hashlib.sha256(pdf).hexdigest() and "Saved" in dialog.message.text()
    assert [p["id"] for p in made["photos"]] == [list(dialog.boxes)[1]]
    assert len([e for e in structure(pdf) if e["role"] == "/Figure"]) == 1
    assert leaks(" ".join(page_texts(pdf))) == []
    entries = opened.worker.call(lambda: opened.store.audit.read(case_id=cases["ready"]))
    export = next(e for e in entries if e["action"] == "export" and e["entity"] == "appeal_report")
    assert export["detail"]["photos"][0]["confirmed_by"] == "Priya Officer"
    assert export["detail"]["sha256"] == made["sha256"]


def test_a_case_that_cannot_have_the_report_says_why(qtbot: QtBot, session: tuple[Session, dict[str, str]]) -> None:
    opened, cases = session
    host = QWidget()
    qtbot.addWidget(host)
    button = ReportButton(opened, lambda: cases["bare"], parent=host)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = button.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Not available yet:"), timeout=20_000)
    assert not dialog.save_button.isEnabled()


def test_the_button_on_the_appeals_tab(qtbot: QtBot, window: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """In the window: a demo case with an appeal, its Appeals tab, the button from the keyboard
    (Space), and the report saved with no photo ticked (none in it)."""
    from gui_steps import open_first_case, unlocked

    win = window
    unlocked(qtbot, win)
    win.session.today = lambda: TODAY
    store = win.session.store
    from heart_desktop.store import demo

    win.worker.call(lambda: demo.record_demo_appeals(store))  # as the demo verb makes them, at each stage
    case_id, reference = win.worker.call(lambda: store.conn.execute(
        "SELECT c.id, c.reference FROM appeals a JOIN cases c ON c.id = a.case_id WHERE a.deleted = 0 "
        "ORDER BY c.reference LIMIT 1").fetchone())
    open_first_case(qtbot, win, reference)
    workspace = win.workspace
    panel = workspace.appeals
    workspace.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() >= 1 and panel.report_button.isEnabled(), timeout=20_000)
    assert panel.report_button.accessibleName() == BUTTON_TEXT
    panel.report_button.setFocus()
    qtbot.keyClick(panel.report_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.report_button.dialog is not None, timeout=5_000)
    dialog = panel.report_button.dialog
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=20_000)
    assert dialog.appeal_id == panel.current()["id"]
    out = tmp_path / "panel.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), "PDF (*.pdf)"))
    shot(win, "appeals-tab-report-dialog")
    with qtbot.waitSignal(dialog.saved, timeout=60_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0]["photos"] == [] and saved.args[0]["appeal_id"] == dialog.appeal_id
    pdf = out.read_bytes()
    text = " ".join(page_texts(pdf))
    assert not [e for e in structure(pdf) if e["role"] == "/Figure"]
    people = win.worker.call(lambda: store.people.for_case(case_id))
    prop = win.worker.call(lambda: store.properties.for_case_one(case_id))
    for person in people:  # the demo household's own names are nowhere in it
        for word in (person["given_name"], person["family_name"]):
            assert not re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", text.casefold()), word
    assert prop["postcode"].replace(" ", "").casefold() not in text.replace(" ", "").casefold()
    dialog.close()
