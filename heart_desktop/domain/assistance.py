"""Which assistance a household can have, and how the cost of works is split.

Every rule is read from the policy in force for the case's council on its application date,
and every reason names its policy section, so the officer can explain the decision at the
kitchen table and an appeals panel (section 12) can audit it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from heart_desktop.domain.case_summary import CaseSummary, PreviousAward
from heart_desktop.domain.casework import statutory_clocks
from heart_desktop.domain.dates import add_years
from heart_desktop.domain.money import Pence, apply_rate, fmt
from heart_desktop.domain.policy import Policy, PolicySet, policy_set

TYPE_NAMES: dict[str, str] = {
    "DFG": "Disabled Facilities Grant",
    "DDFA": "Discretionary Disabled Facilities Assistance",
    "HDG": "Hospital Discharge Grant",
    "HSG": "Home Safety Grant",
    "WaSH": "Warm and Safer Homes grant",
}

TENURE_WORDS: dict[str, str] = {
    "owner": "an owner-occupier",
    "private_tenant": "a private tenant",
    "council_tenant": "a council tenant",
    "housing_association_tenant": "a housing association tenant",
}


@dataclass(frozen=True)
class Reason:
    text: str
    section: str

    def __str__(self) -> str:
        return f"{self.text} (policy {self.section})"


@dataclass
class TypeDecision:
    type: str
    eligible: bool
    reasons: list[Reason] = field(default_factory=list)
    max_award: Pence = 0
    means_tested: bool = False
    allowance_left: Pence | None = None
    contribution: Pence = 0

    @property
    def name(self) -> str:
        return TYPE_NAMES[self.type]

    def why(self, text: str, section: str) -> None:
        self.reasons.append(Reason(text, section))

    def refuse(self, text: str, section: str) -> None:
        self.eligible = False
        self.why(text, section)


@dataclass(frozen=True)
class Award:
    """How the cost of works is met; the parts and the customer's share add up to the cost."""

    works_cost: Pence
    dfg: Pence
    ddfa_grant: Pence
    ddfa_loan: Pence
    customer_contribution: Pence
    shortfall: Pence
    fees: Pence
    fees_paid_as_ddfa: Pence
    repayable_charge: Pence
    charge_years: int
    charge_expires: date | None
    ddfa_loan_charge: Pence

    @property
    def total_award(self) -> Pence:
        return self.dfg + self.ddfa_grant + self.ddfa_loan + self.fees


@dataclass(frozen=True)
class Deadlines:
    determine_by: date
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


# --- the rules --------------------------------------------------------------------------------


def fee_for(amount: Pence, policy: Policy) -> Pence:
    """HEART's fee on an amount of funded works (7.4: £10,000 -> £1,250; £500 -> £62.50)."""
    return apply_rate(amount, policy.rate("common.fee_rate"))


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
    if case.passported_benefit and policy.flag("dfg.passported_benefit_exempt"):
        decision.why("A qualifying means-tested benefit is received: no means test and no "
                     "contribution", policy.section("dfg.passported_benefit_exempt"))
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
        decision.why(text, "4.1.11")
        if case.works_cost and decision.contribution >= case.works_cost:
            decision.refuse(f"The assessed contribution ({fmt(decision.contribution)}) covers the "
                            f"cost of works ({fmt(case.works_cost)}), so no grant is payable",
                            "4.1.2, 4.1.11")
            return decision
    if not case.works_cost:
        decision.why("The award is worked out once the schedule of works is costed", "4.1.11")
    decision.why(f"Up to {fmt(decision.max_award)} plus HEART fees", policy.section("dfg.max_grant"))
    return decision


def _decide_ddfa(case: CaseSummary, policy: Policy, dfg: TypeDecision) -> TypeDecision:
    decision = TypeDecision("DDFA", eligible=True,
                            max_award=policy.money("ddfa.grant_max") + policy.money("ddfa.loan_max"))
    _qualifying_criteria(decision, case, policy, "ddfa.eligible_tenures")
    if not decision.eligible:
        return decision
    if not dfg.eligible:
        decision.refuse("DDFA tops up a Disabled Facilities Grant, which this case does not have",
                        "4.2.5, 4.2.6")
        return decision
    band_from = policy.money("ddfa.grant_band_from")
    if case.works_cost <= band_from:
        decision.refuse(f"The works ({fmt(case.works_cost)}) are within the DFG maximum of "
                        f"{fmt(band_from)}, so no top-up is needed", "4.2.2, 4.2.6")
        return decision
    decision.why(f"Works over {fmt(band_from)}: a grant top-up of up to "
                 f"{fmt(policy.money('ddfa.grant_max'))} for works up to "
                 f"{fmt(policy.money('ddfa.grant_band_to'))}, subject to resources",
                 policy.section("ddfa.grant_max"))
    if case.works_cost > policy.money("ddfa.loan_band_from"):
        decision.why(f"Works over {fmt(policy.money('ddfa.loan_band_from'))}: a further 0% loan of "
                     f"up to {fmt(policy.money('ddfa.loan_max'))}, registered as a charge repaid on "
                     "sale or transfer, where there is no viable alternative such as moving",
                     policy.section("ddfa.loan_max"))
    if case.tenure != "owner":
        decision.why("For tenants the offer depends on the landlord accepting a charge, or on a "
                     "commercial loan assessment", "4.2.2, 4.2.11")
    if case.passported_benefit and policy.flag("dfg.passported_benefit_exempt"):
        decision.why("A qualifying means-tested benefit is received: no contribution", "4.2.9, 4.1.11")
    elif _is_child_case(case, policy) and not policy.flag("ddfa.means_test_child_cases"):
        decision.why("Works for a disabled child or young person: no means test", "4.2.1")
    else:
        decision.means_tested = True
        decision.contribution = _assessed_contribution(case, policy)
        decision.why(f"Means tested like DFG{' including child cases' if _is_child_case(case, policy) else ''}: "
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
    if decision.eligible:
        decision.why(f"Hospital discharge: up to {fmt(decision.max_award)}, assessed as a priority",
                     "4.3.1, 4.3.3, 9.1")
        if not policy.flag("hdg.means_tested"):
            decision.why("Not means tested where it speeds discharge", policy.section("hdg.means_tested"))
    return decision


def _awards_within(awards: Iterable[PreviousAward], kind: str, since: date, until: date) -> list[PreviousAward]:
    return [a for a in awards if a.type == kind and since < a.certified_date <= until]


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
    decision.allowance_left = max(cap - used, 0)
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
    if case.passported_benefit:
        if decision.eligible:
            decision.why(f"A qualifying means-tested benefit is received: full cost up to "
                         f"{fmt(decision.max_award)}, not means tested", "4.5.4(1), 4.5.4(2)")
    elif case.health_risk:
        decision.means_tested = True
        decision.contribution = _assessed_contribution(case, policy)
        if decision.eligible:
            decision.why(f"A qualifying health risk: subject to the DFG test of resources; the "
                         f"assessed contribution of {fmt(decision.contribution)} is offset against "
                         "the cost", "4.5.4(3)")
    else:
        decision.refuse("Needs a qualifying means-tested benefit in the household or a qualifying "
                        "health risk that the works would relieve", "4.5.4(2), 4.5.4(3)")
    if decision.eligible:
        decision.why(f"{case.category1_hazards} category 1 hazard(s) to remove; subject to resources",
                     "4.5.3, 4.5.4")
    return decision


def _split(case: CaseSummary, policy: Policy, dfg: TypeDecision, ddfa: TypeDecision) -> Award:
    """Layer the cost: the customer's contribution first (5.8), then DFG, DDFA grant, DDFA loan."""
    works = case.works_cost
    charge_years = policy.count("dfg.repayable_years")
    if not dfg.eligible:
        return Award(works, 0, 0, 0, 0, works, 0, 0, 0, charge_years, None, 0)
    remaining = works
    towards_dfg = min(dfg.contribution, remaining)
    remaining -= towards_dfg
    dfg_part = min(remaining, policy.money("dfg.max_grant"))
    remaining -= dfg_part
    towards_ddfa = min(max(ddfa.contribution - towards_dfg, 0), remaining)
    remaining -= towards_ddfa
    grant = loan = 0
    if ddfa.eligible:
        grant = min(remaining, policy.money("ddfa.grant_max"))
        remaining -= grant
        loan = min(remaining, policy.money("ddfa.loan_max"))
        remaining -= loan
    fee_dfg = fee_for(dfg_part, policy)
    fees = fee_dfg + fee_for(grant, policy) + fee_for(loan, policy)
    charge = 0
    if case.tenure in policy.tenures("dfg.repayable_tenures"):
        charge = min(max(dfg_part - policy.money("dfg.repayable_threshold"), 0),
                     policy.money("dfg.repayable_max"))
    expires = add_years(case.certified_date, charge_years) if charge and case.certified_date else None
    return Award(
        works_cost=works,
        dfg=dfg_part,
        ddfa_grant=grant,
        ddfa_loan=loan,
        customer_contribution=towards_dfg + towards_ddfa,
        shortfall=remaining,
        fees=fees,
        fees_paid_as_ddfa=max(dfg_part + fee_dfg - policy.money("dfg.max_grant"), 0),
        repayable_charge=charge,
        charge_years=charge_years,
        charge_expires=expires,
        ddfa_loan_charge=loan,
    )


def _deadlines(case: CaseSummary, policy: Policy) -> Deadlines:
    clocks = {c.key: c for c in statutory_clocks(
        {"application": case.application_date, "approval": case.approval_date}, policy)}
    complete = clocks.get("complete")
    return Deadlines(
        determine_by=clocks["determine"].due,
        complete_by=complete.due if complete else None,
        determine_section=clocks["determine"].section,
        complete_section=policy.section("dfg.completion_months"),
    )


def _award_notes(case: CaseSummary, award: Award, policy: Policy) -> tuple[Reason, ...]:
    notes = []
    if award.fees:
        notes.append(Reason(f"HEART fees of {fmt(award.fees)} are added on top of the award and "
                            "never paid by the customer", "4.1.9, 7.2, 7.4"))
    if award.fees_paid_as_ddfa:
        notes.append(Reason(f"{fmt(award.fees_paid_as_ddfa)} of the fees takes DFG above its "
                            "maximum and is paid as discretionary assistance", "4.1.9"))
    if award.repayable_charge:
        when = (f"until {award.charge_expires:%d/%m/%Y}" if award.charge_expires else
                f"for {award.charge_years} years from the certified completion date")
        notes.append(Reason(f"{fmt(award.repayable_charge)} of the grant is repayable if the home is "
                            f"sold or transferred {when}; fees are excluded",
                            f"{policy.section('dfg.repayable_max')}, 7.4"))
    if award.ddfa_loan_charge:
        notes.append(Reason(f"The DDFA loan of {fmt(award.ddfa_loan_charge)} is a 0% charge repaid on "
                            "sale or transfer; it does not expire", policy.section("ddfa.loan_charge_expires")))
    if award.shortfall:
        notes.append(Reason(f"A shortfall of {fmt(award.shortfall)} is not covered: the customer should "
                            "not start works until it is funded; HEART can help look for charitable "
                            "funding", "6.3, 6.4"))
    return tuple(notes)


def decide(case: CaseSummary, policies: PolicySet | None = None) -> Decision:
    """The whole decision for a case under the policy in force on its application date."""
    loaded = policies or policy_set()
    policy = loaded.for_case(case.council, case.application_date)
    dfg = _decide_dfg(case, policy)
    ddfa = _decide_ddfa(case, policy, dfg)
    types = {
        "DFG": dfg,
        "DDFA": ddfa,
        "HDG": _decide_hdg(case, policy),
        "HSG": _decide_hsg(case, policy),
        "WaSH": _decide_wash(case, policy),
    }
    award = _split(case, policy, dfg, ddfa)
    if ddfa.eligible and not (award.ddfa_grant or award.ddfa_loan):
        ddfa.refuse("The customer's contribution already meets the cost above the DFG maximum",
                    "4.2.9")
    return Decision(
        summary=case,
        policy_title=loaded.title,
        policy_version=loaded.version,
        council_name=loaded.council(case.council).name,
        types=types,
        award=award,
        deadlines=_deadlines(case, policy),
        notes=_award_notes(case, award, policy),
    )
