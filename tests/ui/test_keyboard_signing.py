"""The keyboard-only path from unlock to a signed pack, every step by key (no mouse): the
passphrase, the search, the Documents tab, Generate, Sign…, then the applicant's name typed and
witnessed by the officer, and Sign and freeze. The frozen pack says how it was signed."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from heart_desktop.domain.signatures import TYPED
from heart_desktop.store import DEMO_PASSPHRASE
from heart_desktop.store.packs import Packs
from heart_desktop.ui.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier


def key(qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as a person at the keyboard would."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, k, modifier)


def tab_to(qtbot: QtBot, wanted: QWidget, limit: int = 60) -> None:
    """Press Tab until ``wanted`` has the focus: it must be reachable by Tab."""
    for _ in range(limit):
        if QApplication.focusWidget() is wanted:
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"{wanted.accessibleName() or wanted} cannot be reached by Tab")


def test_from_unlock_to_a_signed_pack_by_keyboard_alone(qtbot: QtBot, window: MainWindow) -> None:
    win = window
    page = win.passphrase_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.passphrase, timeout=10_000)
    qtbot.keyClicks(page.passphrase, DEMO_PASSPHRASE)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.caseload is not None and win.caseload.model.total() > 0, timeout=20_000)
    first = win.worker.call(lambda: win.session.store.cases.page(0, 1, sort="reference")[0])
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Find a case
    assert QApplication.focusWidget() is win.caseload.search
    qtbot.keyClicks(win.caseload.search, first["reference"])
    qtbot.waitUntil(lambda: win.caseload.model.is_settled() and win.caseload.model.row_data(0) is not None,
                    timeout=10_000)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.is_loaded(), timeout=10_000)
    workspace = win.workspace
    panel = workspace.documents
    key(qtbot, Qt.Key.Key_D, ALT)  # the Documents tab
    assert workspace.tabs.currentWidget() is panel
    with qtbot.waitSignal(panel.pack_shown, timeout=60_000):
        key(qtbot, Qt.Key.Key_G, ALT)  # Generate pack
    key(qtbot, Qt.Key.Key_I, ALT)  # Sign…
    qtbot.waitUntil(lambda: getattr(panel, "sign_dialog", None) is not None and panel.sign_dialog.isVisible(),
                    timeout=10_000)
    dialog = panel.sign_dialog
    # the dialog takes the keyboard when the window system activates it (later on a loaded machine)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=10_000)
    applicant = dialog.signers["applicant"]
    tab_to(qtbot, applicant.how)
    while applicant.how.currentData() != TYPED:
        key(qtbot, Qt.Key.Key_Down)
    assert not applicant.pad.isVisible() and applicant.witnessed.isVisible()
    assert not dialog.sign_button.isEnabled()  # not until the officer has witnessed it
    tab_to(qtbot, applicant.witnessed)
    key(qtbot, Qt.Key.Key_Space)
    assert applicant.witnessed.isChecked() and dialog.sign_button.isEnabled()
    with qtbot.waitSignal(panel.signed, timeout=60_000) as signed:
        key(qtbot, Qt.Key.Key_F, ALT)  # Sign and freeze the pack
    row = win.worker.call(lambda: win.session.store.documents.get(signed.args[0]))
    pdf = win.worker.call(lambda: Packs(win.session.store).content(row["id"]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "name typed, witnessed by" in " ".join(text.split())
    audit = win.worker.call(lambda: win.session.store.conn.execute(
        "SELECT detail FROM audit WHERE action = 'sign' ORDER BY rowid DESC LIMIT 1").fetchone()[0])
    assert '"method": "typed_witnessed"' in audit
