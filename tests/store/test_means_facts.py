"""The financial assessment form feeds the test of resources, and the test's contribution feeds the
award in place of the officer's figure (real store, real forms)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.case_summary import CaseInputError
from heart_desktop.domain.means_rates import rate_book
from heart_desktop.domain.periods import PERIODS
from heart_desktop.domain.policy import policy_set
from heart_desktop.formkit import FormEngine, check_all_forms
from heart_desktop.paths import forms_dir
from heart_desktop.store import Store
from heart_desktop.store.case_facts import case_summary, starting_answers
from heart_desktop.store.means_facts import FINANCIAL_FORM, means_result, with_answers

TODAY = date(2026, 11, 20)
COUNCILS = tuple(policy_set().councils)
# single, 45 at application (born 1981), earns £1,300 a month = £300.00 a week (× 12 ÷ 52): as
# tests/domain/test_means_test.py works it, owner's contribution £9,240.22
EARNER: dict[str, Any] = {"has_partner": False, "other_adults": False, "paid_carer": False,
                          "disabled_earnings": {"amount": "1300.00", "period": "month"}}


@pytest.fixture
def store(tmp_path: Any) -> Store:
    s = Store.open(tmp_path / "s.heartdb", "means facts", create=True, kdf_iter=1000, officer="T. Tester")
    yield s
    s.close()


def _case(store: Store, forms: dict[str, dict[str, Any]], *, people: list[dict[str, Any]] | None = None) -> str:
    with store.transaction():
        case_id = store.cases.create("WDC", assigned_officer="T. Tester", enquiry_on=date(2026, 9, 1),
                                     application_on=date(2026, 10, 5))
        for person in people or [{"given_name": "Ann", "family_name": "Smith", "is_applicant": True,
                                  "is_disabled_person": True, "date_of_birth": date(1981, 3, 14)}]:
            store.people.insert({"case_id": case_id, **person})
        store.properties.insert({"case_id": case_id, "address_line1": "12 Mill Road", "town": "Warwick",
                                 "postcode": "CV34 4RL", "tenure": "owner", "years_owned": 20})
        store.works.insert({"case_id": case_id, "position": 0, "location": "Bathroom", "description": "Level access "
                            "shower", "quantity": Decimal(1), "unit": "item", "rate_pence": 1_500_000,
                            "vat_percent": Decimal(0)})
        for form_id, answers in forms.items():
            store.forms.start(case_id, form_id, "1.0", answers)
    return case_id


def test_the_form_feeds_the_award_in_place_of_the_officers_figure(store: Store) -> None:
    officer = {"application_details": {"tenure": "owner", "qualifying_benefit": False,
                                       "means_test_contribution": "2500.00"}}
    case_id = _case(store, {**officer, FINANCIAL_FORM: EARNER})
    detail = store.cases.detail(case_id, audit=False)
    result = means_result(detail, TODAY)
    assert result is not None and result.contribution == 924022 and result.provisional
    decision = decide(case_summary(detail, COUNCILS, TODAY))
    assert decision.award.customer_contribution == 924022  # not the officer's £2,500
    assert "PROVISIONAL" in " ".join(str(r) for r in decision.types["DFG"].reasons)
    # without the financial form, the officer's figure stands, as before
    other = _case(store, officer)
    assert decide(case_summary(store.cases.detail(other, audit=False), COUNCILS, TODAY)
                  ).award.customer_contribution == 250000


def test_a_council_calculator_figure_recorded_with_its_source_wins(store: Store) -> None:
    answers = {**EARNER, "calculator_contribution": "6000.00", "calculator_source": "Ferret Renovator, 02/10/2026"}
    detail = store.cases.detail(_case(store, {FINANCIAL_FORM: answers}), audit=False)
    decision = decide(case_summary(detail, COUNCILS, TODAY))
    assert decision.award.customer_contribution == 600000
    assert "Ferret Renovator" in " ".join(str(r) for r in decision.types["DFG"].reasons)


def test_answers_on_screen_count_before_they_are_saved(store: Store) -> None:
    detail = store.cases.detail(_case(store, {FINANCIAL_FORM: EARNER}), audit=False)
    typed = {**EARNER, "disabled_benefits": ["universal_credit"]}
    assert means_result(with_answers(detail, typed), TODAY).passported
    assert means_result(detail, TODAY, answers=typed).contribution == 0


def test_a_couple_with_a_child_from_the_form(store: Store) -> None:
    # the disabled person 45, partner 43 earning £100 a week, a child of 7; disabled person earns
    # £300 a week: couple 94.95 + child 52.59 + family 16.75 + housing 61.30 = 225.59; income 300 +
    # 100 - 10 = 390.00; excess 164.41; × 53.35 = 8,771.2735 -> 8,771.27
    answers = {**EARNER, "has_partner": True, "partner_date_of_birth": "1983-01-20",
               "partner_earnings": {"amount": "100", "period": "week"},
               "dependants": [{"name": "Sam", "date_of_birth": "2019-06-01"}]}
    result = means_result(store.cases.detail(_case(store, {FINANCIAL_FORM: answers}), audit=False), TODAY)
    assert (result.applicable_amount, result.assessed_income, result.contribution) == (22559, 39000, 877127)


def test_a_missing_date_of_birth_is_named(store: Store) -> None:
    answers = {**EARNER, "has_partner": True}
    detail = store.cases.detail(_case(store, {FINANCIAL_FORM: answers}), audit=False)
    with pytest.raises(CaseInputError) as caught:
        case_summary(detail, COUNCILS, TODAY)
    assert caught.value.field == "partner_date_of_birth"


def test_a_new_form_starts_from_the_household(store: Store) -> None:
    def member(given: str, relationship: str, born: date) -> dict[str, Any]:
        return {"given_name": given, "family_name": "Smith", "relationship": relationship, "date_of_birth": born}

    people = [{"given_name": "Ann", "family_name": "Smith", "is_applicant": True, "is_disabled_person": True,
               "date_of_birth": date(1960, 3, 14)},
              member("Bob", "spouse", date(1958, 1, 2)), member("Cat", "daughter", date(2012, 5, 5)),
              member("Dan", "son", date(1990, 5, 5))]
    detail = store.cases.detail(_case(store, {}, people=people), audit=False)
    start = starting_answers(detail, FINANCIAL_FORM)
    assert start["has_partner"] is True and start["partner_date_of_birth"] == "1958-01-02"
    assert [d["name"] for d in start["dependants"]] == ["Cat Smith"]
    assert start["other_adults"] is True  # Dan, 36


def test_the_form_offers_what_the_test_knows() -> None:
    form = next(f for f in check_all_forms(forms_dir()) if f.id == FINANCIAL_FORM)
    labels = rate_book().benefit_labels
    benefits = form.field("disabled_benefits")
    assert {c.value: c.label for c in benefits.choices} == dict(labels)
    assert [c.value for c in form.field("partner_benefits").choices] == [c.value for c in benefits.choices]
    assert all(c.value in labels for c in form.field("dependants/benefits").choices)
    for group in ("disabled_earnings", "partner_pensions", "childcare"):
        assert [c.value for c in form.field(f"{group}/period").choices] == list(PERIODS)
    state = FormEngine(form, today=TODAY).evaluate(EARNER)
    assert state.computed["disabled_earnings/weekly"].text == "£1,300.00 a month = £300.00 a week (× 12 ÷ 52)"
