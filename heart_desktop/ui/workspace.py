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
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
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
from heart_desktop.domain.priority import Ground, urgency_grounds
from heart_desktop.domain.works import answer_rows, costable_rows
from heart_desktop.formkit import Form
from heart_desktop.store import case_facts
from heart_desktop.ui.autosave import Autosaver
from heart_desktop.ui.eligibility_panel import EligibilityPanel
from heart_desktop.ui.forms_panel import FormsPanel
from heart_desktop.ui.pack_panel import PackPanel
from heart_desktop.ui.photos_panel import PhotosPanel
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
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.urgent = QLabel("", self)
        self.urgent.setObjectName("urgent")
        self.saved_label = QLabel("", self)
        self.saved_label.setAccessibleName("Save status")
        self.urgency_button = QPushButton("Mark &urgent…", self)
        self.urgency_button.setAccessibleName("Mark the case urgent (policy 9.1)")
        self.urgency_button.setVisible(False)
        self.urgency_button.clicked.connect(self.ask_urgency)
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.urgency_button)
        top.addWidget(self.urgent)
        top.addWidget(self.saved_label)
        layout.addLayout(top)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Case sections")
        layout.addWidget(self.tabs, 1)

        self.overview = QWidget(self)
        self._build_overview()
        self.tabs.addTab(self.overview, "&Overview")
        self.forms = FormsPanel(session, forms or [], self.summary, self, starting_answers=self._starting_answers)
        self.tabs.addTab(self.forms, "For&ms")
        self.works = WorksEditor(self.summary, self, units=schedule_units(forms or []))
        self.tabs.addTab(self.works, "&Works")
        self.eligibility = EligibilityPanel(self)
        self.tabs.addTab(self.eligibility, "&Eligibility")
        self.photos = PhotosPanel(session, self.worker, self)
        self.tabs.addTab(self.photos, "&Photos")
        self.notes_page = QWidget(self)
        self._build_notes()
        self.tabs.addTab(self.notes_page, "&Notes")
        self.documents = PackPanel(session, self)
        self.tabs.addTab(self.documents, "&Documents")

        self.works_saver = Autosaver(self.worker, self._save_works, self)
        for saver in (self.works_saver,):
            saver.saved.connect(self._saved)
            saver.failed.connect(lambda message: self.saved_label.setText(f"Not saved yet: {message}"))
        self.works_saver.saved.connect(self.reload)  # the schedule form's draft took the rows too
        self.back.clicked.connect(self.back_requested)
        QShortcut(QKeySequence("Escape"), self, activated=self.back_requested)
        self.back.setToolTip("Back to the caseload (Esc or Alt+Left)")
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+PgUp", -1)):
            QShortcut(QKeySequence(keys), self, activated=lambda step=step: self.step_tab(step),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.works.changed.connect(self._works_changed)
        self.timeline.stage_recorded.connect(self._record_stage)
        self.photos.photo_added.connect(self.reload)
        self.photos.caption_saved.connect(lambda _attachment_id: self.reload())
        self.forms.form_saved.connect(lambda _form_id: self.reload())
        self.forms.draft_saved.connect(self._form_draft_saved)

    # --- building ------------------------------------------------------------------------------

    def _build_overview(self) -> None:
        outer = QHBoxLayout(self.overview)
        left = QVBoxLayout()
        household = QGroupBox("Household", self.overview)
        household_layout = QVBoxLayout(household)
        self.people = QTableWidget(0, 4, household)
        self.people.setHorizontalHeaderLabels(["Name", "Role", "Date of birth", "Age"])
        self.people.setAccessibleName("Household members")
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        household_layout.addWidget(self.people)
        left.addWidget(household, 2)
        property_box = QGroupBox("Property", self.overview)
        self.property_form = QFormLayout(property_box)
        self.property_labels: dict[str, QLabel] = {}
        for key, label in (("address", "Address"), ("postcode", "Postcode"), ("tenure", "Tenure"),
                           ("property_type", "Type"), ("years_owned", "Years owned"), ("landlord", "Landlord")):
            value = QLabel("—", property_box)
            value.setAccessibleName(label)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.property_form.addRow(label, value)
            self.property_labels[key] = value
        left.addWidget(property_box, 1)
        visits = QGroupBox("Visits", self.overview)
        visits_layout = QVBoxLayout(visits)
        self.visits = QListWidget(visits)
        self.visits.setAccessibleName("Visits")
        visits_layout.addWidget(self.visits)
        left.addWidget(visits, 1)
        outer.addLayout(left, 1)
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

    # --- urgency (policy 9.1) --------------------------------------------------------------------

    def ask_urgency(self) -> None:
        """The OT's answers give grounds; a senior supervisor must agree before the case is urgent."""
        if self.case_id is None or not self.grounds:
            return
        refused = self.session.refusal("agree_urgency")
        if refused:
            self.saved_label.setText(f"Not marked urgent: {refused}. Ask them to mark it.")
            return
        grounds = "\n".join(f"• {g.reason}" for g in self.grounds)
        agreed_by, ok = QInputDialog.getText(
            self, "Urgent case (policy 9.1)",
            f"The OT assessment gives grounds for urgency:\n{grounds}\n\nUrgent handling needs the agreement "
            "of a HEART senior supervisor. Who agreed?")
        if not ok:
            return
        if not agreed_by.strip():
            self.saved_label.setText("Not marked urgent: name the senior supervisor who agreed.")
            return
        case_id = self.case_id
        self.worker.submit(lambda: self.session.mark_urgent(case_id, agreed_by), lambda _reason: self.reload(),
                           lambda error: self.saved_label.setText(f"Not marked urgent: {error}"))

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
        self.title.setText("Opening the case…")
        self.reload()

    def reload(self) -> None:
        case_id = self.case_id
        if case_id is None:
            return
        self.worker.submit(lambda: self.session.load_case(case_id), self._show,
                           lambda error: self.title.setText(f"Cannot open this case: {error}"))

    def _show(self, detail: dict[str, Any]) -> None:
        if detail["case"]["id"] != self.case_id:
            return
        self.detail = detail
        case = detail["case"]
        applicant = next((p for p in detail["people"] if p.get("is_applicant")), None)
        name = f"{applicant['given_name']} {applicant['family_name']}" if applicant else "No applicant recorded"
        council = policy_set().councils.get(case["council"])
        self.title.setText(f"{case['reference']} — {name} — {council.name if council else case['council']} — "
                           f"{STAGE_LABELS.get(case.get('stage') or '', case.get('stage') or '')}")
        self.urgent.setText(f"URGENT: {case.get('urgent_reason') or 'priority case'}" if case.get("urgent") else "")
        self.urgent.setWordWrap(True)
        self.urgent.setMaximumWidth(420)
        self.urgent.setVisible(bool(case.get("urgent")))
        self.grounds = [] if case.get("urgent") else urgency_grounds(
            case_facts.latest_answers(detail.get("forms") or [], "ot_needs_assessment"))
        self.urgency_button.setVisible(bool(self.grounds))
        self.urgency_button.setToolTip("; ".join(g.reason for g in self.grounds))
        self._show_people(detail)
        self._show_property(detail.get("property") or {})
        self.visits.clear()
        for visit in detail.get("visits") or []:
            self.visits.addItem(f"{_when(visit.get('scheduled_for'))}  {visit.get('kind') or 'visit'} - "
                                f"{visit.get('status') or ''} ({visit.get('officer') or 'unassigned'})")
        on, _ = case_facts.application_date(detail, date.today())
        try:
            self.timeline.show_dates(detail["stage_dates"], policy_for(case["council"], on),
                                     early_start_reason=case_facts.early_start_reason(detail),
                                     applied_for=case_facts.applied_for(detail))
        except PolicyError as exc:
            self.timeline.message.setText(str(exc))
        self.forms.show_case(case["id"], detail.get("forms") or [])
        self._show_works(detail)
        self.photos.show_photos(case["id"], detail.get("attachments") or [])
        self.notes.clear()
        for note in detail.get("notes") or []:
            self.notes.addItem(f"{_text(note.get('written_at'))[:10]}  {note.get('author') or ''}: {note.get('body')}")
        self.documents.show_case(case["id"])  # signed versions, and "changed since signed"
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
        on = date.today()
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
            return case_facts.case_summary(self.detail, tuple(policy_set().councils), date.today())
        except (CaseInputError, PolicyError):
            return None

    def refresh_eligibility(self) -> None:
        if self.detail is None:
            return
        detail = {**self.detail, "works": [{**w, "deleted": False} for w in self._editor_works()]}
        try:
            summary = case_facts.case_summary(detail, tuple(policy_set().councils), date.today())
        except CaseInputError as exc:
            self.eligibility.show_problem(f"{exc.problem} ({exc.field})")
            return
        except PolicyError as exc:
            self.eligibility.show_problem(str(exc))
            return
        self.eligibility.show_decision(decide(summary))

    def _editor_works(self) -> list[dict[str, Any]]:
        from heart_desktop.domain.works import WorksError, item_from_mapping

        rows = []
        for raw in self.works.model.items():
            try:
                item = item_from_mapping(raw)
            except WorksError:
                continue
            rows.append({"location": item.location, "description": item.description, "quantity": item.quantity,
                         "unit": item.unit, "rate_pence": item.rate, "vat_percent": item.vat_percent})
        return rows

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

    def _record_stage(self, stage: str, when: date) -> None:
        if self.case_id is None:
            return
        case_id = self.case_id
        self.worker.submit(lambda: self.session.record_stage(case_id, stage, when), self._stage_saved,
                           lambda error: self.timeline.message.setText(str(error)))

    def _stage_saved(self, dates: dict[str, date | None]) -> None:
        if self.detail is not None:
            self.detail["stage_dates"] = dates
            on, _ = case_facts.application_date(self.detail, date.today())
            self.timeline.show_dates(dates, policy_for(self.detail["case"]["council"], on),
                                     early_start_reason=case_facts.early_start_reason(self.detail),
                                     applied_for=case_facts.applied_for(self.detail))
        self.reload()

    def _add_note(self) -> None:
        body = self.note_text.toPlainText().strip()
        if not body or self.case_id is None:
            return
        case_id = self.case_id
        self.worker.submit(lambda: self.session.add_note(case_id, body),
                           lambda _id: (self.note_text.clear(), self.reload()),
                           lambda error: self.saved_label.setText(f"Note not saved: {error}"))


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
