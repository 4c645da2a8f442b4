"""The partnership's figures last fetched from the office, kept so a manager offline still sees
them, with when they were fetched (local to this laptop, never synced)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heart_desktop.store.database import Store


def save(store: Store, key: str, fetched_at: str, report: dict[str, Any]) -> None:
    with store.transaction():
        store.conn.execute("INSERT INTO measure_reports (key, fetched_at, report) VALUES (?, ?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET fetched_at = excluded.fetched_at, report = excluded.report",
                           (key, fetched_at, json.dumps(report, separators=(",", ":"))))


def load(store: Store, key: str) -> tuple[str, dict[str, Any]] | None:
    """(when fetched, the report) for ``key``, or None when never fetched."""
    row = store.conn.execute("SELECT fetched_at, report FROM measure_reports WHERE key = ?", (key,)).fetchone()
    return (str(row[0]), json.loads(row[1])) if row else None


def latest(store: Store) -> tuple[str, str, dict[str, Any]] | None:
    """The most recently fetched report: (key, when, report)."""
    row = store.conn.execute("SELECT key, fetched_at, report FROM measure_reports ORDER BY fetched_at DESC "
                             "LIMIT 1").fetchone()
    return (str(row[0]), str(row[1]), json.loads(row[2])) if row else None
