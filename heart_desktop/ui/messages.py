"""Message boxes made in one place, so every one is built, named and checked the same way.

The accessibility test opens each of them (``message_box`` returns the box unshown; the app
calls ``exec``) and walks it as Orca meets it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

Icon = QMessageBox.Icon
Button = QMessageBox.StandardButton


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: Sequence[QMessageBox.StandardButton] = (QMessageBox.StandardButton.Ok,),
                default: QMessageBox.StandardButton | None = None) -> QMessageBox:
    """A box with its title as its name; not shown (``exec`` it, or ``show`` it in a test)."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.NoButton)
    for button in buttons:
        box.addButton(button)
    if default is not None:
        box.setDefaultButton(default)
    box.setAccessibleName(title)
    return box


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question, No by default; True when the officer answers Yes."""
    box = question_box(parent, title, text)
    box.exec()
    return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)


def question_box(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    return message_box(parent, QMessageBox.Icon.Question, title, text,
                       (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No), QMessageBox.StandardButton.No)


def tell(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QAbstractButton | None:
    """Show a message until the officer closes it."""
    box = message_box(parent, icon, title, text)
    box.exec()
    return box.clickedButton()
