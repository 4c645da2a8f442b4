"""The conditions that cut across assistance types, and the notes read out with an award.

Conditions: the statutory purposes of each works item (4.1.4), works started before approval
(4.1.7), unforeseen works as a variation (4.1.8). Notes: fees, charges (4.1.14, 4.2.13), the
shortfall and where to turn for it, and the council-housing route (4.1.12).
"""

from __future__ import annotations

from collections.abc import Mapping

from heart_desktop.domain.award import COUNCIL_HOUSING, Award
from heart_desktop.domain.case_summary import CaseSummary
from heart_desktop.domain.money import fmt
from heart_desktop.domain.policy import Policy
from heart_desktop.domain.reasons import Reason, TypeDecision

EARLY_START_TYPES: dict[str, str] = {"DFG": "4.1.7", "DDFA": "4.2.8, 4.1.7", "HDG": "4.3.3, 4.1.7",
                                     "HSG": "4.4.3"}
PURPOSE_TYPES: tuple[str, ...] = ("DFG", "DDFA")


def condition_reasons(case: CaseSummary, policy: Policy, types: Mapping[str, TypeDecision], route: str) -> None:
    """Add the cross-cutting conditions to each type's reasons (refusing where they fail)."""
    if route == COUNCIL_HOUSING:
        return
    _purposes(case, policy, types)
    _early_start(case, types)
    _unforeseen(case, types)


def _purposes(case: CaseSummary, policy: Policy, types: Mapping[str, TypeDecision]) -> None:
    known = dict(policy.choices("dfg.statutory_purposes"))
    section = policy.section("dfg.statutory_purposes")
    untagged = [item.description for item in case.works_items if item.kind == "works" and not item.purpose]
    unknown = [f"{item.description} ({item.purpose})" for item in case.works_items
               if item.kind == "works" and item.purpose and item.purpose not in known]
    for key in PURPOSE_TYPES:
        decision = types[key]
        if not decision.eligible:
            continue
        if untagged:
            named = ", ".join(untagged[:3]) + (f" and {len(untagged) - 3} more" if len(untagged) > 3 else "")
            decision.why(f"Flagged: {named} serves none of the statutory purposes of HGCRA "
                         "1996 s.23(1) recorded; tag its purpose or take it out of the grant", section)
        if unknown:
            decision.why(f"Flagged: {', '.join(unknown)} names a purpose that is not one of s.23(1)(a) "
                         "to (k)", section)
        if case.works_items and not untagged and not unknown:
            used = sorted({item.purpose or "" for item in case.works_items if item.kind == "works"})
            decision.why(f"Every works item serves a statutory purpose (s.23(1)({'), ('.join(used)}))", section)


def _early_start(case: CaseSummary, types: Mapping[str, TypeDecision]) -> None:
    started, approved = case.works_started, case.approval_date
    if started is None or (approved is not None and started >= approved):
        return
    for key, section in EARLY_START_TYPES.items():
        decision = types[key]
        if not decision.eligible:
            continue
        if case.early_start_reason:
            decision.why(f"Works started on {started:%d/%m/%Y}, before approval, with written consent "
                         f"recorded: {case.early_start_reason}", f"{section}; HGCRA 1996 s.29")
        else:
            decision.refuse(f"Works started on {started:%d/%m/%Y}, before approval, without the written "
                            "consent of an authorised officer: they are not eligible (record the consent "
                            "and its reason if it was given)", f"{section}; HGCRA 1996 s.29")


def _unforeseen(case: CaseSummary, types: Mapping[str, TypeDecision]) -> None:
    extra = case.unforeseen_works_cost
    if not extra:
        return
    decision = types.get(case.applied_for)
    if decision is None or not decision.eligible:
        return
    if case.unforeseen_approved_on is None:
        decision.why(f"Unforeseen works of {fmt(extra)} were not approved in writing before they were "
                     "done: they are not eligible and are shown as not covered", "4.1.8")
    else:
        decision.why(f"Unforeseen works of {fmt(extra)}, approved in writing on "
                     f"{case.unforeseen_approved_on:%d/%m/%Y}, are added as a variation of the approval "
                     "and the award is re-checked against the maxima", "4.1.8")


def _shortfall_note(award: Award) -> Reason:
    where = {
        "HDG": ("the rest may be referred for a Disabled Facilities Grant or charitable funding",
                "4.3.2, D1, 6.3, 6.4"),
        "HSG": ("more than the safety grant left may be referred for a DFG or a WaSH grant", "4.4.3"),
        "WaSH": ("HEART can help look for charitable funding or other assistance", "6.3, 6.4"),
    }.get(award.applied_for, ("HEART can help look for charitable funding", "6.3, 6.4"))
    return Reason(f"A shortfall of {fmt(award.shortfall)} is not covered: the customer should not start "
                  f"works until it is funded; {where[0]}", where[1])


def award_notes(case: CaseSummary, award: Award, policy: Policy,
                types: Mapping[str, TypeDecision]) -> tuple[Reason, ...]:
    if award.route == COUNCIL_HOUSING:
        return (Reason(f"{_tenure(case)}: the council as landlord carries out or arranges the works "
                       f"({fmt(award.works_cost)}) directly, funded from its Housing Revenue Account, without "
                       "a grant application, fee or shortfall; the case goes on as a council-housing "
                       "adaptation, counted separately from DFGs",
                       policy.section("dfg.council_housing_tenures")),)
    notes = []
    if award.fees:
        notes.append(Reason(f"HEART fees of {fmt(award.fees)} are added on top of the award and "
                            "never paid by the customer", "4.1.9, 7.2, 7.4"))
    if award.fees_paid_as_ddfa:
        notes.append(Reason(f"{fmt(award.fees_paid_as_ddfa)} of the fees takes DFG above its "
                            "maximum and is paid as discretionary assistance", "4.1.9"))
    if award.ancillary_cost:
        notes.append(Reason(f"The cost of works includes {fmt(award.ancillary_cost)} of ancillary fees, "
                            "funded like the works", policy.section("common.ancillary_fees_funded")))
    if award.repayable_charge:
        when = (f"until {award.charge_expires:%d/%m/%Y}" if award.charge_expires else
                f"for {award.charge_years} years from the certified completion date")
        notes.append(Reason(f"{fmt(award.repayable_charge)} of the grant is repayable if the home is "
                            f"sold or transferred {when}; fees are excluded",
                            f"{policy.section('dfg.repayable_max')}, 7.4"))
    if award.ddfa_loan_charge:
        notes.append(Reason(f"The DDFA loan of {fmt(award.ddfa_loan_charge)} is a 0% charge repaid on "
                            "sale or transfer; it does not expire", policy.section("ddfa.loan_charge_expires")))
    if award.ddfa_loan and case.tenure == "owner":  # the DDFA grant is not repayable (ddfa.grant_repayable)
        years = policy.count("ddfa.equity_protection_after_years")
        notes.append(Reason(f"If the home is sold or transferred more than {years} years after the certified "
                            "date, no amount is recovered that would leave the owner less than "
                            f"{fmt(policy.money('ddfa.equity_protection_min'))} of equity once all charges "
                            "registered against it are repaid", policy.section("ddfa.equity_protection_min")))
    options_above = policy.money("ddfa.tenant_housing_options_above")
    if case.tenure != "owner" and award.applied_for == "DFG" and award.works_cost > options_above:
        notes.append(Reason(f"Prompt: works over {fmt(options_above)} for a tenant - discuss housing options "
                            "such as moving to a suitable home first, and record the conversation",
                            policy.section("ddfa.tenant_housing_options_above")))
    if award.shortfall:
        notes.append(_shortfall_note(award))
    if award.applied_for != "HDG" and types["HDG"].eligible:
        notes.append(Reason("Prompt: a Hospital Discharge Grant is available to this case (not means tested "
                            "where it speeds discharge): set 'assistance applied for' to HDG on the schedule "
                            "of works to use it", "4.3.1, 4.3.2"))
    return tuple(notes)


def _tenure(case: CaseSummary) -> str:
    return {"council_tenant": "A council tenant"}.get(case.tenure, "The customer")
