"""The schedule of works as an editable table, with totals and the award split kept live.

Rows are plain dicts (the form answers' shape); every total comes from ``domain.works`` and the
split from ``domain.assistance``, so the screen, the PDF and the server agree to the penny.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.assistance import decide
from heart_desktop.domain.case_summary import CaseSummary
from heart_desktop.domain.money import fmt, pence, pounds
from heart_desktop.domain.works import VAT_RATES_PERCENT, WorksError, item_from_mapping, schedule_totals
from heart_desktop.ui.tables import NamedEditorDelegate, name_editor

COLUMNS: tuple[tuple[str, str], ...] = (
    ("location", "Room / location"),
    ("description", "Description"),
    ("quantity", "Qty"),
    ("unit", "Unit"),
    ("rate", "Rate (£)"),
    ("vat_rate", "VAT %"),
    ("net", "Net"),
)
EDITABLE = frozenset({"location", "description", "quantity", "unit", "rate", "vat_rate"})
Index = QModelIndex | QPersistentModelIndex


def new_item() -> dict[str, Any]:
    return {"location": "", "description": "", "quantity": "1", "unit": "item", "rate": "0.00",
            "vat_rate": "20"}


class WorksTableModel(QAbstractTableModel):
    """Rows of works items; a row that cannot be costed shows why in its tooltip."""

    items_changed = Signal()

    def __init__(self, items: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self._items: list[dict[str, Any]] = [dict(i) for i in (items or [])]

    def items(self) -> list[dict[str, Any]]:
        return [dict(i) for i in self._items]

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._items = [dict(i) for i in items]
        self.endResetModel()
        self.items_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][0] in EDITABLE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def problem(self, row: int) -> str | None:
        try:
            item_from_mapping(self._items[row])
        except WorksError as exc:
            return str(exc)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key == "net":
                try:
                    return fmt(item_from_mapping(item).net)
                except WorksError:
                    return "?"
            return str(item.get(key, ""))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.problem(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("quantity", "rate", "vat_rate", "net"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = COLUMNS[index.column()][0]
        text = str(value).strip()
        if key == "rate":
            # Keep what was typed when it is not money; the row then shows why it cannot be costed.
            with contextlib.suppress(ValueError):
                text = str(pounds(pence(text)))
        self._items[index.row()][key] = text
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        self.items_changed.emit()
        return True

    def add_row(self) -> int:
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(new_item())
        self.endInsertRows()
        self.items_changed.emit()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._items):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._items[row]
            self.endRemoveRows()
            self.items_changed.emit()


class VatDelegate(NamedEditorDelegate):
    """VAT is one of the rates in force, chosen, not typed."""

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(list(VAT_RATES_PERCENT))
        return name_editor(combo, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class UnitDelegate(NamedEditorDelegate):
    """The unit is one of the schedule of works form's units, so both views of the schedule agree."""

    def __init__(self, units: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units = list(units)

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for value, label in self.units:
            combo.addItem(value if value == label else f"{value} ({label})", value)
        return name_editor(combo, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(str(index.data(Qt.ItemDataRole.EditRole)))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class WorksEditor(QWidget):
    """Table + totals + award split; ``changed`` carries the items for saving."""

    changed = Signal(list)

    def __init__(self, summary_provider: Callable[[], CaseSummary | None] | None = None,
                 parent: QWidget | None = None, units: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(parent)
        self.summary_provider = summary_provider
        self.model = WorksTableModel()
        layout = QVBoxLayout(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Schedule of works")
        self.table.setItemDelegate(NamedEditorDelegate(self.table))  # editors named after their column
        self.table.setItemDelegateForColumn(5, VatDelegate(self.table))
        if units:  # without the form's definition the unit is typed
            self.table.setItemDelegateForColumn(3, UnitDelegate(units, self.table))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 170), (2, 70), (3, 80), (4, 100), (5, 70), (6, 110)):
            self.table.setColumnWidth(column, width)
        self.table.setTabKeyNavigation(False)  # Tab leaves the grid; arrows move, F2 or typing edits
        self.lock_note = QLabel("", self)
        self.lock_note.setWordWrap(True)
        self.lock_note.setAccessibleDescription("Why the schedule cannot be edited")
        self.lock_note.setVisible(False)
        layout.addWidget(self.lock_note)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add item", self)
        self.add_button.setAccessibleName("Add works item")
        self.remove_button = QPushButton("&Remove item", self)
        self.remove_button.setAccessibleName("Remove selected works item")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        totals_box = QGroupBox("Totals and award", self)
        form = QFormLayout(totals_box)
        self.labels: dict[str, QLabel] = {}
        for key, text in (("net", "Net"), ("vat", "VAT"), ("gross", "Total cost of works"),
                          ("fees", "HEART fees (on top of the award)"), ("contribution", "Customer's contribution"),
                          ("dfg", "DFG"), ("ddfa", "DDFA grant + loan"), ("other", "HDG, HSG or WaSH"),
                          ("council", "Council's own works"), ("shortfall", "Shortfall")):
            label = QLabel("-", totals_box)
            label.setAccessibleDescription(text)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            form.addRow(text, label)
            self.labels[key] = label
        self.problem = QLabel("", self)
        self.problem.setWordWrap(True)
        layout.addWidget(totals_box)
        layout.addWidget(self.problem)
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, activated=self.add_item)
        self.model.items_changed.connect(self._recalculate)
        self.locked = False
        self._triggers = self.table.editTriggers()

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.model.set_items(items)

    def set_locked(self, reason: str | None) -> None:
        """Read-only while the schedule is settled in a completed form; ``reason`` says how to change it."""
        self.locked = reason is not None
        self.lock_note.setText(reason or "")
        self.lock_note.setVisible(self.locked)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if self.locked else self._triggers)
        self.add_button.setEnabled(not self.locked)
        self.remove_button.setEnabled(not self.locked)

    def add_item(self) -> None:
        if self.locked:
            return
        row = self.model.add_row()
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_selected(self) -> None:
        if self.locked:
            return
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())

    def _recalculate(self) -> None:
        items, problems = [], []
        for row, raw in enumerate(self.model.items()):
            try:
                items.append(item_from_mapping(raw))
            except WorksError as exc:
                problems.append(f"Item {row + 1}: {exc}")
        totals = schedule_totals(items)
        self.labels["net"].setText(fmt(totals.net))
        self.labels["vat"].setText(fmt(totals.vat))
        self.labels["gross"].setText(fmt(totals.gross))
        summary = self.summary_provider() if self.summary_provider else None
        if summary is not None:
            award = decide(replace(summary, works_cost=totals.gross)).award
            self.labels["fees"].setText(fmt(award.fees))
            self.labels["contribution"].setText(fmt(award.customer_contribution))
            self.labels["dfg"].setText(fmt(award.dfg))
            self.labels["ddfa"].setText(fmt(award.ddfa_grant + award.ddfa_loan))
            self.labels["other"].setText(fmt(award.hdg + award.hsg + award.wash))
            self.labels["council"].setText(fmt(award.council_funded))
            self.labels["shortfall"].setText(fmt(award.shortfall))
        self.problem.setText("\n".join(problems))
        self.changed.emit(self.model.items())


def quantity_text(value: Decimal) -> str:
    return format(value.normalize(), "f")
