"""Every assistance type's award and fee, the boundaries and contradiction choices recorded in
the policy data's notes, the missing rules and refused input (issue 13)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.award import award_lines
from heart_desktop.domain.case_summary import CaseInputError, read_case_summary
from heart_desktop.domain.policy import policy_for

COUNCILS = ("NWBC", "NBBC", "RBC", "SDC", "WDC")
TODAY = date(2026, 12, 1)


def case(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"council": "WDC", "application_date": "2026-10-01", "tenure": "owner",
                            "applicant_age": 70, "disabled_person_age": 70, "household_ages": [68],
                            "years_owned": 12, "works_cost": 10000}
    base.update(changes)
    return base


def decision_for(**changes: Any):
    return decide(read_case_summary(case(**changes), COUNCILS, today=TODAY))


def reasons(decision, kind: str) -> str:
    return " | ".join(str(r) for r in decision.types[kind].reasons)


def notes(decision) -> str:
    return " | ".join(str(n) for n in decision.notes)


# --- the table, one test a row -----------------------------------------------------------


def test_hdg_for_a_disabled_person_is_not_means_tested() -> None:
    award = decision_for(applied_for="HDG", hospital_discharge=True, works_cost=7000,
                         means_test_contribution=4000).award
    assert (award.hdg, award.customer_contribution, award.dfg, award.shortfall) == (7_000_00, 0, 0, 0)
    assert award.fee_parts == {"HDG": 875_00} and award.total_award == 7_875_00


def test_hdg_needs_nobody_disabled_and_stops_at_its_maximum() -> None:
    result = decision_for(applied_for="HDG", hospital_discharge=True, disabled_person_age=None,
                          works_cost=12000)
    award = result.award
    assert (award.hdg, award.shortfall, award.fees) == (10_000_00, 2_000_00, 1_250_00)
    assert "referred for a Disabled Facilities Grant" in notes(result)


def test_wash_passported_pays_the_full_cost_plus_fee() -> None:
    award = decision_for(applied_for="WaSH", years_owned=5, passported_benefit=True, category1_hazards=1,
                         works_cost=6000).award
    assert (award.wash, award.customer_contribution, award.shortfall, award.fees) == (6_000_00, 0, 0, 750_00)


def test_wash_health_risk_offsets_the_contribution() -> None:
    award = decision_for(applied_for="WaSH", health_risk=True, category1_hazards=1,
                         means_test_contribution=2500, works_cost=6000).award
    assert (award.customer_contribution, award.wash, award.shortfall) == (2_500_00, 3_500_00, 0)
    assert award.fees == 437_50


def test_home_safety_grant_example_74() -> None:
    award = decision_for(applied_for="HSG", works_cost=500).award
    assert (award.hsg, award.fees, award.total_award, award.shortfall) == (500_00, 62_50, 562_50, 0)


def test_dfg_example_74() -> None:
    award = decision_for(works_cost=10000).award
    assert (award.dfg, award.fees, award.total_award, award.repayable_charge) == (
        10_000_00, 1_250_00, 11_250_00, 5_000_00)


def test_council_tenant_goes_the_council_housing_route() -> None:
    result = decision_for(tenure="council_tenant", years_owned=None, works_cost=12000)
    award = result.award
    assert award.route == "council_housing"
    assert (award.council_funded, award.shortfall, award.fees, award.grants) == (12_000_00, 0, 0, 0)
    assert result.deadlines.determine_by is None and result.deadlines.complete_by is None
    assert "Housing Revenue Account" in notes(result) and "charitable" not in notes(result)


def test_council_tenant_home_safety_grant_stays_a_grant() -> None:
    award = decision_for(tenure="council_tenant", years_owned=None, applied_for="HSG", works_cost=300).award
    assert (award.route, award.hsg, award.fees) == ("grant", 300_00, 37_50)


def test_grant_route_for_everyone_else() -> None:
    for tenure in ("owner", "private_tenant", "housing_association_tenant"):
        assert decision_for(tenure=tenure).award.route == "grant"


# --- fees on no more than each type's maximum (7.2, 7.4) -----------------------------------------


@pytest.mark.parametrize(
    ("changes", "part", "amount", "fee"),
    [
        ({"works_cost": 60000}, "DFG", 30_000_00, 3_750_00),
        ({"applied_for": "HDG", "hospital_discharge": True, "works_cost": 25000}, "HDG", 10_000_00, 1_250_00),
        ({"applied_for": "HSG", "works_cost": 900}, "HSG", 500_00, 62_50),
        ({"applied_for": "WaSH", "passported_benefit": True, "category1_hazards": 1, "works_cost": 14000},
         "WaSH", 10_000_00, 1_250_00),
    ],
)
def test_each_type_is_capped_and_its_fee_is_on_the_capped_part(
    changes: dict[str, Any], part: str, amount: int, fee: int
) -> None:
    award = decision_for(**changes).award
    assert getattr(award, part.lower()) == amount
    assert award.fee_parts[part] == fee


def test_ddfa_fee_is_on_its_grant_and_loan() -> None:
    award = decision_for(works_cost=60000).award
    assert (award.ddfa_grant, award.ddfa_loan, award.fee_parts["DDFA"]) == (10_000_00, 10_000_00, 2_500_00)
    assert award.shortfall == 10_000_00


def test_hsg_is_capped_at_the_allowance_left() -> None:
    earlier = [{"type": "HSG", "certified_date": "2025-01-10", "amount": 350}]
    award = decision_for(applied_for="HSG", works_cost=400, previous_awards=earlier).award
    assert (award.hsg, award.shortfall, award.fees) == (150_00, 250_00, 18_75)


def test_a_type_not_available_funds_nothing() -> None:
    result = decision_for(applied_for="HDG", hospital_discharge=False, works_cost=5000)
    assert result.award.hdg == 0 and result.award.shortfall == 5_000_00


# --- boundaries recorded in the notes -----------------------------------------------------------


@pytest.mark.parametrize(("certified", "left"), [("2023-10-01", 500_00), ("2023-10-02", 300_00)])
def test_hsg_three_year_anniversary(certified: str, left: int) -> None:
    earlier = [{"type": "HSG", "certified_date": certified, "amount": 200}]
    assert decision_for(previous_awards=earlier).types["HSG"].allowance_left == left


@pytest.mark.parametrize(("certified", "allowed"), [("2023-10-01", True), ("2023-10-02", False)])
def test_repeat_wash_three_year_anniversary(certified: str, allowed: bool) -> None:
    earlier = [{"type": "WaSH", "certified_date": certified, "amount": 4000}]
    result = decision_for(applied_for="WaSH", passported_benefit=True, category1_hazards=1, previous_awards=earlier)
    assert result.types["WaSH"].eligible is allowed


@pytest.mark.parametrize(("years", "allowed"), [(3.0, True), (2.99, False)])
def test_wash_exactly_three_years_owned(years: float, allowed: bool) -> None:
    result = decision_for(applied_for="WaSH", passported_benefit=True, category1_hazards=1, years_owned=years)
    assert result.types["WaSH"].eligible is allowed


@pytest.mark.parametrize(
    ("works", "dfg", "grant", "loan"),
    [("30000", 30_000_00, 0, 0), ("30000.01", 30_000_00, 1, 0), ("40000", 30_000_00, 10_000_00, 0),
     ("40000.01", 30_000_00, 10_000_00, 1)],
)
def test_ddfa_band_edges(works: str, dfg: int, grant: int, loan: int) -> None:
    result = decision_for(works_cost=works)
    award = result.award
    assert (award.dfg, award.ddfa_grant, award.ddfa_loan) == (dfg, grant, loan)
    assert result.types["DDFA"].eligible is bool(grant)


@pytest.mark.parametrize(("contribution", "grant"), [(8000, 0), ("7999.99", 1)])
def test_contribution_equal_to_the_works(contribution: Any, grant: int) -> None:
    award = decision_for(works_cost=8000, means_test_contribution=contribution).award
    assert award.dfg == grant
    assert award.customer_contribution + award.dfg == 8_000_00 and award.shortfall == 0


def test_wash_contribution_equal_to_the_works_leaves_no_grant() -> None:
    result = decision_for(applied_for="WaSH", health_risk=True, category1_hazards=1, works_cost=3000,
                          means_test_contribution=3000)
    assert not result.types["WaSH"].eligible
    assert (result.award.wash, result.award.customer_contribution) == (0, 3_000_00)


@pytest.mark.parametrize(("certified", "counted"), [("2016-10-01", 0), ("2016-10-02", 1_000_00)])
def test_successive_application_window_starts_ten_years_back(certified: str, counted: int) -> None:
    earlier = [{"type": "DFG", "certified_date": certified, "amount": 9000, "contribution": 1000}]
    result = decision_for(means_test_contribution=3000, previous_awards=earlier)
    assert result.types["DFG"].contribution == 3_000_00 - counted


def test_tenant_successive_window_is_five_years() -> None:
    earlier = [{"type": "DFG", "certified_date": "2021-10-02", "amount": 9000, "contribution": 1000}]
    tenant = decision_for(tenure="private_tenant", years_owned=None, means_test_contribution=3000,
                          previous_awards=earlier)
    assert tenant.types["DFG"].contribution == 2_000_00
    older = [{**earlier[0], "certified_date": "2021-10-01"}]
    assert decision_for(tenure="private_tenant", years_owned=None, means_test_contribution=3000,
                        previous_awards=older).types["DFG"].contribution == 3_000_00


@pytest.mark.parametrize(("age", "eligible"), [(55, True), (54, False)])
def test_home_safety_check_at_55_or_over(age: int, eligible: bool) -> None:
    """4.4.1 '55 or over' governs D2's 'Over 55'."""
    result = decision_for(applicant_age=age, disabled_person_age=None, household_ages=[])
    assert result.types["HSG"].eligible is eligible


@pytest.mark.parametrize(("age", "contribution"), [(19, 0), (20, 2_000_00)])
def test_ddfa_follows_the_dfg_child_exemption_at_its_edge(age: int, contribution: int) -> None:
    award = decision_for(disabled_person_age=age, applicant_age=45, works_cost=36000,
                         means_test_contribution=2000).award
    assert award.customer_contribution == contribution


def test_hdg_carries_the_dfg_charge_for_owners() -> None:
    """4.3.3 (DFG's repayment conditions apply to HDG) governs D2's 'Not repayable'."""
    owner = decision_for(applied_for="HDG", hospital_discharge=True, works_cost=9000).award
    assert owner.repayable_charge == 4_000_00
    tenant = decision_for(applied_for="HDG", hospital_discharge=True, works_cost=9000,
                          tenure="private_tenant", years_owned=None).award
    assert tenant.repayable_charge == 0


def test_wash_and_hsg_are_not_repayable() -> None:
    assert decision_for(applied_for="WaSH", passported_benefit=True, category1_hazards=1,
                        works_cost=9000).award.repayable_charge == 0
    assert decision_for(applied_for="HSG", works_cost=500).award.repayable_charge == 0


def test_every_boundary_choice_is_recorded_in_a_note() -> None:
    policy = policy_for("WDC", date(2026, 10, 1))
    for key, words in [("hsg.window_years", "anniversary"), ("wash.no_repeat_years", "anniversary"),
                       ("wash.min_years_owned", "exactly 3.0"), ("ddfa.grant_band_from", "exactly"),
                       ("dfg.max_grant", "EQUAL"), ("dfg.contribution_carry_years_owner", "Where the window starts"),
                       ("hsg.min_age", "55 or over"), ("ddfa.means_test_child_cases", "body text governs"),
                       ("hdg.repayable_like_dfg", "body text governs")]:
        assert words in (policy.rule(key).note or ""), key


# --- the missing rules ---------------------------------------------------------------------------


def test_a_works_item_without_a_statutory_purpose_is_flagged() -> None:
    items = [{"description": "Level access shower", "amount": 6000, "purpose": "f"},
             {"description": "Garden shed", "amount": 1000}]
    result = decision_for(works_cost=None, works_items=items)
    assert "Garden shed serves none of the statutory purposes" in reasons(result, "DFG")
    tagged = decision_for(works_cost=None, works_items=items[:1])
    assert "s.23(1)(f)" in reasons(tagged, "DFG")


def test_ancillary_fees_are_funded_like_the_works() -> None:
    items = [{"description": "Stairlift", "amount": 4000, "purpose": "a"},
             {"description": "Building regulations fee", "amount": 400, "kind": "ancillary"}]
    result = decision_for(works_cost=None, works_items=items)
    award = result.award
    assert (award.works_cost, award.ancillary_cost, award.dfg, award.fees) == (4_400_00, 400_00, 4_400_00, 550_00)
    assert "ancillary" not in reasons(result, "DFG")  # not flagged for want of a purpose
    assert "7.1" in notes(result)


def test_works_started_before_approval_are_refused_unless_consent_is_recorded() -> None:
    early = {"approval_date": "2026-10-20", "works_started": "2026-10-10"}
    refused = decision_for(**early)
    assert not refused.types["DFG"].eligible and "4.1.7" in reasons(refused, "DFG")
    assert refused.award.dfg == 0
    consented = decision_for(**early, early_start_reason="Emergency: no heating, consent by HEART manager")
    assert consented.types["DFG"].eligible and consented.award.dfg == 10_000_00
    assert "written consent recorded" in reasons(consented, "DFG")


def test_unforeseen_works_are_a_variation_rechecked_against_the_maxima() -> None:
    approved = decision_for(works_cost=29000, unforeseen_works_cost=2000, unforeseen_approved_on="2026-11-01")
    assert (approved.award.works_cost, approved.award.dfg, approved.award.ddfa_grant) == (
        31_000_00, 30_000_00, 1_000_00)
    assert "4.1.8" in reasons(approved, "DFG")
    unapproved = decision_for(works_cost=29000, unforeseen_works_cost=2000)
    assert (unapproved.award.dfg, unapproved.award.shortfall, unapproved.award.not_eligible) == (
        29_000_00, 2_000_00, 2_000_00)


def test_ddfa_charge_statement_has_the_equity_rule() -> None:
    assert "4.2.13" in notes(decision_for(works_cost=45000))
    assert "4.2.13" not in notes(decision_for(works_cost=25000))
    assert "4.2.13" not in notes(decision_for(works_cost=36000))  # the DDFA grant is not repayable


def test_the_statement_of_conditions_follows_what_funds_the_works() -> None:
    from heart_desktop.domain.conditions import conditions_for, offered_types

    hsg = decision_for(applied_for="HSG", works_cost=400)
    assert offered_types(hsg) == ("HSG",)
    assert not any("Repaying part of the grant" in c.title for c in conditions_for(hsg))
    hdg = decision_for(applied_for="HDG", hospital_discharge=True, works_cost=9000)
    assert offered_types(hdg) == ("HDG",)
    assert any("Repaying part of the grant" in c.title for c in conditions_for(hdg))
    loan = decision_for(works_cost=45000)
    assert offered_types(loan) == ("DFG", "DDFA")
    assert any("£10,000 of equity" in c.text for c in conditions_for(loan))
    assert offered_types(decision_for(tenure="council_tenant", years_owned=None)) == ()


@pytest.mark.parametrize(("works", "prompted"), [(30000, False), (31000, True)])
def test_tenant_over_30000_is_steered_to_housing_options(works: int, prompted: bool) -> None:
    result = decision_for(tenure="housing_association_tenant", years_owned=None, works_cost=works)
    assert ("housing options" in notes(result)) is prompted


def test_wash_reasonable_care() -> None:
    base = {"applied_for": "WaSH", "passported_benefit": True, "category1_hazards": 1}
    assert "4.5.4(5)" in reasons(decision_for(**base), "WaSH")
    neglect = decision_for(**base, reasonable_care=False)
    assert not neglect.types["WaSH"].eligible and neglect.award.wash == 0


def test_ot_answer_gates_dfg_and_ddfa() -> None:
    result = decision_for(works_cost=45000, ot_recommended=False)
    assert not result.types["DFG"].eligible and not result.types["DDFA"].eligible
    assert result.award.grants == 0
    assert "recommended the works" in reasons(decision_for(ot_recommended=True), "DFG")


# --- bad input, field named ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"certified_date": "2026-09-30"}, "certified_date"),
        ({"approval_date": "2026-10-10", "certified_date": "2026-10-05"}, "certified_date"),
        ({"applicant_age": 30, "disabled_person_age": 30, "years_owned": 80}, "years_owned"),
        ({"application_date": "2026-12-02"}, "application_date"),
        ({"works_cost": -1}, "works_cost"),
        ({"means_test_contribution": -100}, "means_test_contribution"),
        ({"unforeseen_works_cost": -5}, "unforeseen_works_cost"),
        ({"previous_awards": [{"type": "HSG", "certified_date": "2025-01-01", "amount": -5}]},
         "previous_awards[0].amount"),
        ({"works_items": [{"description": "Rail", "amount": -1}]}, "works_items[0].amount"),
        ({"works_items": [{"description": "Rail", "amount": 1, "kind": "bribe"}]}, "works_items[0].kind"),
        ({"works_cost": 5, "works_items": [{"description": "Rail", "amount": 1}]}, "works_cost"),
        ({"applied_for": "Lottery"}, "applied_for"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(CaseInputError) as caught:
        read_case_summary(case(**changes), COUNCILS, today=TODAY)
    assert caught.value.field == field


def test_application_on_today_is_accepted() -> None:
    assert read_case_summary(case(application_date="2026-12-01"), COUNCILS, today=TODAY)


def test_application_before_the_policy_took_effect_names_the_date() -> None:
    summary = read_case_summary(case(application_date="2017-06-29"), COUNCILS, today=TODAY)
    with pytest.raises(CaseInputError) as caught:
        decide(summary)
    assert caught.value.field == "application_date" and "30/06/2017" in caught.value.problem


# --- the property: parts never negative, always add up -------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    applied_for=st.sampled_from(["DFG", "HDG", "HSG", "WaSH"]),
    works=st.integers(min_value=0, max_value=7_000_000),
    contribution=st.integers(min_value=0, max_value=4_000_000),
    unforeseen=st.integers(min_value=0, max_value=500_000),
    unforeseen_approved=st.booleans(),
    passported=st.booleans(),
    health_risk=st.booleans(),
    discharge=st.booleans(),
    disabled_age=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    tenure=st.sampled_from(["owner", "private_tenant", "council_tenant", "housing_association_tenant"]),
    hsg_used=st.integers(min_value=0, max_value=80_000),
)
def test_award_parts_never_negative_and_add_up_to_works_plus_fees(
    applied_for: str, works: int, contribution: int, unforeseen: int, unforeseen_approved: bool,
    passported: bool, health_risk: bool, discharge: bool, disabled_age: int | None, tenure: str, hsg_used: int,
) -> None:
    result = decision_for(
        applied_for=applied_for, works_cost=works / 100, means_test_contribution=contribution / 100,
        unforeseen_works_cost=unforeseen / 100,
        unforeseen_approved_on="2026-11-01" if unforeseen_approved else None,
        passported_benefit=passported, health_risk=health_risk, hospital_discharge=discharge,
        disabled_person_age=disabled_age, tenure=tenure, category1_hazards=1,
        years_owned=12 if tenure == "owner" else None,
        previous_awards=[{"type": "HSG", "certified_date": "2025-05-01", "amount": hsg_used / 100}],
    )
    a = result.award
    parts = [a.customer_contribution, a.dfg, a.ddfa_grant, a.ddfa_loan, a.hdg, a.hsg, a.wash,
             a.council_funded, a.shortfall, *a.fee_parts.values()]
    assert all(p >= 0 for p in parts)
    assert sum(parts) == a.works_cost + a.fees == works + unforeseen + a.fees
    assert a.fees == sum(a.fee_parts.values())
    assert a.customer_contribution <= contribution
    lines = {line.key: line.amount for line in award_lines(a)}
    assert lines["works_cost"] == a.works_cost
    assert lines.get("total_award", 0) == a.total_award
