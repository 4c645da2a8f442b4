"""Windows sized to what they show but never larger than the screen they open on (1366x768 laptops)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = 40  # the title bar and frame the window manager adds around the window


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` x ``height``, shrunk to the available screen; the content scrolls instead."""
    screen = widget.screen() if widget.screen() is not None else QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    available = screen.availableGeometry()
    widget.resize(min(width, available.width() - 16), min(height, available.height() - FRAME_ALLOWANCE))
