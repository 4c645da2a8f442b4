"""The shared accessibility pieces, each through what an officer or their screen reader meets:
announcements of messages and problems, labels read by their text, the one focus ring, contrast,
text sizes from the user's font, keyboard sorting, splitters, the signature pad's state, required
and invalid fields, and the pack preview's text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from gui_steps import open_first_case, unlocked
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from heart_desktop import paths
from heart_desktop.formkit import check_all_forms
from heart_desktop.ui import focus_ring, focus_style
from heart_desktop.ui.form_view import FormView
from heart_desktop.ui.labels import ANNOUNCER, StatusLabel, plain_text
from heart_desktop.ui.main_window import MainWindow
from heart_desktop.ui.pack_preview import PackPreview
from heart_desktop.ui.reflow import KeyboardHandle, Reflow, Splitter
from heart_desktop.ui.signature_pad import SignaturePad


class Heard:
    """Every announcement raised while the test runs: (source, text, assertive)."""

    def __init__(self) -> None:
        self.items: list[tuple[QObject, str, bool]] = []

    def __call__(self, source: QObject, text: str, assertive: bool) -> None:
        self.items.append((source, text, assertive))

    def texts(self) -> list[str]:
        return [text for _source, text, _assertive in self.items]


@pytest.fixture
def heard() -> Iterator[Heard]:
    listener = Heard()
    ANNOUNCER.announced.connect(listener)
    yield listener
    ANNOUNCER.announced.disconnect(listener)


@pytest.fixture
def ring(qapp: QApplication) -> None:
    focus_style.install(qapp)


def _ring() -> focus_ring.FocusRing:
    """The ring as it is now (a new one once the window it stood in has gone)."""
    found = focus_style.focus_ring()
    assert found is not None
    return found


_HELD: list[QWidget] = []  # qtbot holds widgets weakly: a holder kept here lives until the test ends


@pytest.fixture(autouse=True)
def _release_holders() -> Iterator[None]:
    yield
    _HELD.clear()


def _shown(qtbot: QtBot, *widgets: QWidget) -> QWidget:
    holder = QWidget()
    qtbot.addWidget(holder)
    _HELD.append(holder)
    layout = QVBoxLayout(holder)
    for widget in widgets:
        layout.addWidget(widget)
    holder.resize(500, 300)
    holder.show()
    qtbot.waitExposed(holder)
    return holder


def test_a_status_label_is_read_by_its_text_and_announces_each_change(qtbot: QtBot, heard: Heard) -> None:
    message = StatusLabel(kind="Unlock message")
    problem = StatusLabel(assertive=True)
    _shown(qtbot, message, problem)
    message.setText("That passphrase does not unlock this store.")
    message.setText("That passphrase does not unlock this store.")  # unchanged: not said again
    problem.setText("<b>Full name</b>: is required")
    message.setText("")
    assert heard.items == [(message, "That passphrase does not unlock this store.", False),
                           (problem, "Full name: is required", True)]
    interface = QAccessible.queryAccessibleInterface(message)
    assert interface.text(QAccessible.Text.Name) in ("", message.text())  # the name never hides the text
    assert message.accessibleName() == "" and message.accessibleDescription() == "Unlock message"
    assert message.wordWrap()


def test_a_label_in_a_hidden_window_is_not_announced(qtbot: QtBot, heard: Heard) -> None:
    label = StatusLabel()
    qtbot.addWidget(label)
    label.setText("Nobody sees this yet")
    assert heard.items == []


def test_a_wrong_passphrase_is_announced_and_read_by_its_words(qtbot: QtBot, window: MainWindow,
                                                               heard: Heard) -> None:
    page = window.passphrase_page
    page.passphrase.setFocus()
    qtbot.keyClicks(page.passphrase, "not the passphrase")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(page.message.text()), timeout=20_000)
    assert page.message.accessibleName() == ""
    assert any(plain_text(page.message) == text for text in heard.texts()), heard.texts()


def test_no_label_on_any_case_tab_is_named_other_than_its_text(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    open_first_case(qtbot, window, "CV")
    workspace = window.workspace
    assert workspace is not None
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        qtbot.waitUntil(workspace.is_loaded, timeout=10_000)
        wrong = [f"{label.accessibleName()!r} reads {label.text()[:60]!r}"
                 for label in window.findChildren(QLabel)
                 if label.isVisible() and label.accessibleName() and label.text()
                 and label.accessibleName() != plain_text(label)]
        assert wrong == [], workspace.tabs.tabText(index)


def test_the_focus_ring_follows_focus_given_by_the_program_and_after_a_popup(qtbot: QtBot,
                                                                             ring: None) -> None:
    button = QPushButton("Sign and freeze the pack")
    button.setDefault(True)
    combo = QComboBox()
    combo.addItems(["Signs on the pad", "Typed name, witnessed"])
    holder = _shown(qtbot, button, combo)
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow, timeout=5_000)
    button.setFocus(Qt.FocusReason.OtherFocusReason)  # by the program, not by Tab
    qtbot.waitUntil(lambda: _ring().widget() is button, timeout=3_000)
    assert _ring().isVisible()
    assert _ring().geometry().contains(button.geometry())  # around the button, outside its edge
    qtbot.waitUntil(lambda: _pixel(holder, button.geometry().topLeft() - QPoint(2, 2)) == focus_style.FOCUS_COLOUR,
                    timeout=3_000)
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    combo.showPopup()
    combo.hidePopup()
    qtbot.waitUntil(lambda: _ring().widget() is combo and combo.hasFocus(), timeout=3_000)
    qtbot.waitUntil(lambda: _pixel(holder, combo.geometry().bottomRight() + QPoint(2, 2)) == focus_style.FOCUS_COLOUR,
                    timeout=3_000)


def _pixel(widget: QWidget, at: QPoint) -> QColor:
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return QColor(image.pixel(int(at.x() * ratio), int(at.y() * ratio)))


def test_colours_reach_the_contrast_wcag_asks(qapp: QApplication) -> None:
    palette = focus_style.accessible_palette(qapp.palette())
    base = palette.color(QPalette.ColorRole.Base)
    window = palette.color(QPalette.ColorRole.Window)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        assert focus_style.contrast(palette.color(group, QPalette.ColorRole.PlaceholderText), base) >= 4.5
        assert focus_style.contrast(palette.color(group, QPalette.ColorRole.HighlightedText),
                                    palette.color(group, QPalette.ColorRole.Highlight)) >= 4.5
    assert focus_style.contrast(focus_style.FOCUS_COLOUR, base) >= 3
    assert focus_style.contrast(focus_style.FOCUS_COLOUR, window) >= 3
    assert focus_style.contrast(QColor(focus_style.CELL_FOCUS_ON_SELECTION), focus_style.HIGHLIGHT) >= 3
    assert focus_style.contrast(QColor("#ffffff"), QColor("#000000")) == pytest.approx(21)


def test_text_sizes_follow_the_users_font() -> None:
    template = (paths.resources_dir() / "styles" / "app.qss").read_text(encoding="utf-8")
    assert "10.5pt" not in template and "QWidget { font-size" not in template
    large = focus_style.stylesheet(template, 16.0)
    assert "font-size: 24.0pt" in large and "font-size: 18.4pt" in large
    assert "$" not in large.split("*/", 1)[1]  # every size filled in
    assert "font-size: 13.5pt" in focus_style.stylesheet(template, 9.0)


def test_the_caseload_sorts_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    unlocked(qtbot, window)
    caseload = window.caseload
    assert caseload is not None
    box = caseload.sort_by
    box.setFocus(Qt.FocusReason.TabFocusReason)
    wanted = box.findText("Reference, descending")
    assert wanted > 0
    for _ in range(wanted):
        qtbot.keyClick(box, Qt.Key.Key_Down)  # a closed combo steps through its entries by arrow
    assert caseload.model.query.sort == "reference" and caseload.model.query.descending
    header = caseload.table.horizontalHeader()
    assert header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    caseload.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # as a header click does
    assert box.currentText() == "Customer, ascending"
    buddies = {label.buddy() for label in caseload.findChildren(QLabel) if label.buddy() is not None}
    assert {caseload.sort_by, caseload.council, caseload.stage, caseload.officer} <= buddies


def test_a_splitter_handle_moves_from_the_keyboard(qtbot: QtBot) -> None:
    splitter = Splitter(Qt.Orientation.Horizontal)
    splitter.addWidget(QLabel("List"))
    splitter.addWidget(QLabel("Detail"))
    holder = _shown(qtbot, splitter)
    holder.resize(600, 200)
    qtbot.waitUntil(lambda: splitter.sizes()[0] > 0, timeout=3_000)
    handle = splitter.handle(1)
    assert isinstance(handle, KeyboardHandle) and handle.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert QAccessible.queryAccessibleInterface(handle).role() == QAccessible.Role.Separator
    before = splitter.sizes()[0]
    qtbot.keyClick(handle, Qt.Key.Key_Right)
    qtbot.keyClick(handle, Qt.Key.Key_Right)
    assert splitter.sizes()[0] == before + 2 * KeyboardHandle.STEP
    qtbot.keyClick(handle, Qt.Key.Key_Home)
    assert splitter.sizes()[0] == 0 or splitter.sizes()[0] < before


def test_panes_stack_when_the_text_is_too_large_for_them_side_by_side(qtbot: QtBot) -> None:
    reflow = Reflow()
    for words in ("Household " * 8, "Timeline and statutory clocks " * 4):
        label = QLabel(words.strip())
        reflow.box.addWidget(label)
    holder = _shown(qtbot, reflow)
    holder.resize(2000, 300)
    qtbot.waitUntil(reflow.is_side_by_side, timeout=3_000)
    widest = max(p.minimumSizeHint().width() for p in reflow.panes())
    assert reflow.minimumSizeHint().width() == widest  # never the sum: the window may be narrower
    holder.resize(widest + 40, 400)
    qtbot.waitUntil(lambda: not reflow.is_side_by_side(), timeout=3_000)


def test_the_signature_pad_says_empty_or_when_it_was_signed_and_shows_focus(qtbot: QtBot,
                                                                            ring: None) -> None:
    pad = SignaturePad()
    holder = _shown(qtbot, pad)
    interface = QAccessible.queryAccessibleInterface(pad)
    assert interface.role() == QAccessible.Role.Canvas  # not a filler
    assert interface.text(QAccessible.Text.Description) == "empty"
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 40))
    for x in range(40, 200, 20):
        qtbot.mouseMove(pad, QPoint(x, 60))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 60))
    assert re.fullmatch(r"signed at \d\d:\d\d", pad.accessibleDescription()), pad.accessibleDescription()
    pad.clear()
    assert pad.accessibleDescription() == "empty"
    holder.activateWindow()
    pad.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(pad.hasFocus, timeout=3_000)
    assert _ring().widget() is pad  # the one ring, as for any control
    qtbot.waitUntil(lambda: _pixel(holder, pad.geometry().topLeft() - QPoint(2, 2)) == focus_style.FOCUS_COLOUR,
                    timeout=3_000)
    inside = _pixel(pad, QPoint(1, 1))  # and no second frame of the pad's own inside it
    assert inside == QColor(Qt.GlobalColor.white), inside.name()


def test_required_and_invalid_fields_are_exposed_and_problems_announced(qtbot: QtBot, heard: Heard) -> None:
    forms = {f.id: f for f in check_all_forms(paths.forms_dir())}
    form = forms.get("home_safety_check") or next(iter(forms.values()))
    view = FormView(form, {})
    _shown(qtbot, view)
    required = [row for row in view.rows.values() if row.label.text().endswith(" *") and row.editor is not None
                and not isinstance(row.editor.widget, QLabel)]
    assert required, form.id
    widget = required[0].editor.widget
    assert widget.accessibleName().endswith(" *")
    assert "Required." in widget.accessibleDescription()
    assert not view.try_complete()
    problems = [row for row in view.rows.values() if row.error.isVisible() and row.editor is not None
                and not isinstance(row.editor.widget, QLabel)]
    assert problems
    row = problems[0]
    assert f"Problem: {row.error.text()}" in row.editor.widget.accessibleDescription()  # the error linked
    assert any(assertive and "cannot be completed" in text for _s, text, assertive in heard.items), heard.texts()


def test_the_pack_preview_is_a_document_with_its_page_text(qtbot: QtBot) -> None:
    from weasyprint import HTML

    pdf = HTML(string="<html lang='en-GB'><body><h1>Application pack</h1><p>Signed by Edna Fairweather</p>"
                      "</body></html>").write_pdf()
    preview = PackPreview()
    _shown(qtbot, preview)
    preview.show_pdf(pdf)
    qtbot.waitUntil(lambda: preview.accessibleName() == "Pack preview, 1 page", timeout=10_000)
    assert "Application pack" in preview.accessibleDescription()
    assert "Signed by Edna Fairweather" in preview.accessibleDescription()
    interface = QAccessible.queryAccessibleInterface(preview)
    assert interface.role() == QAccessible.Role.Document


def test_the_new_enquiry_marks_required_fields_and_links_the_problem_to_its_field(
        qtbot: QtBot, window: MainWindow, heard: Heard) -> None:
    unlocked(qtbot, window)
    window.new_enquiry()
    dialog = window.enquiry_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.name.accessibleName() == "Full name *" and "Required." in dialog.name.accessibleDescription()
    assert not dialog.phone.accessibleName().endswith("*")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nothing typed
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert dialog.message.text().startswith("Full name:")
    assert f"Problem: {dialog.message.text()}" in dialog.name.accessibleDescription()
    assert dialog.name.hasFocus()
    assert any(source is dialog.message for source, _t, _a in heard.items)
    dialog.reject()


def test_the_case_tabs_take_focus_and_the_ring_is_around_the_current_tab(qtbot: QtBot, window: MainWindow,
                                                                          ring: None) -> None:
    unlocked(qtbot, window)
    open_first_case(qtbot, window, "CV")
    workspace = window.workspace
    assert workspace is not None
    bar = workspace.tabs.tabBar()
    assert bar.focusPolicy() & Qt.FocusPolicy.TabFocus  # the tab widget gave up focus, not its tab bar
    assert workspace.tabs.focusPolicy() == Qt.FocusPolicy.NoFocus  # no focusable frame (a filler to AT-SPI)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: _ring().widget() is bar, timeout=3_000)
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert workspace.tabs.currentIndex() == 1
    tab = bar.tabRect(1)
    inside = bar.mapTo(window, tab.topLeft()) + QPoint(1, tab.height() // 2)
    qtbot.waitUntil(lambda: _pixel(window, inside) == focus_style.FOCUS_COLOUR, timeout=3_000)


def test_a_form_signature_says_when_it_was_signed_once_reopened(qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    from heart_desktop.formkit.definitions import Field as FormField
    from heart_desktop.ui.form_view import SignatureEditor

    editor = SignatureEditor(FormField(id="customer_signature", type="signature", label="Customer's signature"))
    qtbot.addWidget(editor.widget)
    assert editor.pad.accessibleName().startswith("Customer's signature:")
    assert editor.pad.accessibleDescription() == "empty"
    stamp = datetime(2026, 11, 30, 18, 59, tzinfo=UTC)
    editor.set_value({"strokes": [[[0.1, 0.5], [0.4, 0.6], [0.8, 0.5]]], "signed_at": stamp.isoformat(),
                      "name": "Edna Fairweather"})
    assert editor.pad.accessibleDescription() == f"signed at {stamp.astimezone():%H:%M}"
    editor.set_value(None)
    assert editor.pad.accessibleDescription() == "empty"
