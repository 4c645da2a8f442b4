"""The DFG test of resources, stage by stage, against examples worked by hand (the arithmetic is
written beside each), with the figures of resources/means_test as shipped. When a figure there is
corrected (the regulation 12 amounts above all), the worked example beside it is corrected too.

Rates used below (all £ a week unless said): single 25+ 60.50, single under 25 47.95, couple 94.95,
lone parent 18+ 60.50, pension age single 143.80, child 52.59, family premium 16.75 (lone parent
22.20), disability premium 25.85 single / 36.85 couple, severe disability premium 50.35, housing
allowance 61.30; earnings disregards 5 single / 10 couple / 25 lone parent / 20 disability; tariff
£1 a week per £250 or part above £6,000 (per £500 at pension age); regulation 12 (provisional)
53.35 owner, 35.37 tenant.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heart_desktop.domain.case_summary import CaseInputError, read_case_summary
from heart_desktop.domain.means_rates import rate_book
from heart_desktop.domain.means_test import MeansTestResult, means_test, read_means_input
from heart_desktop.domain.money import pence
from heart_desktop.domain.periods import to_weekly

TODAY = date(2026, 12, 1)


def run(people: list[dict[str, Any]], tenure: str = "owner", **extra: Any) -> MeansTestResult:
    data = {"application_date": "2026-10-05", "tenure": tenure, "people": people, **extra}
    return means_test(read_means_input(data, today=TODAY))


def figures(result: MeansTestResult) -> tuple[int | None, ...]:
    return (result.applicable_amount, result.assessed_income, result.excess_income, result.affordable_loan,
            result.contribution)


def disabled(age: int = 45, **kw: Any) -> dict[str, Any]:
    return {"age": age, "relation": "disabled_person", **kw}


# --- short-cuts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("benefit, heart_list", [("income_support", True), ("housing_benefit", False),
                                                 ("universal_credit", True), ("pension_credit_guarantee", True)])
def test_a_passporting_benefit_means_no_contribution(benefit: str, heart_list: bool) -> None:
    # Income Support is on both lists; Housing Benefit only on the regulations' (reg 10(3)); Universal
    # Credit only on HEART's (policy 4.5.4). Any of them: no test, no contribution (policy 4.1.11).
    result = run([disabled(weekly_income=900, benefits=[benefit])], capital=50_000)
    assert result.passported and result.contribution == 0 and not result.provisional
    assert result.heart_passport is heart_list
    assert result.stage("applicable_amount").figure is None
    assert "Not needed: passported" in result.stage("applicable_amount").lines[0]


def test_a_partners_guarantee_credit_passports_the_couple() -> None:
    result = run([disabled(70, weekly_income=400), {"age": 68, "relation": "partner",
                                                    "benefits": ["pension_credit_guarantee"]}])
    assert result.passported and result.contribution == 0


def test_works_for_a_disabled_child_have_nobody_to_test() -> None:
    # reg 5: a child or young person is never a relevant person; policy 4.1.11 exempts 19 or younger
    parents = [{"age": 41, "relation": "other", "weekly_earnings": 900}, {"age": 40, "relation": "other"}]
    for age in (6, 16, 19):
        result = run([disabled(age), *parents], capital=80_000)
        assert result.exempt and result.contribution == 0 and not result.provisional, age
    assert not run([disabled(20, weekly_earnings=900)]).exempt  # 20 is tested


# --- below and above the applicable amount ------------------------------------------------------------


def test_income_below_the_applicable_amount_gives_no_contribution() -> None:
    # single, 30, no children: 60.50 + housing 61.30 = 121.80 a week; income 50.00 < 121.80: no excess
    result = run([disabled(30, weekly_income=50)])
    assert figures(result) == (12180, 5000, 0, 0, 0)
    assert "no excess" in " ".join(result.stage("excess_income").lines)


def test_above_the_applicable_amount_as_owner_and_as_tenant() -> None:
    # single, 45, earns 300.00 net: applicable 60.50 + 61.30 = 121.80; income 300.00 - 5.00 disregard
    # = 295.00; excess 295.00 - 121.80 = 173.20 a week
    # owner: 173.20 × 53.35 = 9,240.22 (regulation 12, over 10 years)
    owner = run([disabled(45, weekly_earnings=300)])
    assert figures(owner) == (12180, 29500, 17320, 924022, 924022)
    # tenant: 173.20 × 35.37 = 6,126.084 -> 6,126.08 (over 5 years)
    tenant = run([disabled(45, weekly_earnings=300)], tenure="private_tenant")
    assert figures(tenant) == (12180, 29500, 17320, 612608, 612608)
    assert owner.provisional and tenant.provisional  # the regulation 12 amounts are not confirmed
    assert any("reg12.owner" in r and "not confirmed" in r for r in owner.reasons)
    assert owner.tenure_kind == "owner" and tenant.tenure_kind == "tenant"


def test_a_single_person_under_25_has_the_lower_allowance() -> None:
    # 47.95 + 61.30 = 109.25; 200.00 - 5.00 = 195.00; excess 85.75; × 53.35 = 4,574.7625 -> 4,574.76
    assert figures(run([disabled(22, weekly_earnings=200)])) == (10925, 19500, 8575, 457476, 457476)


# --- capital ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("capital, tariff", [
    ("5999.99", 0),      # under the £6,000 threshold: no tariff income
    ("6000", 0),         # at it: nothing above
    ("6000.01", 100),    # 1p above: one part of £250 -> £1
    ("7400", 600),       # 1,400 above: 5.6 parts of £250 -> 6 -> £6
    ("12000", 2400),     # 6,000 above: 24 parts -> £24
])
def test_tariff_income_from_capital_over_the_threshold(capital: str, tariff: int) -> None:
    # single, 45, other income 100.00: income = 100.00 + tariff
    result = run([disabled(45, weekly_income=100)], capital=capital)
    assert result.assessed_income == 10000 + tariff
    words = " ".join(result.stage("assessed_income").lines)
    assert ("no tariff income" in words) is (tariff == 0)


def test_pension_age_tariff_and_allowance() -> None:
    # single, 70: pension-age allowance 143.80 + 61.30 = 205.10; pension 250.00; capital 10,000: 4,000
    # above in parts of £500 = 8 -> £8; income 258.00; excess 52.90; × 53.35 = 2,822.215 -> 2,822.22
    result = run([disabled(70, weekly_income=250)], capital=10_000)
    assert figures(result) == (20510, 25800, 5290, 282222, 282222)


# --- households -----------------------------------------------------------------------------------------


def test_couple_with_a_dependent_child() -> None:
    # couple 94.95 + child 52.59 + family premium 16.75 + housing 61.30 = 225.59
    # earnings 250.00 + 100.00 - couple disregard 10.00 = 340.00; excess 340.00 - 225.59 = 114.41
    # owner: 114.41 × 53.35 = 6,103.7735 -> 6,103.77
    people = [disabled(40, weekly_earnings=250), {"age": 38, "relation": "partner", "weekly_earnings": 100},
              {"age": 7, "relation": "child"}]
    result = run(people)
    assert figures(result) == (22559, 34000, 11441, 610377, 610377)
    # with the disabled person on PIP: + disability premium (couple) 36.85 -> 262.44, and the £20
    # disregard in place of £10 -> income 330.00; excess 67.56; × 53.35 = 3,604.326 -> 3,604.33
    people[0]["benefits"] = ["pip_daily_living_standard"]
    assert figures(run(people)) == (26244, 33000, 6756, 360433, 360433)


def test_severe_disability_premium_for_someone_living_alone() -> None:
    # single, 50, DLA care middle: 60.50 + disability 25.85 + severe 50.35 + housing 61.30 = 198.00;
    # other income 300.00; excess 102.00; × 53.35 = 5,441.70
    alone = [disabled(50, weekly_income=300, benefits=["dla_care_middle"])]
    assert figures(run(alone)) == (19800, 30000, 10200, 544170, 544170)
    # another adult in the home (a non-dependant): no severe disability premium -> 147.65
    assert run([*alone, {"age": 30, "relation": "other"}]).applicable_amount == 14765
    # someone paid Carer's Allowance for their care: none either
    cared_for = disabled(50, weekly_income=300, benefits=["dla_care_middle"], paid_carer=True)
    assert run([cared_for]).applicable_amount == 14765


def test_lone_parent_childcare_is_taken_from_earnings() -> None:
    # lone parent 60.50 + child 52.59 + family (lone parent) 22.20 + housing 61.30 = 196.59
    # earnings 300.00 - 25.00 disregard - childcare 80.00 = 195.00 < 196.59: no excess
    people = [disabled(35, weekly_earnings=300), {"age": 4, "relation": "child"}]
    result = run(people, childcare_costs=80)
    assert figures(result) == (19659, 19500, 0, 0, 0)
    assert "Less childcare charges: £80.00" in " ".join(result.stage("assessed_income").lines)
    # a child of 15 is too old for childcare charges: 300.00 - 25.00 = 275.00
    assert run([disabled(35, weekly_earnings=300), {"age": 15, "relation": "child"}],
               childcare_costs=80).assessed_income == 27500


def test_tax_credits_and_disability_benefits_are_not_counted() -> None:
    result = run([disabled(45, weekly_income=100, benefits=["working_tax_credit", "pip_mobility_standard"])])
    words = " ".join(result.stage("assessed_income").lines)
    assert "Not counted: Working Tax Credit" in words and "PIP mobility" in words
    assert result.assessed_income == 10000


# --- successive applications and the calculator's figure --------------------------------------------------


def test_an_earlier_contribution_within_the_window_is_offset() -> None:
    single = [disabled(45, weekly_earnings=300)]  # owner loan 9,240.22, tenant 6,126.08 (above)
    # owner, earlier grant certified 10/01/2020, within 10 years of 05/10/2026: 9,240.22 - 2,000.00
    owner = run(single, previous_contribution=2000, previous_certified_date="2020-01-10")
    assert (owner.affordable_loan, owner.earlier_contribution, owner.contribution) == (924022, 200000, 724022)
    # tenant: 10/01/2020 is not within 5 years: no offset
    tenant = run(single, tenure="private_tenant", previous_contribution=2000, previous_certified_date="2020-01-10")
    assert (tenant.earlier_contribution, tenant.contribution) == (0, 612608)
    assert "not offset" in " ".join(tenant.stage("contribution").lines)
    # tenant, certified 01/03/2023 (within 5 years): 6,126.08 - 2,000.00 = 4,126.08
    recent = run(single, tenure="private_tenant", previous_contribution=2000, previous_certified_date="2023-03-01")
    assert recent.contribution == 412608
    # a larger earlier contribution leaves nothing, never less than nothing
    assert run(single, previous_contribution=20_000).contribution == 0


def test_a_council_calculator_figure_is_used_with_its_source() -> None:
    result = run([disabled(45, weekly_earnings=300)],
                 council_calculator={"contribution": 8123.45, "source": "Ferret Renovator, run 01/10/2026"})
    assert result.contribution == 812345 and result.tested_contribution == 924022
    assert not result.provisional and result.unconfirmed  # the app's own working stays marked
    assert "Ferret Renovator" in result.headline()


# --- reading the input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("change, field", [
    ({"people": [disabled(weekly_income=-5)]}, "people[0].weekly_income"),
    ({"people": [disabled(benefits=["lottery_win"])]}, "people[0].benefits[0]"),
    ({"people": [disabled(126)]}, "people[0].age"),
    ({"people": [disabled(), {"age": 40, "relation": "lodger"}]}, "people[1].relation"),
    ({"people": [{"age": 40, "relation": "partner"}]}, "people"),
    ({"capital": "-1"}, "capital"),
    ({"tenure": "squatter"}, "tenure"),
    ({"application_date": "2027-01-01"}, "application_date"),
    ({"council_calculator": {"contribution": 100}}, "council_calculator.source"),
    ({"previous_certified_date": "2026-11-01"}, "previous_certified_date"),
])
def test_bad_input_names_the_field(change: dict[str, Any], field: str) -> None:
    data = {"application_date": "2026-10-05", "tenure": "owner", "people": [disabled()], **change}
    with pytest.raises(CaseInputError) as caught:
        means_test(read_means_input(data, today=TODAY))
    assert caught.value.field == field


def test_assess_uses_the_computed_contribution_in_place_of_the_officers_figure() -> None:
    case = {"council": "WDC", "application_date": "2026-10-05", "tenure": "owner", "applicant_age": 45,
            "disabled_person_age": 45, "works_cost": 15000, "people": [disabled(45, weekly_earnings=300)]}
    summary = read_case_summary(case, ("WDC",), today=TODAY)
    assert summary.means_test_contribution == 924022 and summary.means_test is not None
    with pytest.raises(CaseInputError) as caught:
        read_case_summary({**case, "means_test_contribution": 500}, ("WDC",), today=TODAY)
    assert caught.value.field == "means_test_contribution"


def test_weekly_conversion_shows_its_arithmetic() -> None:
    month = to_weekly(pence("1300"), "month")
    assert month.weekly == 30000 and month.explanation == "£1,300.00 a month = £300.00 a week (× 12 ÷ 52)"
    assert to_weekly(pence("5200"), "year").weekly == 10000
    assert to_weekly(pence("100"), "four_weeks").weekly == 2500
    assert to_weekly(pence("1000"), "month").weekly == 23077  # 1,000 × 12 ÷ 52 = 230.769... -> 230.77


def test_every_figure_says_where_it_comes_from_and_the_key_ones_are_marked() -> None:
    book = rate_book()
    for versions in book.figures.values():
        for figure in versions:
            assert figure.section and figure.source
    rates = book.on(date(2026, 10, 5))
    assert rates.figure("housing_allowance").confirmed and rates.money("housing_allowance") == 6130
    assert rates.figure("passport.statutory").confirmed
    assert "housing_benefit" in rates.benefits("passport.statutory")
    assert not rates.figure("reg12.owner").confirmed and not rates.figure("reg12.tenant").confirmed


# --- properties ------------------------------------------------------------------------------------------

BENEFITS = ["pip_daily_living_standard", "pip_daily_living_enhanced", "dla_care_middle", "carers_allowance",
            "working_tax_credit", "state_pension", "attendance_allowance"]
money = st.integers(min_value=0, max_value=150_000)  # pence a week: up to £1,500


@st.composite
def households(draw: st.DrawFn) -> dict[str, Any]:
    people = [disabled(draw(st.integers(20, 95)), weekly_income=draw(money) / 100,
                       weekly_earnings=draw(money) / 100, benefits=draw(st.lists(st.sampled_from(BENEFITS),
                                                                                 max_size=2, unique=True)))]
    if draw(st.booleans()):
        people.append({"age": draw(st.integers(18, 95)), "relation": "partner", "weekly_earnings": draw(money) / 100,
                       "benefits": draw(st.lists(st.sampled_from(BENEFITS), max_size=2, unique=True))})
    people += [{"age": draw(st.integers(0, 18)), "relation": "child"} for _ in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        people.append({"age": draw(st.integers(18, 90)), "relation": "other"})
    return {"people": people, "capital": draw(st.integers(0, 5_000_000)) / 100,
            "childcare_costs": draw(st.integers(0, 40_000)) / 100}


@settings(max_examples=150, deadline=None)
@given(households(), st.integers(0, 50_000), st.integers(0, 2_000_000), st.sampled_from(["income", "earnings"]))
def test_contribution_never_negative_and_never_falls_as_income_or_capital_rises(
        household: dict[str, Any], more_income: int, more_capital: int, which: str) -> None:
    base = run(**household)
    assert base.contribution >= 0 and base.excess_income is not None and base.excess_income >= 0
    richer = {**household, "people": [dict(p) for p in household["people"]]}
    field = "weekly_income" if which == "income" else "weekly_earnings"
    richer["people"][0][field] = richer["people"][0].get(field, 0) + more_income / 100
    assert run(**richer).contribution >= base.contribution
    assert run(**{**household, "capital": household["capital"] + more_capital / 100}).contribution >= base.contribution


@settings(max_examples=150, deadline=None)
@given(households(), st.sampled_from(["private_tenant", "housing_association_tenant", "council_tenant"]))
def test_a_tenant_never_contributes_more_than_an_owner_with_the_same_finances(household: dict[str, Any],
                                                                            tenure: str) -> None:
    assert run(**household, tenure=tenure).contribution <= run(**household).contribution
