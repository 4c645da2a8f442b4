"""The page that stands between anyone and the case data: create, unlock or re-unlock a store."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.ui.labels import StatusLabel, describe_field
from heart_desktop.ui.qt_values import set_selectable_by_mouse

MIN_PASSPHRASE_LENGTH = 8


def path_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text`` as lines no wider than ``width``, broken only after a ``/`` or ``\\`` (a piece with
    no separator wider than ``width`` stays whole on its own line)."""
    pieces: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if char in "/\\":
            pieces.append(text[start:index + 1])
            start = index + 1
    if start < len(text):
        pieces.append(text[start:])
    lines: list[str] = []
    for piece in pieces:
        if lines and metrics.horizontalAdvance(lines[-1] + piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return lines


class Mode(Enum):
    CREATE = "create"
    UNLOCK = "unlock"
    LOCKED = "locked"


class PassphrasePage(QWidget):
    """Emits ``submitted(passphrase)``; the window decides whether it was right."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = Mode.UNLOCK
        self._store_path = ""
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(self)
        card.setObjectName("card")
        # a fixed width lets the wrapped texts take the height they need (Qt sizes wrapped
        # labels by height-for-width, which a centred, shrink-to-fit card does not give them)
        card.setFixedWidth(max(500, 44 * card.fontMetrics().averageCharWidth()))  # wider with larger text
        card.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(card)
        self.title = QLabel(card)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.explain = QLabel(card)
        self.explain.setWordWrap(True)
        self.where = QLabel(card)
        self.where.setWordWrap(True)
        set_selectable_by_mouse(self.where)
        form = QFormLayout()
        self.officer = QLineEdit(card)  # a new store's author until the laptop is enrolled
        self.officer.setAccessibleName("Your name")
        self.officer.setToolTip("As it should appear on notes, letters and stage dates; once the laptop is "
                                "enrolled, the office's name for you is used")
        self.officer_label = QLabel("Your &name", card)
        self.officer_label.setBuddy(self.officer)
        form.addRow(self.officer_label, self.officer)
        self.passphrase = QLineEdit(card)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.confirm = QLineEdit(card)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Confirm passphrase")
        form.addRow("&Passphrase", self.passphrase)
        self.confirm_label = QLabel("&Confirm passphrase", card)
        self.confirm_label.setBuddy(self.confirm)
        form.addRow(self.confirm_label, self.confirm)
        self.message = StatusLabel("", card)
        self.message.setWordWrap(True)
        self.message.setObjectName("problem")
        self.message.setAccessibleDescription("Unlock message")
        self.button = QPushButton(card)
        self.button.setDefault(True)
        self.button.setAutoDefault(True)
        for widget in (self.title, self.explain, self.where):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.button)
        row = QHBoxLayout()  # the card centred across the page
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.button.clicked.connect(self._submit)
        self.passphrase.returnPressed.connect(self._submit)
        self.confirm.returnPressed.connect(self._submit)
        self.officer.returnPressed.connect(self._submit)
        self.setTabOrder(self.officer, self.passphrase)
        self.setTabOrder(self.passphrase, self.confirm)
        self.setTabOrder(self.confirm, self.button)

    def set_mode(self, mode: Mode, store_path: str = "") -> None:
        self.mode = mode
        creating = mode is Mode.CREATE
        self.confirm.setVisible(creating)
        self.confirm_label.setVisible(creating)
        self.officer.setVisible(creating)
        self.officer_label.setVisible(creating)
        texts = {
            Mode.CREATE: ("Create your encrypted store",
                          "Choose a passphrase of at least 8 characters. It encrypts every case on "
                          "this laptop; nobody can recover the data without it.", "Create store"),
            Mode.UNLOCK: ("Unlock HEART Desktop", "Enter your passphrase to open your cases.", "Unlock"),
            Mode.LOCKED: ("Locked", "HEART Desktop locked itself to keep the case data private. "
                          "Enter your passphrase to carry on where you left off.", "Unlock"),
        }
        title, explain, button = texts[mode]
        self.title.setText(title)
        self.explain.setText(explain)
        self.button.setText(button)
        self.button.setAccessibleName(button)
        self._store_path = store_path
        self._show_path()
        self.where.setAccessibleDescription(f"Store: {store_path}")
        self.message.setText("")
        describe_field(self.passphrase, "Passphrase")
        self._fit_texts()
        self.passphrase.clear()
        self.confirm.clear()
        (self.officer if creating else self.passphrase).setFocus()

    def _show_path(self) -> None:
        """The store's path, broken into lines after its separators at the card's width: a
        word-wrapped label does not break inside a path. (A zero-width space after each separator
        made Qt search the system's fonts for one that has it, 20 ms before the first paint.)"""
        text = f"Store: {self._store_path}" if self._store_path else ""
        self.where.setText("\n".join(path_lines(text, self.where.fontMetrics(), self._text_width())) if text else "")

    def _text_width(self) -> int:
        """The width the card's texts have: inside the stylesheet's padding once the card is shown
        (the layout's margins leave it out), the card's own width before."""
        card = self.title.parentWidget()
        margins = card.layout().contentsMargins()
        inner = card.contentsRect().width() if card.isVisible() else card.width()
        return inner - margins.left() - margins.right()

    def officer_name(self) -> str:
        """The name typed for a new store's officer ("" when unlocking)."""
        return self.officer.text().strip() if self.mode is Mode.CREATE else ""

    def _fit_texts(self) -> None:
        """Give each wrapped text the height it needs at the card's width (set when texts change)."""
        width = self._text_width()
        for label in (self.title, self.explain, self.where, self.message):
            label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)

    def showEvent(self, event: QShowEvent) -> None:
        """Measured again once shown: the stylesheet's padding and fonts apply only when polished, so
        texts fitted before (a demo hint, a 16 pt font) were cut at the top and bottom."""
        super().showEvent(event)
        self._show_path()
        self._fit_texts()

    def show_message(self, text: str) -> None:
        self.message.setText(text)  # announced (ui.labels); and the field's description, as a form's
        # problem is: Debian 12's Orca 43 has no listener for announcements, and presents a change of
        # the focused object's description instead
        describe_field(self.passphrase, "Passphrase", problem=text)
        self._fit_texts()
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.confirm.setEnabled(not busy)
        if busy:
            self.message.setText("Opening the store…")
            self._fit_texts()

    def add_hint(self, text: str) -> None:
        self.explain.setText(f"{self.explain.text()}\n{text}")
        self._fit_texts()

    def _submit(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            self.show_message("Enter your passphrase.")
            return
        if self.mode is Mode.CREATE:
            if not self.officer_name():
                self.message.setText("Enter your name: it is the author of the notes, letters and stage dates "
                                     "you record until the laptop is enrolled.")
                self._fit_texts()
                self.officer.setFocus()
                return
            if len(secret) < MIN_PASSPHRASE_LENGTH:
                self.show_message(f"Use at least {MIN_PASSPHRASE_LENGTH} characters.")
                return
            if secret != self.confirm.text():
                self.show_message("The two passphrases are different: type them again.")
                self.confirm.clear()
                return
        self.submitted.emit(secret)
