"""Connecting this laptop to the central office: the server's address and the one-time code an
administrator gave the officer (and, where the council runs its own certificate authority, the CA
bundle to trust). Enrolment talks to the network, so it runs off the GUI thread on its own store
connection; a wrong address or a used code is said in plain words and what was typed stays.

A laptop already enrolled shows whom and where it is connected to instead: moving a laptop to
another officer is IT's job (revoke it, set it up afresh), never a silent re-enrolment that could
strand changes already half-sent under the old device.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.ui.buttons import button_row, push_button
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.session import Session


class EnrolDialog(QDialog):
    """Ask for the office's address and the one-time code; ``enrolled`` carries who it is for."""

    enrolled = Signal(str)
    _succeeded = Signal(str)
    _failed = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._thread: threading.Thread | None = None
        self.setWindowTitle("Connect this laptop to the office")
        self.setAccessibleName("Connect this laptop to the office")
        layout = QVBoxLayout(self)
        intro = QLabel("Your administrator gives you the office's address and a one-time enrolment code. "
                       "The laptop keeps a device key in its encrypted store; the code cannot be used again.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.server = QLineEdit(self)
        self.server.setPlaceholderText("https://heart.example.gov.uk")
        self.server.setAccessibleName("Office address")
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("e.g. 3FA2C1-09BD7E-55A0C4")
        self.code.setAccessibleName("Enrolment code")
        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setPlaceholderText("only if IT gave you one")
        self.ca_bundle.setAccessibleName("Certificate authority bundle")
        browse = push_button("B&rowse…", self, "Choose a certificate authority bundle", self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(browse)
        form.addRow("Office &address:", self.server)
        form.addRow("Enrolment &code:", self.code)
        ca_label = QLabel("CA &bundle (optional):", self)
        ca_label.setBuddy(self.ca_bundle)
        form.addRow(ca_label, ca_row)
        layout.addLayout(form)
        self.message = StatusLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Enrolment message")
        layout.addWidget(self.message)
        self.connect_button = push_button("C&onnect", self, "Connect", self.connect_laptop, default=True)
        self.close_button = push_button("Close", self, "Close", self.reject)
        button_row(layout, (self.connect_button, self.close_button))
        self._succeeded.connect(self._done)
        self._failed.connect(self._problem)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Certificate authority bundle", str(Path.home()),
                                                "Certificates (*.pem *.crt *.cer);;All files (*)")
        if chosen:
            self.ca_bundle.setText(chosen)

    def problem_in_entries(self) -> str | None:
        """What is wrong with what was typed, before anything goes to the network."""
        from heart_desktop.sync.client import SyncError, check_server_url

        if not self.server.text().strip():
            return "Type the office's address, as your administrator gave it (https://…)."
        try:
            check_server_url(self.server.text().strip())
        except SyncError as exc:
            return f"That address will not do: {exc}."
        if not self.code.text().strip():
            return "Type the one-time enrolment code."
        bundle = self.ca_bundle.text().strip()
        if bundle and not Path(bundle).is_file():
            return f"There is no certificate file at {bundle}; choose it again or leave the box empty."
        return None

    def connect_laptop(self) -> None:
        problem = self.problem_in_entries()
        if problem:
            self._problem(problem)
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self._set_busy(True)
        self.message.setText("Connecting to the office…")
        store = self.session.store
        server, code = self.server.text().strip(), self.code.text().strip()
        bundle = self.ca_bundle.text().strip() or None
        self._thread = threading.Thread(target=self._enrol, args=(store, server, code, bundle),
                                        name="heart-enrol", daemon=True)
        self._thread.start()

    def _enrol(self, store: Any, server: str, code: str, bundle: str | None) -> None:
        from heart_desktop.sync.client import SyncError, enrol, sync_status

        try:
            with store.another_connection() as connection:
                enrol(connection, server, code, ca_bundle=bundle)
                status = sync_status(connection)
        except SyncError as exc:
            self._failed.emit(str(exc))
            return
        except Exception as exc:  # a certificate file that is not one, the store misbehaving
            self._failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self._succeeded.emit(describe_officer(status))

    def wait(self, seconds: float = 30.0) -> None:
        if self._thread is not None:
            self._thread.join(seconds)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server, self.code, self.ca_bundle, self.connect_button):
            widget.setEnabled(not busy)

    def _problem(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(message[:1].upper() + message[1:])
        self.message.setObjectName("clockWarn")
        self.message.setStyleSheet(self.message.styleSheet())

    def _done(self, officer: str) -> None:
        self._set_busy(False)
        self.message.setObjectName("")
        self.message.setText(f"Connected for {officer}. The first sync starts now.")
        self.enrolled.emit(officer)
        self.accept()


def describe_officer(status: Any) -> str:
    """'K. Osei (OT, North adaptations; NBBC, WDC)' from a sync status."""
    details = ", ".join(part for part in (status.role, status.team) if part)
    councils = ", ".join(status.councils)
    inside = "; ".join(part for part in (details, councils) if part)
    return f"{status.officer or 'this officer'}{f' ({inside})' if inside else ''}"
