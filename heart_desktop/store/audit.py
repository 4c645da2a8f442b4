"""The audit log: who opened, changed, signed, printed or exported which case, when, on which
laptop and why.

Append and read only. SQLite triggers refuse any UPDATE or DELETE of an audit row, so not
even a bug in a repository (or a hand-run SQL statement) can rewrite history; and each entry
carries the SHA-256 of the one before it (``domain/audit_chain.py``), so an entry removed with
the triggers dropped shows as a broken link that ``verify`` names. Sync sends the entries to the
office, which keeps them all (``central/audit.py``).

One UPDATE the triggers let through (laptop migration 11): blanking the free-text ``reason`` of a
format-2 entry (which hashes the reason's digest, ``domain/audit_chain.py``) whose case has left
this laptop, everything else unchanged: what :meth:`AuditLog.erase_reasons` does when the office
erases a case. The chain still verifies.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from heart_desktop.domain.audit_chain import GENESIS, ChainBreak, entry_hash, sealed_fields, verify

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

ACTIONS = frozenset({"open", "close", "lock", "unlock", "view", "change", "sign", "print", "post", "export",
                     "backup", "restore", "rekey", "demo", "subject_access", "retention", "erasure",
                     "audit_export"})
COLUMNS = ("id", "seq", "at", "officer", "device_id", "action", "case_id", "entity", "entity_id", "reason",
           "detail", "format", "reason_sha256", "prev_hash", "hash")


class AuditLog:
    def __init__(self, store: Store) -> None:
        self._store = store

    def append(self, action: str, *, case_id: str | None = None, entity: str | None = None,
               entity_id: str | None = None, detail: dict[str, Any] | None = None, reason: str | None = None,
               at: datetime | None = None) -> int:
        """Record one action (``reason``: why, in the officer's or the program's words); returns
        the entry's number. Linked to the entry before it in the same transaction."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        store = self._store
        with store.transaction():
            last = store.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
            entry = {"seq": seq, "at": (at or datetime.now(UTC)).isoformat(timespec="milliseconds"),
                     "officer": store.officer, "device_id": store.device_id, "action": action, "case_id": case_id,
                     "entity": entity, "entity_id": entity_id, "reason": reason,
                     "detail": json.dumps(detail or {}, sort_keys=True, default=str)}
            entry.update(sealed_fields(entry))
            digest = entry_hash(prev, entry)
            names = (*entry, "prev_hash", "hash")
            store.conn.execute(f"INSERT INTO audit ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                               (*entry.values(), prev, digest))
        return seq

    def read(self, case_id: str | None = None, limit: int | None = 200, after: int = 0,
             oldest_first: bool = False) -> list[dict[str, Any]]:
        """Newest first (unless ``oldest_first``); ``after``: only entries numbered above it."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM audit WHERE seq > ?"
        params: list[Any] = [after]
        if case_id is not None:
            sql += " AND case_id = ?"
            params.append(case_id)
        sql += f" ORDER BY seq {'ASC' if oldest_first else 'DESC'}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = []
        for row in self._store.conn.execute(sql, params):
            item = dict(zip(COLUMNS, row, strict=True))
            item["detail"] = json.loads(item["detail"])
            rows.append(item)
        return rows

    def raw(self, after: int = 0, limit: int = 500) -> list[dict[str, Any]]:
        """Entries as stored (``detail`` as its JSON text, as hashed), oldest first: what sync sends."""
        rows = self._store.conn.execute(f"SELECT {', '.join(COLUMNS[1:])} FROM audit WHERE seq > ? ORDER BY seq "
                                        "LIMIT ?", (after, limit)).fetchall()
        return [dict(zip(COLUMNS[1:], row, strict=True)) for row in rows]

    def verify(self) -> ChainBreak | None:
        """The first broken link of this laptop's trail, or ``None`` when every entry holds."""
        return verify(self._iter_raw())

    def erase_reasons(self, case_id: str) -> tuple[int, int]:
        """Blank the free-text reasons of a case the office erased (it must have left this laptop),
        keeping each entry's digest of it so the chain verifies; returns (blanked, kept): entries of
        format 1 hash the text itself and keep it. The old text is overwritten in the file, not left in
        free space: SQLCipher keys a connection with ``secure_delete`` on."""
        conn = self._store.conn
        with self._store.transaction():
            blanked = conn.execute("UPDATE audit SET reason = NULL WHERE case_id = ? AND format >= 2 AND reason IS NOT "
                                   "NULL AND reason_sha256 IS NOT NULL", (case_id,)).rowcount
        kept = int(conn.execute("SELECT count(*) FROM audit WHERE case_id = ? AND reason IS NOT NULL",
                                (case_id,)).fetchone()[0])
        return int(blanked), kept

    def count(self) -> int:
        return int(self._store.conn.execute("SELECT count(*) FROM audit").fetchone()[0])

    def _iter_raw(self) -> Any:
        after = 0
        while batch := self.raw(after, 2000):
            yield from batch
            after = int(batch[-1]["seq"])
