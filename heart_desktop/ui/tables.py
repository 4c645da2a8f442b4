"""Read-only listings (conflicts, the print queue, a pack's signed versions): rows are chosen
whole, never edited in place, and the table has a name a screen reader reads out."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget


def listing_table(parent: QWidget, columns: Sequence[str], name: str, *, several: bool = False) -> QTableWidget:
    """A table of whole rows; ``several`` lets the user choose more than one (batch actions)."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
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
