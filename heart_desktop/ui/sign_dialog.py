"""Signing the pack at the kitchen table: the declaration read back, then one box per signer.

Each signer (applicant, disabled person's representative, landlord, officer) signs in the way
they can: on their own pad (cleared and signed again at will), by a mark on the pad witnessed by
the officer, by their name typed and witnessed by the officer (no pointer needed), or on paper,
the signed page photographed into the case. The time is taken when the signature is complete.
The pack can be signed once the applicant or their representative has signed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from heart_desktop.domain.signatures import DRAWN, MARK, ON_PAPER, TYPED, SignatureError, check_signature
from heart_desktop.ui.reflow import narrow_combo
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.signature_pad import SignaturePad

ROLE_NOTES = {  # under the box's title, wrapped: a long group box title made the dialog wider than the screen
    "representative": "Only if signing for the applicant.",
}
ROLE_LABELS = {
    "applicant": "Applicant",
    "representative": "Disabled person's representative",
    "landlord": "Landlord (consent to the works)",
    "officer": "Housing Assessment Officer",
}


WAYS = (  # how a person can give their signature (domain.signatures.METHODS), as the officer offers it
    (DRAWN, "Signs on the pad"),
    (TYPED, "Name typed, witnessed by the officer"),
    (MARK, "Makes a mark on the pad, witnessed by the officer"),
    (ON_PAPER, "Signed on paper (the signed page photographed into the case)"),
)


class SignerBox(QGroupBox):
    """One signer: name, how they sign, and the pad, the witness's confirmation or the photo of the
    page signed on paper. Every way can be done from the keyboard but the pad."""

    changed = Signal()

    def __init__(self, role: str, name: str, officer: str = "", photos: Sequence[Mapping[str, str]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(ROLE_LABELS[role], parent)
        self.role = role
        self.officer = officer
        self.signed_at: str | None = None
        layout = QVBoxLayout(self)
        if role in ROLE_NOTES:
            note = QLabel(ROLE_NOTES[role], self)
            note.setWordWrap(True)
            layout.addWidget(note)
            self.setAccessibleDescription(ROLE_NOTES[role])
        row = QHBoxLayout()
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText("Name of the person signing")
        self.name.setAccessibleName(f"{ROLE_LABELS[role]}: name")
        self.clear = QPushButton("Clear", self)
        self.clear.setAccessibleName(f"Clear the {role} signature")
        name_label = QLabel("Name:", self)
        name_label.setBuddy(self.name)
        row.addWidget(name_label)
        row.addWidget(self.name, 1)
        row.addWidget(self.clear)
        layout.addLayout(row)
        how_row = QHBoxLayout()
        self.how = QComboBox(self)
        for key, words in WAYS:
            if key != ON_PAPER or photos:
                self.how.addItem(words, key)
        self.how.setAccessibleName(f"{ROLE_LABELS[role]}: how they sign")
        narrow_combo(self.how, 16)  # its longest way, whole, made the dialog scroll sideways at 150%
        how_label = QLabel("How they sign:", self)
        how_label.setBuddy(self.how)
        how_row.addWidget(how_label)
        how_row.addWidget(self.how, 1)
        layout.addLayout(how_row)
        self.pad = SignaturePad(self)
        self.pad.setAccessibleName(f"{ROLE_LABELS[role]}: sign here with the mouse, pen or finger")
        layout.addWidget(self.pad)
        # a tick box cannot wrap its text: the officer's statement wraps above a short box, and the
        # whole statement is the box's name (what Orca reads when the box takes focus)
        self.statement = QLabel(self)
        self.statement.setWordWrap(True)
        self.witnessed = QCheckBox("I &witness it", self)
        self.statement.setBuddy(self.witnessed)
        layout.addWidget(self.statement)
        layout.addWidget(self.witnessed)
        paper_row = QHBoxLayout()
        self.paper = QComboBox(self)
        self.paper.addItem("Choose the photo of the signed page", "")
        for photo in photos:
            self.paper.addItem(photo.get("caption") or f"Photo {photo['sha256'][:12]}", photo["sha256"])
        self.paper.setAccessibleName(f"{ROLE_LABELS[role]}: photo of the page signed on paper")
        narrow_combo(self.paper, 16)
        self.paper_label = QLabel("Signed page:", self)
        self.paper_label.setBuddy(self.paper)
        paper_row.addWidget(self.paper_label)
        paper_row.addWidget(self.paper, 1)
        layout.addLayout(paper_row)
        self.clear.clicked.connect(self._clear)
        self.pad.changed.connect(self._stamp)
        self.how.currentIndexChanged.connect(self._how_changed)
        self.witnessed.toggled.connect(self._stamp)
        self.paper.currentIndexChanged.connect(self._stamp)
        self.name.textChanged.connect(self._words)
        self._how_changed()

    def method(self) -> str:
        return str(self.how.currentData() or DRAWN)

    def _how_changed(self) -> None:
        method = self.method()
        self.pad.setVisible(method in (DRAWN, MARK))
        self.witnessed.setVisible(method in (TYPED, MARK))
        self.statement.setVisible(method in (TYPED, MARK))
        for widget in (self.paper, self.paper_label):
            widget.setVisible(method == ON_PAPER)
        self._words()
        self._stamp()

    def _words(self) -> None:
        who = self.name.text().strip() or "the signer"
        action = "agree to their name being typed as their signature" if self.method() == TYPED else "make their mark"
        self.statement.setText(f"I, {self.officer or 'the officer'}, saw {who} {action}.")
        self.witnessed.setAccessibleName(f"I, {self.officer or 'the officer'}, saw {who} {action}, and witness it")

    def _clear(self) -> None:
        self.pad.clear()
        self.witnessed.setChecked(False)
        self.paper.setCurrentIndex(0)

    def _complete(self) -> bool:
        method = self.method()
        try:
            check_signature(method, "signer", not self.pad.is_empty(), self.officer or "officer",
                            self.witnessed.isChecked(), str(self.paper.currentData() or ""))
        except SignatureError:
            return False
        return method in (ON_PAPER, TYPED) or not self.pad.is_empty()

    def _stamp(self) -> None:
        done = self._complete() and bool(self.name.text().strip() or self.method() == DRAWN)
        if not done:
            self.signed_at = None
        elif self.signed_at is None or self.sender() is not self.name:
            self.signed_at = datetime.now().astimezone().isoformat(timespec="seconds")
        self.changed.emit()

    def signature(self) -> dict[str, Any] | None:
        if not self.signed_at or not self._complete():
            return None
        method = self.method()
        out: dict[str, Any] = {"role": self.role, "name": self.name.text().strip(), "signed_at": self.signed_at,
                               "strokes": [[list(p) for p in stroke] for stroke in self.pad.strokes if len(stroke) > 1]
                               if method in (DRAWN, MARK) else []}
        if method != DRAWN:
            out.update({"method": method, "witness": self.officer if method in (TYPED, MARK) else "",
                        "evidence": str(self.paper.currentData() or "") if method == ON_PAPER else ""})
        return out


class SignDialog(QDialog):
    def __init__(self, declaration: str, names: dict[str, str], tenant: bool, parent: QWidget | None = None,
                 photos: Sequence[Mapping[str, str]] = ()) -> None:
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
        officer = names.get("officer", "")
        self.signers = {role: SignerBox(role, names.get(role, ""), officer, photos, holder) for role in roles}
        for box in self.signers.values():
            boxes.addWidget(box)
            box.changed.connect(self._update)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setAccessibleName("Signatures")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the signers' controls take focus; it scrolls to them
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


LETTER_WAYS = (  # how the officer signs a letter (documents.letters.model.SIGN_METHODS)
    (DRAWN, "Sign on the pad (mouse, pen or finger)"),
    ("by_name", "Sign by name (from the keyboard, no pointer needed)"),
)


class LetterSignDialog(QDialog):
    """The officer signs a letter: on the pad as for the pack (cleared and signed again at will), or
    by name from the keyboard. The time is taken when the signature is complete."""

    def __init__(self, title: str, officer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.officer = officer
        self.signed_at: str | None = None
        self.setWindowTitle(f"Sign the letter: {title}")
        self.setAccessibleName("Sign the letter")
        resize_within_screen(self, 620, 340)
        layout = QVBoxLayout(self)
        heading = QLabel(f"Sign the letter \u201c{title}\u201d as {officer or 'the officer'}.", self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        how_row = QHBoxLayout()
        self.how = QComboBox(self)
        for key, words in LETTER_WAYS:
            self.how.addItem(words, key)
        self.how.setAccessibleName("How you sign")
        narrow_combo(self.how, 16)
        how_label = QLabel("How you sign:", self)
        how_label.setBuddy(self.how)
        how_row.addWidget(how_label)
        how_row.addWidget(self.how, 1)
        self.clear = QPushButton("Clear", self)
        self.clear.setAccessibleName("Clear the signature")
        how_row.addWidget(self.clear)
        layout.addLayout(how_row)
        self.pad = SignaturePad(self)
        self.pad.setAccessibleName("Officer: sign here with the mouse, pen or finger")
        layout.addWidget(self.pad)
        self.by_name = QCheckBox(f"I, {officer or 'the officer'}, sign this letter by my name", self)
        self.by_name.setAccessibleName(self.by_name.text())
        layout.addWidget(self.by_name)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton("Sign and &save the letter", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setAccessibleName("Sign and save the letter")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel signing")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.clear.clicked.connect(self._clear)
        self.pad.changed.connect(self._stamp)
        self.by_name.toggled.connect(self._stamp)
        self.how.currentIndexChanged.connect(self._how_changed)
        self._how_changed()

    def method(self) -> str:
        return str(self.how.currentData() or DRAWN)

    def _how_changed(self) -> None:
        drawn = self.method() == DRAWN
        self.pad.setVisible(drawn)
        self.clear.setVisible(drawn)
        self.by_name.setVisible(not drawn)
        self._stamp()

    def _clear(self) -> None:
        self.pad.clear()
        self._stamp()

    def _complete(self) -> bool:
        if self.method() == DRAWN:
            return any(len(stroke) > 1 for stroke in self.pad.strokes)
        return self.by_name.isChecked()

    def _stamp(self) -> None:
        if not self._complete():
            self.signed_at = None
        else:
            self.signed_at = datetime.now().astimezone().isoformat(timespec="seconds")
        self.sign_button.setEnabled(self.signed_at is not None)

    def signature(self) -> dict[str, Any] | None:
        """What ``services.letters.sign`` takes: the method, the officer's name, the time, the strokes."""
        if not self.signed_at or not self._complete():
            return None
        strokes = ([[list(p) for p in stroke] for stroke in self.pad.strokes if len(stroke) > 1]
                   if self.method() == DRAWN else [])
        return {"method": self.method(), "name": self.officer, "signed_at": self.signed_at, "strokes": strokes}
