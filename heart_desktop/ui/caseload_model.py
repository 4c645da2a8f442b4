"""The caseload as a virtual table: only the pages on screen are ever read from the store.

With 50,000 cases the model knows the row count and fetches 200-row pages on the store worker
as the view asks for them, showing a placeholder until a page arrives. Sorting and filtering are
done by the store (indexed SQL), never by loading every row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from heart_desktop.domain.casework import STAGE_LABELS
from heart_desktop.ui.worker import StoreWorker

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sortable: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference"),
    Column("customer", "Customer"),
    Column("address", "Address"),
    Column("postcode", "Postcode"),
    Column("council", "Council"),
    Column("stage", "Stage"),
    Column("priority", "Priority"),
    Column("officer", "Officer"),
    Column("next_visit", "Next visit"),
)


@dataclass
class CaseQuery:
    """What the officer asked for: filters, sort and an optional full-text search."""

    council: str | None = None
    stage: str | None = None
    urgent_only: bool = False
    officer: str | None = None
    search: str = ""
    sort: str = "default"
    descending: bool = False
    today: date = field(default_factory=date.today)
    mine: str | None = None  # "My cases": this officer's open cases (a search looks in all their councils)

    def filters(self) -> dict[str, Any]:
        if self.mine and not self.search:
            return {"council": self.council, "stage": self.stage, "urgent_only": self.urgent_only,
                    "officer": self.mine, "open_only": True}
        return {"council": self.council, "stage": self.stage, "urgent_only": self.urgent_only,
                "officer": self.officer}


# (query, offset, limit) -> rows; query -> count. Both run on the store worker.
PageFetcher = Callable[[CaseQuery, int, int], list[Mapping[str, Any]]]
Counter = Callable[[CaseQuery], int]


class CaseloadModel(QAbstractTableModel):
    loaded = Signal(int)  # the number of matching cases, after every (re)count
    failed = Signal(str)

    def __init__(self, worker: StoreWorker, fetch: PageFetcher, count: Counter) -> None:
        super().__init__()
        self._worker, self._fetch, self._count = worker, fetch, count
        self.query = CaseQuery()
        self._total = 0
        self._pages: dict[int, list[Mapping[str, Any]]] = {}
        self._requested: set[int] = set()
        self._generation = 0
        self._answered = 0  # the generation whose count is showing

    # --- queries ---------------------------------------------------------------------------------

    def set_query(self, query: CaseQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        """Re-count and drop cached pages; the view re-asks for what it shows."""
        self._generation += 1
        generation, query = self._generation, self.query
        self._worker.submit(lambda: self._count(query),
                            lambda total: self._counted(generation, total),
                            lambda error: self.failed.emit(str(error)))

    def update(self) -> None:
        """After the data changed (a save, a pull): read the count and the pages on screen again and
        show them in place, so the selection and the scroll position stay; a new count resets."""
        self._generation += 1
        generation, query, pages = self._generation, self.query, sorted(self._pages)

        def read() -> tuple[int, dict[int, list[Mapping[str, Any]]]]:
            return self._count(query), {page: self._fetch(query, page * PAGE_SIZE, PAGE_SIZE) for page in pages}

        self._worker.submit(read, lambda result: self._updated(generation, *result),
                            lambda error: self.failed.emit(str(error)))

    def _updated(self, generation: int, total: int, pages: dict[int, list[Mapping[str, Any]]]) -> None:
        if generation != self._generation:
            return
        self._answered = generation
        if total != self._total:
            self.beginResetModel()
            self._total = total
            self._pages, self._requested = dict(pages), set(pages)
            self.endResetModel()
        else:
            self._pages, self._requested = dict(pages), set(pages)
            if total:
                self.dataChanged.emit(self.index(0, 0), self.index(total - 1, len(COLUMNS) - 1))
        self.loaded.emit(total)

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._answered = generation
        self._total = total
        self._pages.clear()
        self._requested.clear()
        self.endResetModel()
        self.loaded.emit(total)

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        generation, query = self._generation, self.query
        self._worker.submit(lambda: self._fetch(query, page * PAGE_SIZE, PAGE_SIZE),
                            lambda rows: self._page_arrived(generation, page, rows),
                            lambda error: self.failed.emit(str(error)))

    def _page_arrived(self, generation: int, page: int, rows: list[Mapping[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._pages[page] = rows
        first = page * PAGE_SIZE
        last = min(first + len(rows), self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # --- rows ------------------------------------------------------------------------------------

    def row_data(self, row: int) -> Mapping[str, Any] | None:
        page, offset = divmod(row, PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            self._request_page(page)
            return None
        return rows[offset] if offset < len(rows) else None

    def total(self) -> int:
        return self._total

    def is_settled(self) -> bool:
        """True once the count for the latest query has arrived (until then the old rows show)."""
        return self._answered == self._generation

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_data(index.row())
        key = COLUMNS[index.column()].key
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "priority":
            return row.get("urgent_reason") or None
        if role == Qt.ItemDataRole.ForegroundRole and key == "priority" and row.get("urgent"):
            return QBrush(QColor("#a4161a"))
        if role == Qt.ItemDataRole.FontRole and (row.get("urgent") or self._visit_today(row)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _visit_today(self, row: Mapping[str, Any]) -> bool:
        return _as_date(row.get("next_visit")) == self.query.today

    def _display(self, row: Mapping[str, Any], key: str) -> str:
        value = row.get(key)
        if key == "stage":
            if row.get("outcome"):
                return f"Closed: {str(row['outcome']).replace('_', ' ')}"
            label = STAGE_LABELS.get(str(value), str(value or ""))
            return f"{label} (suspended)" if row.get("suspended") else label
        if key == "priority":
            return "URGENT" if row.get("urgent") else ""
        if key == "next_visit":
            visit = _as_date(value)
            if visit is None:
                return ""
            at = str(value)[11:16] if len(str(value)) >= 16 else ""
            day = "Today" if visit == self.query.today else f"{visit:%a %d %b %Y}"
            return f"{day} {at}".strip()
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # no sort column (-1, as Qt asks when sorting is first enabled) is the default order
        self.query.sort = COLUMNS[column].key if 0 <= column < len(COLUMNS) else "default"
        self.query.descending = order == Qt.SortOrder.DescendingOrder and self.query.sort != "default"
        self.refresh()


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
