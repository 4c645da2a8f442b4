"""The change journal: a transactional outbox of every local change, for sync to push.

Each repository write appends one entry in the same transaction as the row change, so a row
and its journal entry commit or vanish together. ``seq`` is AUTOINCREMENT: per device it
only ever increases and is never reused, even after acknowledged entries are pruned. Sync
(a later issue) takes ``pending()`` entries, stamps them with a batch idempotency key
(``mark_batch``) and, once the server confirms, ``acknowledge`` sets ``acked_at``; a
re-sent batch carries the same key, so the server can drop duplicates. Triggers forbid
changing an entry's content or deleting one not yet acknowledged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from heart_desktop.store.connection import Connection

_INSERT = ("INSERT INTO journal (device_id, tx, hlc, entity, entity_id, op, base_rev, rev, officer, changes) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    device_id: str
    tx: str
    hlc: str
    entity: str
    entity_id: str
    op: str
    base_rev: int
    rev: int
    officer: str
    changes: dict[str, Any]
    batch_id: str | None
    acked_at: str | None


def dumps(changes: dict[str, Any]) -> str:
    return json.dumps(changes, sort_keys=True, separators=(",", ":"), default=str)


class Journal:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def append(self, *, device_id: str, tx: str, hlc: str, entity: str, entity_id: str, op: str,
               base_rev: int, rev: int, officer: str, changes: dict[str, Any]) -> int:
        cursor = self._conn.execute(_INSERT, (device_id, tx, hlc, entity, entity_id, op, base_rev, rev, officer,
                                              dumps(changes)))
        return int(cursor.lastrowid or 0)

    def append_many(self, rows: Iterable[Sequence[Any]]) -> None:
        """Bulk append (demo data): rows in ``_INSERT`` column order, ``changes`` already JSON text."""
        self._conn.executemany(_INSERT, rows)

    def entries(self, after: int = 0, limit: int | None = None, entity_id: str | None = None) -> list[JournalEntry]:
        sql = "SELECT * FROM journal WHERE seq > ?"
        params: list[Any] = [after]
        if entity_id is not None:
            sql += " AND entity_id = ?"
            params.append(entity_id)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_entry(r) for r in self._conn.execute(sql, params)]

    def pending(self, limit: int = 500) -> list[JournalEntry]:
        """Unacknowledged entries in order: what the next push must carry."""
        rows = self._conn.execute("SELECT * FROM journal WHERE acked_at IS NULL ORDER BY seq LIMIT ?", (limit,))
        return [_entry(r) for r in rows]

    def pending_changes(self, limit: int = 500) -> list[tuple[Any, ...]]:
        """What the next push carries of the unacknowledged entries, in order, without building an
        entry of each: ``(seq, entity, entity_id, op, base_rev, rev, hlc, officer, changes)``, the
        changes as JSON text."""
        return self._conn.execute("SELECT seq, entity, entity_id, op, base_rev, rev, hlc, officer, changes "
                                  "FROM journal WHERE acked_at IS NULL ORDER BY seq LIMIT ?", (limit,)).fetchall()

    def mark_batch(self, seqs: Sequence[int], batch_id: str) -> None:
        """Record the idempotency key an entry was (first) sent under; a retry reuses it."""
        self._conn.execute("UPDATE journal SET batch_id = ? WHERE batch_id IS NULL AND seq IN "
                           "(SELECT value FROM json_each(?))", (batch_id, json.dumps([int(s) for s in seqs])))

    def acknowledge(self, up_to_seq: int) -> int:
        """The server confirmed everything up to ``up_to_seq``."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        cursor = self._conn.execute("UPDATE journal SET acked_at = ? WHERE seq <= ? AND acked_at IS NULL",
                                    (now, up_to_seq))
        return cursor.rowcount

    def last_seq(self) -> int:
        row = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
        return int(row[0]) if row else 0

    def count(self, pending_only: bool = False) -> int:
        sql = "SELECT count(*) FROM journal" + (" WHERE acked_at IS NULL" if pending_only else "")
        return int(self._conn.execute(sql).fetchone()[0])

    def last_hlc(self) -> str | None:
        """The newest local stamp (the clock never goes backwards, so it is the last entry's)."""
        row = self._conn.execute("SELECT hlc FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
        return row[0] if row else None


def _entry(row: Sequence[Any]) -> JournalEntry:
    values = list(row)
    values[10] = json.loads(values[10])
    return JournalEntry(*values)
