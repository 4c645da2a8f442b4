"""Labels as a screen reader meets them. A label is read by its text: what kind of label it is
(its caption, "Unlock message") goes in its accessible description, never in its name, which would
hide the text. A message, result or form problem is a :class:`StatusLabel`: each change of its text
is announced (Qt's ``QAccessibleAnnouncementEvent``) through :func:`announce`, the one place that
raises announcements, so an officer using Orca hears "That passphrase does not unlock this store"
rather than nothing."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLabel, QWidget


class _Announcer(QObject):
    """Tells listeners (the tests, a log) what was announced; the announcement itself goes to Qt."""

    announced = Signal(QObject, str, bool)


ANNOUNCER = _Announcer()


def announce(source: QObject, text: str, *, assertive: bool = False) -> None:
    """Raise an accessibility announcement of ``text`` from ``source`` (polite unless ``assertive``,
    which is for problems that stop the officer). Empty text is not announced."""
    message = " ".join(text.split())
    if not message:
        return
    event = QAccessibleAnnouncementEvent(source, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)
    ANNOUNCER.announced.emit(source, message, assertive)


def plain_text(label: QLabel) -> str:
    """The label's text without markup, as it is heard."""
    text = label.text()
    if "<" in text and ">" in text:
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return text


class StatusLabel(QLabel):
    """A message, result or status line: read by its text, its kind as its description, and every
    change of text announced once its window is showing (problems assertively)."""

    def __init__(self, *args: object, kind: str = "", assertive: bool = False) -> None:
        super().__init__(*args)  # QLabel's own forms: (), (parent), (text, parent)
        self.setWordWrap(True)  # a message reflows with larger text rather than widening the window
        self.assertive = assertive
        if kind:
            self.setAccessibleDescription(kind)

    def setText(self, text: str) -> None:
        """Show ``text`` and, when it differs from what was shown, announce it."""
        changed = text != self.text()
        super().setText(text)
        if changed and text.strip() and self.window().isVisible():
            announce(self, plain_text(self), assertive=self.assertive)


def value_label(text: str, parent: QWidget | None, caption: str) -> QLabel:
    """A value shown beside its caption (an address, an amount): read by its value, with the caption
    as its description (and, in a form layout, as its label relation)."""
    label = QLabel(text, parent)
    label.setAccessibleDescription(caption)
    return label


def describe_field(widget: QWidget, label: str, *, required: bool = False, problem: str = "",
                   help_text: str = "") -> None:
    """Expose a field's state to assistive technology as its caption shows it: ``*`` after the name
    when an answer is required (as on screen), and in the description "required", the problem
    (the error text shown under the field, so it is linked to the field it is about) and any help."""
    name = f"{label} *" if required and label else label
    if widget.accessibleName() != name:
        widget.setAccessibleName(name)
    parts = (["Required."] if required else []) + ([f"Problem: {problem}"] if problem else []) \
        + ([help_text] if help_text else [])
    description = " ".join(parts)
    if widget.accessibleDescription() != description:
        widget.setAccessibleDescription(description)


def caption_for(text: str, field: QWidget, parent: QWidget | None = None) -> QLabel:
    """A caption linked to its field as buddy, so the field is named by it and Alt+mnemonic moves there."""
    label = QLabel(text, parent)
    label.setBuddy(field)
    return label
