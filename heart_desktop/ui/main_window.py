"""The main window: unlock, caseload, case workspace, and the lock that hides them.

Pages live in one stack. Locking switches to the passphrase page without destroying the work
pages, so anything typed but not yet saved is still there after unlocking.

Start-up shows the unlock page first and does the rest while the officer types: the form
definitions are loaded and checked on the store thread, and the caseload and workspace modules
(with formkit and jsonschema behind them) are imported only when the store opens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from heart_desktop import __version__
from heart_desktop.paths import forms_dir
from heart_desktop.ui.data_changed import on_change
from heart_desktop.ui.first_paint import after_first_paint
from heart_desktop.ui.idle_lock import IdleLock
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.messages import Icon, ask, message_box, tell
from heart_desktop.ui.passphrase_page import Mode, PassphrasePage
from heart_desktop.ui.screen_fit import CurrentPageStack, resize_within_screen, scrolling
from heart_desktop.ui.session import OpenFailure, Session
from heart_desktop.ui.worker import StoreWorker

if TYPE_CHECKING:
    from heart_desktop.formkit import Form
    from heart_desktop.ui.caseload_model import CaseloadModel
    from heart_desktop.ui.caseload_view import CaseloadView
    from heart_desktop.ui.enquiry_dialog import EnquiryDialog
    from heart_desktop.ui.print_queue import PrintQueue
    from heart_desktop.ui.queue_view import QueueView
    from heart_desktop.ui.sync_controller import SyncController
    from heart_desktop.ui.today_view import TodayView
    from heart_desktop.ui.workspace import CaseWorkspace


FORMS_AFTER_MS = 300  # after the first paint; nobody types a passphrase sooner
# the modules behind the caseload and a case, imported one per turn of the event loop once the forms
# are in, while the officer types the passphrase: together 130 ms that stood between the passphrase
# and the caseload; one at a time, each a few tens of ms at most between two keystrokes
WARM_MODULES = tuple(f"heart_desktop.ui.{name}" for name in (
    "caseload_model", "caseload_view", "today_view", "diary_panel", "eligibility_panel", "form_dialog",
    "forms_panel", "means_test_panel", "pack_panel", "photos_panel", "timeline_widget", "works_editor",
    "case_measures_panel", "appeals_panel", "workspace"))
FIRST_PAGE_WAIT_MS = 2000  # the background work after unlock starts by then even if no page was asked for


def _action(text: str, parent: QWidget, keys: QKeySequence | QKeySequence.StandardKey, **signals: Any) -> QAction:
    """An action with its shortcut. ``setShortcuts`` rather than ``shortcut=`` or ``setShortcut``,
    whose overloads build Qt's whole enum namespace before the unlock window's first paint."""
    action = QAction(text, parent, **signals)
    action.setShortcuts(keys if isinstance(keys, QKeySequence.StandardKey) else [keys])
    return action


def load_forms() -> tuple[list[Form], str | None]:
    """Every form definition, checked against the schema at start (a bad one names file and field)."""
    from heart_desktop.domain.measures import SEPARATE_FORMS
    from heart_desktop.formkit import FormDefinitionError, check_all_forms

    try:
        return [f for f in check_all_forms(forms_dir()) if f.id not in SEPARATE_FORMS], None
    except FormDefinitionError as exc:
        return [], str(exc)


class MainWindow(QMainWindow):
    def __init__(self, db_path: Path, lock_minutes: float = 10.0, demo_hint: str | None = None,
                 lease_days: int = 14, today: Callable[[], date] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("HEART Desktop")
        resize_within_screen(self, 1280, 740)
        self.worker = StoreWorker(self)
        self.worker.on_revoked = self._revoked  # any call to the office that learns it, as a sync does
        self._revoked_once = False
        self._shut_down = False
        self.sync: SyncController | None = None
        self.session = Session(db_path, self.worker)
        self.session.health.damaged.connect(self._store_damaged)
        if today is not None:
            self.session.today = today  # the day the screens count from (a test's, or the computer's)
        self.demo_hint = demo_hint
        self.lease_days = lease_days  # 0: no offline lease
        self.forms: list[Form] = []
        self.forms_problem: str | None = None
        # read once the unlock page is drawn (it must not compete with drawing it), and always
        # before an unlock is answered: the store thread runs jobs in order
        self._forms_requested = False
        self.warmed = False  # WARM_MODULES imported (after the forms)
        QTimer.singleShot(FORMS_AFTER_MS, self._request_forms)
        # the window may be smaller than its pages' smallest layout (150% scale, a 16 pt font): each page
        # scrolls in its own area; one area round the stack gave the unlock page the work page's height
        # (a stack's height for a width is its tallest page's), and the locked card sat below the screen
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self._areas: dict[int, QWidget] = {}
        self.passphrase_page = PassphrasePage(self)
        self._add_page(self.passphrase_page)
        self.caseload: CaseloadView | None = None
        self.workspace: CaseWorkspace | None = None
        self._work_page: QWidget | None = None
        self.print_queue: PrintQueue | None = None
        self.today_view: TodayView | None = None
        self.queue_view: QueueView | None = None
        self.enquiry_dialog: EnquiryDialog | None = None
        self.idle = IdleLock(lock_minutes, self)  # counting from now; it watches keys and clicks
        self.idle.idle.connect(self.lock)        # from just after the first paint
        after_first_paint(self, self._after_first_paint)
        self.busy_label = QLabel("", self)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.worker.busy_changed.connect(lambda busy: self.busy_label.setText("Working…" if busy else ""))
        self._build_actions()
        self.passphrase_page.submitted.connect(self._unlock)
        self.passphrase_page.set_mode(Mode.UNLOCK if self.session.exists() else Mode.CREATE, str(db_path))
        if demo_hint:
            self.passphrase_page.add_hint(demo_hint)
        self._set_work_actions(False)

    def _after_first_paint(self) -> None:
        """What the unlock page does not need to be drawn: the idle lock's watch on every key and
        click of the application (an event filter that would see the first paint's events too)."""
        QApplication.instance().installEventFilter(self.idle)  # type: ignore[union-attr]

    # --- actions ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.lock_action = _action("&Lock", self, QKeySequence("Ctrl+L"), triggered=self.lock)
        quit_action = _action("&Quit", self, QKeySequence.StandardKey.Quit, triggered=self.close)
        file_menu.addActions([self.lock_action, quit_action])
        case_menu = self.menuBar().addMenu("&Cases")
        self.find_action = _action("&Find a case", self, QKeySequence.StandardKey.Find, triggered=self.show_caseload)
        self.back_action = _action("&Back to caseload", self, QKeySequence("Alt+Left"), triggered=self.show_caseload)
        self.print_queue_action = _action("&Print queue…", self, QKeySequence("Ctrl+Shift+P"),
                                          triggered=self.show_print_queue)
        self.new_enquiry_action = _action("&New enquiry…", self, QKeySequence.StandardKey.New,
                                          triggered=self.new_enquiry)
        self.today_action = _action("&Today", self, QKeySequence("Ctrl+T"), triggered=self.show_today)
        self.queue_action = _action("&Waiting lists…", self, QKeySequence("Ctrl+Shift+L"), triggered=self.show_queue)
        self.import_action = QAction("&Import referrals (CSV)…", self, triggered=self.choose_referrals)
        self.import_action.setToolTip("A batch of referrals from a CSV file: all of them are imported, or none")
        case_menu.addActions([self.new_enquiry_action, self.import_action, self.today_action, self.find_action,
                              self.back_action, self.queue_action, self.print_queue_action])
        sync_menu = self.menuBar().addMenu("&Sync")
        self.sync_action = _action("Sync &now", self, QKeySequence("F5"),
                                   triggered=lambda: self.sync.sync_now() if self.sync else None)
        self.sync_action.setEnabled(False)
        self.conflicts_action = QAction("&Conflicts…", self, triggered=self.show_conflicts)
        self.conflicts_action.setEnabled(False)
        self.office_action = QAction("&Office connection…", self, triggered=self.show_office_connection)
        self.office_action.setEnabled(False)
        sync_menu.addActions([self.sync_action, self.conflicts_action, self.office_action])
        # no Alt letter is free (R records a stage, O is the Overview...): Alt then the arrows, or Ctrl+Shift+M
        self.reports_menu = self.menuBar().addMenu("Reports")
        self.measures_action = _action("&Partnership measures…", self, QKeySequence("Ctrl+Shift+M"),
                                       triggered=self.show_measures)
        self.reports_menu.addAction(self.measures_action)
        self.audit_export_action = QAction("Export &audit for a period…", self, triggered=self.show_audit_export)
        self.audit_export_action.setToolTip("This laptop's audit entries of a period, as CSV or JSON (managers)")
        self.reports_menu.addAction(self.audit_export_action)
        self.subject_access_action = QAction("&Subject access request…", self, triggered=self.show_subject_access)
        self.subject_access_action.setToolTip("A person's data held at the office, as a ZIP (managers)")
        self.reports_menu.addAction(self.subject_access_action)
        self.reports_menu.menuAction().setVisible(False)  # managers only, once the role is known
        help_menu = self.menuBar().addMenu("&Help")
        self.log_folder_action = QAction("Show &log folder", self, triggered=self.show_log_folder)
        self.log_folder_action.setToolTip("Open the folder with HEART Desktop's log, for IT (no case data in it)")
        help_menu.addAction(self.log_folder_action)
        help_menu.addAction(QAction("&About HEART Desktop", self, triggered=self.about))

    def _after_first_page(self, model: CaseloadModel) -> None:
        """The unfinished forms, the holding line and sync come once the officer sees the caseload's
        first page (or an empty or failed one): the worker takes requests in order, and these (with
        the HTTP client and the protocol's models they load) would otherwise come before it."""
        started = False

        def start(*_args: object) -> None:
            nonlocal started
            if started or self.caseload is None or self._shut_down:
                return
            started = True
            caseload = self.caseload
            titles = {form.id: form.title for form in self.forms}
            self.worker.submit(self.session.drafts, lambda drafts: caseload.show_drafts(drafts, titles),
                               lambda _e: None)
            self._show_holding()
            self._start_sync()

        def counted(total: int) -> None:
            table = self.caseload.table if self.caseload is not None else None
            if total == 0 or table is None or not table.isVisible():
                start()  # no page will be asked for (nothing to show, or the window is not shown)
            else:
                # should the view never ask for a page; tied to the table, so gone with the window
                QTimer.singleShot(FIRST_PAGE_WAIT_MS, table, start)

        model.dataChanged.connect(start)
        model.loaded.connect(counted)
        model.failed.connect(start)

    def _sync_widgets(self) -> None:
        """The status bar's sync line and progress bar, there from the first sight of the caseload
        (the sync itself starts after its first page)."""
        from PySide6.QtWidgets import QProgressBar

        self.sync_label = StatusLabel("", self)
        self.sync_label.setAccessibleDescription("Sync status")
        self.sync_progress = QProgressBar(self)
        self.sync_progress.setRange(0, 0)  # busy until the first figures arrive
        self.sync_progress.setMaximumWidth(120)
        self.sync_progress.setAccessibleName("Sync in progress")
        self.sync_progress.setVisible(False)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(self.sync_progress)

    def _start_sync(self) -> None:
        from heart_desktop.ui.sync_controller import SyncController

        self.sync = SyncController(self.session, self)
        self.sync.started.connect(self._sync_started)
        self.sync.progress.connect(self._show_sync_progress)
        self.sync.status_changed.connect(self._show_sync_status)
        self.sync.revoked.connect(self._revoked)
        if self.workspace is not None:
            self.workspace.forms.form_completed.connect(lambda _form: self.sync.sync_now())
        self.sync_action.setEnabled(True)
        self.conflicts_action.setEnabled(True)
        self.office_action.setEnabled(True)
        self.sync.sync_now()

    def _sync_started(self) -> None:
        self.sync_progress.setRange(0, 0)
        self.sync_progress.setVisible(True)

    def _show_sync_progress(self, progress: Any) -> None:
        """The bar fills by changes, bytes or files of the stage; the label says which, in words."""
        if progress.total:
            self.sync_progress.setRange(0, 1000)
            self.sync_progress.setValue(min(1000, progress.done * 1000 // progress.total))
        else:
            self.sync_progress.setRange(0, 0)
        text = f"Sync: {progress.describe()}"
        self.sync_progress.setToolTip(text)
        self.sync_progress.setAccessibleDescription(text)
        if self.sync is not None and self.sync.is_running():
            self.sync_label.setText(text)

    def show_office_connection(self) -> None:
        """Connect a laptop that is not enrolled; say whom and where an enrolled one is connected to."""
        from heart_desktop.sync.client import sync_status

        store = self.session.store
        if store is not None:
            self.worker.submit(lambda: sync_status(store), self._show_office_connection, lambda _error: None)

    def _show_office_connection(self, status: Any) -> None:
        from heart_desktop.ui.enrol_dialog import EnrolDialog, describe_officer

        if self.is_locked():
            return
        if status.enrolled:
            tell(self, Icon.Information, "Office connection",
                 f"This laptop is connected to {status.server} for {describe_officer(status)}.\n\n"
                 "To give it to another officer, IT revokes it at the office and sets it up afresh.")
            return
        dialog = EnrolDialog(self.session, self)
        dialog.enrolled.connect(self._enrolled)
        self.enrol_dialog = dialog
        dialog.open()


    def _enrolled(self, _officer: str) -> None:
        """From now on this laptop writes as the enrolled officer, within their role; then it syncs."""
        self.worker.submit(self.session.learn_role, lambda _none: self.sync.sync_now() if self.sync else None,
                           lambda _error: None)
    def show_conflicts(self) -> None:
        from heart_desktop.ui.conflicts_view import ConflictsDialog

        dialog = ConflictsDialog(self.session, self)
        on_change(self.session.data_changed, dialog, lambda _change: dialog.refresh(),
                  wanted=lambda change: change.has("conflict"))
        dialog.resolved.connect(lambda: self.sync.sync_now() if self.sync else None)
        self.conflicts_dialog = dialog
        dialog.show()
        dialog.refresh()

    def _show_sync_status(self, text: str, warning: bool) -> None:
        self.sync_progress.setVisible(self.sync.is_running())
        self.sync_label.setText(text)
        self.sync_label.setObjectName("clockWarn" if warning else "")
        self.sync_label.setStyleSheet(self.sync_label.styleSheet())  # re-apply the style for the new name

    def _revoked(self) -> None:
        """The office revoked this laptop (a sync learnt it, or any other call to the office): lock,
        wipe the store, its backups and migration copies, and say what happened; once."""
        from heart_desktop.sync.client import wipe_store
        from heart_desktop.sync.errors import REVOKED_TITLE, REVOKED_WIPED

        if self._revoked_once:
            return
        self._revoked_once = True
        self.lock()
        if self.sync is not None:
            self.sync.wait()  # a sync on its own connection lets go of the file before it goes
        store = self.session.store
        self.session.store = None
        if store is not None:
            self.worker.call(lambda: wipe_store(store))
        tell(self, Icon.Critical, REVOKED_TITLE, REVOKED_WIPED)
        self.close()

    def _store_damaged(self, problem: str) -> None:
        """The check after an unclean close found damage: stop using the file (nothing more is
        written to it), say what to do, and close; the file is kept for IT as it is."""
        from heart_desktop.services.workbench import explain_open_error
        from heart_desktop.store import DamagedDatabaseError

        failure = explain_open_error(DamagedDatabaseError(problem))
        self.lock()
        if self.sync is not None:
            self.sync.wait()
        self.worker.call(self.session.close)
        tell(self, Icon.Critical, failure.title, str(failure))
        self.passphrase_page.show_message(str(failure))

    def show_audit_export(self) -> None:
        """Reports > Export audit for a period…, for managers (domain.permissions: view_audit)."""
        from heart_desktop.services.audit import history_refusal
        from heart_desktop.ui.history_view import AuditExportDialog

        if self.is_locked() or self._work_page is None:
            return
        refused = history_refusal(self.session.role)
        if refused is not None:
            self.statusBar().showMessage(f"Not offered: {refused}", 8000)
            return
        self.audit_export_dialog = AuditExportDialog(self.session, self)
        self.audit_export_dialog.open()

    def show_subject_access(self) -> None:
        """Reports > Subject access request…, for managers (domain.permissions: subject_access)."""
        from heart_desktop.services.privacy import refusal
        from heart_desktop.ui.subject_access_dialog import SubjectAccessDialog

        if self.is_locked() or self._work_page is None:
            return
        refused = refusal(self.session.role)
        if refused is not None:
            self.statusBar().showMessage(f"Not offered: {refused}", 8000)
            return
        self.subject_access_dialog = SubjectAccessDialog(self.session, self)
        self.subject_access_dialog.open()

    def show_measures(self) -> None:
        """Reports > Partnership measures, for managers (domain.permissions: view_measures)."""
        from heart_desktop.ui.reports_view import ReportsDialog

        if self.is_locked() or self._work_page is None:
            return
        refused = self.session.refusal("view_measures") if self.session.role else "enrol this laptop first"
        if refused:
            tell(self, Icon.Information, "Partnership measures", f"Not available: {refused}.")
            return
        dialog = ReportsDialog(self.session, self)
        dialog.open_case.connect(self.open_case)
        self.reports_dialog = dialog
        dialog.show()

    def _set_work_actions(self, enabled: bool) -> None:
        from heart_desktop.domain.permissions import may

        self.reports_menu.menuAction().setVisible(enabled and may(self.session.role, "view_measures"))
        self.measures_action.setEnabled(enabled)
        self.audit_export_action.setEnabled(enabled)
        self.audit_export_action.setVisible(bool(self.session.role) and may(self.session.role, "view_audit"))
        self.subject_access_action.setEnabled(enabled)
        self.subject_access_action.setVisible(bool(self.session.role) and may(self.session.role, "subject_access"))
        for action in (self.lock_action, self.find_action, self.back_action, self.print_queue_action,
                       self.conflicts_action, self.office_action, self.new_enquiry_action, self.today_action,
                       self.queue_action, self.import_action):  # conflicts show case data: not when locked
            action.setEnabled(enabled)

    def log_folder_url(self) -> QUrl:
        """The folder ``Help > Show log folder`` opens: the platform log directory."""
        from heart_desktop import logs

        folder = logs.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return QUrl.fromLocalFile(str(folder))

    def show_log_folder(self) -> None:
        QDesktopServices.openUrl(self.log_folder_url())

    def about(self) -> None:
        QMessageBox.about(self, "About HEART Desktop",
                          f"HEART Desktop {__version__}\n\nField application of the Home Environment "
                          "Assessment and Response Team.\nPolicy: HEART Financial Assistance Policy "
                          f"v{self.session.policy_version()}.")

    # --- unlock and lock -------------------------------------------------------------------------

    def _unlock(self, passphrase: str) -> None:
        if self._work_page is not None:  # re-unlocking after a lock: no store work needed
            if self.session.verify(passphrase):
                self._show_page(self._work_page)
                self._set_work_actions(True)
                self.idle.poke()
            else:
                self.passphrase_page.show_message("That passphrase is not right. Try again.")
            return
        creating = self.passphrase_page.mode is Mode.CREATE
        name = self.passphrase_page.officer_name()
        self.passphrase_page.set_busy(True)
        self._request_forms()
        self.worker.submit(lambda: self.session.open(passphrase, create=creating, officer_name=name),
                           lambda _: self._opened(), self._open_failed)

    def _request_forms(self) -> None:
        if not self._forms_requested:
            self._forms_requested = True
            self.worker.submit(load_forms, self._forms_loaded)

    def _forms_loaded(self, loaded: tuple[list[Form], str | None]) -> None:
        self.forms, self.forms_problem = loaded
        self._warm_up(list(WARM_MODULES))

    def _warm_up(self, modules: list[str]) -> None:
        """Import the next of ``modules`` and come back on the next turn of the event loop; done
        when all are in (or the window has shut down)."""
        import importlib

        if self._shut_down or not modules:
            if not self._shut_down:
                from heart_desktop.services.measures import intervention_kinds

                intervention_kinds()  # the measure set, read once and kept: the case's KPI tab lists it
            self.warmed = True
            return
        importlib.import_module(modules.pop(0))
        QTimer.singleShot(0, self, lambda: self._warm_up(modules))

    def _opened(self) -> None:
        """The store is open; a laptop out of touch with the office longer than its lease signs in
        again (a successful sync) before any case data shows."""
        from heart_desktop.store.sync_state import lease_expired

        store = self.session.store
        if store is None:  # the check after a crash found damage while it opened: nothing to show
            self.passphrase_page.set_busy(False)
            return
        if self.lease_days and self.worker.call(lambda: lease_expired(store, self.lease_days)):
            self._renew_lease()
            return
        self._show_work()

    def _renew_lease(self) -> None:
        from heart_desktop.ui.sync_controller import SyncController

        self.passphrase_page.set_busy(True)
        self.passphrase_page.show_message(
            f"This laptop has not reached the office for over {self.lease_days} days. Connect to a network: "
            "HEART Desktop signs in to the office again before showing case data.")
        lease = SyncController(self.session, self)
        lease.finished.connect(lambda _report: (self.passphrase_page.set_busy(False), self._show_work()))
        lease.failed.connect(self._lease_failed)
        lease.revoked.connect(self._revoked)
        self._lease_sync = lease
        lease.sync_now()

    def _lease_failed(self, message: str) -> None:
        self.passphrase_page.set_busy(False)
        self.passphrase_page.show_message(f"Could not sign in to the office: {message}. Connect to a network and "
                                          "enter your passphrase again to retry.")
        self.worker.call(self.session.close)

    def _show_holding(self) -> None:
        """The caseload's line saying how many cases this laptop holds, and why."""
        caseload = self.caseload
        if caseload is not None:
            def show(held: dict) -> None:
                caseload.show_holding(str(held["text"]), enrolled=bool(held["enrolled"]))

            self.worker.submit(self.session.holding, show, lambda _e: None)

    def _show_work(self) -> None:
        from heart_desktop.ui.caseload_model import CaseloadModel
        from heart_desktop.ui.caseload_view import CaseloadView
        from heart_desktop.ui.workspace import CaseWorkspace

        self.passphrase_page.set_busy(False)
        model = CaseloadModel(self.worker, self.session.page_cases, self.session.count_cases)
        councils, officers = self.worker.call(lambda: (self.session.councils(), self.session.officers()))
        from heart_desktop.ui.today_view import TodayView

        # the caseload opens on the officer's own cases; the duty desk (admin) has none, so on all
        self.caseload = CaseloadView(model, councils, officers, self, me=self.session.officer,
                                     today=self.session.today, mine_first=self.session.role != "admin")
        self.workspace = CaseWorkspace(self.session, self.forms, self)
        self.today_view = TodayView(self.session, self)
        work = CurrentPageStack(self)
        work.addWidget(self.caseload)
        work.addWidget(self.workspace)
        work.addWidget(self.today_view)
        self.today_view.open_case.connect(self.open_case)
        self.today_view.back_requested.connect(self.show_caseload)
        self.caseload.show_today.connect(self.show_today)
        on_change(self.session.data_changed, self.today_view, lambda _change: self.today_view.refresh()
                  if self.today_view is not None and self.today_view.isVisible() else None,
                  wanted=lambda change: change.has("visit", "contact", "case"))
        self._work_page = work
        self._add_page(work)
        self._show_page(work)
        # the first page is asked for first: the worker takes requests in order, and the drafts, the
        # holding line and the sync status can come after the officer sees the caseload
        self.caseload.apply()
        self.caseload.open_case.connect(self.open_case)
        self.caseload.continue_draft.connect(self.continue_draft)
        self.workspace.back_requested.connect(self.show_caseload)
        # the caseload shows what the store holds after every commit, a sync pull's included
        on_change(self.session.data_changed, self.caseload, lambda _change: model.update(),
                  wanted=lambda change: bool(change.case_ids))
        on_change(self.session.data_changed, self.caseload, lambda _change: self._show_holding(),
                  wanted=lambda change: change.has("case"))
        self._set_work_actions(True)
        # the file's name: its whole path (on the unlock page) did not fit beside the sync line at 150%
        self.statusBar().showMessage(f"Store: {self.session.path.name}")
        self._sync_widgets()
        self._after_first_page(model)
        if self.forms_problem:
            tell(self, Icon.Warning, "A form definition is wrong",
                 f"{self.forms_problem}\n\nThe visit forms are unavailable until IT installs a "
                 "corrected copy. Everything else works.")
        self.caseload.focus_search()
        self.idle.poke()

    def _open_failed(self, error: BaseException) -> None:
        self.passphrase_page.set_busy(False)
        if isinstance(error, OpenFailure) and error.inline:
            self.passphrase_page.show_message(str(error))
            return
        self.open_failure_box(error).exec()
        self.passphrase_page.show_message(str(error))

    def open_failure_box(self, error: BaseException) -> QMessageBox:
        """Why the store did not open, as a box (a wrong passphrase is said on the page instead)."""
        title = error.title if isinstance(error, OpenFailure) else "Cannot open the store"
        return message_box(self, Icon.Warning, title, str(error))

    def lock(self) -> None:
        if self._work_page is None or self.is_locked():
            return
        if self.workspace is not None:
            self.workspace.flush_drafts()
        self.passphrase_page.set_mode(Mode.LOCKED, str(self.session.path))
        self._show_page(self.passphrase_page)
        self._set_work_actions(False)
        self.session.audit_lock()

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self._areas.get(id(self.passphrase_page))

    def _add_page(self, page: QWidget) -> None:
        area = scrolling(page, self.stack)
        self._areas[id(page)] = area
        self.stack.addWidget(area)

    def _show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(self._areas[id(page)])

    def page_area(self) -> QWidget:
        """The scroll area of the page shown (the unlock page or the work page)."""
        return self.stack.currentWidget()

    # --- navigation ------------------------------------------------------------------------------

    def show_caseload(self) -> None:
        if self.caseload is None or self._work_page is None or self.is_locked():
            return
        assert isinstance(self._work_page, QStackedWidget)
        if self.workspace is not None:
            self.workspace.flush_drafts()
        self._work_page.setCurrentWidget(self.caseload)
        self.caseload.focus_search()

    def open_case(self, case_id: str) -> None:
        if self.workspace is None or self._work_page is None:
            return
        assert isinstance(self._work_page, QStackedWidget)
        self.workspace.load_case(case_id)
        self._work_page.setCurrentWidget(self.workspace)

    def show_today(self) -> None:
        """The officer's day: visits with address, phone and what is still to do; follow-ups due."""
        if self.today_view is None or self._work_page is None or self.is_locked():
            return
        assert isinstance(self._work_page, QStackedWidget)
        if self.workspace is not None:
            self.workspace.flush_drafts()
        self._work_page.setCurrentWidget(self.today_view)
        self.today_view.refresh()
        self.today_view.focus()

    def show_queue(self) -> None:
        """The waiting lists, in the order cases are taken (9.1 to 9.3); one window, brought back."""
        from heart_desktop.ui.queue_view import QueueView

        if self.is_locked() or self._work_page is None:
            return
        if self.queue_view is None:
            self.queue_view = QueueView(self.session, self)
            self.queue_view.open_case.connect(self.open_case)
            on_change(self.session.data_changed, self.queue_view, lambda _change: self.queue_view.refresh()
                      if self.queue_view is not None and self.queue_view.isVisible() else None,
                      wanted=lambda change: change.has("case"))
        self.queue_view.show()
        self.queue_view.raise_()
        self.queue_view.refresh()

    def new_enquiry(self) -> None:
        """Cases > New enquiry (Ctrl+N): the enquiry as the duty desk takes it (5.1)."""
        from heart_desktop.domain.intake import IntakeError
        from heart_desktop.services import casework
        from heart_desktop.ui.enquiry_dialog import EnquiryDialog

        if self.is_locked() or self._work_page is None:
            return
        session = self.session
        dialog = EnquiryDialog(session.today(), parent=self)
        self.enquiry_dialog = dialog

        def submitted(data: dict[str, Any], force: bool) -> None:
            def saved(made: dict[str, Any]) -> None:
                dialog.accept()
                notes = " ".join(made.get("notes") or [])
                self.statusBar().showMessage(f"Enquiry {made['reference']} recorded ({made['council']}); the "
                                             f"reference is provisional until the office confirms it. {notes}")
                self.open_case(made["id"])

            def failed(error: BaseException) -> None:
                if isinstance(error, casework.LikelyDuplicate):
                    dialog.offer_duplicate(error.cases)
                elif isinstance(error, IntakeError):
                    dialog.refused(error.field, error.message)
                else:
                    dialog.failed(str(error))

            self.worker.submit(lambda: casework.new_enquiry(session, data, today=session.today(), force=force),
                               saved, failed)

        dialog.submitted.connect(submitted)
        dialog.open_existing.connect(self.open_case)
        dialog.open()

    def choose_referrals(self) -> None:
        """Cases > Import referrals (CSV): the batch the verb ``case import`` takes, from a file."""
        if self.is_locked() or self._work_page is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Import referrals", str(Path.home()),
                                              "Referrals (*.csv);;All files (*)")
        if name:
            self.import_referrals_from(Path(name))

    def import_referrals_from(self, path: Path, force: bool = False) -> None:
        """Import every referral of the file or none; a refusal names the line and field, and a likely
        duplicate can be imported anyway once the officer has looked."""
        from heart_desktop.services import casework

        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            tell(self, Icon.Warning, "Import referrals", f"{path.name} cannot be read ({exc}). Save it as CSV "
                 "(UTF-8) and try again; nothing was imported.")
            return
        session = self.session

        def imported(made: list[dict[str, Any]]) -> None:
            references = ", ".join(m["reference"] for m in made)
            self.statusBar().showMessage(f"Imported {len(made)} referral{'s' if len(made) != 1 else ''} from "
                                         f"{path.name}: {references} (references provisional until the office "
                                         "confirms them).")
            self.show_caseload()

        def refused(error: BaseException) -> None:
            message = f"{path.name}: {error}."
            if isinstance(error, casework.ImportRefused) and "duplicate" in error.problem and not force:
                if ask(self, "Import referrals", f"{message}\n\nImport the whole file anyway?"):
                    self.import_referrals_from(path, force=True)
                return
            self.statusBar().showMessage(message)
            tell(self, Icon.Warning, "Import referrals", f"{message} Correct the file and import it again.")

        self.worker.submit(lambda: casework.import_referrals(session, text, today=session.today(), force=force),
                           imported, refused)

    def show_print_queue(self) -> None:
        """Signed packs to print and post (admin); one window, brought back when asked again."""
        from heart_desktop.ui.print_queue import PrintQueue

        if self.is_locked() or self._work_page is None:
            return
        if self.print_queue is None:
            self.print_queue = PrintQueue(self.session, self)
            on_change(self.session.data_changed, self.print_queue, lambda _change: self.print_queue.refresh()
                      if self.print_queue is not None and self.print_queue.isVisible() else None,
                      wanted=lambda change: change.has("document"))
        self.print_queue.show()
        self.print_queue.raise_()
        self.print_queue.refresh()

    def continue_draft(self, case_id: str, form_id: str) -> None:
        self.open_case(case_id)
        workspace = self.workspace
        if workspace is None:
            return

        def when_loaded() -> None:
            workspace.loaded.disconnect(when_loaded)
            workspace.tabs.setCurrentWidget(workspace.forms)
            workspace.forms.open_form(form_id)

        workspace.loaded.connect(when_loaded)

    # --- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.workspace is not None:
            self.workspace.flush_drafts()
        event.accept()

    def shutdown(self) -> None:
        """Close the store and stop its thread; safe to call twice (a test restarts the app)."""
        if self._shut_down:
            return
        self._shut_down = True
        for sync in (self.sync, getattr(self, "_lease_sync", None), getattr(self, "enrol_dialog", None)):
            if sync is not None:
                sync.wait()
        self.worker.call(self.session.close)
        self.worker.stop()
