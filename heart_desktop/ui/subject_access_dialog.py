"""Reports > Subject access request… (managers): the person's name, date of birth and the reason,
asked of the office off the GUI thread (the session's worker); the ZIP is saved where the manager
chose. Offline, a name that may be two people, or no one found: the message says what to do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.services import privacy
from heart_desktop.ui.buttons import button_row, file_row, push_button
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.session import Session


class SubjectAccessDialog(QDialog):
    """The request's three fields and where to save; Export asks the office."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, session.worker
        self.setWindowTitle("Subject access request")
        self.setAccessibleName("Subject access request")
        resize_within_screen(self, 640, 300)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Full name")
        self.date_of_birth = QLineEdit(self)
        self.date_of_birth.setAccessibleName("Date of birth")
        self.date_of_birth.setPlaceholderText("YYYY-MM-DD (needed when two people share the name)")
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("the request's date and reference, e.g. SAR-17 of 2026-12-01")
        for text, edit in (("&Full name", self.name), ("Date of &birth", self.date_of_birth),
                           ("&Reason", self.reason)):
            label = QLabel(text, self)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.path, self.choose = file_row(form, self, "File to save (.zip)", "subject-access.zip", "Choose…",
                                          self._choose)
        layout.addLayout(form)
        self.message = QLabel("The office makes the export from every laptop's records of the councils you "
                              "cover; it is recorded in the office's audit with your name and the reason.", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Subject access message")
        layout.addWidget(self.message, 1)
        self.export_button = push_button("&Export", self, "Export", self.export, default=True)
        self.close_button = push_button("Close", self, "Close", self.reject)
        button_row(layout, (self.export_button, self.close_button))
        self.result: dict[str, Any] | None = None

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, "Save the export to",
                                                      self.path.text() or "subject-access.zip", "ZIP (*.zip)")
        if chosen:
            self.path.setText(chosen)

    def export(self) -> None:
        session, out = self.session, Path(self.path.text().strip())
        name, dob, reason = self.name.text(), self.date_of_birth.text().strip(), self.reason.text()
        self.export_button.setEnabled(False)
        self.message.setText("Asking the office…")
        self.worker.submit(lambda: privacy.subject_access(session._store(), session.role, name, dob or None,
                                                          reason, out), self._done, self._failed)

    def _done(self, result: dict[str, Any]) -> None:
        self.result = result
        self.export_button.setEnabled(True)
        self.message.setText(f"Saved the export to {result['out']}: check it before sending it.")

    def _failed(self, error: Any) -> None:
        self.export_button.setEnabled(True)
        kind = getattr(error, "kind", None)
        if kind == "ambiguous":
            self.message.setText(f"Not exported: {error}.")
            self.date_of_birth.setFocus()
        elif kind == "none":
            self.message.setText(f"Not exported: {error}.")
            self.name.setFocus()
        else:
            self.message.setText(f"Not exported: {error}")
