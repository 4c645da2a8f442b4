"""The partnership's measures (policy 13.3, the table headed 3.15) and the DFG delivery guidance's
further measures, as data (``resources/policy/measures.toml``) and the rules that count them.

Why in two halves: each case is first reduced to its *facts* (one flat row of dates as day numbers,
flags and a few labels, :func:`case_facts`) and *events* (interventions, compliments and complaints,
survey answers), then a measure is a filter over those rows and a count, average, best, poorest or
percentage of them. The office keeps the facts in a table and counts every measure for every council
in one SQL pass (``central/measures.py``, which translates each :class:`Condition`); this module
finishes the tallies into the report: per council, north and south (``councils.toml`` areas) and in
total, saying why where a measure cannot be computed instead of printing zero. No Qt, no SQL.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from heart_desktop.domain.casework import STAGE_KEYS
from heart_desktop.domain.dates import add_months
from heart_desktop.domain.policy import default_policy_dir, policy_set
from heart_desktop.domain.process import process

# not visit forms: the satisfaction survey is kept apart from the case (the survey promises it), so
# the form list, the Forms tab and the pack leave it out
SEPARATE_FORMS = frozenset({"satisfaction_survey"})

MEASURES_FILE = "measures.toml"
AREAS = ("north", "south")
STAGE_COLUMNS = tuple(f"{key}_on" for key in STAGE_KEYS)
ADL_COLUMNS = ("adl_nutrition", "adl_hygiene", "adl_toilet", "adl_clothing", "adl_safe_home", "adl_habitable_home",
               "adl_relationships", "adl_work_education", "adl_community", "adl_caring")
# the per-case facts: name -> kind (text, flag 0/1/null, day = date.toordinal(), int)
CASE_FACTS: dict[str, str] = {
    "case_id": "text", "reference": "text", "council": "text", "tenure": "text", "urgent": "flag",
    "adaptation_type": "text", "needs_major_adaptation": "flag", "outcome": "text",
    **{column: "day" for column in STAGE_COLUMNS}, "outcome_on": "day", "cost_pence": "int", "nhs_number": "flag",
    **{column: "flag" for column in ADL_COLUMNS},
    "working_days": "int", "within_target": "flag", "decided_in_time": "flag",
}
EVENT_FACTS: dict[str, str] = {"event_id": "text", "case_id": "text", "council": "text", "kind": "text",
                               "on_date": "day", "decided_on": "day", "flag": "flag"}
# where an event comes from: its entity and the date that puts it in a period
EVENT_ENTITIES = ("intervention", "feedback", "survey")
FACT_ENTITIES = ("case", "person", "property", "form_submission", "works_item", *EVENT_ENTITIES)


class MeasuresError(ValueError):
    """A bad period, council or measure, or a fault in measures.toml; the text says which."""


# --- periods -----------------------------------------------------------------------------------

_QUARTER = re.compile(r"^(\d{4})/(\d{2})-Q([1-4])$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def as_json(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "label": self.label}


def parse_quarter(text: str) -> Period:
    """``2026/27-Q3``: the councils' financial year starts in April, so Q1 is April to June and Q3
    of 2026/27 is October to December 2026."""
    match = _QUARTER.match(text.strip())
    if not match:
        raise MeasuresError(f"{text!r} is not a quarter: write the financial year and quarter, e.g. 2026/27-Q3 "
                            "(Q1 is April to June)")
    year, short, number = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if short != (year + 1) % 100:
        raise MeasuresError(f"{text!r}: the financial year {year}/{short:02d} is not two consecutive years "
                            f"(did you mean {year}/{(year + 1) % 100:02d}?)")
    month = 4 + 3 * (number - 1)
    start = date(year + (month > 12), (month - 1) % 12 + 1, 1)
    after = date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    return Period(start, after - timedelta(days=1), text.strip())


def quarter_of(day: date) -> Period:
    """The financial quarter that holds ``day``."""
    year = day.year if day.month >= 4 else day.year - 1
    number = (day.month - 4) % 12 // 3 + 1
    return parse_quarter(f"{year}/{(year + 1) % 100:02d}-Q{number}")


def previous_quarters(period: Period, count: int) -> list[Period]:
    """The ``count`` quarters ending with the one that holds ``period``'s last day, oldest first."""
    quarters = [quarter_of(period.end)]
    while len(quarters) < count:
        quarters.insert(0, quarter_of(quarters[0].start - timedelta(days=1)))
    return quarters


def parse_range(start: str, end: str) -> Period:
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise MeasuresError(f"--from {start} --to {end}: give both dates as YYYY-MM-DD") from None
    if last < first:
        raise MeasuresError(f"the period ends ({last}) before it starts ({first})")
    return Period(first, last, f"{first.isoformat()} to {last.isoformat()}")


# --- the measures as data ----------------------------------------------------------------------

_CONDITION = re.compile(r"^(\w+(?:\.\w+)?) (in period|by end|not by end|set|unset|yes|no|is not|is|not in|in|"
                        r"not after) ?(\S*)$")
_VALUE = re.compile(r"^(count|types|average days|best days|poorest days|average|percent) ?(\w*)(?: to (\w+))?$")


@dataclass(frozen=True)
class Condition:
    column: str
    op: str  # in_period, by_end, not_by_end, set, unset, yes, no, is, is_not, in, not_in, not_after
    value: str = ""
    values: tuple[str, ...] = ()  # the list named by ``in`` / ``not in``


@dataclass(frozen=True)
class Value:
    kind: str  # count, types, average_days, best_days, poorest_days, average, percent
    column: str = ""  # average / percent: the column; days: the start date
    to: str = ""  # days: the end date


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    group: str
    table: str  # "cases" or "events"
    where: tuple[Condition, ...]
    value: Value
    unit: str = "cases"
    source: str = "policy"  # or "guidance"
    note: str = ""
    by_type: bool = False
    rate_base: tuple[Condition, ...] = ()
    cannot: str = ""  # why it cannot be computed from what is recorded
    kind: str = ""

    @property
    def days(self) -> bool:
        return self.value.kind in ("average_days", "best_days", "poorest_days")


@dataclass(frozen=True)
class MeasureSet:
    measures: tuple[Measure, ...]
    groups: Mapping[str, str]
    lists: Mapping[str, tuple[str, ...]]
    adaptation_types: Mapping[str, str]
    intervention_kinds: Mapping[str, tuple[str, str]]  # kind -> (label, group)
    survey_themes: Mapping[str, str]  # theme -> the measure's title
    ratings: tuple[str, ...]
    good_or_better: frozenset[str]
    need_identified: frozenset[str]
    adl_form: str
    survey_form: str
    targets: Mapping[str, int]
    holidays: frozenset[date]
    holiday_years: tuple[int, int]
    source: Mapping[str, str]
    by_key: Mapping[str, Measure] = field(default_factory=dict)

    def measure(self, key: str) -> Measure:
        try:
            return self.by_key[key]
        except KeyError:
            raise MeasuresError(f"there is no measure {key!r}; the measures are "
                                f"{', '.join(m.key for m in self.measures)}") from None

    def describe(self, measure: Measure) -> str:
        """The definition as implemented, in words, from the conditions themselves."""
        if measure.cannot:
            return f"Not computed: {measure.cannot}."
        what = {"cases": "cases", "events": "recorded events"}[measure.table]
        words = " and ".join(_words(c, self) for c in measure.where)
        value = measure.value
        head = {"count": f"Number of {what}", "types": "Number of types of major adaptation, among cases",
                "average_days": f"Average calendar days from {_day(value.column)} to {_day(value.to)}, over {what}",
                "best_days": f"Fewest calendar days from {_day(value.column)} to {_day(value.to)}, over {what}",
                "poorest_days": f"Most calendar days from {_day(value.column)} to {_day(value.to)}, over {what}",
                "average": f"Average {value.column.replace('_', ' ')}, over {what}",
                "percent": f"Percent with {value.column.replace('_', ' ')}, of {what}"}[value.kind]
        text = f"{head} where {words}"
        if measure.by_type:
            text += "; given for each type of major adaptation"
        if measure.rate_base:
            text += "; with the rate of those where " + " and ".join(_words(c, self) for c in measure.rate_base)
        if measure.table == "events":
            flag = "rated good or better" if measure.kind.startswith("survey.") else "upheld"
            text = (text.replace("on date is in the period", "its date is in the period")
                    .replace("decided is in the period", "it was decided in the period")
                    .replace("flag is yes", f"it was {flag}").replace("Percent with flag", f"Percent {flag}")
                    .replace("survey.", "the survey's answer on "))
        return text + "." + (f" {measure.note}" if measure.note else "")


def _day(column: str) -> str:
    return column.removesuffix("_on").replace("_", " ")


def _words(c: Condition, measures: MeasureSet) -> str:
    name = c.column.replace("_", " ")
    if c.column == "kind":
        label = measures.intervention_kinds.get(c.value, (c.value.replace("_", " "), ""))[0]
        return f"the event is {'not ' if c.op == 'is_not' else ''}{label}"
    return {"in_period": f"{_day(c.column)} is in the period", "by_end": f"{_day(c.column)} is by the period's end",
            "not_by_end": f"no {_day(c.column)} by the period's end", "set": f"{name} is recorded",
            "unset": f"no {name} is recorded", "yes": f"{name} is yes", "no": f"{name} is not yes",
            "is": f"{name} is {c.value}", "is_not": f"{name} is not {c.value}",
            "in": f"{name} is one of {', '.join(c.values)}", "not_in": f"{name} is none of {', '.join(c.values)}",
            "not_after": f"{_day(c.column)} is on or before {_day(c.value)}"}[c.op]


def _outcome_keys() -> tuple[str, ...]:
    """The case outcomes are listed once, in the casework process; the measures name them."""
    return process().keys("outcomes")


def _conditions(texts: Any, lists: Mapping[str, tuple[str, ...]], where: str,
                columns: Mapping[str, str]) -> tuple[Condition, ...]:
    if not isinstance(texts, list):
        raise MeasuresError(f"{MEASURES_FILE} {where}: conditions must be a list of strings")
    found = []
    for text in texts:
        match = _CONDITION.match(str(text))
        if not match:
            raise MeasuresError(f"{MEASURES_FILE} {where}: {text!r} is not a condition")
        column, op, value = match.group(1), match.group(2).replace(" ", "_"), match.group(3)
        if column not in columns:
            raise MeasuresError(f"{MEASURES_FILE} {where}: {column!r} is not a fact ({', '.join(columns)})")
        values: tuple[str, ...] = ()
        if op in ("in", "not_in"):
            if value not in lists:
                raise MeasuresError(f"{MEASURES_FILE} {where}: no list {value!r} in [lists]")
            values = lists[value]
        if column == "outcome" and op in ("is", "is_not") and value not in _outcome_keys():
            raise MeasuresError(f"{MEASURES_FILE} {where}: {value!r} is not a case outcome of the casework "
                                f"process ({', '.join(_outcome_keys())})")
        if op == "not_after" and value not in columns:
            raise MeasuresError(f"{MEASURES_FILE} {where}: {value!r} is not a fact")
        found.append(Condition(column, op, value, values))
    return tuple(found)


def load_measures(path: Path) -> MeasureSet:
    """Read and check ``measures.toml``; a fault names the measure and what is wrong."""
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MeasuresError(f"{path}: {exc}") from None
    lists = {name: tuple(values) for name, values in doc.get("lists", {}).items()}
    survey = doc["survey"]
    themes: dict[str, str] = {}
    kinds: dict[str, tuple[str, str]] = {}
    measures: list[Measure] = []
    for table in doc.get("measure", []):
        key = str(table.get("key", ""))
        kind = str(table.get("kind", ""))
        if not key or not table.get("title") or table.get("group") not in doc["groups"]:
            raise MeasuresError(f"{MEASURES_FILE}: measure {key or '?'} needs a key, a title and a known group")
        events = bool(kind) or any(str(c).startswith("kind ") for c in table.get("where", []))
        columns = EVENT_FACTS if events else CASE_FACTS
        default = [f"kind is {kind}", "on_date in period"] if kind else []
        where = _conditions(table.get("where", default), lists, key, columns)
        match = _VALUE.match(str(table.get("value", "percent flag" if kind.startswith("survey.") else "count")))
        if not match:
            raise MeasuresError(f"{MEASURES_FILE} {key}: {table.get('value')!r} is not a value")
        value = Value(match.group(1).replace(" ", "_"), match.group(2), match.group(3) or "")
        for column in (value.column, value.to):
            if column and column not in columns:
                raise MeasuresError(f"{MEASURES_FILE} {key}: {column!r} is not a fact")
        measure = Measure(key, str(table["title"]), str(table["group"]), "events" if events else "cases", where,
                          value, str(table.get("unit", "cases")), str(table.get("source", "policy")),
                          str(table.get("note", "")), bool(table.get("by_type", False)),
                          _conditions(table.get("rate_base", []), lists, key, columns), str(table.get("cannot", "")),
                          kind)
        measures.append(measure)
        if kind.startswith("survey."):
            themes[kind.removeprefix("survey.")] = measure.title
        elif table.get("kind_group"):
            kinds[kind] = (measure.title.split(": ", 1)[-1], str(table["kind_group"]))
    keys = [m.key for m in measures]
    if len(set(keys)) != len(keys):
        raise MeasuresError(f"{MEASURES_FILE}: a measure key is used twice")
    if set(themes) != set(survey["themes"]):
        raise MeasuresError(f"{MEASURES_FILE}: the survey's themes and KPM 24 to 29 do not match")
    holidays = doc.get("bank_holidays", {})
    first, last = holidays.get("years", [0, 0])
    return MeasureSet(
        measures=tuple(measures), groups=dict(doc["groups"]), lists=lists,
        adaptation_types=dict(doc["adaptation_types"]), intervention_kinds=kinds,
        survey_themes={theme: themes[theme] for theme in survey["themes"]}, ratings=tuple(survey["ratings"]),
        good_or_better=frozenset(survey["good_or_better"]), need_identified=frozenset(doc["adl"]["need_identified"]),
        adl_form=str(doc["adl"]["form"]), survey_form=str(survey["form"]), targets=dict(doc["targets"]),
        holidays=frozenset(date.fromisoformat(d) for d in holidays.get("dates", [])),
        holiday_years=(int(first), int(last)), source=dict(doc.get("source", {})),
        by_key={m.key: m for m in measures})


@lru_cache(maxsize=4)
def _cached(path: Path) -> MeasureSet:
    return load_measures(path)


def measure_set(directory: Path | None = None) -> MeasureSet:
    """The measures (read once per process)."""
    return _cached(((directory or default_policy_dir()) / MEASURES_FILE).resolve())


@lru_cache(maxsize=1)
def _areas() -> dict[str, str]:
    return {code: council.area for code, council in policy_set().councils.items()}


def councils() -> tuple[str, ...]:
    return tuple(_areas())


def area_of(council: str) -> str:
    """North or south (councils.toml; read once: a report asks for every figure)."""
    try:
        return _areas()[council]
    except KeyError:
        return policy_set().council(council).area  # the policy's own refusal, naming the councils


def check_councils(codes: Iterable[str]) -> tuple[str, ...]:
    """The councils asked for, or a clear refusal naming the HEART councils."""
    known = councils()
    chosen = tuple(dict.fromkeys(codes))
    for code in chosen:
        if code not in known:
            raise MeasuresError(f"unknown council {code!r}: the HEART councils are {', '.join(known)}")
    return chosen


# --- facts -------------------------------------------------------------------------------------


def _day_number(value: Any) -> int | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _flag(value: Any) -> int | None:
    if value is None:
        return None
    return 1 if value in (True, 1, "1", "true", "yes") else 0


def working_days(start: date, end: date, holidays: frozenset[date]) -> int:
    """Working days after ``start`` up to and including ``end`` (weekends and bank holidays skipped)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count - sum(1 for h in holidays if start < h <= end and h.weekday() < 5)


def _latest_form(rows: Sequence[tuple[str, str, Mapping[str, Any]]], form_id: str) -> Mapping[str, Any] | None:
    done = [(str(f.get("signed_at") or f.get("completed_at") or ""), row_id, f) for entity, row_id, f in rows
            if entity == "form_submission" and f.get("form_id") == form_id
            and f.get("status") in ("complete", "signed")]
    return max(done, key=lambda item: (item[0], item[1]))[2] if done else None


def _cost(rows: Sequence[tuple[str, str, Mapping[str, Any]]]) -> int | None:
    from heart_desktop.domain.works import WorksError, WorksItem, schedule_totals

    items = []
    for entity, _row_id, f in rows:
        if entity != "works_item":
            continue
        try:
            items.append(WorksItem(str(f.get("location") or ""), str(f.get("description") or ""),
                                   Decimal(str(f.get("quantity"))), str(f.get("unit") or ""),
                                   int(f.get("rate_pence") or 0), Decimal(str(f.get("vat_percent") or 0))))
        except (WorksError, InvalidOperation, ValueError, TypeError):
            continue
    return schedule_totals(items).gross if items else None


def case_facts(case_id: str, council: str, case: Mapping[str, Any],
               rows: Sequence[tuple[str, str, Mapping[str, Any]]],
               measures: MeasureSet | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One case reduced to its facts and events. ``rows`` are the case's other rows as (entity, id,
    fields), deleted ones left out; what is not recorded is None (never a guessed zero)."""
    ms = measures or measure_set()
    live = [r for r in rows if not r[2].get("deleted")]
    people = [f for entity, _i, f in live if entity == "person"]
    homes = [f for entity, _i, f in live if entity == "property"]
    facts: dict[str, Any] = {name: None for name in CASE_FACTS}
    facts.update(case_id=case_id, reference=case.get("reference"), council=council,
                 tenure=next((h.get("tenure") for h in homes if h.get("tenure")), None),
                 urgent=_flag(case.get("urgent")) or 0, adaptation_type=case.get("adaptation_type") or None,
                 needs_major_adaptation=_flag(case.get("needs_major_adaptation")), outcome=case.get("outcome") or None,
                 outcome_on=_day_number(case.get("outcome_on")), cost_pence=_cost(live),
                 nhs_number=1 if any(p.get("nhs_number") for p in people) else 0)
    for column in STAGE_COLUMNS:
        facts[column] = _day_number(case.get(column))
    ot = _latest_form(live, ms.adl_form)
    if ot is not None:
        answers = ot.get("answers") or {}
        for column in ADL_COLUMNS:
            item = answers.get(column)
            facts[column] = 1 if isinstance(item, Mapping) and item.get("difficulty") in ms.need_identified else 0
    enquiry, complete = facts["enquiry_on"], facts["works_complete_on"]
    if enquiry is not None and complete is not None:
        days = working_days(date.fromordinal(enquiry), date.fromordinal(complete), ms.holidays)
        target = ms.targets["urgent_working_days" if facts["urgent"] else "non_urgent_working_days"]
        facts.update(working_days=days, within_target=1 if days <= target else 0)
    application, approval = facts["application_on"], facts["approval_on"]
    if application is not None and approval is not None:
        limit = add_months(date.fromordinal(application), int(ms.targets["decide_within_months"]))
        facts["decided_in_time"] = 1 if approval <= limit.toordinal() else 0
    return facts, case_events(case_id, council, live, ms)


def case_events(case_id: str, council: str, rows: Sequence[tuple[str, str, Mapping[str, Any]]],
                ms: MeasureSet) -> list[dict[str, Any]]:
    """Interventions, compliments and complaints, and each survey answer (one row per theme)."""
    events: list[dict[str, Any]] = []

    def add(event_id: str, kind: str, on: Any, decided: Any = None, flag: int | None = None) -> None:
        day = _day_number(on)
        if day is not None and kind:
            events.append({"event_id": event_id, "case_id": case_id, "council": council, "kind": kind,
                           "on_date": day, "decided_on": _day_number(decided), "flag": flag})

    for entity, row_id, f in rows:
        if entity == "intervention":
            add(f"intervention:{row_id}", str(f.get("kind") or ""), f.get("delivered_on"))
        elif entity == "feedback":
            add(f"feedback:{row_id}", str(f.get("kind") or ""), f.get("received_on"), f.get("decided_on"),
                _flag(f.get("upheld")))
        elif entity == "survey":
            answers = f.get("answers") or {}
            for theme in ms.survey_themes:
                rating = answers.get(theme) if isinstance(answers, Mapping) else None
                if rating in ms.ratings:
                    add(f"survey:{row_id}:{theme}", f"survey.{theme}", f.get("answered_on"), None,
                        1 if rating in ms.good_or_better else 0)
    return events


# --- finishing the tallies into the report -----------------------------------------------------


@dataclass
class Tally:
    """What the office counted for one measure in one council (and type): ``rows`` matching the
    conditions, ``n`` of them with the value recorded, its ``total``, ``low`` and ``high``, and
    ``base`` the rows meeting ``rate_base``."""

    rows: int = 0
    n: int = 0
    total: float = 0.0
    low: float | None = None
    high: float | None = None
    base: int = 0

    def add(self, other: Tally) -> Tally:
        low = [v for v in (self.low, other.low) if v is not None]
        high = [v for v in (self.high, other.high) if v is not None]
        return Tally(self.rows + other.rows, self.n + other.n, self.total + other.total,
                     min(low) if low else None, max(high) if high else None, self.base + other.base)


def _figure(measure: Measure, tally: Tally) -> float | int | None:
    kind = measure.value.kind
    if kind == "count":
        return tally.rows
    if tally.n == 0:
        return None
    if kind == "average_days":
        return round(tally.total / tally.n, 1)
    if kind in ("best_days", "poorest_days"):
        return int(tally.low if kind == "best_days" else tally.high)  # type: ignore[arg-type]
    if kind == "average":
        return round(tally.total / tally.n / 100, 2) if measure.unit == "GBP" else round(tally.total / tally.n, 1)
    return round(100 * tally.total / tally.n, 1)  # percent


def _why_none(measure: Measure, tally: Tally) -> str:
    if tally.rows == 0:
        return "no case or event in the period meets its conditions"
    what = {"average_days": f"both {_day(measure.value.column)} and {_day(measure.value.to)} dates",
            "best_days": "both dates", "poorest_days": "both dates"}.get(measure.value.kind,
                                                                         measure.value.column.replace("_", " "))
    return f"none of the {tally.rows} counted has {what} recorded"


def _spread(measure: Measure, tallies: Mapping[str, Tally], council_list: Sequence[str]) -> dict[str, Any]:
    """The figure per council, per area and in total, with the number of cases behind each."""
    groups: dict[str, list[str]] = {"total": list(council_list)}
    for area in AREAS:
        groups[area] = [c for c in council_list if area_of(c) == area]
    out: dict[str, Any] = {}
    sums: dict[str, Tally] = {}
    for name, members in groups.items():
        tally = Tally()
        for code in members:
            tally = tally.add(tallies.get(code, Tally()))
        sums[name] = tally
        out[name] = _figure(measure, tally) if members else None
    out["by_council"] = {code: _figure(measure, tallies.get(code, Tally())) for code in council_list}
    if measure.value.kind != "count":
        out["counted"] = {name: sums[name].n for name in groups} | {
            "by_council": {code: tallies.get(code, Tally()).n for code in council_list}}
    if measure.rate_base:
        def rate(t: Tally) -> float | None:
            return round(100 * t.rows / t.base, 1) if t.base else None

        out["rate_percent"] = {name: rate(sums[name]) for name in groups} | {
            "by_council": {code: rate(tallies.get(code, Tally())) for code in council_list}}
    if out["total"] is None and groups["total"]:
        out["why_not"] = _why_none(measure, sums["total"])
    return out


def finish(ms: MeasureSet, period: Period, council_list: Sequence[str],
           tallies: Mapping[str, Mapping[str, Tally]],
           typed: Mapping[str, Mapping[str, Mapping[str, Tally]]]) -> dict[str, Any]:
    """The report: ``tallies[measure][council]`` and, for per-type measures,
    ``typed[measure][type][council]``, as the JSON the verb writes and the app shows."""
    report: dict[str, Any] = {}
    for measure in ms.measures:
        entry: dict[str, Any] = {"title": measure.title, "group": measure.group, "unit": measure.unit,
                                 "source": "DFG delivery guidance 2022" if measure.source == "guidance"
                                 else "policy 3.15", "definition": ms.describe(measure)}
        if measure.cannot:
            entry.update(total=None, north=None, south=None, by_council={c: None for c in council_list},
                         not_computed=measure.cannot)
            report[measure.key] = entry
            continue
        if measure.value.kind == "types":
            by_type = typed.get(measure.key, {})
            per_type = {t: {c: Tally(rows=1) for c, tally in by_council.items() if tally.rows}
                        for t, by_council in by_type.items()}
            def present(codes: Sequence[str], per_type: Mapping[str, Mapping[str, Tally]] = per_type) -> int:
                return sum(1 for counts in per_type.values() if any(c in counts for c in codes))

            entry.update(total=present(council_list),
                         **{area: present([c for c in council_list if area_of(c) == area]) for area in AREAS},
                         by_council={c: present([c]) for c in council_list},
                         types={t: label for t, label in ms.adaptation_types.items()
                                if any(by_type.get(t, {}).get(c, Tally()).rows for c in council_list)})
            report[measure.key] = entry
            continue
        entry.update(_spread(measure, tallies.get(measure.key, {}), council_list))
        if measure.by_type:
            entry["by_type"] = {t: _spread(measure, typed.get(measure.key, {}).get(t, {}), council_list)
                                for t in ms.adaptation_types}
        report[measure.key] = entry
    notes = []
    first, last = ms.holiday_years
    if period.start.year < first or period.end.year > last:
        notes.append(f"working days skip weekends only outside {first} to {last} (bank holidays listed for those "
                     "years)")
    return {"period": {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period.label},
            "councils": list(council_list),
            "areas": {area: [c for c in council_list if area_of(c) == area] for area in AREAS},
            "groups": dict(ms.groups), "measures": report, "notes": notes}


def flat_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per measure (and per type of adaptation), for CSV and spreadsheets."""
    councils_ = list(report["councils"])
    rows = []
    for key, entry in report["measures"].items():
        def row(label: str, values: Mapping[str, Any], key: str = key, entry: Mapping[str, Any] = entry,
                kind: str = "") -> None:
            rows.append({"measure": key, "title": label, "type": kind, "group": entry["group"], "unit": entry["unit"],
                         "total": values.get("total"), "north": values.get("north"), "south": values.get("south"),
                         **{c: (values.get("by_council") or {}).get(c) for c in councils_},
                         "note": values.get("why_not") or entry.get("not_computed") or ""})

        row(entry["title"], entry)
        for kind, values in (entry.get("by_type") or {}).items():
            row(f"{entry['title']}: {kind}", values, kind=kind)
    return rows
