"""The audit trail at the office: every laptop's entries, checked as they arrive, and the office's own.

A laptop sends its entries in ``seq`` order with their hashes (``POST /api/v1/audit``). The office
checks each run against the newest entry it holds of that chain (``domain/audit_chain.verify``): a
gap, a link that does not follow, or an entry whose contents do not hash to its hash is refused
with 409 naming the entry's number, and nothing of the run is kept. An entry the office already
holds may be sent again only unchanged. Each chain belongs to the first enrolled device that sent
it; entries of another device's chain are refused (403).

Because the office keeps the newest hash of every chain, an entry deleted from the *end* of a
laptop's trail (which the laptop's own chain cannot show) is found: the office answers every push
with the newest entry it holds, and the laptop checks it still holds that entry unchanged.

The office records its own actions (subject access, erasure, restriction, retention, the audit
export, a DDFA charge's discharge, an accepted audit restart) as a chain of its own, device
``office``, in the same append-only table.

A laptop restored from a backup restarts its chain from the backup's newest entry; the office takes
such a restart only after IT's ``audit-accept-restart``, as a new segment (``central/audit_restart``).
A laptop's chain id cannot contain ``#`` (the protocol's pattern), so it cannot pose as a segment.
"""

from __future__ import annotations

import contextlib
import getpass
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.audit_chain import GENESIS, ChainBreak, entry_hash, erasable, sealed_fields, verify

if TYPE_CHECKING:
    from heart_desktop.central.db import CentralDatabase, Transaction
    from heart_desktop.central.service import Device

OFFICE = "office"  # the office's own chain (a laptop's chain id has at least 8 characters)
OFFICE_ACTIONS = frozenset({"subject_access", "erasure", "restriction", "retention", "audit_export",
                            "charge_discharge", "audit_restart"})
COLUMNS = ("seq", "at", "officer", "device_id", "action", "case_id", "entity", "entity_id", "reason", "detail",
           "format", "reason_sha256", "prev_hash", "hash")
DEFAULTS = {"format": 1, "reason_sha256": None}  # what a laptop writing only format 1 leaves out


class AuditRefused(Exception):
    """A run of entries the office will not keep: ``status`` (403/409/422) and the reason."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def head(tx: Transaction, chain: str) -> tuple[int, str]:
    """The newest entry held of a chain: (seq, hash), or (0, GENESIS) when none."""
    row = tx.one("SELECT seq, hash FROM audit_entries WHERE device_id = ? ORDER BY seq DESC LIMIT 1", (chain,))
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def _insert(tx: Transaction, entries: list[dict[str, Any]], sent_by: str) -> None:
    """Keep entries as sent; a laptop's entry of a case already erased here is kept with its reason
    blanked when its format allows (the office holds none of an erased case's reasons)."""
    now = _now()
    if sent_by != OFFICE:
        erased = {str(r[0]) for r in tx.all_in("SELECT case_id FROM erased_cases WHERE case_id {values}",
                                               sorted({str(e["case_id"]) for e in entries if e.get("case_id")}))}
        entries = [{**e, "reason": None} if e.get("case_id") in erased and erasable({**DEFAULTS, **e}) else e
                   for e in entries]
    tx.insert_rows("audit_entries", (*COLUMNS, "received_at", "sent_by"),
                   [(*({**DEFAULTS, **entry}[c] for c in COLUMNS), now, sent_by) for entry in entries])


def erase_reasons(tx: Transaction, case_id: str) -> dict[str, int]:
    """Blank the free-text reasons of an erased case's entries (every chain's; the case must be in
    ``erased_cases``, which the trigger checks): format-2 entries keep their digest and verify; format-1
    entries hash the text itself, so theirs is kept, and counted. ``{"erased": n, "kept": n}``."""
    done = tx.execute("UPDATE audit_entries SET reason = NULL WHERE case_id = ? AND format >= 2 AND reason IS NOT "
                      "NULL AND reason_sha256 IS NOT NULL", (case_id,)).rowcount
    kept = tx.one("SELECT count(*) FROM audit_entries WHERE case_id = ? AND reason IS NOT NULL", (case_id,))
    return {"erased": int(done or 0), "kept": int(kept[0]) if kept else 0}


def receive(db: CentralDatabase, device: Device, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Keep a run of one laptop's entries (checked as the module says); answers how many were new
    and the newest entry now held of its chain."""
    from heart_desktop.central import audit_restart

    with db.transaction(feed=True) as tx:
        bound = tx.one("SELECT chain_id FROM audit_chains WHERE device_id = ? AND chain_id NOT LIKE ?",
                       (device.id, "%#%"))  # the laptop's own chain, not a restart segment of it
        chain = str(bound[0]) if bound else None
        seq, digest = head(tx, chain) if chain else (0, GENESIS)
        if entries:
            chains = {str(entry["device_id"]) for entry in entries}
            if len(chains) > 1:
                raise AuditRefused(422, "audit_mixed", "a run of audit entries holds more than one device's entries; "
                                                       "send each device's own")
            sent = chains.pop()
            owner = tx.one("SELECT device_id FROM audit_chains WHERE chain_id = ?", (sent,))
            if (owner is not None and owner[0] != device.id) or (chain is not None and chain != sent):
                raise AuditRefused(403, "audit_other_device", f"these audit entries are device {sent}'s, not this "
                                                              "laptop's: a laptop sends only its own trail")
            chain = sent
            if owner is None:
                last_seq, last_hash = head(tx, chain)
                fresh, keep_as = _check_run(tx, chain, entries, last_seq, last_hash), chain
                seq, digest = (int(fresh[-1]["seq"]), str(fresh[-1]["hash"])) if fresh else (last_seq, last_hash)
            else:  # checked against the chain as its restart segments (if any) now read
                fresh, keep_as, seq, digest = audit_restart.place(tx, chain, entries)
            if fresh:
                _insert(tx, [{**entry, "device_id": keep_as} for entry in fresh], device.id)
                if owner is None:
                    tx.execute("INSERT INTO audit_chains (chain_id, device_id, bound_at) VALUES (?, ?, ?)",
                               (chain, device.id, _now()))
        else:
            fresh = []
            if chain:
                _, keep_as, seq, digest = audit_restart.place(tx, chain, [])
    return {"accepted": len(fresh), "head": {"device_id": chain, "seq": seq, "hash": digest if seq else None}}


def _check_run(tx: Transaction, chain: str, entries: list[dict[str, Any]], last_seq: int,
               last_hash: str) -> list[dict[str, Any]]:
    """The entries not yet held, after checking the whole run; raises AuditRefused naming the seq."""
    held = [entry for entry in entries if int(entry["seq"]) <= last_seq]
    if held:
        stored = dict(tx.all_in("SELECT seq, hash FROM audit_entries WHERE device_id = ? AND seq {values}",
                                [int(e["seq"]) for e in held], (chain,)))
        for entry in held:
            if stored.get(int(entry["seq"])) != entry["hash"]:
                from heart_desktop.central.audit_restart import restart_hint

                seq = int(entry["seq"])
                before = tx.one("SELECT hash FROM audit_entries WHERE device_id = ? AND seq = ?", (chain, seq - 1))
                follows = (str(before[0]) if before else GENESIS if seq == 1 else None) == entry["prev_hash"]
                raise AuditRefused(409, "audit_rewritten", f"audit entry {seq} of device {chain}: the office "
                                   "already holds a different entry with that number: the laptop's trail was "
                                   "changed after it was sent, or the laptop was restored from a backup"
                                   + (f" (its trail forks after entry {seq - 1})" if follows else "")
                                   + f" (if so, IT: {restart_hint(chain, seq - 1 if follows else None)})")
    fresh = [entry for entry in entries if int(entry["seq"]) > last_seq]
    broken = verify(fresh, last_seq, last_hash)
    if broken is not None:
        raise AuditRefused(409, "audit_broken", f"audit entry {broken.seq} of device {chain}: {broken.problem}")
    return fresh


def record(tx: Transaction, action: str, *, officer: str | None = None, case_id: str | None = None,
           entity: str | None = None, entity_id: str | None = None, reason: str | None = None,
           detail: dict[str, Any] | None = None) -> int:
    """Append one of the office's own actions to its chain, in ``tx`` (which must hold the feed
    lock, so two verbs cannot take the same number); returns its seq."""
    if action not in OFFICE_ACTIONS:
        raise ValueError(f"unknown office audit action {action!r}")
    last_seq, last_hash = head(tx, OFFICE)
    entry = {"seq": last_seq + 1, "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
             "officer": officer or who(), "device_id": OFFICE, "action": action, "case_id": case_id,
             "entity": entity, "entity_id": entity_id, "reason": reason,
             "detail": json.dumps(detail or {}, sort_keys=True, default=str)}
    entry.update(sealed_fields(entry))
    entry["prev_hash"], entry["hash"] = last_hash, entry_hash(last_hash, entry)
    _insert(tx, [entry], OFFICE)
    return int(entry["seq"])


def who() -> str:
    """Who runs an office verb: the operating system's account (the verbs' ``--by`` overrides)."""
    try:
        return f"IT ({getpass.getuser()})"
    except (OSError, KeyError):
        return "IT"


def _chain_entries(db: CentralDatabase, chain: str) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        with db.transaction() as tx:
            rows = tx.all(f"SELECT {', '.join(COLUMNS)} FROM audit_entries WHERE device_id = ? AND seq > ? "
                          "ORDER BY seq LIMIT 2000", (chain, after))
        if not rows:
            return
        for row in rows:
            yield dict(zip(COLUMNS, row, strict=True))
        after = int(rows[-1][0])


def verify_all(db: CentralDatabase) -> list[dict[str, Any]]:
    """Every chain at the office checked from its first entry: ``[{device_id, entries, newest_seq,
    intact, first_broken}]`` (``first_broken``: ``{seq, problem}`` or None)."""
    with db.transaction() as tx:
        chains = tx.all("SELECT device_id, count(*), max(seq) FROM audit_entries GROUP BY device_id ORDER BY device_id")
    results = []
    from heart_desktop.central import audit_restart

    for chain, count, newest in chains:
        broken: ChainBreak | None
        if audit_restart.MARK in str(chain):  # a restart segment: checked from the entry it links to
            with db.transaction() as tx:
                link = audit_restart.link_of(tx, str(chain))
            base = audit_restart.base_of(str(chain))
            own = ({**entry, "device_id": base} for entry in _chain_entries(db, str(chain)))
            broken = (verify(own, *link) if link is not None else
                      ChainBreak(base, 0, "the segment links to an entry the office does not hold"))
        else:
            broken = verify(_chain_entries(db, str(chain)))
        results.append({"device_id": chain, "entries": int(count), "newest_seq": int(newest),
                        "intact": broken is None,
                        "first_broken": None if broken is None else {"seq": broken.seq, "problem": broken.problem}})
    return results


def references(tx: Transaction, case_ids: list[str]) -> dict[str, str]:
    """The reference of each case still at the office (an erased case has none)."""
    found: dict[str, str] = {}
    for case_id, fields in tx.all_in("SELECT id, fields FROM records WHERE entity = 'case' AND id {values}",
                                     sorted(set(case_ids))):
        reference = json.loads(fields).get("reference")
        if reference:
            found[str(case_id)] = str(reference)
    return found


def entries(db: CentralDatabase, start: str | None = None, end: str | None = None,
            case_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Entries made from ``start`` to ``end`` (days, YYYY-MM-DD, both included) or of these cases,
    oldest first, each with its case's reference; ``detail`` parsed."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit_entries WHERE 1 = 1"
    params: list[Any] = []
    if start:
        sql += " AND at >= ?"
        params.append(start)
    if end:
        sql += " AND at < ?"
        params.append(f"{end}T99")  # every moment of the last day
    with db.transaction() as tx:
        if case_ids is not None:
            rows = tx.all_in(sql + " AND case_id {values}", case_ids, params) if case_ids else []
        else:
            rows = tx.all(sql, params)
        found = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
        refs = references(tx, [str(e["case_id"]) for e in found if e["case_id"]])
    found.sort(key=lambda e: (e["at"], e["device_id"], int(e["seq"])))
    for entry in found:
        entry["reference"] = refs.get(str(entry["case_id"])) if entry["case_id"] else None
        with contextlib.suppress(ValueError):  # otherwise kept as the text that was hashed
            entry["detail"] = json.loads(entry["detail"])
    return found



HISTORY_LIMIT = 2000  # the newest entries of a case a manager's laptop is sent


def case_history(db: CentralDatabase, device: Device, case_id: str) -> dict[str, Any]:
    """Every laptop's entries (and the office's) of one case, newest first, for a manager whose
    councils hold the case; anyone else, or a case not theirs, is refused (403, 404)."""
    from heart_desktop.domain.permissions import ACTS, NotPermitted, may

    if not may(device.role, "view_audit"):
        raise AuditRefused(403, "not_permitted", str(NotPermitted(ACTS["view_audit"], device.role)))
    with db.transaction() as tx:
        row = tx.one("SELECT council FROM records WHERE entity = 'case' AND id = ?", (case_id,))
        if row is None or row[0] not in device.councils:
            raise AuditRefused(404, "no_case", "no case of the councils you cover has that id")
        rows = tx.all("SELECT seq, at, officer, device_id, action, entity, entity_id, reason FROM audit_entries "
                      "WHERE case_id = ? ORDER BY at DESC, id DESC LIMIT ?", (case_id, HISTORY_LIMIT))
    names = ("seq", "at", "officer", "device_id", "action", "entity", "entity_id", "reason")
    return {"case_id": case_id, "entries": [dict(zip(names, r, strict=True)) for r in rows]}
