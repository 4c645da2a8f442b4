"""The case's Means test tab: the DFG test of resources stage by stage, as the officer types.

It only shows what ``domain.means_test`` says (through ``store.means_facts``): who is assessed, the
passported short-cut, the applicable amount, the assessed income, the excess, the affordable loan and
the contribution that feeds the award, each with its working and rule, and, beside the result, every
figure used that is not yet confirmed from the regulations' text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.case_summary import CaseInputError
from heart_desktop.domain.means_test import WEEKLY, MeansTestResult
from heart_desktop.domain.money import fmt
from heart_desktop.domain.policy import PolicyError
from heart_desktop.formkit import ComputeContext, Computed, money_pence
from heart_desktop.store import case_facts, means_facts
from heart_desktop.ui.labels import StatusLabel

TAB_TITLE = "Means test && contri&bution"  # Alt+B: every letter of "Means test" is taken on this screen
PROVISIONAL_STYLE = "QLabel { background: #fff4ce; color: #5c3b00; border: 1px solid #c98a00; padding: 6px; }"


class MeansTestPanel(QWidget):
    open_form_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Means test")
        self.result: MeansTestResult | None = None
        layout = QVBoxLayout(self)
        self.heading = QLabel("Test of resources", self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleDescription("Means test heading")
        layout.addWidget(self.heading)
        self.contribution = StatusLabel("", self)
        self.contribution.setObjectName("sectionTitle")
        self.contribution.setWordWrap(True)
        self.contribution.setAccessibleDescription("Contribution that feeds the award")
        self.contribution.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.contribution)
        self.provisional = StatusLabel("", self)
        self.provisional.setWordWrap(True)
        self.provisional.setStyleSheet(PROVISIONAL_STYLE)
        self.provisional.setAccessibleDescription("Provisional result")
        self.provisional.setVisible(False)
        layout.addWidget(self.provisional)
        self.passport = StatusLabel("", self)
        self.passport.setWordWrap(True)
        self.passport.setAccessibleDescription("Passported short-cut")
        layout.addWidget(self.passport)
        self.stages = QTextBrowser(self)  # wraps long working; read, selected and scrolled by keyboard too
        self.stages.setAccessibleName("Stages of the test of resources")
        self.stages.setOpenLinks(False)
        layout.addWidget(self.stages, 1)
        self._figures: dict[str, str] = {}
        self.problem = QLabel("", self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.open_form = QPushButton("Fill in the financial &assessment", self)
        self.open_form.setAccessibleName("Open the financial assessment form")
        self.open_form.clicked.connect(self.open_form_requested)
        bar.addWidget(self.open_form)
        layout.addLayout(bar)
        self.show_none(None)

    # --- what is shown ---------------------------------------------------------------------------

    def show_none(self, officer_figure: int | None) -> None:
        """No financial assessment yet: the award uses the officer's figure, if any."""
        self.result = None
        self._clear_stages()
        self.problem.setText("")
        self.provisional.setVisible(False)
        self.passport.setText("")
        self.heading.setText("Test of resources: no financial assessment on this case yet")
        self.contribution.setText(
            "The award uses the officer's figure on the application form: "
            f"{fmt(officer_figure)}" if officer_figure else
            "Fill in the financial assessment to work out the contribution here, stage by stage.")

    def show_problem(self, message: str) -> None:
        """The test cannot run yet (a missing date of birth, tenure ...): say what is missing."""
        self.result = None
        self._clear_stages()
        self.provisional.setVisible(False)
        self.passport.setText("")
        self.contribution.setText("")
        self.problem.setText(f"The test of resources cannot be worked out yet: {message}")

    def show_result(self, result: MeansTestResult, application: str, tenure_words: str) -> None:
        self.result = result
        self.problem.setText("")
        self.heading.setText(f"Test of resources ({result.law}). Application {application}; {tenure_words}.")
        where = ("from the council-approved calculator: " + result.calculator.source if result.calculator
                 else "from the test below")
        self.contribution.setText(f"Contribution that feeds the award: {fmt(result.contribution)} ({where})")
        if result.exempt:
            self.passport.setText("Works for a disabled child or young person: nobody to test, no contribution.")
        elif result.passported:
            self.passport.setText(f"Passported short-cut: {', '.join(result.passporting_benefits)}. No further "
                                  "questions and no contribution.")
        else:
            self.passport.setText("No passporting benefit: the full test applies.")
        self.provisional.setVisible(bool(result.unconfirmed))
        if result.unconfirmed:
            first = sorted(result.unconfirmed, key=lambda f: (not f.key.startswith("reg12"), f.key))[0]
            lead = "PROVISIONAL" if result.provisional else "The app's own working is provisional"
            self.provisional.setText(
                f"{lead}: {len(result.unconfirmed)} figures used are not confirmed from the regulations' text, "
                f"above all {first.key} ({first.shown}; source: {first.source}). All are listed at the end. "
                + ("A council-approved calculator's figure can be recorded on the form instead."
                   if result.calculator is None else "The award uses the calculator's figure."))
        self._fill_stages(result)

    def _clear_stages(self) -> None:
        self.stages.clear()
        self._figures = {}

    def _fill_stages(self, result: MeansTestResult) -> None:
        """Each stage: its title and figure, then the working in plain words and the rule."""
        esc = html.escape
        parts = ["<table width='100%' cellspacing='0' cellpadding='3'>"]
        self._figures = {}
        for number, stage in enumerate(result.stages, start=1):
            figure = "" if stage.figure is None else fmt(stage.figure) + (" a week" if stage.unit == WEEKLY else "")
            self._figures[stage.key] = figure
            parts.append(f"<tr><td><b>{number}. {esc(stage.title)}</b></td>"
                         f"<td align='right'><b>{esc(figure)}</b></td></tr>")
            working = "".join(f"<li>{esc(line)}</li>" for line in stage.lines)
            rule = f"<br/><span style='color:#555'>Rule: {esc(stage.rule)}</span>" if stage.rule else ""
            shaky = (f"<br/><span style='color:#8a4b00'>Provisional figures here: {esc(', '.join(stage.unconfirmed))}"
                     "</span>") if stage.unconfirmed else ""
            parts.append(f"<tr><td colspan='2'><ul style='margin:0'>{working}</ul>{rule}{shaky}</td></tr>")
        parts.append("</table>")
        if result.unconfirmed:
            count = len(result.unconfirmed)
            parts.append(f"<p><b>Figures not confirmed from the regulations' text ({count})</b></p><ul>")
            parts += [f"<li>{esc(figure.caveat())}</li>" for figure in result.unconfirmed]
            parts.append("</ul>")
        self.stages.setHtml("".join(parts))

    def stage_figures(self) -> dict[str, str]:
        """Each stage's figure as shown (for tests and the screen reader)."""
        return dict(self._figures)

class MeansTab:
    """Keeps the Means test tab (and the Eligibility tab) in step with the financial assessment as it
    is typed: the answers on screen count before the autosave has stored them, and the form's own
    computed lines (passported?, how the capital counts, the result) ask the same test."""

    def __init__(self, panel: MeansTestPanel, detail: Callable[[], Mapping[str, Any] | None],
                 pending: Callable[[], bool]) -> None:
        self.panel, self._detail, self._pending = panel, detail, pending
        self.live: dict[str, Any] | None = None  # the financial assessment's answers on screen
        self._cache: tuple[str, Any] | None = None

    # --- the case as it stands on screen ---------------------------------------------------------

    def detail_now(self, detail: Mapping[str, Any]) -> Mapping[str, Any]:
        return means_facts.with_answers(detail, self.live) if self.live is not None else detail

    def edited(self, form_id: str, answers: Mapping[str, Any]) -> bool:
        """An edit on the Forms tab; True when it was the financial assessment (so refresh)."""
        if form_id != means_facts.FINANCIAL_FORM:
            return False
        self.live = dict(answers)
        return True

    def loaded(self) -> None:
        """The stored case arrived: it is the truth unless an edit is still waiting to be saved."""
        if not self._pending():
            self.live = None
        self._cache = None

    def result(self, answers: Mapping[str, Any] | None = None) -> Any:
        """The test for ``answers`` (or the case as on screen); a CaseInputError is returned, not raised."""
        detail = self._detail()
        if detail is None:
            return None
        answers = answers if answers is not None else self.live
        key = json.dumps([id(detail), (detail.get("stage_dates") or {}).get("application"), answers],
                         sort_keys=True, default=str)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        try:
            value = means_facts.means_result(detail, date.today(), answers=answers)
        except (CaseInputError, PolicyError) as exc:
            value = exc
        self._cache = (key, value)
        return value

    # --- the tab -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        detail = self._detail()
        if detail is None:
            return
        result = self.result()
        if result is None:
            officer = case_facts.latest_answers(detail.get("forms") or [], case_facts.APPLICATION_FORM)
            self.panel.show_none(money_pence(officer.get("means_test_contribution")))
        elif isinstance(result, CaseInputError):
            self.panel.show_problem(f"{result.problem} ({result.field})")
        elif isinstance(result, Exception):
            self.panel.show_problem(str(result))
        else:
            on, provisional_date = case_facts.application_date(detail, date.today())
            applied = f"{on:%d/%m/%Y}" + (" (not applied yet: today's date)" if provisional_date else "")
            tenure = str((detail.get("property") or {}).get("tenure") or "")
            self.panel.show_result(result, applied, TENURE_WORDS.get(tenure, tenure or "tenure not recorded"))

    # --- the form's computed lines ------------------------------------------------------------------

    def context(self) -> dict[str, Callable[[ComputeContext], Computed]]:
        def run(ctx: ComputeContext) -> Any:
            return self.result(ctx.answers)

        def relevant(ctx: ComputeContext) -> Computed:
            result = run(ctx)
            if not isinstance(result, MeansTestResult):
                return _not_yet(result)
            stage = result.stage("relevant_persons")
            return Computed(None, "\n".join(stage.lines) if stage else "")

        def passport(ctx: ComputeContext) -> Computed:
            result = run(ctx)
            if not isinstance(result, MeansTestResult):
                return _not_yet(result)
            if result.exempt:
                return Computed(False, "Not needed: the works are for a disabled child or young person")
            stage = result.stage("passport")
            return Computed(result.passported, "\n".join(stage.lines) if stage else "")

        def capital(ctx: ComputeContext) -> Computed:
            result = run(ctx)
            if not isinstance(result, MeansTestResult):
                return _not_yet(result)
            stage = result.stage("assessed_income")
            lines = [line for line in (stage.lines if stage and stage.figure is not None else ())
                     if "apital" in line]
            return Computed(None, "\n".join(lines) or "Not needed for this customer")

        def summary(ctx: ComputeContext) -> Computed:
            result = run(ctx)
            if not isinstance(result, MeansTestResult):
                return _not_yet(result)
            parts = [result.headline()]
            if result.excess_income is not None:
                parts.append(f"Applicable amount {fmt(result.applicable_amount or 0)} a week, assessed income "
                             f"{fmt(result.assessed_income or 0)} a week, excess {fmt(result.excess_income)} a week, "
                             f"affordable loan {fmt(result.affordable_loan or 0)}")
            if result.unconfirmed:
                parts.append(f"{len(result.unconfirmed)} figures not confirmed: see the Means test tab")
            return Computed(result.contribution, "\n".join(parts))

        return {"means_test.relevant_persons": relevant, "means_test.passport": passport,
                "means_test.capital": capital, "means_test.summary": summary}


TENURE_WORDS = {"owner": "owner-occupier", "private_tenant": "private tenant", "council_tenant": "council tenant",
                "housing_association_tenant": "housing association tenant"}


def _not_yet(result: Any) -> Computed:
    if isinstance(result, CaseInputError):
        return Computed(None, "", f"{result.problem} ({result.field})")
    return Computed(None, "", str(result) if result is not None else "not known yet")
