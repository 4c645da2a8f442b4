"""The HHSRS assessment: every hazard of the scheme in force, each scored live as it is judged.

The hazard list, scale points, averages and bands all come from the scheme data through
``domain.hhsrs``; this widget never scores anything itself. Where the scheme's data says a table
is not confirmed (the 2026 likelihood scale, for now), the officer is told and types the figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain import hhsrs, hhsrs_answers
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import Splitter, WrapCheckBox, narrow_combo, wrapping_form
from heart_desktop.ui.tables import wrapping_tree

NOT_ENTERED = hhsrs_answers.NOT_ENTERED
BLANK = "not entered"  # what an untouched likelihood or class of harm shows
HazardAnswers = dict[str, Any]  # {"assessed": bool, "likelihood": float, "harm": [I, II, III], "notes": str}


def rating_for(scheme: hhsrs.Scheme, key: str, answer: Mapping[str, Any]) -> hhsrs.Rating | str | None:
    """The rating of one answered hazard, an error message, or None when not assessed."""
    read = hhsrs_answers.from_answer(answer)
    if not read.assessed:
        return None
    if not read.entered:
        return NOT_ENTERED  # blank stays blank: no score from untouched defaults
    try:
        return hhsrs_answers.rate_answer(read, scheme, hazard=key)
    except hhsrs.RatingError as exc:
        return str(exc)


class HazardEditor(QWidget):
    """Likelihood, classes I to III (IV the remainder), notes, and the live result."""

    changed = Signal(str, dict)

    def __init__(self, scheme: hhsrs.Scheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.hazard: hhsrs.Hazard | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.vulnerable = QLabel(self)
        self.vulnerable.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.vulnerable)
        self.assessed = WrapCheckBox("This hazard is &assessed at this property", self)
        self.assessed.setAccessibleName("Hazard assessed")
        layout.addWidget(self.assessed)
        form = wrapping_form(QFormLayout())  # captions above the boxes when the pane is narrow (16 pt)
        if scheme.has_likelihood_scale:
            self.likelihood: QComboBox | QDoubleSpinBox = QComboBox(self)
            self.likelihood.addItem(BLANK, None)
            for row in scheme.likelihood_points:
                span = (f"1 in more than {row.above:g}" if row.up_to is None
                        else f"1 in {row.above:g} to {row.up_to:g}")
                self.likelihood.addItem(f"1 in {row.point:g}   ({span})", row.point)
        else:
            self.likelihood = QDoubleSpinBox(self)
            self.likelihood.setRange(0, 100_000)  # 0 is the blank (special value); 0.5 the least figure
            self.likelihood.setSpecialValueText(BLANK)
            self.likelihood.setDecimals(1)
            self.likelihood.setPrefix("1 in ")
        self.likelihood.setAccessibleName("Likelihood over the next 12 months")
        if isinstance(self.likelihood, QComboBox):
            narrow_combo(self.likelihood, 14)
        form.addRow("&Likelihood (next 12 months)", self.likelihood)
        self.classes: list[QComboBox | QDoubleSpinBox] = []
        for harm_class in scheme.classes[:3]:
            if scheme.harm_points:
                box: QComboBox | QDoubleSpinBox = QComboBox(self)
                box.addItem(BLANK, None)
                for point in scheme.harm_points:
                    box.addItem(f"{point:g}%", point)
            else:
                box = QDoubleSpinBox(self)
                box.setRange(-1, 100)  # -1 is the blank (special value); 0% a real answer
                box.setSpecialValueText(BLANK)
                box.setDecimals(1)
                box.setSuffix("%")
            box.setAccessibleName(f"Spread of harm, {harm_class.label}")
            form.addRow(f"Harm {harm_class.label}", box)
            self.classes.append(box)
        self.remainder = QLabel(self)
        self.remainder.setAccessibleDescription(f"Spread of harm, {scheme.classes[3].label}, the remainder")
        form.addRow(f"Harm {scheme.classes[3].label}", self.remainder)
        layout.addLayout(form)
        self.average = StatusLabel(self)
        self.average.setWordWrap(True)
        self.average.setAccessibleDescription("National average")
        layout.addWidget(self.average)
        self.result = StatusLabel(self)
        self.result.setObjectName("sectionTitle")
        self.result.setWordWrap(True)
        self.result.setAccessibleDescription("Score, band and category")
        layout.addWidget(self.result)
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText("What you saw: the deficiency, where, and who is at risk")
        self.notes.setAccessibleName("Hazard notes")
        self.notes.setTabChangesFocus(True)
        layout.addWidget(QLabel("Hazard no&tes", self, buddy=self.notes))
        layout.addWidget(self.notes, 1)
        self.assessed.toggled.connect(self._edited)
        for control in (self.likelihood, *self.classes):
            if isinstance(control, QComboBox):
                control.currentIndexChanged.connect(self._edited)
            else:
                control.valueChanged.connect(self._edited)
        self.notes.textChanged.connect(self._edited)

    def load(self, hazard: hhsrs.Hazard, answer: Mapping[str, Any]) -> None:
        self._loading = True
        self.hazard = hazard
        group = f" - {hazard.group}" if hazard.group else ""
        self.title.setText(f"{hazard.number}. {hazard.name}{group}")
        self.vulnerable.setText(f"Vulnerable group: {hazard.vulnerable_group}" if hazard.vulnerable_group
                                else "Vulnerable group: not given in the scheme data")
        self.assessed.setChecked(bool(answer.get("assessed")))
        self._set_value(self.likelihood, answer.get("likelihood"))
        harm = list(answer.get("harm") or [None, None, None])
        for box, value in zip(self.classes, harm, strict=False):
            self._set_value(box, value)
        self.notes.setPlainText(str(answer.get("notes", "")))
        average = self.scheme.national_averages.get(hazard.key)
        if average is not None:
            avg = hhsrs.rate(average.likelihood, list(average.harm), self.scheme)
            spread = " / ".join(f"{v:g}" for v in average.harm)
            self.average.setText(f"National average ({average.description}): 1 in {average.likelihood:g}, "
                                 f"harm {spread}, score {avg.display_score} (band {avg.band})")
        else:
            self.average.setText("National average: not known for this hazard in this scheme.")
        self._loading = False
        self._show_result()

    def answer(self) -> HazardAnswers:
        return {
            "assessed": self.assessed.isChecked(),
            "likelihood": self._value(self.likelihood),
            "harm": [self._value(box) for box in self.classes],
            "notes": self.notes.toPlainText(),
        }

    @staticmethod
    def _value(control: QComboBox | QDoubleSpinBox) -> float | None:
        """The figure entered, or None while the control still shows its blank."""
        if isinstance(control, QComboBox):
            data = control.currentData()
            return None if data is None else float(data)
        return None if control.value() == control.minimum() else float(control.value())

    @staticmethod
    def _set_value(control: QComboBox | QDoubleSpinBox, value: Any) -> None:
        if value is None:
            if isinstance(control, QComboBox):
                control.setCurrentIndex(0)
            else:
                control.setValue(control.minimum())
            return
        if isinstance(control, QComboBox):
            index = control.findData(float(value))
            if index < 0:  # a figure from elsewhere: show it rather than silently change it
                control.addItem(f"{float(value):g} (not a scale point)", float(value))
                index = control.count() - 1
            control.setCurrentIndex(index)
        else:
            control.setValue(float(value))

    def _edited(self) -> None:
        if self._loading or self.hazard is None:
            return
        self._show_result()
        self.changed.emit(self.hazard.key, self.answer())

    def _show_result(self) -> None:
        answer = self.answer()
        enabled = answer["assessed"]
        for control in (self.likelihood, *self.classes, self.notes):
            control.setEnabled(enabled)
        entered = [v for v in answer["harm"] if v is not None]
        self.remainder.setText(f"{100 - sum(entered):g}%" if len(entered) == len(answer["harm"]) else BLANK)
        if self.hazard is None:
            return
        outcome = rating_for(self.scheme, self.hazard.key, answer)
        if outcome is None:
            self.result.setText("Not assessed")
        elif isinstance(outcome, str):
            self.result.setText(f"Cannot score yet: {outcome}")
        else:
            self.result.setText(f"Score {outcome.display_score} - band {outcome.band} - "
                                f"category {outcome.category} hazard")


class HhsrsAssessment(QWidget):
    """All hazards by group on the left, the chosen hazard's editor on the right."""

    changed = Signal(dict)

    def __init__(self, scheme: hhsrs.Scheme, guidance: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.answers: dict[str, HazardAnswers] = {}
        self.setAccessibleName("HHSRS assessment")
        layout = QVBoxLayout(self)
        banner = QLabel(f"Rating scheme: {scheme.name}. Applies to inspections begun "
                        f"{scheme.in_force_from:%d/%m/%Y}"
                        + (f" to {scheme.in_force_until:%d/%m/%Y}." if scheme.in_force_until else " onwards."), self)
        banner.setWordWrap(True)
        layout.addWidget(banner)
        if not scheme.hazards_confirmed or not scheme.has_likelihood_scale:
            warning = QLabel("Not yet confirmed in this scheme: " + " ".join(  # whole, never cut mid-sentence
                s for s in scheme.unknown_tables if "(unknown)" in s or "(unconfirmed)" in s), self)
            warning.setObjectName("problem")
            warning.setWordWrap(True)
            warning.setAccessibleDescription("Scheme data warning")
            layout.addWidget(warning)
        splitter = Splitter(Qt.Orientation.Horizontal, self)
        self.tree = QTreeWidget(splitter)
        self.tree.setHeaderLabels(["Hazard", "Result"])
        self.tree.setAccessibleName("Hazards")
        self._items: dict[str, QTreeWidgetItem] = {}
        groups: dict[str | None, QTreeWidgetItem] = {}
        for hazard in scheme.hazards:
            parent = groups.get(hazard.group)
            if parent is None:
                parent = QTreeWidgetItem([hazard.group or "Hazards (group not confirmed)", ""])
                self.tree.addTopLevelItem(parent)
                parent.setExpanded(True)
                groups[hazard.group] = parent
            item = QTreeWidgetItem([f"{hazard.number}. {hazard.name}", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, hazard.key)
            parent.addChild(item)
            self._items[hazard.key] = item
        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        self.editor = HazardEditor(scheme, right)
        right_layout.addWidget(self.editor, 3)
        if guidance:
            hint = QLabel(guidance, right)
            hint.setWordWrap(True)
            hint.setAccessibleDescription("Policy 4.5.6 guidance")
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            right_layout.addWidget(hint, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 680])
        wrapping_tree(self.tree)  # long hazard names wrap in the pane rather than scroll it sideways
        layout.addWidget(splitter, 1)
        summary_row = QHBoxLayout()
        self.summary = StatusLabel("", self)
        self.summary.setAccessibleDescription("Assessment summary")
        summary_row.addWidget(self.summary)
        layout.addLayout(summary_row)
        self.tree.currentItemChanged.connect(self._select)
        self.editor.changed.connect(self._hazard_changed)
        first = self._items.get(scheme.hazards[0].key)
        if first is not None:
            self.tree.setCurrentItem(first)

    def set_answers(self, answers: Mapping[str, HazardAnswers]) -> None:
        self.answers = {key: dict(value) for key, value in answers.items()}
        for key in self._items:
            self._refresh_item(key)
        current = self.tree.currentItem()
        if current is not None:
            self._select(current, None)
        self._refresh_summary()

    def select_hazard(self, key: str) -> None:
        self.tree.setCurrentItem(self._items[key])

    def _select(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        key = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        if key:
            self.editor.load(self.scheme.hazard(key), self.answers.get(key, {}))

    def _hazard_changed(self, key: str, answer: HazardAnswers) -> None:
        self.answers[key] = answer
        self._refresh_item(key)
        self._refresh_summary()
        self.changed.emit(dict(self.answers))

    def _refresh_item(self, key: str) -> None:
        outcome = rating_for(self.scheme, key, self.answers.get(key, {}))
        text = ""
        if isinstance(outcome, hhsrs.Rating):
            text = f"{outcome.display_score} {outcome.band} (cat {outcome.category})"
        elif isinstance(outcome, str):
            text = "check"
        self._items[key].setText(1, text)

    def ratings(self) -> dict[str, hhsrs.Rating]:
        result = {}
        for key, answer in self.answers.items():
            outcome = rating_for(self.scheme, key, answer)
            if isinstance(outcome, hhsrs.Rating):
                result[key] = outcome
        return result

    def _refresh_summary(self) -> None:
        ratings = self.ratings()
        cat1 = sum(1 for r in ratings.values() if r.category == 1)
        self.summary.setText(f"{len(ratings)} hazard(s) scored; {cat1} category 1.")
