"""Read-only listings (conflicts, the print queue, a pack's signed versions): rows are chosen
whole, never edited in place, and the table has a name a screen reader reads out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


def listing_table(parent: QWidget, columns: Sequence[str], name: str, *, several: bool = False,
                  fit_columns: bool = False) -> QTableWidget:
    """A table of whole rows; ``several`` lets the user choose more than one (batch actions). Tab
    leaves the table (the arrow keys move within it); ``fit_columns`` sizes the columns to what
    they hold, the last taking the rest, with long text wrapped."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    if fit_columns:
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
    return table


def fill_rows(table: QTableWidget, rows: Sequence[tuple[str, Sequence[object]]]) -> None:
    """Replace the table's rows: each is (the row's id, kept in every cell's UserRole, its values)."""
    table.setRowCount(0)
    for row_id, values in rows:
        index = table.rowCount()
        table.insertRow(index)
        for column, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            item.setData(Qt.ItemDataRole.UserRole, row_id)
            table.setItem(index, column, item)


def name_editor(editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> QWidget:
    """Name a cell's editor after its column and row ("Quantity, row 2"), as a screen reader should
    announce it. AT-SPI names a combo box by its current value, so a combo also gets a hidden caption
    whose buddy it is (the "labelled by" relation Orca reads)."""
    model = index.model()
    header = model.headerData(index.column(), Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) if model else ""
    name = f"{header}, row {index.row() + 1}" if header else f"Row {index.row() + 1}"
    editor.setAccessibleName(name)
    if isinstance(editor, QComboBox) and editor.parentWidget() is not None:
        caption = QLabel(name, editor.parentWidget())
        caption.setVisible(False)
        caption.setBuddy(editor)
        editor.destroyed.connect(caption.deleteLater)
    return editor


class NamedEditorDelegate(QStyledItemDelegate):
    """The default cell delegate with its editors named after their column (see :func:`name_editor`)."""

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex | QPersistentModelIndex) -> QWidget:
        return name_editor(super().createEditor(parent, option, index), index)
