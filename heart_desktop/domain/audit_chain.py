"""The audit trail's hash chain: each entry carries the SHA-256 of the entry before it, so an entry
removed (or rewritten) from the middle of the trail breaks the chain at a place that can be named.

One definition for the laptop's store and the office's copy (no SQL, no Qt): which fields an
entry's hash covers, how they are written before hashing, and how a run of entries is checked.

Two formats, named by the entry's ``format``. Format 1 (every entry written before format 2 existed,
and an entry with no ``format``) hashes the officer's free-text ``reason`` itself. Format 2 hashes
the reason's SHA-256 (``reason_sha256``) instead, so the text, which may hold personal data, can be
blanked when its case is erased while the chain still verifies: a blank reason is checked by its
digest, a reason present must still hash to it. Old entries keep their format and hashes; their
reasons cannot be blanked without breaking the chain, so they are kept (``erasable``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of a trail's first entry
# what an entry's hash covers, in this order; ``seq`` numbers a device's entries 1, 2, 3, ...
HASHED = ("seq", "at", "officer", "device_id", "action", "case_id", "entity", "entity_id", "reason", "detail")
FORMAT = 2  # the format every new entry is written in
FORMATS = (1, 2)


def reason_digest(reason: str | None) -> str | None:
    """The SHA-256 of a reason's text (UTF-8), as a format-2 entry's hash covers it; None for none."""
    return None if reason is None else hashlib.sha256(reason.encode("utf-8")).hexdigest()


def entry_format(entry: Mapping[str, Any]) -> int:
    return int(entry.get("format") or 1)


def sealed_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    """``format`` and ``reason_sha256`` for a new entry (the current format), to store beside it."""
    return {"format": FORMAT, "reason_sha256": reason_digest(entry.get("reason"))}


def erasable(entry: Mapping[str, Any]) -> bool:
    """Whether an entry's reason can be blanked with its hash still checking (format 2 and later)."""
    return entry_format(entry) >= 2 and entry.get("reason") is not None


def canonical(entry: Mapping[str, Any]) -> str:
    """The entry's hashed fields as compact JSON with sorted keys (``detail`` as its JSON text); in
    format 2, the reason's digest and the format in place of the reason."""
    fields = {name: entry.get(name) for name in HASHED}
    if entry_format(entry) >= 2:
        del fields["reason"]
        fields["format"], fields["reason_sha256"] = entry_format(entry), entry.get("reason_sha256")
    if not isinstance(fields["detail"], str):
        fields["detail"] = json.dumps(fields["detail"] or {}, sort_keys=True, default=str)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(entry)}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain first fails: the entry (``seq``) and, in words, what is wrong there."""

    device_id: str
    seq: int
    problem: str

    def describe(self) -> str:
        return f"device {self.device_id}: entry {self.seq}: {self.problem}"


def verify(entries: Iterable[Mapping[str, Any]], after_seq: int = 0, after_hash: str = GENESIS) -> ChainBreak | None:
    """Check one device's entries, in ``seq`` order from its first (or from the one after
    ``after_seq``, whose hash was ``after_hash``: the office checks what arrives against what it
    holds); ``None`` when the chain holds.

    An entry deleted from the middle shows as a gap in the numbers and as the next entry's
    ``prev_hash`` not matching the hash before it; an entry rewritten shows as its own hash not
    matching its fields.
    """
    expected_prev, expected_seq = after_hash, after_seq + 1
    for entry in entries:
        seq, device = int(entry["seq"]), str(entry["device_id"])
        if seq != expected_seq:
            missing = (f"entry {expected_seq}" if seq == expected_seq + 1
                       else f"entries {expected_seq} to {seq - 1}")
            return ChainBreak(device, seq, f"{missing} missing before it (removed from the trail)")
        if entry["prev_hash"] != expected_prev:
            return ChainBreak(device, seq, "does not follow the entry before it (its previous hash differs)")
        if entry_format(entry) not in FORMATS:
            return ChainBreak(device, seq, f"is written in format {entry_format(entry)}, which this program does "
                                           "not know")
        if entry_hash(expected_prev, entry) != entry["hash"]:
            return ChainBreak(device, seq, "its contents were changed after it was written (its hash differs)")
        if (entry_format(entry) >= 2 and entry.get("reason") is not None
                and reason_digest(entry["reason"]) != entry.get("reason_sha256")):
            return ChainBreak(device, seq, "its reason was changed after it was written (the reason's digest "
                                           "differs)")
        expected_prev, expected_seq = str(entry["hash"]), seq + 1
    return None


def reason_erased(entry: Mapping[str, Any]) -> bool:
    """Whether the entry had a reason that was blanked with its erased case (format 2: no text left,
    its digest kept), as against an entry that never had one."""
    return entry_format(entry) >= 2 and entry.get("reason") is None and bool(entry.get("reason_sha256"))


# what an exported entry shows, in this order: the office's export and the app's are the same shape
EXPORT_COLUMNS = ("at", "officer", "device_id", "case_id", "reference", "action", "reason", "entity", "entity_id",
                  "seq", "hash")
