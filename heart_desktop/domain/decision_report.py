"""A decision as JSON (for tools and the panel) and as plain words (for the customer)."""

from __future__ import annotations

from typing import Any

from heart_desktop.domain.assistance import Decision, TypeDecision
from heart_desktop.domain.award import award_lines
from heart_desktop.domain.money import fmt, pounds_number


def _type_json(decision: TypeDecision) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": decision.name,
        "eligible": decision.eligible,
        "reasons": [str(r) for r in decision.reasons],
        "max_award": pounds_number(decision.max_award),
        "means_tested": decision.means_tested,
        "contribution": pounds_number(decision.contribution),
    }
    if decision.allowance_left is not None:
        data["allowance_left"] = pounds_number(decision.allowance_left)
    return data


def decision_json(decision: Decision) -> dict[str, Any]:
    award = decision.award
    case = decision.summary
    return {
        "council": case.council,
        "application_date": case.application_date.isoformat(),
        "policy": {"title": decision.policy_title, "version": decision.policy_version},
        "types": {key: _type_json(value) for key, value in decision.types.items()},
        "award": {
            "applied_for": award.applied_for,
            "route": award.route,
            "works_cost": pounds_number(award.works_cost),
            "dfg": pounds_number(award.dfg),
            "ddfa_grant": pounds_number(award.ddfa_grant),
            "ddfa_loan": pounds_number(award.ddfa_loan),
            "hdg": pounds_number(award.hdg),
            "hsg": pounds_number(award.hsg),
            "wash": pounds_number(award.wash),
            "council_funded": pounds_number(award.council_funded),
            "fees": pounds_number(award.fees),
            "fees_by_type": {k: pounds_number(v) for k, v in award.fee_parts.items()},
            "ancillary_cost": pounds_number(award.ancillary_cost),
            "unforeseen_cost": pounds_number(award.unforeseen_cost),
            "not_eligible": pounds_number(award.not_eligible),
            "fees_paid_as_ddfa": pounds_number(award.fees_paid_as_ddfa),
            "customer_contribution": pounds_number(award.customer_contribution),
            "shortfall": pounds_number(award.shortfall),
            "total_award": pounds_number(award.total_award),
            "repayable_charge": pounds_number(award.repayable_charge),
            "charge_years": award.charge_years,
            "charge_expires": award.charge_expires.isoformat() if award.charge_expires else None,
            "ddfa_loan_charge": pounds_number(award.ddfa_loan_charge),
        },
        "deadlines": {
            "determine_by": (decision.deadlines.determine_by.isoformat()
                             if decision.deadlines.determine_by else None),
            "complete_by": (decision.deadlines.complete_by.isoformat()
                            if decision.deadlines.complete_by else None),
        },
        "notes": [str(n) for n in decision.notes],
        # the test of resources, stage by stage, when the case gave its financial facts
        "means_test": case.means_test.as_json() if case.means_test is not None else None,
    }


def decision_text(decision: Decision) -> str:
    """The decision as an officer would read it out, with the policy sections."""
    case, award = decision.summary, decision.award
    applied = {"DFG": "Disabled Facilities Grant (with DDFA)", "HDG": "Hospital Discharge Grant",
               "HSG": "Home Safety Grant", "WaSH": "Warm and Safer Homes grant"}[award.applied_for]
    lines = [
        f"{decision.policy_title} v{decision.policy_version} - {decision.council_name}",
        f"Application date {case.application_date:%d/%m/%Y}; applied for: {applied}",
        "",
    ]
    for item in decision.types.values():
        verdict = "can have" if item.eligible else "cannot have"
        extra = ""
        if item.allowance_left is not None and item.eligible:
            extra = f" ({fmt(item.allowance_left)} left)"
        lines.append(f"{item.name} ({item.type}): {verdict}{extra}")
        lines.extend(f"  - {reason}" for reason in item.reasons)
    lines.append("")
    lines += [f"{line.label:<62}{fmt(line.amount):>14}" for line in award_lines(award)]
    if decision.notes:
        lines.append("")
        lines.extend(f"* {note}" for note in decision.notes)
    deadlines = decision.deadlines
    if deadlines.determine_by:
        lines += ["", f"The council must decide by {deadlines.determine_by:%d/%m/%Y} "
                  f"(policy {deadlines.determine_section})."]
    if deadlines.complete_by:
        lines.append(f"Works must be finished by {deadlines.complete_by:%d/%m/%Y} "
                     f"(policy {deadlines.complete_section}).")
    return "\n".join(lines)
