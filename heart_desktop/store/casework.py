"""The casework rows and the reads the casework screens need: the contact log, who set each stage
date and why, the likely duplicates of a new enquiry, the officer's day (visits and follow-ups
due) and the waiting lists.

Writes go through the repositories (journalled, synced, announced); the reads here are plain
indexed queries over the store's own tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from heart_desktop.store.records import _CaseChild
from heart_desktop.store.schema import CONTACT, STAGE_EVENT

if TYPE_CHECKING:
    from heart_desktop.store.database import Store


class Contacts(_CaseChild):
    """Calls, letters, emails and visits: when, which way, with whom, what was said, and the
    follow-up it needs. The author is the signed-in officer."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, CONTACT)

    def add(self, case_id: str, values: Mapping[str, Any]) -> str:
        return self.insert({**values, "case_id": case_id, "author": self.store.officer})


class StageEvents(_CaseChild):
    """Who set each stage date, from what event, and why (a correction carries its reason)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, STAGE_EVENT)

    def record(self, case_id: str, stage: str, on: date | None, event: str, reason: str | None = None) -> str:
        return self.insert({"case_id": case_id, "stage": stage, "stage_on": on, "event": event, "reason": reason,
                            "set_by": self.store.officer, "set_at": self.store.clock.now()[:24]})

    def latest(self, case_id: str) -> dict[str, dict[str, Any]]:
        """The last event of each stage: who set its date as it stands."""
        out: dict[str, dict[str, Any]] = {}
        for row in self.for_case(case_id):
            out[row["stage"]] = row
        return out


# --- reads ------------------------------------------------------------------------------------------


def likely_duplicates(store: Store, given_name: str, family_name: str, born: date | None,
                      postcode: str) -> list[dict[str, Any]]:
    """Cases with a person of the same name and date of birth at the same postcode (any case,
    open or closed), newest first: the duty desk's check before a new enquiry is saved."""
    if born is None:
        return []
    rows = store.conn.execute(
        """SELECT DISTINCT c.id, c.reference, c.stage, c.outcome, c.council, p.given_name, p.family_name
             FROM people p JOIN cases c ON c.id = p.case_id JOIN properties pr ON pr.case_id = c.id
            WHERE p.deleted = 0 AND c.deleted = 0 AND pr.deleted = 0 AND p.date_of_birth = ?
              AND lower(p.family_name) = lower(?) AND lower(p.given_name) = lower(?)
              AND replace(upper(pr.postcode), ' ', '') = replace(upper(?), ' ', '')
            ORDER BY c.enquiry_on DESC, c.reference DESC""",
        (born.isoformat(), family_name.strip(), given_name.strip(), postcode)).fetchall()
    keys = ("id", "reference", "stage", "outcome", "council", "given_name", "family_name")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def visits_on(store: Store, day: date, officer: str | None) -> list[dict[str, Any]]:
    """The visits booked for ``day`` (by time), the officer's own (or on their cases), with what
    the officer needs at the door: address, phone, and the case's stage."""
    start, end = day.isoformat(), (day + timedelta(days=1)).isoformat()
    sql = """SELECT v.id, v.case_id, v.scheduled_for, v.kind, v.status, v.officer, c.reference, c.customer,
                    c.address, c.postcode, c.stage, c.outcome, c.suspended, c.contact_preference, c.advocate,
                    (SELECT phone FROM people WHERE case_id = c.id AND deleted = 0 AND phone IS NOT NULL
                      ORDER BY is_applicant DESC, rowid LIMIT 1)
               FROM visits v JOIN cases c ON c.id = v.case_id
              WHERE v.deleted = 0 AND c.deleted = 0 AND v.status = 'planned'
                AND v.scheduled_for >= ? AND v.scheduled_for < ?"""
    params: list[Any] = [start, end]
    if officer:
        sql += " AND (v.officer = ? OR (v.officer IS NULL AND c.assigned_officer = ?))"
        params += [officer, officer]
    sql += " ORDER BY v.scheduled_for, c.reference"
    keys = ("id", "case_id", "scheduled_for", "kind", "status", "officer", "reference", "customer", "address",
            "postcode", "stage", "outcome", "suspended", "contact_preference", "advocate", "phone")
    return [dict(zip(keys, r, strict=True)) for r in store.conn.execute(sql, params)]


def follow_ups_due(store: Store, day: date, officer: str | None) -> list[dict[str, Any]]:
    """Follow-ups of the contact log due by ``day`` and not yet done, the officer's own (written by
    them, or on their cases), oldest first."""
    sql = """SELECT k.id, k.case_id, k.follow_up_on, k.kind, k.direction, k.who, k.summary, k.author, c.reference,
                    c.customer, c.address,
                    (SELECT phone FROM people WHERE case_id = c.id AND deleted = 0 AND phone IS NOT NULL
                      ORDER BY is_applicant DESC, rowid LIMIT 1)
               FROM contacts k JOIN cases c ON c.id = k.case_id
              WHERE k.deleted = 0 AND c.deleted = 0 AND k.follow_up_on IS NOT NULL AND k.followed_up_on IS NULL
                AND k.follow_up_on <= ?"""
    params: list[Any] = [day.isoformat()]
    if officer:
        sql += " AND (k.author = ? OR c.assigned_officer = ?)"
        params += [officer, officer]
    sql += " ORDER BY k.follow_up_on, c.reference"
    keys = ("id", "case_id", "follow_up_on", "kind", "direction", "who", "summary", "author", "reference",
            "customer", "address", "phone")
    return [dict(zip(keys, r, strict=True)) for r in store.conn.execute(sql, params)]


def open_at_stage(store: Store, stage: str, unallocated: bool | None = None,
                  council: str | None = None) -> list[dict[str, Any]]:
    """Open cases whose latest stage is ``stage`` (optionally only those not yet allocated, and of one
    council), with what the queue order needs."""
    from heart_desktop.store.cases import STAGE_RANK

    sql = """SELECT id, reference, customer, council, enquiry_on, urgent, priority_reason, sanctioned_by,
                    priority_flags, suspended, assigned_officer, allocated_role, assistance_types, address
               FROM cases WHERE deleted = 0 AND outcome IS NULL AND stage_rank = ?"""
    params: list[Any] = [STAGE_RANK[stage]]
    if unallocated is True:
        sql += " AND assigned_officer IS NULL"
    if council:
        sql += " AND council = ?"
        params.append(council)
    import json

    keys = ("id", "reference", "customer", "council", "enquiry_on", "urgent", "priority_reason", "sanctioned_by",
            "priority_flags", "suspended", "officer", "allocated_role", "assistance_types", "address")
    out = []
    for row in store.conn.execute(sql, params):
        item = dict(zip(keys, row, strict=True))
        item["urgent"] = bool(item["urgent"])
        item["priority_flags"] = json.loads(item["priority_flags"] or "[]")
        item["assistance_types"] = json.loads(item["assistance_types"] or "[]")
        item["enquiry_on"] = date.fromisoformat(item["enquiry_on"]) if item["enquiry_on"] else None
        out.append(item)
    return out


def form_states(store: Store, case_id: str) -> list[tuple[str, str]]:
    """(form id, status) of the newest version of each form on a case."""
    from heart_desktop.store.case_facts import latest_form

    forms = store.forms.for_case(case_id)
    seen = []
    for form_id in dict.fromkeys(f["form_id"] for f in forms):
        latest = latest_form(forms, form_id)
        if latest is not None:
            seen.append((form_id, str(latest["status"])))
    return seen
