"""Qt enum values for the widgets built before the unlock window's first paint.

The first use of ``PySide6.QtCore.Qt`` (importing the name, or any call that returns one of its
enums) builds the whole Qt namespace in Python, about 10 ms, longer than everything else the unlock
window draws. These few settings go through Qt's property system as the plain numbers Qt defines,
and the namespace is built after the first paint. ``tests/ui/test_startup.py`` holds the numbers
against the enums.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

NO_FOCUS = 0  # Qt::NoFocus
TEXT_SELECTABLE_BY_MOUSE = 1  # Qt::TextSelectableByMouse


def set_no_focus(widget: QWidget) -> None:
    """``widget.setFocusPolicy(Qt.NoFocus)``."""
    widget.setProperty("focusPolicy", NO_FOCUS)


def set_selectable_by_mouse(label: QLabel) -> None:
    """``label.setTextInteractionFlags(Qt.TextSelectableByMouse)``."""
    label.setProperty("textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
