"""How the cost of works is met, for whichever assistance the case applied for.

The eligibility of each type is decided in ``assistance``; this module layers the cost: the
customer's assessed contribution first (5.8), then the grant applied for up to its maximum, then
(for a DFG) the DDFA grant and loan. HEART's fee (7.2, 7.4) is worked out on each funded part,
each part already capped at its type's maximum. A council tenant's adaptation is not a grant
at all: the council as landlord meets it (4.1.12; 2021 briefing 5.2).

The parts always add up: contribution + every grant + council-funded + shortfall = cost of
works, and the fees sit on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from heart_desktop.domain.case_summary import CaseSummary
from heart_desktop.domain.dates import add_years
from heart_desktop.domain.money import Pence, apply_rate
from heart_desktop.domain.policy import Policy
from heart_desktop.domain.reasons import TypeDecision

GRANT = "grant"
COUNCIL_HOUSING = "council_housing"
GRANT_PARTS: tuple[str, ...] = ("dfg", "ddfa_grant", "ddfa_loan", "hdg", "hsg", "wash")


@dataclass(frozen=True)
class Award:
    """How the cost of works is met; the parts and the customer's share add up to the cost."""

    works_cost: Pence
    applied_for: str
    route: str
    customer_contribution: Pence
    shortfall: Pence
    fees: Pence
    fees_paid_as_ddfa: Pence
    repayable_charge: Pence
    charge_years: int
    charge_expires: date | None
    ddfa_loan_charge: Pence
    dfg: Pence = 0
    ddfa_grant: Pence = 0
    ddfa_loan: Pence = 0
    hdg: Pence = 0
    hsg: Pence = 0
    wash: Pence = 0
    council_funded: Pence = 0
    not_eligible: Pence = 0  # unforeseen works without written approval (4.1.8), inside the shortfall
    ancillary_cost: Pence = 0  # the 7.1 fees inside the cost of works
    unforeseen_cost: Pence = 0  # unforeseen works added as a variation (4.1.8), inside the cost of works
    fee_parts: Mapping[str, Pence] = field(default_factory=dict)

    @property
    def grants(self) -> Pence:
        return sum(getattr(self, part) for part in GRANT_PARTS)

    @property
    def total_award(self) -> Pence:
        return self.grants + self.fees


def fee_for(amount: Pence, policy: Policy) -> Pence:
    """HEART's fee on an amount of funded works (7.4: £10,000 -> £1,250; £500 -> £62.50)."""
    return apply_rate(amount, policy.rate("common.fee_rate"))


def eligible_cost(case: CaseSummary) -> tuple[Pence, Pence]:
    """(cost that may be funded, cost that may not): unforeseen works count only when approved
    in writing before they were done (4.1.8)."""
    unforeseen = case.unforeseen_works_cost
    if unforeseen and case.unforeseen_approved_on is None:
        return case.works_cost, unforeseen
    return case.works_cost + unforeseen, 0


def _charge(case: CaseSummary, policy: Policy, grant: Pence) -> tuple[Pence, date | None]:
    """The DFG's repayable element (4.1.14): grant above the threshold, up to the maximum, owners only."""
    if case.tenure not in policy.tenures("dfg.repayable_tenures"):
        return 0, None
    charge = min(max(grant - policy.money("dfg.repayable_threshold"), 0), policy.money("dfg.repayable_max"))
    years = policy.count("dfg.repayable_years")
    expires = add_years(case.certified_date, years) if charge and case.certified_date else None
    return charge, expires


@dataclass
class _Parts:
    remaining: Pence
    contribution: Pence = 0
    amounts: dict[str, Pence] = field(default_factory=dict)

    def pay_contribution(self, amount: Pence) -> None:
        taken = min(max(amount, 0), self.remaining)
        self.contribution += taken
        self.remaining -= taken

    def fund(self, part: str, cap: Pence) -> Pence:
        taken = min(self.remaining, max(cap, 0))
        self.amounts[part] = self.amounts.get(part, 0) + taken
        self.remaining -= taken
        return taken


def _fund_dfg(parts: _Parts, policy: Policy, dfg: TypeDecision, ddfa: TypeDecision) -> None:
    parts.pay_contribution(dfg.contribution)
    parts.fund("dfg", policy.money("dfg.max_grant"))
    parts.pay_contribution(ddfa.contribution - parts.contribution)
    if ddfa.eligible:
        parts.fund("ddfa_grant", policy.money("ddfa.grant_max"))
        parts.fund("ddfa_loan", policy.money("ddfa.loan_max"))


def _fund_single(parts: _Parts, decision: TypeDecision, part: str) -> None:
    """HDG, HSG or WaSH: the contribution (if means tested) first, then the grant to its cap."""
    parts.pay_contribution(decision.contribution)
    parts.fund(part, decision.max_award)


def split(case: CaseSummary, policy: Policy, types: Mapping[str, TypeDecision], route: str) -> Award:
    """Layer the cost for the assistance the case applied for."""
    fundable, not_eligible = eligible_cost(case)
    works = fundable + not_eligible
    charge_years = policy.count("dfg.repayable_years")
    base = dict(works_cost=works, applied_for=case.applied_for, route=route,
                charge_years=charge_years, ancillary_cost=case.ancillary_cost,
                unforeseen_cost=case.unforeseen_works_cost)
    if route == COUNCIL_HOUSING:
        return Award(**base, customer_contribution=0, shortfall=0, fees=0, repayable_charge=0, fees_paid_as_ddfa=0,
                     charge_expires=None, ddfa_loan_charge=0, council_funded=works)
    parts = _Parts(remaining=fundable)
    kind = case.applied_for
    decision = types["DFG" if kind == "DFG" else kind]
    if decision.eligible:
        if kind == "DFG":
            _fund_dfg(parts, policy, types["DFG"], types["DDFA"])
        else:
            _fund_single(parts, decision, kind.lower())
    elif decision.covered_by_contribution:
        parts.pay_contribution(decision.contribution)
    amounts = parts.amounts
    fee_parts = {}
    for type_key, keys in (("DFG", ("dfg",)), ("DDFA", ("ddfa_grant", "ddfa_loan")), ("HDG", ("hdg",)),
                           ("HSG", ("hsg",)), ("WaSH", ("wash",))):
        fee = sum(fee_for(amounts.get(k, 0), policy) for k in keys)
        if fee:
            fee_parts[type_key] = fee
    dfg_part = amounts.get("dfg", 0)
    charged = dfg_part + (amounts.get("hdg", 0) if policy.flag("hdg.repayable_like_dfg") else 0)
    charge, expires = _charge(case, policy, charged)
    return Award(
        **base,
        customer_contribution=parts.contribution,
        shortfall=parts.remaining + not_eligible,
        fees=sum(fee_parts.values()),
        fees_paid_as_ddfa=max(dfg_part + fee_parts.get("DFG", 0) - policy.money("dfg.max_grant"), 0),
        repayable_charge=charge,
        charge_expires=expires,
        ddfa_loan_charge=amounts.get("ddfa_loan", 0),
        not_eligible=not_eligible,
        fee_parts=fee_parts,
        **{k: amounts.get(k, 0) for k in GRANT_PARTS},
    )


# --- the same lines on every screen and page ------------------------------------------------------

PART_LABELS: dict[str, str] = {
    "dfg": "Disabled Facilities Grant",
    "ddfa_grant": "Discretionary grant (DDFA)",
    "ddfa_loan": "Discretionary 0% loan (DDFA), repayable on sale or transfer",
    "hdg": "Hospital Discharge Grant",
    "hsg": "Home Safety Grant",
    "wash": "Warm and Safer Homes grant",
}
PART_TYPES: dict[str, str] = {"dfg": "DFG", "ddfa_grant": "DDFA", "ddfa_loan": "DDFA", "hdg": "HDG",
                              "hsg": "HSG", "wash": "WaSH"}
APPLIED_PARTS: dict[str, tuple[str, ...]] = {"DFG": ("dfg", "ddfa_grant", "ddfa_loan"), "HDG": ("hdg",),
                                             "HSG": ("hsg",), "WaSH": ("wash",)}


@dataclass(frozen=True)
class AwardLine:
    key: str
    label: str
    amount: Pence
    total: bool = False


def award_lines(award: Award) -> list[AwardLine]:
    """The rows of 'How the cost is met', in order: the Eligibility tab and the pack both show
    exactly these, so the screen and the signed paper never disagree."""
    lines = [AwardLine("works_cost", "Cost of works (VAT included)", award.works_cost)]
    if award.ancillary_cost:
        lines.append(AwardLine("ancillary_cost", "  of which ancillary fees (policy 7.1)", award.ancillary_cost))
    if award.unforeseen_cost:
        lines.append(AwardLine("unforeseen_cost", "  of which unforeseen works, a variation (policy 4.1.8)",
                               award.unforeseen_cost))
    if award.route == COUNCIL_HOUSING:
        lines.append(AwardLine("council_funded", "Met by the council as landlord (Housing Revenue Account)",
                               award.council_funded, total=True))
        return lines
    lines.append(AwardLine("customer_contribution", "Customer's contribution (assessed by the means test)",
                           award.customer_contribution))
    shown = APPLIED_PARTS.get(award.applied_for, ())
    for part in GRANT_PARTS:
        amount = getattr(award, part)
        if part in shown or amount:
            lines.append(AwardLine(part, PART_LABELS[part], amount))
    lines.append(AwardLine("shortfall", "Shortfall not covered", award.shortfall))
    lines.append(AwardLine("fees", "HEART fees (added to the award, never paid by the customer)", award.fees))
    if award.fees_paid_as_ddfa:
        lines.append(AwardLine("fees_paid_as_ddfa", "  of which paid as discretionary assistance",
                               award.fees_paid_as_ddfa))
    lines.append(AwardLine("total_award", "Total award", award.total_award, total=True))
    return lines


def certified_award(award: Award, certified_on: date | None) -> dict[str, object] | None:
    """An earlier case's award as a later case counts it (4.1.11 contributions, 4.4.6 the safety
    grant's window, 4.5.4(4) no repeat WaSH): only once its works are certified, and only a grant
    (a council-housing adaptation is not one). Amounts in pounds, as case summaries read them."""
    if certified_on is None or award.route != GRANT or not award.grants:
        return None
    kind = award.applied_for
    amount = award.grants
    return {"type": kind, "certified_date": certified_on.isoformat(), "amount": amount / 100,
            "contribution": award.customer_contribution / 100}
