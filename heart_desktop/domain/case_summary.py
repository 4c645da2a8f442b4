"""The facts about a case that the assistance rules need, read from JSON or from the store.

Reading is strict: a wrong or missing field raises :class:`CaseInputError` naming the field and
saying what is allowed, so a panel or an admin sees the mistake rather than a wrong decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.money import Pence
from heart_desktop.domain.validate import parse_date, parse_money

if TYPE_CHECKING:
    from heart_desktop.domain.means_test import MeansTestResult

ASSISTANCE_TYPES: tuple[str, ...] = ("DFG", "DDFA", "HDG", "HSG", "WaSH")
APPLIED_FOR: tuple[str, ...] = ("DFG", "HDG", "HSG", "WaSH")  # DDFA is assessed with a DFG (4.2.5)
WORKS_KINDS: tuple[str, ...] = ("works", "ancillary")  # ancillary: a fee of policy 7.1
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
class WorksPart:
    """One costed works item as the rules see it: what it costs, what kind, which purpose."""

    description: str
    amount: Pence
    kind: str = "works"
    purpose: str | None = None  # a letter of HGCRA 1996 s.23(1) (policy 4.1.4)


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
    applied_for: str = "DFG"
    works_items: tuple[WorksPart, ...] = ()
    works_started: date | None = None
    early_start_reason: str = ""
    unforeseen_works_cost: Pence = 0
    unforeseen_approved_on: date | None = None
    reasonable_care: bool | None = None
    means_test: MeansTestResult | None = None  # the test of resources, when its financial facts were given

    @property
    def ancillary_cost(self) -> Pence:
        return sum(item.amount for item in self.works_items if item.kind == "ancillary")

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


def _money(data: Mapping[str, Any], name: str, label: str | None = None) -> Pence:
    value = data.get(name, 0)
    label = label or name
    if value is None:
        return 0
    if isinstance(value, bool):
        raise CaseInputError(label, f"{value!r} must be an amount in pounds")
    try:
        return parse_money(value)
    except ValueError as exc:
        raise CaseInputError(label, str(exc)) from None


def _objects(data: Mapping[str, Any], name: str, shape: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each object of the list ``name`` with where it is (``name[i]``); a wrong shape says the right one."""
    items = data.get(name) or []
    if not isinstance(items, list):
        raise CaseInputError(name, f"must be a list of {{{shape}}}")
    for index, item in enumerate(items):
        where = f"{name}[{index}]"
        if not isinstance(item, Mapping):
            raise CaseInputError(where, f"must be an object with {shape}")
        yield where, item


def _one_of(value: Any, allowed: Iterable[str], where: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise CaseInputError(where, f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _previous_awards(data: Mapping[str, Any]) -> tuple[PreviousAward, ...]:
    awards = []
    for where, item in _objects(data, "previous_awards", "type, certified_date, amount"):
        kind = _one_of(item.get("type"), ASSISTANCE_TYPES, f"{where}.type")
        certified = _date(item, "certified_date", required=True)
        assert certified is not None
        awards.append(PreviousAward(
            type=kind,
            certified_date=certified,
            amount=_money(item, "amount", f"{where}.amount"),
            contribution=_money(item, "contribution", f"{where}.contribution"),
        ))
    return tuple(awards)


def _works_items(data: Mapping[str, Any]) -> tuple[WorksPart, ...]:
    parts = []
    for index, (where, item) in enumerate(_objects(data, "works_items", "description, amount, kind, purpose")):
        kind = _one_of(item.get("kind") or "works", WORKS_KINDS, f"{where}.kind")
        purpose = item.get("purpose") or None
        if purpose is not None and not isinstance(purpose, str):
            raise CaseInputError(f"{where}.purpose", f"{purpose!r} must be a letter a to k of s.23(1)")
        parts.append(WorksPart(description=str(item.get("description") or f"item {index + 1}"),
                               amount=_money(item, "amount", f"{where}.amount"), kind=kind, purpose=purpose))
    return tuple(parts)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name) or ""
    if not isinstance(value, str):
        raise CaseInputError(name, f"{value!r} must be text")
    return value.strip()


def read_case_summary(data: Mapping[str, Any], councils: tuple[str, ...],
                      today: date | None = None) -> CaseSummary:
    """Check and convert a JSON case summary (amounts in pounds) into a CaseSummary.

    ``today`` is passed in (never read from the clock here) so an application dated in the
    future is refused the same way in a test as at the desk.
    """
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
    applied_for = data.get("applied_for") or "DFG"
    if applied_for == "DDFA":
        applied_for = "DFG"  # DDFA tops up a DFG and is assessed with it (4.2.5, 4.2.6)
    if applied_for not in APPLIED_FOR:
        raise CaseInputError("applied_for", f"{applied_for!r} is not one of {', '.join(APPLIED_FOR)} "
                             "(DDFA is assessed with a DFG)")
    works_items = _works_items(data)
    works_cost = _money(data, "works_cost")
    if works_items:
        itemised = sum(item.amount for item in works_items)
        if "works_cost" in data and data["works_cost"] not in (None, "") and works_cost != itemised:
            raise CaseInputError("works_cost", f"{works_cost / 100:.2f} is not the total of works_items "
                                 f"({itemised / 100:.2f}): give one or make them agree")
        works_cost = itemised
    means = _means_test(data, today)
    summary = CaseSummary(
        council=council,
        application_date=application,
        tenure=tenure,
        applicant_age=_age(data["applicant_age"], "applicant_age"),
        disabled_person_age=None if disabled is None else _age(disabled, "disabled_person_age"),
        household_ages=tuple(_age(a, f"household_ages[{i}]") for i, a in enumerate(household)),
        passported_benefit=bool(_bool(data, "passported_benefit", False)),
        means_test_contribution=means.contribution if means else _money(data, "means_test_contribution"),
        works_cost=works_cost,
        hospital_discharge=bool(_bool(data, "hospital_discharge", False)),
        years_owned=None if years_owned is None else float(years_owned),
        previous_awards=_previous_awards(data),
        health_risk=bool(_bool(data, "health_risk", False)),
        category1_hazards=hazards,
        ot_recommended=_bool(data, "ot_recommended", None),
        approval_date=_date(data, "approval_date", required=False),
        certified_date=_date(data, "certified_date", required=False),
        applied_for=applied_for,
        works_items=works_items,
        works_started=_date(data, "works_started", required=False),
        early_start_reason=_text(data, "early_start_reason"),
        unforeseen_works_cost=_money(data, "unforeseen_works_cost"),
        unforeseen_approved_on=_date(data, "unforeseen_approved_on", required=False),
        reasonable_care=_bool(data, "reasonable_care", None),
        means_test=means,
    )
    _check_consistent(summary, today)
    return summary


def _means_test(data: Mapping[str, Any], today: date | None) -> MeansTestResult | None:
    """The test of resources from the case's financial facts (``people``, ``capital``, ...), in
    place of an officer's contribution figure; None when none is given."""
    from heart_desktop.domain.means_test import FINANCIAL_FIELDS, means_test, read_means_input

    if not any(data.get(name) not in (None, "", [], {}) for name in FINANCIAL_FIELDS):
        return None
    if data.get("means_test_contribution") not in (None, "", 0, "0", "0.00"):
        raise CaseInputError("means_test_contribution", "give either the officer's contribution figure or the "
                             "financial facts (people, capital, ...) for the test of resources, not both")
    if data.get("previous_contribution") and any(
            isinstance(a, Mapping) and a.get("type") == "DFG" and a.get("contribution")
            for a in data.get("previous_awards") or []):
        raise CaseInputError("previous_contribution", "an earlier DFG contribution is already in previous_awards: "
                             "give it once (previous_contribution is for one the case's records do not hold)")
    return means_test(read_means_input(data, today=today))


def _check_consistent(summary: CaseSummary, today: date | None) -> None:
    """Facts that contradict each other are refused, naming the field to correct."""
    applied = summary.application_date
    if today is not None and applied > today:
        raise CaseInputError("application_date", f"{applied:%d/%m/%Y} is in the future (today is "
                             f"{today:%d/%m/%Y}): give the date the application was made")
    if summary.approval_date and summary.approval_date < applied:
        raise CaseInputError("approval_date", "cannot be before the application_date")
    if summary.certified_date and summary.certified_date < applied:
        raise CaseInputError("certified_date", f"{summary.certified_date:%d/%m/%Y} is before the "
                             f"application_date ({applied:%d/%m/%Y}): works are certified after they are applied for")
    if summary.certified_date and summary.approval_date and summary.certified_date < summary.approval_date:
        raise CaseInputError("certified_date", "cannot be before the approval_date")
    if summary.years_owned is not None and summary.years_owned > summary.applicant_age:
        raise CaseInputError("years_owned", f"{summary.years_owned:g} years is more than the applicant's age "
                             f"({summary.applicant_age}): check the years owned or the date of birth")
    if summary.unforeseen_approved_on and summary.unforeseen_approved_on < applied:
        raise CaseInputError("unforeseen_approved_on", "cannot be before the application_date")
