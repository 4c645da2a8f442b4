"""The dialogs' shared buttons: a named push button, the row of buttons along a dialog's foot, and
the "file to write" field with its Choose… button. One place, so every dialog's buttons carry an
accessible name, the default button is set the same way, and the row reads the same (its message on
the left, the buttons on the right)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QBoxLayout, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


def push_button(text: str, parent: QWidget, name: str, slot: Callable[[], object] | None = None, *,
                default: bool = False) -> QPushButton:
    """A button with its accessible name (screen readers would otherwise read the mnemonic's ``&``)."""
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    if default:
        button.setDefault(True)
    if slot is not None:
        button.clicked.connect(slot)
    return button


def button_row(layout: QBoxLayout, buttons: Sequence[QPushButton], message: QWidget | None = None) -> QHBoxLayout:
    """The dialog's foot, added to ``layout``: ``message`` (or space) taking the width, then ``buttons``."""
    row = QHBoxLayout()
    if message is None:
        row.addStretch(1)
    else:
        row.addWidget(message, 1)
    for button in buttons:
        row.addWidget(button)
    layout.addLayout(row)
    return row


def file_row(form: QFormLayout, parent: QWidget, name: str, placeholder: str, choose_name: str,
             choose: Callable[[], object]) -> tuple[QLineEdit, QPushButton]:
    """A form's "&File" row: the path typed, or picked with "C&hoose…" (which runs ``choose``)."""
    path = QLineEdit(parent)
    path.setAccessibleName(name)
    path.setPlaceholderText(placeholder)
    button = push_button("C&hoose…", parent, choose_name, choose)
    where = QHBoxLayout()
    where.addWidget(path, 1)
    where.addWidget(button)
    label = QLabel("&File", parent)
    label.setBuddy(path)
    form.addRow(label, where)
    return path, button
