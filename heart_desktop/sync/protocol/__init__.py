"""The sync protocol: what a laptop and the central office say to each other, shared by both ends.

Plain JSON over HTTP under ``/api/v1``; the device token travels in the ``X-Heart-Device-Token``
header, never in a URL. A change is one journal entry of the laptop (``store.journal``): the
entity, the row id, the operation, the revision it was made on (``base_rev``), its hybrid-logical
clock stamp and the changed fields with their new values (a form's ``answers`` as a patch). Push
sends changes in batches carrying an idempotency key and a per-device sequence number; pull asks
for changes after a cursor the server assigns in commit order.

The server imports this module, ``sync.protocol.rows`` (each entity's fields, declared once for both ends)
and ``domain`` only; ``tests/sync/test_protocol.py`` checks the rows against the store's schema so
the two cannot drift.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from heart_desktop.sync.protocol.rows import MODELS, PATCH_FIELDS, RowError, check_fields, fields_of, has_surrogate

API = "/api/v1"
TOKEN_HEADER = "X-Heart-Device-Token"
PROTOCOL_VERSION = 1
MAX_BATCH = 500
MAX_PAGE = 1000

# entity -> fields a change may carry: the schema's (``sync.protocol.rows``), the store's syncable fields
ENTITY_FIELDS: dict[str, frozenset[str]] = {name: fields_of(name) for name in MODELS}
OPS = frozenset({"insert", "update", "delete"})
FROZEN_FORM_STATES = frozenset({"complete", "signed"})
# rows a laptop sends and the office keeps, never served to laptops: the satisfaction survey promises
# that its answers are counted only in the partnership's totals, apart from the case worker's view
OFFICE_ONLY = frozenset({"survey"})
_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")
_HLC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-\d{4}-[!-~]+$")  # printable ASCII: no NUL, no space


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


def has_bad_text(value: Any) -> bool:
    """Whether a change (or a whole batch) holds text that cannot be stored: a lone surrogate."""
    return _has_surrogate(value)


def _has_surrogate(value: Any) -> bool:
    """Any key or string anywhere in a change with a lone surrogate (one pass in C, then a regex)."""
    try:
        return has_surrogate(json.dumps(value, ensure_ascii=False, default=str))
    except (ValueError, RecursionError):  # nested beyond any real change, or not JSON: refused like bad text
        return True


def change_from_json(raw: Any, check_rows: bool = True) -> Change:
    """A change as the other end sent it, checked against the protocol and the row schema (types,
    ranges, allowed values; ``sync.protocol.rows``); raises ProtocolError with the reason. Whether a new
    row carries its required fields is checked where it is known whether the row exists."""
    if not isinstance(raw, dict | Mapping):  # a dict, as parsed, is known without the abstract class
        raise ProtocolError("a change must be an object")
    if check_rows and _has_surrogate(raw):
        raise ProtocolError("a change holds a character that is not text (a lone surrogate)")
    entity = raw.get("entity")
    if not isinstance(entity, str) or entity not in ENTITY_FIELDS:
        raise ProtocolError(f"unknown entity {entity!r}"[:200])
    row_id = raw.get("id")
    if not isinstance(row_id, str) or not _ID.match(row_id):
        raise ProtocolError(f"{entity}: the id {row_id!r} is not a row id"[:200])
    op = raw.get("op")
    if not isinstance(op, str) or op not in OPS:
        raise ProtocolError(f"{entity} {row_id}: unknown operation {op!r}"[:200])
    revs = raw.get("base_rev"), raw.get("rev")
    if not all(isinstance(r, int) and not isinstance(r, bool) and 0 <= r < 2**62 for r in revs) or revs[1] <= revs[0]:
        raise ProtocolError(f"{entity} {row_id}: revisions must be whole numbers with rev above base_rev")
    hlc = raw.get("hlc")
    if not isinstance(hlc, str) or len(hlc) > 120 or not _HLC.match(hlc):
        raise ProtocolError(f"{entity} {row_id}: {hlc!r} is not a clock stamp"[:200])
    fields = raw.get("fields")
    if not isinstance(fields, dict | Mapping):
        raise ProtocolError(f"{entity} {row_id}: fields must be an object")
    if not ENTITY_FIELDS[entity].issuperset(fields):
        unknown = sorted(str(name) for name in set(fields) - ENTITY_FIELDS[entity])
        raise ProtocolError(f"{entity} {row_id}: unknown field {unknown[0][:80]!r}")
    raw_case = raw.get("case_id")
    case_id = row_id if entity == "case" else raw_case or fields.get("case_id")
    if case_id is not None and (not isinstance(case_id, str) or not _ID.match(case_id)):
        raise ProtocolError(f"{entity} {row_id}: the case id {case_id!r} is not a row id"[:200])
    if op == "insert" and entity != "case" and not case_id:
        raise ProtocolError(f"{entity} {row_id}: a new row must name its case")
    if op == "insert" and entity == "case" and not fields.get("council"):
        raise ProtocolError(f"case {row_id}: a new case must name its council")
    for name in PATCH_FIELDS.get(entity, frozenset()):
        value = fields.get(name)
        if op == "update" and name in fields and not (isinstance(value, Mapping) and set(value) <= {"patch", "unset"}):
            raise ProtocolError(f"{entity} {row_id}: {name} must be sent as a patch")
    if check_rows:
        try:
            check_fields(entity, row_id, fields, new=False, update=op == "update")
        except RowError as exc:
            raise ProtocolError(str(exc)) from None
    officer = raw.get("officer")
    council = raw.get("council")
    return Change(entity, row_id, op, int(revs[0]), int(revs[1]), hlc, str(officer or "")[:200], dict(fields),
                  str(case_id) if case_id else None, council if isinstance(council, str) else None)


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def canonical(value: Any) -> str:
    """JSON with sorted keys and no spaces (one encoder for every call: the office makes one of
    these for each row it stores)."""
    return _CANONICAL.encode(value)


def checked_content_hash(changes: list[dict[str, Any]], device_seq: int) -> str | None:
    """What a batch's idempotency key promises (the same key must always carry this content), or
    None when the batch holds text that cannot be stored (a lone surrogate in any key or string, or
    nesting beyond any real change). One serialisation: the canonical text escapes every character
    beyond ASCII, so a surrogate can only be where it has ``\\ud``, and only such a batch is looked
    through again."""
    try:
        text = canonical({"seq": device_seq, "changes": changes})
    except (ValueError, RecursionError):
        return None
    if "\\ud" in text and has_bad_text(changes):
        return None
    return hashlib.sha256(text.encode()).hexdigest()


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
