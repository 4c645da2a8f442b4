"""On a 1366x768 laptop: the sign dialog fits the screen, no shipped form scrolls sideways, even
after a row (a finding, a room) is added to each of its lists, and at 150% with a 16 pt font the
main window's pages fit the 911 logical pixels left (rows of controls wrap)."""

from __future__ import annotations

from gui_steps import open_first_case, unlocked
from PySide6.QtCore import QPoint
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from heart_desktop.ui import app as ui_app
from heart_desktop.ui.form_view import FormView
from heart_desktop.ui.main_window import MainWindow
from heart_desktop.ui.reflow import FlowLayout, pair
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


def test_a_flowing_row_wraps_instead_of_widening(qtbot: QtBot) -> None:
    """The row asks for the width of its widest item (a caption kept with its box), not their sum,
    and puts what does not fit on the next line."""
    holder = QWidget()
    qtbot.addWidget(holder)
    column = QVBoxLayout(holder)
    row = FlowLayout()
    buttons = [QPushButton(f"A button with a long name {i}", holder) for i in range(5)]
    for button in buttons:
        row.addWidget(button)
    caption, box = QLabel("Council:", holder), QComboBox(holder)
    row.addLayout(pair(caption, box))
    column.addLayout(row)
    widest = max(b.sizeHint().width() for b in buttons)
    assert holder.minimumSizeHint().width() < 2 * widest
    holder.resize(int(widest * 2.5), 400)
    holder.show()
    qtbot.waitExposed(holder)
    lines = sorted({b.y() for b in buttons})
    assert len(lines) == 3  # two on a line, five buttons
    assert caption.y() == box.y() and box.x() > caption.x()  # the pair stays on one line
    assert all(b.geometry().right() <= holder.width() for b in buttons)


def test_the_main_window_pages_fit_911_pixels_with_a_16pt_font(qtbot: QtBot, window: MainWindow) -> None:
    """1366x768 at 150% leaves 911x512 logical pixels: with a 16 pt font no page of the main window
    (the caseload, every tab of a case, Today) is wider than that, so none scrolls sideways. The
    AT-SPI test checks the same under a real X server with QT_SCALE_FACTOR=1.5, and the dialogs."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    large = QFont(before)
    large.setPointSizeF(16)
    app.setFont(large)
    ui_app.apply_style(app)
    try:
        window.resize(911, 512)
        unlocked(qtbot, window)
        first = window.worker.call(lambda: window.session.store.cases.page(0, 1, sort="reference")[0])
        open_first_case(qtbot, window, first["reference"])
        area = window.page_area()
        assert isinstance(area, QScrollArea)
        workspace = window.workspace
        assert workspace is not None
        for index, name in workspace.tour_tabs():
            workspace.tabs.setCurrentIndex(index)
            qtbot.waitUntil(workspace.is_loaded, timeout=10_000)
            qtbot.wait(50)
            # the stack's smallest width is that of its widest page, shown or not
            assert area.widget().minimumSizeHint().width() <= 911 - 20, (name, area.widget().minimumSizeHint())
            assert area.horizontalScrollBar().maximum() == 0, name
        # other cases show other things (a sanction, the council-housing route's long title, appeals)
        cases = window.worker.call(lambda: window.session.store.cases.page(0, 40, sort="reference"))
        for case in cases[1:40:4]:
            window.open_case(str(case["id"]))
            qtbot.waitUntil(lambda c=case: workspace.is_loaded() and workspace.case_id == str(c["id"]),
                            timeout=10_000)
            qtbot.wait(50)
            assert area.widget().minimumSizeHint().width() <= 911 - 20, (case["reference"],
                                                                         area.widget().minimumSizeHint())
        window.show_today()
        qtbot.waitUntil(lambda: window.today_view is not None and window.today_view.is_loaded(), timeout=10_000)
        assert area.horizontalScrollBar().maximum() == 0
        # locked: the unlock card is on screen, not below a page as tall as a case's workspace
        window.lock()
        qtbot.waitUntil(window.is_locked, timeout=5_000)
        qtbot.wait(50)
        locked = window.page_area()
        assert isinstance(locked, QScrollArea) and locked is not area
        card = window.passphrase_page.title.parentWidget()
        top = card.mapTo(locked.viewport(), QPoint(0, 0)).y()
        assert top >= 0 and top + card.height() <= locked.viewport().height(), (top, card.height())
    finally:
        app.setFont(before)
        ui_app.apply_style(app)
