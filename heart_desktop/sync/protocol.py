"""The sync protocol: what a laptop and the central office say to each other, shared by both ends.

Plain JSON over HTTP under ``/api/v1``; the device token travels in the ``X-Heart-Device-Token``
header, never in a URL. A change is one journal entry of the laptop (``store.journal``): the
entity, the row id, the operation, the revision it was made on (``base_rev``), its hybrid-logical
clock stamp and the changed fields with their new values (a form's ``answers`` as a patch). Push
sends changes in batches carrying an idempotency key and a per-device sequence number; pull asks
for changes after a cursor the server assigns in commit order.

The server imports this module and ``domain`` only, so the entity list is kept here as data;
``tests/sync/test_protocol.py`` checks it against the store's schema so the two cannot drift.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

API = "/api/v1"
TOKEN_HEADER = "X-Heart-Device-Token"
PROTOCOL_VERSION = 1
MAX_BATCH = 500
MAX_PAGE = 1000

# entity -> fields a change may carry (the store's syncable fields, without its local ones)
ENTITY_FIELDS: dict[str, frozenset[str]] = {
    "case": frozenset({
        "reference", "council", "assigned_officer", "assistance_types", "priority_flags", "urgent", "urgent_reason",
        "stage", "enquiry_on", "telephone_assessment_on", "visit_on", "contractor_visit_on", "quotation_on",
        "application_on", "approval_on", "works_start_on", "works_complete_on", "signed_off_on", "deleted"}),
    "person": frozenset({"case_id", "is_applicant", "is_disabled_person", "given_name", "family_name",
                         "date_of_birth", "relationship", "phone", "ni_number", "deleted"}),
    "property": frozenset({"case_id", "address_line1", "address_line2", "town", "postcode", "uprn", "tenure",
                           "property_type", "bedrooms", "years_owned", "landlord", "deleted"}),
    "visit": frozenset({"case_id", "scheduled_for", "kind", "status", "officer", "outcome", "deleted"}),
    "form_submission": frozenset({"case_id", "visit_id", "form_id", "form_version", "answers", "status", "base_id",
                                  "completed_at", "signed_at", "signed_by", "deleted"}),
    "hazard_rating": frozenset({"case_id", "hazard", "likelihood", "harm", "score", "band", "category", "scheme_id",
                                "rated_on", "notes", "deleted"}),
    "works_item": frozenset({"case_id", "position", "location", "description", "quantity", "unit", "rate_pence",
                             "vat_percent", "deleted"}),
    "attachment": frozenset({"case_id", "sha256", "kind", "filename", "caption", "mime", "width", "height", "size",
                             "taken_at", "deleted"}),
    "document": frozenset({"case_id", "kind", "title", "version", "sha256", "size", "signed", "created_at",
                           "fingerprint", "signatures", "signed_at", "printed_at", "printed_by", "posted_at",
                           "posted_by", "deleted"}),
    "decision": frozenset({"case_id", "kind", "outcome", "amount_pence", "reasons", "decided_by", "decided_on",
                           "policy_version", "deleted"}),
    "note": frozenset({"case_id", "body", "author", "written_at", "deleted"}),
    # raised by the office, resolved on a laptop (the resolution is an ordinary update)
    "conflict": frozenset({"case_id", "entity", "record_id", "field", "kept", "offered", "offered_by", "offered_at",
                           "resolution", "resolved_by", "resolved_at", "deleted"}),
}
PATCH_FIELDS: dict[str, frozenset[str]] = {"form_submission": frozenset({"answers"})}
OPS = frozenset({"insert", "update", "delete"})
FROZEN_FORM_STATES = frozenset({"complete", "signed"})
_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")
_HLC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-\d{4}-\S+$")


class ProtocolError(ValueError):
    """A message that does not follow the protocol; the text says what is wrong."""


@dataclass(frozen=True)
class Change:
    entity: str
    id: str
    op: str
    base_rev: int
    rev: int
    hlc: str
    officer: str
    fields: dict[str, Any]
    case_id: str | None = None  # the case the row belongs to (the row itself for a case)
    council: str | None = None  # set by the server on changes it serves

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def change_from_json(raw: Any) -> Change:
    """A change as the other end sent it, checked; raises ProtocolError with the reason."""
    if not isinstance(raw, Mapping):
        raise ProtocolError("a change must be an object")
    entity = raw.get("entity")
    if entity not in ENTITY_FIELDS:
        raise ProtocolError(f"unknown entity {entity!r}")
    row_id = raw.get("id")
    if not isinstance(row_id, str) or not _ID.match(row_id):
        raise ProtocolError(f"{entity}: the id {row_id!r} is not a row id")
    op = raw.get("op")
    if op not in OPS:
        raise ProtocolError(f"{entity} {row_id}: unknown operation {op!r}")
    revs = raw.get("base_rev"), raw.get("rev")
    if not all(isinstance(r, int) and not isinstance(r, bool) and r >= 0 for r in revs) or revs[1] <= revs[0]:
        raise ProtocolError(f"{entity} {row_id}: revisions must be whole numbers with rev above base_rev")
    hlc = raw.get("hlc")
    if not isinstance(hlc, str) or not _HLC.match(hlc):
        raise ProtocolError(f"{entity} {row_id}: {hlc!r} is not a clock stamp")
    fields = raw.get("fields")
    if not isinstance(fields, Mapping):
        raise ProtocolError(f"{entity} {row_id}: fields must be an object")
    unknown = sorted(set(fields) - ENTITY_FIELDS[entity])
    if unknown:
        raise ProtocolError(f"{entity} {row_id}: unknown field {unknown[0]!r}")
    case_id = row_id if entity == "case" else raw.get("case_id") or fields.get("case_id")
    if op == "insert" and entity != "case" and not case_id:
        raise ProtocolError(f"{entity} {row_id}: a new row must name its case")
    if op == "insert" and entity == "case" and not fields.get("council"):
        raise ProtocolError(f"case {row_id}: a new case must name its council")
    for name in PATCH_FIELDS.get(entity, frozenset()):
        value = fields.get(name)
        if op == "update" and name in fields and not (isinstance(value, Mapping) and set(value) <= {"patch", "unset"}):
            raise ProtocolError(f"{entity} {row_id}: {name} must be sent as a patch")
    officer = raw.get("officer")
    return Change(entity, row_id, op, int(revs[0]), int(revs[1]), hlc, str(officer or ""), dict(fields),
                  str(case_id) if case_id else None, raw.get("council"))


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def content_hash(changes: list[dict[str, Any]], device_seq: int) -> str:
    """What a batch's idempotency key promises: the same key must always carry this content."""
    return hashlib.sha256(canonical({"seq": device_seq, "changes": changes}).encode()).hexdigest()


@dataclass
class PushResult:
    key: str
    accepted: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)  # {entity, id, reason}
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "accepted": self.accepted, "refused": self.refused, "conflicts": self.conflicts}


def merge_patch(current: Mapping[str, Any] | None, patch: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a ``{"patch": {...}, "unset": [...]}`` change to a JSON object."""
    merged = dict(current or {})
    merged.update(patch.get("patch") or {})
    for key in patch.get("unset") or []:
        merged.pop(key, None)
    return merged


def row_digest(rows: list[tuple[Any, ...]]) -> str:
    """Both ends' fingerprint of the rows a device should hold: (entity, id, revision) of each."""
    lines = sorted(f"{entity}:{row_id}:{int(rev)}" for entity, row_id, rev in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
