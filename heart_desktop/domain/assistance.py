"""Which assistance a household can have, and how the cost of works is split.

Every rule is read from the policy in force for the case's council on its application date,
and every reason names its policy section, so the officer can explain the decision at the
kitchen table and an appeals panel (section 12) can audit it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from heart_desktop.domain.award import COUNCIL_HOUSING, GRANT, Award, eligible_cost, fee_for, split
from heart_desktop.domain.case_summary import CaseInputError, CaseSummary, PreviousAward
from heart_desktop.domain.casework import statutory_clocks
from heart_desktop.domain.dates import add_years
from heart_desktop.domain.money import MoneyError, Pence, fmt, typed_amount
from heart_desktop.domain.policy import Policy, PolicyError, PolicySet, policy_set
from heart_desktop.domain.reasons import TYPE_NAMES, Reason, TypeDecision

__all__ = ["TYPE_NAMES", "AllowanceCheck", "Award", "Deadlines", "Decision", "Reason", "TypeDecision", "check_in_force",
           "decide", "fee_for", "hsg_allowance_check", "hsg_allowance_left"]

TENURE_WORDS: dict[str, str] = {
    "owner": "an owner-occupier",
    "private_tenant": "a private tenant",
    "council_tenant": "a council tenant",
    "housing_association_tenant": "a housing association tenant",
}


@dataclass(frozen=True)
class Deadlines:
    """The statutory clocks; none for a council-housing adaptation (no grant application)."""

    determine_by: date | None
    complete_by: date | None
    determine_section: str
    complete_section: str


@dataclass(frozen=True)
class Decision:
    summary: CaseSummary
    policy_title: str
    policy_version: str
    council_name: str
    types: dict[str, TypeDecision]
    award: Award
    deadlines: Deadlines
    notes: tuple[Reason, ...]

    @property
    def route(self) -> str:
        return self.award.route


# --- the rules --------------------------------------------------------------------------------


def _tenure_words(tenure: str) -> str:
    return TENURE_WORDS.get(tenure, tenure)


def _carried_contribution(case: CaseSummary, policy: Policy) -> Pence:
    """Contributions made to earlier DFGs within 10 (owner) or 5 (tenant) years count (4.1.11)."""
    years_key = ("dfg.contribution_carry_years_owner" if case.tenure == "owner"
                 else "dfg.contribution_carry_years_tenant")
    since = add_years(case.application_date, -policy.count(years_key))
    return sum(a.contribution for a in case.previous_awards
               if a.type == "DFG" and since < a.certified_date <= case.application_date)


def _assessed_contribution(case: CaseSummary, policy: Policy) -> Pence:
    return max(case.means_test_contribution - _carried_contribution(case, policy), 0)


def _means_passport(case: CaseSummary, policy: Policy) -> str | None:
    """The benefits that passported the case in its test of resources (4.1.11), or None."""
    means = case.means_test
    if means is None or not means.passported or not policy.flag("dfg.passported_benefit_exempt"):
        return None
    return ", ".join(means.passporting_benefits)


def _means_words(case: CaseSummary) -> str:
    return f" ({case.means_test.decision_words()})" if case.means_test is not None else ""


def _is_child_case(case: CaseSummary, policy: Policy) -> bool:
    return (case.disabled_person_age is not None
            and case.disabled_person_age <= policy.count("dfg.means_test_exempt_max_age"))


def _qualifying_criteria(decision: TypeDecision, case: CaseSummary, policy: Policy,
                         tenures_key: str) -> None:
    """The tests a DFG applicant must pass (4.1.2, 4.1.12); DDFA uses the same (4.2.5)."""
    if case.disabled_person_age is None:
        decision.refuse("Nobody in the household is disabled: this assistance is for the needs "
                        "of a disabled occupant", "4.1.1, 4.1.4")
    min_age = policy.count("common.min_applicant_age")
    if case.applicant_age < min_age:
        decision.refuse(f"The applicant is {case.applicant_age}; applicants must be {min_age} or "
                        "over (the disabled person may be younger)", policy.section("common.min_applicant_age"))
    if case.tenure not in policy.tenures(tenures_key):
        if case.tenure == "council_tenant":
            decision.refuse("The customer is a council tenant: the council carries out or arranges "
                            "adaptations to its own homes directly, without a grant application",
                            "4.1.12")
        else:
            decision.refuse(f"Not available to {_tenure_words(case.tenure)}", policy.section(tenures_key))


def _decide_dfg(case: CaseSummary, policy: Policy) -> TypeDecision:
    decision = TypeDecision("DFG", eligible=True, max_award=policy.money("dfg.max_grant"))
    _qualifying_criteria(decision, case, policy, "dfg.eligible_tenures")
    if not decision.eligible:
        return decision
    decision.why(f"{_tenure_words(case.tenure).capitalize()} aged {case.applicant_age} may apply "
                 "for works for a disabled occupant", "4.1.2")
    if case.ot_recommended is False:
        decision.refuse("The works have not been recommended as necessary and appropriate by the "
                        "occupational therapist", "4.1.6")
        return decision
    if case.ot_recommended is None:
        decision.why("Subject to the occupational therapist confirming the works are necessary "
                     "and appropriate, and reasonable and practicable", "4.1.6")
    else:
        decision.why("The occupational therapist has recommended the works as necessary and "
                     "appropriate", "4.1.6")
    if case.passported_benefit and policy.flag("dfg.passported_benefit_exempt"):
        decision.why("A qualifying means-tested benefit is received: no means test and no "
                     "contribution", policy.section("dfg.passported_benefit_exempt"))
    elif _means_passport(case, policy):
        decision.why(f"Passported by the test of resources ({_means_passport(case, policy)}): no contribution",
                     policy.section("dfg.passported_benefit_exempt"))
    elif _is_child_case(case, policy):
        limit = policy.count("dfg.means_test_exempt_max_age")
        decision.why(f"The works are for a disabled person aged {case.disabled_person_age} "
                     f"({limit} or younger at application): no means test",
                     policy.section("dfg.means_test_exempt_max_age"))
    else:
        decision.means_tested = True
        decision.contribution = _assessed_contribution(case, policy)
        carried = _carried_contribution(case, policy)
        text = f"Means tested: the assessed contribution is {fmt(decision.contribution)}"
        if carried:
            text += f" after {fmt(carried)} already contributed to an earlier grant"
        decision.why(text + _means_words(case), "4.1.11")
        _covered(decision, case, "4.1.2, 4.1.11")
        if not decision.eligible:
            return decision
    if not case.works_cost:
        decision.why("The award is worked out once the schedule of works is costed", "4.1.11")
    decision.why(f"Up to {fmt(decision.max_award)} plus HEART fees", policy.section("dfg.max_grant"))
    return decision


def _covered(decision: TypeDecision, case: CaseSummary, section: str) -> None:
    """A contribution equal to or above the cost leaves no grant: the customer meets it all."""
    cost, _ = eligible_cost(case)
    if cost and decision.contribution >= cost:
        decision.covered_by_contribution = True
        decision.refuse(f"The assessed contribution ({fmt(decision.contribution)}) meets the whole cost "
                        f"of works ({fmt(cost)}), so no grant is payable: the customer meets the works "
                        "from their assessed contribution", section)


def _decide_ddfa(case: CaseSummary, policy: Policy, dfg: TypeDecision) -> TypeDecision:
    decision = TypeDecision("DDFA", eligible=True,
                            max_award=policy.money("ddfa.grant_max") + policy.money("ddfa.loan_max"))
    _qualifying_criteria(decision, case, policy, "ddfa.eligible_tenures")
    if not decision.eligible:
        return decision
    if case.ot_recommended is False:
        decision.refuse("The works have not been recommended as necessary and appropriate by the "
                        "occupational therapist", "4.2.4, 4.1.6")
        return decision
    if not dfg.eligible:
        decision.refuse("DDFA tops up a Disabled Facilities Grant, which this case does not have",
                        "4.2.5, 4.2.6")
        return decision
    band_from = policy.money("ddfa.grant_band_from")
    cost, _ = eligible_cost(case)
    if cost <= band_from:
        decision.refuse(f"The works ({fmt(cost)}) are within the DFG maximum of "
                        f"{fmt(band_from)}, so no top-up is needed", "4.2.2, 4.2.6")
        return decision
    decision.why(f"Works over {fmt(band_from)}: a grant top-up of up to "
                 f"{fmt(policy.money('ddfa.grant_max'))} for works up to "
                 f"{fmt(policy.money('ddfa.grant_band_to'))}, subject to resources",
                 policy.section("ddfa.grant_max"))
    if cost > policy.money("ddfa.loan_band_from"):
        decision.why(f"Works over {fmt(policy.money('ddfa.loan_band_from'))}: a further 0% loan of "
                     f"up to {fmt(policy.money('ddfa.loan_max'))}, registered as a charge repaid on "
                     "sale or transfer, where there is no viable alternative such as moving",
                     policy.section("ddfa.loan_max"))
    if case.tenure != "owner":
        decision.why("For tenants the offer depends on the landlord accepting a charge, or on a "
                     "commercial loan assessment", "4.2.2, 4.2.11")
        options_above = policy.money("ddfa.tenant_housing_options_above")
        if cost > options_above:
            decision.why(f"A tenant's works costing over {fmt(options_above)}: housing options such as "
                         "moving to a suitable home are to be considered first, before works to the "
                         "rented home", policy.section("ddfa.tenant_housing_options_above"))
    child = _is_child_case(case, policy)
    if (case.passported_benefit and policy.flag("dfg.passported_benefit_exempt")) or _means_passport(case, policy):
        decision.why("A qualifying means-tested benefit is received: no contribution", "4.2.9, 4.1.11")
    elif child and not policy.flag("ddfa.means_test_child_cases"):
        decision.why(f"Works for a disabled child or young person aged {case.disabled_person_age}: no "
                     "means test, as for DFG (the body text 4.2.1 and 4.2.9 governs appendix D1/D2)",
                     "4.2.1, 4.2.9")
    else:
        decision.means_tested = True
        decision.contribution = _assessed_contribution(case, policy)
        decision.why(f"Means tested like DFG{' including child cases' if child else ''}: "
                     f"assessed contribution {fmt(decision.contribution)}",
                     policy.section("ddfa.means_test_child_cases"))
    return decision


def _decide_hdg(case: CaseSummary, policy: Policy) -> TypeDecision:
    decision = TypeDecision("HDG", eligible=True, max_award=policy.money("hdg.max_grant"))
    if not case.hospital_discharge:
        decision.refuse("Only where housing defects or adaptations are preventing discharge from "
                        "hospital or care, or to reduce the risk of readmission", "4.3.1, 4.3.3")
    if case.tenure not in policy.tenures("hdg.eligible_tenures"):
        section = "4.1.12" if case.tenure == "council_tenant" else policy.section("hdg.eligible_tenures")
        decision.refuse(f"Not available to {_tenure_words(case.tenure)}", section)
    if policy.flag("hdg.requires_disabled_person") and case.disabled_person_age is None:
        decision.refuse("Nobody in the household is disabled", policy.section("hdg.requires_disabled_person"))
    if not decision.eligible:
        return decision
    decision.why(f"Hospital discharge: up to {fmt(decision.max_award)} plus HEART fees, assessed as a "
                 "priority", "4.3.1, 4.3.3, 9.1")
    if policy.flag("hdg.means_tested"):
        decision.means_tested = True
        decision.contribution = _assessed_contribution(case, policy)
        decision.why(f"Means tested: assessed contribution {fmt(decision.contribution)}",
                     policy.section("hdg.means_tested"))
        _covered(decision, case, policy.section("hdg.means_tested"))
    else:
        decision.why("Not means tested where it speeds discharge: any assessed contribution is not "
                     "asked for", policy.section("hdg.means_tested"))
    if case.disabled_person_age is None:
        decision.why("Housing defects, safety hazards and thermal comfort are covered: nobody need be "
                     "disabled", policy.section("hdg.requires_disabled_person"))
    if policy.flag("hdg.repayable_like_dfg") and case.tenure in policy.tenures("dfg.repayable_tenures"):
        decision.why("The DFG's repayment conditions apply: grant above "
                     f"{fmt(policy.money('dfg.repayable_threshold'))} is repayable on a disposal within "
                     f"{policy.count('dfg.repayable_years')} years", policy.section("hdg.repayable_like_dfg"))
    return decision


def _awards_within(awards: Iterable[PreviousAward], kind: str, since: date, until: date) -> list[PreviousAward]:
    return [a for a in awards if a.type == kind and since < a.certified_date <= until]


def hsg_allowance_left(case: CaseSummary, policy: Policy) -> Pence:
    """The Home Safety Grant left to the household on the application date (4.4.6)."""
    years = policy.count("hsg.window_years")
    recent = _awards_within(case.previous_awards, "HSG", add_years(case.application_date, -years),
                            case.application_date)
    return max(policy.money("hsg.max_award") - sum(a.amount for a in recent), 0)


@dataclass(frozen=True)
class AllowanceCheck:
    left_before: Pence
    cost: Pence
    left_after: Pence  # negative when the cost is over what is left
    message: str


def safety_check_cost(answers: Mapping[str, Any]) -> Pence:
    """The agreed remedial work of a home safety check: the costs of every ``*_findings`` row
    (rows with no cost, or a cost still being typed, count nothing yet)."""
    total = 0
    for key, rows in answers.items():
        if not key.endswith("_findings") or not isinstance(rows, list):
            continue
        for row in rows:
            if isinstance(row, Mapping) and row.get("cost") not in (None, ""):
                try:
                    total += typed_amount(str(row["cost"]))
                except MoneyError:
                    continue
    return total


def hsg_allowance_check(case: CaseSummary, cost: Pence, policies: PolicySet | None = None) -> AllowanceCheck:
    """The safety check form's 'against the allowance': agreed remedial work against the Home
    Safety Grant left to the household (4.4.6); more than that may be referred (4.4.3)."""
    loaded = policies or policy_set()
    left = hsg_allowance_left(case, _policy_for(case, loaded))
    if cost <= left:
        return AllowanceCheck(left, cost, left - cost, f"{fmt(cost)} of {fmt(left)} left: within the allowance")
    return AllowanceCheck(left, cost, left - cost, f"{fmt(cost)} is {fmt(cost - left)} over the {fmt(left)} left: "
                          "refer the rest for a DFG or WaSH grant (policy 4.4.3)")


def _decide_hsg(case: CaseSummary, policy: Policy) -> TypeDecision:
    cap = policy.money("hsg.max_award")
    decision = TypeDecision("HSG", eligible=True, max_award=cap)
    min_age = policy.count("hsg.min_age")
    older = [a for a in case.everyone_ages if a >= min_age]
    if case.tenure not in policy.tenures("hsg.eligible_tenures"):
        decision.refuse(f"Not available to {_tenure_words(case.tenure)}", policy.section("hsg.eligible_tenures"))
    if not older and case.disabled_person_age is None:
        decision.refuse(f"The free home safety check is for households with someone aged {min_age} "
                        "or over or a disabled person", policy.section("hsg.min_age"))
    years = policy.count("hsg.window_years")
    since = add_years(case.application_date, -years)
    recent = _awards_within(case.previous_awards, "HSG", since, case.application_date)
    used = sum(a.amount for a in recent)
    decision.allowance_left = hsg_allowance_left(case, policy)
    decision.max_award = decision.allowance_left
    if decision.eligible:
        who = (f"someone aged {max(older)}" if older else "a disabled person")
        decision.why(f"Free home safety check: the household has {who}", "4.4.1")
        decision.why("Not means tested; fees are added on top of the award", "4.4.2, 4.4.3")
    if recent:
        renews = add_years(min(a.certified_date for a in recent), years)
        decision.why(f"{fmt(used)} of the {fmt(cap)} has been used in the last {years} years; "
                     f"{fmt(decision.allowance_left)} is left (more becomes available from "
                     f"{renews:%d/%m/%Y})", policy.section("hsg.window_years"))
        if decision.allowance_left == 0:
            decision.eligible = False
    else:
        decision.why(f"No safety grant in the last {years} years: {fmt(cap)} is available per "
                     "household", policy.section("hsg.window_years"))
    return decision


def _decide_wash(case: CaseSummary, policy: Policy) -> TypeDecision:
    decision = TypeDecision("WaSH", eligible=True, max_award=policy.money("wash.max_grant"))
    if case.tenure not in policy.tenures("wash.eligible_tenures"):
        section = "4.5.5" if case.tenure == "private_tenant" else policy.section("wash.eligible_tenures")
        referral = "; hazards in privately rented homes are referred for enforcement"
        decision.refuse("Only for owner-occupiers" + (referral if case.tenure == "private_tenant" else ""), section)
        return decision
    min_years = policy.count("wash.min_years_owned")
    if case.years_owned is None:
        decision.refuse(f"How long the home has been owned is needed: at least {min_years} years",
                        policy.section("wash.min_years_owned"))
    elif case.years_owned < min_years:
        decision.refuse(f"Owned for {case.years_owned:g} years; at least {min_years} years' "
                        "ownership is needed", policy.section("wash.min_years_owned"))
    no_repeat = policy.count("wash.no_repeat_years")
    recent = _awards_within(case.previous_awards, "WaSH",
                            add_years(case.application_date, -no_repeat), case.application_date)
    if recent:
        last = max(a.certified_date for a in recent)
        decision.refuse(f"A WaSH grant was certified on {last:%d/%m/%Y}: no further award until "
                        f"{add_years(last, no_repeat):%d/%m/%Y}", policy.section("wash.no_repeat_years"))
    if policy.flag("wash.requires_category1_hazard") and case.category1_hazards < 1:
        decision.refuse("No category 1 hazard has been found; a category 2 hazard that will "
                        "deteriorate or harm the occupant may be considered at HEART's discretion",
                        policy.section("wash.requires_category1_hazard"))
    if policy.flag("wash.reasonable_care"):
        if case.reasonable_care is False:
            decision.refuse("The hazard comes from deliberate or negligent damage, or an insurance award "
                            "covers it: WaSH expects reasonable care", policy.section("wash.reasonable_care"))
        elif decision.eligible:
            decision.why("Condition: reasonable care of the home is expected; damage that is deliberate "
                         "or negligent, or met by an insurance award, is not funded",
                         policy.section("wash.reasonable_care"))
    if case.passported_benefit or (case.means_test is not None and case.means_test.heart_passport):
        if decision.eligible:
            decision.why(f"A qualifying means-tested benefit is received: full cost up to "
                         f"{fmt(decision.max_award)} plus HEART fees, not means tested", "4.5.4(1), 4.5.4(2)")
    elif case.health_risk and policy.flag("wash.health_risk_offset"):
        decision.means_tested = True
        decision.contribution = _assessed_contribution(case, policy)
        if decision.eligible:
            decision.why(f"A qualifying health risk: subject to the DFG test of resources; the "
                         f"assessed contribution of {fmt(decision.contribution)} is offset against "
                         "the cost", policy.section("wash.health_risk_offset"))
            _covered(decision, case, policy.section("wash.health_risk_offset"))
    else:
        decision.refuse("Needs a qualifying means-tested benefit in the household or a qualifying "
                        "health risk that the works would relieve", "4.5.4(2), 4.5.4(3)")
    if decision.eligible:
        decision.why(f"{case.category1_hazards} category 1 hazard(s) to remove; subject to resources",
                     "4.5.3, 4.5.4")
    return decision


def _deadlines(case: CaseSummary, policy: Policy, route: str) -> Deadlines:
    complete_section = policy.section("dfg.completion_months")
    if route == COUNCIL_HOUSING:
        return Deadlines(None, None, "4.1.12", complete_section)
    clocks = {c.key: c for c in statutory_clocks(
        {"application": case.application_date, "approval": case.approval_date}, policy, case.applied_for)}
    complete, determine = clocks.get("complete"), clocks.get("determine")
    return Deadlines(
        determine_by=determine.due if determine else None,
        complete_by=complete.due if complete else None,
        determine_section=determine.section if determine else policy.section("dfg.determination_months"),
        complete_section=complete_section,
    )


def _route(case: CaseSummary, policy: Policy) -> str:
    """A council tenant's adaptation is the council's own works, not a grant (4.1.12)."""
    if case.tenure in policy.tenures("dfg.council_housing_tenures") and case.applied_for != "HSG":
        return COUNCIL_HOUSING
    return GRANT


def check_in_force(case: CaseSummary, policies: PolicySet | None = None) -> Policy:
    """The policy the case is judged by; refuses (naming application_date) a case dated before
    the policy took effect, so every screen says so rather than failing when it asks."""
    return _policy_for(case, policies or policy_set())


def _policy_for(case: CaseSummary, loaded: PolicySet) -> Policy:
    starts = min(loaded.effective_dates(case.council))
    if case.application_date < starts:
        raise CaseInputError("application_date", f"{case.application_date:%d/%m/%Y} is before the "
                             f"{loaded.title} took effect ({starts:%d/%m/%Y}): a case is judged by the "
                             "policy in force on its application date")
    try:
        return loaded.for_case(case.council, case.application_date)
    except PolicyError as exc:
        raise CaseInputError("council", str(exc)) from None


def decide(case: CaseSummary, policies: PolicySet | None = None) -> Decision:
    """The whole decision for a case under the policy in force on its application date."""
    from heart_desktop.domain.award_notes import award_notes, condition_reasons

    loaded = policies or policy_set()
    policy = _policy_for(case, loaded)
    dfg = _decide_dfg(case, policy)
    ddfa = _decide_ddfa(case, policy, dfg)
    types = {
        "DFG": dfg,
        "DDFA": ddfa,
        "HDG": _decide_hdg(case, policy),
        "HSG": _decide_hsg(case, policy),
        "WaSH": _decide_wash(case, policy),
    }
    route = _route(case, policy)
    condition_reasons(case, policy, types, route)
    award = split(case, policy, types, route)
    if ddfa.eligible and route == GRANT and case.applied_for == "DFG" and not (award.ddfa_grant or award.ddfa_loan):
        ddfa.refuse("The customer's contribution already meets the cost above the DFG maximum",
                    "4.2.9")
    return Decision(
        summary=case,
        policy_title=loaded.title,
        policy_version=loaded.version,
        council_name=loaded.council(case.council).name,
        types=types,
        award=award,
        deadlines=_deadlines(case, policy, route),
        notes=award_notes(case, award, policy, types),
    )
