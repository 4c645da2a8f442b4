"""Widgets that reflow with larger text (a 16 pt font, 150% scale on a 1366x768 screen) instead of
widening the window: rows that wrap, tick boxes and titles that wrap, panes that stack, and
keyboard-operable splitters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QAccessible, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QSplitterHandle,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from heart_desktop.ui import accessible_roles

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

class Reflow(QWidget):
    """Panes side by side when they fit the width, one above the other when they do not (a 16 pt
    font, 150% scale): the smallest width asked of the window is that of the widest pane, not the
    sum of them all, so the screen reflows instead of scrolling sideways."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)

    def panes(self) -> list[QWidget]:
        return [item.widget() for item in (self.box.itemAt(i) for i in range(self.box.count()))
                if item is not None and item.widget() is not None and not item.widget().isHidden()]

    def side_by_side_width(self) -> int:
        panes = self.panes()
        return sum(p.minimumSizeHint().width() for p in panes) + self.box.spacing() * max(len(panes) - 1, 0)

    def is_side_by_side(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.LeftToRight

    def minimumSizeHint(self) -> QSize:
        panes = self.panes()
        if not panes:
            return super().minimumSizeHint()
        width = max(p.minimumSizeHint().width() for p in panes)
        heights = [p.minimumSizeHint().height() for p in panes]
        height = max(heights) if self.is_side_by_side() else sum(heights) + self.box.spacing() * (len(panes) - 1)
        return QSize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        wanted = (QBoxLayout.Direction.LeftToRight if event.size().width() >= self.side_by_side_width()
                  else QBoxLayout.Direction.TopToBottom)
        if wanted != self.box.direction():
            self.box.setDirection(wanted)
            self.updateGeometry()
        super().resizeEvent(event)


def narrow_combo(combo: QComboBox, characters: int = 20) -> QComboBox:
    """A combo as wide as its row gives it (at least ``characters`` wide), not as its longest entry:
    long entries made the window wider than the screen with larger text. The popup shows them whole."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo


class KeyboardHandle(QSplitterHandle):
    """A splitter handle that takes focus and moves with the arrow keys (Home and End to the ends),
    so panes can be resized without a pointer; a separator to assistive technology, not a filler."""

    ACCESSIBLE_ROLE = QAccessible.Role.Separator
    STEP = 24

    def __init__(self, orientation: Qt.Orientation, parent: QSplitter) -> None:
        from PySide6.QtCore import Qt

        accessible_roles.install()
        super().__init__(orientation, parent)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName("Resize the panes")
        self.setAccessibleDescription("Arrow keys move the divider; Home and End move it to either end")

    def position(self) -> int:
        from PySide6.QtCore import Qt

        return self.x() if self.orientation() == Qt.Orientation.Horizontal else self.y()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        horizontal = self.orientation() == Qt.Orientation.Horizontal
        back, forward = ((Qt.Key.Key_Left, Qt.Key.Key_Right) if horizontal else (Qt.Key.Key_Up, Qt.Key.Key_Down))
        key = event.key()
        if key in (back, forward):
            self.moveSplitter(self.position() + (self.STEP if key == forward else -self.STEP))
        elif key == Qt.Key.Key_Home:
            self.moveSplitter(0)
        elif key == Qt.Key.Key_End:
            splitter = self.splitter()
            self.moveSplitter(splitter.width() if horizontal else splitter.height())
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class Splitter(QSplitter):
    """A QSplitter whose handles are keyboard-operable (:class:`KeyboardHandle`)."""

    def createHandle(self) -> QSplitterHandle:
        return KeyboardHandle(self.orientation(), self)


class ScrollRegion(QScrollArea):
    """A scroll area that takes focus so its content (charts, a picture) can be scrolled by the
    arrow keys: a pane to assistive technology, not the "filler" Qt makes of a scroll area."""

    ACCESSIBLE_ROLE = QAccessible.Role.Pane

    def __init__(self, parent: QWidget | None = None) -> None:
        accessible_roles.install()
        super().__init__(parent)


class FlowLayout(QLayout):
    """A row of controls that wraps onto the next line when the width runs out, as text does.

    Rows of filters and buttons laid out in a ``QHBoxLayout`` asked for their whole width, so at 150%
    scale or with a 16 pt font the window scrolled sideways. Here the smallest width asked is that
    of the widest item; a caption and its control stay together when put in one :func:`pair`.
    Stretches and spacers take no room (the row is left-aligned)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._heights: dict[int, int] = {}  # width -> height, until the layout is invalidated
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addLayout(self, layout: QLayout) -> None:
        """A group of items kept on one line (see :func:`pair`)."""
        self.addChildLayout(layout)
        self.addItem(layout)

    def addStretch(self, _stretch: int = 0) -> None:
        """Accepted for a row that was a box layout; a flowing row is left-aligned already."""

    def count(self) -> int:
        self._items = [item for item in self._items if shiboken6.isValid(item)]
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        item = self._items[index] if 0 <= index < len(self._items) else None
        return item if item is not None and shiboken6.isValid(item) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        from PySide6.QtCore import Qt

        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """Remembered per width until something in the row changes: Qt asks again and again while
        it lays a window out (1,600 times, 90 ms, between the passphrase and the caseload)."""
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), move=False)
        return height

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """One line, as a box layout would be."""
        items = self._shown()
        margins = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in items) + self.spacing() * max(len(items) - 1, 0)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """As wide as the widest item: everything else goes onto further lines."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def spacing(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        return parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing, None, parent)

    def _shown(self) -> list[QLayoutItem]:
        # a row's pair layouts are the layout's QObject children: Qt deletes them with it, and the
        # window being torn down can still ask for a height on the way
        self._items = [item for item in self._items if shiboken6.isValid(item)]
        return [item for item in self._items if not item.isEmpty() and item.spacerItem() is None]

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items line by line within ``rect``; the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        gap = self.spacing()
        x, y, line_height = area.x(), area.y(), 0
        for item in self._shown():
            width = min(max(item.sizeHint().width(), item.minimumSize().width()), max(area.width(), 1))
            height = (item.heightForWidth(width) if item.hasHeightForWidth()
                      else max(item.sizeHint().height(), item.minimumSize().height()))
            if x > area.x() and x + width > area.x() + area.width():
                x, y, line_height = area.x(), y + line_height + gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
            x += width + gap
            line_height = max(line_height, height)
        return y + line_height - rect.y() + margins.bottom()


def pair(*widgets: QWidget) -> QHBoxLayout:
    """Widgets kept on one line inside a :class:`FlowLayout` (a caption and its control)."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return row


class WrapCheckBox(QCheckBox):
    """A tick box whose words wrap onto more lines, as a label's do: a ``QCheckBox`` keeps its text
    on one line, so a long question ("The property is an immediate and significant risk…") made the
    form or dialog wider than a 1366x768 screen at 150% or with a 16 pt font. Keyboard, mnemonic,
    accessible name and state are the check box's own; only the size and the painting differ."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _indicator(self) -> tuple[int, int]:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        style = self.style()
        width = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, option, self)
        gap = style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, option, self)
        return width, gap

    def _text_height(self, width: int) -> int:
        from PySide6.QtCore import Qt

        indicator, gap = self._indicator()
        room = max(width - indicator - gap - 4, 20)
        flags = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic
        return self.fontMetrics().boundingRect(QRect(0, 0, room, 100_000), int(flags), self.text()).height()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        indicator, _gap = self._indicator()
        return max(indicator, self._text_height(width)) + 4

    def sizeHint(self) -> QSize:
        one_line = super().sizeHint()
        width = min(one_line.width(), 44 * self.fontMetrics().averageCharWidth())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        indicator, gap = self._indicator()
        words = self.text().replace("&", "").split() or [""]
        widest = max(self.fontMetrics().horizontalAdvance(word) for word in words)
        width = indicator + gap + max(widest, 12 * self.fontMetrics().averageCharWidth()) + 4
        return QSize(width, self.sizeHint().height())  # the height comes from heightForWidth in a layout

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, _event: QPaintEvent) -> None:
        from PySide6.QtCore import Qt

        option = QStyleOptionButton()
        self.initStyleOption(option)
        indicator, gap = self._indicator()
        painter = QPainter(self)
        style = self.style()
        box = QStyleOptionButton(option)
        box.rect = QRect(0, 2, indicator, indicator)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, box, painter, self)
        text = QRect(indicator + gap, 0, self.width() - indicator - gap, self.height())
        flags = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic | Qt.AlignmentFlag.AlignLeft
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(text, int(flags), self.text())


def wrapping_form(form: QFormLayout) -> QFormLayout:
    """A form whose field goes under its caption when the two do not fit side by side (Fusion keeps
    them on one row whatever the width, so a 16 pt form scrolled sideways or was cut off)."""
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


LONG_TITLE = 44  # characters: a group box title longer than this wraps inside the box instead


def wrap_title(box: QGroupBox, layout: QFormLayout | QBoxLayout) -> QGroupBox:
    """A long group box title as a wrapped first line inside the box: a ``QGroupBox`` is at least as
    wide as its one-line title, so "KPI 9: Making use of necessary facilities and services in the
    local community…" made a form 1,400 px wide at 16 pt. The box keeps the title as its name."""
    title = box.title()
    if len(title.replace("&", "")) <= LONG_TITLE:
        return box
    box.setTitle("")
    if not box.accessibleName():
        box.setAccessibleName(title.replace("&", ""))
    heading = QLabel(title, box)
    heading.setWordWrap(True)
    heading.setObjectName("groupTitle")
    if isinstance(layout, QFormLayout):
        layout.insertRow(0, heading)
    else:
        layout.insertWidget(0, heading)
    return box
