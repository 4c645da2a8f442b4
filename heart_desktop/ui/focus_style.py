"""One focus style, the palette's contrast and text sizes derived from the user's font.

* **Focus**: a stylesheet ``outline`` is not drawn on Qt widgets, and Fusion's own focus hints are
  faint (a button focused by the program, the default button, a combo after its popup closes show
  nothing). One :class:`FocusRing` (a ``QFocusFrame`` we paint) follows the application's focus
  and draws the same 3 px ring around whichever widget has it (around the current tab of a tab
  bar), in #0b4ea2: 7.5:1 on white, 6.6:1 on the window grey. Table cells carry their own ring, in
  the stylesheet, #ffdd00 over the selection (5.6:1 on the highlight).
* **Palette**: placeholder text #595959 (7.0:1 on white), selected rows white on #1f4e99 (8.4:1),
  the same when the view has lost focus.
* **Sizes**: the stylesheet no longer fixes ``font-size: 10.5pt`` on every widget (which overrode a
  16 pt system font); headings are a ratio of the application's font, filled in at start.
"""

from __future__ import annotations

import copy
from string import Template
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from heart_desktop.ui.focus_ring import FocusRing

FOCUS_COLOUR = QColor("#0b4ea2")
FOCUS_WIDTH = 3
CELL_FOCUS_ON_SELECTION = "#ffdd00"
HIGHLIGHT = QColor("#1f4e99")
PLACEHOLDER = QColor("#595959")
TITLE_RATIO = 1.5
SECTION_RATIO = 1.15


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def accessible_palette(base: QPalette) -> QPalette:
    """``base`` with placeholder and selection colours that reach 4.5:1, in every colour group."""
    palette = copy.copy(base)  # not QPalette(base): choosing among its constructors builds Qt's namespace
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, PLACEHOLDER)
        palette.setColor(group, QPalette.ColorRole.Highlight, HIGHLIGHT)
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return palette


def stylesheet(template: str, point_size: float) -> str:
    """The application's stylesheet with heading sizes worked out from the user's font size."""
    return Template(template).safe_substitute(
        title_pt=f"{point_size * TITLE_RATIO:.1f}", section_pt=f"{point_size * SECTION_RATIO:.1f}",
        focus=FOCUS_COLOUR.name(), cell_focus=CELL_FOCUS_ON_SELECTION)


def install_palette(app: QApplication) -> None:
    """The palette of at least 4.5:1, before the first window is drawn."""
    app.setPalette(accessible_palette(app.palette()))


def install(app: QApplication) -> None:
    """Palette and focus ring for the whole application (once). The application's start sets the
    palette at once and the ring just after the first paint (:mod:`heart_desktop.ui.focus_ring`)."""
    from heart_desktop.ui import focus_ring

    install_palette(app)
    focus_ring.install(app)


def focus_ring() -> FocusRing | None:
    """The ring, once installed (tests look at which widget it surrounds)."""
    from heart_desktop.ui import focus_ring as ring_module

    return ring_module.current()
