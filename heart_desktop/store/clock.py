"""Hybrid logical clock: timestamps that never go backwards on this device, whatever the wall clock does.

A stamp reads like ``2026-11-23T00:53:07.123Z-0001-<device>``: wall time to the millisecond, a
counter for events in the same millisecond (or while the wall clock lags a stamp already seen),
and the device id as tie-break. Fixed width, so text order is clock order. Stamps order edits
for display and merging; they never decide a statutory outcome alone (DESIGN.md, Sync).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

_COUNTER_WIDTH = 4
_COUNTER_LIMIT = 10**_COUNTER_WIDTH


@dataclass(frozen=True, order=True)
class Stamp:
    millis: int
    counter: int
    device: str

    def __str__(self) -> str:
        when = datetime.fromtimestamp(self.millis / 1000, tz=UTC)
        return f"{when:%Y-%m-%dT%H:%M:%S}.{self.millis % 1000:03d}Z-{self.counter:0{_COUNTER_WIDTH}d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        wall, counter, device = text[:24], text[25:25 + _COUNTER_WIDTH], text[26 + _COUNTER_WIDTH:]
        when = datetime.strptime(wall[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
        millis = int(when.timestamp()) * 1000 + int(wall[20:23])
        return cls(millis, int(counter), device)


class HybridLogicalClock:
    """Thread-safe HLC for one device; ``observe`` folds in stamps from elsewhere (sync pulls)."""

    def __init__(self, device: str, now_ms: Callable[[], int] | None = None, last: str | None = None) -> None:
        self.device = device
        self._now = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()
        self._millis, self._counter = 0, 0
        if last:
            self.observe(last)

    def now(self) -> str:
        with self._lock:
            wall = self._now()
            if wall > self._millis:
                self._millis, self._counter = wall, 0
            else:
                self._counter += 1
                if self._counter >= _COUNTER_LIMIT:  # keep the fixed width: borrow the next millisecond
                    self._millis, self._counter = self._millis + 1, 0
            return str(Stamp(self._millis, self._counter, self.device))

    def observe(self, stamp: str) -> None:
        seen = Stamp.parse(stamp)
        with self._lock:
            if (seen.millis, seen.counter) > (self._millis, self._counter):
                self._millis, self._counter = seen.millis, seen.counter
