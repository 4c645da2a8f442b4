"""The Appeals tab, walked as an officer would: an appeal lodged on a refused case, its matter answered
with evidence, the Supervisors Panel's refusal (offered only to the panel roles), its letter, the
escalation with a hearing and a representative, the hearing invitation, the Senior Management
Panel's grant that reopens the case, the outcome, and the Senior Management Panel's letter signed.
Dialogs are filled by typing. With SHOT_DIR set (under Xvfb at 1366x768) the screens are saved."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

from gui_steps import open_first_case, unlocked
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from heart_desktop.services import casework
from heart_desktop.ui.appeals_panel import AppealsPanel
from heart_desktop.ui.form_dialog import FormDialog
from heart_desktop.ui.main_window import MainWindow

DAY = date(2026, 11, 30)



def answer_special(win: MainWindow, appeal_id: str) -> None:
    """Every special circumstances criterion answered: the medical one and the others claimed
    (SPECIAL_CLAIMED), the rest not (on the store worker)."""
    from heart_desktop.services import appeals

    for key in SPECIAL_CLAIMED:
        appeals.answer(win.session, appeal_id, key, "GP letter of 1 November: falls on the stairs", today=DAY)
    for key in SPECIAL_NOT:
        appeals.answer(win.session, appeal_id, key, None, claimed=False, today=DAY)


def refused_with_special_appeal(win: MainWindow) -> tuple[str, str, str]:
    """As a manager on DAY: the first open case refused (not necessary) and a special
    circumstances appeal lodged against it; (case id, reference, appeal id)."""
    from heart_desktop.services import appeals

    win.session.today = lambda: DAY
    win.session.role = "manager"
    store = win.session.store
    case_id, reference = win.worker.call(lambda: store.conn.execute(
        "SELECT id, reference FROM cases WHERE outcome IS NULL AND deleted = 0 ORDER BY reference LIMIT 1").fetchone())
    win.worker.call(lambda: casework.close_case(win.session, case_id, "refused", DAY,
                                                "The application is refused: the works are not necessary",
                                                today=DAY))
    appeal_id = win.worker.call(lambda: appeals.lodge(
        win.session, case_id, "special", "Her arthritis is made worse by the stairs every day", today=DAY,
        lodged_on=date(2026, 11, 2))["id"])
    return case_id, reference, appeal_id

def shot(name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        QGuiApplication.primaryScreen().grabWindow(0).save(str(Path(folder) / f"{name}.png"))


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def fill(qtbot: QtBot, dialog: FormDialog, **values: object) -> None:
    """Type each value into its field (choices by their data, checks by clicking)."""
    for key, value in values.items():
        widget: QWidget = dialog.widgets[key]
        if isinstance(widget, QComboBox):
            widget.setFocus()
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QCheckBox):
            if widget.isChecked() != bool(value):
                qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        elif isinstance(widget, QPlainTextEdit | QLineEdit):
            widget.setFocus()
            widget.clear() if isinstance(widget, QLineEdit) else widget.setPlainText("")
            qtbot.keyClicks(widget, str(value))


def step(qtbot: QtBot, panel: AppealsPanel, open_dialog, stage: str | None = None, **values: object) -> FormDialog:
    dialog = open_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    fill(qtbot, dialog, **values)
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible() or bool(dialog.message.text()), timeout=20_000)
    if dialog.isVisible():
        refused = dialog.message.text()
        dialog.reject()
        raise AssertionError(f"{dialog.windowTitle()}: {refused}")
    if stage:
        def reached() -> None:
            assert panel.current() is not None and panel.current()["stage"] == stage, panel.status.text()

        qtbot.waitUntil(reached, timeout=20_000)
    return dialog


def preview(qtbot: QtBot, panel: AppealsPanel, kind: str) -> str:
    qtbot.waitUntil(lambda: panel.letter.findData(kind) >= 0 and panel.available
                    and next(a for a in panel.available if a["kind"] == kind)["refusal"] is None, timeout=20_000)
    panel.letter.setCurrentIndex(panel.letter.findData(kind))
    assert panel.preview_button.isEnabled()
    with qtbot.waitSignal(panel.previewed, timeout=30_000):
        qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    assert panel.preview.page_count() >= 1
    return pdf_text(panel.shown["pdf"])


def test_an_appeal_from_a_refusal_through_both_panels_to_an_outcome(qtbot: QtBot, window: MainWindow) -> None:
    win = window
    unlocked(qtbot, win)
    win.session.today = lambda: DAY
    store = win.session.store
    case_id, reference = win.worker.call(lambda: store.conn.execute(
        "SELECT id, reference FROM cases WHERE outcome IS NULL AND deleted = 0 ORDER BY reference LIMIT 1").fetchone())
    win.worker.call(lambda: casework.close_case(win.session, case_id, "refused", DAY,
                                                "The application is refused: the works are not necessary",
                                                today=DAY))  # the refusal the customer appeals against
    open_first_case(qtbot, win, reference)
    workspace = win.workspace
    assert workspace is not None
    panel = workspace.appeals
    # Alt+1 (test_shortcuts walks every tab's Alt+letter); here the tab is chosen as a click would
    assert workspace.tabs.tabText(workspace.tabs.indexOf(panel)) == "Appeals (section &12)"
    workspace.tabs.setCurrentWidget(panel)
    assert panel.lodge_button.accessibleName() == "Lodge an appeal…"
    assert panel.decide_button.accessibleName() == "Record panel decision…"
    assert not panel.answer_button.isEnabled() and "No appeal" in panel.status.text()

    step(qtbot, panel, panel.ask_lodge, "lodged", kind="technical", assisted=True,
         grounds="The stairs hazard was rated too low: she has fallen twice since the visit")
    assert panel.table.rowCount() == 1 and panel.answer_button.isEnabled()
    assert panel.criteria.rowCount() == 3 and "Hazards determined under the HHSRS" in panel.criteria.item(0, 0).text()
    received = preview(qtbot, panel, "appeal_received")
    assert "We have received your appeal" in received and "Hazards determined under the HHSRS" in received

    # a panel decision is offered only to the panel roles
    win.session.role = "HAO"
    panel.show_case(case_id)
    qtbot.waitUntil(lambda: not panel.decide_button.isVisibleTo(panel), timeout=10_000)
    win.session.role = "manager"
    panel.show_case(case_id)
    qtbot.waitUntil(lambda: panel.decide_button.isVisibleTo(panel), timeout=10_000)
    dialog = panel.ask_decide()  # before the matter is answered: refused in the dialog, naming the field
    assert dialog is not None
    qtbot.waitExposed(dialog)
    fill(qtbot, dialog, decision="refused", reasons="The rating stands as it was assessed")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "every criterion is to be answered" in dialog.message.text(), timeout=10_000)
    dialog.reject()

    step(qtbot, panel, panel.ask_answer, criterion="hhsrs_hazards",
         evidence="Two falls on the stairs since the visit, in the GP's letter")
    qtbot.waitUntil(lambda: panel.criteria.item(0, 1).text() == "Yes", timeout=10_000)
    step(qtbot, panel, panel.ask_decide, "supervisors_refused", decision="refused",
         reasons="The stairs were rated on the evidence at the visit; the falls were elsewhere")
    assert panel.escalate_button.isEnabled() and not panel.decide_button.isEnabled()
    first = preview(qtbot, panel, "appeal_supervisors")
    assert "Your appeal is refused" in first and "the falls were elsewhere" in first
    assert "Supervisors Panel" in first and "Senior Management Panel" in first and "(policy 12.6, 12.9)" in first
    shot("appeals-supervisors-refused")

    step(qtbot, panel, panel.ask_escalate, "escalated", hearing="attends", representative="Jo Example (daughter)",
         implications="A stairlift under the DFG")
    invite = preview(qtbot, panel, "appeal_hearing")
    assert "You are invited to the hearing" in invite and "Jo Example (daughter) will come with you" in invite

    step(qtbot, panel, panel.ask_decide, "granted", decision="granted",
         reasons="The falls on the stairs are an immediate risk on the GP's evidence")
    case = win.worker.call(lambda: store.cases.get(case_id))
    assert case["outcome"] is None and not case["urgent"]  # reopened: back in the queue by enquiry date
    assert panel.outcome_button.isEnabled()
    step(qtbot, panel, panel.ask_outcome, "decided", form="standard", assistance_type="DFG",
         modification="A straight stairlift only")
    assert len(panel.history.toPlainText().splitlines()) == 4
    final = preview(qtbot, panel, "appeal_senior")
    assert "Your appeal is granted" in final and "Disabled Facilities Grant (DFG)" in final
    assert "A straight stairlift only" in final and "Your legal rights" in final  # conditional: modified
    with qtbot.waitSignal(panel.signed, timeout=30_000) as signed:
        qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    row = win.worker.call(lambda: store.documents.get(signed.args[0]))
    assert row["kind"] == "letter_appeal_senior" and row["signed"]
    shot("appeals-decided")


def test_a_closed_case_offers_its_reopening_with_the_reason(qtbot: QtBot, window: MainWindow) -> None:
    win = window
    unlocked(qtbot, win)
    win.session.today = lambda: DAY
    store = win.session.store
    case_id, reference = win.worker.call(lambda: store.conn.execute(
        "SELECT id, reference FROM cases WHERE outcome IS NULL AND deleted = 0 ORDER BY reference LIMIT 1").fetchone())
    open_first_case(qtbot, win, reference)
    workspace = win.workspace
    assert workspace is not None
    assert not workspace.reopen_action.isEnabled() and workspace.close_action.isEnabled()
    win.worker.call(lambda: casework.close_case(win.session, case_id, "withdrawn", DAY, "The customer withdrew",
                                                today=DAY))
    qtbot.waitUntil(lambda: workspace.reopen_action.isEnabled(), timeout=10_000)
    assert workspace.actions_button.isEnabled() and not workspace.close_action.isEnabled()
    dialog = workspace.ask_reopen()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Reason" in dialog.message.text(), timeout=10_000)
    fill(qtbot, dialog, reason="Closed in error: the customer rang to say they still want the works")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: workspace.close_action.isEnabled(), timeout=10_000)
    assert win.worker.call(lambda: store.cases.get(case_id))["outcome"] is None


SPECIAL_CLAIMED = ("immediate_risk", "medical_condition", "no_means", "significant_reduction")
SPECIAL_NOT = ("family_together", "statutory_services", "wider_benefit")
SCRIBBLE = [(30, 70), (60, 40), (90, 80), (120, 45), (150, 75), (190, 50)]


def test_medical_advice_and_a_panel_letter_signed_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    """12.14 through the tab: the advice step only once the medical criterion is claimed, a bad date
    refused naming its field, the panel's letter saying what advice was sought, and the letter
    signed on the pad with the letters tab's sign dialog."""
    from PySide6.QtCore import QDate, QPoint
    from PySide6.QtWidgets import QDateEdit


    win = window
    unlocked(qtbot, win)
    _case_id, reference, appeal_id = refused_with_special_appeal(win)
    store = win.session.store
    open_first_case(qtbot, win, reference)
    workspace = win.workspace
    assert workspace is not None
    panel = workspace.appeals
    workspace.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.current() is not None, timeout=10_000)
    assert panel.advice_button.accessibleName() == "Medical advice…" and not panel.advice_button.isEnabled()
    assert "12.14" in panel.advice_button.toolTip()

    win.worker.call(lambda: answer_special(win, appeal_id))
    qtbot.waitUntil(lambda: panel.advice_button.isEnabled(), timeout=10_000)

    dialog = panel.ask_advice()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    requested, received = dialog.widgets["requested_on"], dialog.widgets["received_on"]
    assert isinstance(requested, QDateEdit) and isinstance(received, QDateEdit)
    requested.setDate(QDate(2026, 11, 10))
    received.setDate(QDate(2026, 11, 9))  # before the request: refused, naming the field
    fill(qtbot, dialog, received=True, summary="The stairs aggravate her arthritis; a stairlift would help",
         cost="180")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "Received on: 09/11/2026 is before the request" in dialog.message.text()
    received.setDate(QDate(2026, 11, 20))
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: "received on 20/11/2026" in panel.history.toPlainText(), timeout=10_000)
    assert "independent occupational health adviser" in panel.history.toPlainText()
    assert "revenue cost £180.00" in panel.history.toPlainText()

    step(qtbot, panel, panel.ask_decide, "supervisors_refused", decision="refused",
         reasons="The risk is not immediate on the adviser's evidence")
    letter = preview(qtbot, panel, "appeal_supervisors")
    assert "Independent medical advice on the medical condition was asked for on 10 November 2026 from " \
           "independent occupational health adviser (policy 12.14)" in letter
    assert "received on 20 November 2026 and the panel took it into account" in letter

    assert panel.draw_button.isEnabled() and panel.draw_button.accessibleName() == "Sign on screen…"
    qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    sign = panel.sign_dialog
    assert sign is not None and sign.isVisible() and not sign.sign_button.isEnabled()
    points = [QPoint(x, y) for x, y in SCRIBBLE]
    qtbot.mousePress(sign.pad, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(sign.pad, point)
    qtbot.mouseRelease(sign.pad, Qt.MouseButton.LeftButton, pos=points[-1])
    assert sign.sign_button.isEnabled()
    shot("appeals-sign-on-screen")
    if os.environ.get("SHOT_DIR"):  # the window and the dialog themselves, at the laptop's size
        win.resize(1366, 768)
        qtbot.wait(200)
        win.grab().save(str(Path(os.environ["SHOT_DIR"]) / "appeals-advice-window.png"))
        sign.grab().save(str(Path(os.environ["SHOT_DIR"]) / "appeals-sign-dialog.png"))
    with qtbot.waitSignal(panel.signed, timeout=30_000) as signed:
        qtbot.mouseClick(sign.sign_button, Qt.MouseButton.LeftButton)
    row = win.worker.call(lambda: store.documents.get(signed.args[0]))
    assert row["kind"] == "letter_appeal_supervisors" and row["signed"]
    stored = row["signatures"][0]
    assert stored["method"] == "drawn" and stored["name"] == win.session.officer
    assert len(stored["strokes"]) == 1 and len(stored["strokes"][0]) == len(SCRIBBLE)
    assert not panel.draw_button.isEnabled() and not panel.sign_button.isEnabled()
    assert "signed on screen" in pdf_text(panel.shown["pdf"])
    shot("appeals-signed-on-screen")
