"""The audit trail's hash chain: each entry carries the SHA-256 of the entry before it, so an entry
removed (or rewritten) from the middle of the trail breaks the chain at a place that can be named.

One definition for the laptop's store and the office's copy (no SQL, no Qt): which fields an
entry's hash covers, how they are written before hashing, and how a run of entries is checked.
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


def canonical(entry: Mapping[str, Any]) -> str:
    """The entry's hashed fields as compact JSON with sorted keys (``detail`` as its JSON text)."""
    fields = {name: entry.get(name) for name in HASHED}
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
        if entry_hash(expected_prev, entry) != entry["hash"]:
            return ChainBreak(device, seq, "its contents were changed after it was written (its hash differs)")
        expected_prev, expected_seq = str(entry["hash"]), seq + 1
    return None


# what an exported entry shows, in this order: the office's export and the app's are the same shape
EXPORT_COLUMNS = ("at", "officer", "device_id", "case_id", "reference", "action", "reason", "entity", "entity_id",
                  "seq", "hash")
