"""One case: household, property, timeline and clocks, HHSRS, works, eligibility, photos, notes.

Everything is loaded on the store worker and shown when it arrives; edits save as the officer
types (``Autosaver``) and the eligibility panel is recomputed from the domain after each change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.case_summary import CaseInputError, CaseSummary
from heart_desktop.domain.casework import STAGE_LABELS
from heart_desktop.domain.dates import age_on
from heart_desktop.domain.policy import PolicyError, policy_for, policy_set
from heart_desktop.domain.priority import Ground
from heart_desktop.domain.process import process
from heart_desktop.domain.works import answer_rows, costable_rows
from heart_desktop.formkit import Form
from heart_desktop.services import casework
from heart_desktop.store import case_facts
from heart_desktop.ui.autosave import Autosaver
from heart_desktop.ui.data_changed import on_change
from heart_desktop.ui.diary_panel import DiaryPanel
from heart_desktop.ui.eligibility_panel import EligibilityPanel
from heart_desktop.ui.form_dialog import Field, FormDialog, named_button, run_in_dialog
from heart_desktop.ui.forms_panel import FormsPanel
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.means_test_panel import TAB_TITLE as MEANS_TAB_TITLE
from heart_desktop.ui.means_test_panel import MeansTab, MeansTestPanel
from heart_desktop.ui.pack_panel import PackPanel
from heart_desktop.ui.photos_panel import PhotosPanel
from heart_desktop.ui.reflow import Reflow
from heart_desktop.ui.screen_fit import heading_style
from heart_desktop.ui.session import Session
from heart_desktop.ui.timeline_widget import TimelineWidget
from heart_desktop.ui.works_editor import WorksEditor

TENURE_LABELS = {"owner": "Owner-occupier", "private_tenant": "Private tenant", "council_tenant": "Council tenant",
                 "housing_association_tenant": "Housing association tenant"}


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


class CaseWorkspace(QWidget):
    back_requested = Signal()
    loaded = Signal()

    def __init__(self, session: Session, forms: list[Form] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = session.worker
        self.detail: dict[str, Any] | None = None
        self.grounds: list[Ground] = []
        self.case_id: str | None = None
        self._loaded = False
        self.setAccessibleName("Case workspace")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back = QPushButton("◀ Caseload", self)
        self.back.setAccessibleName("Back to caseload")
        self.title = QLabel("", self)
        self.title.setObjectName(heading_style(self))
        self.title.setWordWrap(True)
        self.urgent = QLabel("", self)
        self.urgent.setObjectName("urgent")
        self.saved_label = StatusLabel("", self)
        self.saved_label.setAccessibleDescription("Save status")
        self.urgency_button = QPushButton("Mark &urgent…", self)
        self.urgency_button.setAccessibleName("Mark the case urgent (policy 9.1)")
        self.urgency_button.setVisible(False)
        self.urgency_button.clicked.connect(self.ask_urgency)
        # a manager's view of who looked at the case (services/audit.py; permissions: view_audit)
        self.history_button = QPushButton("Access history…", self)
        self.history_button.setAccessibleName("Access history of the case")
        self.history_button.setToolTip("Who viewed, changed, printed or exported this case, when and why "
                                       "(Ctrl+Shift+H; managers only)")
        self.history_button.setVisible(False)
        self.history_button.clicked.connect(self.show_history)
        QShortcut(QKeySequence("Ctrl+Shift+H"), self, activated=self.show_history,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.history_button)
        top.addWidget(self.urgency_button)
        top.addWidget(self.urgent)
        top.addWidget(self.saved_label)
        layout.addLayout(top)
        # allocation and queue place; the 9.3 sanction, a suspension or the outcome, for anyone who opens it
        self.status_line = StatusLabel("", self)
        self.status_line.setWordWrap(True)
        self.status_line.setAccessibleDescription("Allocation and place in the queue")
        layout.addWidget(self.status_line)
        self.sanction_banner = StatusLabel("", self)
        self.sanction_banner.setObjectName("sanction")
        self.sanction_banner.setWordWrap(True)
        self.sanction_banner.setAccessibleDescription("Out-of-order sanction")
        self.sanction_banner.setVisible(False)
        layout.addWidget(self.sanction_banner)
        self.state_banner = StatusLabel("", self)
        self.state_banner.setObjectName("closed")
        self.state_banner.setWordWrap(True)
        self.state_banner.setAccessibleDescription("Case state")
        self.state_banner.setVisible(False)
        layout.addWidget(self.state_banner)
        self.header: dict[str, Any] = {}
        self.dialog: Any = None
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Case sections")
        # its tab bar takes focus; the frame is no control (and no filler to a screen reader). Qt passes a
        # focus policy on to the focus proxy, so the tab bar gets its own back.
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.tabs.tabBar().setAccessibleName("Case sections")
        layout.addWidget(self.tabs, 1)

        self.overview = QWidget(self)
        self._build_overview()
        self.tabs.addTab(self.overview, "&Overview")
        self.diary = DiaryPanel(session, self)
        self.tabs.addTab(self.diary, "Diar&y")
        self.means = MeansTestPanel(self)
        self.means_tab = MeansTab(self.means, lambda: self.detail, lambda: self.forms.saver.has_pending())
        self.forms = FormsPanel(session, forms or [], self.summary, self, starting_answers=self._starting_answers,
                                more_context=self.means_tab.context)
        self.tabs.addTab(self.forms, "For&ms")
        self.works = WorksEditor(self.summary, self, units=schedule_units(forms or []))
        self.tabs.addTab(self.works, "&Works")
        self.eligibility = EligibilityPanel(self)
        self.tabs.addTab(self.eligibility, "&Eligibility")
        self.tabs.addTab(self.means, MEANS_TAB_TITLE)
        self.photos = PhotosPanel(session, self.worker, self)
        self.tabs.addTab(self.photos, "&Photos")
        self.notes_page = QWidget(self)
        self._build_notes()
        self.tabs.addTab(self.notes_page, "&Notes")
        from heart_desktop.ui.case_measures_panel import CaseMeasuresPanel

        self.case_measures = CaseMeasuresPanel(session, self)
        self.tabs.addTab(self.case_measures, "Interventions and feedbac&k")
        self.documents = PackPanel(session, self)
        self.tabs.addTab(self.documents, "&Documents")
        from heart_desktop.ui.appeals_panel import AppealsPanel

        self.appeals = AppealsPanel(session, self)
        self.tabs.addTab(self.appeals, "Appeals (section &12)")

        self.works_saver = Autosaver(self.worker, self._save_works, self)
        for saver in (self.works_saver,):
            saver.saved.connect(self._saved)
            saver.failed.connect(lambda message: self.saved_label.setText(f"Not saved yet: {message}"))
        self.back.clicked.connect(self.back_requested)
        QShortcut(QKeySequence("Escape"), self, activated=self.back_requested.emit)
        self.back.setToolTip("Back to the caseload (Esc or Alt+Left)")
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+PgUp", -1)):
            QShortcut(QKeySequence(keys), self, activated=lambda step=step: self.step_tab(step),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.works.changed.connect(self._works_changed)
        self.timeline.stage_recorded.connect(self._record_stage)
        self.timeline.event_recorded.connect(self._record_event)
        # every commit that touches this case (a save here, a sync pull, the print queue, a conflict
        # decided) reloads what is on screen: the one "data changed" signal
        on_change(session.data_changed, self, lambda _change: self.reload(),
                  wanted=lambda change: change.touches(self.case_id))
        self.forms.draft_saved.connect(self._form_draft_saved)
        self.forms.answers_edited.connect(self._form_edited)
        self.means.open_form_requested.connect(self._open_financial_form)

    # --- building ------------------------------------------------------------------------------

    def _build_overview(self) -> None:
        page = QVBoxLayout(self.overview)
        page.setContentsMargins(0, 0, 0, 0)
        self.overview_panes = Reflow(self.overview)  # one above the other with larger text
        page.addWidget(self.overview_panes)
        outer = self.overview_panes.box
        left_pane = QWidget(self.overview_panes)
        left = QVBoxLayout(left_pane)
        left.setContentsMargins(0, 0, 0, 0)
        household = QGroupBox("Household", self.overview)
        household_layout = QVBoxLayout(household)
        self.people = QTableWidget(0, 4, household)
        self.people.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move within it
        self.people.setHorizontalHeaderLabels(["Name", "Role", "Date of birth", "Age"])
        self.people.setAccessibleName("Household members")
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        household_layout.addWidget(self.people)
        actions = QHBoxLayout()
        self.details_button = named_button("Edit deta&ils…", household)
        self.details_button.setToolTip("Household, address, phone, email, contact preference, referral and reason")
        self.allocate_button = named_button("Assi&gn officer…", household)
        self.allocate_button.setToolTip("Allocate or re-allocate the case (policy 5.5)")
        self.actions_button = named_button("Case &actions", household)
        self.actions_menu = QMenu(self.actions_button)
        self.actions_menu.setAccessibleName("Case actions")
        self.decision_action = self.actions_menu.addAction("&Decision on the application…", self.ask_decision)
        self.sanction_action = self.actions_menu.addAction("&Sanction taking it out of order (9.3)…",
                                                           self.ask_sanction)
        self.suspend_action = self.actions_menu.addAction("S&uspend or resume…", self.ask_suspend)
        self.extend_action = self.actions_menu.addAction("&Extend the time for the works (13.2)…", self.ask_extend)
        self.close_action = self.actions_menu.addAction("&Close the case with an outcome…", self.ask_close)
        self.reopen_action = self.actions_menu.addAction("&Reopen the closed case…", self.ask_reopen)
        self.actions_button.setMenu(self.actions_menu)
        for button in (self.details_button, self.allocate_button, self.actions_button):
            actions.addWidget(button)
        actions.addStretch(1)
        household_layout.addLayout(actions)
        self.details_button.clicked.connect(self.edit_details)
        self.allocate_button.clicked.connect(self.ask_allocate)
        left.addWidget(household, 2)
        property_box = QGroupBox("Property and contact", self.overview)
        self.property_form = QFormLayout(property_box)
        self.property_form.setVerticalSpacing(2)
        self.property_labels: dict[str, QLabel] = {}
        for key, label in (("address", "Address"), ("postcode", "Postcode"), ("tenure", "Tenure"),
                           ("property_type", "Type"), ("years_owned", "Years owned"), ("landlord", "Landlord"),
                           ("phone", "Phone"), ("email", "Email"), ("preference", "Prefers"),
                           ("advocate", "Advocate or carer"), ("referral", "Enquiry"), ("reason", "Reason")):
            value = QLabel("—", property_box)
            value.setAccessibleDescription(label)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.property_form.addRow(label, value)
            self.property_labels[key] = value
        left.addWidget(property_box, 3)
        self.visits = QListWidget(self.overview)  # the diary tab books and records them; listed there
        self.visits.setVisible(False)
        outer.addWidget(left_pane, 1)
        timeline_box = QGroupBox("Timeline and statutory clocks", self.overview)
        timeline_layout = QVBoxLayout(timeline_box)
        self.timeline = TimelineWidget(timeline_box)
        timeline_layout.addWidget(self.timeline)
        outer.addWidget(timeline_box, 1)

    def _build_notes(self) -> None:
        layout = QVBoxLayout(self.notes_page)
        self.notes = QListWidget(self.notes_page)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Case notes")
        layout.addWidget(self.notes, 1)
        self.note_text = QPlainTextEdit(self.notes_page)
        self.note_text.setPlaceholderText("Write a note about this case")
        self.note_text.setAccessibleName("New note")
        self.note_text.setTabChangesFocus(True)
        self.note_text.setMaximumHeight(110)
        layout.addWidget(self.note_text)
        self.add_note_button = QPushButton("&Add note", self.notes_page)
        self.add_note_button.setAccessibleName("Add note")
        layout.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignRight)
        self.add_note_button.clicked.connect(self._add_note)

    # --- access history (issue 20) ---------------------------------------------------------------

    def show_history(self) -> None:
        """The case's access history, for a manager; anyone else is told who may see it."""
        from heart_desktop.services.audit import history_refusal
        from heart_desktop.ui.history_view import AccessHistoryDialog

        if self.case_id is None:
            return
        refused = history_refusal(self.session.role)
        if refused is not None:
            self.saved_label.setText(f"Access history not shown: {refused}")
            return
        self.dialog = AccessHistoryDialog(self.session, self.case_id, self.title.text().split(" — ")[0], self)
        self.dialog.refresh()
        self.dialog.open()

    # --- urgency (policy 9.1) --------------------------------------------------------------------

    def ask_urgency(self) -> FormDialog | None:
        """The OT's answers give grounds; a senior supervisor must agree before the case is urgent.
        A form dialog, not ``QInputDialog.getText``: its one line edit was named by nothing but the
        whole prompt, and a modal static call cannot be walked by the accessibility test."""
        if self.case_id is None or not self.grounds:
            return None
        refused = self.session.refusal("agree_urgency")
        if refused:
            self.saved_label.setText(f"Not marked urgent: {refused}. Ask them to mark it.")
            return None
        grounds = "\n".join(f"• {g.reason}" for g in self.grounds)
        case_id, session = self.case_id, self.session

        def mark(values: dict[str, Any]) -> str:
            if not str(values["agreed_by"] or "").strip():
                raise casework.CaseworkError("name them: urgent handling needs their agreement (policy 9.1)",
                                             field="agreed_by")
            return session.mark_urgent(case_id, values["agreed_by"])

        return self._form("Urgent case (policy 9.1)",
                          f"The OT assessment gives grounds for urgency:\n{grounds}\n\nUrgent handling needs the "
                          "agreement of a HEART senior supervisor.", [
                              Field("agreed_by", "Senior supervisor who &agreed", "text"),
                          ], "Mark &urgent", mark)

    # --- loading -------------------------------------------------------------------------------

    def is_loaded(self) -> bool:
        return self._loaded

    def step_tab(self, step: int) -> None:
        """Ctrl+Tab / Ctrl+PgDn to the next section, Ctrl+Shift+Tab / Ctrl+PgUp back (wrapping round)."""
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def tour_tabs(self) -> list[tuple[int, str]]:
        return [(i, self.tabs.tabText(i).replace("&", "").lower()) for i in range(self.tabs.count())]

    def load_case(self, case_id: str) -> None:
        self.flush_drafts()
        self.case_id = case_id
        self._loaded = False
        self.means_tab.live = None
        self.title.setText("Opening the case…")
        self.reload()

    def reload(self) -> None:
        case_id = self.case_id
        if case_id is None:
            return
        session = self.session

        def load() -> dict[str, Any]:
            detail = session.load_case(case_id)
            detail["header"] = casework.case_header(session, case_id, today=session.today())
            return detail

        self.worker.submit(load, self._show, lambda error: self.title.setText(f"Cannot open this case: {error}"))

    def _show(self, detail: dict[str, Any]) -> None:
        if detail["case"]["id"] != self.case_id:
            return
        self.detail = detail
        case = detail["case"]
        applicant = next((p for p in detail["people"] if p.get("is_applicant")), None)
        name = f"{applicant['given_name']} {applicant['family_name']}" if applicant else "No applicant recorded"
        council = policy_set().councils.get(case["council"])
        stage = STAGE_LABELS.get(case.get("stage") or "", case.get("stage") or "")
        if case.get("outcome"):
            stage = f"Closed: {process(self.session.today()).label('outcomes', case['outcome'])}"
        self.title.setText(f"{case['reference']} — {name} — {council.name if council else case['council']} — "
                           f"{stage}")
        self.urgent.setText(f"URGENT: {case.get('urgent_reason') or 'priority case'}" if case.get("urgent") else "")
        self.urgent.setWordWrap(True)
        self.urgent.setMaximumWidth(420)
        self.urgent.setVisible(bool(case.get("urgent")))
        self.grounds = [] if case.get("urgent") or case.get("outcome") else self.session.urgency_grounds(detail)
        self.urgency_button.setVisible(bool(self.grounds))
        from heart_desktop.services.audit import history_refusal

        self.history_button.setVisible(history_refusal(self.session.role) is None)
        self.urgency_button.setToolTip("; ".join(g.reason for g in self.grounds))
        self._show_people(detail)
        self._show_property(detail.get("property") or {})
        self._show_contact(detail)
        self.visits.clear()
        for visit in detail.get("visits") or []:
            self.visits.addItem(f"{_when(visit.get('scheduled_for'))}  {visit.get('kind') or 'visit'} - "
                                f"{visit.get('status') or ''} ({visit.get('officer') or 'unassigned'})")
        self.diary.show_case(case["id"], detail)
        self._show_timeline(detail)
        self._show_header(detail.get("header") or {})
        self.forms.show_case(case["id"], detail.get("forms") or [])
        self._show_works(detail)
        self.photos.show_photos(case["id"], detail.get("attachments") or [])
        self.notes.clear()
        for note in detail.get("notes") or []:
            self.notes.addItem(f"{_text(note.get('written_at'))[:10]}  {note.get('author') or ''}: {note.get('body')}")
        self.documents.show_case(case["id"])  # signed versions, and "changed since signed"
        self.appeals.show_case(case["id"])
        self.means_tab.loaded()
        self.means_tab.refresh()
        self.case_measures.load(case["id"])
        self.refresh_eligibility()
        self._loaded = True
        self.loaded.emit()

    def _show_works(self, detail: Mapping[str, Any]) -> None:
        """The stored schedule, unless the editor already shows it (a row still being typed stays);
        read-only while a completed schedule of works form settles it."""
        self._set_works(detail.get("works") or [])
        schedule = case_facts.latest_form(detail.get("forms") or [], case_facts.SCHEDULE_FORM)
        settled = schedule is not None and schedule.get("status") != "draft"
        self.works.set_locked(
            "The schedule of works form is complete, so these works are settled. To change them, open the "
            "Forms tab, choose Schedule of works and Revise (new version)." if settled else None)

    def _starting_answers(self, form_id: str) -> dict[str, Any]:
        """From the case as on screen: the Works tab's rows, even those not saved yet."""
        if self.detail is None:
            return {}
        return case_facts.starting_answers({**self.detail, "works": self._editor_works()}, form_id)

    def _form_draft_saved(self, form_id: str) -> None:
        """The schedule of works form wrote the works rows: show them on the Works tab."""
        if form_id != case_facts.SCHEDULE_FORM or self.case_id is None:
            return
        case_id = self.case_id
        self.worker.submit(lambda: self.session.works_for(case_id), lambda rows: self._works_arrived(case_id, rows),
                           lambda _error: None)

    def _works_arrived(self, case_id: str, rows: list[dict[str, Any]]) -> None:
        if case_id != self.case_id or self.detail is None:
            return
        self.detail["works"] = rows
        self._set_works(rows)
        self.refresh_eligibility()

    def _set_works(self, rows: list[dict[str, Any]]) -> None:
        stored = answer_rows(rows)
        if not self.works_saver.has_pending() and answer_rows(self._editor_works()) != stored:
            self.works.set_items(stored)

    def _show_people(self, detail: Mapping[str, Any]) -> None:
        on = self.session.today()
        self.people.setRowCount(0)
        for person in detail.get("people") or []:
            roles = [r for r, flag in (("Applicant", person.get("is_applicant")),
                                       ("Disabled person", person.get("is_disabled_person"))) if flag]
            role = ", ".join(roles) or (person.get("relationship") or "Household member")
            born = person.get("date_of_birth")
            age = str(age_on(born, on)) if isinstance(born, date) else "—"
            row = self.people.rowCount()
            self.people.insertRow(row)
            for column, value in enumerate((f"{person.get('given_name')} {person.get('family_name')}", role,
                                            _text(born), age)):
                self.people.setItem(row, column, QTableWidgetItem(value))

    def _show_property(self, prop: Mapping[str, Any]) -> None:
        address = ", ".join(str(prop[k]) for k in ("address_line1", "address_line2", "town") if prop.get(k))
        values = {"address": address, "postcode": prop.get("postcode"),
                  "tenure": TENURE_LABELS.get(str(prop.get("tenure")), prop.get("tenure")),
                  "property_type": prop.get("property_type"), "years_owned": _whole(prop.get("years_owned")),
                  "landlord": prop.get("landlord")}
        for key, label in self.property_labels.items():
            label.setText(_text(values.get(key)))

    # --- the decision --------------------------------------------------------------------------

    def summary(self) -> CaseSummary | None:
        if self.detail is None:
            return None
        try:
            return case_facts.case_summary(self.detail, tuple(policy_set().councils), self.session.today())
        except (CaseInputError, PolicyError):
            return None

    def refresh_eligibility(self) -> None:
        if self.detail is None:
            return
        detail = {**self.means_tab.detail_now(self.detail),
                  "works": [{**w, "deleted": False} for w in self._editor_works()]}
        try:
            summary = case_facts.case_summary(detail, tuple(policy_set().councils), self.session.today())
        except CaseInputError as exc:
            self.eligibility.show_problem(f"{exc.problem} ({exc.field})")
            return
        except PolicyError as exc:
            self.eligibility.show_problem(str(exc))
            return
        self.eligibility.show_decision(decide(summary))

    def _form_edited(self, form_id: str, answers: dict[str, Any]) -> None:
        """The financial assessment as typed: the Means test and Eligibility tabs follow at once."""
        if self.means_tab.edited(form_id, answers):
            self.means_tab.refresh()
            self.refresh_eligibility()

    def _open_financial_form(self) -> None:
        self.tabs.setCurrentWidget(self.forms)
        self.forms.open_form("financial_assessment")

    def _editor_works(self) -> list[dict[str, Any]]:
        from heart_desktop.domain.works import items, stored_values

        return [stored_values(item) for item in items(self.works.model.items())]

    # --- saving --------------------------------------------------------------------------------

    def _works_changed(self, items: list[dict[str, Any]]) -> None:
        if not self._loaded or self.case_id is None:
            return
        self.works_saver.changed((self.case_id, items))
        self.refresh_eligibility()

    def _save_works(self, payload: tuple[str, list[dict[str, Any]]]) -> None:
        case_id, items = payload
        self.session.save_works(case_id, costable_rows(items))  # an unfinished row stays on screen

    def _saved(self) -> None:
        self.saved_label.setText("All changes saved")

    def flush_drafts(self) -> None:
        self.works_saver.flush(wait=True)
        self.forms.flush()

    def _record_stage(self, stage: str, when: date, reason: str) -> None:
        """A correction of a stage date, with its reason (who set it shows on the timeline)."""
        if self.case_id is None:
            return
        case_id, session = self.case_id, self.session
        self.worker.submit(lambda: casework.correct_stage(session, case_id, stage, when, reason,
                                                          today=session.today()),
                           lambda _dates: self.timeline.correction_done(),
                           lambda error: self.timeline.message.setText(str(error)))

    def _record_event(self, event: str, when: date) -> None:
        if self.case_id is None:
            return
        case_id, session = self.case_id, self.session
        self.worker.submit(lambda: casework.record_event(session, case_id, event, when, today=session.today()),
                           lambda _dates: None, lambda error: self.timeline.message.setText(str(error)))

    def _show_timeline(self, detail: Mapping[str, Any]) -> None:
        case = detail["case"]
        on, _ = case_facts.application_date(detail, self.session.today())
        events: dict[str, Any] = {}
        for row in detail.get("stage_events") or []:
            events[row["stage"]] = row
        try:
            self.timeline.show_dates(detail["stage_dates"], policy_for(case["council"], on), today=self.session.today(),
                                     early_start_reason=case_facts.early_start_reason(detail),
                                     applied_for=case_facts.applied_for(detail), events=events,
                                     refused_on=case.get("outcome_on") if case.get("outcome") == "refused" else None,
                                     extension_to=case.get("extension_to"), closed=bool(case.get("outcome")),
                                     closed_on=case.get("outcome_on"))
        except PolicyError as exc:
            self.timeline.message.setText(str(exc))

    def _show_header(self, header: Mapping[str, Any]) -> None:
        self.header = dict(header)
        parts = [f"Allocated to {header['allocated']}" if header.get("allocated") else "Not allocated yet"]
        place = header.get("queue")
        if place:
            ahead = len(place["ahead"])
            parts.append(f"{place['label']}: {place['position']} of {place['of']} ({place['why']})"
                         + (f", {ahead} ahead" if ahead else ""))
        if not header.get("reference_confirmed", True):
            parts.append("reference provisional until the office confirms it at the next sync")
        self.status_line.setText(" · ".join(parts))
        self.sanction_banner.setText(header.get("sanction") or "")
        self.sanction_banner.setVisible(bool(header.get("sanction")))
        state = header.get("outcome") or header.get("suspended")
        if header.get("outcome") and header.get("drop_out"):
            state = f"{state} (closed without the works delivered: a drop-out, KPI 20)"
        self.state_banner.setText(state or "")
        self.state_banner.setVisible(bool(state))
        closed = bool(header.get("outcome"))
        for widget in (self.allocate_button, self.details_button):
            widget.setEnabled(not closed)
        for action in (self.decision_action, self.sanction_action, self.suspend_action, self.extend_action,
                       self.close_action):
            action.setEnabled(not closed)
        # a closed case offers only its reopening (with the reason)
        self.reopen_action.setEnabled(closed and self.session.refusal("reopen_case") is None)
        self.sanction_action.setEnabled(not closed and self.session.refusal("sanction_out_of_order") is None)
        self.extend_action.setEnabled(not closed and self.session.refusal("extend_completion") is None)
        self.allocate_button.setEnabled(not closed and self.session.refusal("allocate") is None)

    def _show_contact(self, detail: Mapping[str, Any]) -> None:
        case = detail["case"]
        lists = process(self.session.today())
        people = detail.get("people") or []
        applicant = next((p for p in people if p.get("is_applicant")), {})
        referral = lists.label("channels", case.get("channel")) if case.get("channel") else None
        if referral and case.get("referrer"):
            referral += f" from {case['referrer']}" + (f" ({case['referrer_contact']})"
                                                        if case.get("referrer_contact") else "")
        if referral and case.get("enquiry_on"):
            referral += f", {case['enquiry_on']:%d/%m/%Y}"
        values = {"phone": applicant.get("phone"), "email": applicant.get("email"),
                  "preference": lists.label("contact_preferences", case.get("contact_preference"))
                  if case.get("contact_preference") else None,
                  "advocate": case.get("advocate"), "referral": referral, "reason": case.get("reason")}
        for key, value in values.items():
            self.property_labels[key].setText(_text(value))

    # --- casework actions ------------------------------------------------------------------------

    def _form(self, title: str, intro: str, fields: list[Field], action: str, run: Any) -> FormDialog:
        dialog = FormDialog(title, intro, fields, action, self)
        run_in_dialog(dialog, self.worker, run, lambda _result: None)
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_details(self) -> None:
        from heart_desktop.domain.intake import IntakeError
        from heart_desktop.ui.enquiry_dialog import DETAILS, EnquiryDialog

        if self.detail is None or self.case_id is None:
            return
        case_id, session = self.case_id, self.session
        dialog = EnquiryDialog(session.today(), DETAILS, casework.details_data(self.detail), self)

        def submitted(data: dict[str, Any], _force: bool) -> None:
            def failed(error: BaseException) -> None:
                if isinstance(error, IntakeError):
                    dialog.refused(error.field, error.message)
                else:
                    dialog.failed(str(error))

            self.worker.submit(lambda: casework.save_details(session, case_id, data, today=session.today()),
                               lambda _r: dialog.accept(), failed)

        dialog.submitted.connect(submitted)
        self.dialog = dialog
        dialog.open()

    def ask_allocate(self) -> FormDialog | None:
        if self.case_id is None or self.detail is None:
            return None
        case = self.detail["case"]
        lists = process(self.session.today())
        current = case.get("allocated_to") or case.get("assigned_officer")
        known = sorted({*self.worker.call(self.session.officers), self.session.officer} - {None})  # type: ignore[arg-type]
        case_id, session = self.case_id, self.session
        intro = (f"Allocated to {current}. Re-allocating needs the reason." if current else
                 "Allocate the case to the officer who will make contact and visit (policy 5.5). Cases are "
                 "allocated in queue order unless a team leader has sanctioned taking this one out of order (9.3).")
        return self._form("Allocate the case", intro, [
            Field("allocated_to", "&Officer", "editable_choice", [(name, name) for name in known], value=current),
            Field("allocated_role", "&As", "choice", list(lists.labels("allocation_roles").items()),
                  value=case.get("allocated_role") or "HAO"),
            Field("reason", "&Reason (for a re-allocation)", "text"),
        ], "A&llocate", lambda v: casework.allocate(session, case_id, v["allocated_to"], v["allocated_role"],
                                                  today=session.today(), reason=v["reason"] or None))

    def ask_sanction(self) -> FormDialog | None:
        if self.case_id is None:
            return None
        refused = self.session.refusal("sanction_out_of_order")
        if refused:
            self.saved_label.setText(f"Not sanctioned: {refused}.")
            return None
        case_id, session = self.case_id, self.session
        place = self.header.get("queue")
        count = len(place["ahead"]) if place else 0
        ahead = (f" {count} case{'s wait' if count != 1 else ' waits'} ahead of it ({place['label'].lower()})."
                 if place and count else "")
        return self._form("Take the case out of order (policy 9.3)",
                          "A case is taken outside the order of enquiry only with the sanction of the Head of "
                          "Service, the HEART Team Manager or a team leader, and a written record is kept on file "
                          f"in justification.{ahead} Everyone who opens the case will see it.", [
                              Field("priority_reason", "&Written justification", "multiline"),
                          ], "&Sanction", lambda v: casework.sanction_out_of_order(session, case_id,
                                                                                    v["priority_reason"],
                                                                                    today=session.today()))

    def ask_close(self) -> FormDialog | None:
        if self.case_id is None:
            return None
        case_id, session = self.case_id, self.session
        lists = process(session.today())
        choices = [(k, o.label + ("" if o.delivered else " (a drop-out, KPI 20)")) for k, o in lists.outcomes.items()]
        return self._form("Close the case", "A case closes with its outcome, the date and the reason.", [
            Field("outcome", "&Outcome", "choice", choices, value="withdrawn"),
            Field("outcome_on", "&Date", "date", value=session.today()),
            Field("reason", "&Reason", "multiline"),
        ], "Close the &case", lambda v: casework.close_case(session, case_id, v["outcome"], v["outcome_on"],
                                                           v["reason"], today=session.today()))

    def ask_reopen(self) -> FormDialog | None:
        """Reopen a closed case with the reason; it waits again in its queue by its enquiry date. (A
        granted appeal reopens a case closed on the refusal itself, 12.19.)"""
        from heart_desktop.services import appeals

        if self.case_id is None:
            return None
        case_id, session = self.case_id, self.session
        return self._form("Reopen the case", "A closed case reopens in its place in the queue, by the date of its "
                          "enquiry (policy 5.2, 9.1). Say why it is reopened.", [
                              Field("reason", "&Reason", "multiline"),
                          ], "Re&open", lambda v: appeals.reopen_case(session, case_id, v["reason"],
                                                                     today=session.today()))

    def ask_suspend(self) -> FormDialog | None:
        if self.case_id is None or self.detail is None:
            return None
        case_id, session = self.case_id, self.session
        if self.detail["case"].get("suspended"):
            return self._form("Resume the case", "The case is suspended; resuming puts it back in its queue.", [],
                              "&Resume", lambda _v: casework.resume(session, case_id, today=session.today()))
        lists = process(session.today())
        effects = " ".join(f"{s.label}: {s.clock_effect}" for s in lists.suspensions.values())
        return self._form("Suspend the case", effects, [
            Field("suspended", "&Pending", "choice", [(k, s.label) for k, s in lists.suspensions.items()]),
            Field("reason", "&Reason", "text"),
        ], "&Suspend", lambda v: casework.suspend(session, case_id, v["suspended"], v["reason"],
                                                 today=session.today()))

    def ask_extend(self) -> FormDialog | None:
        if self.case_id is None:
            return None
        case_id, session = self.case_id, self.session
        return self._form("Extend the time for the works (policy 13.2)",
                          "The 12 months for the works can be extended by negotiation for valid reasons, such as "
                          "the customer receiving care or wanting works deferred, a change of contractor or "
                          "specification, or complex snagging.", [
                              Field("extension_to", "&New completion date", "date", value=session.today()),
                              Field("extension_reason", "&Reason", "multiline"),
                          ], "&Extend", lambda v: casework.extend_completion(session, case_id, v["extension_to"],
                                                                             v["extension_reason"],
                                                                             today=session.today()))

    def ask_decision(self) -> FormDialog | None:
        """The decision on the application; an approval may carry the DDFA 0% loan (4.2), which the
        office keeps as a charge (so the case is kept while it is registered)."""
        if self.case_id is None:
            return None
        case_id, session = self.case_id, self.session

        def decide(values: dict[str, Any]) -> None:
            loan = ddfa_loan_pence(values["outcome"], values["ddfa_loan"])
            casework.decide_application(session, case_id, values["outcome"], values["decided_on"], values["reason"],
                                        today=session.today(), ddfa_loan_pence=loan)

        dialog = self._form("Decision on the application", "An approval starts the 12-month completion clock; a "
                            "refusal determines the application (the 6-month clock stops, 13.1) and closes the case.", [
                                Field("outcome", "&Decision", "choice", [("approved", "Approved"),
                                                                         ("refused", "Refused")]),
                                Field("decided_on", "D&ate", "date", value=session.today()),
                                Field("ddfa_loan", DDFA_LOAN_CAPTION, "text",
                                      help="The discretionary 0% loan approved with the grant, in pounds, e.g. "
                                           "5000.00; repayable on sale or transfer, so the case is kept while the "
                                           "charge is registered. Leave empty for none. An approval only."),
                                Field("reason", "&Reasons", "multiline"),
                            ], "Record the de&cision", decide)
        outcome, loan = dialog.widgets["outcome"], dialog.widgets["ddfa_loan"]
        assert isinstance(outcome, QComboBox)

        def follow() -> None:  # what was typed stays, for when the officer turns back to an approval
            loan.setEnabled(outcome.currentData() == "approved")

        outcome.currentIndexChanged.connect(follow)
        follow()
        return dialog

    def _add_note(self) -> None:
        body = self.note_text.toPlainText().strip()
        if not body or self.case_id is None:
            return
        case_id = self.case_id
        self.worker.submit(lambda: self.session.add_note(case_id, body),
                           lambda _id: self.note_text.clear(),
                           lambda error: self.saved_label.setText(f"Note not saved: {error}"))


DDFA_LOAN_CAPTION = "DDFA &loan (0% charge, section 4.2)"


def ddfa_loan_pence(outcome: str, typed: str) -> int | None:
    """The DDFA loan typed in the decision dialog, in pence (None: none, or not an approval, where
    the field is disabled and what it holds is kept but not sent); a bad amount is refused naming
    the field, with everything typed kept."""
    from heart_desktop.domain.money import MoneyError, typed_amount

    if outcome != "approved" or not typed.strip():
        return None
    try:
        amount = typed_amount(typed)
    except MoneyError as exc:
        raise casework.CaseworkError(f"ddfa_loan: {exc}", "ddfa_loan") from None
    return amount or None  # 0 is no loan


def schedule_units(forms: list[Form]) -> list[tuple[str, str]]:
    """The units the schedule of works form offers, (value, label), for the Works tab's unit column."""
    for form in forms:
        if form.id != case_facts.SCHEDULE_FORM:
            continue
        for section in form.sections:
            for field in section.fields:
                for child in field.fields if field.id == "items" else ():
                    if child.id == "unit":
                        return [(str(choice.value), choice.label) for choice in child.choices]
    return []


def _whole(value: Any) -> Any:
    """44.0 years as 44 (a count stored as a number); anything else as it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _when(value: Any) -> str:
    """'2026-04-17T10:00' as 'Fri 17/04/2026 10:00' (the text as it is when it is not a time)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(value)[:16])
    except ValueError:
        return _text(value)
    return f"{moment:%a %d/%m/%Y %H:%M}"
