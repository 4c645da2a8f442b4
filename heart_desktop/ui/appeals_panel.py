"""The case's Appeals tab (policy section 12): the case's appeals, and for the one chosen its criteria
with their answers, each panel's decision, the escalation and the outcome; the steps that may be
taken now (lodge, answer a criterion, a panel's decision, escalate, the outcome), each in a dialog
that names the field at fault; and the appeal's letters, previewed beside it and signed by name or
on screen (the letters tab's sign dialog). Where the medical criterion is claimed, the independent
medical advice sought (12.14).

The panel decisions and the outcome are offered only to the panel roles (``domain.permissions``).
Everything runs on the store worker through ``services.appeals`` and ``services.letters``; the
workspace reloads the tab from the one "data changed" signal after each step.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain import appeals as rules_
from heart_desktop.domain.reasons import TYPE_NAMES
from heart_desktop.services import appeals, letters
from heart_desktop.ui.appeal_report_dialog import ReportButton
from heart_desktop.ui.form_dialog import Field, FormDialog, named_button, run_in_dialog
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.pack_preview import PackPreview
from heart_desktop.ui.reflow import FlowLayout, narrow_combo, pair
from heart_desktop.ui.session import Session
from heart_desktop.ui.sign_dialog import LetterSignDialog
from heart_desktop.ui.tables import fill_rows, listing_table

LETTER_KINDS = ("appeal_received", "appeal_supervisors", "appeal_hearing", "appeal_senior")


def _day(value: Any) -> str:
    if not value:
        return ""
    value = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{value:%d/%m/%Y}"


class AppealsPanel(QWidget):
    listed = Signal()
    previewed = Signal(str)  # letter kind
    signed = Signal(str)  # document id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = session.worker
        self.case_id: str | None = None
        self.rows: list[dict[str, Any]] = []
        self.available: list[dict[str, Any]] = []
        self.shown: dict[str, Any] | None = None
        self.dialog: FormDialog | None = None
        self.sign_dialog: LetterSignDialog | None = None
        self.setAccessibleName("Appeals")
        outer = QHBoxLayout(self)
        left = QWidget(self)
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        top = FlowLayout()
        self.lodge_button = named_button("Lod&ge an appeal…", left)
        heading = QLabel("Appeals of the case (policy section 12; no time limit for lodging):", left)
        heading.setWordWrap(True)
        top.addWidget(heading)
        top.addWidget(self.lodge_button)
        layout.addLayout(top)
        self.table = listing_table(left, ("Lodged", "Kind", "Stage"), "Appeals of the case")
        self.table.setMaximumHeight(96)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.status = StatusLabel("No appeal is lodged on this case.", left, kind="Appeal status")
        layout.addWidget(self.status)
        # fixed column widths: columns sized to wrapped contents can relayout without end
        self.criteria = listing_table(left, ("Criterion", "Claimed", "Evidence"), "Criteria and evidence")
        self.criteria.verticalHeader().setVisible(False)
        self.criteria.setWordWrap(True)
        self.criteria.horizontalHeader().setStretchLastSection(True)
        self.criteria.setColumnWidth(0, 430)
        self.criteria.setColumnWidth(1, 90)
        layout.addWidget(self.criteria, 2)
        steps = FlowLayout()
        self.answer_button = named_button("&Answer criterion…", left)
        self.decide_button = named_button("&Record panel decision…", left)
        self.escalate_button = named_button("Escalate to the Sen&ior Management Panel…", left)
        self.outcome_button = named_button("Record ou&tcome…", left)
        self.advice_button = named_button("Medica&l advice…", left)
        self.advice_button.setToolTip("Independent medical advice on the medical criterion (policy 12.14)")
        # the case for the panel without the applicant's identity (12.20): services.appeal_report
        self.report_button = ReportButton(session, lambda: self.case_id, lambda: (self.current() or {}).get("id"),
                                          left)
        for button in (self.answer_button, self.advice_button, self.decide_button, self.escalate_button,
                       self.outcome_button, self.report_button):
            steps.addWidget(button)
        steps.addStretch(1)
        layout.addLayout(steps)
        # a read-only text, not a word-wrapped list (whose scroll bar can relayout it without end)
        self.history = QPlainTextEdit(left)
        self.history.setReadOnly(True)
        self.history.setTabChangesFocus(True)
        self.history.setAccessibleName("Decisions and steps")
        self.history.setMaximumHeight(110)
        layout.addWidget(self.history, 1)
        box = QGroupBox("Appeal letters", left)
        box.setAccessibleName("Appeal letters")
        row = FlowLayout(box)
        label = QLabel("Letter:", box)
        self.letter = QComboBox(box)
        self.letter.setAccessibleName("Letter")
        label.setBuddy(self.letter)
        self.preview_button = named_button("Pre&view letter", box)
        self.sign_button = named_button("Sign by name and save letter", box)
        self.draw_button = named_button("Sign on screen…", box)
        self.draw_button.setToolTip("Sign the letter on the signature pad, or by name from the keyboard")
        narrow_combo(self.letter, 16)
        row.addLayout(pair(label, self.letter))
        for widget in (self.preview_button, self.sign_button, self.draw_button):
            row.addWidget(widget)
        layout.addWidget(box)
        self.message = QLabel("", left)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Letter status")
        layout.addWidget(self.message)
        # the preview sits beside the steps at a bounded width, not in a splitter: there, a width
        # that followed the wrapped text beside it re-fitted the page, which moved it again, without end
        self.preview = PackPreview(self)
        self.preview.setAccessibleName("Letter preview")
        self.preview.setMinimumWidth(300)
        self.preview.setMaximumWidth(430)
        outer.addWidget(left, 1)
        outer.addWidget(self.preview)
        self.lodge_button.clicked.connect(self.ask_lodge)
        self.answer_button.clicked.connect(self.ask_answer)
        self.decide_button.clicked.connect(self.ask_decide)
        self.escalate_button.clicked.connect(self.ask_escalate)
        self.outcome_button.clicked.connect(self.ask_outcome)
        self.preview_button.clicked.connect(self.preview_letter)
        self.sign_button.clicked.connect(self.sign_letter)
        self.draw_button.clicked.connect(self.start_signing)
        self.advice_button.clicked.connect(self.ask_advice)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.letter.currentIndexChanged.connect(self._letter_chosen)
        self._enable(None)

    # --- showing -----------------------------------------------------------------------------------

    def today(self) -> date:
        return self.session.today()

    def current(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def show_case(self, case_id: str) -> None:
        if case_id != self.case_id:
            self.case_id, self.shown = case_id, None
            self.sign_button.setEnabled(False)
            self.draw_button.setEnabled(False)
        chosen = (self.current() or {}).get("id")
        self.worker.submit(lambda: appeals.appeals_for(self.session, case_id),
                           lambda rows: self._listed(case_id, rows, chosen),
                           lambda error: self.status.setText(f"Cannot read the appeals: {error}"))

    def _listed(self, case_id: str, rows: list[dict[str, Any]], chosen: str | None) -> None:
        if case_id != self.case_id:
            return
        self.rows = rows
        self.table.blockSignals(True)
        fill_rows(self.table, [(r["id"], (_day(r["lodged_on"]), r["kind_label"], r["stage_label"])) for r in rows])
        self.table.setColumnWidth(0, 100)
        self.table.setColumnWidth(1, 200)
        index = next((i for i, r in enumerate(rows) if r["id"] == chosen), len(rows) - 1)
        if rows:
            self.table.selectRow(index)
        self.table.blockSignals(False)
        self._chosen()

    def _chosen(self) -> None:
        appeal = self.current()
        self._enable(appeal)
        self.criteria.setRowCount(0)
        self.history.clear()
        if appeal is None:
            self.status.setText("No appeal is lodged on this case.")
            self._letters_listed([])
            self.listed.emit()
            return
        due = appeal.get("panel_due")
        with_panel = f" The {appeal['panels'][due]['name']} decides next." if due else ""
        self.status.setText(f"{appeal['kind_label']} appeal (policy {appeal['kind_section']}), lodged "
                            f"{_day(appeal['lodged_on'])} by {appeal.get('appellant')}: {appeal['stage_label']}."
                            f"{with_panel} The applicant's case: {appeal['grounds']}")
        fill_rows(self.criteria, [(c["key"], (f"{c['words']} ({c['section']})",
                                              "" if c["answer"] is None else
                                              ("Yes" if c["answer"].get("claimed") else "Not claimed"),
                                              (c["answer"] or {}).get("evidence") or ""))
                                  for c in appeal["criteria"]])
        self.criteria.resizeRowsToContents()
        for row in range(self.criteria.rowCount()):
            for column in range(3):
                item = self.criteria.item(row, column)
                if item is not None:
                    item.setToolTip(item.text())
        lines: list[str] = rules_.advice_sentences(self._rules(), appeal)
        advice = appeal.get("medical_advice") or {}
        if advice.get("summary"):
            lines.append(f"The advice: {advice['summary']}" + (f" (revenue cost £{advice['cost']})"
                                                               if advice.get("cost") else ""))
        escalation = appeal.get("escalation")
        for entry in appeal.get("decisions") or []:
            if escalation and entry["panel"] == rules_.SENIOR and not any("Escalated" in x for x in lines):
                lines.append(self._escalation_line(escalation))
            panel = appeal["panels"][entry["panel"]]["name"]
            urgent = "; the panel orders urgency (12.19)" if entry.get("urgent") else ""
            lines.append(f"{_day(entry['decided_on'])} {panel}: {entry['decision'].replace('_', ' ')}{urgent} "
                         f"({entry.get('decided_by') or 'the panel'}). {entry['reasons']}")
        if escalation and not any("Escalated" in x for x in lines):
            lines.append(self._escalation_line(escalation))
        outcome = appeal.get("outcome")
        if outcome:
            offered = (f"{outcome['assistance_type']}" + (f", modified: {outcome['modification']}"
                                                          if outcome.get("modification") else "")
                       if outcome["form"] == rules_.STANDARD else
                       f"special form: {outcome['description']}; terms: {outcome['terms']}")
            lines.append(f"{_day(outcome['decided_on'])} Outcome (12.21): {offered}")
        self.history.setPlainText("\n".join(lines))
        case_id, appeal_id, day = self.case_id, appeal["id"], self.today()
        self.worker.submit(lambda: letters.available(self.session, case_id, today=day,  # type: ignore[arg-type]
                                                     options={"appeal": appeal_id}, kinds=LETTER_KINDS),
                           self._letters_listed, lambda error: self.message.setText(str(error)))

    @staticmethod
    def _escalation_line(escalation: dict[str, Any]) -> str:
        hearing = "attends the hearing" if escalation["hearing"] == rules_.ATTENDS else "a written hearing"
        rep = f", with {escalation['representative']}" if escalation.get("representative") else ""
        return (f"{_day(escalation['escalated_on'])} Escalated to the Senior Management Panel: the appellant "
                f"{hearing} on {_day(escalation.get('hearing_on'))}{rep}." if escalation["hearing"] == rules_.ATTENDS
                else f"{_day(escalation['escalated_on'])} Escalated to the Senior Management Panel: {hearing}"
                     f"{' on ' + _day(escalation.get('hearing_on')) if escalation.get('hearing_on') else ''}.")

    def _enable(self, appeal: dict[str, Any] | None) -> None:
        steps = (appeal or {}).get("next") or []
        self.answer_button.setEnabled("answer" in steps)
        # 12.14: only where the medical criterion is claimed, before the panel decides
        medical = self._rules().advice.criteria if appeal else ()
        self.advice_button.setEnabled("answer" in steps and any(
            c["key"] in medical and (c.get("answer") or {}).get("claimed") for c in (appeal or {}).get("criteria", [])))
        self.escalate_button.setEnabled("escalate" in steps)
        may_decide = bool(appeal and appeal.get("may_decide"))
        may_outcome = bool(appeal and appeal.get("may_record_outcome"))
        # the panels' acts are offered only to the panel roles
        self.decide_button.setVisible(self.session.refusal("supervisors_panel") is None
                                      or self.session.refusal("senior_panel") is None)
        self.outcome_button.setVisible(self.decide_button.isVisible())
        self.decide_button.setEnabled("decide" in steps and may_decide)
        self.outcome_button.setEnabled("outcome" in steps and may_outcome)
        self.report_button.setEnabled(appeal is not None)

    def _letters_listed(self, available: list[dict[str, Any]]) -> None:
        chosen = self.letter.currentData()
        self.available = available
        self.letter.blockSignals(True)
        self.letter.clear()
        for item in available:
            self.letter.addItem(item["title"] + ("" if item["refusal"] is None else " (not yet)"), item["kind"])
        index = self.letter.findData(chosen)
        if index < 0:  # the newest letter the appeal can have
            ready = [i for i, item in enumerate(available) if item["refusal"] is None]
            index = ready[-1] if ready else 0
        self.letter.setCurrentIndex(index)
        self.letter.blockSignals(False)
        self._letter_chosen()
        self.listed.emit()

    def _letter_chosen(self) -> None:
        item = next((a for a in self.available if a["kind"] == self.letter.currentData()), None)
        refusal = item["refusal"] if item else None
        self.preview_button.setEnabled(item is not None and refusal is None)
        self.sign_button.setEnabled(False)
        self.draw_button.setEnabled(False)
        self.message.setText(f"Not available yet: {refusal}." if refusal else "")

    # --- the steps -----------------------------------------------------------------------------------

    def _open(self, title: str, intro: str, fields: list[Field], action: str, run: Any) -> FormDialog:
        dialog = FormDialog(title, intro, fields, action, self)
        run_in_dialog(dialog, self.worker, run, lambda _result: None)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _rules(self) -> rules_.AppealRules:
        appeal = self.current()
        lodged = appeal["lodged_on"] if appeal else self.today()
        return rules_.appeal_rules(lodged if isinstance(lodged, date) else date.fromisoformat(str(lodged)[:10]))

    def ask_lodge(self) -> FormDialog | None:
        if self.case_id is None:
            return None
        case_id, session, rules = self.case_id, self.session, rules_.appeal_rules(self.today())
        return self._open("Lodge an appeal", "The applicant documents their case on the appeal form (policy 12.10); "
                          "the service may help them fill it in. The Supervisors Panel considers it on what is "
                          "written (12.11).", [
                              Field("kind", "&Kind of appeal", "choice",
                                    [(k, f"{v.label} ({v.section})") for k, v in rules.kinds.items()]),
                              Field("grounds", "The applicant's &case", "multiline"),
                              Field("appellant", "&Who appeals", "text", value="the applicant",
                                    help="the applicant, or their advocate or agent (12.6)"),
                              Field("assisted", "HEART &helped with the form (12.10)", "check"),
                              Field("lodged_on", "Lodged &on", "date", value=self.today()),
                          ], "&Lodge the appeal", lambda v: appeals.lodge(
                              session, case_id, v["kind"], v["grounds"], today=session.today(),
                              lodged_on=v["lodged_on"], appellant=v["appellant"], assisted=v["assisted"]))

    def ask_answer(self) -> FormDialog | None:
        appeal = self.current()
        if appeal is None:
            return None
        session, appeal_id = self.session, appeal["id"]
        first = next((c["key"] for c in appeal["criteria"] if c["answer"] is None), appeal["criteria"][0]["key"])
        return self._open("Answer a criterion", "Each criterion is answered with its evidence before a panel decides "
                          "(policy 12.7, 12.8, 12.10).", [
                              Field("criterion", "&Criterion", "choice",
                                    [(c["key"], f"{c['words'][:90]} ({c['section']})") for c in appeal["criteria"]],
                                    value=first),
                              Field("claimed", "The applicant clai&ms this", "check", value=True),
                              Field("evidence", "&Evidence", "multiline"),
                          ], "Save the &answer", lambda v: appeals.answer(
                              session, appeal_id, v["criterion"], v["evidence"], claimed=v["claimed"],
                              today=session.today()))

    def ask_advice(self) -> FormDialog | None:
        appeal = self.current()
        if appeal is None:
            return None
        session, appeal_id = self.session, appeal["id"]
        had = appeal.get("medical_advice") or {}

        def day(value: Any) -> date | None:
            return date.fromisoformat(str(value)[:10]) if value else None

        return self._open("Independent medical advice", "Where the medical criterion is used, independent medical "
                          "advice may be sought, which may need revenue funding (policy 12.14). Name the adviser by "
                          "their role; the panel decides once advice asked for has come back.", [
                              Field("requested_on", "&Asked for on", "date",
                                    value=day(had.get("requested_on")) or self.today()),
                              Field("source", "&From (the adviser's role)", "text",
                                    value=had.get("source") or "independent occupational health adviser"),
                              Field("received", "The advice has been &received", "check",
                                    value=bool(had.get("received_on"))),
                              Field("received_on", "Received &on", "date",
                                    value=day(had.get("received_on")) or self.today()),
                              Field("summary", "What the advice &says", "multiline", value=had.get("summary") or ""),
                              Field("cost", "Revenue &cost in pounds (if any)", "text", value=had.get("cost") or ""),
                              # advice recorded in error is cleared, not recorded over (12.14)
                              *([Field("clear", "C&lear the advice recorded (asked for in error)", "check"),
                                 Field("clear_reason", "Wh&y it is cleared", "text")] if had else []),
                          ], "&Save the advice", lambda v: appeals.clear_advice(
                              session, appeal_id, v["clear_reason"], today=session.today()) if v.get("clear")
                          else appeals.advice(
                              session, appeal_id, today=session.today(), requested_on=v["requested_on"],
                              source=v["source"], received_on=v["received_on"] if v["received"] else None,
                              summary=v["summary"], cost=v["cost"]))

    def ask_decide(self) -> FormDialog | None:
        appeal = self.current()
        if appeal is None or not appeal.get("panel_due"):
            return None
        session, appeal_id, panel = self.session, appeal["id"], appeal["panel_due"]
        rules = self._rules()
        chosen = rules.panels[panel]
        return self._open(f"Decision of the {chosen.name}", f"The {chosen.name} ({', '.join(chosen.members)}; policy "
                          f"{chosen.section}) records its decision with the reasons, which go in the letter. A "
                          "grant continues the application in date order from the initial enquiry unless the panel "
                          "orders it dealt with urgently (12.19).", [
                              Field("decision", "&Decision", "choice",
                                    [(k, f"{c.label} ({c.section})") for k, c in rules.decisions.items()]),
                              Field("reasons", "&Reasons (or the information needed)", "multiline"),
                              Field("decided_on", "Decided &on", "date", value=self.today()),
                              Field("urgent", "The panel orders the case dealt with &urgently (a grant)", "check"),
                          ], "&Save the decision", lambda v: appeals.decide(
                              session, appeal_id, panel, v["decision"], v["reasons"], today=session.today(),
                              decided_on=v["decided_on"], urgent=v["urgent"]))

    def ask_escalate(self) -> FormDialog | None:
        appeal = self.current()
        if appeal is None:
            return None
        session, appeal_id, rules = self.session, appeal["id"], self._rules()
        return self._open("Escalate to the Senior Management Panel", "The appellant may take the Supervisors "
                          "Panel's refusal to the Senior Management Panel (policy 12.6), which may invite them to a "
                          "hearing with a representative, or hear the appeal in writing at their request (12.16).", [
                              Field("hearing", "&Hearing", "choice",
                                    [(k, c.label) for k, c in rules.hearings.items()]),
                              Field("hearing_on", "Hearing &date", "date", value=self.today()),
                              Field("representative", "&Representative (attending)", "text"),
                              Field("implications", "&Implications of a positive decision (12.15)", "multiline"),
                              Field("information", "Further in&formation required (12.15)", "multiline"),
                              Field("escalated_on", "Escalated &on", "date", value=self.today()),
                          ], "&Escalate", lambda v: appeals.escalate(
                              session, appeal_id, today=session.today(), hearing=v["hearing"],
                              escalated_on=v["escalated_on"], hearing_on=v["hearing_on"],
                              representative=v["representative"], implications=v["implications"],
                              information=v["information"]))

    def ask_outcome(self) -> FormDialog | None:
        appeal = self.current()
        if appeal is None:
            return None
        session, appeal_id, rules = self.session, appeal["id"], self._rules()
        return self._open("The outcome of the appeal", "A panel finding for the appellant offers a standard form of "
                          "assistance, as it is or modified, or decides a special form with its terms and conditions "
                          "(policy 12.21).", [
                              Field("form", "&Form", "choice", [(k, c.label) for k, c in rules.outcomes.items()]),
                              Field("assistance_type", "Standard &type", "choice",
                                    [("", "(a special form)"), *((k, f"{v} ({k})") for k, v in TYPE_NAMES.items())],
                                    value="DFG"),
                              Field("modification", "&Modified (standard)", "text"),
                              Field("description", "&Special form: the assistance", "multiline"),
                              Field("terms", "Special form: its te&rms and conditions", "multiline"),
                              Field("decided_on", "Decided &on", "date", value=self.today()),
                          ], "&Save the outcome", lambda v: appeals.outcome(
                              session, appeal_id, v["form"], today=session.today(), decided_on=v["decided_on"],
                              assistance_type=(v["assistance_type"] or None) if v["form"] == "standard" else None,
                              modification=v["modification"], description=v["description"], terms=v["terms"]))

    # --- the letters -----------------------------------------------------------------------------------

    def preview_letter(self) -> None:
        appeal = self.current()
        if self.case_id is None or appeal is None or not self.letter.currentData():
            return
        case_id, kind, day = self.case_id, str(self.letter.currentData()), self.today()
        options = {"appeal": appeal["id"]}
        self.message.setText("Building the letter…")
        self.worker.submit(lambda: {**letters.preview(self.session, case_id, kind, today=day, options=options),
                                    "options": options}, self._shown, self._failed)

    def _shown(self, result: dict[str, Any]) -> None:
        self.shown = result
        self.preview.show_pdf(result["pdf"])
        state = "signed and saved" if result["signed"] else "preview, not signed"
        self.message.setText(f"{result['title']}, to {result['addressee']} ({result['pages']} pages, {state}).")
        self.sign_button.setEnabled(not result["signed"])
        self.draw_button.setEnabled(not result["signed"])
        if result["signed"]:
            self.signed.emit(result["document"]["id"])
        else:
            self.previewed.emit(result["kind"])

    def sign_letter(self) -> None:
        shown = self.shown
        if self.case_id is None or shown is None or shown.get("signed"):
            return
        case_id, kind, day, options = self.case_id, shown["kind"], self.today(), shown.get("options") or {}
        at = datetime.now().replace(microsecond=0)
        if at.date() != day:
            at = datetime.combine(day, at.time())
        signature = {"method": "by_name", "name": self.session.officer, "signed_at": at.isoformat()}
        self.message.setText("Signing and saving the letter…")
        self.worker.submit(lambda: {**letters.sign(self.session, case_id, kind, signature, today=day,
                                                   options=options), "kind": kind}, self._shown, self._failed)

    def start_signing(self) -> None:
        """The letters tab's sign dialog: the officer signs on the pad, or by name from the keyboard."""
        shown = self.shown
        if self.case_id is None or shown is None or shown.get("signed"):
            return
        dialog = LetterSignDialog(shown["title"], self.session.officer, self)
        dialog.accepted.connect(lambda: self._sign(dialog.signature()))
        self.sign_dialog = dialog
        dialog.open()

    def _sign(self, signature: dict[str, Any] | None) -> None:
        shown = self.shown
        if signature is None or self.case_id is None or shown is None or shown.get("signed"):
            return
        case_id, kind, day, options = self.case_id, shown["kind"], self.today(), shown.get("options") or {}
        at = datetime.fromisoformat(signature["signed_at"]).replace(tzinfo=None, microsecond=0)
        if at.date() != day:  # the letter's day is the session's (tests and back-dated letters)
            at = datetime.combine(day, at.time())
        signature = {**signature, "signed_at": at.isoformat()}
        self.message.setText("Signing and saving the letter…")
        self.worker.submit(lambda: {**letters.sign(self.session, case_id, kind, signature, today=day,
                                                   options=options), "kind": kind}, self._shown, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(str(error))
