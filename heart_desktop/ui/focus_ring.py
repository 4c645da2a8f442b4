"""The one focus ring: a ``QFocusFrame`` we paint, following the application's focus.

Loaded just after the unlock window's first paint (it builds Qt's enum namespace, which the first
paint does not need); :func:`install` rings whatever widget already has the focus by then. The
colours and widths are :mod:`heart_desktop.ui.focus_style`'s.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QFocusFrame, QProxyStyle, QStyle, QTabBar, QWidget

from heart_desktop.ui.focus_style import FOCUS_COLOUR, FOCUS_WIDTH


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
        self.follow(new)

    def follow(self, new: QWidget | None) -> None:
        """Put the ring around ``new`` (or the box it is the line edit of), or nowhere."""
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
    """The ring for the whole application (once), around the widget that has the focus now."""
    global _follower
    if _follower is None:
        _follower = _Follower(app)
        _follower.follow(app.focusWidget())


def current() -> FocusRing | None:
    """The ring, once installed."""
    return _follower.ring if _follower is not None else None


