"""A signature pad: strokes recorded as vectors (mouse, pen or touch), cleared and redone at will.

Points are kept normalised to the pad (0..1 on each axis) so the PDF can draw them as vector
paths into a box of any size.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from heart_desktop.domain.signatures import signature_digest
from heart_desktop.ui import accessible_roles

Stroke = list[tuple[float, float]]


def strokes_digest(strokes: list[Stroke]) -> str:
    """The SHA-256 of the canonical stroke data: what a signature answer refers to."""
    return signature_digest(strokes)


class SignaturePad(QWidget):
    """The pad says to assistive technology whether it is "empty" or "signed at 18:59" (its
    accessible description, updated on every change). Its focus is shown by the application's one
    focus ring (``ui.focus_style``) outside its edge, as for any control; it draws no frame of its own."""

    changed = Signal()
    ACCESSIBLE_ROLE = QAccessible.Role.Canvas  # not a filler: a surface drawn on

    def __init__(self, parent: QWidget | None = None) -> None:
        accessible_roles.install()
        super().__init__(parent)
        self.strokes: list[Stroke] = []
        self.signed_at: datetime | None = None
        self._drawing = False
        self.setMinimumSize(QSize(360, 120))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Signature pad: sign with the mouse, pen or finger")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._describe()

    def sizeHint(self) -> QSize:
        return QSize(480, 150)

    def clear(self) -> None:
        self.strokes = []
        self.signed_at = None
        self._describe()
        self.update()
        self.changed.emit()

    def set_strokes(self, strokes: list[Any], signed_at: datetime | None = None) -> None:
        """Show strokes signed earlier (``signed_at``, when known, is what the pad then says)."""
        self.strokes = [[(float(x), float(y)) for x, y in stroke] for stroke in strokes or []]
        self.signed_at = signed_at if not self.is_empty() else None
        self._describe()
        self.update()

    def state_text(self) -> str:
        """What a screen reader hears of the pad's state: "empty", "signed" or "signed at 18:59"."""
        if self.is_empty():
            return "empty"
        return f"signed at {self.signed_at:%H:%M}" if self.signed_at is not None else "signed"

    def _describe(self) -> None:
        self.setAccessibleDescription(self.state_text())

    def is_empty(self) -> bool:
        return not any(len(s) > 1 for s in self.strokes)

    def _normalised(self, point: QPointF) -> tuple[float, float]:
        width, height = max(self.width(), 1), max(self.height(), 1)
        return (min(max(point.x() / width, 0.0), 1.0), min(max(point.y() / height, 0.0), 1.0))

    def _start(self, point: QPointF) -> None:
        self._drawing = True
        self.strokes.append([self._normalised(point)])
        self.update()

    def _move(self, point: QPointF) -> None:
        if self._drawing:
            self.strokes[-1].append(self._normalised(point))
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            if not self.is_empty():
                self.signed_at = datetime.now().astimezone()
            self._describe()
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._start(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._move(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._start(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._move(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.setPen(QPen(Qt.GlobalColor.gray, 1, Qt.PenStyle.DashLine))
        baseline = int(self.height() * 0.8)
        painter.drawLine(10, baseline, self.width() - 10, baseline)
        painter.setPen(QPen(Qt.GlobalColor.black, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self.strokes:
            if not stroke:
                continue
            path = QPainterPath(QPointF(stroke[0][0] * self.width(), stroke[0][1] * self.height()))
            for x, y in stroke[1:]:
                path.lineTo(x * self.width(), y * self.height())
            painter.drawPath(path)

