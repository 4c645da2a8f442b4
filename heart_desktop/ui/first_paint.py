"""Work that waits until a window has been drawn once.

What the unlock window does not need to be drawn (the focus ring, the idle lock's watch, the log
file, the private temporary folder) runs just after its first paint, so an officer sees the window
as soon as a bare PySide6 window would (the start-up budget in DESIGN.md). A window that is never
shown (a test's, a headless run) still gets the work, from a fallback timer tied to the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 500  # a window that is not shown or painted by then gets its deferred work anyway


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, work: Callable[[], None]) -> None:
        super().__init__(widget)
        self._work: Callable[[], None] | None = work
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self.run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._work is not None and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.run)  # after the paint has reached the screen
        return False

    def run(self) -> None:
        work, self._work = self._work, None
        if work is not None:
            work()


def after_first_paint(widget: QWidget, work: Callable[[], None]) -> None:
    """Run ``work`` once, just after ``widget`` is first painted (or FALLBACK_MS after now, if it is
    not painted by then); never after ``widget`` is deleted."""
    _FirstPaint(widget, work)
