"""The test of resources' figures as data: load, check and query ``resources/means_test``.

Each figure carries the regulation or Schedule paragraph it belongs to, the day it took effect,
and whether it was read in the regulations' own text (``confirmed``) or came from elsewhere
(``source`` says where). Code never holds a rate: it asks :class:`Rates` for the version in force on
the application date, and a calculation that used an unconfirmed figure is shown as provisional.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from heart_desktop.domain.money import Pence, fmt, pence

RATES_FILE = "hrg_england.toml"
UNITS = frozenset({"GBP/week", "GBP", "age", "bands", "benefits"})
FIELDS = frozenset({"value", "unit", "section", "effective_from", "confirmed", "source", "note"})
REQUIRED: Mapping[str, str] = {
    "relevant_person.young_person_under": "age",
    "housing_allowance": "GBP/week",
    "passported_weekly_amount": "GBP/week",
    "passport.statutory": "benefits",
    "passport.queried": "benefits",
    **{f"personal_allowance.{k}": "GBP/week" for k in (
        "single_under_25", "single_25_plus", "lone_parent_under_18", "lone_parent_18_plus", "couple_both_under_18",
        "couple_18_plus", "pension_single", "pension_single_higher", "pension_couple", "pension_couple_higher")},
    "pension.higher_rate_age": "age",
    "pension.qualifying_age": "age",
    "age.adult": "age",
    "age.single_higher_rate_from": "age",
    "age.baby_under": "age",
    "child_allowance": "GBP/week",
    **{f"premium.{k}": "GBP/week" for k in (
        "family", "family_lone_parent", "baby_under_one", "disability_single", "disability_couple",
        "enhanced_single", "enhanced_couple", "enhanced_child", "severe_single", "severe_couple_one",
        "severe_couple_both", "disabled_child", "carer")},
    **{f"premium_benefits.{k}": "benefits" for k in ("disability", "severe", "enhanced", "disabled_child", "carer")},
    "income.disregarded_benefits": "benefits",
    "income.disregarded_disability_benefits": "benefits",
    **{f"earnings_disregard.{k}": "GBP/week" for k in ("single", "couple", "lone_parent", "disabled_or_carer")},
    "childcare.max_one_child": "GBP/week",
    "childcare.max_two_or_more": "GBP/week",
    "childcare.child_under": "age",
    "childcare.disabled_child_under": "age",
    "capital.disregard_all_if": "benefits",
    "tariff.threshold": "GBP",
    "tariff.step": "GBP",
    "tariff.step_pension": "GBP",
    "tariff.per_step": "GBP/week",
    "reg12.owner": "bands",
    "reg12.tenant": "bands",
}


class MeansRatesError(ValueError):
    """A figure the data cannot give (none in force on the date asked)."""


class MeansRatesFileError(MeansRatesError):
    """A rates file that is malformed, naming the file and the key."""

    def __init__(self, file: Path | str, key: str | None, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")


@dataclass(frozen=True)
class Band:
    """One slice of the weekly excess income (up to ``up_to``; None: the rest) and its multiplier."""

    up_to: Pence | None
    multiplier: Fraction


@dataclass(frozen=True)
class Figure:
    key: str
    value: Any
    unit: str
    section: str
    effective_from: date
    confirmed: bool
    source: str
    note: str | None

    @property
    def shown(self) -> str:
        """The figure as people read it: £61.30, 19, or the bands' multipliers."""
        if self.unit in ("GBP/week", "GBP"):
            return fmt(pence(self.value)) + (" a week" if self.unit == "GBP/week" else "")
        if self.unit == "bands":
            return "; ".join(_band_words(b) for b in self.value)
        if self.unit == "benefits":
            return f"a list of {len(self.value)} benefits"
        return str(self.value)

    def caveat(self) -> str:
        """The words shown beside a result that used this figure while it is unconfirmed."""
        return f"figure {self.key} ({self.shown}; {self.section}) not confirmed; source: {self.source}"


def _band_words(band: Band) -> str:
    upto = f"up to {fmt(band.up_to)} a week" if band.up_to is not None else "the rest"
    return f"× {float(band.multiplier):g} for {upto}"


@dataclass(frozen=True)
class RateBook:
    """Every figure and every version, as loaded."""

    title: str
    law: str
    figures: Mapping[str, tuple[Figure, ...]]
    benefit_labels: Mapping[str, str]
    file: str
    _days: dict[date, Rates] = field(default_factory=dict, compare=False, repr=False)

    def on(self, day: date) -> Rates:
        """The figures in force on ``day`` (kept: a keystroke asks for the same day again)."""
        rates = self._days.get(day)
        if rates is None:
            rates = self._days[day] = Rates(self, day)
        return rates

    def label(self, benefit: str) -> str:
        return self.benefit_labels.get(benefit, benefit)


class Rates:
    """The figures in force on one day."""

    def __init__(self, book: RateBook, day: date) -> None:
        self.book, self.day = book, day
        self._found: dict[str, Figure] = {}

    def figure(self, key: str) -> Figure:
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._in_force(key)
        return found

    def _in_force(self, key: str) -> Figure:
        versions = self.book.figures.get(key)
        if not versions:
            raise MeansRatesError(f"the means test data has no figure {key!r}")
        in_force = [f for f in versions if f.effective_from <= self.day]
        if not in_force:
            first = min(f.effective_from for f in versions)
            raise MeansRatesError(f"no means test figure {key} in force on {self.day:%d/%m/%Y}: it takes effect "
                                  f"from {first:%d/%m/%Y}")
        return max(in_force, key=lambda f: f.effective_from)

    def money(self, key: str) -> Pence:
        return pence(self.figure(key).value)

    def age(self, key: str) -> int:
        return int(self.figure(key).value)

    def benefits(self, key: str) -> frozenset[str]:
        return frozenset(self.figure(key).value)

    def bands(self, key: str) -> tuple[Band, ...]:
        return tuple(self.figure(key).value)

    def first_day(self) -> date:
        """The first day on which every figure the test needs is in force."""
        return max(min(f.effective_from for f in self.book.figures[k]) for k in REQUIRED)


# --- loading ---------------------------------------------------------------------------------------


def default_rates_dir() -> Path:
    from heart_desktop.paths import resources_dir

    return resources_dir() / "means_test"


@lru_cache(maxsize=4)
def _cached(path: Path) -> RateBook:
    return load_rate_book(path)


_DEFAULT: dict[str, RateBook] = {}


def rate_book(directory: Path | None = None) -> RateBook:
    """The checked rates (read once per process; the bundled ones found once per resources folder)."""
    if directory is not None:
        return _cached((directory / RATES_FILE).resolve())
    from heart_desktop.paths import RESOURCES_ENV

    where = os.environ.get(RESOURCES_ENV, "")
    book = _DEFAULT.get(where)
    if book is None:
        book = _DEFAULT[where] = _cached((default_rates_dir() / RATES_FILE).resolve())
    return book


def load_rate_book(path: Path) -> RateBook:
    """Read and check a rates file; raise MeansRatesFileError naming the key on any fault."""
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except FileNotFoundError:
        raise MeansRatesFileError(path, None, "file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise MeansRatesFileError(path, None, f"not valid TOML ({exc})") from None
    labels = doc.pop("benefits", None)
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise MeansRatesFileError(path, "benefits", "needs a [benefits] table of key = label")
    title, law = str(doc.pop("title", "")), str(doc.pop("law", ""))
    doc.pop("schema_version", None)
    figures = _collect(doc, path, frozenset(labels))
    for key, unit in REQUIRED.items():
        if key not in figures:
            raise MeansRatesFileError(path, key, f"required figure is missing (unit {unit})")
        if figures[key][0].unit != unit:
            raise MeansRatesFileError(path, key, f"unit is {figures[key][0].unit!r}; this figure must be in {unit!r}")
    return RateBook(title, law, figures, dict(labels), path.name)


def _collect(doc: Mapping[str, Any], path: Path, benefits: frozenset[str],
             prefix: str = "") -> dict[str, tuple[Figure, ...]]:
    out: dict[str, tuple[Figure, ...]] = {}
    for name, item in doc.items():
        key = f"{prefix}{name}"
        if isinstance(item, dict) and "value" in item:
            out[key] = (_figure(key, item, path, benefits),)
        elif isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
            versions = tuple(sorted((_figure(key, i, path, benefits) for i in item), key=lambda f: f.effective_from))
            if len({v.effective_from for v in versions}) != len(versions):
                raise MeansRatesFileError(path, key, "two versions share one effective_from date")
            if len({v.unit for v in versions}) != 1:
                raise MeansRatesFileError(path, key, "versions disagree on the unit")
            out[key] = versions
        elif isinstance(item, dict):
            out.update(_collect(item, path, benefits, f"{key}."))
        else:
            raise MeansRatesFileError(path, key, "expected a figure table with value, unit, section, effective_from, "
                                      "confirmed and source")
    return out


def _figure(key: str, table: Mapping[str, Any], path: Path, benefits: frozenset[str]) -> Figure:
    unknown = set(table) - FIELDS
    if unknown:
        raise MeansRatesFileError(path, key, f"unknown field {sorted(unknown)[0]!r}; a figure has "
                                  f"{', '.join(sorted(FIELDS))}")
    for needed in ("value", "unit", "section", "effective_from", "confirmed", "source"):
        if needed not in table:
            raise MeansRatesFileError(path, key, f"missing {needed!r}")
    unit, value = table["unit"], table["value"]
    if unit not in UNITS:
        raise MeansRatesFileError(path, key, f"unknown unit {unit!r}; use one of {sorted(UNITS)}")
    if not isinstance(table["confirmed"], bool):
        raise MeansRatesFileError(path, key, "confirmed must be true or false")
    for text in ("section", "source"):
        if not isinstance(table[text], str) or not table[text].strip():
            raise MeansRatesFileError(path, key, f"{text} must say where the figure comes from")
    effective = table["effective_from"]
    if isinstance(effective, str):
        try:
            effective = date.fromisoformat(effective)
        except ValueError:
            raise MeansRatesFileError(path, key, f"effective_from {effective!r} is not a date (YYYY-MM-DD)") from None
    if not isinstance(effective, date):
        raise MeansRatesFileError(path, key, "effective_from must be a date (YYYY-MM-DD)")
    value = _checked_value(key, unit, value, path, benefits)
    note = table.get("note")
    return Figure(key, value, unit, table["section"].strip(), effective, table["confirmed"], table["source"].strip(),
                  note.strip() if isinstance(note, str) else None)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _checked_value(key: str, unit: str, value: Any, path: Path, benefits: frozenset[str]) -> Any:
    if unit in ("GBP/week", "GBP"):
        if not _number(value) or value < 0:
            raise MeansRatesFileError(path, key, f"value {value!r} must be an amount in pounds, 0 or more")
        return value
    if unit == "age":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 125:
            raise MeansRatesFileError(path, key, f"value {value!r} must be an age in whole years")
        return value
    if unit == "benefits":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise MeansRatesFileError(path, key, "value must be a list of benefit keys")
        unknown = [v for v in value if v not in benefits]
        if unknown:
            raise MeansRatesFileError(path, key, f"unknown benefit {unknown[0]!r}; add it to [benefits] first")
        return tuple(value)
    return _bands(key, value, path)


def _bands(key: str, value: Any, path: Path) -> tuple[Band, ...]:
    if not isinstance(value, list) or not value:
        raise MeansRatesFileError(path, key, "value must be a list of {up_to, multiplier} bands")
    bands: list[Band] = []
    for index, band in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(band, dict) or set(band) - {"up_to", "multiplier"}:
            raise MeansRatesFileError(path, where, "a band has a multiplier and, but for the last, up_to")
        multiplier = band.get("multiplier")
        if not _number(multiplier) or multiplier <= 0:
            raise MeansRatesFileError(path, where, f"multiplier {multiplier!r} must be a number above 0")
        up_to = band.get("up_to")
        last = index == len(value) - 1
        if last != (up_to is None):
            raise MeansRatesFileError(path, where, "every band but the last needs up_to (pounds a week); the last "
                                      "takes the rest and has none")
        if up_to is not None:
            if not _number(up_to) or up_to <= 0:
                raise MeansRatesFileError(path, where, f"up_to {up_to!r} must be pounds a week above 0")
            if bands and bands[-1].up_to is not None and pence(up_to) <= bands[-1].up_to:
                raise MeansRatesFileError(path, where, "bands must rise: up_to above the band before")
        bands.append(Band(None if up_to is None else pence(up_to), Fraction(str(multiplier))))
    return tuple(bands)
