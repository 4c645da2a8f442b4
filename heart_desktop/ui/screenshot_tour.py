"""The screenshot tour: open the demo store and save a PNG of each main screen.

Run it under Xvfb (``xvfb-run -a heart-desktop screenshots``) to see the real window decorations
and fonts; it also works with ``QT_QPA_PLATFORM=offscreen``. It drives the same widgets an
officer does, so a screen that looks wrong here looks wrong on a laptop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from heart_desktop.ui.main_window import MainWindow
    from heart_desktop.ui.pack_panel import PackPanel

TOUR_SIZE = (1366, 768)


def _settle(app: QApplication, until: Callable[[], bool] | None = None, timeout_ms: int = 15_000) -> None:
    deadline = QDeadlineTimer(timeout_ms)
    while not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if until is None or until():
            if until is None:
                return
            break
    for _ in range(10):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        QCoreApplication.sendPostedEvents()


def _save(widget: QWidget, folder: Path, name: str, saved: list[Path]) -> None:
    path = folder / f"{len(saved) + 1:02d}-{name}.png"
    widget.grab().save(str(path))
    saved.append(path)


def _show_generated_pack(app: QApplication, panel: PackPanel) -> None:
    built: list[bool] = []
    panel.pack_shown.connect(lambda: built.append(True))
    panel.generate()
    _settle(app, lambda: bool(built))
    _settle(app)


def _casework_tour(app: QApplication, window: MainWindow, folder: Path, saved: list[Path]) -> None:
    """New enquiry (with a refusal naming its field), Today, a case's contact log, the out-of-order
    sanction and a closed case, and the waiting lists."""
    window.new_enquiry()
    dialog = window.enquiry_dialog
    if dialog is not None:
        _settle(app)
        dialog.name.setText("Edna Fairweather")
        dialog.born.setText("14/03/1950")
        dialog.phone.setText("01926 410410")
        dialog.line1.setText("12 Mill Road")
        dialog.town.setText("Warwick")
        dialog.postcode.setText("CV35 7AA")  # a district in two councils: the officer is asked which
        dialog.reason.setPlainText("I can't get up the stairs and I sleep in the chair downstairs.")
        dialog.save_button.click()
        _settle(app, lambda: bool(dialog.message.text()))
        _save(dialog, folder, "new-enquiry", saved)
        dialog.reject()
    window.show_today()
    today = window.today_view
    if today is not None:
        _settle(app, today.is_loaded)
        _save(window, folder, "today", saved)
    store = window.session.store
    if store is None or window.workspace is None:
        return
    workspace = window.workspace
    sanctioned = window.worker.call(lambda: store.conn.execute(
        "SELECT id FROM cases WHERE outcome IS NULL AND priority_reason IS NOT NULL AND deleted = 0 "
        "ORDER BY reference LIMIT 1").fetchone())
    busy = window.worker.call(lambda: store.conn.execute(
        "SELECT case_id FROM contacts WHERE deleted = 0 GROUP BY case_id ORDER BY count(*) DESC, case_id "
        "LIMIT 1").fetchone())
    for case, shots in ((busy, ("contact-log",)), (sanctioned, ("sanction",))):
        if case is None:
            continue
        window.open_case(str(case[0]))
        _settle(app, lambda c=case: workspace.is_loaded() and workspace.case_id == str(c[0]))
        _settle(app)
        if "contact-log" in shots:
            workspace.tabs.setCurrentWidget(workspace.diary)
            _settle(app)
            _save(window, folder, "contact-log", saved)
            workspace.tabs.setCurrentIndex(0)
            continue
        _save(window, folder, "sanction", saved)
    closed = window.worker.call(lambda: store.conn.execute(
        "SELECT id FROM cases WHERE outcome = 'withdrawn' AND deleted = 0 ORDER BY reference LIMIT 1").fetchone())
    if closed is not None:
        window.open_case(str(closed[0]))
        _settle(app, lambda: workspace.is_loaded() and workspace.case_id == str(closed[0]))
        _settle(app)
        _save(window, folder, "closed-case", saved)
    window.show_queue()
    queue = window.queue_view
    if queue is not None:
        _settle(app, lambda: bool(queue.rows))
        _save(queue, folder, "waiting-lists", saved)
        if len(queue.rows) > 3:  # a case three places down, taken out of order: the team leader's sanction
            queue.table.selectRow(3)
            asked = queue.ask_sanction()
            if asked is not None:
                _settle(app)
                _save(asked, folder, "sanction-dialog", saved)
                asked.reject()
        queue.close()


def _manager_dialogs(app: QApplication, window: MainWindow, folder: Path, saved: list[Path]) -> None:
    """Sync conflicts and Reports > Partnership measures (opened as the menu opens it for a manager)."""
    from heart_desktop.ui.reports_view import ReportsDialog

    window.show_conflicts()
    conflicts = getattr(window, "conflicts_dialog", None)
    if conflicts is not None:
        _settle(app)
        _save(conflicts, folder, "conflicts", saved)
        conflicts.close()
    reports = ReportsDialog(window.session, window)
    reports.show()
    _settle(app, lambda: bool(reports.status.text()))
    _save(reports, folder, "reports", saved)
    reports.close()


def take_tour(db_path: Path, folder: Path, font_pt: float | None = None) -> tuple[list[Path], list[int]]:
    """Save the screens as PNGs; also the screen's available size in logical pixels (at 150% scale a
    1366x768 screen leaves 911x512). ``font_pt`` sets the application font, as a system setting would."""
    from PySide6.QtGui import QFont

    from heart_desktop.documents.demo_packs import ensure_demo_store
    from heart_desktop.store import DEMO_PASSPHRASE
    from heart_desktop.ui.app import apply_style, create_application
    from heart_desktop.ui.main_window import MainWindow

    folder.mkdir(parents=True, exist_ok=True)
    ensure_demo_store(db_path)
    app = create_application()
    if font_pt is not None:
        font = QFont(app.font())
        font.setPointSizeF(font_pt)
        app.setFont(font)
        apply_style(app)  # the headings are sized from the application font
    window = MainWindow(db_path, demo_hint=f"Demo store: the passphrase is {DEMO_PASSPHRASE!r}.")
    available = window.screen().availableGeometry()
    window.resize(min(TOUR_SIZE[0], available.width()), min(TOUR_SIZE[1], available.height()))
    window.show()
    saved: list[Path] = []
    try:
        _settle(app)
        _save(window, folder, "unlock", saved)
        window.passphrase_page.passphrase.setText(DEMO_PASSPHRASE)
        window.passphrase_page.button.click()
        _settle(app, lambda: window.caseload is not None and window.caseload.model.total() > 0)
        assert window.caseload is not None
        _settle(app, lambda: window.caseload.model.row_data(0) is not None)  # type: ignore[union-attr]
        _save(window, folder, "caseload", saved)
        window.caseload.search.setText("CV34")
        _settle(app, lambda: window.caseload.model.query.search == "CV34"  # type: ignore[union-attr]
                and window.caseload.model.is_settled()  # type: ignore[union-attr]
                and window.caseload.model.row_data(0) is not None)  # type: ignore[union-attr]
        _save(window, folder, "caseload-search", saved)
        rows = [window.caseload.model.row_data(i) for i in range(min(window.caseload.model.total(), 200))]
        later = [r for r in rows if r and r.get("stage") in ("quotation", "application", "approval", "works_start")]
        from heart_desktop.store.packs import Packs

        store = window.session.store
        signed = window.worker.call(lambda: Packs(store).queue(limit=1)) if store is not None else []
        # a case with a signed pack shows every tab with something in it
        chosen_id = signed[0]["case_id"] if signed else (later or [r for r in rows if r])[0]["id"]
        window.open_case(str(chosen_id))
        workspace = window.workspace
        assert workspace is not None
        _settle(app, workspace.is_loaded)
        for index, name in workspace.tour_tabs():
            workspace.tabs.setCurrentIndex(index)
            _settle(app, workspace.is_loaded)
            if workspace.tabs.currentWidget() is workspace.documents:
                _show_generated_pack(app, workspace.documents)
            if workspace.tabs.currentWidget() is workspace.forms:
                workspace.forms.open_form("hhsrs_assessment")  # a form as the officer sees it
                _settle(app, lambda: workspace.forms.view is not None)
            _save(window, folder, f"case-{name}", saved)
            if workspace.tabs.currentWidget() is workspace.documents and workspace.documents.sign_button.isEnabled():
                workspace.documents.start_signing()
                dialog = workspace.documents.sign_dialog
                if dialog is not None:
                    _settle(app, dialog.isVisible)
                    _save(dialog, folder, "sign-dialog", saved)
                    dialog.reject()
                    _settle(app)
        _casework_tour(app, window, folder, saved)
        _manager_dialogs(app, window, folder, saved)
        window.show_print_queue()
        queue = window.print_queue
        if queue is not None:
            _settle(app)
            _save(queue, folder, "print-queue", saved)
            queue.close()
        window.show_office_connection()  # the demo store is not enrolled: the connect dialog
        _settle(app, lambda: getattr(window, "enrol_dialog", None) is not None)
        enrol = getattr(window, "enrol_dialog", None)
        if enrol is not None:
            enrol.server.setText("https://heart.example.gov.uk")
            enrol.connect_button.click()  # no code yet: the dialog says what to type
            _settle(app)
            _save(enrol, folder, "office-connection", saved)
            enrol.close()
        window.lock()
        _settle(app)
        _save(window, folder, "locked", saved)
    finally:
        window.close()
        window.shutdown()
    return saved, [available.width(), available.height()]
