"""The HHSRS form's hazards field shown with the assessment widget.

The form stores each hazard as ``{assessed, likelihood, class_i, class_ii, class_iii, notes,
photos}`` (formkit's expansion of ``hhsrs_hazards``); the widget works in numbers. This module
only translates between the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from heart_desktop.domain.hhsrs_answers import CLASS_KEYS, from_answer
from heart_desktop.domain.hhsrs_answers import number as _number
from heart_desktop.formkit import Field
from heart_desktop.ui.hhsrs_editor import HhsrsAssessment


def _as_answer(template: Field | None, value: float | None) -> Any:
    """A number back in the form's own terms: the matching choice value, or the number."""
    if value is None:
        return None
    if template is not None and template.choices:
        for choice in template.choices:
            if _number(choice.value) == value:
                return choice.value
    return value


def to_widget(answers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for key, answer in answers.items():
        if not isinstance(answer, Mapping):
            continue
        read = from_answer(answer)  # a blank class stays blank
        out[key] = {"assessed": read.assessed, "likelihood": read.likelihood, "harm": list(read.harm),
                    "notes": read.notes}
    return out


class HhsrsField(QWidget):
    changed = Signal(dict)

    def __init__(self, field: Field, answers: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._answers: dict[str, dict[str, Any]] = {k: dict(v) for k, v in answers.items() if isinstance(v, Mapping)}
        first = field.fields[0]
        self.scheme = first.meta["scheme"]
        self.template = {child.id: child for child in first.fields}
        guidance = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.assessment = HhsrsAssessment(self.scheme, guidance, self)
        layout.addWidget(self.assessment)
        self.assessment.set_answers(to_widget(self._answers))
        self.assessment.changed.connect(self._changed)

    def _changed(self, widget_answers: dict[str, dict[str, Any]]) -> None:
        for key, answer in widget_answers.items():
            stored = dict(self._answers.get(key, {}))
            stored["assessed"] = bool(answer.get("assessed"))
            stored["likelihood"] = _as_answer(self.template.get("likelihood"), _number(answer.get("likelihood")))
            for class_key, value in zip(CLASS_KEYS, answer.get("harm") or [], strict=False):
                stored[class_key] = _as_answer(self.template.get(class_key), _number(value))
            stored["notes"] = answer.get("notes") or ""
            self._answers[key] = stored
        self.changed.emit({k: dict(v) for k, v in self._answers.items()})
