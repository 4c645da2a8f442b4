"""One generic renderer for every form in ``forms/``: a widget per field type, rules from formkit.

The view keeps the answers (plain JSON, formkit's conventions) and asks the ``FormEngine`` after
each change what is shown, required, calculated and wrong; it never decides a rule itself.
Invalid answers are marked at the field with the reason as soon as they are typed; missing ones
are marked when the officer tries to complete the form. Nothing typed is ever thrown away: text
that is not yet a valid number or date is kept as typed and marked.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.validate import parse_date
from heart_desktop.formkit import Field, Form, FormEngine, FormState, get_answer, normalise_money, set_answer
from heart_desktop.ui.labels import StatusLabel, describe_field
from heart_desktop.ui.reflow import WrapCheckBox, wrap_title, wrapping_form
from heart_desktop.ui.signature_pad import SignaturePad, strokes_digest

PhotoAttacher = Callable[[], dict[str, Any] | None]  # asks the officer for a photo; returns {"sha256", ...}


class Editor(QObject):
    """A field's widget and its value in formkit's answer convention."""

    changed = Signal()

    def __init__(self, field: Field, widget: QWidget) -> None:
        super().__init__(widget)
        self.field, self.widget = field, widget
        if isinstance(widget, QLabel):  # a shown value (a calculation, a note): read by its text
            widget.setAccessibleDescription(field.label)
        else:
            widget.setAccessibleName(field.label)
        if field.help:
            widget.setToolTip(field.help)
            if not isinstance(widget, QLabel):
                widget.setAccessibleDescription(field.help)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


class TextEditor(Editor):
    def __init__(self, field: Field) -> None:
        self.multiline = field.appearance == "multiline"
        widget: QWidget = QPlainTextEdit() if self.multiline else QLineEdit()
        super().__init__(field, widget)
        if isinstance(widget, QPlainTextEdit):
            widget.setTabChangesFocus(True)
            widget.setMaximumHeight(90)
            widget.textChanged.connect(self.changed)
        else:
            assert isinstance(widget, QLineEdit)
            widget.textEdited.connect(self.changed)

    def value(self) -> Any:
        w = self.widget
        return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()  # type: ignore[attr-defined]

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if isinstance(self.widget, QPlainTextEdit):
            if self.widget.toPlainText() != text:
                self.widget.setPlainText(text)
        elif isinstance(self.widget, QLineEdit) and self.widget.text() != text:
            self.widget.setText(text)


class NumberEditor(TextEditor):
    def __init__(self, field: Field) -> None:
        super().__init__(field)
        if field.unit and isinstance(self.widget, QLineEdit):
            self.widget.setPlaceholderText(field.unit)

    def value(self) -> Any:
        text = str(super().value()).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return text  # kept as typed; the engine marks it
        return int(number) if number.is_integer() and "." not in text else number


class MoneyEditor(TextEditor):
    def __init__(self, field: Field) -> None:
        super().__init__(field)
        if isinstance(self.widget, QLineEdit):
            self.widget.setPlaceholderText("£0.00")

    def value(self) -> Any:
        text = str(super().value()).strip()
        return (normalise_money(text) or text) if text else None


class DateEditor(TextEditor):
    def __init__(self, field: Field) -> None:
        super().__init__(field)
        if isinstance(self.widget, QLineEdit):
            self.widget.setPlaceholderText("DD/MM/YYYY")

    def value(self) -> Any:
        text = str(super().value()).strip()
        if not text:
            return None
        try:
            return parse_date(text).isoformat()
        except ValueError:
            return text

    def set_value(self, value: Any) -> None:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):  # not ISO: show what was typed
                value = f"{date.fromisoformat(value):%d/%m/%Y}"
        current = str(super().value()).strip()
        try:
            same = parse_date(current).isoformat() == self.value() and current
        except ValueError:
            same = False
        if not same:
            super().set_value(value)


class ComboEditor(Editor):
    """A drop-down of (label, value) items, the first meaning "no answer yet"."""

    def __init__(self, field: Field, items: list[tuple[str, Any]]) -> None:
        combo = QComboBox()
        for label, value in items:
            combo.addItem(label, value)
        # a long choice ("Remove minor slip, trip or fall hazards…") must not widen the form past the
        # window: the closed box may elide, the open list shows every label whole
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(24)
        combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        super().__init__(field, combo)
        combo.currentIndexChanged.connect(self.changed)

    def value(self) -> Any:
        return self.widget.currentData()  # type: ignore[attr-defined]

    def index_of(self, value: Any) -> int:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        combo = self.widget
        assert isinstance(combo, QComboBox)
        combo.blockSignals(True)
        combo.setCurrentIndex(max(self.index_of(value), 0))
        combo.blockSignals(False)


class ChoiceEditor(ComboEditor):
    def __init__(self, field: Field) -> None:
        super().__init__(field, [("— choose —", None), *((c.label, c.value) for c in field.choices)])

    def index_of(self, value: Any) -> int:
        return self.widget.findData(None if value is None else str(value))  # type: ignore[attr-defined]


class YesNoEditor(ComboEditor):
    def __init__(self, field: Field) -> None:
        super().__init__(field, [("— choose —", None), ("Yes", True), ("No", False)])

    def index_of(self, value: Any) -> int:
        return {True: 1, False: 2}.get(value, 0) if isinstance(value, bool) else 0


class MultiChoiceEditor(Editor):
    def __init__(self, field: Field) -> None:
        box = QGroupBox()
        layout = QVBoxLayout(box)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for choice in field.choices:
            check = WrapCheckBox(choice.label, box)
            check.setAccessibleName(choice.label)
            check.toggled.connect(lambda _on: self.changed.emit())
            layout.addWidget(check)
            self.boxes.append((choice.value, check))
        super().__init__(field, box)

    def value(self) -> Any:
        return [value for value, check in self.boxes if check.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for key, check in self.boxes:
            check.blockSignals(True)
            check.setChecked(key in chosen)
            check.blockSignals(False)


class PhotoEditor(Editor):
    def __init__(self, field: Field, attach: PhotoAttacher | None) -> None:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        self.count = QLabel("No photos", holder)
        self.add = QPushButton("Add photo…", holder)
        self.add.setAccessibleName(f"Add photo: {field.label}")
        self.add.setEnabled(attach is not None)
        row.addWidget(self.count)
        row.addWidget(self.add)
        row.addStretch(1)
        super().__init__(field, holder)
        self._photos: list[dict[str, Any]] = []
        self._attach = attach
        self.add.clicked.connect(self._add)

    def _add(self) -> None:
        if self._attach is None:
            return
        ref = self._attach()
        if ref:
            self._photos.append(ref)
            self._show()
            self.changed.emit()

    def _show(self) -> None:
        n = len(self._photos)
        self.count.setText(f"{n} photo{'s' if n != 1 else ''}" if n else "No photos")

    def value(self) -> Any:
        return list(self._photos)

    def set_value(self, value: Any) -> None:
        self._photos = [dict(p) for p in value or [] if isinstance(p, Mapping)]
        self._show()


def _local_time(stamp: Any) -> datetime | None:
    """A stored ISO time as local time (what the pad says: "signed at 18:59"); None when unreadable."""
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return None


class SignatureEditor(Editor):
    def __init__(self, field: Field) -> None:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pad = SignaturePad(holder)
        self.pad.setAccessibleName(f"{field.label}: sign with the mouse, pen or finger")
        self.name = QLineEdit(holder)
        self.name.setPlaceholderText("Name of the person signing")
        self.name.setAccessibleName(f"{field.label}: name of the signer")
        buttons = QHBoxLayout()
        self.clear = QPushButton("Clear signature", holder)
        self.clear.setAccessibleName(f"Clear {field.label}")
        buttons.addWidget(self.name, 1)
        buttons.addWidget(self.clear)
        layout.addWidget(self.pad)
        layout.addLayout(buttons)
        super().__init__(field, holder)
        self._signed_at: str | None = None
        self.pad.changed.connect(self._signed)
        self.name.textEdited.connect(self.changed)
        self.clear.clicked.connect(self.pad.clear)

    def _signed(self) -> None:
        self._signed_at = None if self.pad.is_empty() else datetime.now(UTC).isoformat(timespec="seconds")
        self.changed.emit()

    def value(self) -> Any:
        if self.pad.is_empty():
            return None
        strokes = [[list(p) for p in s] for s in self.pad.strokes]
        return {"sha256": strokes_digest(self.pad.strokes), "signed_at": self._signed_at,
                "name": self.name.text().strip() or None, "strokes": strokes}

    def set_value(self, value: Any) -> None:
        if isinstance(value, Mapping):
            self._signed_at = value.get("signed_at")
            self.pad.set_strokes(value.get("strokes") or [], _local_time(self._signed_at))
            if self.name.text() != (value.get("name") or ""):
                self.name.setText(value.get("name") or "")
        else:
            self.pad.set_strokes([])


class DisplayEditor(Editor):
    """Notes, calculated and computed fields: shown, never typed into."""

    def __init__(self, field: Field) -> None:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        super().__init__(field, label)
        if field.type == "note":
            label.setText(field.help)

    def value(self) -> Any:
        return None

    def set_value(self, value: Any) -> None:
        if self.field.type != "note":
            self.widget.setText("" if value is None else str(value))  # type: ignore[attr-defined]


EDITORS: dict[str, Callable[[Field], Editor]] = {
    "text": TextEditor,
    "number": NumberEditor,
    "money": MoneyEditor,
    "date": DateEditor,
    "choice": ChoiceEditor,
    "yes_no": YesNoEditor,
    "multi_choice": MultiChoiceEditor,
    "signature": SignatureEditor,
    "note": DisplayEditor,
    "calculate": DisplayEditor,
    "computed": DisplayEditor,
}


class _Row:
    """A field's place on screen: label, editor and the line that says what is wrong."""

    def __init__(self, path: str, field: Field, editor: Editor | None, container: QWidget,
                 label: QLabel, error: QLabel) -> None:
        self.path, self.field, self.editor = path, field, editor
        self.container, self.label, self.error = container, label, error
        self.touched = False


WRAP_LABELS_OVER = 48  # characters
READ_ONLY_STYLE = "*:disabled { color: palette(window-text); }"


class FormView(QWidget):
    """Renders ``form``; ``answers_changed`` fires on every edit (for autosave)."""

    answers_changed = Signal(dict)
    rebuilt = Signal()

    def __init__(self, form: Form, answers: Mapping[str, Any] | None = None, *,
                 context: Mapping[str, Any] | None = None, attach_photo: PhotoAttacher | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.engine = FormEngine(form, context=context)
        self.answers: dict[str, Any] = copy.deepcopy(dict(answers or {}))
        self.attach_photo = attach_photo
        self.show_missing = False
        self.rows: dict[str, _Row] = {}
        self.setAccessibleName(form.title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.problems_label = StatusLabel("", self, assertive=True)
        self.problems_label.setObjectName("problem")
        self.problems_label.setWordWrap(True)
        self.problems_label.setAccessibleDescription("Problems with this form")
        outer.addWidget(self.problems_label)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        # a form reads top to bottom: never sideways (labels would be cut at the right edge)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setAccessibleName(f"{form.title}: questions")
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the questions take focus; the form scrolls to them
        outer.addWidget(self.scroll, 1)
        self._structure: tuple[Any, ...] = ()
        self._rebuild_pending = False
        self.read_only = False
        self._build()

    # --- structure -----------------------------------------------------------------------------

    def _structure_key(self, expanded: Form) -> tuple[Any, ...]:
        return tuple((path, f.type) for path, f in expanded.walk() if f.type == "group")

    def _build(self) -> None:
        expanded = self.engine.expanded(self.answers)
        self._structure = self._structure_key(expanded)
        self.rows = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        if self.form.description:
            intro = QLabel(self.form.description, body)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        for section in expanded.sections:
            box = QGroupBox(section.title, body)
            box.setAccessibleName(section.title)
            form_layout = wrapping_form(QFormLayout(box))
            wrap_title(box, form_layout)
            if section.help:
                hint = QLabel(section.help, box)
                hint.setWordWrap(True)
                form_layout.addRow(hint)
            for f in section.fields:
                self._add_field(form_layout, f, f.id)
            layout.addWidget(box)
        layout.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()  # never delete a widget inside its own signal
        self.scroll.setWidget(body)
        body.setEnabled(not self.read_only)
        body.setStyleSheet(READ_ONLY_STYLE if self.read_only else "")
        self._refresh()

    def set_read_only(self, read_only: bool) -> None:
        """A completed or signed form: the answers cannot change, but the officer can still scroll
        and read it all, by mouse or with the scroll area's keys (disabling the whole view would
        disable its scroll bar too)."""
        self.read_only = read_only
        body = self.scroll.widget()
        if body is not None:
            body.setEnabled(not read_only)
            # the answers stay as legible as when they were typed: only the controls are inert
            body.setStyleSheet(READ_ONLY_STYLE if read_only else "")

    def _add_field(self, layout: QFormLayout, f: Field, path: str) -> None:
        if f.type == "group" and f.meta.get("hhsrs"):
            self._add_hhsrs(layout, f, path)
            return
        if f.type == "group":
            box = QGroupBox(f.label)
            box.setAccessibleName(f.label)
            inner = wrapping_form(QFormLayout(box))
            wrap_title(box, inner)
            if f.help:
                hint = QLabel(f.help, box)
                hint.setWordWrap(True)
                inner.addRow(hint)
            for child in f.fields:
                self._add_field(inner, child, f"{path}/{child.id}")
            self._add_row(layout, path, f, None, box)
            return
        if f.type == "repeat":
            self._add_repeat(layout, f, path)
            return
        if f.type == "photo":
            editor: Editor = PhotoEditor(f, self.attach_photo)
        else:
            editor = EDITORS.get(f.type, TextEditor)(f)
        editor.set_value(get_answer(self.answers, path))
        editor.changed.connect(lambda p=path, e=editor: self._edited(p, e.value()))
        self._add_row(layout, path, f, editor, editor.widget)

    def _add_row(self, layout: QFormLayout, path: str, f: Field, editor: Editor | None, widget: QWidget) -> None:
        container = QWidget()
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(widget)
        error = QLabel("", container)
        error.setProperty("fieldError", True)
        error.setWordWrap(True)
        error.setVisible(False)
        column.addWidget(error)
        label = QLabel(f.label if f.type not in ("group",) else "")
        # a short label stays on one line: QFormLayout does not grow a row for a label that wraps
        # later (the required mark is added after the row is laid out), so it would be clipped
        label.setWordWrap(len(f.label) > WRAP_LABELS_OVER)
        label.setBuddy(widget)
        if f.type == "group":
            layout.addRow(container)
        else:
            layout.addRow(label, container)
        self.rows[path] = _Row(path, f, editor, container, label, error)

    def _add_repeat(self, layout: QFormLayout, f: Field, path: str) -> None:
        box = QGroupBox(f.label)
        box.setAccessibleName(f.label)
        inner = QVBoxLayout(box)
        wrap_title(box, inner)
        rows = get_answer(self.answers, path) or []
        for index, _row in enumerate(rows):
            row_box = QGroupBox(f"{f.label}: {index + 1}", box)
            row_layout = wrapping_form(QFormLayout(row_box))
            wrap_title(row_box, row_layout)
            for child in f.fields:
                self._add_field(row_layout, child, f"{path}/{index}/{child.id}")
            remove = QPushButton(f"Remove {index + 1}", row_box)
            remove.setAccessibleName(f"Remove {f.label} {index + 1}")
            remove.clicked.connect(lambda _c=False, i=index: self._remove_repeat_row(path, i))
            row_layout.addRow(remove)
            inner.addWidget(row_box)
        add = QPushButton(f"Add to {f.label.lower()}", box)
        add.setAccessibleName(f"Add a row to {f.label}")
        add.clicked.connect(lambda: self._add_repeat_row(path))
        inner.addWidget(add)
        self._add_row(layout, path, f, None, box)

    def _add_repeat_row(self, path: str) -> None:
        rows = list(get_answer(self.answers, path) or [])
        rows.append({})
        self.answers = set_answer(self.answers, path, rows)
        self._rebuild_keep_scroll()
        self.answers_changed.emit(copy.deepcopy(self.answers))

    def _remove_repeat_row(self, path: str, index: int) -> None:
        rows = list(get_answer(self.answers, path) or [])
        if 0 <= index < len(rows):
            del rows[index]
            self.answers = set_answer(self.answers, path, rows)
            self._rebuild_keep_scroll()
            self.answers_changed.emit(copy.deepcopy(self.answers))

    def _add_hhsrs(self, layout: QFormLayout, f: Field, path: str) -> None:
        from heart_desktop.ui.hhsrs_form_adapter import HhsrsField

        if not f.fields:
            note = QLabel(f.meta.get("pending") or "Enter the date the inspection began to list the hazards.")
            note.setWordWrap(True)
            self._add_row(layout, path, f, None, note)
            return
        widget = HhsrsField(f, get_answer(self.answers, path) or {})
        widget.changed.connect(lambda value: self._edited(path, value))
        widget.setMinimumHeight(560)
        self._add_row(layout, path, f, None, widget)

    def _rebuild_keep_scroll(self) -> None:
        """Rebuild after the current event: the widget that asked may be among those replaced."""
        if self._rebuild_pending:
            return
        self._rebuild_pending = True
        QTimer.singleShot(0, self._rebuild_now)

    def _rebuild_now(self) -> None:
        self._rebuild_pending = False
        position = self.scroll.verticalScrollBar().value()
        focused = next((p for p, r in self.rows.items() if r.editor and r.editor.widget.hasFocus()), None)
        self._build()
        self.scroll.verticalScrollBar().setValue(position)
        row = self.rows.get(focused or "")
        if row is not None and row.editor is not None:
            row.editor.widget.setFocus()
        self.rebuilt.emit()

    # --- answers -------------------------------------------------------------------------------

    def _edited(self, path: str, value: Any) -> None:
        self.answers = set_answer(self.answers, path, value)
        row = self.rows.get(path)
        if row is not None:
            row.touched = True
        if self._structure_key(self.engine.expanded(self.answers)) != self._structure:
            self._rebuild_keep_scroll()
        else:
            self._refresh()
        self.answers_changed.emit(copy.deepcopy(self.answers))

    def state(self) -> FormState:
        return self.engine.evaluate(self.answers)

    def _refresh(self) -> None:
        state = self.state()
        for path, row in self.rows.items():
            shown = state.shown.get(path, True)
            row.container.setVisible(shown)
            row.label.setVisible(shown and bool(row.label.text()))
            required = path in state.required
            base = row.field.label if row.field.type != "group" else ""
            row.label.setText(f"{base} *" if required and base else base)
            if row.editor is not None and row.field.type in ("calculate", "computed"):
                computed = state.computed.get(path)
                row.editor.set_value(computed.text if computed is not None else state.calculated.get(path))
            problem = state.problem_at(path)
            visible = problem is not None and shown and (
                (problem.kind == "invalid" and (row.touched or self.show_missing)) or self.show_missing)
            row.error.setText(problem.message if problem is not None else "")
            row.error.setVisible(bool(visible))
            if row.editor is not None and not isinstance(row.editor.widget, QLabel):
                describe_field(row.editor.widget, row.field.label, required=required,
                               problem=problem.message if visible and problem is not None else "",
                               help_text=row.field.help)
            if row.editor is not None:
                row.editor.widget.setProperty("invalid", bool(visible))
                row.editor.widget.style().unpolish(row.editor.widget)
                row.editor.widget.style().polish(row.editor.widget)
        if self.show_missing:
            problems = state.problems
            listed = "\n".join(f"• {p}" for p in problems[:12])
            more = f"\n… and {len(problems) - 12} more" if len(problems) > 12 else ""
            self.problems_label.setText(f"This form cannot be completed yet:\n{listed}{more}" if problems else "")

    def try_complete(self) -> bool:
        """Mark every missing or invalid answer; True only when the form can be completed."""
        self.show_missing = True
        self._refresh()
        ok, problems = self.engine.can_complete(self.answers)
        if not ok and problems:
            first = self.rows.get(problems[0].path)
            if first is not None and first.editor is not None:
                self.scroll.ensureWidgetVisible(first.container)
                first.editor.widget.setFocus()
        return ok
