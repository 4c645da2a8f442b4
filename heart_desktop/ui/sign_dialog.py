"""Signing the pack at the kitchen table: the declaration read back, then one pad per signer.

Each signer (applicant, disabled person's representative, landlord, officer) signs on their own
pad, which can be cleared and signed again; the time is taken when they finish their last
stroke. The pack can be signed once the applicant or their representative has signed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.signature_pad import SignaturePad

ROLE_LABELS = {
    "applicant": "Applicant",
    "representative": "Disabled person's representative (only if signing for the applicant)",
    "landlord": "Landlord (consent to the works)",
    "officer": "Housing Assessment Officer",
}


class SignerBox(QGroupBox):
    """One signer: name, pad, clear."""

    def __init__(self, role: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(ROLE_LABELS[role], parent)
        self.role = role
        self.signed_at: str | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText("Name of the person signing")
        self.name.setAccessibleName(f"{ROLE_LABELS[role]}: name")
        self.clear = QPushButton("Clear", self)
        self.clear.setAccessibleName(f"Clear the {role} signature")
        row.addWidget(QLabel("Name:", self))
        row.addWidget(self.name, 1)
        row.addWidget(self.clear)
        self.pad = SignaturePad(self)
        self.pad.setAccessibleName(f"{ROLE_LABELS[role]}: sign here with the mouse, pen or finger")
        layout.addLayout(row)
        layout.addWidget(self.pad)
        self.clear.clicked.connect(self.pad.clear)
        self.pad.changed.connect(self._stamp)

    def _stamp(self) -> None:
        self.signed_at = None if self.pad.is_empty() else datetime.now().astimezone().isoformat(timespec="seconds")

    def signature(self) -> dict[str, Any] | None:
        if self.pad.is_empty() or not self.signed_at:
            return None
        return {"role": self.role, "name": self.name.text().strip(), "signed_at": self.signed_at,
                "strokes": [[list(p) for p in stroke] for stroke in self.pad.strokes if len(stroke) > 1]}


class SignDialog(QDialog):
    def __init__(self, declaration: str, names: dict[str, str], tenant: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign the application pack")
        self.setAccessibleName("Sign the application pack")
        resize_within_screen(self, 720, 760)
        layout = QVBoxLayout(self)
        heading = QLabel("Read the declaration to the applicant before anyone signs.", self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.declaration = QTextBrowser(self)
        self.declaration.setPlainText(declaration)
        self.declaration.setAccessibleName("Declaration")
        self.declaration.setMaximumHeight(130)
        layout.addWidget(self.declaration)
        holder = QWidget(self)
        boxes = QVBoxLayout(holder)
        roles = ["applicant", "representative", *(["landlord"] if tenant else []), "officer"]
        self.signers = {role: SignerBox(role, names.get(role, ""), holder) for role in roles}
        for box in self.signers.values():
            boxes.addWidget(box)
            box.pad.changed.connect(self._update)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setAccessibleName("Signatures")
        layout.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton("Sign and &freeze the pack", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setAccessibleName("Sign and freeze the pack")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel signing")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ready = any(self.signers[r].signature() for r in ("applicant", "representative"))
        self.sign_button.setEnabled(ready)

    def signatures(self) -> list[dict[str, Any]]:
        return [s for s in (box.signature() for box in self.signers.values()) if s]
