"""On a 1366x768 laptop: the sign dialog fits the screen, and no shipped form scrolls sideways,
even after a row (a finding, a room) is added to each of its lists."""

from __future__ import annotations

from gui_steps import open_first_case, unlocked
from pytestqt.qtbot import QtBot

from heart_desktop.ui.form_view import FormView
from heart_desktop.ui.main_window import MainWindow
from heart_desktop.ui.sign_dialog import SignDialog

SCREEN = (1366, 768)


def test_sign_dialog_fits_the_screen(qtbot: QtBot, window: MainWindow) -> None:
    dialog = SignDialog("I declare " * 200, {"applicant": "A", "officer": "B"}, True, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    available = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= available.height()
    assert dialog.width() <= available.width()
    assert dialog.sign_button.isVisible()  # the buttons stay on screen; the signatures scroll


def _answers_that_open_every_list(form) -> dict:
    """Every check answered yes (so its findings list shows) and two rows in every list."""
    answers: dict = {"inspection_start": "2026-03-01"}
    for section in form.sections:
        for field in section.fields:
            if field.type == "yes_no":
                answers[field.id] = True
            elif field.type == "repeat":
                answers[field.id] = [{"remedial_work": "slip_trip_hazards"}, {"remedial_work": "other"}]
    return answers


def test_no_form_scrolls_sideways_at_1366x768(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(*SCREEN)
    unlocked(qtbot, window)
    first = window.worker.call(lambda: window.session.store.cases.page(0, 1, sort="reference")[0])
    open_first_case(qtbot, window, first["reference"])
    panel = window.workspace.forms
    window.workspace.tabs.setCurrentWidget(panel)
    panel.open_form(window.forms[0].id)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.width() > 500, timeout=10_000)
    width = panel.view.width()  # what the Forms tab gives a form in a 1366-pixel window
    for form in window.forms:
        view = FormView(form, _answers_that_open_every_list(form))
        qtbot.addWidget(view)
        view.resize(width, 600)
        view.show()
        qtbot.waitExposed(view)
        assert any(row.field.type == "repeat" for row in view.rows.values()) or form.id != "home_safety_check"
        bar = view.scroll.horizontalScrollBar()
        body = view.scroll.widget()
        # a vertical scroll bar that appears narrows the viewport; the body follows on the next layout
        qtbot.waitUntil(lambda b=body, v=view: b.width() <= v.scroll.viewport().width(), timeout=3_000)
        assert bar.maximum() == 0, (form.id, width, body.minimumSizeHint().width())
        assert body.minimumSizeHint().width() <= view.scroll.viewport().width(), form.id  # nothing clipped
        assert body.width() <= view.scroll.viewport().width(), form.id
        view.close()
