"""Changes pulled from the central office, written into the store without journalling them again.

A page of changes and the cursor after it are written in one transaction, so a crash leaves either
both or neither, and replaying a page writes the same values again (harmless). A field this laptop
has changed but not yet pushed is left alone: the local edit goes to the server, which merges it
(and raises a conflict if someone else changed the same field). A case that leaves the officer's
councils arrives as ``remove`` and is taken off this laptop.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from heart_desktop.store import search
from heart_desktop.store.cases import STAGE_RANK
from heart_desktop.store.schema import BY_NAME, CASE, ENTITIES, encode

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

STATE_KEYS = ("server", "device_id", "token", "officer", "cursor", "device_seq", "batch", "last_sync", "last_error",
              "last_contact")


def read_state(store: Store) -> dict[str, str]:
    return {k: v for k, v in store.conn.execute("SELECT key, value FROM sync_state")}


def write_state(store: Store, **values: Any) -> None:
    with store.transaction():
        for key, value in values.items():
            if value is None:
                store.conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
            else:
                store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, str(value)))


def local_rows(store: Store, councils: Sequence[str]) -> list[tuple[str, str, int]]:
    """(entity, id, rev) of every row this laptop holds for those councils, as the office counts them."""
    marks = ", ".join("?" for _ in councils)
    rows: list[tuple[str, str, int]] = []
    for entity in ENTITIES:
        if entity is CASE:
            sql = f"SELECT id, rev FROM cases WHERE council IN ({marks})"
        else:
            sql = (f"SELECT t.id, t.rev FROM {entity.table} t JOIN cases c ON c.id = t.case_id "
                   f"WHERE c.council IN ({marks})")
        rows += [(entity.name, row_id, int(rev)) for row_id, rev in store.conn.execute(sql, list(councils))]
    return rows


def _pending_fields(store: Store, entity: str, row_id: str) -> set[str]:
    rows = store.conn.execute("SELECT changes FROM journal WHERE acked_at IS NULL AND entity = ? AND entity_id = ?",
                              (entity, row_id))
    return {name for (changes,) in rows for name in json.loads(changes)}


def apply_page(store: Store, changes: Sequence[Mapping[str, Any]], cursor: int) -> int:
    """Write a pulled page and its cursor in one transaction; returns how many rows changed."""
    touched_cases: set[str] = set()
    written = 0
    with store.transaction():
        for change in changes:
            if change.get("hlc"):
                store.clock.observe(str(change["hlc"]))
            if change["op"] == "remove":
                _remove_case(store, str(change["id"]))
                continue
            written += _apply_one(store, change)
            case_id = change["id"] if change["entity"] == "case" else change.get("case_id")
            if case_id:
                touched_cases.add(str(case_id))
        for case_id in touched_cases:
            if store.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
                store.cases.refresh_derived(case_id)
        store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('cursor', ?)", (str(cursor),))
    return written


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


def _remove_case(store: Store, case_id: str) -> None:
    """The case left this officer's councils: it goes from the laptop (rows marked deleted, locally)."""
    for entity in ENTITIES:
        column = "id" if entity is CASE else "case_id"
        store.conn.execute(f"UPDATE {entity.table} SET deleted = 1 WHERE {column} = ?", (case_id,))
    row = store.conn.execute("SELECT n FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is not None:
        search.index_cases(store.conn, [row[0]])
