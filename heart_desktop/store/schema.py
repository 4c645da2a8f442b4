"""The syncable entities as data: table, journal name and each field's kind.

Repositories read and write through these specs, so encoding (dates as ISO text, JSON,
Decimals as text, flags as 0/1) is done in one place, and the journal records values in the
same JSON-friendly form that sync will send.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from heart_desktop.domain.casework import STAGE_KEYS

SYNC_FIELDS: tuple[str, ...] = ("id", "rev", "updated_at", "updated_by", "deleted")


@dataclass(frozen=True)
class Entity:
    name: str  # as the journal and sync call it
    table: str
    fields: dict[str, str]  # field -> kind: text, int, bool, date, datetime, json, decimal, real
    patch_fields: frozenset[str] = frozenset()  # JSON objects journalled key by key
    local_fields: frozenset[str] = frozenset()  # derived locally, never journalled
    order_by: str = "rowid"
    required: tuple[str, ...] = field(default=())


def _child(name: str, table: str, fields: dict[str, str], **kw: Any) -> Entity:
    return Entity(name, table, {"case_id": "text", **fields}, **kw)


CASE = Entity(
    "case", "cases",
    {
        "reference": "text", "council": "text", "assigned_officer": "text", "assistance_types": "json",
        "priority_flags": "json", "urgent": "bool", "urgent_reason": "text", "stage": "text",
        **{f"{key}_on": "date" for key in STAGE_KEYS},
        "large_print": "bool",  # the customer's documents in large print (issue 17)
        "stage_rank": "int", "customer": "text", "postcode": "text", "next_visit": "text",
        # casework (migration 6): the enquiry as taken (5.1), allocation (5.5), the out-of-order
        # sanction (9.3), the outcome, suspension (9.1) and the completion extension (13.2)
        "channel": "text", "referrer": "text", "referrer_contact": "text", "reason": "text",
        "contact_preference": "text", "advocate": "text", "allocated_to": "text", "allocated_role": "text",
        "priority_reason": "text", "sanctioned_by": "text", "outcome": "text", "outcome_on": "date",
        "outcome_reason": "text", "suspended": "text", "suspended_on": "date", "extension_to": "date",
        "extension_reason": "text", "address": "text",
        "adaptation_type": "text", "needs_major_adaptation": "bool",  # the partnership measures
    },
    local_fields=frozenset({"stage_rank", "customer", "postcode", "next_visit", "address"}),
    required=("reference", "council"),
)
PERSON = _child("person", "people", {
    "is_applicant": "bool", "is_disabled_person": "bool", "given_name": "text", "family_name": "text",
    "date_of_birth": "date", "relationship": "text", "phone": "text", "ni_number": "text", "email": "text",
    "nhs_number": "text",
}, order_by="is_applicant DESC, rowid", required=("given_name", "family_name"))
PROPERTY = _child("property", "properties", {
    "address_line1": "text", "address_line2": "text", "town": "text", "postcode": "text", "uprn": "text",
    "tenure": "text", "property_type": "text", "bedrooms": "int", "years_owned": "real", "landlord": "text",
}, required=("address_line1", "postcode"))
VISIT = _child("visit", "visits", {
    "scheduled_for": "text", "kind": "text", "status": "text", "officer": "text", "outcome": "text",
    "moved_reason": "text",
}, order_by="scheduled_for", required=("scheduled_for",))
FORM = _child("form_submission", "form_submissions", {
    "visit_id": "text", "form_id": "text", "form_version": "text", "answers": "json", "status": "text",
    "base_id": "text", "completed_at": "text", "signed_at": "text", "signed_by": "text",
}, patch_fields=frozenset({"answers"}), required=("form_id", "form_version"))
HAZARD = _child("hazard_rating", "hazard_ratings", {
    "hazard": "text", "likelihood": "int", "harm": "json", "score": "int", "band": "text", "category": "int",
    "scheme_id": "text", "rated_on": "date", "notes": "text",
}, required=("hazard", "likelihood"))
WORKS_ITEM = _child("works_item", "works_items", {
    "position": "int", "location": "text", "description": "text", "quantity": "decimal", "unit": "text",
    "rate_pence": "int", "vat_percent": "decimal",
}, order_by="position, rowid", required=("description", "quantity", "unit", "rate_pence", "vat_percent"))
ATTACHMENT = _child("attachment", "attachments", {
    "sha256": "text", "kind": "text", "filename": "text", "caption": "text", "mime": "text", "width": "int",
    "height": "int", "size": "int", "taken_at": "text",
})
DOCUMENT = _child("document", "documents", {
    "kind": "text", "title": "text", "version": "int", "sha256": "text", "size": "int", "signed": "bool",
    "created_at": "text",
    # signed packs (migration 3): the data's fingerprint, the signers, and the print queue's marks
    "fingerprint": "text", "signatures": "json", "signed_at": "text", "printed_at": "text", "printed_by": "text",
    "posted_at": "text", "posted_by": "text",
})
DECISION = _child("decision", "decisions", {
    "kind": "text", "outcome": "text", "amount_pence": "int", "reasons": "json", "decided_by": "text",
    "decided_on": "date", "policy_version": "text",
}, required=("kind", "outcome"))
NOTE = _child("note", "notes", {"body": "text", "author": "text", "written_at": "text"},
              order_by="written_at, rowid", required=("body",))

# the partnership measures (migration 6): interventions delivered (KPI 11 a to 19 d), compliments and
# complaints (KPI 21 to 23) and the satisfaction survey (KPM 24 to 29)
INTERVENTION = _child("intervention", "interventions", {
    "kind": "text", "delivered_on": "date", "officer": "text", "notes": "text",
}, order_by="delivered_on, rowid", required=("kind", "delivered_on"))
FEEDBACK = _child("feedback", "feedback", {
    "kind": "text", "received_on": "date", "upheld": "bool", "decided_on": "date", "summary": "text",
}, order_by="received_on, rowid", required=("kind", "received_on"))
SURVEY = _child("survey", "surveys", {"answered_on": "date", "answers": "json"}, order_by="answered_on, rowid",
                required=("answered_on",))

CONFLICT = _child("conflict", "conflicts", {
    "entity": "text", "record_id": "text", "field": "text", "kept": "json", "offered": "json", "offered_by": "text",
    "offered_at": "text", "resolution": "text", "resolved_by": "text", "resolved_at": "text",
}, required=("entity", "record_id", "field"))

# the contact log (calls, letters, emails, visits) and who set each stage date and why
CONTACT = _child("contact", "contacts", {
    "at": "text", "kind": "text", "direction": "text", "who": "text", "summary": "text", "follow_up_on": "date",
    "followed_up_on": "date", "author": "text",
}, order_by="at DESC, rowid DESC", required=("at", "kind", "direction", "summary"))
STAGE_EVENT = _child("stage_event", "stage_events", {
    "stage": "text", "stage_on": "date", "event": "text", "reason": "text", "set_by": "text", "set_at": "text",
}, order_by="set_at, rowid", required=("stage", "event", "set_at"))

# appeals to the panels (migration 10, policy section 12): the written case, the criteria answered
# with evidence, each panel's decision in order, the escalation and the outcome (domain/appeals.py)
APPEAL = _child("appeal", "appeals", {
    "kind": "text", "lodged_on": "date", "grounds": "text", "appellant": "text", "assisted": "bool",
    "lodged_by": "text", "answers": "json", "decisions": "json", "escalation": "json", "outcome": "json",
    "stage": "text",
}, order_by="lodged_on, rowid", required=("kind", "lodged_on", "grounds"))

ENTITIES: tuple[Entity, ...] = (CASE, PERSON, PROPERTY, VISIT, FORM, HAZARD, WORKS_ITEM, ATTACHMENT, DOCUMENT,
                                DECISION, NOTE, INTERVENTION, FEEDBACK, SURVEY, CONFLICT, CONTACT, STAGE_EVENT,
                                APPEAL)
BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}


def encode(kind: str, value: Any) -> Any:
    """Python value -> the SQLite column value."""
    if value is None:
        return None
    if kind == "json":
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    if kind == "bool":
        return 1 if value else 0
    if kind in ("date", "datetime"):
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    if kind == "decimal":
        return str(Decimal(str(value)))
    if kind == "int":
        return int(value)
    if kind == "real":
        return float(value)
    return str(value) if not isinstance(value, str) else value


def decode(kind: str, value: Any) -> Any:
    """SQLite column value -> Python value for callers."""
    if value is None:
        return None
    if kind == "json":
        return json.loads(value)
    if kind == "bool":
        return bool(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    return value


def journal_value(kind: str, column_value: Any) -> Any:
    """The JSON-friendly value the journal records (JSON columns as structures, not strings)."""
    if kind == "json" and column_value is not None:
        return json.loads(column_value)
    return column_value
