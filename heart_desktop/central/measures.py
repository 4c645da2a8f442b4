"""The partnership measures counted at the office, in SQL, from the per-case facts.

Why a facts table: ``records`` holds every row as JSON, so counting a quarter from it would parse
every case's JSON on every report. Instead each case is reduced once to a flat row of day numbers
and flags (``domain.measures.case_facts``) in ``measure_facts`` and ``measure_events``, kept up to a
feed sequence number: :func:`refresh` re-derives only the cases the feed names after it (the feed
is the office's ordered record of every change, so nothing is missed and a push pays nothing). The
report refreshes first, and the server refreshes hourly, so the work is small.

A report is a handful of queries, one per date that cuts the quarter (enquiry, telephone assessment,
visit, approval, works complete, outcome; an event's date or decision), each an index range scan
grouped by council with one ``SUM(CASE ...)`` per measure, plus one scan for the measures taken at
the period's end. ``domain.measures.finish`` turns the tallies into the report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.measures import (
    CASE_FACTS,
    EVENT_FACTS,
    FACT_ENTITIES,
    Condition,
    Measure,
    MeasuresError,
    MeasureSet,
    Period,
    Tally,
    case_facts,
    check_councils,
    councils,
    finish,
    measure_set,
)

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction

FACTS_VERSION = "1"  # bump when case_facts derives differently: every case is derived again
CHUNK = 400
FACT_COLUMNS = tuple(CASE_FACTS)
EVENT_COLUMNS = tuple(EVENT_FACTS)


# --- keeping the facts -------------------------------------------------------------------------


def refresh(db: CentralDatabase) -> int:
    """Derive the facts of every case changed since the last refresh; returns how many cases.
    Under the feed lock, so the sequence number reached is exact and two refreshes never race."""
    with db.transaction(feed=True) as tx:
        state = tx.one("SELECT seq, version FROM measure_state WHERE name = 'facts'")
        mark = int(state[0]) if state and state[1] == FACTS_VERSION else 0
        top = int(tx.one("SELECT coalesce(max(seq), 0) FROM feed")[0])
        if top <= mark and state is not None:
            return 0
        if mark == 0:
            # an erased case's facts are kept, anonymised (central/retention.py): they cannot be derived again
            kept = "WHERE case_id NOT IN (SELECT case_id FROM erased_cases)"
            tx.execute(f"DELETE FROM measure_facts {kept}")
            tx.execute(f"DELETE FROM measure_events {kept}")
            case_ids = [r[0] for r in tx.all("SELECT id FROM records WHERE entity = 'case'")]
        else:
            case_ids = [r[0] for r in tx.all("SELECT DISTINCT case_id FROM feed WHERE seq > ? AND seq <= ? AND "
                                             "case_id IS NOT NULL AND case_id NOT IN (SELECT case_id FROM "
                                             "erased_cases)", (mark, top))]
        ms = measure_set()
        for start in range(0, len(case_ids), CHUNK):
            _derive(tx, case_ids[start:start + CHUNK], ms)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if state is None:
            tx.execute("INSERT INTO measure_state (name, seq, version, at) VALUES ('facts', ?, ?, ?)",
                       (top, FACTS_VERSION, now))
        else:
            tx.execute("UPDATE measure_state SET seq = ?, version = ?, at = ? WHERE name = 'facts'",
                       (top, FACTS_VERSION, now))
    return len(case_ids)


def _derive(tx: Transaction, case_ids: Sequence[str], ms: MeasureSet) -> None:
    marks = ", ".join("?" for _ in case_ids)
    by_case: dict[str, list[tuple[str, str, str | None, str]]] = defaultdict(list)
    # the entities are chosen here, not in SQL: ``entity IN (...)`` leads SQLite to the primary key
    # (entity, id) and a scan of every row of those entities, instead of the case_id index
    for entity, row_id, case_id, council, fields in tx.all(
            f"SELECT entity, id, case_id, council, fields FROM records WHERE case_id IN ({marks})", case_ids):
        if entity in FACT_ENTITIES:
            by_case[case_id].append((entity, row_id, council, fields))
    facts, events = [], []
    for case_id in case_ids:
        rows = by_case.get(case_id, [])
        case = next(((council, json.loads(fields)) for entity, row_id, council, fields in rows
                     if entity == "case" and row_id == case_id), None)
        if case is None or case[1].get("deleted"):
            continue
        others = [(entity, row_id, json.loads(fields)) for entity, row_id, _c, fields in rows if entity != "case"]
        fact, case_events = case_facts(case_id, str(case[0]), case[1], others, ms)
        facts.append(tuple(fact[c] for c in FACT_COLUMNS))
        events += [tuple(e[c] for c in EVENT_COLUMNS) for e in case_events]
    tx.execute(f"DELETE FROM measure_facts WHERE case_id IN ({marks})", case_ids)
    tx.execute(f"DELETE FROM measure_events WHERE case_id IN ({marks})", case_ids)
    if facts:
        tx.executemany(f"INSERT INTO measure_facts ({', '.join(FACT_COLUMNS)}) VALUES "
                       f"({', '.join('?' for _ in FACT_COLUMNS)})", facts)
    if events:
        tx.executemany(f"INSERT INTO measure_events ({', '.join(EVENT_COLUMNS)}) VALUES "
                       f"({', '.join('?' for _ in EVENT_COLUMNS)})", events)


# --- conditions as SQL -------------------------------------------------------------------------


def condition_sql(c: Condition, period: Period, prefix: str = "") -> tuple[str, list[Any]]:
    """One condition of ``measures.toml`` as SQL over the facts, with its parameters."""
    col = f"{prefix}{c.column}"
    start, end = period.start.toordinal(), period.end.toordinal()
    if c.op == "in_period":
        return f"{col} BETWEEN ? AND ?", [start, end]
    if c.op == "by_end":
        return f"{col} <= ?", [end]
    if c.op == "not_by_end":
        return f"({col} IS NULL OR {col} > ?)", [end]
    if c.op in ("set", "unset"):
        return f"{col} IS {'NOT ' if c.op == 'set' else ''}NULL", []
    if c.op == "yes":
        return f"{col} = 1", []
    if c.op == "no":
        return f"({col} IS NULL OR {col} <> 1)", []
    if c.op == "is":
        return f"{col} = ?", [c.value]
    if c.op == "is_not":
        return f"({col} IS NULL OR {col} <> ?)", [c.value]
    if c.op in ("in", "not_in"):
        marks = ", ".join("?" for _ in c.values)
        if c.op == "in":
            return f"{col} IN ({marks})", list(c.values)
        return f"({col} IS NULL OR {col} NOT IN ({marks}))", list(c.values)
    if c.op == "not_after":
        return f"({col} IS NOT NULL AND {prefix}{c.value} IS NOT NULL AND {col} <= {prefix}{c.value})", []
    raise MeasuresError(f"unknown condition {c.op!r}")


def where_sql(conditions: Iterable[Condition], period: Period, prefix: str = "") -> tuple[str, list[Any]]:
    parts, params = [], []
    for c in conditions:
        sql, values = condition_sql(c, period, prefix)
        parts.append(sql)
        params += values
    return " AND ".join(parts) or "1 = 1", params


def _anchor(conditions: Sequence[Condition]) -> str:
    """The date that cuts the period for these conditions (an index range), or '' for a scan."""
    return next((c.column for c in conditions if c.op == "in_period"), "")


@dataclass
class _Part:
    key: str
    what: str  # rows, n, total, low, high, base
    sql: str
    params: list[Any]


def _parts(measure: Measure, period: Period) -> list[_Part]:
    """The aggregates one measure needs, each a ``SUM``/``MIN``/``MAX`` over ``CASE``."""
    anchor = _anchor(measure.where)
    rest = [c for c in measure.where if not (c.op == "in_period" and c.column == anchor)]
    where, params = where_sql(rest, period)
    value = measure.value
    parts = [_Part(measure.key, "rows", f"SUM(CASE WHEN {where} THEN 1 ELSE 0 END)", params)]
    if measure.days:
        a, b = value.column, value.to
        both = f"{where} AND {a} IS NOT NULL AND {b} IS NOT NULL"
        parts += [_Part(measure.key, "n", f"SUM(CASE WHEN {both} THEN 1 ELSE 0 END)", params),
                  _Part(measure.key, "total", f"SUM(CASE WHEN {both} THEN {b} - {a} END)", params),
                  _Part(measure.key, "low", f"MIN(CASE WHEN {both} THEN {b} - {a} END)", params),
                  _Part(measure.key, "high", f"MAX(CASE WHEN {both} THEN {b} - {a} END)", params)]
    elif value.kind in ("average", "percent"):
        col = value.column
        parts += [_Part(measure.key, "n", f"SUM(CASE WHEN {where} AND {col} IS NOT NULL THEN 1 ELSE 0 END)", params),
                  _Part(measure.key, "total", f"SUM(CASE WHEN {where} THEN {col} END)", params)]
    return parts


def _base_part(measure: Measure, period: Period) -> tuple[str, _Part]:
    anchor = _anchor(measure.rate_base)
    rest = [c for c in measure.rate_base if not (c.op == "in_period" and c.column == anchor)]
    where, params = where_sql(rest, period)
    return anchor, _Part(measure.key, "base", f"SUM(CASE WHEN {where} THEN 1 ELSE 0 END)", params)


def _run(tx: Transaction, table: str, anchor: str, parts: Sequence[_Part], period: Period,
         chosen: Sequence[str], by_type: bool) -> list[tuple[tuple[str, str | None], dict[tuple[str, str], float]]]:
    """One query: the parts, grouped by council (and type), over ``anchor``'s range."""
    select = ", ".join(p.sql for p in parts)
    params: list[Any] = [v for p in parts for v in p.params]
    marks = ", ".join("?" for _ in chosen)
    where = f"council IN ({marks})"
    params += list(chosen)
    if anchor:
        where += f" AND {anchor} BETWEEN ? AND ?"
        params += [period.start.toordinal(), period.end.toordinal()]
    group = "council, adaptation_type" if by_type else "council"
    kind = "adaptation_type" if by_type else "NULL"
    out = []
    for row in tx.all(f"SELECT council, {kind}, {select} FROM {table} WHERE {where} GROUP BY {group}", params):
        values = {(p.key, p.what): (float(v) if v is not None else None) for p, v in zip(parts, row[2:], strict=True)}
        out.append(((str(row[0]), row[1]), values))  # type: ignore[arg-type]
    return out


def report(db: CentralDatabase, period: Period, chosen: Sequence[str] | None = None,
           ms: MeasureSet | None = None, fresh: bool = True) -> dict[str, Any]:
    """Every measure for ``period`` over ``chosen`` councils (all by default), as the report JSON."""
    ms = ms or measure_set()
    chosen = check_councils(chosen) if chosen else councils()
    if fresh:
        refresh(db)
    plans: dict[tuple[str, str, bool], list[_Part]] = defaultdict(list)
    for measure in ms.measures:
        if measure.cannot:
            continue
        table = "measure_events" if measure.table == "events" else "measure_facts"
        plans[(table, _anchor(measure.where), measure.by_type)] += _parts(measure, period)
        if measure.rate_base:
            anchor, part = _base_part(measure, period)
            plans[(table, anchor, measure.by_type)].append(part)
    tallies: dict[str, dict[str, Tally]] = defaultdict(dict)
    typed: dict[str, dict[str, dict[str, Tally]]] = defaultdict(lambda: defaultdict(dict))
    with db.transaction() as tx:
        for (table, anchor, by_type), parts in plans.items():
            for (council, kind), values in _run(tx, table, anchor, parts, period, chosen, by_type):
                for (key, what), value in values.items():
                    if by_type:
                        if kind is None:
                            continue
                        target = typed[key][str(kind)].setdefault(council, Tally())
                    else:
                        target = tallies[key].setdefault(council, Tally())
                    if what in ("rows", "n", "base"):
                        setattr(target, what, getattr(target, what) + int(value or 0))
                    elif what == "total":
                        target.total += value or 0.0
                    else:
                        setattr(target, what, value)
    # the per-type measures' totals across types are the same counts without the type
    for measure in ms.measures:
        if measure.by_type and measure.value.kind != "types":
            for kind_tallies in typed.get(measure.key, {}).values():
                for council, tally in kind_tallies.items():
                    tallies[measure.key][council] = tallies[measure.key].get(council, Tally()).add(tally)
    result = finish(ms, period, chosen, tallies, typed)
    with db.transaction() as tx:
        state = tx.one("SELECT at FROM measure_state WHERE name = 'facts'")
    result["facts_at"] = state[0] if state else None
    return result


def drill(db: CentralDatabase, key: str, period: Period, chosen: Sequence[str],
          adaptation_type: str | None = None, ms: MeasureSet | None = None) -> list[str]:
    """The references of the cases a measure counts in ``chosen`` councils (no personal data)."""
    ms = ms or measure_set()
    measure = ms.measure(key)
    chosen = check_councils(chosen)
    if measure.cannot:
        raise MeasuresError(f"{key} is not computed: {measure.cannot}")
    if adaptation_type is not None and adaptation_type not in ms.adaptation_types:
        raise MeasuresError(f"{adaptation_type!r} is not a type of major adaptation "
                            f"({', '.join(ms.adaptation_types)})")
    refresh(db)
    marks = ", ".join("?" for _ in chosen)
    if measure.table == "events":
        where, params = where_sql(measure.where, period, "e.")
        sql = (f"SELECT DISTINCT f.reference FROM measure_events e JOIN measure_facts f ON f.case_id = e.case_id "
               f"WHERE {where} AND e.council IN ({marks}) ORDER BY f.reference")
    else:
        where, params = where_sql(measure.where, period)
        if adaptation_type:
            where += " AND adaptation_type = ?"
            params.append(adaptation_type)
        sql = f"SELECT reference FROM measure_facts WHERE {where} AND council IN ({marks}) ORDER BY reference"
    with db.transaction() as tx:
        return [str(r[0]) for r in tx.all(sql, [*params, *chosen]) if r[0] is not None]


# --- for the app: a manager's councils only ----------------------------------------------------


def _asked(role: str, own: frozenset[str], quarter: str | None, start: str | None, end: str | None,
           council: list[str] | None) -> tuple[Period, tuple[str, ...]]:
    """The period and councils a device asked for, refused unless it is a manager's and the councils
    are theirs."""
    from heart_desktop.central.service import ServiceError
    from heart_desktop.domain.measures import parse_quarter, parse_range
    from heart_desktop.domain.permissions import ACTS, NotPermitted, may

    if not may(role, "view_measures"):
        raise ServiceError(403, "not_permitted", str(NotPermitted(ACTS["view_measures"], role)))
    try:
        if quarter and (start or end):
            raise MeasuresError("give quarter or from and to, not both")
        period = parse_quarter(quarter) if quarter else parse_range(start or "", end or "")
        chosen = check_councils(council or [c for c in councils() if c in own])
    except MeasuresError as exc:
        raise ServiceError(422, "bad_request", str(exc)) from None
    outside = [c for c in chosen if c not in own]
    if outside or not chosen:
        raise ServiceError(403, "not_your_council",
                           f"this officer does not cover {', '.join(outside) or 'any council'}")
    return period, chosen


def for_device(db: CentralDatabase, role: str, own: frozenset[str], quarter: str | None, start: str | None,
               end: str | None, council: list[str] | None) -> dict[str, Any]:
    """The report for the councils asked (the caller's by default): aggregates only."""
    period, chosen = _asked(role, own, quarter, start, end, council)
    return report(db, period, chosen)


def cases_for_device(db: CentralDatabase, role: str, own: frozenset[str], key: str, quarter: str | None,
                     start: str | None, end: str | None, council: list[str] | None,
                     adaptation_type: str | None) -> dict[str, Any]:
    """The references a measure counts, in the caller's councils only."""
    from heart_desktop.central.service import ServiceError

    period, chosen = _asked(role, own, quarter, start, end, council)
    try:
        references = drill(db, key, period, chosen, adaptation_type)
    except MeasuresError as exc:
        raise ServiceError(422, "bad_request", str(exc)) from None
    return {"measure": key, "period": period.as_json(), "councils": list(chosen), "references": references}
