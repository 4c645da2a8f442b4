"""What an officer types is checked with messages that say what to do."""

from __future__ import annotations

from datetime import date

import pytest

from heart_desktop.domain import validate


@pytest.mark.parametrize("good", ["AB123456C", "ab 12 34 56 c", "JG103759A", "ZA 00 00 00 D"])
def test_valid_ni_numbers(good: str) -> None:
    assert validate.check_ni_number(good) is None


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("", "Enter the National Insurance number"),
        ("AB12345C", "two letters, six digits and a letter A to D"),
        ("DA123456A", "not a National Insurance number"),  # D never first
        ("AO123456A", "not a National Insurance number"),  # O never second
        ("AB123456E", "letter A to D"),
        ("GB123456A", "HMRC never issues"),
        ("TN123456A", "temporary numbers are not accepted"),
    ],
)
def test_invalid_ni_numbers(bad: str, fragment: str) -> None:
    message = validate.check_ni_number(bad)
    assert message is not None and fragment in message


def test_ni_number_formatting() -> None:
    assert validate.format_ni_number("ab123456c") == "AB 12 34 56 C"


@pytest.mark.parametrize(("typed", "normal"), [("cv344rl", "CV34 4RL"), (" B49  5AB ", "B49 5AB"),
                                                 ("CV37 6HX", "CV37 6HX"), ("EC1A1BB", "EC1A 1BB")])
def test_postcodes_normalise(typed: str, normal: str) -> None:
    assert validate.check_postcode(typed) is None
    assert validate.normalise_postcode(typed) == normal


@pytest.mark.parametrize("bad", ["CV34", "12345", "CV34 4RLL", "Q1 1AA"])
def test_bad_postcodes(bad: str) -> None:
    message = validate.check_postcode(bad)
    assert message is not None and "not a UK postcode" in message


def test_warwickshire_postcodes_by_district() -> None:
    leamington = validate.check_warwickshire_postcode("CV32 5HZ")
    assert leamington.in_warwickshire and leamington.councils == ("WDC",) and leamington.message is None
    nuneaton = validate.check_warwickshire_postcode("cv11 5aa")
    assert nuneaton.councils == ("NBBC",)
    tamworth = validate.check_warwickshire_postcode("B79 7AA")
    assert tamworth.in_warwickshire and tamworth.partial and "confirm from the address" in (tamworth.message or "")
    birmingham = validate.check_warwickshire_postcode("B1 1AA")
    assert not birmingham.in_warwickshire and "5.11" in (birmingham.message or "")


def test_dates() -> None:
    today = date(2026, 11, 22)
    assert validate.parse_date("25/12/2025") == date(2025, 12, 25)
    assert validate.parse_date("2025-12-25") == date(2025, 12, 25)
    with pytest.raises(ValueError, match="DD/MM/YYYY"):
        validate.parse_date("next tuesday")
    assert validate.check_date_of_birth(date(1950, 1, 1), today) is None
    assert "in the future" in (validate.check_date_of_birth(date(2027, 1, 1), today) or "")
    assert "check the year" in (validate.check_date_of_birth(date(1850, 1, 1), today) or "")
    assert validate.check_approval_date(date(2026, 5, 1), date(2026, 4, 1)) is None
    message = validate.check_approval_date(date(2026, 3, 1), date(2026, 4, 1))
    assert message == "The approval date (01/03/2026) cannot be before the application date (01/04/2026)."


def test_money() -> None:
    assert validate.parse_money("£1,250.50") == 125_050
    assert validate.parse_money(62.5) == 6_250
    assert "negative" in (validate.check_money("-5") or "")
    assert "not an amount of money" in (validate.check_money("ten pounds") or "")
