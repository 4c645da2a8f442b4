"""A laptop restored from a backup: its audit chain restarts from the backup's newest entry, so its
new entries reuse numbers the office already holds, and every sync refuses them (``audit_rewritten``).

The way out is explicit and one-off: IT runs ``heart-central audit-accept-restart --device ID
--reason TEXT``, which opens a new *segment* of that laptop's chain (chain id ``ID#restart-N``) and
records in the office's own audit the old chain's newest entry (seq and hash). On the laptop's next
push the office keeps, in that segment, the entries from the first one that differs from what it
holds, only if that entry links (``prev_hash``) to an entry the office holds unchanged and the run
is a valid chain from there; it then records the new segment's first entry (seq and hash) in its
own audit. Nothing the office held is changed or dropped: the old entries stay in the old chain and
``verify_all`` checks each segment against the entry it links to. A pending segment takes one
restart only; a second restore needs a second action. Segment entries are stored with the
segment's id in ``device_id``; their hashes cover the laptop's own id, which verification restores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heart_desktop.central import audit
from heart_desktop.domain.audit_chain import GENESIS

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction

MARK = "#restart-"  # a segment's chain id: the laptop's chain id, MARK and its number


class RestartRefused(ValueError):
    """The office will not open a segment, saying what to give instead (the verb exits 2)."""


@dataclass(frozen=True)
class Layer:
    """One segment of a laptop's chain at the office: ``first`` is its first seq (None: opened by IT
    and not yet received)."""

    chain_id: str
    first: int | None


def base_of(chain_id: str) -> str:
    return chain_id.split(MARK, 1)[0]


def layers(tx: Transaction, base: str) -> list[Layer]:
    """The laptop's chain and its restart segments, oldest first."""
    rows = tx.all("SELECT chain_id FROM audit_chains WHERE chain_id = ? OR chain_id LIKE ?", (base, f"{base}#%"))
    ids = sorted({str(r[0]) for r in rows if base_of(str(r[0])) == base},
                 key=lambda c: int(c.split(MARK, 1)[1]) if MARK in c else 0)
    found = []
    for chain_id in ids:
        first = tx.one("SELECT min(seq) FROM audit_entries WHERE device_id = ?", (chain_id,))
        found.append(Layer(chain_id, int(first[0]) if first and first[0] is not None else
                           (1 if MARK not in chain_id else None)))
    return found


def held_hash(tx: Transaction, stack: list[Layer], seq: int) -> str | None:
    """The hash the office holds for entry ``seq`` of the chain as its segments now read (the newest
    segment that covers ``seq``), or None when it holds none."""
    if seq == 0:
        return GENESIS
    for layer in reversed(stack):
        if layer.first is not None and layer.first <= seq:
            row = tx.one("SELECT hash FROM audit_entries WHERE device_id = ? AND seq = ?", (layer.chain_id, seq))
            return str(row[0]) if row else None
    return None


def accept(db: CentralDatabase, device: str, reason: str, by: str | None = None) -> dict[str, Any]:
    """Open a segment for one restarted chain of ``device`` (its id or its chain id), recorded in the
    office's audit with the old chain's newest entry."""
    if not reason.strip():
        raise RestartRefused("--reason: say why, e.g. 'laptop restored from the 1 December backup after a disk "
                             "failure, ticket 4411'")
    with db.transaction(feed=True) as tx:
        row = tx.one("SELECT chain_id FROM audit_chains WHERE (chain_id = ? OR device_id = ?) AND chain_id NOT LIKE ?",
                     (device, device, "%#%"))
        if row is None:
            raise RestartRefused(f"--device: the office holds no audit trail of device {device} (heart-central "
                                 "devices lists them)")
        base = str(row[0])
        stack = layers(tx, base)
        if stack[-1].first is None:
            raise RestartRefused(f"--device: a restart of device {device} was already accepted "
                                 f"({stack[-1].chain_id}) and waits for the laptop's next sync")
        active = stack[-1].chain_id
        old_seq, old_hash = audit.head(tx, active)
        segment = f"{base}{MARK}{len(stack)}"
        owner = tx.one("SELECT device_id FROM audit_chains WHERE chain_id = ?", (base,))[0]
        tx.execute("INSERT INTO audit_chains (chain_id, device_id, bound_at) VALUES (?, ?, ?)",
                   (segment, owner, audit._now()))
        detail = {"device_id": base, "segment": segment, "old_chain": active, "old_newest_seq": old_seq,
                  "old_newest_hash": old_hash, "stage": "accepted"}
        detail["office_seq"] = audit.record(tx, "audit_restart", officer=by, entity="audit_chain",
                                            entity_id=segment, reason=reason, detail=detail)
    return detail


def place(tx: Transaction, base: str, entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str, int, str]:
    """Check a run of the laptop's entries against its chain's segments and return what to keep:
    (fresh entries, the chain id to keep them under, and the head to answer: seq, hash). Raises
    AuditRefused as ``audit.receive`` describes; a pending segment takes the run from its first
    entry that differs from what the office holds."""
    stack = layers(tx, base)
    if len(stack) == 1:  # no restart: the chain as it always was
        last_seq, last_hash = audit.head(tx, base)
        fresh = audit._check_run(tx, base, entries, last_seq, last_hash)
        return (fresh, base, *((int(fresh[-1]["seq"]), str(fresh[-1]["hash"])) if fresh else (last_seq, last_hash)))
    pending = stack[-1] if stack[-1].first is None else None
    current = [layer for layer in stack if layer.first is not None]
    active = current[-1].chain_id
    newest = audit.head(tx, active)[0]
    run = sorted(entries, key=lambda e: int(e["seq"]))
    fork: int | None = None
    for index, entry in enumerate(run):
        if int(entry["seq"]) > newest:
            break  # the rest are new: checked as a chain below
        held = held_hash(tx, current, int(entry["seq"]))
        if held is not None and held != entry["hash"]:
            if pending is None:
                raise audit.AuditRefused(
                    409, "audit_rewritten", f"audit entry {entry['seq']} of device {base}: the office already "
                    "holds a different entry with that number: the laptop's trail was changed after it was "
                    "sent, or the laptop was restored from a backup (if so, IT: heart-central "
                    f"audit-accept-restart --device {base} --reason ...)")
            fork = index
            break
    if fork is None:
        last_seq, last_hash = audit.head(tx, active)
        fresh = [entry for entry in run if int(entry["seq"]) > last_seq]  # the rest were checked above
        broken = audit.verify(fresh, last_seq, last_hash)
        if broken is not None:
            raise audit.AuditRefused(409, "audit_broken", f"audit entry {broken.seq} of device {base}: "
                                     f"{broken.problem}")
        if pending is not None and run and not fresh:  # all held: answer where the laptop is, not past it
            return [], active, int(run[-1]["seq"]), str(run[-1]["hash"])
        if fresh:
            return fresh, active, int(fresh[-1]["seq"]), str(fresh[-1]["hash"])
        return [], active, last_seq, last_hash
    assert pending is not None
    new = run[fork:]
    link_seq = int(new[0]["seq"]) - 1
    link_hash = held_hash(tx, current, link_seq)
    if link_hash is None:
        raise audit.AuditRefused(409, "audit_broken", f"audit entry {new[0]['seq']} of device {base}: the restarted "
                                 f"chain links to entry {link_seq}, which the office does not hold")
    broken = audit.verify(new, link_seq, link_hash)
    if broken is not None:
        raise audit.AuditRefused(409, "audit_broken", f"audit entry {broken.seq} of device {base}: {broken.problem}")
    audit.record(tx, "audit_restart", entity="audit_chain", entity_id=pending.chain_id,
                 reason="restarted chain received", officer="office",
                 detail={"device_id": base, "segment": pending.chain_id, "stage": "received",
                         "first_seq": int(new[0]["seq"]), "first_hash": new[0]["hash"], "links_to_seq": link_seq,
                         "links_to_hash": link_hash})
    return new, pending.chain_id, int(new[-1]["seq"]), str(new[-1]["hash"])


def link_of(tx: Transaction, segment: str) -> tuple[int, str] | None:
    """Where a received segment links into the chain before it: (seq, hash), from the office's audit."""
    base = base_of(segment)
    stack = layers(tx, base)
    index = next(i for i, layer in enumerate(stack) if layer.chain_id == segment)
    first = stack[index].first
    if first is None:
        return None
    held = held_hash(tx, [layer for layer in stack[:index] if layer.first is not None], first - 1)
    return (first - 1, held) if held is not None else None
