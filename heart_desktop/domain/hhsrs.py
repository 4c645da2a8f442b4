"""HHSRS hazard rating: the schemes as data (``resources/hhsrs``) and the score, band and category.

England changed the Housing Health and Safety Rating System on 23 June 2026. An inspection begun
before then is rated under the 2006 scheme (29 hazards, bands A to J); one begun on or after under
the 2026 scheme (21 hazards, bands High / Medium / Low). Every figure of a scheme lives in its TOML
file with a status (confirmed, unconfirmed, assumed, unknown); the code holds only the formula's
shape. A table the file marks unknown is empty here, and :attr:`Scheme.unknown_tables` says so in
words the app can show, rather than the code inventing it. A :class:`Rating` records its scheme.

The score is ``sum(weight[c] * harm[c]) / N`` for a likelihood of 1 in N, harm in percent. It is
computed exactly (fractions) and then rounded once to a float, so it is monotone in N and in each
class of harm, as the property tests check.
"""

from __future__ import annotations

import itertools
import math
import numbers
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from heart_desktop.paths import resources_dir

SCHEME_DIR = "hhsrs"
FILE_PREFIX = "scheme_"
SCHEMA_VERSION = 1
STATUSES = ("confirmed", "unconfirmed", "assumed", "unknown")
NUMERALS = ("I", "II", "III", "IV")
SELECTION_RULE = "inspection_begun"

# The tables a scheme file holds, in the order the app lists what is not confirmed.
TABLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "in_force": "In-force dates",
        "formula": "Scoring formula",
        "rounding": "Rounding of scores",
        "classes": "Classes of harm and their weights",
        "category": "Category 1 line",
        "bands": "Bands",
        "likelihood": "Likelihood scale (ranges and representative points)",
        "harm": "Spread-of-harm scale points",
        "hazards": "Hazard list",
        "national_averages": "National averages",
    }
)


class SchemeError(ValueError):
    """A scheme cannot be found, read or used as asked."""


class SchemeFileError(SchemeError):
    """A scheme file is malformed: the message names the file, the key and what is wrong."""


class NoSchemeError(SchemeError, LookupError):
    """No scheme has that id, or none covers that inspection date."""


class UnknownHazardError(SchemeError, LookupError):
    """The scheme has no hazard with that key or number."""


class TableUnknownError(SchemeError, LookupError):
    """The scheme's file marks the table asked for as unknown (e.g. the 2026 likelihood scale)."""


class RatingError(ValueError):
    """A likelihood or spread of harm outside what the HHSRS allows; the message says what is."""


# --- The scheme's parts -----------------------------------------------------------------------


@dataclass(frozen=True)
class TableStatus:
    """How sure we are of one table of a scheme file, and where it comes from."""

    status: str
    source: str = ""
    note: str = ""

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


@dataclass(frozen=True)
class Hazard:
    """One prescribed hazard; ``group`` and ``vulnerable_group`` are None where not known."""

    number: int
    key: str
    name: str
    group: str | None
    vulnerable_group: str | None
    name_status: str = "confirmed"
    group_status: str = "confirmed"
    vulnerable_group_status: str = "confirmed"

    @property
    def confirmed(self) -> bool:
        """Whether the name, group and vulnerable group are all read in an authoritative source."""
        return all(s == "confirmed" for s in (self.name_status, self.group_status, self.vulnerable_group_status))


@dataclass(frozen=True)
class Band:
    """A score band: scores of ``min_score`` or more, up to the next band's minimum."""

    name: str
    min_score: float
    category: int


@dataclass(frozen=True)
class HarmClass:
    """A class of harm with its weight in the formula (Class I / Extreme 10,000, ...)."""

    numeral: str
    name: str
    weight: float

    @property
    def label(self) -> str:
        """``class II`` or ``class II (Severe)`` where the scheme names the class."""
        if self.name.lower() == f"class {self.numeral}".lower():
            return f"class {self.numeral}"
        return f"class {self.numeral} ({self.name})"


@dataclass(frozen=True)
class LikelihoodRange:
    """Judgements of 1 in N with ``above < N <= up_to`` (open-ended when up_to is None) score at ``point``."""

    above: float
    up_to: float | None
    point: float
    status: str

    def contains(self, n: float) -> bool:
        return n > self.above and (self.up_to is None or n <= self.up_to)


@dataclass(frozen=True)
class NationalAverage:
    """A hazard profile's national average: raw figures, scored by the same formula."""

    hazard: str
    description: str
    likelihood: float
    harm: tuple[float, float, float, float]
    status: str


@dataclass(frozen=True)
class WorkedExample:
    """A worked example printed in the guidance, with the score it prints."""

    title: str
    hazard: str
    likelihood: float
    harm: tuple[float, ...]
    score: float
    printed: str
    status: str
    source: str


@dataclass(frozen=True)
class Rounding:
    """The one place the rounding choice lives (no official rule was found)."""

    keep: str
    band_on: str
    display_decimals: int
    json_decimals: int
    method: str


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    read: str


@dataclass(frozen=True)
class Scheme:
    """One HHSRS rating scheme, as its file gives it. Build with :func:`load_scheme`."""

    id: str
    name: str
    legal_source: str
    guidance: str
    in_force_from: date
    in_force_until: date | None
    hazards: tuple[Hazard, ...]
    likelihood_points: tuple[LikelihoodRange, ...]
    harm_points: tuple[float, ...]
    confirmed_harm_points: tuple[float, ...]
    classes: tuple[HarmClass, HarmClass, HarmClass, HarmClass]
    bands: tuple[Band, ...]
    category1_min_score: float
    national_averages: Mapping[str, NationalAverage]
    examples: tuple[WorkedExample, ...]
    rounding: Rounding
    harm_total: float
    harm_tolerance: float
    statuses: Mapping[str, TableStatus]
    unknown_tables: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[Source, ...]
    path: Path | None = field(default=None, compare=False)

    # What the form and the app ask.

    @property
    def class_names(self) -> tuple[str, str, str, str]:
        return (self.classes[0].name, self.classes[1].name, self.classes[2].name, self.classes[3].name)

    @property
    def class_weights(self) -> tuple[float, float, float, float]:
        return (self.classes[0].weight, self.classes[1].weight, self.classes[2].weight, self.classes[3].weight)

    @property
    def hazards_confirmed(self) -> bool:
        """False while the hazard list itself is unconfirmed (the 2026 list, for now)."""
        return self.statuses["hazards"].confirmed

    @property
    def has_likelihood_scale(self) -> bool:
        return bool(self.likelihood_points)

    @property
    def groups(self) -> tuple[str, ...]:
        """The hazard groups in file order, where the scheme gives them."""
        seen: dict[str, None] = {}
        for hazard in self.hazards:
            if hazard.group is not None:
                seen.setdefault(hazard.group, None)
        return tuple(seen)

    def status(self, table: str) -> TableStatus:
        """The status of one table (``"hazards"``, ``"likelihood"``, ...)."""
        try:
            return self.statuses[table]
        except KeyError:
            raise SchemeError(f"no table {table!r}; tables: {', '.join(self.statuses)}") from None

    def applies_to(self, inspection_start: date) -> bool:
        """Whether an inspection begun on that date is rated under this scheme."""
        if inspection_start < self.in_force_from:
            return False
        return self.in_force_until is None or inspection_start <= self.in_force_until

    def hazard(self, key_or_number: str | int) -> Hazard:
        """The hazard with that key (``"excess_cold"``) or number (2)."""
        for hazard in self.hazards:
            if key_or_number in (hazard.key, hazard.number) and not isinstance(key_or_number, bool):
                return hazard
        raise UnknownHazardError(
            f"the {self.id} scheme has no hazard {key_or_number!r}; hazards are numbered 1 to {len(self.hazards)}"
        )

    def band_for(self, score: float) -> Band:
        """The band of an unrounded score (the data's rounding rule bands on the unrounded value)."""
        if isinstance(score, bool) or not isinstance(score, numbers.Real) or not math.isfinite(score) or score < 0:
            raise RatingError(f"a score must be a number of 0 or more; got {score!r}")
        for band in self.bands:
            if score >= band.min_score:
                return band
        raise AssertionError("the lowest band starts at 0 (checked at load)")  # pragma: no cover

    def category_for(self, score: float) -> int:
        return self.band_for(score).category

    def likelihood_range(self, n: float) -> LikelihoodRange:
        """The range of the likelihood scale that a judgement of 1 in N falls in."""
        value = _likelihood_value(n)
        if not self.likelihood_points:
            raise TableUnknownError(self._missing("likelihood"))
        for row in self.likelihood_points:
            if row.contains(float(value)):
                return row
        raise AssertionError("the ranges cover every N > 0 (checked at load)")  # pragma: no cover

    def likelihood_point(self, n: float) -> float:
        """Snap an officer's judgement of 1 in N to the scheme's representative scale point."""
        return self.likelihood_range(n).point

    def nearest_harm_point(self, percent: float) -> float:
        """The spread-of-harm scale point nearest a judged percentage (a form helper, not a rule)."""
        value = _percent_value(percent, "the spread of harm")
        if not self.harm_points:
            raise TableUnknownError(self._missing("harm"))
        return min(self.harm_points, key=lambda p: (abs(Fraction(p) - value), p))

    def rate(self, likelihood: float, harm: Sequence[float], hazard: str | int | None = None) -> Rating:
        return rate(likelihood, harm, self, hazard=hazard)

    def _missing(self, table: str) -> str:
        status = self.statuses[table]
        return status.note or f"the {self.id} scheme's {TABLE_LABELS[table].lower()} is {status.status}"


@dataclass(frozen=True)
class Rating:
    """A scored hazard: the unrounded score, its band and category, and the scheme that rated it."""

    scheme_id: str
    likelihood: float
    harm: tuple[float, float, float, float]
    score: float
    band: str
    category: int
    hazard: str | None = None
    display_decimals: int = 0
    json_decimals: int = 1

    @property
    def display_score(self) -> int:
        """The score as officers and paperwork show it: a whole number, half up."""
        return int(_round_half_up(self.score, 0))

    @property
    def json_score(self) -> float:
        return float(_round_half_up(self.score, self.json_decimals))

    def describe(self) -> str:
        """One line for the CLI and logs: ``score 95, band G, category 2 (2006 scheme)``."""
        return f"score {self.display_score}, band {self.band}, category {self.category} ({self.scheme_id} scheme)"

    def to_dict(self) -> dict[str, Any]:
        """What the CLI's ``--json`` prints; the score rounded as the scheme file's rounding rule says."""
        out: dict[str, Any] = {
            "scheme": self.scheme_id,
            "score": self.json_score,
            "band": self.band,
            "category": self.category,
        }
        if self.hazard is not None:
            out["hazard"] = self.hazard
        return out


# --- Scoring --------------------------------------------------------------------------------------


def rate(
    likelihood: float,
    harm: Sequence[float],
    scheme: Scheme | str,
    hazard: str | int | None = None,
) -> Rating:
    """Score a hazard: likelihood 1 in ``likelihood``; harm for classes I-III (IV the remainder) or I-IV.

    Raw figures (national averages, 1 in 330) score as well as scale points: the formula does not
    care, and the guidance's own example (1 in 330, 34/6/18/42) scores 1066.1.
    """
    sch = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
    n = _likelihood_value(likelihood)
    spread = _spread_of_harm(harm, sch)
    hazard_key = sch.hazard(hazard).key if hazard is not None else None
    score = _score(n, spread, sch.class_weights)
    band = sch.band_for(score)
    return Rating(
        scheme_id=sch.id,
        likelihood=float(n),
        harm=(float(spread[0]), float(spread[1]), float(spread[2]), float(spread[3])),
        score=score,
        band=band.name,
        category=band.category,
        hazard=hazard_key,
        display_decimals=sch.rounding.display_decimals,
        json_decimals=sch.rounding.json_decimals,
    )


def likelihood_point(n: float, scheme: Scheme | str) -> float:
    """Module-level form of :meth:`Scheme.likelihood_point`."""
    sch = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
    return sch.likelihood_point(n)


nearest_scale_point = likelihood_point


def nearest_harm_point(percent: float, scheme: Scheme | str) -> float:
    sch = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
    return sch.nearest_harm_point(percent)


def parse_likelihood(text: str) -> float:
    """Read an officer's or the CLI's likelihood: ``180``, ``1 in 180`` or ``1/180``."""
    cleaned = text.strip().lower()
    match = re.fullmatch(r"1\s*(?:in|/|:)\s*(.+)", cleaned)
    number = match.group(1) if match else cleaned
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        raise RatingError(f"likelihood must be a positive number (1 in N, N > 0); got {text!r}") from None
    return float(_likelihood_value(value))


def parse_harm(text: str) -> tuple[float, ...]:
    """Read ``0,10,21.5,68.5`` (or three values, class IV the remainder) into numbers."""
    parts = [p.strip().rstrip("%") for p in text.split(",")]
    values: list[float] = []
    for index, part in enumerate(parts):
        try:
            values.append(float(part))
        except ValueError:
            numeral = NUMERALS[index] if index < len(NUMERALS) else str(index + 1)
            raise RatingError(f"class {numeral} of harm must be a number between 0 and 100; got {part!r}") from None
    return tuple(values)


def _score(n: Fraction, spread: tuple[Fraction, ...], weights: Sequence[float]) -> float:
    """Exact sum of weight x percent over N, rounded once: monotone, unlike a float sum."""
    total = sum((Fraction(w) * s for w, s in zip(weights, spread, strict=True)), Fraction(0))
    return float(total / n)


def _likelihood_value(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise RatingError(f"likelihood must be a positive number (1 in N, N > 0); got {value!r}")
    if value <= 0:
        raise RatingError(f"likelihood must be a positive number (1 in N, N > 0); got {_fmt(value)}")
    return Fraction(value)


def _percent_value(value: object, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise RatingError(f"{what} must be a number between 0 and 100; got {value!r}")
    if not 0 <= value <= 100:
        raise RatingError(f"{what} is {_fmt(value)}%: it must be between 0 and 100")
    return Fraction(value)


def _spread_of_harm(harm: Sequence[float], scheme: Scheme) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """Check the classes and give all four, class IV as the remainder when three are given."""
    if isinstance(harm, str | bytes) or not isinstance(harm, Sequence):
        raise RatingError(
            f"give the spread of harm as three classes (I to III; class IV is the remainder) or all four; got {harm!r}"
        )
    if len(harm) not in (3, 4):
        raise RatingError(
            "give the spread of harm as three classes (I to III; class IV is the remainder) or all four; "
            f"got {len(harm)} values"
        )
    values = [_class_value(v, scheme.classes[i]) for i, v in enumerate(harm)]
    full = Fraction(scheme.harm_total)
    tolerance = Fraction(scheme.harm_tolerance)
    total = sum(values, Fraction(0))
    if len(values) == 3:
        if total > full + tolerance:
            raise RatingError(
                f"classes I to III total {float(total):.1f}%; they must total no more than "
                f"{_fmt(scheme.harm_total)} (class IV is the remainder)"
            )
        values.append(max(Fraction(0), full - total))
    elif abs(total - full) > tolerance:
        raise RatingError(
            f"the four classes of harm total {float(total):.1f}%; they must total {_fmt(scheme.harm_total)} "
            "(class IV is the remainder when you give three)"
        )
    return (values[0], values[1], values[2], values[3])


def _class_value(value: object, harm_class: HarmClass) -> Fraction:
    label = harm_class.label
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise RatingError(f"{label} must be a number between 0 and 100; got {value!r}")
    if not 0 <= value <= 100:
        raise RatingError(f"{label} is {_fmt(value)}%: each class of harm must be between 0 and 100")
    return Fraction(value)


def _fmt(value: float | Fraction) -> str:
    return f"{float(value):g}"


def _round_half_up(value: float, decimals: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# --- Finding and loading schemes -----------------------------------------------------------------


def scheme_dir(directory: Path | None = None) -> Path:
    """Where scheme files live: the given folder, else ``resources/hhsrs``."""
    return Path(directory) if directory is not None else resources_dir() / SCHEME_DIR


def scheme_path(scheme_id: str, directory: Path | None = None) -> Path:
    if not isinstance(scheme_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", scheme_id):
        raise NoSchemeError(f"no HHSRS scheme {scheme_id!r}; schemes: {', '.join(_scheme_ids(directory))}")
    return scheme_dir(directory) / f"{FILE_PREFIX}{scheme_id}.toml"


def load_scheme(scheme_id: str, directory: Path | None = None) -> Scheme:
    """The scheme with that id (``"2006"`` or ``"2026"``), read once and cached."""
    path = scheme_path(scheme_id, directory)
    if not path.is_file():
        raise NoSchemeError(f"no HHSRS scheme {scheme_id!r}; schemes: {', '.join(_scheme_ids(directory))}")
    return _load_cached(path.resolve())


def schemes(directory: Path | None = None) -> tuple[Scheme, ...]:
    """Every scheme, oldest first; their in-force periods must follow on without gap or overlap."""
    found = tuple(sorted((load_scheme(i, directory) for i in _scheme_ids(directory)), key=lambda s: s.in_force_from))
    _check_succession(found)
    return found


def scheme_for(inspection_start: date, directory: Path | None = None) -> Scheme:
    """The scheme an inspection begun on that date is rated under (the regulations' transitional rule)."""
    all_schemes = schemes(directory)
    for scheme in all_schemes:
        if scheme.applies_to(inspection_start):
            return scheme
    first = all_schemes[0].in_force_from.isoformat() if all_schemes else "(none loaded)"
    raise NoSchemeError(
        f"no HHSRS scheme covers an inspection begun on {inspection_start.isoformat()}; the first applies from {first}"
    )


def scheme_in_force(today: date | None = None, directory: Path | None = None) -> Scheme:
    """The scheme a new inspection begun today would use."""
    return scheme_for(today or date.today(), directory)


def clear_cache() -> None:
    """Forget loaded schemes (tests, or after the resources folder changes)."""
    _load_cached.cache_clear()


def _scheme_ids(directory: Path | None) -> list[str]:
    folder = scheme_dir(directory)
    if not folder.is_dir():
        return []
    return sorted(p.stem[len(FILE_PREFIX) :] for p in folder.glob(f"{FILE_PREFIX}*.toml"))


def _check_succession(ordered: Sequence[Scheme]) -> None:
    for earlier, later in itertools.pairwise(ordered):
        expected = later.in_force_from - timedelta(days=1)
        if earlier.in_force_until != expected:
            raise SchemeFileError(
                f"{earlier.path}: in_force.until: the {earlier.id} scheme must end on {expected.isoformat()}, "
                f"the day before the {later.id} scheme applies ({later.path}); "
                f"got {earlier.in_force_until.isoformat() if earlier.in_force_until else 'no end'}"
            )


@cache
def _load_cached(path: Path) -> Scheme:
    return load_scheme_file(path)


def load_scheme_file(path: Path) -> Scheme:
    """Read and check one scheme file (uncached); a malformed file is refused with file, key and fault."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise SchemeFileError(f"{path}: the scheme file does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise SchemeFileError(f"{path}: not valid TOML: {exc}") from None
    return _SchemeReader(path, data).scheme()


class _SchemeReader:
    """Turns one parsed scheme file into a :class:`Scheme`, refusing anything malformed."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    # Small typed getters: each names the key it failed on.

    def fail(self, where: str, what: str) -> NoReturn:
        raise SchemeFileError(f"{self.path}: {where}: {what}")

    def get(self, table: Mapping[str, Any], key: str, where: str) -> Any:
        if key not in table:
            self.fail(_join(where, key), "missing")
        return table[key]

    def table(self, table: Mapping[str, Any], key: str, where: str = "") -> dict[str, Any]:
        value = self.get(table, key, where)
        if not isinstance(value, dict):
            self.fail(_join(where, key), f"expected a table, got {value!r}")
        return value

    def text(self, table: Mapping[str, Any], key: str, where: str = "", default: str | None = None) -> str:
        if key not in table and default is not None:
            return default
        value = self.get(table, key, where)
        if not isinstance(value, str):
            self.fail(_join(where, key), f"expected text, got {value!r}")
        return value

    def optional_text(self, table: Mapping[str, Any], key: str, where: str) -> str | None:
        if key not in table:
            return None
        value = self.text(table, key, where)
        return value or None

    def number(self, table: Mapping[str, Any], key: str, where: str, minimum: float | None = 0.0) -> float:
        value = self.get(table, key, where)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(_join(where, key), f"expected a number, got {value!r}")
        if minimum is not None and value < minimum:
            self.fail(_join(where, key), f"must be {minimum:g} or more, got {value!r}")
        return float(value)

    def integer(self, table: Mapping[str, Any], key: str, where: str) -> int:
        value = self.get(table, key, where)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(_join(where, key), f"expected a whole number, got {value!r}")
        return value

    def flag(self, table: Mapping[str, Any], key: str, where: str) -> bool:
        value = self.get(table, key, where)
        if not isinstance(value, bool):
            self.fail(_join(where, key), f"expected true or false, got {value!r}")
        return value

    def day(self, table: Mapping[str, Any], key: str, where: str) -> date:
        value = self.get(table, key, where)
        if not isinstance(value, date) or hasattr(value, "hour"):
            self.fail(_join(where, key), f"expected a date such as 2026-06-23, got {value!r}")
        return value

    def status_word(self, table: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = self.text(table, key, where, default=default)
        if value not in STATUSES:
            self.fail(_join(where, key), f"must be one of {', '.join(STATUSES)}; got {value!r}")
        return value

    def items(self, table: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(_join(where, key), "expected an array of tables ([[...]])")
        return value

    def numbers(self, table: Mapping[str, Any], key: str, where: str) -> tuple[float, ...]:
        value = self.get(table, key, where)
        ok = isinstance(value, list) and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
        )
        if not ok:
            self.fail(_join(where, key), f"expected a list of numbers, got {value!r}")
        return tuple(float(v) for v in value)

    def table_status(self, name: str) -> TableStatus:
        section = self.table(self.data, name)
        status = self.status_word(section, "status", name)
        source = self.text(section, "source", name, default="")
        if status == "confirmed" and not source:
            self.fail(_join(name, "source"), "a confirmed table must say where it was read")
        return TableStatus(status, source, self.text(section, "note", name, default=""))

    # The whole file.

    def scheme(self) -> Scheme:
        data = self.data
        version = self.integer(data, "schema_version", "")
        if version != SCHEMA_VERSION:
            self.fail("schema_version", f"this version of the app reads version {SCHEMA_VERSION}; got {version}")
        scheme_id = self.text(data, "id", "")
        expected_id = self.path.stem[len(FILE_PREFIX) :] if self.path.stem.startswith(FILE_PREFIX) else None
        if expected_id is not None and scheme_id != expected_id:
            self.fail("id", f"must match the file name ({expected_id!r}); got {scheme_id!r}")
        statuses = {name: self.table_status(name) for name in TABLE_LABELS}
        in_force_from, in_force_until = self.in_force()
        formula = self.table(data, "formula")
        harm_total = self.number(formula, "harm_total", "formula")
        tolerance = self.number(formula, "harm_total_tolerance", "formula")
        if harm_total != 100.0:
            self.fail("formula.harm_total", f"the classes of harm are percentages and total 100; got {harm_total:g}")
        if tolerance >= 1:
            self.fail("formula.harm_total_tolerance", f"must be under 1 percentage point; got {tolerance:g}")
        if not self.flag(formula, "class_iv_is_remainder", "formula"):
            self.fail("formula.class_iv_is_remainder", "the app gives class IV as the remainder; must be true")
        classes = self.classes()
        category1 = self.number(self.table(data, "category"), "category1_min_score", "category", minimum=None)
        if category1 <= 0:
            self.fail("category.category1_min_score", f"must be more than 0; got {category1:g}")
        hazards = self.hazards()
        keys = {h.key for h in hazards}
        statuses_view = MappingProxyType(statuses)
        return Scheme(
            id=scheme_id,
            name=self.text(data, "name", ""),
            legal_source=self.text(data, "legal_source", ""),
            guidance=self.text(data, "guidance", "", default=""),
            in_force_from=in_force_from,
            in_force_until=in_force_until,
            hazards=hazards,
            likelihood_points=self.likelihood(statuses["likelihood"]),
            harm_points=(harm := self.harm(statuses["harm"]))[0],
            confirmed_harm_points=harm[1],
            classes=classes,
            bands=self.bands(category1),
            category1_min_score=category1,
            national_averages=MappingProxyType(self.averages(keys, tolerance)),
            examples=self.examples(keys),
            rounding=self.rounding(),
            harm_total=harm_total,
            harm_tolerance=tolerance,
            statuses=statuses_view,
            unknown_tables=_unknown_tables(statuses, hazards),
            notes=self.notes(),
            sources=self.sources(),
            path=self.path,
        )

    def in_force(self) -> tuple[date, date | None]:
        section = self.table(self.data, "in_force")
        start = self.day(section, "from", "in_force")
        end = self.day(section, "until", "in_force") if "until" in section else None
        if end is not None and end < start:
            self.fail("in_force.until", f"ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        rule = self.text(section, "rule", "in_force")
        if rule != SELECTION_RULE:
            self.fail("in_force.rule", f"must be {SELECTION_RULE!r} (chosen by the date the inspection began)")
        return start, end

    def rounding(self) -> Rounding:
        section = self.table(self.data, "rounding")
        expected = {"keep": "unrounded", "band_on": "unrounded", "method": "half_up"}
        for key, want in expected.items():
            if self.text(section, key, "rounding") != want:
                self.fail(_join("rounding", key), f"the app supports only {want!r}; got {section[key]!r}")
        decimals = {k: self.integer(section, k, "rounding") for k in ("display_decimals", "json_decimals")}
        for key, value in decimals.items():
            if not 0 <= value <= 6:
                self.fail(_join("rounding", key), f"must be 0 to 6; got {value}")
        if decimals["display_decimals"] != 0:
            self.fail("rounding.display_decimals", "scores are shown as whole numbers; must be 0")
        return Rounding("unrounded", "unrounded", decimals["display_decimals"], decimals["json_decimals"], "half_up")

    def classes(self) -> tuple[HarmClass, HarmClass, HarmClass, HarmClass]:
        rows = self.items(self.table(self.data, "classes"), "items", "classes")
        if len(rows) != 4:
            self.fail("classes.items", f"there are four classes of harm (I to IV); got {len(rows)}")
        out: list[HarmClass] = []
        for index, row in enumerate(rows):
            where = f"classes.items[{index}]"
            numeral = self.text(row, "numeral", where)
            if numeral != NUMERALS[index]:
                self.fail(_join(where, "numeral"), f"expected {NUMERALS[index]!r}; got {numeral!r}")
            weight = self.number(row, "weight", where)
            if out and weight >= out[-1].weight:
                self.fail(_join(where, "weight"), "each class must weigh less than the one before")
            if weight <= 0:
                self.fail(_join(where, "weight"), f"must be more than 0; got {weight:g}")
            out.append(HarmClass(numeral, self.text(row, "name", where), weight))
        return (out[0], out[1], out[2], out[3])

    def bands(self, category1: float) -> tuple[Band, ...]:
        rows = self.items(self.table(self.data, "bands"), "items", "bands")
        if not rows:
            self.fail("bands.items", "at least one band is needed")
        out: list[Band] = []
        for index, row in enumerate(rows):
            where = f"bands.items[{index}]"
            band = Band(
                self.text(row, "name", where),
                self.number(row, "min_score", where),
                self.integer(row, "category", where),
            )
            if out and band.min_score >= out[-1].min_score:
                self.fail(_join(where, "min_score"), "bands must run from the highest score down")
            if band.name in {b.name for b in out}:
                self.fail(_join(where, "name"), f"band {band.name!r} appears twice")
            want = 1 if band.min_score >= category1 else 2
            if band.category != want:
                self.fail(
                    _join(where, "category"),
                    f"a band from {band.min_score:g} is category {want} (category 1 is {category1:g} or more); "
                    f"got {band.category}",
                )
            out.append(band)
        if out[-1].min_score != 0:
            self.fail(f"bands.items[{len(out) - 1}].min_score", "the lowest band must start at 0")
        if category1 not in {b.min_score for b in out}:
            self.fail("bands.items", f"no band starts at the category 1 line ({category1:g}), so one would straddle it")
        return tuple(out)

    def likelihood(self, status: TableStatus) -> tuple[LikelihoodRange, ...]:
        section = self.table(self.data, "likelihood")
        if self.text(section, "boundary_rule", "likelihood") != "upper_inclusive":
            self.fail("likelihood.boundary_rule", "the app reads ranges as above < N <= up_to ('upper_inclusive')")
        self.status_word(section, "boundary_rule_status", "likelihood")
        rows = self.items(section, "ranges", "likelihood")
        if not rows:
            if status.status != "unknown":
                self.fail("likelihood.ranges", "missing: give the ranges, or mark the table status 'unknown'")
            return ()
        out: list[LikelihoodRange] = []
        for index, row in enumerate(rows):
            where = f"likelihood.ranges[{index}]"
            above = self.number(row, "above", where)
            up_to = self.number(row, "up_to", where) if "up_to" in row else None
            point = self.number(row, "point", where)
            expected_above = out[-1].up_to if out else 0.0
            if above != expected_above:
                self.fail(
                    _join(where, "above"), f"must follow on from the range before ({expected_above:g}); got {above:g}"
                )
            if up_to is None and index != len(rows) - 1:
                self.fail(_join(where, "up_to"), "only the last (least likely) range may be open-ended")
            if up_to is not None and up_to <= above:
                self.fail(_join(where, "up_to"), f"must be more than above ({above:g}); got {up_to:g}")
            row_range = LikelihoodRange(above, up_to, point, self.status_word(row, "status", where))
            if not row_range.contains(point):
                self.fail(_join(where, "point"), f"{point:g} is not inside its own range")
            out.append(row_range)
        if out[-1].up_to is not None:
            self.fail(f"likelihood.ranges[{len(out) - 1}].up_to", "the last range must be open-ended (no up_to)")
        return tuple(out)

    def harm(self, status: TableStatus) -> tuple[tuple[float, ...], tuple[float, ...]]:
        section = self.table(self.data, "harm")
        points = self.numbers(section, "points", "harm")
        confirmed = self.numbers(section, "confirmed_points", "harm")
        if not points and status.status != "unknown":
            self.fail("harm.points", "missing: give the points, or mark the table status 'unknown'")
        if any(p < 0 or p > 100 for p in points) or list(points) != sorted(set(points)):
            self.fail("harm.points", "must be distinct percentages from 0 to 100 in rising order")
        if not set(confirmed) <= set(points):
            self.fail("harm.confirmed_points", "every confirmed point must be one of harm.points")
        return points, confirmed

    def hazards(self) -> tuple[Hazard, ...]:
        section = self.table(self.data, "hazards")
        table_status = self.status_word(section, "status", "hazards")
        expected = self.integer(section, "expected_count", "hazards")
        rows = self.items(section, "items", "hazards")
        if table_status != "unknown" and len(rows) != expected:
            self.fail("hazards.items", f"the scheme has {expected} hazards (hazards.expected_count); got {len(rows)}")
        out: list[Hazard] = []
        for index, row in enumerate(rows):
            where = f"hazards.items[{index}]"
            number = self.integer(row, "number", where)
            if number != index + 1:
                self.fail(
                    _join(where, "number"), f"hazards are numbered 1, 2, 3 in order; expected {index + 1}, got {number}"
                )
            key = self.text(row, "key", where)
            if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
                self.fail(_join(where, "key"), f"keys are lower_case_with_underscores; got {key!r}")
            if key in {h.key for h in out}:
                self.fail(_join(where, "key"), f"{key!r} appears twice")
            name = self.text(row, "name", where)
            if not name.strip():
                self.fail(_join(where, "name"), "must not be empty")
            group = self.optional_text(row, "group", where)
            vulnerable = self.optional_text(row, "vulnerable_group", where)
            out.append(
                Hazard(
                    number=number,
                    key=key,
                    name=name,
                    group=group,
                    vulnerable_group=vulnerable,
                    name_status=self.status_word(row, "name_status", where, default=table_status),
                    group_status=self.status_word(
                        row, "group_status", where, default=table_status if group else "unknown"
                    ),
                    vulnerable_group_status=self.status_word(row, "vulnerable_group_status", where),
                )
            )
        return tuple(out)

    def four_classes(self, row: Mapping[str, Any], where: str, tolerance: float) -> tuple[float, float, float, float]:
        harm = self.numbers(row, "harm", where)
        if len(harm) != 4 or any(not 0 <= h <= 100 for h in harm):
            self.fail(_join(where, "harm"), f"expected four percentages (classes I to IV); got {list(harm)}")
        if abs(sum(harm) - 100) > tolerance:
            self.fail(_join(where, "harm"), f"the four classes total {sum(harm):.1f}; they must total 100")
        return (harm[0], harm[1], harm[2], harm[3])

    def hazard_key(self, row: Mapping[str, Any], where: str, keys: set[str]) -> str:
        key = self.text(row, "hazard", where)
        if key not in keys:
            self.fail(_join(where, "hazard"), f"no hazard {key!r} in hazards.items")
        return key

    def averages(self, keys: set[str], tolerance: float) -> dict[str, NationalAverage]:
        rows = self.items(self.table(self.data, "national_averages"), "items", "national_averages")
        out: dict[str, NationalAverage] = {}
        for index, row in enumerate(rows):
            where = f"national_averages.items[{index}]"
            key = self.hazard_key(row, where, keys)
            if key in out:
                self.fail(_join(where, "hazard"), f"{key!r} has two national averages")
            likelihood = self.number(row, "likelihood", where)
            if likelihood <= 0:
                self.fail(_join(where, "likelihood"), "must be more than 0 (1 in N)")
            out[key] = NationalAverage(
                hazard=key,
                description=self.text(row, "description", where, default=""),
                likelihood=likelihood,
                harm=self.four_classes(row, where, tolerance),
                status=self.status_word(row, "status", where),
            )
        return out

    def examples(self, keys: set[str]) -> tuple[WorkedExample, ...]:
        out: list[WorkedExample] = []
        for index, row in enumerate(self.items(self.data, "examples", "")):
            where = f"examples[{index}]"
            harm = self.numbers(row, "harm", where)
            if len(harm) not in (3, 4):
                self.fail(_join(where, "harm"), f"expected three or four classes; got {list(harm)}")
            out.append(
                WorkedExample(
                    title=self.text(row, "title", where),
                    hazard=self.hazard_key(row, where, keys),
                    likelihood=self.number(row, "likelihood", where),
                    harm=harm,
                    score=self.number(row, "score", where),
                    printed=self.text(row, "printed", where, default=""),
                    status=self.status_word(row, "status", where),
                    source=self.text(row, "source", where, default=""),
                )
            )
        return tuple(out)

    def notes(self) -> tuple[str, ...]:
        notes = self.data.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            self.fail("notes", "expected a list of text")
        return tuple(notes)

    def sources(self) -> tuple[Source, ...]:
        out = []
        for index, row in enumerate(self.items(self.data, "sources", "")):
            where = f"sources[{index}]"
            out.append(
                Source(
                    self.text(row, "title", where),
                    self.text(row, "url", where, default=""),
                    self.status_word(row, "read", where),
                )
            )
        return tuple(out)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _unknown_tables(statuses: Mapping[str, TableStatus], hazards: Iterable[Hazard]) -> tuple[str, ...]:
    """Plain statements of everything in the scheme that is not confirmed, for the app to show."""
    out = [
        f"{TABLE_LABELS[name]} ({status.status}): {status.note or 'no source read for this table.'}"
        for name, status in statuses.items()
        if not status.confirmed
    ]
    hazards = tuple(hazards)
    if statuses["hazards"].confirmed:
        names = [str(h.number) for h in hazards if h.name_status != "confirmed"]
        if names:
            out.append(f"Hazard names not confirmed for hazards {', '.join(names)}.")
        groups = [str(h.number) for h in hazards if h.group_status != "confirmed"]
        if groups:
            out.append(f"Hazard groups not confirmed for hazards {', '.join(groups)}.")
    vulnerable = [str(h.number) for h in hazards if h.vulnerable_group_status != "confirmed"]
    if vulnerable and len(vulnerable) == len(hazards):
        out.append("Vulnerable age groups are not confirmed for any hazard.")
    elif vulnerable:
        out.append(f"Vulnerable age groups not confirmed for hazards {', '.join(vulnerable)}.")
    return tuple(out)
