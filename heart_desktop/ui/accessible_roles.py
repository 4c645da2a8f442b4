"""Roles for our own widgets. Qt gives any custom QWidget (and a QPdfView) the role "client", which
AT-SPI calls a filler: Orca says nothing useful when such a thing takes focus. A widget class names
its role in ``ACCESSIBLE_ROLE`` and this factory answers for it with a plain ``QAccessibleWidget``
of that role (name and description still come from the widget)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QWidget

_installed = False


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    role = getattr(type(obj), "ACCESSIBLE_ROLE", None)
    if role is None or not isinstance(obj, QWidget):
        return None
    return QAccessibleWidget(obj, role, "")


def install() -> None:
    """Install the factory once per process (called by the widgets that need it, and at start)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
