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

from string import Template

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFocusFrame, QProxyStyle, QStyle, QTabBar, QWidget

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
    palette = QPalette(base)
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


class _RingStyle(QProxyStyle):
    """The ring's own style: it stands FOCUS_WIDTH outside the widget, over it, and is not masked
    (the ring paints only its edge, or around the current tab of a tab bar)."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: object = None, widget: object = None) -> int:
        if metric in (QStyle.PixelMetric.PM_FocusFrameHMargin, QStyle.PixelMetric.PM_FocusFrameVMargin):
            return FOCUS_WIDTH
        return super().pixelMetric(metric, option, widget)

    def styleHint(self, hint: QStyle.StyleHint, option: object = None, widget: object = None,
                  returned: object = None) -> int:
        if hint == QStyle.StyleHint.SH_FocusFrame_Mask:
            return 0
        if hint == QStyle.StyleHint.SH_FocusFrame_AboveWidget:
            return 1  # drawn over the widget (it paints only the ring), so a ring drawn inside shows
        return super().styleHint(hint, option, widget, returned)


class FocusRing(QFocusFrame):
    """The ring around the focused widget. QFocusFrame keeps itself over the widget (it moves,
    resizes and is clipped with it); this paints the ring itself rather than asking the style, which
    draws nothing for Fusion."""

    def __init__(self) -> None:
        super().__init__()
        style = _RingStyle()
        style.setParent(self)  # deleted with the ring, never before it (a dangling style crashed at exit)
        self.setStyle(style)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def paintEvent(self, event: QPaintEvent) -> None:
        target = self.widget()
        if target is None:
            return
        painter = QPainter(self)
        painter.setPen(QPen(FOCUS_COLOUR, FOCUS_WIDTH))
        half = FOCUS_WIDTH // 2
        area = self.rect()
        if isinstance(target, QTabBar) and target.currentIndex() >= 0:
            tab = target.tabRect(target.currentIndex())
            area = QRect(self.mapFromGlobal(target.mapToGlobal(tab.topLeft())), tab.size())
            area = area.adjusted(0, 0, 0, 0).intersected(self.rect())
            painter.drawRect(area.adjusted(half, half, -half - 1, -half - 1))
            return
        parent = self.parentWidget()
        if parent is not None:  # where the parent would clip the ring, draw it just inside instead
            area = area.intersected(QRect(self.mapFromParent(QPoint(0, 0)), parent.size()))
        painter.drawRect(area.adjusted(half, half, -half - 1, -half - 1))


def ring_wanted(widget: QWidget | None) -> bool:
    """Every widget that takes focus from the keyboard, except item views' cells (the view ring
    shows the view; the cell's own ring is in the stylesheet) and our own that draw it themselves."""
    if widget is None or not widget.isVisible():
        return False
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and not getattr(widget, "DRAWS_OWN_FOCUS", False)


class _Follower(QObject):
    """Moves the one ring to each widget that gains focus (whatever the reason: Tab, the program,
    a popup closing), and repaints it when a tab bar changes tab."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._ring: FocusRing | None = None
        app.focusChanged.connect(self._moved)

    @property
    def ring(self) -> FocusRing:
        """The ring; a new one when the last was deleted with the window it stood in (QFocusFrame
        becomes a child of the focused widget's parent, and goes when that goes)."""
        if self._ring is None or not shiboken6.isValid(self._ring):
            self._ring = FocusRing()
        return self._ring

    def _moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = new
        while target is not None and target.focusProxy() is not None:
            target = target.focusProxy()
        if target is not None and target.parentWidget() is not None and hasattr(target.parentWidget(), "lineEdit") \
                and target is target.parentWidget().lineEdit():
            target = target.parentWidget()  # a spin box's or editable combo's line edit: ring the whole box
        ring = self.ring
        ring.setWidget(target if ring_wanted(target) else None)
        if isinstance(target, QTabBar):
            target.currentChanged.connect(ring.update, Qt.ConnectionType.UniqueConnection)
        ring.update()


_follower: _Follower | None = None


def install(app: QApplication) -> None:
    """Palette and focus ring for the whole application (once)."""
    global _follower
    app.setPalette(accessible_palette(app.palette()))
    if _follower is None:
        _follower = _Follower(app)


def focus_ring() -> FocusRing | None:
    """The ring, once installed (tests look at which widget it surrounds)."""
    return _follower.ring if _follower is not None else None


