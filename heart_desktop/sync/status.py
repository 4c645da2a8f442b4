"""The sync status in words, for the status bar and for ``heart-desktop sync-status``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

UNSYNCED_WARNING = timedelta(days=2)


def status_text(status: Any, error: str | None = None, retry_minutes: int | None = None,
                now: datetime | None = None) -> tuple[str, bool]:
    """The status line and whether it is a warning (an error, or work unsynced for too long)."""
    if not status.enrolled:
        return "Sync: not connected to the office yet (Sync > Office connection…)", False
    waiting = f"{status.waiting} change{'s' if status.waiting != 1 else ''} waiting"
    last = "never synced"
    stale = status.waiting > 0
    if status.last_sync:
        when = datetime.fromisoformat(status.last_sync)
        last = f"last sync {when.astimezone():%d/%m %H:%M}"
        stale = status.waiting > 0 and (now or datetime.now(UTC)) - when > UNSYNCED_WARNING
    problem = error or status.last_error
    text = f"Sync: {waiting}, {last}"
    if problem:
        text += f". Not synced: {problem}"
        if retry_minutes:
            text += f" (trying again in {retry_minutes} min)"
    elif stale:
        text += ". Work has not reached the office for over 2 days: connect to sync"
    refused = getattr(status, "refused", None) or []
    if refused:
        text += (f". The office refused {len(refused)} change{'s' if len(refused) != 1 else ''}: "
                 f"{refused[0].get('reason')} (ask your team leader)")
    quarantined = getattr(status, "quarantined", 0)
    if quarantined:
        first = status.quarantine[0] if status.quarantine else {}
        text += (f". {quarantined} change{'s' if quarantined != 1 else ''} from the office could not be applied "
                 f"and {'are' if quarantined != 1 else 'is'} set aside: {first.get('reason', '')} (tell IT)")
    kept = getattr(status, "kept", None) or []
    if kept:
        text += (f". {len(kept)} case{'s' if len(kept) != 1 else ''} no longer in your councils "
                 f"{'are' if len(kept) != 1 else 'is'} kept on this laptop ({kept[0]['why']}): ask your team leader")
    upload_error = getattr(status, "upload_error", None)
    if upload_error:
        text += f". A photo or pack was not taken by the office: {upload_error} (it is kept; tell IT)"
    audit_problem = getattr(status, "audit_problem", None)
    if audit_problem:
        text += f". Audit trail: {audit_problem}"
    return text, (bool(problem) or stale or bool(upload_error) or bool(refused) or bool(quarantined) or bool(kept)
                  or bool(audit_problem))
