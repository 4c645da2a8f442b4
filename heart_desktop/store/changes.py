"""What a commit changed, announced once it is durable: the app's one "data changed" signal.

Every write to the store goes through a transaction; the transaction notes the kinds of record
and the cases it touched, and when the outermost one commits, the store's :class:`ChangeHub`
tells every subscriber. A window listens through one Qt signal (``ui.data_changed``) and each
view refreshes what it shows; sync pulls, conflict resolutions and the print queue announce on
the same hub, because they commit through the same transactions (Anki's
``operation_did_execute`` is the model).

Subscribers run on the thread that committed (the store worker, or the sync thread): they must
be quick and must not touch the store, only hand the change on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

log = logging.getLogger("heart_desktop.store")

LOCAL = "local"  # written on this laptop, by a screen or a verb
SYNC = "sync"  # pulled from the office


@dataclass(frozen=True)
class Change:
    """The kinds of record (sync entity names: ``case``, ``form``, ``document``, ...) and the
    case ids one commit touched, and where it came from."""

    kinds: frozenset[str]
    case_ids: frozenset[str] = field(default_factory=frozenset)
    origin: str = LOCAL

    def touches(self, case_id: str | None) -> bool:
        return case_id is not None and case_id in self.case_ids

    def has(self, *kinds: str) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def merged(self, other: Change) -> Change:
        """Two changes as one (a view coalescing a burst); a pull in either makes it a pull."""
        origin = SYNC if SYNC in (self.origin, other.origin) else self.origin
        return Change(self.kinds | other.kinds, self.case_ids | other.case_ids, origin)


class ChangeHub:
    """Subscribers to a store's commits. Shared by every connection to one store file, so the
    sync thread's pulls reach the same listeners as the screens' saves."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Change], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``callback`` after each commit; returns the function that stops it."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def announce(self, change: Change) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(change)
            except Exception:  # a listener's fault must not undo or hide a commit that is made
                log.exception("a change listener failed")


class Touched:
    """What one transaction has touched so far (kept on the transaction until it commits)."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.case_ids: set[str] = set()

    def add(self, kind: str, case_ids: Iterable[str | None] = ()) -> None:
        self.kinds.add(kind)
        self.case_ids.update(str(c) for c in case_ids if c)

    def change(self, origin: str) -> Change | None:
        if not self.kinds:
            return None
        return Change(frozenset(self.kinds), frozenset(self.case_ids), origin)
