"""Drive HEART Desktop through its main screens and dialogs under a real X server with the AT-SPI
bridge on, and check each one as assistive technology meets it.

For every screen: the AT-SPI walker (``atspi_walk.py``, run by the system Python as a separate
process while this one keeps answering over D-Bus) reports nameless interactive objects, focusable
fillers and labels whose name is not their text; here, by the keyboard, every listing is checked to
let Tab leave it and every control to be reachable by Tab. Writes one JSON report.

Usage (from tests/a11y/test_atspi.py): ``python app_driver.py <store> <report.json> [<shots folder>]``
with DISPLAY, DBUS_SESSION_BUS_ADDRESS and QT_ACCESSIBILITY=1 set. With a shots folder each screen
is also saved as a PNG (for the 1366x768 and 150% screenshots).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QProcess, Qt
from PySide6.QtGui import QAccessible, QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QTabBar,
    QWidget,
)

HERE = Path(__file__).resolve().parent
WALKER = HERE / "atspi_walk.py"
SYSTEM_PYTHON = os.environ.get("HEART_ATSPI_PYTHON", "/usr/bin/python3")


def settle(until: Callable[[], bool] | None = None, timeout_ms: int = 20_000) -> bool:
    app = QApplication.instance()
    deadline = QDeadlineTimer(timeout_ms)
    done = until is None
    while not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 30)
        if until is not None and until():
            done = True
            break
        if until is None:
            break
    for _ in range(8):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        QCoreApplication.sendPostedEvents()
    return done


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def reachable_controls(root: QWidget) -> list[QWidget]:
    """Visible, enabled widgets that take focus from the keyboard (scroll bars are for the mouse)."""
    found = []
    for widget in root.findChildren(QWidget):
        if widget.window() is not root.window():
            continue
        if not widget.isVisibleTo(root) or not widget.isEnabled() or isinstance(widget, QScrollBar):
            continue
        if isinstance(widget, QTabBar) and widget.count() < 2:
            continue
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            found.append(widget)
    return found


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {spoken_name(widget)!r}"


def activate(root: QWidget) -> None:
    window = root.window()
    window.raise_()
    window.activateWindow()
    settle(window.isActiveWindow, 5_000)


TAB_ORDER: list[str] = []  # the last walk's focus order, for the report


def tab_unreached(root: QWidget) -> list[str]:
    """Press Tab from the first control until focus comes round again; the controls never reached."""
    controls = reachable_controls(root)
    if not controls:
        return []
    activate(root)
    start = QApplication.focusWidget()
    if start is None or start.window() is not root.window():
        controls[0].setFocus(Qt.FocusReason.TabFocusReason)
        settle()
        start = QApplication.focusWidget()
    seen: set[int] = set()
    TAB_ORDER.clear()
    last, stayed = None, 0
    for _ in range(800):
        focused = QApplication.focusWidget()
        if focused is None:
            break
        if focused is last and stayed < 6:  # a date edit's Tab moves day, month, year, then leaves
            stayed += 1
            QTest.keyClick(focused, Qt.Key.Key_Tab)
            QApplication.processEvents()
            continue
        if id(focused) in seen:
            break
        last, stayed = focused, 0
        seen.add(id(focused))
        TAB_ORDER.append(describe(focused))
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        QApplication.processEvents()
    for widget in controls:
        if isinstance(widget, QRadioButton) and widget.autoExclusive() and widget.parentWidget() is not None:
            siblings = [r for r in widget.parentWidget().findChildren(QRadioButton) if r.autoExclusive()]
            if any(id(r) in seen for r in siblings):
                seen.add(id(widget))
    return [describe(w) for w in controls if id(w) not in seen]


def tab_traps(root: QWidget) -> list[str]:
    """Tables and lists that keep Tab inside (moving from cell to cell) instead of letting it leave."""
    trapped = []
    for view in root.findChildren(QAbstractItemView):
        if view.window() is not root.window() or not view.isVisibleTo(root) or not view.isEnabled():
            continue
        if not view.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if view.tabKeyNavigation():
            trapped.append(describe(view))
            continue
        activate(root)
        view.setFocus(Qt.FocusReason.TabFocusReason)
        model = view.model()
        if model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))
        QApplication.processEvents()
        if QApplication.focusWidget() is not view:
            continue
        QTest.keyClick(view, Qt.Key.Key_Tab)
        QApplication.processEvents()
        if QApplication.focusWidget() is view:
            trapped.append(describe(view))
    return trapped


def _plain(text: str) -> str:
    """Text as it is heard: markup and mnemonic ampersands dropped, white space collapsed."""
    import re

    if "<" in text and ">" in text:
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return re.sub(r"\s+", " ", text.replace("&&", "\0").replace("&", "").replace("\0", "&")).strip()


def qt_labels_not_text(root: QWidget) -> list[str]:
    """Labels whose accessible name overrides their text: AT-SPI reports the overridden name in place of
    the text, so the walker cannot see this; here the name is compared with what the label shows."""
    found = []
    for label in root.findChildren(QLabel):
        if label.window() is not root.window() or not label.isVisibleTo(root):
            continue
        name = label.accessibleName().strip()
        if name and label.text().strip() and _plain(name) != _plain(label.text()):
            found.append(f"QLabel {label.objectName() or ''} named {name!r} reads {_plain(label.text())[:80]!r}")
    return found


def _owner(bar: QScrollBar) -> QWidget | None:
    """The scroll area or item view a scroll bar belongs to (it sits in the area's container)."""
    widget = bar.parentWidget()
    while widget is not None and not isinstance(widget, QAbstractScrollArea):
        widget = widget.parentWidget()
    return widget


def sideways(root: QWidget) -> list[str]:
    """What scrolls sideways on the window: a horizontal scroll bar shown with somewhere to go, or a
    scroll area's content whose smallest layout is wider than its viewport (clipped or about to scroll).
    A data table may scroll its columns sideways (WCAG 1.4.10 excepts two-dimensional data), so item
    views are left out unless ``HEART_A11Y_STRICT_TABLES`` is set."""
    window = root.window()
    found = []
    strict = bool(os.environ.get("HEART_A11Y_STRICT_TABLES"))
    for bar in window.findChildren(QScrollBar):
        if bar.orientation() != Qt.Orientation.Horizontal or not bar.isVisibleTo(window) or bar.maximum() <= 0:
            continue
        owner = _owner(bar)
        if isinstance(owner, QAbstractItemView) and not strict:
            continue
        if owner is not None and owner.horizontalScrollBar() is not bar:
            continue
        where = f"{type(owner).__name__} {owner.accessibleName() or owner.objectName()!r}" if owner else "bar"
        found.append(f"{where} scrolls sideways by {bar.maximum()} px")
    for area in window.findChildren(QScrollArea):
        if not area.isVisibleTo(window) or area.widget() is None or not area.widgetResizable():
            continue
        wanted, room = area.widget().minimumSizeHint().width(), area.viewport().width()
        if wanted > room:  # with no sideways bar (ScrollBarAlwaysOff) the content is cut off instead
            clipped = area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            found.append(f"{type(area).__name__} {area.accessibleName() or area.objectName()!r} content needs "
                         f"{wanted} px, has {room}{' (cut off)' if clipped else ''}")
    return sorted(set(found))


def cut_labels(root: QWidget) -> list[str]:
    """Wrapped texts given less height than their lines need (the layout squeezed them): their first
    and last lines are cut off. A window sized before its texts wrapped, at 150% or 16 pt, does this."""
    window = root.window()
    found = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.wordWrap() or not label.text().strip():
            continue
        needed = label.heightForWidth(label.width()) if label.width() > 0 else 0
        if needed > label.height() + 2:
            found.append(f"QLabel {_plain(label.text())[:60]!r} has {label.height()} px of the {needed} it needs")
    return found


def fit(root: QWidget) -> dict[str, object]:
    """The window's size, its smallest layout, and the screen it must fit (logical pixels)."""
    window = root.window()
    available = window.screen().availableGeometry()
    frame = window.frameGeometry()
    hint = window.minimumSizeHint()
    minimum = window.minimumSize()
    smallest = (max(hint.width(), minimum.width()), max(hint.height(), minimum.height()))
    across = sideways(root) + cut_labels(root)
    return {"available": [available.width(), available.height()], "frame": [frame.width(), frame.height()],
            "smallest": list(smallest), "font_pt": window.font().pointSizeF(), "overflow": across,
            "fits": frame.width() <= available.width() and frame.height() <= available.height()
            and smallest[0] <= available.width() and smallest[1] <= available.height() and not across}


def walk_atspi(root: QWidget) -> dict[str, object]:
    """The AT-SPI walker's report for the window ``root`` is in, the event loop kept running."""
    process = QProcess()
    process.setProgram(SYSTEM_PYTHON)
    process.setArguments([str(WALKER), str(os.getpid()), spoken_name(root.window()) or root.window().windowTitle()])
    process.start()
    settle(lambda: process.state() == QProcess.ProcessState.NotRunning, 120_000)
    output = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace").strip()
    errors = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip()
    try:
        return json.loads(output.splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": f"walker said: {output[-400:]} {errors[-800:]}"}


class Tour:
    """The screens, in the order an officer meets them; each step yields (name, widget to check)."""

    def __init__(self, store: Path, shots: Path | None) -> None:
        from heart_desktop.store import DEMO_PASSPHRASE
        from heart_desktop.ui.main_window import MainWindow

        self.passphrase = DEMO_PASSPHRASE
        self.window = MainWindow(store, lock_minutes=60)
        available = self.window.screen().availableGeometry()
        self.window.resize(min(1366, available.width()), min(768, available.height()))
        self.window.show()
        self.shots = shots
        self.saved = 0

    def screens(self) -> Iterator[tuple[str, QWidget]]:
        win = self.window
        settle(win.isVisible)
        yield "unlock", win
        page = win.passphrase_page
        page.passphrase.setText("not the passphrase")  # the wrong passphrase is said on the page, not in a box
        page.button.click()
        settle(lambda: "does not unlock" in page.message.text(), 60_000)
        yield "unlock wrong passphrase", win
        win.passphrase_page.passphrase.setText(self.passphrase)
        win.passphrase_page.button.click()
        settle(lambda: win.caseload is not None and win.caseload.model.total() > 0)
        caseload = win.caseload
        assert caseload is not None
        settle(lambda: caseload.model.row_data(0) is not None)
        yield "caseload", win
        from heart_desktop.store.packs import Packs

        store = win.session.store
        signed = win.worker.call(lambda: Packs(store).queue(limit=1))
        rows = [caseload.model.row_data(i) for i in range(min(caseload.model.total(), 50))]
        case_id = str(signed[0]["case_id"] if signed else next(r for r in rows if r)["id"])
        win.open_case(case_id)
        workspace = win.workspace
        assert workspace is not None
        settle(lambda: workspace.is_loaded() and workspace.case_id == case_id)
        for index, name in workspace.tour_tabs():
            workspace.tabs.setCurrentIndex(index)
            settle(workspace.is_loaded)
            if workspace.tabs.currentWidget() is workspace.documents:
                built: list[bool] = []
                workspace.documents.pack_shown.connect(lambda b=built: b.append(True))
                workspace.documents.generate()
                settle(lambda b=built: bool(b), 60_000)
            if workspace.tabs.currentWidget() is workspace.forms:
                workspace.forms.open_form("hhsrs_assessment")
                settle(lambda: workspace.forms.view is not None)
            settle()
            yield f"case: {name}", win
            if workspace.tabs.currentWidget() is workspace.documents and workspace.documents.sign_button.isEnabled():
                workspace.documents.start_signing()
                dialog = workspace.documents.sign_dialog
                settle(lambda d=dialog: d is not None and d.isVisible())
                if dialog is not None:
                    yield "sign dialog", dialog
                    dialog.reject()
                    settle()
        workspace.tabs.setCurrentWidget(workspace.overview)
        settle()
        workspace.edit_details()
        details = workspace.dialog
        if details is not None:
            settle(details.isVisible)
            yield "edit details", details
            details.reject()
            settle()
        allocate = workspace.ask_allocate()
        if allocate is not None:
            settle(allocate.isVisible)
            yield "assign officer", allocate
            allocate.reject()
            settle()
        win.new_enquiry()
        dialog = win.enquiry_dialog
        settle(lambda: dialog is not None and dialog.isVisible())
        if dialog is not None:
            yield "new enquiry", dialog
            dialog.save_button.click()  # nothing typed: the form says what is missing
            settle(lambda: bool(dialog.message.text()))
            yield "new enquiry refused", dialog
            dialog.reject()
            settle()
        win.show_today()
        today = win.today_view
        if today is not None:
            settle(today.is_loaded)
            yield "today", win
        win.show_queue()
        queue = win.queue_view
        if queue is not None:
            settle(lambda: bool(queue.rows))
            yield "waiting lists", queue
            for index in range(queue.queue.count()):  # a list with someone waiting in it
                if queue.rows:
                    break
                queue.queue.setCurrentIndex(index)
                settle(lambda: bool(queue.rows), 5_000)
            if queue.rows:  # a case taken out of order: the team leader's sanction, from the list
                queue.table.selectRow(min(3, len(queue.rows) - 1))
                settle()
                yield from self._dialog("sanction from the waiting list", queue.ask_sanction())
            queue.close()
        win.show_print_queue()
        printing = win.print_queue
        if printing is not None:
            settle()
            yield "print queue", printing
            printing.close()
        win.show_conflicts()
        conflicts = getattr(win, "conflicts_dialog", None)
        if conflicts is not None:
            settle()
            yield "conflicts", conflicts
            conflicts.close()
        # Reports > Partnership measures is for managers; the officer here is not one, so the dialog
        # is opened as the menu would open it for a manager
        from heart_desktop.ui.reports_view import ReportsDialog

        reports = ReportsDialog(win.session, win)
        reports.show()
        settle(reports.isVisible)
        settle(lambda: bool(reports.status.text()), 30_000)
        yield "reports", reports
        reports.close()
        yield from self.more_dialogs(case_id)
        yield from self.urgency_and_sanction(case_id)
        yield from self.message_boxes()

    def urgency_and_sanction(self, case_id: str) -> Iterator[tuple[str, QWidget]]:
        """The case's sanction (9.3) and, on a case whose OT assessment gives grounds, Mark urgent (9.1)."""
        win = self.window
        win.open_case(case_id)
        workspace = win.workspace
        assert workspace is not None
        settle(lambda: workspace.is_loaded() and workspace.case_id == case_id)
        yield from self._dialog("sanction from the case", workspace.ask_sanction())
        store = win.session.store
        rows = win.worker.call(lambda: store.cases.page(0, 200, sort="reference"))
        case = next(r for r in rows if not r["urgent"] and not r.get("outcome"))
        win.worker.call(lambda: store.forms.start(case["id"], "ot_needs_assessment", "1.0", {
            "hospital_discharge": True, "unable_to_remain_safely": False, "immediate_danger": False}))
        win.open_case(str(case["id"]))
        settle(lambda: workspace.is_loaded() and workspace.case_id == str(case["id"]))
        settle(workspace.urgency_button.isVisible, 10_000)
        asked = workspace.ask_urgency()
        yield from self._dialog("urgency", asked)
        if asked is not None:  # refused: nobody named who agreed
            asked.show()
            asked.action_button.click()
            yield from self._dialog("urgency refused", asked, lambda: bool(asked.message.text()))

    def message_boxes(self) -> Iterator[tuple[str, QWidget]]:
        """The message boxes, as the app makes them (``ui.messages``), shown without ``exec``: the
        store that will not open (unlock), the duplicate referrals question (a confirmation), the
        photo source question and the unexpected error."""
        from heart_desktop.services.workbench import OpenFailure
        from heart_desktop.ui.camera import photo_source_box
        from heart_desktop.ui.errors import unexpected_error_box
        from heart_desktop.ui.messages import question_box

        win = self.window
        failure = OpenFailure("Not a HEART store", "demo.heartdb is not a HEART store (or the file is not "
                              "encrypted as one).\n\nThe file has not been changed. Choose your own store file, or "
                              "ask IT which file is yours.")
        yield from self._dialog("box: store will not open", win.open_failure_box(failure))
        yield from self._dialog("box: confirm import", question_box(
            win, "Import referrals", "referrals.csv: line 2 is a likely duplicate of RBC/26/00001.\n\n"
            "Import the whole file anyway?"))
        yield from self._dialog("box: photo source", photo_source_box(win)[0])
        try:
            raise RuntimeError("the printer went away")
        except RuntimeError as error:
            import traceback

            box = unexpected_error_box(error, traceback.format_exc())
        yield from self._dialog("box: unexpected error", box)

    def _dialog(self, name: str, dialog: QWidget | None,
                ready: Callable[[], bool] | None = None) -> Iterator[tuple[str, QWidget]]:
        """One dialog shown, checked, and closed (nothing is saved)."""
        if dialog is None:
            return
        if not dialog.isVisible():
            dialog.show()
        settle(dialog.isVisible)
        if ready is not None:
            settle(ready, 30_000)
        settle()
        yield name, dialog
        dialog.close()
        settle()

    def more_dialogs(self, case_id: str) -> Iterator[tuple[str, QWidget]]:
        """The dialogs beyond the main screens: the case's (photo, letter signing, survey, access
        history, the other form dialogs, a form that cannot be completed), the office connection, the
        audit export and the appeals' (lodge, answer, decide, escalate, outcome, anonymised report).
        Those a manager opens are opened directly, as the Reports dialog is."""
        from datetime import date

        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtGui import QColor, QImage

        from heart_desktop.services import appeals
        from heart_desktop.ui.appeal_report_dialog import AppealReportDialog
        from heart_desktop.ui.case_measures_panel import SurveyDialog
        from heart_desktop.ui.history_view import AccessHistoryDialog, AuditExportDialog
        from heart_desktop.ui.photos_panel import PhotoViewer

        win = self.window
        win.open_case(case_id)
        workspace = win.workspace
        assert workspace is not None
        settle(lambda: workspace.is_loaded() and workspace.case_id == case_id)
        # the photo viewer: the case's first photo, or a synthetic picture when it has none
        photos = workspace.photos.list
        if photos.count() > 0:
            attachment = str(photos.item(0).data(Qt.ItemDataRole.UserRole))
            data, title = win.worker.call(lambda: win.session.photo(attachment)), photos.item(0).text()
        else:
            image = QImage(640, 480, QImage.Format.Format_RGB32)
            image.fill(QColor("#4a7a9c"))
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buffer, "PNG")
            data, title = bytes(buffer.data().data()), "Bathroom, before the works"
        yield from self._dialog("photo viewer", PhotoViewer(data, title, workspace))
        # the letter preview and its sign dialog
        workspace.tabs.setCurrentWidget(workspace.documents)
        settle()
        letters = workspace.documents.letters
        settle(lambda: letters.kind.count() > 0, 10_000)
        for index in range(letters.kind.count()):
            letters.kind.setCurrentIndex(index)
            settle()
            if letters.preview_button.isEnabled():
                letters.preview_letter()
                settle(lambda: letters.shown is not None, 60_000)
                break
        if letters.shown is not None and not letters.shown.get("signed"):
            letters.start_signing()
            yield from self._dialog("letter sign dialog", letters.sign_dialog)
        yield from self._dialog("satisfaction survey", SurveyDialog(workspace))
        # the access history as a manager sees it (its table of entries): this officer is not one
        role, win.session.role = win.session.role, "manager"
        history = AccessHistoryDialog(win.session, case_id, workspace.title.text().split(" — ")[0], workspace)
        history.refresh()
        try:
            yield from self._dialog("access history", history, lambda: bool(history.rows))
        finally:
            win.session.role = role
        for name, ask in (("close case", workspace.ask_close), ("suspend case", workspace.ask_suspend),
                          ("extend case", workspace.ask_extend), ("record decision", workspace.ask_decision),
                          ("reopen case", workspace.ask_reopen)):
            yield from self._dialog(name, ask())
        # a form that cannot be completed yet: its problems listed, its fields marked
        forms = workspace.forms
        workspace.tabs.setCurrentWidget(forms)
        settle()
        for index in range(forms.list.count()):  # a form not started: nothing answered yet
            if "not started" in forms.list.item(index).text():
                forms.list.setCurrentRow(index)
                break
        settle(lambda: forms.view is not None and "not started" in forms.list.currentItem().text())
        view = forms.view
        assert view is not None
        forms.complete()
        settle(lambda: bool(view.problems_label.text()), 10_000)
        assert "cannot be completed" in view.problems_label.text(), view.problems_label.text()
        yield "form cannot complete", win
        # the office connection (this laptop is not enrolled) and the audit export
        win.show_office_connection()
        settle(lambda: getattr(win, "enrol_dialog", None) is not None, 20_000)
        yield from self._dialog("office connection", getattr(win, "enrol_dialog", None))
        yield from self._dialog("export audit", AuditExportDialog(win.session, win, today=date(2026, 3, 31)))
        # the appeals: a case whose appeal waits for a panel, from the demo's appeals
        with_appeal = None
        for row in (self.window.caseload.model.row_data(i) for i in range(self.window.caseload.model.total())):
            if not row:
                continue
            found = win.worker.call(lambda r=row: appeals.appeals_for(win.session, str(r["id"])))
            if any(a.get("panel_due") for a in found):
                with_appeal = str(row["id"])
                break
        if with_appeal is None:
            return
        # a photo on the appeal's case, so the anonymised report offers its tick box and caption
        win.worker.call(lambda: win.session.add_photo(with_appeal, data, caption="Bathroom, before the works",
                                                      filename="bathroom.png"))
        win.open_case(with_appeal)
        workspace = win.workspace
        assert workspace is not None
        settle(lambda: workspace.is_loaded() and workspace.case_id == with_appeal)
        panel = workspace.appeals
        workspace.tabs.setCurrentWidget(panel)
        settle(lambda: panel.current() is not None, 20_000)
        for name, ask in (("appeal lodge", panel.ask_lodge), ("appeal answer", panel.ask_answer),
                          ("appeal decide", panel.ask_decide), ("appeal escalate", panel.ask_escalate),
                          ("appeal outcome", panel.ask_outcome)):
            yield from self._dialog(name, ask())
        appeal = panel.current()
        report = AppealReportDialog(win.session, with_appeal, appeal["id"] if appeal else None, workspace)
        yield from self._dialog("anonymised report", report, lambda: bool(report.boxes))

    def save_shot(self, name: str, widget: QWidget) -> str | None:
        if self.shots is None:
            return None
        self.saved += 1
        path = self.shots / f"{self.saved:02d}-{name.replace(': ', '-').replace(' ', '-')}.png"
        widget.window().grab().save(str(path))
        return str(path)


def announcements(tour: Tour) -> dict[str, object]:
    """A wrong passphrase typed on the unlock page, with an AT-SPI listener (``atspi_listen.py``)
    running: what the page shows and what the bus carried as announcements."""
    listener = QProcess()
    listener.setProgram(SYSTEM_PYTHON)
    # a generous limit: the listener is stopped once the message has shown (a loaded machine can take
    # many seconds to try the passphrase), never by its own clock
    listener.setArguments([str(HERE / "atspi_listen.py"), str(os.getpid()), "120"])
    listener.start()
    settle(lambda: b"listening" in bytes(listener.peek(4096).data()), 20_000)
    QTest.qWait(2000)  # the registry tells Qt's bridge that someone listens for announcements now
    page = tour.window.passphrase_page
    settle(tour.window.isVisible)
    activate(tour.window)
    page.passphrase.setFocus()
    QTest.keyClicks(page.passphrase, "not the passphrase")
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)
    settle(lambda: bool(page.message.text()) and "Opening" not in page.message.text(), 30_000)
    shown = page.message.text()
    QTest.qWait(2000)  # the announcement crosses the bus to the listener
    listener.terminate()  # its lines are flushed as they are heard
    settle(lambda: listener.state() == QProcess.ProcessState.NotRunning, 30_000)
    lines = bytes(listener.readAllStandardOutput().data()).decode("utf-8", "replace").splitlines()
    heard = [json.loads(line) for line in lines if line.startswith("{")]
    errors = bytes(listener.readAllStandardError().data()).decode("utf-8", "replace")[-800:]
    return {"shown": shown, "heard": heard, "listener_errors": errors}


def main() -> int:
    store, report = Path(sys.argv[1]), Path(sys.argv[2])
    shots = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    if os.environ.get("HEART_FONT_PT"):
        font = QFont(app.font())
        font.setPointSizeF(float(os.environ["HEART_FONT_PT"]))
        app.setFont(font)
    from heart_desktop.ui import app as ui_app
    from heart_desktop.ui import focus_ring

    ui_app.apply_style(app)  # the driver made the QApplication (for the font): style it as the app does
    focus_ring.install(app)
    tour = Tour(store, shots)
    if os.environ.get("HEART_A11Y_ANNOUNCE"):
        try:
            report.write_text(json.dumps(announcements(tour), indent=1), encoding="utf-8")
        finally:
            tour.window.close()
            tour.window.shutdown()
        return 0
    results = []
    try:
        for name, root in tour.screens():
            activate(root)
            settle()
            QTest.qWait(300)
            entry: dict[str, object] = {"screen": name, "fit": fit(root)}
            if os.environ.get("HEART_A11Y_FIT_ONLY"):
                entry["shot"] = tour.save_shot(name, root)
                results.append(entry)
                continue
            entry["shot"] = tour.save_shot(name, root)  # before the keyboard checks move focus and selection
            entry["atspi"] = walk_atspi(root)
            entry["qt_labels"] = qt_labels_not_text(root)
            entry["tab_traps"] = tab_traps(root)
            entry["unreachable"] = tab_unreached(root)
            entry["tab_order"] = list(TAB_ORDER)
            results.append(entry)
            print(f"checked {name}", flush=True)
    finally:
        report.write_text(json.dumps(results, indent=1), encoding="utf-8")
        tour.window.close()
        tour.window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
