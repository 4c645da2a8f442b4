"""Windows sized to what they show but never larger than the screen they open on (1366x768 laptops).

Only what the main window needs for its first paint is here (it is imported before the unlock
window is drawn); the widgets that reflow with larger text are in :mod:`heart_desktop.ui.reflow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from heart_desktop.ui.qt_values import set_no_focus

if TYPE_CHECKING:
    pass

FRAME_ALLOWANCE = 40  # the title bar and frame the window manager adds around the window


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` x ``height``, shrunk to the available screen; the content scrolls instead."""
    screen = widget.screen() if widget.screen() is not None else QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    available = screen.availableGeometry()
    widget.resize(min(width, available.width() - 16), min(height, available.height() - FRAME_ALLOWANCE))


SHORT_SCREEN = 600  # logical pixels of available height: 1366x768 at 150% leaves 512


def heading_style(widget: QWidget | None = None) -> str:
    """The stylesheet name for a page's heading: "title" (1.5x the font), or on a short screen (150%
    scale) "sectionTitle" (1.15x): there a case's four-line title took half the screen from its tabs."""
    screen = widget.screen() if widget is not None and widget.screen() is not None else QGuiApplication.primaryScreen()
    if screen is not None and screen.availableGeometry().height() < SHORT_SCREEN:
        return "sectionTitle"
    return "title"


def scrolling(content: QWidget, parent: QWidget | None = None, name: str = "") -> QScrollArea:
    """``content`` in a frameless scroll area that takes no focus (the controls inside do, and it
    scrolls to them): a window holding it can be smaller than the content's smallest layout, which
    at 150% scale or with a 16 pt font is larger than a 1366x768 screen; the content scrolls."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    set_no_focus(area)  # the unlock window's scroll area: before the first paint, so not Qt.NoFocus
    if name:
        area.setAccessibleName(name)
    area.setWidget(content)
    return area


class CurrentPageStack(QStackedWidget):
    """A stack whose smallest size is that of the page it shows, not of its largest page, so the
    caseload or Today is not made to scroll because a case's tabs need more (the work page's stack)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()
