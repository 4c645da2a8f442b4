"""Changes pulled from the central office, written into the store without journalling them again.

A page of changes and the cursor after it are written in one transaction, so a crash leaves either
both or neither, and replaying a page writes the same values again (harmless). A field this laptop
has changed but not yet pushed is left alone: the local edit goes to the server, which merges it
(and raises a conflict if someone else changed the same field).

Each row is checked against the row schema (``sync.protocol.rows``) and applied in a savepoint of its own:
one this laptop cannot apply (an older office, a newer schema, a row that breaks a constraint) is
set aside in ``sync_quarantine`` with the reason, the rest of the page applies and the cursor
moves on, so one bad row never blocks a pull. A ``snapshot`` is a row sent whole because its case
entered this officer's scope. A case that leaves the officer's councils arrives as ``remove`` and
is deleted from this laptop (rows, photos, search entry, acknowledged journal); a case with local
edits not yet sent waits until they are, and one whose edits the office refused is kept and
reported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

import sqlcipher3

from heart_desktop.store import search
from heart_desktop.store.cases import STAGE_RANK
from heart_desktop.store.changes import SYNC
from heart_desktop.store.schema import BY_NAME, CASE, ENTITIES, encode
from heart_desktop.store.sync_state import read_state, write_state  # noqa: F401 (callers import them from here)
from heart_desktop.sync.protocol import OFFICE_ONLY
from heart_desktop.sync.protocol.rows import RowError, check_fields, store_needs

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

ERASED = "erased"  # a removal's ``to`` when the office erased the case (``central.retention``, ``privacy.erase``)
WINDOW = "window"  # a removal's ``to`` when the case closed before the laptop window (``central.scope``)
PULLED_OPS = frozenset({"insert", "update", "delete", "snapshot", "remove"})
STATE_KEYS = ("server", "device_id", "token", "officer", "cursor", "device_seq", "batch", "last_sync", "last_error",
              "last_contact")


def next_batch(store: Store, limit: int) -> dict[str, Any] | None:
    """The batch to send: the unanswered one again (same key, seq, content), or a new one of up to
    ``limit`` journal entries, kept with its key until the office answers it. ``body`` is the
    request's JSON, serialised once (the batch kept is that text with ``up_to``)."""
    import uuid

    state = read_state(store)
    if state.get("batch"):
        batch = dict(json.loads(state["batch"]))
        return {**batch, "body": push_body(batch).encode("utf-8")}
    rows = store.journal.pending_changes(limit=limit)
    if not rows:
        return None
    changes = []
    unknown: dict[str, list[dict[str, Any]]] = {}  # entity -> changes whose case is not in their fields
    for _seq, entity, entity_id, op, base_rev, rev, hlc, officer, text in rows:
        fields = json.loads(text)
        case_id = entity_id if entity == "case" else fields.get("case_id")
        change = {"entity": entity, "id": entity_id, "op": op, "base_rev": base_rev, "rev": rev, "hlc": hlc,
                  "officer": officer, "fields": fields, "case_id": case_id}
        if case_id is None and entity != "case":
            unknown.setdefault(entity, []).append(change)
        changes.append(change)
    for entity, missing in unknown.items():  # the row's case, from the row (one query per entity)
        ids = sorted({c["id"] for c in missing})
        found: dict[str, Any] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found |= dict(store.conn.execute(f"SELECT id, case_id FROM {BY_NAME[entity].table} WHERE id IN "
                                             f"({', '.join('?' for _ in chunk)})", chunk).fetchall())
        for change in missing:
            change["case_id"] = found.get(change["id"])
    batch = {"key": uuid.uuid4().hex, "device_seq": int(state.get("device_seq") or 0) + 1, "changes": changes,
             "up_to": rows[-1][0]}
    text = push_body(batch)
    body = text.encode("utf-8")  # before anything is kept: text that is not Unicode raises here
    with store.transaction():
        store.journal.mark_batch([row[0] for row in rows], batch["key"])
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('batch', ?)",
                           (f'{text[:-1]},"up_to":{int(batch["up_to"])}}}',))
    return {**batch, "body": body}


def push_body(batch: Mapping[str, Any]) -> str:
    """The push request's JSON for a batch: its key, sequence number and changes (as httpx sends
    JSON: UTF-8, compact, no NaN)."""
    return json.dumps({"key": batch["key"], "device_seq": batch["device_seq"], "changes": batch["changes"]},
                      ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def batch_answered(store: Store, batch: Mapping[str, Any]) -> None:
    """The office answered this batch: its entries are acknowledged and the next one may go."""
    with store.transaction():
        store.journal.acknowledge(int(batch["up_to"]))
        store.conn.execute("DELETE FROM sync_state WHERE key = 'batch'")
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('device_seq', ?)",
                           (str(batch["device_seq"]),))


def waiting(store: Store) -> int:
    """Journal entries the office has not acknowledged yet."""
    return int(store.conn.execute("SELECT count(*) FROM journal WHERE acked_at IS NULL").fetchone()[0])


def local_rows(store: Store) -> list[tuple[str, str, int]]:
    """(entity, id, rev) of every row this laptop holds, as the office counts them, less the cases
    kept on purpose after leaving its scope (``kept_cases``)."""
    kept = [k.removeprefix("remove:") for (k,) in store.conn.execute(
        "SELECT key FROM sync_state WHERE key LIKE 'remove:%'")]
    marks = ", ".join("?" for _ in kept)
    rows: list[tuple[str, str, int]] = []
    for entity in ENTITIES:
        if entity.name in OFFICE_ONLY:  # kept by the laptop that took them until the office has them
            continue
        column = "id" if entity is CASE else "case_id"
        sql = f"SELECT id, rev FROM {entity.table}" + (f" WHERE {column} NOT IN ({marks})" if kept else "")
        rows += [(entity.name, row_id, int(rev)) for row_id, rev in store.conn.execute(sql, kept)]
    return rows


def _pending_fields(store: Store, entity: str, row_id: str) -> set[str]:
    rows = store.conn.execute("SELECT changes FROM journal WHERE acked_at IS NULL AND entity = ? AND entity_id = ?",
                              (entity, row_id))
    return {name for (changes,) in rows for name in json.loads(changes)}


def apply_page(store: Store, changes: Sequence[Mapping[str, Any]], cursor: int) -> int:
    """Write a pulled page and its cursor in one transaction; returns how many rows changed."""
    try:
        # the usual page applies in one transaction; a row the database refuses rolls it back and
        # sends the page round again with a savepoint per row, so only that row is set aside
        return _apply_rows(store, changes, cursor, one_by_one=False)
    except (sqlcipher3.DatabaseError, KeyError, TypeError, ValueError):
        return _apply_rows(store, changes, cursor, one_by_one=True)


def _apply_rows(store: Store, changes: Sequence[Mapping[str, Any]], cursor: int, one_by_one: bool) -> int:
    touched_cases: set[str] = set()
    written = 0
    with store.transaction(origin=SYNC):
        for change in changes:
            if not one_by_one:
                try:
                    written += _apply_checked(store, change, touched_cases)
                except RowError as exc:  # the schema's check comes before any write
                    quarantine(store, change, str(exc))
                continue
            try:
                with store.transaction():  # a savepoint: a row that fails leaves nothing behind
                    written += _apply_checked(store, change, touched_cases)
            except (RowError, sqlcipher3.DatabaseError, KeyError, TypeError, ValueError) as exc:
                quarantine(store, change, str(exc))
        for case_id in touched_cases:
            if store.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
                store.cases.refresh_derived(case_id)
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('cursor', ?)", (str(cursor),))
    return written


def _apply_checked(store: Store, change: Mapping[str, Any], touched_cases: set[str]) -> int:
    entity, row_id, op = change.get("entity"), change.get("id"), change.get("op")
    if not isinstance(entity, str) or entity not in BY_NAME or not isinstance(row_id, str):
        raise RowError(f"unknown entity {entity!r}")
    if op not in PULLED_OPS:
        raise RowError(f"{entity} {row_id}: unknown operation {op!r}")
    hlc = change.get("hlc")
    if isinstance(hlc, str) and hlc:
        with suppress(ValueError, IndexError):  # a stamp not in the clock's form moves no clock
            store.clock.observe(hlc)
    if op == "remove":
        fields = change.get("fields")
        why = removal_reason(fields if isinstance(fields, Mapping) else {})
        remove_case(store, row_id, erased=why["reason"] == "erased", why=why)
        return 0
    fields = change.get("fields")
    if not isinstance(fields, Mapping):
        raise RowError(f"{entity} {row_id}: fields must be an object")
    table = BY_NAME[entity].table
    held = store.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None
    has_patch = any(isinstance(fields.get(n), Mapping) and set(fields[n]) <= {"patch", "unset"}
                    for n in BY_NAME[entity].patch_fields)
    case_id = row_id if entity == "case" else change.get("case_id") or fields.get("case_id")
    case_held = entity == "case" or store.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone()
    if not held and ((op in ("update", "delete") and not _whole(entity, fields)) or not case_held):
        # a change to a case this laptop does not have yet: the case entered this officer's scope,
        # and the office sends it whole (a snapshot) later in this same pull, so nothing is set aside
        return 0
    check_fields(entity, row_id, fields, new=not held, update=op == "update" and has_patch)
    written = _apply_one(store, change)
    if case_id:
        touched_cases.add(str(case_id))
    if written:
        store.touch(entity, str(case_id) if case_id else None)
    return written


def _whole(entity: str, fields: Mapping[str, Any]) -> bool:
    """Whether a change carries every field a new row of ``entity`` needs in the store."""
    return all(fields.get(name) is not None for name in store_needs(entity))


def quarantine(store: Store, change: Mapping[str, Any], reason: str) -> None:
    """Set a row aside with the reason it could not be applied (shown in the sync status)."""
    from datetime import UTC, datetime

    def text(value: Any, size: int) -> str | None:
        return None if value is None else str(value).encode("utf-8", "replace").decode()[:size]

    store.conn.execute(
        "INSERT INTO sync_quarantine (seq, entity, entity_id, case_id, reason, change, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (change.get("seq") if isinstance(change.get("seq"), int) else None, text(change.get("entity"), 40) or "",
         text(change.get("id"), 64) or "", text(change.get("case_id"), 64), text(reason, 500),
         json.dumps(change, default=str)[:100_000], datetime.now(UTC).isoformat(timespec="seconds")))


def quarantined(store: Store, limit: int = 20) -> tuple[int, list[dict[str, Any]]]:
    """How many rows are set aside, and the latest of them with their reasons."""
    count = int(store.conn.execute("SELECT count(*) FROM sync_quarantine").fetchone()[0])
    rows = store.conn.execute("SELECT entity, entity_id, case_id, reason, at FROM sync_quarantine ORDER BY n DESC "
                              "LIMIT ?", (limit,)).fetchall()
    return count, [dict(zip(("entity", "id", "case_id", "reason", "at"), r, strict=True)) for r in rows]


def _apply_one(store: Store, change: Mapping[str, Any]) -> int:
    entity = BY_NAME[str(change["entity"])]
    row_id, fields = str(change["id"]), dict(change.get("fields") or {})
    current = store.conn.execute(f"SELECT rev FROM {entity.table} WHERE id = ?", (row_id,)).fetchone()
    mine = _pending_fields(store, entity.name, row_id)
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in mine:
            continue
        if name == "deleted":
            values["deleted"] = 1 if value else 0
            continue
        kind = entity.fields.get(name)
        if kind is None or name in entity.local_fields:
            continue
        if name in entity.patch_fields and isinstance(value, Mapping) and set(value) <= {"patch", "unset"}:
            stored = store.conn.execute(f"SELECT {name} FROM {entity.table} WHERE id = ?", (row_id,)).fetchone()
            merged = dict(json.loads(stored[0]) if stored and stored[0] else {})
            merged.update(value.get("patch") or {})
            for key in value.get("unset") or []:
                merged.pop(key, None)
            value = merged
        values[name] = encode(kind, value)  # journal values: JSON fields as structures
    if entity is CASE and "stage" in values:
        values["stage_rank"] = STAGE_RANK.get(str(values["stage"]), 0)
    if entity.name in ("attachment", "document") and values.get("sha256"):
        _expect_file(store, str(values["sha256"]))
    if entity is CASE and values.get("reference"):
        _make_way(store, str(values["reference"]), row_id)
    stamp = {"rev": int(change["rev"]), "updated_at": str(change["hlc"]), "updated_by": str(change.get("officer"))}
    if current is None:
        if change["op"] == "update" and not values:
            return 0
        row = {"id": row_id, **values, **stamp}
        if entity is not CASE and "case_id" not in row and change.get("case_id"):
            row["case_id"] = change["case_id"]
        names = ", ".join(row)
        store.conn.execute(f"INSERT INTO {entity.table} ({names}) VALUES ({', '.join('?' for _ in row)})",
                           tuple(row.values()))
    else:
        if int(current[0]) > int(change["rev"]) and not values:
            return 0
        stamp["rev"] = max(int(current[0]), int(change["rev"]))
        assignments = {**values, **stamp}
        store.conn.execute(f"UPDATE {entity.table} SET {', '.join(f'{k} = ?' for k in assignments)} WHERE id = ?",
                           (*assignments.values(), row_id))
    if entity is CASE:
        n = store.conn.execute("SELECT n FROM cases WHERE id = ?", (row_id,)).fetchone()[0]
        search.index_cases(store.conn, [n])
    return 1


def _expect_file(store: Store, digest: str) -> None:
    """A row naming a file this laptop does not have yet: a placeholder until the file is fetched."""
    from datetime import UTC, datetime

    from heart_desktop.store.attachments import PENDING_MIME

    store.conn.execute("INSERT OR IGNORE INTO blobs (sha256, mime, size, created_at, data) VALUES (?, ?, 0, ?, ?)",
                       (digest, PENDING_MIME, datetime.now(UTC).isoformat(timespec="seconds"), b""))


def pending_files(store: Store) -> list[str]:
    from heart_desktop.store.attachments import PENDING_MIME

    return [d for (d,) in store.conn.execute("SELECT sha256 FROM blobs WHERE mime = ?", (PENDING_MIME,))]


def expected_size(store: Store, digest: str) -> int:
    """The size in bytes the photo or pack rows give for a file not yet fetched (0 if none says)."""
    row = store.conn.execute(
        "SELECT max(size) FROM (SELECT size FROM attachments WHERE sha256 = ? "
        "UNION ALL SELECT size FROM documents WHERE sha256 = ?)", (digest, digest)).fetchone()
    return int(row[0] or 0) if row else 0


def files_to_send(store: Store) -> list[str]:
    """Files named by this laptop's attachment and document rows that the office has not confirmed."""
    from heart_desktop.store.attachments import PENDING_MIME

    sent = {key.removeprefix("sent:") for (key,) in store.conn.execute(
        "SELECT key FROM sync_state WHERE key LIKE 'sent:%'")}
    named = store.conn.execute(
        "SELECT DISTINCT b.sha256 FROM blobs b WHERE b.mime != ? AND (b.sha256 IN (SELECT sha256 FROM attachments) "
        "OR b.sha256 IN (SELECT sha256 FROM documents))", (PENDING_MIME,))
    return [d for (d,) in named if d not in sent]


def file_arrived(store: Store, digest: str, data: bytes) -> None:
    """The fetched bytes replace the placeholder (the caller checked the hash)."""
    mime = store.conn.execute("SELECT mime FROM attachments WHERE sha256 = ? UNION SELECT 'application/pdf' "
                              "FROM documents WHERE sha256 = ? LIMIT 1", (digest, digest)).fetchone()
    with store.transaction():
        store.conn.execute("UPDATE blobs SET data = ?, size = ?, mime = ? WHERE sha256 = ?",
                           (data, len(data), mime[0] if mime else "application/octet-stream", digest))


def _make_way(store: Store, reference: str, case_id: str) -> None:
    """Another laptop's case holds this reference at the office; a local case numbered the same while
    offline steps aside (marked ~) until the office's number for it arrives."""
    clash = store.conn.execute("SELECT id FROM cases WHERE reference = ? AND id != ?", (reference, case_id)).fetchone()
    if clash is not None:
        store.conn.execute("UPDATE cases SET reference = ? WHERE id = ?", (f"{reference}~{clash[0][:6]}", clash[0]))


def remove_case(store: Store, case_id: str, erased: bool = False, why: Mapping[str, Any] | None = None) -> None:
    """The case left this officer's councils: delete it from the laptop, once nothing of it waits
    to be sent; a case whose edits the office refused is kept, and said so in the sync status.

    A case the office erased (``erased``) goes at once whatever waits or was refused: the office
    will never take its changes, so its unsent journal entries are dropped (marked sent, then
    deleted, as the journal lets only sent entries go), and ``erased:<id>`` tells the sync report
    how many were dropped. Its audit entries' free-text reasons are blanked once the case is gone
    (format-2 entries only; ``store.audit.erase_reasons``). ``why`` is the office's reason for the
    removal, kept for the sync report of the cases that left."""
    held = store.conn.execute("SELECT reference, council FROM cases WHERE id = ?", (case_id,)).fetchone()
    if held is None:
        return
    _remove_case(store, case_id, held, erased, why)
    if erased and not store.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
        store.audit.erase_reasons(case_id)


def _remove_case(store: Store, case_id: str, held: Any, erased: bool, why: Mapping[str, Any] | None) -> None:
    left = _left_entry(store, case_id, held, why)
    ids = _row_ids(store, case_id)
    marks = ", ".join("?" for _ in ids)
    if erased:
        dropped = store.conn.execute(f"UPDATE journal SET acked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                                     f"WHERE acked_at IS NULL AND entity_id IN ({marks})", ids).rowcount
        store.conn.execute(f"DELETE FROM sync_state WHERE key IN ({marks})", [f"refused:{i}" for i in ids])
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                           (f"erased:{case_id}", str(dropped)))
        left["dropped"] = dropped
    waiting = store.conn.execute(f"SELECT 1 FROM journal WHERE acked_at IS NULL AND entity_id IN ({marks}) LIMIT 1",
                                 ids).fetchone()
    if waiting:
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, 'waiting')",
                           (f"remove:{case_id}",))
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                           (f"leaving:{case_id}", json.dumps(left, sort_keys=True)))
        return
    if refused_ids(store) & set(ids):
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, 'kept: the office refused "
                           "changes to it')", (f"remove:{case_id}",))
        store.conn.execute("DELETE FROM sync_state WHERE key = ?", (f"leaving:{case_id}",))
        return
    n = store.conn.execute("SELECT n FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    store.conn.execute("DELETE FROM case_search WHERE rowid = ?", (n,))
    files = {d for (d,) in store.conn.execute(
        "SELECT sha256 FROM attachments WHERE case_id = ? UNION SELECT sha256 FROM documents WHERE case_id = ?",
        (case_id, case_id))}
    for entity in reversed(ENTITIES):
        column = "id" if entity is CASE else "case_id"
        store.conn.execute(f"DELETE FROM {entity.table} WHERE {column} = ?", (case_id,))
    store.conn.execute(f"DELETE FROM journal WHERE acked_at IS NOT NULL AND entity_id IN ({marks})", ids)
    for digest in files:
        still = store.conn.execute("SELECT 1 FROM attachments WHERE sha256 = ? UNION SELECT 1 FROM documents WHERE "
                                   "sha256 = ? LIMIT 1", (digest, digest)).fetchone()
        if still is None:
            store.conn.execute("DELETE FROM thumbnails WHERE sha256 = ?", (digest,))
            store.conn.execute("DELETE FROM blobs WHERE sha256 = ?", (digest,))
    store.conn.execute("DELETE FROM sync_state WHERE key IN (?, ?)", (f"remove:{case_id}", f"leaving:{case_id}"))
    store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                       (f"left:{case_id}", json.dumps(left, sort_keys=True)))
    store.touch("case", case_id)  # the case left this laptop: views showing it let it go


def removal_reason(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Why the office took a case off this laptop, from its removal's fields (``to``): erased
    (with the office's rule when it sends one), closed before the laptop window, or now in a
    council this officer does not cover."""
    to = fields.get("to")
    if to == ERASED:
        rule = fields.get("rule")
        return {"reason": "erased", **({"rule": rule} if isinstance(rule, str) else {})}
    if to == WINDOW:
        return {"reason": "window"}
    return {"reason": "moved", **({"to": to} if isinstance(to, str) else {})}


def _left_entry(store: Store, case_id: str, held: Sequence[Any], why: Mapping[str, Any] | None) -> dict[str, Any]:
    """What is said of a case leaving: its reference and council, the reason (the office's removal,
    or the one a waiting removal kept), and for the window the office's days for its council."""
    if why is None:
        kept = store.conn.execute("SELECT value FROM sync_state WHERE key = ?", (f"leaving:{case_id}",)).fetchone()
        why = json.loads(kept[0]) if kept else {"reason": "unseen"}
    left = {**why, "case_id": case_id, "ref": held[0], "council": held[1]}
    if left["reason"] == "window" and "days" not in left:
        window = store.conn.execute("SELECT value FROM sync_state WHERE key = 'window_days'").fetchone()
        days = json.loads(window[0]).get(str(held[1])) if window else None
        if isinstance(days, int):
            left["days"] = days
    return left


def _row_ids(store: Store, case_id: str) -> list[str]:
    ids = [case_id]
    for entity in ENTITIES:
        if entity is not CASE:
            ids += [r[0] for r in store.conn.execute(f"SELECT id FROM {entity.table} WHERE case_id = ?", (case_id,))]
    return ids


def finish_removals(store: Store) -> None:
    """Delete the cases whose removal waited for their local edits to be sent."""
    waiting = [k.removeprefix("remove:") for (k, v) in store.conn.execute(
        "SELECT key, value FROM sync_state WHERE key LIKE 'remove:%'") if v == "waiting"]
    for case_id in waiting:
        with store.transaction(origin=SYNC):
            if _reopened_here(store, case_id) and not _unsent(store, case_id):
                # the work that waited reopened the case and the office has it: the case is back in the
                # laptop window, so it stays
                store.conn.execute("DELETE FROM sync_state WHERE key IN (?, ?)",
                                   (f"remove:{case_id}", f"leaving:{case_id}"))
                continue
            remove_case(store, case_id)


def _unsent(store: Store, case_id: str) -> bool:
    ids = _row_ids(store, case_id)
    return store.conn.execute(f"SELECT 1 FROM journal WHERE acked_at IS NULL AND entity_id IN "
                              f"({', '.join('?' for _ in ids)}) LIMIT 1", ids).fetchone() is not None


def _reopened_here(store: Store, case_id: str) -> bool:
    """A case removed for closing before the laptop window that is open again on this laptop."""
    kept = store.conn.execute("SELECT value FROM sync_state WHERE key = ?", (f"leaving:{case_id}",)).fetchone()
    if not kept or json.loads(kept[0]).get("reason") != "window":
        return False
    row = store.conn.execute("SELECT outcome FROM cases WHERE id = ?", (case_id,)).fetchone()
    return row is not None and row[0] is None


def remember_refusals(store: Store, sent: Sequence[str], refused: Sequence[Mapping[str, Any]]) -> None:
    """Remember which rows the office refused (until a later change to them is taken), so a case
    that leaves scope with refused work is kept, and a case the office never took is not pruned."""
    with store.transaction():
        store.conn.execute("DELETE FROM sync_state WHERE key IN (SELECT 'refused:' || value FROM json_each(?))",
                           (json.dumps([str(row_id) for row_id in sent]),))
        for item in refused:
            if item.get("id"):
                store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                                   (f"refused:{item['id']}", str(item.get("reason") or "")[:500]))


def refused_ids(store: Store) -> set[str]:
    return {k.removeprefix("refused:") for (k,) in store.conn.execute(
        "SELECT key FROM sync_state WHERE key LIKE 'refused:%'")}


def take_erased(store: Store) -> list[dict[str, Any]]:
    """The cases the office erased that left this laptop since last asked, with how many unsent
    changes to each were dropped (for the sync report); asking forgets them."""
    rows = store.conn.execute("SELECT key, value FROM sync_state WHERE key LIKE 'erased:%' ORDER BY key").fetchall()
    if rows:
        with store.transaction():
            store.conn.execute("DELETE FROM sync_state WHERE key LIKE 'erased:%'")
    return [{"case_id": k.removeprefix("erased:"), "dropped": int(v)} for (k, v) in rows]


def take_left(store: Store) -> list[dict[str, Any]]:
    """The cases that left this laptop since last asked, each with its reference and the office's
    reason (``removal_reason``; ``unseen`` when a pull from the beginning no longer brought it), by
    reference; a case held again by now (it came back in the same pull) is not said to have left.
    Asking forgets them."""
    rows = store.conn.execute("SELECT key, value FROM sync_state WHERE key LIKE 'left:%'").fetchall()
    if not rows:
        return []
    with store.transaction():
        store.conn.execute("DELETE FROM sync_state WHERE key LIKE 'left:%'")
    held = {r[0] for r in store.conn.execute("SELECT id FROM cases")}
    left = [json.loads(value) for key, value in rows if key.removeprefix("left:") not in held]
    return sorted(left, key=lambda item: (str(item.get("ref") or ""), str(item["case_id"])))


def kept_cases(store: Store) -> list[dict[str, str]]:
    """Cases that left this officer's scope but stay on the laptop, with why."""
    return [{"case_id": k.removeprefix("remove:"), "why": v} for (k, v) in store.conn.execute(
        "SELECT key, value FROM sync_state WHERE key LIKE 'remove:%'")]


def prune_unseen(store: Store, seen: set[str]) -> int:
    """After pulling everything again: cases the office no longer sends this laptop are removed.
    A case made on this laptop that the office never took (it refused it) is kept and reported."""
    gone = 0
    for (case_id,) in store.conn.execute("SELECT id FROM cases").fetchall():
        if case_id in seen:
            continue
        with store.transaction(origin=SYNC):
            if case_id in refused_ids(store):
                store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                                   (f"remove:{case_id}", "kept: made on this laptop, the office did not take it"))
                continue
            remove_case(store, case_id, why={"reason": "unseen"})
            gone += 1
    return gone


def held_cases(store: Store) -> dict[str, Any]:
    """What this laptop holds, for the caseload's "Holding ..." line: how many cases (open and
    closed), the officer's councils (as enrolled, else those of the cases held) and the office's
    laptop window (days per council; None before the first pull or when not enrolled)."""
    state = read_state(store)
    total, closed = store.conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE outcome IS NOT NULL AND outcome_on IS NOT NULL) FROM cases").fetchone()
    enrolled = bool(state.get("token"))
    councils = (state.get("councils") or "").split() if enrolled else [
        r[0] for r in store.conn.execute("SELECT DISTINCT council FROM cases WHERE council IS NOT NULL")]
    window = json.loads(state["window_days"]) if state.get("window_days") else None
    return {"cases": int(total), "open": int(total) - int(closed), "closed": int(closed), "enrolled": enrolled,
            "councils": sorted(councils), "window_days": window}
