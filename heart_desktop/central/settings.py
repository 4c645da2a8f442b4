"""What an office server may be asked to do, in one place: size limits, how long bookkeeping is
kept, enrolment codes' lifetime and the guess throttle. The defaults are the README's; tests pass
small limits and a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

MiB = 1024 * 1024


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OfficeSettings:
    max_batch_bytes: int = 16 * MiB  # a push (JSON) body
    max_enrol_bytes: int = 4 * 1024  # an enrolment request
    max_chunk_bytes: int = 8 * MiB  # one upload chunk (the laptop sends 256 KiB)
    max_file_bytes: int = 64 * MiB  # a whole photo or pack
    max_other_bytes: int = 64 * 1024  # any other request's body
    max_audit_bytes: int = 4 * MiB  # a run of audit entries (the laptop sends 200 at a time)
    max_page_bytes: int = 4 * MiB  # a pull page is cut after this many bytes of changes
    path_chars: int = 200  # the request log keeps this much of a path
    log_days: float = 90  # request log rows older than this are pruned
    upload_days: float = 14  # a partial upload untouched this long is abandoned and pruned
    code_hours: float = 72  # an enrolment code expires this long after it is made
    throttle_window_minutes: float = 15
    throttle_per_address: int = 10  # failed enrolment guesses from one address within the window
    throttle_total: int = 100  # failed guesses from everywhere within the window
    prune_every_minutes: float = 60  # a running server prunes the log and uploads this often
    docs: bool = False  # serve /api/v1/docs and /api/v1/redoc
    # days a closed case stays on the laptops, for every council; None: each council's
    # laptop_window_days in resources/policy/retention.toml
    laptop_window_days: int | None = None
    clock: Callable[[], datetime] = field(default=utc_now, compare=False)

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def ago(self, **delta: float) -> str:
        return (self.clock() - timedelta(**delta)).isoformat(timespec="seconds")

    def later(self, **delta: float) -> str:
        return (self.clock() + timedelta(**delta)).isoformat(timespec="seconds")
