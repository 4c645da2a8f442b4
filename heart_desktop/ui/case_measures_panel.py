"""The case's "Interventions and feedback" tab: what the service delivered (KPI 11 a to 19 d),
compliments and formal complaints (KPI 21 to 23), and the satisfaction survey offered at sign-off
(KPM 24 to 29), whose answers are kept apart: this tab says one was received, never what it says."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.services import measures as service
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import FlowLayout, narrow_combo
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import fill_rows, listing_table

UPHELD = (("Not decided yet", None), ("Upheld (the service was at fault)", True), ("Not upheld", False))


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate(), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setAccessibleName(name)
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class CaseMeasuresPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, session.worker
        self.case_id: str | None = None
        self.setAccessibleName("Interventions and feedback")
        layout = QVBoxLayout(self)
        labels = dict(service.intervention_kinds())

        box = QGroupBox("Interventions delivered (KPI 11 a to 19 d)", self)
        inner = QVBoxLayout(box)
        self.interventions = listing_table(box, ("Delivered", "Intervention", "Officer", "Notes"),
                                           "Interventions delivered")
        self.interventions.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        inner.addWidget(self.interventions, 1)
        row = FlowLayout()
        self.kind = QComboBox(box)
        for kind, label in labels.items():
            self.kind.addItem(label, kind)
        self.kind.setAccessibleName("Intervention")
        narrow_combo(self.kind)
        self.delivered_on = _date_edit(box, "Delivered on")
        self.notes = QLineEdit(box)
        self.notes.setPlaceholderText("Notes (optional)")
        self.notes.setAccessibleName("Intervention notes")
        self.add_intervention = QPushButton("Add &intervention", box)
        self.add_intervention.setAccessibleName("Add intervention")
        for widget in (self.kind, self.delivered_on, self.notes, self.add_intervention):
            row.addWidget(widget)
        inner.addLayout(row)
        layout.addWidget(box, 1)

        box = QGroupBox("Compliments and formal complaints (KPI 21 to 23)", self)
        inner = QVBoxLayout(box)
        self.feedback = listing_table(box, ("Received", "Kind", "Upheld", "Decided", "Summary"),
                                      "Compliments and complaints")
        self.feedback.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        inner.addWidget(self.feedback, 1)
        form = QFormLayout()
        line = FlowLayout()
        self.feedback_kind = QComboBox(box)
        self.feedback_kind.addItem("Compliment", "compliment")
        self.feedback_kind.addItem("Formal complaint", "complaint")
        self.feedback_kind.setAccessibleName("Compliment or complaint")
        self.received_on = _date_edit(box, "Received on")
        self.upheld = QComboBox(box)
        for text, value in UPHELD:
            self.upheld.addItem(text, value)
        self.upheld.setAccessibleName("Complaint decision")
        self.decided_on = _date_edit(box, "Decided on")
        for widget in (self.feedback_kind, self.received_on, self.upheld, self.decided_on):
            line.addWidget(widget)
        form.addRow(line)
        self.summary = QLineEdit(box)
        self.summary.setPlaceholderText("What it was about")
        self.summary.setAccessibleName("Feedback summary")
        self.add_feedback = QPushButton("&Log compliment or complaint", box)
        self.add_feedback.setAccessibleName("Log compliment or complaint")
        line = FlowLayout()
        self.summary.setMinimumWidth(self.summary.fontMetrics().averageCharWidth() * 24)
        line.addWidget(self.summary)
        line.addWidget(self.add_feedback)
        form.addRow(line)
        inner.addLayout(form)
        layout.addWidget(box, 1)

        box = QGroupBox("Customer satisfaction survey (KPM 24 to 29)", self)
        inner = QHBoxLayout(box)
        self.survey_label = StatusLabel("", box)
        self.survey_label.setWordWrap(True)
        self.survey_label.setAccessibleDescription("Survey status")
        self.take_survey = QPushButton("&Take the satisfaction survey…", box)
        self.take_survey.setAccessibleName("Take the satisfaction survey…")
        inner.addWidget(self.survey_label, 1)
        inner.addWidget(self.take_survey)
        layout.addWidget(box)
        self.message = StatusLabel("", self)
        self.message.setAccessibleDescription("Interventions and feedback message")
        layout.addWidget(self.message)

        self.feedback_kind.currentIndexChanged.connect(self._kind_changed)
        self.upheld.currentIndexChanged.connect(self._kind_changed)
        self.add_intervention.clicked.connect(self._add_intervention)
        self.add_feedback.clicked.connect(self._add_feedback)
        self.take_survey.clicked.connect(self._survey)
        self._labels = labels
        self._kind_changed()

    def _kind_changed(self) -> None:
        complaint = self.feedback_kind.currentData() == "complaint"
        self.upheld.setEnabled(complaint)
        self.decided_on.setEnabled(complaint and self.upheld.currentData() is not None)

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        self.worker.submit(lambda: service.case_measures(self.session._store(), case_id), self._show,
                           lambda error: self.message.setText(f"Cannot show them: {error}"))

    def _show(self, data: dict[str, Any]) -> None:
        fill_rows(self.interventions, [(r["id"], (r["delivered_on"].strftime("%d/%m/%Y"),
                                                  self._labels.get(r["kind"], r["kind"]), r["officer"] or "",
                                                  r["notes"] or "")) for r in data["interventions"]])
        fill_rows(self.feedback, [(r["id"], (r["received_on"].strftime("%d/%m/%Y"), r["kind"].capitalize(),
                                             {True: "Upheld", False: "Not upheld"}.get(r["upheld"], "—"),
                                             r["decided_on"].strftime("%d/%m/%Y") if r["decided_on"] else "—",
                                             r["summary"] or "")) for r in data["feedback"]])
        count = data["surveys"]
        if count:
            text = (f"{count} survey{'s' if count > 1 else ''} received. The answers are counted only in the "
                    "partnership's totals and are not shown here, as the survey promises.")
        elif data["signed_off_on"]:
            text = ("The case is signed off: offer the customer the satisfaction survey now (six questions; "
                    "their answers are not shown to the officers on the case).")
        else:
            text = "The survey is offered when the case is signed off."
        self.survey_label.setText(text)

    def _done(self, message: str) -> None:
        self.message.setText(message)
        if self.case_id:
            self.load(self.case_id)

    def _add_intervention(self) -> None:
        case_id, kind, when, notes = self.case_id, self.kind.currentData(), _day(self.delivered_on), self.notes.text()
        if case_id is None:
            return
        self.worker.submit(lambda: service.add_intervention(self.session._store(), case_id, kind, when, notes),
                           lambda _id: (self.notes.clear(), self._done("Intervention recorded.")),
                           lambda error: self.message.setText(f"Not recorded: {error}"))

    def _add_feedback(self) -> None:
        case_id, kind = self.case_id, self.feedback_kind.currentData()
        if case_id is None:
            return
        upheld = self.upheld.currentData() if kind == "complaint" else None
        decided = _day(self.decided_on) if upheld is not None else None
        received, summary = _day(self.received_on), self.summary.text()
        self.worker.submit(lambda: service.add_feedback(self.session._store(), case_id, kind, received, summary,
                                                        upheld, decided),
                           lambda _id: (self.summary.clear(), self._done(f"{kind.capitalize()} logged.")),
                           lambda error: self.message.setText(f"Not logged: {error}"))

    def _survey(self) -> None:
        if self.case_id is None:
            return
        dialog = SurveyDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        case_id, answers, when = self.case_id, dialog.answers(), dialog.answered_on()
        self.worker.submit(lambda: service.record_survey(self.session._store(), case_id, when, answers),
                           lambda _id: self._done("Survey recorded. Thank the customer."),
                           lambda error: self.message.setText(f"Not recorded: {error}"))


class SurveyDialog(QDialog):
    """The satisfaction survey (forms/satisfaction_survey.yaml), for the customer to answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from heart_desktop.formkit.loader import load_form
        from heart_desktop.paths import forms_dir

        super().__init__(parent)
        form = load_form(forms_dir() / "satisfaction_survey.yaml")
        self.setWindowTitle(form.title)
        self.setAccessibleName(form.title)
        layout = QVBoxLayout(self)
        intro = QLabel(form.description or "", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        fields = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for section in form.sections:
            for field in section.fields:
                combo = QComboBox(self)
                combo.addItem("Choose…", None)
                for choice in field.choices:
                    combo.addItem(choice.label, choice.value)
                combo.setAccessibleName(field.label)
                label = QLabel(field.label, self)
                label.setBuddy(combo)
                fields.addRow(label, combo)
                self.combos[field.id] = combo
        self.date = _date_edit(self, "Answered on")
        fields.addRow("Answered on", self.date)
        layout.addLayout(fields)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.problem = StatusLabel("", self, assertive=True)
        self.problem.setAccessibleDescription("Survey problem")
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if any(combo.currentData() is None for combo in self.combos.values()):
            self.problem.setText("Please answer every question.")
            return
        self.accept()

    def answers(self) -> dict[str, str]:
        return {key: str(combo.currentData()) for key, combo in self.combos.items()}

    def answered_on(self) -> date:
        return _day(self.date)
