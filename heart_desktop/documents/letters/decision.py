"""The decision notice (policy 5.6, 6.1, section 12). Approval: the amount of each type of assistance,
the fees, the customer's contribution and any shortfall, the conditions, the repayable charge and
its expiry, and the completion date. Refusal or partial approval: each reason with its section,
and how to appeal and to whom (12). The figures are the award of ``domain.assistance.decide``; the
outcome and the officer's reasons are the decision recorded on the case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from heart_desktop.documents.letters.compose import compose_letter
from heart_desktop.documents.letters.facts import CaseFacts
from heart_desktop.documents.letters.model import Block, LetterData, bullets, table
from heart_desktop.domain.assistance import TYPE_NAMES
from heart_desktop.domain.conditions import FUNDING_PARTS, conditions_for
from heart_desktop.domain.dates import add_months, add_years

KIND = "decision"
TITLE = "Decision notice"


def refusal(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> str | None:
    recorded = facts.recorded_decision()
    if recorded is None:
        return "no decision on the application is recorded: record the decision first (Case actions)"
    if recorded.get("outcome") == "approved" and facts.pack.decision is None:
        return f"the award cannot be worked out from the case ({facts.pack.decision_problem})"
    return None


def complete_by(facts: CaseFacts, approved: date) -> date:
    """Completion within dfg.completion_months of approval (4.1.16), or the extension agreed (13.2)."""
    extended = facts.case.get("extension_to")
    if extended:
        return extended if isinstance(extended, date) else date.fromisoformat(str(extended)[:10])
    return add_months(approved, facts.policy.count("dfg.completion_months"))


def award_rows(facts: CaseFacts) -> list[tuple[str, str]]:
    award = facts.pack.decision.award
    rows = [("Cost of the works", facts.money(award.works_cost))]
    for key, parts in FUNDING_PARTS:
        amount = sum(getattr(award, part) for part in parts)
        if amount:
            rows.append((f"{TYPE_NAMES[key]} ({key})", facts.money(amount)))
    if award.fees:
        rows.append(("HEART fees (policy 7.2)", facts.money(award.fees)))
    rows.append(("Total assistance", facts.money(award.total_award)))
    rows.append(("Your contribution (means test)", facts.money(award.customer_contribution)))
    if award.shortfall:
        rows.append(("Shortfall, yours to pay", facts.money(award.shortfall)))
    if award.repayable_charge:
        rows.append(("Repayable charge on the home", facts.money(award.repayable_charge)))
    return rows


def refusal_reasons(facts: CaseFacts, recorded: Mapping[str, Any], refused_types: list[str]) -> list[str]:
    """The officer's recorded reasons, then each reason of the policy's rules with its section."""
    out = [str(r) for r in recorded.get("reasons") or [] if str(r).strip()]
    decision = facts.pack.decision
    if decision is not None:
        for key in refused_types:
            for reason in decision.types[key].reasons:
                out.append(f"{TYPE_NAMES[key]}: {reason.text} (policy {reason.section})")
    return out


def compose(facts: CaseFacts, options: Mapping[str, Any] | None = None) -> LetterData:
    recorded = facts.recorded_decision() or {}
    decision = facts.pack.decision
    decided_on = recorded.get("decided_on")
    approved = recorded.get("outcome") == "approved"
    applied_for = [str(t) for t in facts.case.get("assistance_types") or []] or (
        [decision.award.applied_for] if decision else ["DFG"])
    holds: set[str] = set()
    then: dict[str, list[Block]] = {}
    values = {"applied_for": ", ".join(TYPE_NAMES.get(t, t) for t in applied_for),
              "applied_on": facts.day(facts.stage_dates.get("application")),
              "decided_on": facts.day(decided_on), "contribution": "", "shortfall": "", "charge": "",
              "charge_expires": "", "complete_by": ""}
    refused_types: list[str] = []
    if approved and decision is not None:
        holds.add("approved")
        award = decision.award
        approved_on = decided_on if isinstance(decided_on, date) else date.fromisoformat(str(decided_on)[:10])
        finish = complete_by(facts, approved_on)
        values.update(contribution=facts.money(award.customer_contribution), shortfall=facts.money(award.shortfall),
                      charge=facts.money(award.repayable_charge), complete_by=facts.day(finish),
                      charge_expires=facts.day(add_years(finish, facts.policy.count("dfg.repayable_years"))))
        holds |= {f for f, on in (("contribution", award.customer_contribution), ("shortfall", award.shortfall),
                                  ("charge", award.repayable_charge)) if on}
        then["award"] = [table(award_rows(facts), caption="The assistance approved")]
        then["conditions"] = [bullets([f"{c.title}: {c.text} (policy {c.section})" for c in conditions_for(decision)])]
        refused_types = [t for t in applied_for if t in decision.types and not decision.types[t].eligible]
        if refused_types:
            holds |= {"partial", "appeal"}
    else:
        holds |= {"refused", "appeal"}
        if decision is not None:
            refused_types = [t for t in applied_for if t in decision.types and not decision.types[t].eligible]
    reasons = refusal_reasons(facts, recorded, refused_types) if not approved else [
        f"{TYPE_NAMES[key]}: {reason.text} (policy {reason.section})"
        for key in refused_types for reason in decision.types[key].reasons] if decision else []
    then["reasons"] = [bullets(reasons or ["The reasons recorded on your case: ask your duty desk."])]
    return compose_letter(facts, KIND, values, holds, then, about={"decision": recorded.get("id")})
