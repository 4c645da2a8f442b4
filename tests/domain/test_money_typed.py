"""Money typed into a form, read once by the domain: formkit and the HSG check ask it."""

from __future__ import annotations

import pytest

from heart_desktop.domain.assistance import safety_check_cost
from heart_desktop.domain.money import MoneyError, answer_text, typed_amount
from heart_desktop.formkit import money_pence, normalise_money


@pytest.mark.parametrize(("typed", "pence"), [("£1,250.5", 125050), ("1250.50", 125050), (" 87 ", 8700),
                                               ("0.01", 1)])
def test_typed_amounts(typed: str, pence: int) -> None:
    assert typed_amount(typed) == pence
    assert normalise_money(typed) == answer_text(pence)
    assert money_pence(answer_text(pence)) == pence


@pytest.mark.parametrize("typed", ["-5", "12.345", "twelve", "", "NaN", "1e400"])
def test_what_is_not_an_amount_says_how_to_write_one(typed: str) -> None:
    with pytest.raises(MoneyError, match="pounds and pence"):
        typed_amount(typed)
    assert normalise_money(typed) is None


def test_the_safety_checks_agreed_work_is_the_sum_of_its_findings() -> None:
    answers = {"falls_findings": [{"cost": "30.00"}, {"cost": ""}, {"cost": "12.5"}],
               "security_findings": [{"cost": "25.00"}], "visit_date": "2026-11-20",
               "fire_safety_findings": [{"cost": "still typ"}]}  # a cost being typed counts nothing yet
    assert safety_check_cost(answers) == 6750
