"""A small dialog of labelled fields for one casework action (allocate, book a visit, log a call,
close a case, ...): the officer fills it in, the caller runs the use case on the store worker, and a
refusal is shown in the dialog naming the field, with everything typed kept.

Every control's accessible name is its label's text; labels carry the mnemonics the caller gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import WrapCheckBox, narrow_combo
from heart_desktop.ui.screen_fit import resize_within_screen, scrolling


def plain(text: str) -> str:
    """A label's words without its mnemonic or colon: what a screen reader says."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":").strip()


def named_button(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(plain(text))
    return button


@dataclass
class Field:
    key: str
    label: str  # with its mnemonic
    kind: str = "text"  # text, multiline, date, datetime, choice, editable_choice, check, info
    choices: Sequence[tuple[str, str]] = ()  # (value, label)
    value: Any = None
    help: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class FormDialog(QDialog):
    """``submitted(values)`` when the officer presses the action button; the caller answers with
    :meth:`refused` (stay open, say why) or :meth:`accept`."""

    submitted = Signal(dict)

    def __init__(self, title: str, intro: str, fields: Sequence[Field], action: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        # the intro and the fields scroll inside the dialog; the problem line and the buttons stay put
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        if intro:
            self.intro = QLabel(intro, body)
            self.intro.setWordWrap(True)
            body_layout.addWidget(self.intro)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        for spec in fields:
            widget = self._widget(spec)
            self.widgets[spec.key] = widget
            self.labels[spec.key] = plain(spec.label)
            if spec.kind == "check":
                form.addRow("", widget)
                continue
            label = QLabel(spec.label, self)
            label.setBuddy(widget)
            widget.setAccessibleName(plain(spec.label))
            if isinstance(widget, QComboBox) and widget.lineEdit() is not None:  # the typed part is named too
                widget.lineEdit().setAccessibleName(plain(spec.label))
            if spec.help:
                widget.setToolTip(spec.help)
                widget.setAccessibleDescription(spec.help)
            form.addRow(label, widget)
        body_layout.addLayout(form)
        body_layout.addStretch(1)
        layout.addWidget(scrolling(body, self), 1)
        self.message = StatusLabel("", self)
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Problem")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.action_button = named_button(action, self)
        self.action_button.setDefault(True)
        buttons.addButton(self.action_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = named_button("Cancel", self)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.action_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.reject)
        # as tall as the wrapped intro and the fields need at that width (a guess from the number of
        # fields cut the intro's first and last lines at 150% or with a 16 pt font), within the screen
        width = max(560, 40 * self.fontMetrics().averageCharWidth(), body.minimumSizeHint().width() + 40)
        chrome = self.message.sizeHint().height() + buttons.sizeHint().height() + 4 * layout.spacing() + 24
        resize_within_screen(self, width, max(min(160 + 48 * len(fields), 700),
                                              body_layout.totalHeightForWidth(width - 24) + chrome))

    def _widget(self, spec: Field) -> QWidget:
        if spec.kind == "multiline":
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setPlainText(str(spec.value or ""))
            edit.setMaximumHeight(90)
            return edit
        if spec.kind == "date":
            picker = QDateEdit(self)
            picker.setCalendarPopup(True)
            picker.setDisplayFormat("dd/MM/yyyy")
            picker.setDate(QDate(spec.value) if isinstance(spec.value, date) else QDate.currentDate())
            return picker
        if spec.kind == "datetime":
            stamp = QDateTimeEdit(self)
            stamp.setCalendarPopup(True)
            stamp.setDisplayFormat("dd/MM/yyyy HH:mm")
            when = spec.value if isinstance(spec.value, datetime) else datetime.now()
            stamp.setDateTime(QDateTime(QDate(when.date()), QTime(when.hour, when.minute)))
            return stamp
        if spec.kind in ("choice", "editable_choice"):
            combo = QComboBox(self)
            combo.setEditable(spec.kind == "editable_choice")
            for value, label in spec.choices:
                combo.addItem(label, value)
            if spec.value is not None:
                index = combo.findData(spec.value)
                if index >= 0:
                    combo.setCurrentIndex(index)
                elif combo.isEditable():
                    combo.setEditText(str(spec.value))
            return narrow_combo(combo, 20)  # a long choice made the dialog wider than the screen at 150%
        if spec.kind == "check":
            box = WrapCheckBox(spec.label, self)
            box.setAccessibleName(plain(spec.label))
            box.setChecked(bool(spec.value))
            return box
        if spec.kind == "info":
            info = QLabel(str(spec.value or ""), self)
            info.setWordWrap(True)
            return info
        edit = QLineEdit(self)
        edit.setText(str(spec.value or ""))
        return edit

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText().strip()
            elif isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
                out[key] = widget.dateTime().toPython().replace(second=0, microsecond=0)
            elif isinstance(widget, QDateEdit):
                out[key] = widget.date().toPython()
            elif isinstance(widget, QComboBox):
                data = widget.currentData()
                out[key] = widget.currentText().strip() if widget.isEditable() and (
                    data is None or widget.currentText() != widget.itemText(widget.currentIndex())) else data
            elif isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QLineEdit):
                out[key] = widget.text().strip()
        return out

    def _submit(self) -> None:
        self.message.setText("")
        self.submitted.emit(self.values())

    def refused(self, message: str, field: str | None = None) -> None:
        """Say why, naming the field, and keep what was typed; focus goes to the field at fault."""
        name = self.labels.get(field or "")
        text = message
        if field and ": " in message and message.split(": ", 1)[0] in (field, f"field {field}"):
            text = message.split(": ", 1)[1]
        self.message.setText(f"{name}: {text}" if name else text)
        widget = self.widgets.get(field or "")
        if widget is not None:
            widget.setFocus()


def run_in_dialog(dialog: FormDialog, worker: Any, action: Callable[[dict[str, Any]], Any],
                  done: Callable[[Any], None] | None = None) -> None:
    """Run ``action(values)`` on the store worker when the dialog is submitted; close it when it
    succeeds, else show the refusal in it (the field named by the error, when it names one)."""

    def submitted(values: dict[str, Any]) -> None:
        dialog.action_button.setEnabled(False)

        def ok(result: Any) -> None:
            dialog.action_button.setEnabled(True)
            dialog.accept()
            if done is not None:
                done(result)

        def failed(error: BaseException) -> None:
            dialog.action_button.setEnabled(True)
            dialog.refused(str(error), getattr(error, "field", None))

        worker.submit(lambda: action(values), ok, failed)

    dialog.submitted.connect(submitted)
