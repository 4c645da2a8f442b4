"""The facts about a case that the assistance rules need, read from JSON or from the store.

Reading is strict: a wrong or missing field raises :class:`CaseInputError` naming the field and
saying what is allowed, so a panel or an admin sees the mistake rather than a wrong decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from heart_desktop.domain.money import Pence
from heart_desktop.domain.validate import parse_date, parse_money

ASSISTANCE_TYPES: tuple[str, ...] = ("DFG", "DDFA", "HDG", "HSG", "WaSH")
TENURES: tuple[str, ...] = ("owner", "private_tenant", "council_tenant", "housing_association_tenant")


class CaseInputError(ValueError):
    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


@dataclass(frozen=True)
class PreviousAward:
    type: str
    certified_date: date
    amount: Pence
    contribution: Pence = 0


@dataclass(frozen=True)
class CaseSummary:
    council: str
    application_date: date
    tenure: str
    applicant_age: int
    disabled_person_age: int | None = None
    household_ages: tuple[int, ...] = ()
    passported_benefit: bool = False
    means_test_contribution: Pence = 0
    works_cost: Pence = 0
    hospital_discharge: bool = False
    years_owned: float | None = None
    previous_awards: tuple[PreviousAward, ...] = field(default_factory=tuple)
    health_risk: bool = False
    category1_hazards: int = 0
    ot_recommended: bool | None = None
    approval_date: date | None = None
    certified_date: date | None = None

    @property
    def everyone_ages(self) -> tuple[int, ...]:
        ages = [self.applicant_age, *self.household_ages]
        if self.disabled_person_age is not None:
            ages.append(self.disabled_person_age)
        return tuple(ages)


def _date(data: Mapping[str, Any], name: str, required: bool) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise CaseInputError(name, "is required: give a date as YYYY-MM-DD")
        return None
    try:
        return parse_date(value)
    except (ValueError, TypeError):
        raise CaseInputError(name, f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _age(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise CaseInputError(name, f"{value!r} is not an age in whole years")
    if not 0 <= value <= 125:
        raise CaseInputError(name, f"{value!r} is not a possible age (0 to 125)")
    return int(value)


def _bool(data: Mapping[str, Any], name: str, default: bool | None) -> bool | None:
    value = data.get(name, default)
    if value is None or isinstance(value, bool):
        return value
    raise CaseInputError(name, f"{value!r} must be true or false")


def _money(data: Mapping[str, Any], name: str) -> Pence:
    value = data.get(name, 0)
    if value is None:
        return 0
    if isinstance(value, bool):
        raise CaseInputError(name, f"{value!r} must be an amount in pounds")
    try:
        return parse_money(value)
    except ValueError as exc:
        raise CaseInputError(name, str(exc)) from None


def _previous_awards(data: Mapping[str, Any]) -> tuple[PreviousAward, ...]:
    items = data.get("previous_awards") or []
    if not isinstance(items, list):
        raise CaseInputError("previous_awards", "must be a list of {type, certified_date, amount}")
    awards = []
    for index, item in enumerate(items):
        where = f"previous_awards[{index}]"
        if not isinstance(item, Mapping):
            raise CaseInputError(where, "must be an object with type, certified_date and amount")
        kind = item.get("type")
        if kind not in ASSISTANCE_TYPES:
            raise CaseInputError(f"{where}.type", f"{kind!r} is not one of {', '.join(ASSISTANCE_TYPES)}")
        certified = _date(item, "certified_date", required=True)
        assert certified is not None
        awards.append(PreviousAward(
            type=kind,
            certified_date=certified,
            amount=_money(item, "amount"),
            contribution=_money(item, "contribution"),
        ))
    return tuple(awards)


def read_case_summary(data: Mapping[str, Any], councils: tuple[str, ...]) -> CaseSummary:
    """Check and convert a JSON case summary (amounts in pounds) into a CaseSummary."""
    if not isinstance(data, Mapping):
        raise CaseInputError("case", "the file must hold one JSON object")
    council = data.get("council")
    if council not in councils:
        raise CaseInputError("council", f"{council!r} is not one of {', '.join(councils)}")
    tenure = data.get("tenure")
    if tenure not in TENURES:
        raise CaseInputError("tenure", f"{tenure!r} is not one of {', '.join(TENURES)}")
    if "applicant_age" not in data:
        raise CaseInputError("applicant_age", "is required")
    disabled = data.get("disabled_person_age")
    household = data.get("household_ages") or []
    if not isinstance(household, list):
        raise CaseInputError("household_ages", "must be a list of ages")
    years_owned = data.get("years_owned")
    if years_owned is not None and (
        isinstance(years_owned, bool) or not isinstance(years_owned, int | float) or years_owned < 0
    ):
        raise CaseInputError("years_owned", f"{years_owned!r} must be a number of years, 0 or more")
    hazards = data.get("category1_hazards", 0) or 0
    if isinstance(hazards, bool) or not isinstance(hazards, int) or hazards < 0:
        raise CaseInputError("category1_hazards", f"{hazards!r} must be a whole number, 0 or more")
    application = _date(data, "application_date", required=True)
    assert application is not None
    summary = CaseSummary(
        council=council,
        application_date=application,
        tenure=tenure,
        applicant_age=_age(data["applicant_age"], "applicant_age"),
        disabled_person_age=None if disabled is None else _age(disabled, "disabled_person_age"),
        household_ages=tuple(_age(a, f"household_ages[{i}]") for i, a in enumerate(household)),
        passported_benefit=bool(_bool(data, "passported_benefit", False)),
        means_test_contribution=_money(data, "means_test_contribution"),
        works_cost=_money(data, "works_cost"),
        hospital_discharge=bool(_bool(data, "hospital_discharge", False)),
        years_owned=None if years_owned is None else float(years_owned),
        previous_awards=_previous_awards(data),
        health_risk=bool(_bool(data, "health_risk", False)),
        category1_hazards=hazards,
        ot_recommended=_bool(data, "ot_recommended", None),
        approval_date=_date(data, "approval_date", required=False),
        certified_date=_date(data, "certified_date", required=False),
    )
    if summary.approval_date and summary.approval_date < summary.application_date:
        raise CaseInputError("approval_date", "cannot be before the application_date")
    if summary.certified_date and summary.approval_date and summary.certified_date < summary.approval_date:
        raise CaseInputError("certified_date", "cannot be before the approval_date")
    return summary
