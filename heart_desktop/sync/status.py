"""The sync status in words, for the status bar and for ``heart-desktop sync-status``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
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
    left = getattr(status, "left", None) or []
    if left:
        text += f". {left_sentence(left)}"
    return text, (bool(problem) or stale or bool(upload_error) or bool(refused) or bool(quarantined) or bool(kept)
                  or bool(audit_problem) or any(item.get("dropped") for item in left))


def _group(item: Mapping[str, Any]) -> str:
    """The words a case that left is counted under (the window's by its days, as the office set them)."""
    reason = item.get("reason")
    if reason == "erased":
        return "erased at the office"
    if reason == "window":
        days = item.get("days")
        return f"closed over {days} days ago" if isinstance(days, int) else "closed before the laptop window"
    if reason == "moved":
        return "no longer in your councils"
    return "no longer sent by the office"


def left_why(item: Mapping[str, Any]) -> str:
    """Why one case left this laptop, in words from the office's removal."""
    words = _group(item)
    if item.get("reason") == "erased":
        words += (" at the person's request" if item.get("rule") == "erasure_request"
                  else " when its retention period ended" if item.get("rule") else "")
    elif item.get("reason") == "moved" and item.get("to"):
        words += f" (it is now in {item['to']})"
    dropped = item.get("dropped") or 0
    if dropped:
        words += f"; {dropped} change{'s' if dropped != 1 else ''} to it not yet sent could not be kept"
    return words


def left_counts(left: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many cases left, by the office's reason (``erased``, ``window``, ``moved``, ``unseen``)."""
    return dict(sorted(Counter(str(item.get("reason")) for item in left).items()))


def left_sentence(left: Sequence[Mapping[str, Any]]) -> str:
    """E.g. "3 cases left this laptop: 2 closed over 180 days ago, 1 erased at the office", most
    first; unsent changes an erasure dropped are said too (the office will never take them)."""
    counts = Counter(_group(item) for item in left)
    parts = [f"{n} {words}" for words, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    text = f"{len(left)} case{'s' if len(left) != 1 else ''} left this laptop: {', '.join(parts)}"
    dropped = sum(int(item.get("dropped") or 0) for item in left)
    if dropped:
        text += (f" ({dropped} change{'s' if dropped != 1 else ''} to erased cases not yet sent could not be "
                 "kept: the office takes none)")
    return text
