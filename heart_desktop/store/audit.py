"""The audit log: who opened, changed, signed, printed or exported which case, and when.

Append and read only. SQLite triggers refuse any UPDATE or DELETE of an audit row, so not
even a bug in a repository (or a hand-run SQL statement) can rewrite history.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

ACTIONS = frozenset({"open", "close", "lock", "unlock", "view", "change", "sign", "print", "post", "export",
                     "backup", "restore", "rekey", "demo"})


class AuditLog:
    def __init__(self, store: Store) -> None:
        self._store = store

    def append(self, action: str, *, case_id: str | None = None, entity: str | None = None,
               entity_id: str | None = None, detail: dict[str, Any] | None = None) -> int:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self._store.transaction():
            cursor = self._store.conn.execute(
                "INSERT INTO audit (at, officer, device_id, action, case_id, entity, entity_id, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (datetime.now(UTC).isoformat(timespec="milliseconds"), self._store.officer, self._store.device_id,
                 action, case_id, entity, entity_id, json.dumps(detail or {}, sort_keys=True, default=str)),
            )
        return int(cursor.lastrowid or 0)

    def read(self, case_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Newest first."""
        sql = "SELECT id, at, officer, device_id, action, case_id, entity, entity_id, detail FROM audit"
        params: list[Any] = []
        if case_id is not None:
            sql += " WHERE case_id = ?"
            params.append(case_id)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        keys = ("id", "at", "officer", "device_id", "action", "case_id", "entity", "entity_id", "detail")
        rows = []
        for row in self._store.conn.execute(sql, params):
            item = dict(zip(keys, row, strict=True))
            item["detail"] = json.loads(item["detail"])
            rows.append(item)
        return rows
