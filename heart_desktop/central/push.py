"""One pushed batch applied at the office, inside the push's transaction.

Each change is checked before anything is written: its shape and fields against the row schema
(``sync.protocol.rows``: types, ranges, required fields), the case's *current* council against the
officer's, the officer's role against what the change does (``domain.permissions``), and the
rules that keep shared rows whole (a row never changes case, a case's reference is the office's,
a signed pack and a completed form are frozen). A refused change is answered with its reason and
never stored or served; the rest of the batch still applies.

The office decides who wrote a change: the feed, conflicts and every author field carry the
authenticated device's officer, whatever the device said.

Rows are read for the whole batch in a few queries and written together at the end (on
PostgreSQL new rows and feed entries by ``COPY``, see ``Transaction.insert_rows``), so a batch of
500 costs a handful of round trips, not thousands.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.permissions import panel_author_refusal, refusal
from heart_desktop.sync.protocol import (
    ENTITY_FIELDS,
    FROZEN_FORM_STATES,
    PATCH_FIELDS,
    Change,
    ProtocolError,
    PushResult,
    canonical,
    change_from_json,
    merge_patch,
)
from heart_desktop.sync.protocol.rows import AUTHOR_FIELDS, FROZEN_WHEN_SIGNED, IMMUTABLE, RowError, check_fields

if TYPE_CHECKING:
    from heart_desktop.central.db import Transaction
    from heart_desktop.central.service import Device

REFERENCE = re.compile(r"^([A-Z]+)/(\d\d)/(\d{5})$")
FEED_COLUMNS = ("entity", "id", "case_id", "council", "op", "base_rev", "rev", "hlc", "officer", "device_id", "fields",
                "target")
RECORD_COLUMNS = ("entity", "id", "case_id", "council", "rev", "fields", "hlc")
CONFLICT_COLUMNS = ("entity", "record_id", "field", "kept", "offered", "device_id", "officer", "hlc", "created_at")
OUT_OF_SCOPE = "that case is not in the councils this officer covers"
ERASED_CASE = "that case was erased at the office when its retention period ended; it cannot be sent again"
RESTRICTED_CASE = ("that case is restricted at the person's request (UK GDPR Art 18): the office keeps it as it is "
                   "and takes no change to it until the restriction is lifted; ask your manager")
SNAPSHOT = "snapshot"  # a row sent whole because its case entered the laptop's scope
REMOVE = "remove"


def snapshot_entry(entity: str, row_id: str, case_id: str | None, council: str, rev: int, fields: str, hlc: str,
                   device: Device, target: str | None) -> tuple[Any, ...]:
    """A feed entry that carries a row whole (``fields`` as stored), for ``council``'s laptops or one."""
    return (entity, row_id, row_id if entity == "case" else case_id, council, SNAPSHOT, rev - 1, rev, hlc,
            device.officer, device.id, fields, target)


def removal_entry(case_id: str, council: str, to: str, hlc: str, device: Device,
                  target: str | None) -> tuple[Any, ...]:
    """A feed entry telling ``council``'s laptops (or one) to take a case off; it is now in ``to``."""
    return ("case", case_id, case_id, council, REMOVE, 0, 0, hlc, device.officer, device.id, canonical({"to": to}),
            target)


@dataclass
class Record:
    rev: int
    fields: dict[str, Any]
    council: str | None
    case_id: str | None
    new: bool = False  # inserted by this batch
    dirty: bool = False
    hlc: str = ""
    text: str | None = None  # the fields as stored, once made


@dataclass
class Pending:
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    feed: list[tuple[Any, ...]] = field(default_factory=list)
    conflicts: list[tuple[Any, ...]] = field(default_factory=list)
    file_refs: dict[tuple[str, str], str] = field(default_factory=dict)
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)  # case id -> (from, to)
    references: list[tuple[str, str]] = field(default_factory=list)  # (reference, case id) assigned


def file_digest(entity: str, fields: dict[str, Any]) -> str | None:
    digest = fields.get("sha256") if entity in ("attachment", "document") else None
    return digest if isinstance(digest, str) else None


class BatchApplier:
    """Applies one batch's changes for one device; ``flush`` writes what they did."""

    def __init__(self, tx: Transaction, device: Device, now: str) -> None:
        self.tx, self.device, self.now = tx, device, now
        self.pending = Pending()
        self.erased: set[str] = set()
        self.restricted: set[str] = set()

    # --- reading ------------------------------------------------------------------------------

    def preload(self, raws: list[Any]) -> None:
        """Read every row the batch names, and their cases, in a query per entity (by the primary
        key, so the time does not grow with the office's database)."""
        wanted_rows: dict[str, set[str]] = {}
        for r in raws:
            if not isinstance(r, dict):
                continue
            entity, row_id, fields = r.get("entity"), r.get("id"), r.get("fields")
            if isinstance(entity, str) and entity in ENTITY_FIELDS and isinstance(row_id, str):
                wanted_rows.setdefault(entity, set()).add(row_id)
            for case_id in (r.get("case_id"), fields.get("case_id") if isinstance(fields, dict) else None):
                if isinstance(case_id, str):
                    wanted_rows.setdefault("case", set()).add(case_id)
        for name, row_ids in sorted(wanted_rows.items()):
            for entity, row_id, rev, fields, council, case_id in self.tx.all_in(
                    "SELECT entity, id, rev, fields, council, case_id FROM records WHERE entity = ? AND id {values}",
                    sorted(row_ids), (name,)):
                self.pending.records[(entity, row_id)] = Record(int(rev), json.loads(fields), council, case_id)
        # cases erased by retention (central/retention.py): a laptop that still holds one cannot push it back
        self.erased = {r[0] for r in self.tx.all_in("SELECT case_id FROM erased_cases WHERE case_id {values}",
                                                    sorted(wanted_rows.get("case", set())))}
        # cases restricted at the person's request (central/privacy.py): laptops may not change them
        self.restricted = {r[0] for r in self.tx.all_in("SELECT case_id FROM restricted_cases WHERE case_id {values}",
                                                        sorted(wanted_rows.get("case", set())))}
        # a row looked for and not found is not looked for again
        self._known = {(name, row_id) for name, row_ids in wanted_rows.items() for row_id in row_ids}
        wanted = sorted({str(r["fields"]["reference"]) for r in raws
                         if isinstance(r, dict) and r.get("entity") == "case" and isinstance(r.get("fields"), dict)
                         and isinstance(r["fields"].get("reference"), str)})
        self._looked_up = set(wanted)
        self.references: dict[str, str] = {}  # reference -> the case holding it, at the office or in this batch
        self.references |= dict(self.tx.all_in("SELECT reference, case_id FROM case_refs WHERE reference {values}",
                                               wanted))

    def record(self, entity: str, row_id: str) -> Record | None:
        found = self.pending.records.get((entity, row_id))
        if found is None and (entity, row_id) not in self._known:
            row = self.tx.one("SELECT rev, fields, council, case_id FROM records WHERE entity = ? AND id = ?",
                              (entity, row_id))
            if row is not None:
                found = Record(int(row[0]), json.loads(row[1]), row[2], row[3])
                self.pending.records[(entity, row_id)] = found
        return found

    def case_council(self, case_id: str | None) -> str | None:
        case = self.record("case", case_id) if case_id else None
        return case.council if case else None

    # --- applying ----------------------------------------------------------------------------

    def apply(self, raw: Any, result: PushResult) -> None:
        try:
            change = change_from_json(raw, check_rows=False)  # the fields are checked in _refusal
        except ProtocolError as exc:
            ident = raw.get("id") if isinstance(raw, dict) else None
            entity = raw.get("entity") if isinstance(raw, dict) else None
            result.refused.append({"entity": str(entity if isinstance(entity, str) else "")[:40],
                                   "id": str(ident if isinstance(ident, str) else "")[:64], "reason": str(exc)})
            return
        reason = self._refusal(change)
        if reason is not None:
            result.refused.append({"entity": change.entity, "id": change.id, "reason": reason})
            return
        existing = self.record(change.entity, change.id)
        fields = self._authored(change)
        if existing is None:
            council = str(fields["council"]) if change.entity == "case" else self.case_council(change.case_id)
            if change.entity == "case":
                fields["reference"] = self._reference(change, council)
            self._write(change, fields, 1, str(council), change.case_id, "insert", 0, fields, None)
            result.accepted += 1
            if change.entity == "form_submission" and fields.get("base_id"):
                result.conflicts += self._check_base(change, str(council))
            return
        if change.entity == "form_submission" and existing.fields.get("status") in FROZEN_FORM_STATES:
            result.conflicts.append(self._conflict(change, "status", existing.fields.get("status"), "edit",
                                                   existing))
            return
        taken = self._fields_changed_since(change) if change.base_rev < existing.rev else set()
        applied: dict[str, Any] = {}
        patches = PATCH_FIELDS.get(change.entity, frozenset())
        for name, value in fields.items():
            if name in taken and name not in patches:
                result.conflicts.append(self._conflict(change, name, existing.fields.get(name), value, existing))
                continue
            applied[name] = value
        if not applied:
            return
        merged = dict(existing.fields)
        for name, value in applied.items():
            merged[name] = merge_patch(existing.fields.get(name), value) if name in patches else value
        council = existing.council
        if change.entity == "case" and merged.get("council") != existing.council:
            council = str(merged["council"])
            self.pending.moved[change.id] = (str(existing.council), council)
            for rec in self.pending.records.values():
                if rec.case_id == change.id:
                    rec.council = council
        self._write(change, merged, existing.rev + 1, str(council), existing.case_id, change.op, existing.rev,
                    applied, existing)
        if change.id in self.pending.moved and change.entity == "case":
            self._announce_move(change.id, change.hlc)
        result.accepted += 1

    def _announce_move(self, case_id: str, hlc: str) -> None:
        """Right after the change that moved it: a removal for the old council's laptops, and the
        whole case for the new council's, so later changes in the feed find it there."""
        old, new = self.pending.moved[case_id]
        rows: dict[tuple[str, str], tuple[str | None, int, str, str]] = {
            (e, i): (c, int(rev), fields, row_hlc) for e, i, c, rev, fields, row_hlc in self.tx.all(
                "SELECT entity, id, case_id, rev, fields, hlc FROM records WHERE (entity = 'case' AND id = ?) OR "
                "(entity != 'case' AND case_id = ?)", (case_id, case_id))}
        for (entity, row_id), rec in self.pending.records.items():
            if (entity == "case" and row_id == case_id) or (entity != "case" and rec.case_id == case_id):
                rows[(entity, row_id)] = (rec.case_id, rec.rev, canonical(rec.fields), rec.hlc)
        device = self.device
        self.pending.feed.append(removal_entry(case_id, old, new, hlc, device, None))
        for (entity, row_id), (row_case, rev, fields, row_hlc) in sorted(
                rows.items(), key=lambda item: (item[0][0] != "case", item[0])):
            self.pending.feed.append(snapshot_entry(entity, row_id, row_case, new, rev, fields, row_hlc or hlc, device,
                                                    None))

    def _refusal(self, change: Change) -> str | None:
        """Why this change may not be applied, or None."""
        existing = self.record(change.entity, change.id)
        case_id = change.id if change.entity == "case" else (existing.case_id if existing else change.case_id)
        if case_id in self.erased:  # before the field checks: an update of an erased case finds no row to update
            return ERASED_CASE
        try:
            check_fields(change.entity, change.id, change.fields, new=existing is None,
                         update=change.op == "update" and existing is not None)
        except RowError as exc:
            return str(exc)
        if case_id in self.restricted:
            return RESTRICTED_CASE
        if existing is None and change.entity != "case" and change.case_id and self.record("case",
                                                                                           change.case_id) is None:
            return (f"{change.entity} {change.id}: its case {change.case_id} is not at the office "
                    "(not sent, or refused: not in the councils this officer covers)")
        council = existing.council if existing else (
            change.fields.get("council") if change.entity == "case" else self.case_council(case_id))
        if council not in self.device.councils:
            return OUT_OF_SCOPE
        if change.entity == "case" and change.fields.get("council") not in (None, *self.device.councils):
            return "a case can only be moved to a council this officer covers"
        if existing is not None:
            for name in IMMUTABLE.get(change.entity, frozenset()) & set(change.fields):
                if existing.fields.get(name) not in (None, change.fields[name]) and not (
                        name == "case_id" and change.fields[name] == existing.case_id):
                    return f"{change.entity} {change.id}: field {name!r} cannot be changed once set"
            if change.entity == "document" and existing.fields.get("signed"):
                frozen = sorted(n for n in FROZEN_WHEN_SIGNED & set(change.fields)
                                if change.fields[n] != existing.fields.get(n))
                if frozen:
                    return (f"document {change.id}: field {frozen[0]!r} cannot change: the pack is signed; "
                            "a change needs a new version")
        before = existing.fields if existing else None
        why = refusal(self.device.role, change.entity, change.fields, before) or panel_author_refusal(
            change.entity, change.fields, before, self.device.officer)
        return f"{change.entity} {change.id}: {why}" if why else None

    def _authored(self, change: Change) -> dict[str, Any]:
        """The change's fields with every author field set to the authenticated officer."""
        fields = dict(change.fields)
        for name in AUTHOR_FIELDS.get(change.entity, frozenset()) & set(fields):
            if fields[name] is not None:
                fields[name] = self.device.officer
        return fields

    def _check_base(self, change: Change, council: str) -> list[dict[str, Any]]:
        """A new version of a form must build on the latest one: two laptops revising the same
        version is a conflict a person settles (both versions are kept; nothing is lost)."""
        base = change.fields["base_id"]
        rivals = {row_id for row_id, fields in self.tx.all(
            "SELECT id, fields FROM records WHERE entity = 'form_submission' AND case_id = ? AND id != ?",
            (change.case_id, change.id)) if json.loads(fields).get("base_id") == base}
        rivals |= {key[1] for key, rec in self.pending.records.items() if key[0] == "form_submission"
                   and rec.case_id == change.case_id and key[1] != change.id and rec.fields.get("base_id") == base}
        if not rivals:
            return []
        existing = Record(0, {}, council, change.case_id)
        return [self._conflict(change, "base_id", sorted(rivals)[0], change.id, existing)]

    def _reference(self, change: Change, council: str) -> str:
        """The case's reference, unique across the service: laptops number new cases on their own
        while offline, so a number already taken (or not in the usual form) gets the next free one;
        the laptop learns it on its next pull."""
        wanted = str(change.fields.get("reference") or "")
        match = REFERENCE.match(wanted)
        if wanted not in self.references and match and wanted not in self._looked_up:
            found = self.tx.one("SELECT case_id FROM case_refs WHERE reference = ?", (wanted,))
            if found:
                self.references[wanted] = found[0]
        taken = self.references.get(wanted)
        if match is None or match.group(1) != council or (taken is not None and taken != change.id):
            year = match.group(2) if match else change.hlc[2:4]
            prefix = f"{council}/{year}/"
            last = self.tx.one("SELECT max(reference) FROM case_refs WHERE reference LIKE ?", (f"{prefix}%",))
            here = [ref for ref, _case in self.pending.references if ref.startswith(prefix)]
            highest = max([*([last[0]] if last and last[0] else []), *here], default=None)
            number = int(highest.rsplit("/", 1)[1]) + 1 if highest else 1
            wanted = f"{prefix}{number:05d}"
            taken = None
        if taken is None:
            self.references[wanted] = change.id
            self.pending.references.append((wanted, change.id))
        return wanted

    def _fields_changed_since(self, change: Change) -> set[str]:
        rows = self.tx.all("SELECT fields FROM feed WHERE entity = ? AND id = ? AND rev > ? AND op != 'remove'",
                           (change.entity, change.id, change.base_rev))
        names = {name for (fields,) in rows for name in json.loads(fields)}
        names |= {name for row in self.pending.feed if row[0] == change.entity and row[1] == change.id
                  and row[6] > change.base_rev for name in json.loads(row[10])}
        return names

    def _write(self, change: Change, fields: dict[str, Any], rev: int, council: str, case_id: str | None, op: str,
               base_rev: int, sent: dict[str, Any], existing: Record | None) -> None:
        key = (change.entity, change.id)
        if existing is None:  # a new row: what is stored and what is served are the same text
            stored = canonical(fields)
            self.pending.records[key] = Record(rev, fields, council, case_id, new=True, dirty=True, hlc=change.hlc,
                                               text=stored)
            text = stored if sent is fields else canonical(sent)
        else:
            existing.rev, existing.fields, existing.council, existing.dirty = rev, fields, council, True
            existing.hlc, existing.text = change.hlc, None
            text = canonical(sent)
        digest = file_digest(change.entity, fields)
        if digest:
            self.pending.file_refs[key] = digest
        self.pending.feed.append((change.entity, change.id, case_id, council, op, base_rev, rev, change.hlc,
                                  self.device.officer, self.device.id, text, None))

    def _conflict(self, change: Change, name: str, kept: Any, offered: Any, existing: Record) -> dict[str, Any]:
        """Record the conflict, and send it to every laptop of the case's council as a conflict row."""
        officer = self.device.officer
        self.pending.conflicts.append((change.entity, change.id, name, canonical(kept), canonical(offered),
                                       self.device.id, officer, change.hlc, self.now))
        case_id = change.id if change.entity == "case" else existing.case_id
        row = {"case_id": case_id, "entity": change.entity, "record_id": change.id, "field": name, "kept": kept,
               "offered": offered, "offered_by": officer, "offered_at": change.hlc[:24]}
        conflict = Change("conflict", uuid.uuid4().hex, "insert", 0, 1, change.hlc, officer, row, case_id)
        self._write(conflict, row, 1, str(existing.council), case_id, "insert", 0, row, None)
        return {"entity": change.entity, "id": change.id, "field": name, "kept": kept, "offered": offered,
                "officer": officer, "hlc": change.hlc, "conflict_id": conflict.id}

    # --- writing ------------------------------------------------------------------------------

    def flush(self) -> list[str]:
        """Write the batch's rows, feed entries, conflicts and file index; returns the ids of the
        cases that moved council (their new council's laptops need the whole case)."""
        tx, pending = self.tx, self.pending
        new = [(e, i, r.case_id, r.council, r.rev, r.text or canonical(r.fields), r.hlc)
               for (e, i), r in pending.records.items() if r.new]
        changed = [(r.rev, canonical(r.fields), r.council, r.hlc, e, i)
                   for (e, i), r in pending.records.items() if r.dirty and not r.new]
        tx.insert_rows("case_refs", ("reference", "case_id"), pending.references)
        tx.insert_rows("records", RECORD_COLUMNS, new)
        tx.update_rows("records", ("rev", "fields", "council", "hlc"), ("entity", "id"), changed)
        if pending.moved:
            tx.executemany("UPDATE records SET council = ? WHERE case_id = ? AND entity != 'case'",
                           [(to, case_id) for case_id, (_from, to) in pending.moved.items()])
        if pending.file_refs:
            tx.executemany("INSERT INTO file_refs (entity, record_id, sha256) VALUES (?, ?, ?) "
                           "ON CONFLICT (entity, record_id) DO UPDATE SET sha256 = excluded.sha256",
                           [(e, i, sha) for (e, i), sha in pending.file_refs.items()])
        tx.insert_rows("conflicts", CONFLICT_COLUMNS, pending.conflicts)
        tx.insert_rows("feed", FEED_COLUMNS, pending.feed)
        return list(pending.moved)
