"""Sync inside the application: off the GUI thread, on start, after a form is completed, when the
network comes back and on a timer, backing off after failures; a status line that says what is
waiting, the last good sync and any error in plain words.

Each run opens its own connection to the encrypted store (SQLite allows it in WAL mode), so a slow
network never holds up the store thread the screens use. A revoked laptop is reported once
(``revoked``); the window locks and the store is wiped.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from heart_desktop.sync.status import status_text

log = logging.getLogger("heart_desktop.sync")

if TYPE_CHECKING:
    from heart_desktop.ui.session import Session

TIMER_MINUTES = 15
MAX_BACKOFF_MINUTES = 60


class SyncController(QObject):
    started = Signal()
    status_changed = Signal(str, bool)  # text, warning
    finished = Signal(object)  # the SyncReport (it rides on a Python object: never a bare None)
    failed = Signal(str)
    revoked = Signal()
    progress = Signal(object)  # a sync.client.Progress, at most every percent

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, session.worker
        self._running = False
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._last_progress: tuple[str, int] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self.started.connect(lambda: log.info("sync started"))
        self.finished.connect(self._done)
        self.failed.connect(self._failed)
        self._watch_network()

    # --- triggers ----------------------------------------------------------------------------------

    def _watch_network(self) -> None:
        """Sync when the operating system says the network is back (where Qt can tell)."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.loadDefaultBackend() and QNetworkInformation.instance() is not None:
                info = QNetworkInformation.instance()
                info.reachabilityChanged.connect(
                    lambda state: self.sync_now() if state == QNetworkInformation.Reachability.Online else None)
        except (ImportError, RuntimeError):
            pass  # no network information here: the timer still runs

    def sync_now(self) -> None:
        """Start a sync unless one is running or the laptop is not enrolled (the status says so)."""
        if self._running:
            return
        self.worker.submit(self._prepare, self._start, lambda error: self.failed.emit(str(error)))

    def _prepare(self) -> tuple[bool, Any]:
        from heart_desktop.sync.client import sync_status

        store = self.session.store
        if store is None:
            return False, None
        status = sync_status(store)
        return status.enrolled, (store.another_connection() if status.enrolled else None)

    def _start(self, prepared: tuple[bool, Any]) -> None:
        enrolled, connection = prepared
        if not enrolled or self._running:
            if connection is not None:
                connection.close()
            self.refresh_status()
            return
        self._running = True
        self._last_progress = None
        self.started.emit()
        self.status_changed.emit("Sync: sending and fetching…", False)
        self._thread = threading.Thread(target=self._run, args=(connection,), name="heart-sync", daemon=True)
        self._thread.start()

    def wait(self, seconds: float = 30.0) -> None:
        """Let a running sync finish (closing the window must not pull its objects from under it)."""
        if self._thread is not None:
            self._thread.join(seconds)
        self.timer.stop()

    def is_running(self) -> bool:
        return self._running

    def _run(self, store: Any) -> None:
        from heart_desktop.sync.client import DeviceRevoked, SyncError, sync_once

        try:
            with store:
                report = sync_once(store, progress=self._report_progress)
        except DeviceRevoked:
            self._running = False
            self.revoked.emit()
            return
        except SyncError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # the store or the network misbehaved: say so, try again later
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.finished.emit(report)

    def _report_progress(self, progress: Any) -> None:
        """Pass progress to the window when the stage or the whole percent changes (a chunk every few
        milliseconds must not flood the GUI thread's queue)."""
        step = (progress.stage, progress.done * 100 // progress.total if progress.total else -1)
        if step != self._last_progress:
            self._last_progress = step
            self.progress.emit(progress)

    def _done(self, report: object) -> None:
        log.info("sync finished pushed=%s pulled=%s conflicts=%s refused=%s", getattr(report, "pushed", "?"),
                 getattr(report, "pulled", "?"), len(getattr(report, "conflicts", ()) or ()),
                 len(getattr(report, "refused", ()) or ()))
        self._running, self._failures = False, 0
        self.refresh_status()
        self.timer.start(TIMER_MINUTES * 60_000)

    def _failed(self, message: str) -> None:
        self._running = False
        self._failures += 1
        log.warning("sync failed attempt=%d error=%s", self._failures, message.split(":")[0][:80])
        backoff = min(2 ** (self._failures - 1), MAX_BACKOFF_MINUTES)
        self.refresh_status(error=message, retry_minutes=backoff)
        self.timer.start(backoff * 60_000)

    # --- status ------------------------------------------------------------------------------------

    def refresh_status(self, error: str | None = None, retry_minutes: int | None = None) -> None:
        from heart_desktop.sync.client import sync_status

        def show(status: Any) -> None:
            if status is not None:
                self.status_changed.emit(*status_text(status, error, retry_minutes))

        self.worker.submit(lambda: sync_status(self.session.store) if self.session.store else None, show,
                           lambda _error: None)
