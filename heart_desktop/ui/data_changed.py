"""The window's one "data changed" signal: the store's commits, delivered on the GUI thread.

The store announces each commit on its change hub from the thread that made it (the store worker,
or the sync thread); :class:`DataChanged` hands it to the GUI thread as ``changed(Change)``.
Views connect through :func:`on_change`, which gathers a burst of commits (a pull of many pages, a
form saved as it is typed) into one refresh of what they show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

# the store is imported after the unlock page is on screen, never to draw it
if TYPE_CHECKING:
    from heart_desktop.store.changes import Change, ChangeHub

GATHER_MS = 120  # long enough to take a page of a pull as one, short enough to feel immediate


class DataChanged(QObject):
    """Re-emits a store's announcements on the GUI thread (queued: the signal crosses threads)."""

    changed = Signal(object)  # a store.changes.Change

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, hub: ChangeHub) -> None:
        """Listen to this store's commits (after unlock), and to no other store's."""
        self.detach()
        self._unsubscribe = hub.subscribe(self.changed.emit)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def on_change(source: DataChanged, owner: QObject, refresh: Callable[[Change], None],
              wanted: Callable[[Change], bool] = lambda _change: True) -> None:
    """Call ``refresh`` once for each burst of the changes ``wanted`` picks, with them merged.
    The timer belongs to ``owner``, so a closed view is never called."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(GATHER_MS)
    pending: list[Change] = []

    def gather(change: Change) -> None:
        if wanted(change):
            pending.append(change)
            timer.start()

    def fire() -> None:
        if not pending:
            return
        merged = pending[0]
        for change in pending[1:]:
            merged = merged.merged(change)
        pending.clear()
        refresh(merged)

    timer.timeout.connect(fire)
    source.changed.connect(gather)
