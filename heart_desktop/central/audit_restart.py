"""A laptop restored from a backup: its audit chain restarts from the backup's newest entry, so its
new entries reuse numbers the office already holds, and every sync refuses them (``audit_rewritten``).

The way out is explicit and one-off: IT runs ``heart-central audit-accept-restart --device ID
--fork-seq N --reason TEXT``, naming the *fork point*: the last entry (seq N, whose hash the office
holds) that the laptop's restored chain shares with the office's copy. The verb opens a new
*segment* of that laptop's chain (chain id ``ID#restart-N``) and records in the office's own audit
the fork point and the old chain's newest entry (seq and hash). On the laptop's next push the office
keeps, in that segment, the entries from the first one that differs from what it holds, only if
that entry is entry N + 1 exactly, links (``prev_hash``) to the office's entry N, and the run is a
valid chain from there; a run that forks anywhere else is refused (409 ``audit_fork_mismatch``,
naming where it does fork) and nothing is kept. It then records the new segment's first entry (seq
and hash) in its own audit. Nothing the office held is changed or dropped: the old entries stay in
the old chain and ``verify_all`` checks each segment against the entry it links to. A pending
segment takes one restart only; a second restore needs a second action; a fork point named wrongly
is corrected by running the verb again with the right one while the segment waits (recorded too).
Segment entries are stored with the segment's id in ``device_id``; their hashes cover the laptop's
own id, which verification restores.

Why name the fork: the office cannot tell a restore from a laptop whose trail was cut and rewritten
further back; IT, who checked the backup, says how far back the laptop went, and the office holds it
to exactly that.
"""

from __future__ import annotations

import json
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


def fork_point(tx: Transaction, segment: str) -> tuple[int, str] | None:
    """The fork point IT named for a segment (seq, hash): the newest ``accepted`` entry of it in the
    office's audit; None for a segment accepted before fork points were named."""
    rows = tx.all("SELECT detail FROM audit_entries WHERE device_id = ? AND action = 'audit_restart' "
                  "AND entity_id = ? ORDER BY seq", (audit.OFFICE, segment))
    found: tuple[int, str] | None = None
    for (text,) in rows:
        detail = json.loads(text)
        if detail.get("stage") == "accepted" and detail.get("fork_seq") is not None:
            found = (int(detail["fork_seq"]), str(detail["fork_hash"]))
    return found


def restart_hint(base: str, fork: int | None) -> str:
    """What IT runs, naming the fork point when the office could see it."""
    where = f" --fork-seq {fork}" if fork is not None else " --fork-seq N"
    return f"heart-central audit-accept-restart --device {base}{where} --reason ..."


def accept(db: CentralDatabase, device: str, reason: str, by: str | None = None, *, fork_seq: int | None = None,
           fork_hash: str | None = None) -> dict[str, Any]:
    """Open a segment for one restarted chain of ``device`` (its id or its chain id) forking after entry
    ``fork_seq`` (whose hash, if given, must be the office's), recorded in the office's audit with the
    fork point and the old chain's newest entry. While a segment waits, a different fork point
    re-points it (a wrong one named before); the same one is refused as already accepted."""
    if not reason.strip():
        raise RestartRefused("--reason: say why, e.g. 'laptop restored from the 1 December backup after a disk "
                             "failure, ticket 4411'")
    if fork_seq is None:
        raise RestartRefused("--fork-seq: name the last entry the laptop's restored trail shares with the office "
                             "(the sync refusal names it: 'forks after entry N')")
    if fork_seq < 0:
        raise RestartRefused(f"--fork-seq: {fork_seq} is not an entry number (0 or more)")
    if fork_hash is not None and (len(fork_hash) < 12 or any(c not in "0123456789abcdef" for c in fork_hash)):
        raise RestartRefused("--fork-hash: give the entry's SHA-256 in hex (at least its first 12 characters)")
    with db.transaction(feed=True) as tx:
        row = tx.one("SELECT chain_id FROM audit_chains WHERE (chain_id = ? OR device_id = ?) AND chain_id NOT LIKE ?",
                     (device, device, "%#%"))
        if row is None:
            raise RestartRefused(f"--device: the office holds no audit trail of device {device} (heart-central "
                                 "devices lists them)")
        base = str(row[0])
        stack = layers(tx, base)
        pending = stack[-1] if stack[-1].first is None else None
        current = [layer for layer in stack if layer.first is not None]
        active = current[-1].chain_id
        old_seq, old_hash = audit.head(tx, active)
        if fork_seq >= old_seq:
            raise RestartRefused(f"--fork-seq: the office's copy of device {base}'s trail ends at entry {old_seq}; "
                                 "a restored laptop forks before that (at or after it, nothing was lost and no "
                                 "restart is needed)")
        held = held_hash(tx, current, fork_seq)
        if held is None:
            raise RestartRefused(f"--fork-seq: the office holds no entry {fork_seq} of device {base}")
        if fork_hash is not None and not held.startswith(fork_hash):
            raise RestartRefused(f"--fork-hash: the office's entry {fork_seq} of device {base} has hash {held}, "
                                 f"not {fork_hash}…: the laptop's trail does not fork there")
        replaces = None
        if pending is not None:
            named = fork_point(tx, pending.chain_id)
            if named is None or named[0] == fork_seq:
                at = f" at entry {named[0]}" if named else ""
                raise RestartRefused(f"--device: a restart of device {device} was already accepted{at} "
                                     f"({pending.chain_id}) and waits for the laptop's next sync")
            segment, replaces = pending.chain_id, named[0]
        else:
            segment = f"{base}{MARK}{len(stack)}"
            owner = tx.one("SELECT device_id FROM audit_chains WHERE chain_id = ?", (base,))[0]
            tx.execute("INSERT INTO audit_chains (chain_id, device_id, bound_at) VALUES (?, ?, ?)",
                       (segment, owner, audit._now()))
        detail = {"device_id": base, "segment": segment, "old_chain": active, "old_newest_seq": old_seq,
                  "old_newest_hash": old_hash, "fork_seq": fork_seq, "fork_hash": held, "replaces_fork_seq": replaces,
                  "stage": "accepted"}
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
                follows = held_hash(tx, current, int(entry["seq"]) - 1) == entry["prev_hash"]
                raise audit.AuditRefused(
                    409, "audit_rewritten", f"audit entry {entry['seq']} of device {base}: the office already "
                    "holds a different entry with that number: the laptop's trail was changed after it was "
                    "sent, or the laptop was restored from a backup"
                    + (f" (its trail forks after entry {int(entry['seq']) - 1})" if follows else "")
                    + f" (if so, IT: {restart_hint(base, int(entry['seq']) - 1 if follows else None)})")
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
    named = fork_point(tx, pending.chain_id)
    if named is not None and named[0] != link_seq:
        raise audit.AuditRefused(
            409, "audit_fork_mismatch", f"audit entry {new[0]['seq']} of device {base}: the laptop's restarted "
            f"trail forks after entry {link_seq}, not after entry {named[0]} as IT accepted; nothing was kept "
            f"(IT: check the backup the laptop was restored from; if entry {link_seq} is right, "
            f"{restart_hint(base, link_seq)})")
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
                         "first_seq": int(new[0]["seq"]), "first_hash": new[0]["hash"], "fork_seq": link_seq,
                         "links_to_seq": link_seq,
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
