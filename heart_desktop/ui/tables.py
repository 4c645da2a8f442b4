"""Read-only listings (conflicts, the print queue, a pack's signed versions): rows are chosen
whole, never edited in place, and the table has a name a screen reader reads out."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget


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
