"""Cases: the journalled case row, its stage dates, and the caseload list the UI pages through.

The list reads only ``cases`` (customer, postcode and next visit are copied onto the case row
by the repositories, outside the journal) so paging, sorting and filtering 50,000 cases is one
indexed query per 200-row page; nothing ever loads the whole caseload.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.casework import STAGE_KEYS, check_stage_dates, current_stage
from heart_desktop.store import search
from heart_desktop.store.errors import NotFoundError, StoreError
from heart_desktop.store.repository import Repository
from heart_desktop.store.schema import CASE

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

STAGE_RANK: dict[str, int] = {key: i for i, key in enumerate(STAGE_KEYS)}
LIST_COLUMNS = ("id", "reference", "customer", "postcode", "council", "stage", "urgent", "urgent_reason",
                "priority_flags", "assigned_officer", "next_visit", "address", "outcome", "allocated_to",
                "allocated_role", "priority_reason", "suspended", "enquiry_on")
# sort key -> ((expression, ascending), ...)
SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "default": (("urgent", False), ("reference", True)),
    "reference": (("reference", True),),
    "customer": (("customer COLLATE NOCASE", True), ("reference", True)),
    "postcode": (("postcode", True), ("reference", True)),
    "council": (("council", True), ("reference", True)),
    "stage": (("stage_rank", True), ("reference", True)),
    "priority": (("urgent", False), ("reference", True)),
    "officer": (("assigned_officer", True), ("reference", True)),
    "next_visit": (("next_visit IS NULL", True), ("next_visit", True), ("reference", True)),
    "address": (("address COLLATE NOCASE", True), ("reference", True)),
}
REFERENCE_NUMBER = re.compile(r"^[A-Z]+/\d\d/(\d{5})$")


def _stage_fields(dates: Mapping[str, date | None]) -> dict[str, Any]:
    stage = current_stage(dates)
    return {"stage": stage, "stage_rank": STAGE_RANK[stage]}


class Cases(Repository):
    def __init__(self, store: Store) -> None:
        super().__init__(store, CASE)

    # --- writing -------------------------------------------------------------------------------

    def create(self, council: str, reference: str | None = None, **fields: Any) -> str:
        """A new case at the enquiry stage (or the stage its dates reach)."""
        with self.store.transaction():
            dates = {key: fields.get(f"{key}_on") for key in STAGE_KEYS}
            check_stage_dates(dates)
            values = {"council": council, "reference": reference or self.next_reference(council), **fields,
                      **_stage_fields(dates)}
            return self.insert(values)

    def next_reference(self, council: str, on: date | None = None) -> str:
        """The next number of the council's year on this laptop (``WDC/26/00123``). Laptops number
        offline, so this is provisional: the office keeps it if it is free there, or gives the next
        free one, and the laptop takes the office's number on its next pull (``sync_apply._make_way``
        moves a local case aside, marked ``~``, when another laptop's case holds its number)."""
        year = (on or date.today()).year % 100
        prefix = f"{council}/{year:02d}/"
        numbers = [int(m.group(1)) for (ref,) in self.store.conn.execute(
            "SELECT reference FROM cases WHERE reference LIKE ? ORDER BY reference DESC LIMIT 50", (prefix + "%",))
            if (m := REFERENCE_NUMBER.match(ref.split("~", 1)[0]))]
        return f"{prefix}{max(numbers, default=0) + 1:05d}"

    def reference_confirmed(self, case_id: str) -> bool:
        """Whether the office has taken the case's reference (its creation is acknowledged)."""
        row = self.store.conn.execute("SELECT 1 FROM journal WHERE entity = 'case' AND entity_id = ? AND op = "
                                      "'insert' AND acked_at IS NULL LIMIT 1", (case_id,)).fetchone()
        return row is None

    def _after_write(self, id: str, changes: Mapping[str, Any]) -> None:
        if "reference" in changes or "deleted" in changes:
            n = self.store.conn.execute("SELECT n FROM cases WHERE id = ?", (id,)).fetchone()[0]
            search.index_cases(self.store.conn, [n])

    def refresh_derived(self, case_id: str) -> None:
        """Copy the applicant's name, the postcode and the next planned visit onto the case row."""
        conn = self.store.conn
        row = conn.execute("SELECT n FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no case {case_id}")
        conn.execute(
            """UPDATE cases SET
                 customer = (SELECT given_name || ' ' || family_name FROM people
                              WHERE case_id = ?1 AND deleted = 0 ORDER BY is_applicant DESC, rowid LIMIT 1),
                 postcode = (SELECT postcode FROM properties WHERE case_id = ?1 AND deleted = 0
                              ORDER BY rowid LIMIT 1),
                 next_visit = (SELECT min(scheduled_for) FROM visits
                                WHERE case_id = ?1 AND deleted = 0 AND status = 'planned'),
                 address = (SELECT address_line1 || coalesce(', ' || town, '') FROM properties
                             WHERE case_id = ?1 AND deleted = 0 ORDER BY rowid LIMIT 1)
               WHERE id = ?1""",
            (case_id,),
        )
        search.index_cases(conn, [row[0]])

    # --- the caseload list ---------------------------------------------------------------------

    def _where(self, filters: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
        filters = filters or {}
        clauses, params = ["c.deleted = 0"], []
        for key, column in (("council", "c.council"), ("officer", "c.assigned_officer")):
            if filters.get(key):
                clauses.append(f"{column} = ?")
                params.append(filters[key])
        if filters.get("stage"):
            if filters["stage"] not in STAGE_RANK:
                raise StoreError(f"unknown stage {filters['stage']!r}")
            clauses.append("c.stage_rank = ?")
            params.append(STAGE_RANK[filters["stage"]])
        if filters.get("urgent_only"):
            clauses.append("c.urgent = 1")
        if filters.get("open_only"):
            clauses.append("c.outcome IS NULL")
        text = filters.get("search") or ""
        expression = search.match_expression(text) if text.strip() else None
        if text.strip() and expression is None:
            clauses.append("0")
        elif expression:
            clauses.append("c.n IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)")
            params.append(expression)
        return " AND ".join(clauses), params

    def count(self, filters: Mapping[str, Any] | None = None) -> int:
        where, params = self._where(filters)
        return int(self.store.conn.execute(f"SELECT count(*) FROM cases c WHERE {where}", params).fetchone()[0])

    def page(self, offset: int, limit: int, sort: str = "default", descending: bool = False,
             filters: Mapping[str, Any] | None = None, today: date | None = None) -> list[dict[str, Any]]:
        """One page of light rows for the caseload table (keys in ``LIST_COLUMNS``, officer as ``officer``).

        A search (``filters["search"]``) narrows the rows; the order is always ``sort``, so pages
        stay stable and every sort is served by an index over live cases. The default order puts
        the visits booked for ``today`` first (by time), then urgent cases, then by reference:
        the officer's day, then what cannot wait.
        """
        if sort not in SORTS:
            raise StoreError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
        where, params = self._where(filters)
        if sort == "default" and not descending:
            return self._page_today_first(where, params, offset, limit, today or date.today())
        order = ", ".join(f"c.{expr} {'ASC' if asc != descending else 'DESC'}" for expr, asc in SORTS[sort])
        return self._list_rows(where, params, order, offset, limit)

    def _list_rows(self, where: str, params: list[Any], order: str, offset: int, limit: int) -> list[dict[str, Any]]:
        columns = ", ".join(f"c.{c}" for c in LIST_COLUMNS)
        sql = f"SELECT {columns} FROM cases c WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
        return [_list_row(r) for r in self.store.conn.execute(sql, [*params, limit, offset])]

    def _page_today_first(self, where: str, params: list[Any], offset: int, limit: int,
                          today: date) -> list[dict[str, Any]]:
        """Two index-served runs: today's visits (a handful), then everyone else in the default order."""
        start, end = today.isoformat(), (today + timedelta(days=1)).isoformat()
        is_today = "c.next_visit >= ? AND c.next_visit < ?"
        today_where, today_params = f"{where} AND {is_today}", [*params, start, end]
        booked = int(self.store.conn.execute(f"SELECT count(*) FROM cases c WHERE {today_where}",
                                             today_params).fetchone()[0])
        rows: list[dict[str, Any]] = []
        if offset < booked:
            rows = self._list_rows(today_where, today_params, "c.next_visit, c.reference", offset, limit)
        rest = limit - len(rows)
        if rest > 0:
            rest_where = f"{where} AND NOT (c.next_visit IS NOT NULL AND {is_today})"
            rows += self._list_rows(rest_where, [*params, start, end], "c.urgent DESC, c.reference",
                                 max(0, offset - booked), rest)
        return rows

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Best matches for what the officer typed, best first, as caseload rows (none for empty text)."""
        numbers = search.search_numbers(self.store.conn, text, limit)
        if not numbers:
            return []
        columns = ", ".join(f"c.{c}" for c in LIST_COLUMNS)
        marks = ", ".join("?" for _ in numbers)
        rows = {r[0]: r[1:] for r in self.store.conn.execute(
            f"SELECT c.n, {columns} FROM cases c WHERE c.deleted = 0 AND c.n IN ({marks})", list(numbers))}
        return [_list_row(rows[n]) for n in numbers if n in rows]

    def councils(self) -> list[str]:
        return [r[0] for r in self.store.conn.execute("SELECT DISTINCT council FROM cases WHERE deleted = 0 "
                                                      "ORDER BY council")]

    def officers(self) -> list[str]:
        return [r[0] for r in self.store.conn.execute(
            "SELECT DISTINCT assigned_officer FROM cases WHERE deleted = 0 AND assigned_officer IS NOT NULL "
            "ORDER BY assigned_officer")]

    def by_reference(self, reference: str) -> dict[str, Any]:
        found = self.where("reference = ?", (reference,))
        if not found:
            raise NotFoundError(f"no case {reference}")
        return found[0]

    # --- the whole case ------------------------------------------------------------------------

    def detail(self, case_id: str, audit: bool = True, household: bool = True,
               reason: str = "opened the case") -> dict[str, Any]:
        """Everything about one case for the workspace; records a "view" in the audit log (with
        ``reason``, why it was read).

        ``previous_awards`` are the certified awards of the household's other cases (the same
        property), which the safety grant's allowance, the WaSH repeat rule and a successive DFG
        need; ``household=False`` leaves them out (as when judging one of those earlier cases)."""
        s = self.store
        case = self.get(case_id)
        out = {
            "case": case,
            "stage_dates": s.stages.get(case_id),
            "people": s.people.for_case(case_id),
            "property": s.properties.for_case_one(case_id),
            "visits": s.visits.for_case(case_id),
            "forms": s.forms.for_case(case_id),
            "hazards": s.hazards.for_case(case_id),
            "works": s.works.for_case(case_id),
            "attachments": s.attachments.for_case(case_id),
            "documents": s.documents.for_case(case_id),
            "decisions": s.decisions.for_case(case_id),
            "notes": s.notes.for_case(case_id),
            "contacts": s.contacts.for_case(case_id),
            "stage_events": s.stage_events.for_case(case_id),
            "appeals": s.appeals.for_case(case_id),
        }
        if household:
            from heart_desktop.domain.policy import policy_set
            from heart_desktop.store.household import household_awards

            out["previous_awards"] = household_awards(s, case_id, out["property"], tuple(policy_set().councils))
        if audit:
            s.audit.append("view", case_id=case_id, entity="case", entity_id=case_id, reason=reason)
        return out


def _list_row(row: tuple[Any, ...]) -> dict[str, Any]:
    import json

    out = dict(zip(LIST_COLUMNS, row, strict=True))
    out["urgent"] = bool(out["urgent"])
    out["priority_flags"] = json.loads(out["priority_flags"] or "[]")
    out["officer"] = out.pop("assigned_officer")
    return out


class StageDates:
    """The dates a case reached each stage (policy 13.1, KPM 10-17), validated by the domain."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, case_id: str) -> dict[str, date | None]:
        case = self.store.cases.get(case_id)
        return {key: case[f"{key}_on"] for key in STAGE_KEYS}

    def set(self, case_id: str, stage: str, when: date | None, today: date | None = None) -> dict[str, date | None]:
        return self.set_many(case_id, {stage: when}, today=today)

    def set_many(self, case_id: str, dates: Mapping[str, date | None],
                 today: date | None = None) -> dict[str, date | None]:
        """Record (or clear, with ``None``) stage dates; refuses a set that runs backwards or
        into the future (``StageOrderError``) before anything is written."""
        from heart_desktop.store.case_facts import SCHEDULE_FORM, latest_answers

        with self.store.transaction():
            merged = {**self.get(case_id), **dates}
            consent = latest_answers(self.store.forms.for_case(case_id), SCHEDULE_FORM).get("early_start_reason")
            check_stage_dates(merged, today=today or date.today(), early_start_reason=str(consent or ""))
            changes = {f"{key}_on": when for key, when in dates.items()}
            self.store.cases.update(case_id, {**changes, **_stage_fields(merged)})
        return merged
