"""Save as the officer types: a short debounce, and an immediate flush on lock, leave or quit.

The debounce is under a second, so a crash or power cut loses at most the last second of
typing; the save itself runs on the store worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from heart_desktop.ui.worker import StoreWorker

DEBOUNCE_MS = 500


class Autosaver(QObject):
    saved = Signal()
    failed = Signal(str)

    def __init__(self, worker: StoreWorker, save: Callable[[Any], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker, self._save = worker, save
        self._pending: Any = None
        self._has_pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)

    def changed(self, payload: Any) -> None:
        self._pending, self._has_pending = payload, True
        self._timer.start()

    def has_pending(self) -> bool:
        return self._has_pending

    def flush(self, wait: bool = False) -> None:
        """Save what is pending now; ``wait`` blocks until it is on disk (lock, close)."""
        self._timer.stop()
        if not self._has_pending:
            return
        payload, self._pending, self._has_pending = self._pending, None, False
        if wait:
            try:
                self._worker.call(lambda: self._save(payload))
            except Exception as exc:  # shown to the officer; the work is kept to retry
                self._pending, self._has_pending = payload, True
                self.failed.emit(str(exc))
                return
            self.saved.emit()
        else:
            self._worker.submit(lambda: self._save(payload), lambda _r: self.saved.emit(),
                                lambda exc: self._retry_later(payload, exc))

    def _retry_later(self, payload: Any, error: BaseException) -> None:
        if not self._has_pending:
            self._pending, self._has_pending = payload, True
        self.failed.emit(str(error))
