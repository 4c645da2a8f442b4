"""The window's hold on one store: the services' :class:`Workbench` with the store worker beside
it. Its use-case methods run on the store worker (the caller submits them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from heart_desktop.services.workbench import OpenFailure, Workbench, explain_open_error, policy_set
from heart_desktop.ui.data_changed import DataChanged
from heart_desktop.ui.worker import StoreWorker

__all__ = ["OpenFailure", "Session", "explain_open_error", "policy_set"]


class StoreHealth(QObject):
    damaged = Signal(str)  # the whole-file check after an unclean close found damage: why


class Session(Workbench):
    def __init__(self, path: Path, worker: StoreWorker, officer: str | None = None) -> None:
        super().__init__(path, officer)
        self.worker = worker
        self.data_changed = DataChanged(worker)  # every commit to the open store, on the GUI thread
        self.health = StoreHealth(worker)

    def open(self, passphrase: str, create: bool = False, officer_name: str = "") -> None:
        super().open(passphrase, create=create, officer_name=officer_name)
        assert self.store is not None
        self.data_changed.attach(self.store.changes)

    def store_checked(self, problem: str | None) -> None:
        if problem is not None:
            self.health.damaged.emit(problem)  # queued to the GUI thread

    def close(self) -> None:
        self.data_changed.detach()
        super().close()

    def audit_lock(self) -> None:
        """Record the lock on the worker: the window does not wait for the disk."""
        if self.store is not None:
            self.worker.submit(super().audit_lock, None, lambda _e: None)
