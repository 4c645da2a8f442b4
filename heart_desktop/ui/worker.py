"""One background thread for store work, with results delivered on the GUI thread.

SQLite likes a single writer, and the window must never wait on the disk: every store call the
UI makes is a job run here, in order, and its result or error comes back by signal (the pattern
of Anki's "operations"). Jobs carry a generation so a stale answer (a search overtaken by the
next keystroke) can be dropped by the caller.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from heart_desktop.sync.errors import DeviceRevoked


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    result: Any = None
    error: BaseException | None = None
    trace: str = ""


class StoreWorker(QObject):
    """Runs callables on a dedicated thread; ``finished`` and ``failed`` fire on the GUI thread."""

    # Only the job crosses threads: its result rides on it (a bare None through a queued
    # ``object`` signal has crashed PySide6).
    _finished = Signal(object)
    _failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._pending = 0
        self._lock = threading.Lock()
        self._finished.connect(self._deliver)
        self._failed.connect(self._deliver_error)
        self._thread = threading.Thread(target=self._run, name="heart-store", daemon=True)
        # a job that learnt the office revoked this laptop (``sync.errors.DeviceRevoked``) goes here,
        # not to its own error handler: the window locks and wipes, as after a revoked sync
        self.on_revoked: Callable[[], None] | None = None
        self._thread.start()

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        with self._lock:
            self._pending += 1
            if self._pending == 1:
                self.busy_changed.emit(True)
        self._jobs.put(_Job(fn, on_done, on_error))

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the worker and wait: for start-up and tests, never from a hot path."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def job() -> None:
            try:
                box["value"] = fn()
            except BaseException as exc:
                box["error"] = exc
            finally:
                done.set()

        with self._lock:
            self._pending += 1
            if self._pending == 1:
                self.busy_changed.emit(True)
        self._jobs.put(_Job(job, None, None))
        while not done.wait(timeout=1.0):
            if not self._thread.is_alive():
                raise RuntimeError("the store worker has stopped")
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            # Nothing a job does may end this loop: a dead worker would leave every later
            # call waiting for ever.
            try:
                job.result = job.fn()
            except BaseException as exc:
                job.error, job.trace = exc, traceback.format_exc()
                self._failed.emit(job)
            else:
                self._finished.emit(job)

    def _settle(self) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)

    def _deliver(self, job: _Job) -> None:
        self._settle()
        if job.on_done is not None:
            job.on_done(job.result)

    def _deliver_error(self, job: _Job) -> None:
        self._settle()
        assert job.error is not None
        if self.on_revoked is not None and isinstance(job.error, DeviceRevoked):
            self.on_revoked()
        elif job.on_error is not None:
            job.on_error(job.error)
        else:
            from heart_desktop.ui.errors import show_unexpected_error

            show_unexpected_error(job.error, job.trace)
