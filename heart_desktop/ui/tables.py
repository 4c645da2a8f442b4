"""Read-only listings (conflicts, the print queue, a pack's signed versions): rows are chosen
whole, never edited in place, and the table has a name a screen reader reads out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
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


def wrapping_list(view: QListView) -> QListView:
    """A list whose long entries wrap onto more lines within its width instead of scrolling
    sideways (form titles with their state at 16 pt were 200 px wider than their pane)."""
    view.setWordWrap(True)
    view.setUniformItemSizes(False)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view


class _WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their first column's text wrapped to that column's width (a tree view
    otherwise measures every row as one line and cuts the text)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: Any, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.column() != 0:
            return size
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = self.view.header().sectionSize(0) - self.view.indentation() * (depth + int(self.view.rootIsDecorated()))
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        metrics = self.view.fontMetrics()
        bound = metrics.boundingRect(QRect(0, 0, max(width - 12, 40), 100_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(size.width(), max(size.height(), bound.height() + 6))


def wrapping_tree(view: QTreeView) -> QTreeView:
    """A tree whose first column takes the width left by the others and wraps its text, so it never
    scrolls sideways; the other columns are as wide as what they hold."""
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    view.setWordWrap(True)
    view.setUniformRowHeights(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setItemDelegateForColumn(0, _WrapDelegate(view))
    header.sectionResized.connect(lambda column, _old, _new: view.scheduleDelayedItemsLayout() if column == 0 else None)
    return view
