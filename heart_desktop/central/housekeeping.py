"""Pruning the office's bookkeeping so it stays bounded: request log rows past ``log_days``,
partial uploads nobody has added to for ``upload_days`` (a laptop that comes back later starts
that file again), enrolment guesses older than the throttle's window and codes that expired
unused. Run by ``heart-central prune``, when the server starts and every
``prune_every_minutes`` while it runs."""

from __future__ import annotations

from heart_desktop.central.db import CentralDatabase
from heart_desktop.central.settings import OfficeSettings


def prune(db: CentralDatabase, settings: OfficeSettings) -> dict[str, int]:
    """Delete what has aged out; returns how many of each were removed."""
    counts: dict[str, int] = {}
    with db.transaction(write=True) as tx:
        counts["log"] = tx.execute("DELETE FROM request_log WHERE at < ?",
                                   (settings.ago(days=settings.log_days),)).rowcount
        stale = tx.all("SELECT sha256, device_id FROM uploads WHERE updated_at < ?",
                       (settings.ago(days=settings.upload_days),))
        for sha256, device_id in stale:
            tx.execute("DELETE FROM upload_chunks WHERE sha256 = ? AND device_id = ?", (sha256, device_id))
            tx.execute("DELETE FROM uploads WHERE sha256 = ? AND device_id = ?", (sha256, device_id))
        counts["uploads"] = len(stale)
        counts["guesses"] = tx.execute("DELETE FROM enrol_failures WHERE at < ?",
                                       (settings.ago(minutes=settings.throttle_window_minutes),)).rowcount
        counts["codes"] = tx.execute("DELETE FROM enrol_codes WHERE used_at IS NULL AND expires_at < ?",
                                     (settings.now(),)).rowcount
    return counts
