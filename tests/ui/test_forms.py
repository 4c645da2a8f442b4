"""Visit forms in the generic renderer, on a real store: fill, autosave, be stopped, complete."""

from __future__ import annotations

from gui_steps import forms_tab, open_first_case, open_new_case, unlocked
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from heart_desktop.formkit import check_all_forms
from heart_desktop.paths import forms_dir
from heart_desktop.ui.form_view import FormView
from heart_desktop.ui.main_window import MainWindow

FORMS = {f.id: f for f in check_all_forms(forms_dir())}


def line_for(view: FormView, path: str) -> QLineEdit:
    widget = view.rows[path].editor.widget  # type: ignore[union-attr]
    assert isinstance(widget, QLineEdit)
    return widget


def test_every_shipped_form_renders(qtbot: QtBot) -> None:
    for form in FORMS.values():
        view = FormView(form, {"inspection_start": "2026-03-01"})
        qtbot.addWidget(view)
        assert view.rows, form.id


def test_invalid_answer_is_marked_at_the_field_and_typing_is_kept(qtbot: QtBot) -> None:
    view = FormView(FORMS["application_details"])
    qtbot.addWidget(view)
    view.show()
    ni = line_for(view, "applicant_ni_number")
    qtbot.keyClicks(ni, "QQ12")
    row = view.rows["applicant_ni_number"]
    assert row.error.isVisibleTo(view) and "National Insurance" in row.error.text()
    assert view.answers["applicant_ni_number"] == "QQ12"
    ni.clear()
    qtbot.keyClicks(ni, "AB123456C")
    assert not row.error.isVisibleTo(view)


def test_landlord_questions_show_only_for_tenants(qtbot: QtBot) -> None:
    view = FormView(FORMS["application_details"])
    qtbot.addWidget(view)
    view.show()
    landlord = view.rows["landlord_name"]
    assert not landlord.container.isVisibleTo(view)
    tenure = view.rows["tenure"].editor
    assert tenure is not None
    tenure.widget.setCurrentIndex(tenure.widget.findData("private_tenant"))  # type: ignore[attr-defined]
    assert landlord.container.isVisibleTo(view)


def test_complete_is_refused_while_an_answer_is_missing(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    open_first_case(qtbot, window, "CV")
    panel = forms_tab(window)
    panel.open_form("works_schedule")
    view = panel.view
    assert view is not None and panel.current is not None and panel.current.id == "works_schedule"
    prepared = line_for(view, "prepared_on")
    qtbot.keyClicks(prepared, "01/11/2026")
    qtbot.mouseClick(panel.complete_button, Qt.MouseButton.LeftButton)
    assert "Cannot complete yet" in panel.status.text()
    assert "an answer is needed" in view.problems_label.text()
    assert view.rows["assistance_type"].error.isVisibleTo(view)
    assert panel.complete_button.isEnabled()
    # the draft was saved as typed, and is there after leaving and coming back
    qtbot.waitUntil(lambda: panel.submission_id is not None, timeout=10_000)
    panel.flush()
    submission = panel.submission_id
    stored = window.worker.call(lambda: window.session.store.forms.load(submission))
    assert stored["status"] == "draft" and stored["answers"]["prepared_on"] == "2026-11-01"


def test_hhsrs_form_scores_live_and_writes_ratings(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    case_id = open_new_case(qtbot, window)
    workspace = window.workspace
    assert workspace is not None
    panel = workspace.forms
    panel.open_form("hhsrs_assessment")
    view = panel.view
    assert view is not None
    qtbot.keyClicks(line_for(view, "inspection_start"), "02/03/2026")
    from heart_desktop.ui.hhsrs_form_adapter import HhsrsField

    qtbot.waitUntil(lambda: bool(view.findChildren(HhsrsField)), timeout=5_000)
    field = view.findChildren(HhsrsField)[0]
    assert len(field.scheme.hazards) == 29
    assessment = field.assessment
    assessment.select_hazard("falls_on_stairs")
    editor = assessment.editor
    editor.assessed.setChecked(True)
    editor.likelihood.setCurrentIndex(editor.likelihood.findData(18.0))
    editor.classes[0].setCurrentIndex(editor.classes[0].findData(2.2))
    editor.classes[1].setCurrentIndex(editor.classes[1].findData(10.0))
    editor.classes[2].setCurrentIndex(editor.classes[2].findData(21.5))
    assert editor.result.text() == "Score 2173 - band B - category 1 hazard"
    answer = view.answers["hazards"]["falls_on_stairs"]
    assert answer["assessed"] is True and float(answer["likelihood"]) == 18.0
    panel.flush()
    ratings = window.worker.call(lambda: window.session.store.hazards.for_case(case_id))
    stairs = [r for r in ratings if r["hazard"] == "falls_on_stairs" and not r.get("deleted")]
    assert stairs and stairs[0]["band"] == "B" and stairs[0]["category"] == 1


def test_signature_drawn_with_the_mouse_becomes_an_answer(qtbot: QtBot) -> None:
    view = FormView(FORMS["application_details"])
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    editor = view.rows["applicant_signature"].editor
    assert editor is not None
    pad = editor.pad  # type: ignore[attr-defined]
    view.scroll.ensureWidgetVisible(pad)
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 60))
    for x in range(30, 300, 15):
        qtbot.mouseMove(pad, QPoint(x, 60 + (x % 40) - 20))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(300, 60))
    value = view.answers.get("applicant_signature")
    assert value is not None and len(value["sha256"]) == 64 and value["signed_at"]
    assert len(value["strokes"]) == 1 and len(value["strokes"][0]) > 10
    qtbot.mouseClick(editor.clear, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert view.answers.get("applicant_signature") is None


def test_an_unfinished_form_is_offered_back_after_a_restart(qtbot: QtBot, store_copy, window: MainWindow) -> None:
    unlocked(qtbot, window)
    open_new_case(qtbot, window)
    workspace = window.workspace
    assert workspace is not None
    panel = workspace.forms
    panel.open_form("hhsrs_assessment")  # never started on a new case: a new draft
    assert panel.view is not None
    qtbot.keyClicks(line_for(panel.view, "inspection_start"), "02/11/2026")
    qtbot.waitUntil(lambda: panel.submission_id is not None, timeout=10_000)
    panel.flush()
    window.close()
    window.shutdown()
    again = MainWindow(store_copy)
    qtbot.addWidget(again)
    try:
        unlocked(qtbot, again)
        caseload = again.caseload
        assert caseload is not None
        qtbot.waitUntil(lambda: caseload.drafts.count() > 0, timeout=10_000)
        assert "HHSRS" in caseload.drafts.itemText(0)
        qtbot.mouseClick(caseload.continue_button, Qt.MouseButton.LeftButton)
        reopened = again.workspace
        assert reopened is not None
        qtbot.waitUntil(lambda: reopened.forms.view is not None, timeout=10_000)
        assert reopened.forms.current is not None and reopened.forms.current.id == "hhsrs_assessment"
        assert reopened.forms.view.answers.get("inspection_start") == "2026-11-02"
    finally:
        again.shutdown()


def test_a_signed_form_cannot_change_but_can_be_read_to_the_end(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    case_id, form_id = window.worker.call(lambda: window.session.store.conn.execute(
        "SELECT case_id, form_id FROM form_submissions WHERE status = 'signed' AND form_id = 'hhsrs_assessment' "
        "LIMIT 1").fetchone())
    window.open_case(case_id)
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.is_loaded() and workspace.case_id == case_id, timeout=10_000)
    panel = workspace.forms
    workspace.tabs.setCurrentWidget(panel)
    panel.open_form(form_id)
    view = panel.view
    assert view is not None and view.read_only and panel.revise_button.isEnabled()
    bar = view.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    assert view.isEnabled() and bar.isEnabled()
    view.scroll.setFocus()
    for _ in range(200):  # Page Down to the end, as a keyboard user reads it
        if bar.value() == bar.maximum():
            break
        qtbot.keyClick(view.scroll, Qt.Key.Key_PageDown)
    assert bar.value() == bar.maximum()
    editors = [row.editor.widget for row in view.rows.values() if row.editor is not None]
    assert editors and not any(widget.isEnabled() for widget in editors)
