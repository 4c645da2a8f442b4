"""The laptop's sync bookkeeping (the ``sync_state`` table: token, cursor, officer, role, last
contact) and the lease rule that reads it.

Kept apart from ``store.sync_apply``, which checks rows with the protocol's models: unlocking the
store asks only these (who is enrolled, whether the lease has run out), and should not wait for
the sync protocol and HTTP client to load before the caseload shows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heart_desktop.store.database import Store


def read_state(store: Store) -> dict[str, str]:
    return {k: v for k, v in store.conn.execute("SELECT key, value FROM sync_state")}


def write_state(store: Store, **values: Any) -> None:
    with store.transaction():
        for key, value in values.items():
            if value is None:
                store.conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
            else:
                store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, str(value)))


def lease_expired(store: Store, days: int, now: datetime | None = None) -> bool:
    """An enrolled laptop that has not reached the office for ``days`` must sign in again (a
    successful sync) before it shows case data; a laptop never enrolled has no lease."""
    state = read_state(store)
    if not state.get("token"):
        return False
    contact = state.get("last_contact") or state.get("enrolled_at")
    if not contact:
        return True
    return (now or datetime.now(UTC)) - datetime.fromisoformat(contact) > timedelta(days=days)


def roster(store: Store) -> list[dict[str, Any]]:
    """The colleagues the office last named for this laptop (empty before the first sync). The
    client checked the office's answer against the protocol before keeping it, so it is read back
    as kept; anything not of that shape (an older or damaged entry) is skipped."""
    import json

    text = read_state(store).get("roster")
    try:
        officers = json.loads(text) if text else []
    except ValueError:
        return []
    return [o for o in officers if isinstance(o, dict) and isinstance(o.get("name"), str)] \
        if isinstance(officers, list) else []
