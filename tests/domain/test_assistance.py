"""Eligibility and the award split, checked against the policy's own examples and rules."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heart_desktop.domain.assistance import decide, fee_for
from heart_desktop.domain.case_summary import CaseInputError, read_case_summary
from heart_desktop.domain.policy import policy_for

COUNCILS = ("NWBC", "NBBC", "RBC", "SDC", "WDC")


def case(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "council": "WDC",
        "application_date": "2026-10-01",
        "tenure": "owner",
        "applicant_age": 70,
        "disabled_person_age": 70,
        "household_ages": [68],
        "passported_benefit": False,
        "means_test_contribution": 0,
        "works_cost": 10000,
        "hospital_discharge": False,
        "years_owned": 12,
        "previous_awards": [],
        "health_risk": False,
        "category1_hazards": 0,
    }
    base.update(changes)
    return base


def decision_for(**changes: Any):
    return decide(read_case_summary(case(**changes), COUNCILS))


def reasons(decision, kind: str) -> str:
    return " | ".join(str(r) for r in decision.types[kind].reasons)


# --- the policy's worked examples (7.4) ----------------------------------------------------------


def test_example_74_dfg_fee_and_total_award() -> None:
    award = decision_for(works_cost=10000).award
    assert award.dfg == 10_000_00
    assert award.fees == 1_250_00
    assert award.total_award == 11_250_00


def test_example_74_home_safety_fee() -> None:
    policy = policy_for("WDC", date(2026, 10, 1))
    assert fee_for(500_00, policy) == 62_50
    award = decision_for(applied_for="HSG", works_cost=500).award
    assert (award.hsg, award.fees, award.total_award) == (500_00, 62_50, 562_50)


def test_example_74_ten_year_charge_excludes_fees() -> None:
    award = decision_for(works_cost=10000, certified_date="2027-02-01",
                         approval_date="2026-11-01").award
    assert award.repayable_charge == 5_000_00
    assert award.charge_expires == date(2037, 2, 1)


def test_charge_is_capped_at_ten_thousand_and_only_for_owners() -> None:
    assert decision_for(works_cost=30000).award.repayable_charge == 10_000_00
    assert decision_for(works_cost=4000).award.repayable_charge == 0
    assert decision_for(works_cost=20000, tenure="private_tenant").award.repayable_charge == 0


# --- DFG ---------------------------------------------------------------------------------------


def test_dfg_capped_at_maximum_with_fees_on_top() -> None:
    award = decision_for(works_cost=35000, means_test_contribution=0).award
    assert award.dfg == 30_000_00
    assert award.fees == 3_750_00 + 625_00  # DFG part plus DDFA grant part (5,000)


def test_contribution_reduces_the_grant_and_is_paid_first() -> None:
    award = decision_for(works_cost=10000, means_test_contribution=2500).award
    assert (award.customer_contribution, award.dfg) == (2_500_00, 7_500_00)
    assert award.fees == 937_50  # no fee on the customer's own share


def test_contribution_covering_the_cost_means_no_grant_and_the_customer_meets_it() -> None:
    result = decision_for(works_cost=8000, means_test_contribution=9000)
    assert not result.types["DFG"].eligible
    assert "meets the whole cost of works" in reasons(result, "DFG")
    award = result.award
    assert (award.dfg, award.customer_contribution, award.shortfall, award.fees) == (0, 8_000_00, 0, 0)
    assert not any("charitable" in str(n) for n in result.notes)


def test_passported_benefit_means_no_contribution() -> None:
    result = decision_for(works_cost=10000, means_test_contribution=4000, passported_benefit=True)
    assert result.award.dfg == 10_000_00 and result.award.customer_contribution == 0
    assert not result.types["DFG"].means_tested
    assert "4.1.11" in reasons(result, "DFG")


@pytest.mark.parametrize(("age", "tested"), [(5, False), (19, False), (20, True)])
def test_child_or_young_person_up_to_19_is_not_means_tested_for_dfg(age: int, tested: bool) -> None:
    result = decision_for(disabled_person_age=age, applicant_age=45, means_test_contribution=3000)
    assert result.types["DFG"].means_tested is tested


def test_child_case_is_not_means_tested_for_ddfa_either() -> None:
    """Body text 4.2.1 and 4.2.9 govern appendix D1/D2 ('means tested INCLUDING child cases')."""
    result = decision_for(disabled_person_age=8, applicant_age=40, works_cost=36000,
                          means_test_contribution=2000)
    award = result.award
    assert (award.dfg, award.ddfa_grant, award.customer_contribution) == (30_000_00, 6_000_00, 0)
    assert not result.types["DDFA"].means_tested
    assert "4.2.1, 4.2.9" in reasons(result, "DDFA")


def test_ddfa_for_an_adult_is_means_tested_on_the_part_above_the_dfg() -> None:
    award = decision_for(works_cost=36000, means_test_contribution=2000).award
    assert (award.customer_contribution, award.dfg, award.ddfa_grant) == (2_000_00, 30_000_00, 4_000_00)


def test_applicant_under_18_cannot_apply() -> None:
    result = decision_for(applicant_age=17, disabled_person_age=17)
    assert not result.types["DFG"].eligible
    assert "must be 18 or over" in reasons(result, "DFG")


def test_no_disabled_person_no_dfg() -> None:
    result = decision_for(disabled_person_age=None)
    assert not result.types["DFG"].eligible and "Nobody in the household is disabled" in reasons(result, "DFG")
    assert result.award.dfg == 0


def test_council_tenant_is_referred_to_the_councils_own_works() -> None:
    result = decision_for(tenure="council_tenant")
    assert not result.types["DFG"].eligible
    assert "4.1.12" in reasons(result, "DFG")
    assert result.types["HSG"].eligible  # the safety grant is open to council tenants (4.4.1)


def test_ot_not_recommending_stops_the_grant() -> None:
    assert not decision_for(ot_recommended=False).types["DFG"].eligible
    assert "4.1.6" in reasons(decision_for(), "DFG")


def test_earlier_contribution_within_ten_years_counts() -> None:
    earlier = [{"type": "DFG", "certified_date": "2020-01-01", "amount": 8000, "contribution": 1500}]
    result = decision_for(means_test_contribution=2000, previous_awards=earlier)
    assert result.types["DFG"].contribution == 500_00
    too_old = [{"type": "DFG", "certified_date": "2015-01-01", "amount": 8000, "contribution": 1500}]
    assert decision_for(means_test_contribution=2000, previous_awards=too_old).types["DFG"].contribution == 2_000_00


# --- DDFA --------------------------------------------------------------------------------------


def test_ddfa_grant_and_loan_bands() -> None:
    award = decision_for(works_cost=45000).award
    assert (award.dfg, award.ddfa_grant, award.ddfa_loan, award.shortfall) == (
        30_000_00, 10_000_00, 5_000_00, 0)
    assert award.ddfa_loan_charge == 5_000_00


def test_above_fifty_thousand_leaves_a_shortfall() -> None:
    result = decision_for(works_cost=56000)
    assert result.award.shortfall == 6_000_00
    assert any("shortfall" in str(n) for n in result.notes)


def test_ddfa_not_needed_within_dfg_maximum() -> None:
    result = decision_for(works_cost=29000)
    assert not result.types["DDFA"].eligible
    assert "within the DFG maximum" in reasons(result, "DDFA")


def test_ddfa_for_tenants_says_it_depends_on_the_landlord() -> None:
    result = decision_for(works_cost=38000, tenure="private_tenant")
    assert result.types["DDFA"].eligible
    assert "landlord accepting a charge" in reasons(result, "DDFA")


# --- HDG ---------------------------------------------------------------------------------------


def test_hospital_discharge_grant() -> None:
    result = decision_for(hospital_discharge=True, means_test_contribution=5000)
    hdg = result.types["HDG"]
    assert hdg.eligible and not hdg.means_tested and hdg.max_award == 10_000_00
    assert not decision_for(hospital_discharge=False).types["HDG"].eligible
    assert not decision_for(hospital_discharge=True, tenure="council_tenant").types["HDG"].eligible


# --- HSG ---------------------------------------------------------------------------------------


def test_safety_grant_needs_55_plus_or_a_disabled_person() -> None:
    young = decision_for(applicant_age=40, disabled_person_age=None, household_ages=[38, 10])
    assert not young.types["HSG"].eligible and "55" in reasons(young, "HSG")
    older = decision_for(applicant_age=56, disabled_person_age=None, household_ages=[])
    assert older.types["HSG"].eligible and older.types["HSG"].allowance_left == 500_00
    disabled = decision_for(applicant_age=30, disabled_person_age=30, household_ages=[])
    assert disabled.types["HSG"].eligible


def test_safety_grant_allowance_over_three_years() -> None:
    previous = [
        {"type": "HSG", "certified_date": "2024-03-01", "amount": 200},
        {"type": "HSG", "certified_date": "2025-06-01", "amount": 150},
        {"type": "HSG", "certified_date": "2023-09-30", "amount": 400},  # over 3 years before
    ]
    result = decision_for(previous_awards=previous)
    assert result.types["HSG"].allowance_left == 150_00
    assert "01/03/2027" in reasons(result, "HSG")
    spent = decision_for(previous_awards=[{"type": "HSG", "certified_date": "2025-06-01", "amount": 500}])
    assert not spent.types["HSG"].eligible and spent.types["HSG"].allowance_left == 0


# --- WaSH --------------------------------------------------------------------------------------


def test_wash_for_owner_on_benefit_with_a_category_1_hazard() -> None:
    result = decision_for(passported_benefit=True, category1_hazards=1, years_owned=4)
    assert result.types["WaSH"].eligible and not result.types["WaSH"].means_tested


def test_wash_with_health_risk_is_means_tested() -> None:
    result = decision_for(health_risk=True, category1_hazards=2, means_test_contribution=700)
    wash = result.types["WaSH"]
    assert wash.eligible and wash.means_tested and wash.contribution == 700_00


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"tenure": "private_tenant"}, "referred for enforcement"),
        ({"years_owned": 2}, "at least 3 years"),
        ({"years_owned": None}, "How long the home has been owned"),
        ({"category1_hazards": 0}, "No category 1 hazard"),
        ({"passported_benefit": False, "health_risk": False}, "qualifying means-tested benefit"),
        ({"previous_awards": [{"type": "WaSH", "certified_date": "2024-05-01", "amount": 3000}]},
         "no further award until 01/05/2027"),
    ],
)
def test_wash_refusals(changes: dict[str, Any], fragment: str) -> None:
    base = {"passported_benefit": True, "category1_hazards": 1, **changes}
    result = decision_for(**base)
    assert not result.types["WaSH"].eligible
    assert fragment in reasons(result, "WaSH")


# --- deadlines and input ----------------------------------------------------------------------


def test_statutory_clocks() -> None:
    result = decision_for(application_date="2026-08-31", approval_date="2026-09-15")
    assert result.deadlines.determine_by == date(2027, 2, 28)
    assert result.deadlines.complete_by == date(2027, 9, 15)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"council": "BIRM"}, "council"),
        ({"tenure": "squatter"}, "tenure"),
        ({"applicant_age": "old"}, "applicant_age"),
        ({"applicant_age": -1}, "applicant_age"),
        ({"works_cost": -5}, "works_cost"),
        ({"means_test_contribution": "lots"}, "means_test_contribution"),
        ({"application_date": "yesterday"}, "application_date"),
        ({"passported_benefit": "yes"}, "passported_benefit"),
        ({"previous_awards": [{"type": "XYZ", "certified_date": "2020-01-01", "amount": 1}]},
         "previous_awards[0].type"),
        ({"approval_date": "2026-01-01"}, "approval_date"),
        ({"category1_hazards": -1}, "category1_hazards"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(CaseInputError) as caught:
        read_case_summary(case(**changes), COUNCILS)
    assert caught.value.field == field


# --- properties of the split ------------------------------------------------------------------

money = st.integers(min_value=0, max_value=80_000)


@settings(max_examples=300, deadline=None)
@given(
    works=money,
    contribution=money,
    passported=st.booleans(),
    disabled_age=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    tenure=st.sampled_from(["owner", "private_tenant", "council_tenant", "housing_association_tenant"]),
)
def test_split_parts_never_negative_and_always_add_up(
    works: int, contribution: int, passported: bool, disabled_age: int | None, tenure: str
) -> None:
    result = decision_for(works_cost=works, means_test_contribution=contribution,
                          passported_benefit=passported, disabled_person_age=disabled_age, tenure=tenure)
    award = result.award
    parts = (award.dfg, award.ddfa_grant, award.ddfa_loan, award.customer_contribution,
             award.shortfall, award.fees, award.repayable_charge)
    assert all(p >= 0 for p in parts)
    assert (award.dfg + award.ddfa_grant + award.ddfa_loan + award.customer_contribution
            + award.shortfall + award.council_funded) == award.works_cost
    assert award.dfg <= 30_000_00 and award.ddfa_grant <= 10_000_00 and award.ddfa_loan <= 10_000_00
    assert award.repayable_charge <= min(award.dfg, 10_000_00)
    assert award.customer_contribution <= contribution * 100


@settings(max_examples=200, deadline=None)
@given(works=money, contribution=st.integers(min_value=0, max_value=20_000))
def test_a_bigger_contribution_never_increases_the_grant(works: int, contribution: int) -> None:
    smaller = decision_for(works_cost=works, means_test_contribution=contribution).award
    larger = decision_for(works_cost=works, means_test_contribution=contribution + 500).award
    assert larger.dfg + larger.ddfa_grant + larger.ddfa_loan <= smaller.dfg + smaller.ddfa_grant + smaller.ddfa_loan
