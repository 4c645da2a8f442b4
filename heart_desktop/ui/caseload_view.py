"""The officer's caseload: search as you type, filter, sort, open a case with Enter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.casework import STAGES
from heart_desktop.ui.caseload_model import COLUMNS, CaseloadModel, CaseQuery
from heart_desktop.ui.labels import StatusLabel, caption_for
from heart_desktop.ui.reflow import FlowLayout, narrow_combo, pair

SEARCH_DEBOUNCE_MS = 150


class CaseloadView(QWidget):
    open_case = Signal(str)  # case id
    continue_draft = Signal(str, str)  # case id, form id

    show_today = Signal()

    def __init__(self, model: CaseloadModel, councils: dict[str, str], officers: list[str],
                 parent: QWidget | None = None, me: str | None = None,
                 today: Callable[[], date] = date.today, mine_first: bool = True) -> None:
        super().__init__(parent)
        self.model = model
        self.me = me
        self.today = today
        self.setAccessibleName("Caseload")
        layout = QVBoxLayout(self)
        self.drafts_bar = QWidget(self)
        drafts_row = FlowLayout(self.drafts_bar)
        drafts_row.setContentsMargins(0, 0, 0, 0)
        self.drafts_label = QLabel("Unfinished forms, saved as you typed:", self.drafts_bar)
        self.drafts = QComboBox(self.drafts_bar)
        self.drafts.setAccessibleName("Unfinished forms")
        narrow_combo(self.drafts, 24)
        self.drafts_label.setBuddy(self.drafts)
        self.continue_button = QPushButton("C&ontinue", self.drafts_bar)
        self.continue_button.setAccessibleName("Continue the unfinished form")
        self.drafts_label.setWordWrap(True)
        drafts_row.addWidget(self.drafts_label)
        drafts_row.addLayout(pair(self.drafts, self.continue_button))
        self.drafts_bar.setVisible(False)
        layout.addWidget(self.drafts_bar)
        self.continue_button.clicked.connect(self._continue_draft)
        scope = FlowLayout()
        self.mine = QRadioButton("M&y cases", self)
        self.mine.setAccessibleName("My cases")
        self.mine.setToolTip(f"The open cases allocated to {me}" if me else "The open cases allocated to you")
        self.everyone = QRadioButton("A&ll my councils", self)
        self.everyone.setAccessibleName("All my councils")
        self.everyone.setToolTip("Every case of the councils you cover, open and closed")
        self.mine.setChecked(bool(me) and mine_first)
        self.everyone.setChecked(not (me and mine_first))
        self.mine.setEnabled(bool(me))
        self.today_button = QPushButton("&Today", self)
        self.today_button.setAccessibleName("Today")
        self.today_button.setToolTip("Your visits today and the follow-ups due (Ctrl+T)")
        # sorting from the keyboard as well as by the column headers (which need a pointer)
        self.sort_by = QComboBox(self)
        self.sort_by.setAccessibleName("Sort by")
        self.sort_by.addItem("Usual order", (-1, Qt.SortOrder.AscendingOrder))
        for column, spec in enumerate(COLUMNS):
            self.sort_by.addItem(f"{spec.title}, ascending", (column, Qt.SortOrder.AscendingOrder))
            self.sort_by.addItem(f"{spec.title}, descending", (column, Qt.SortOrder.DescendingOrder))
        narrow_combo(self.sort_by, 16)
        sort_label = QLabel("So&rt by:", self)
        sort_label.setBuddy(self.sort_by)
        scope.addLayout(pair(self.mine, self.everyone))
        scope.addLayout(pair(sort_label, self.sort_by))
        scope.addWidget(self.today_button)
        layout.addLayout(scope)
        self.today_button.clicked.connect(self.show_today)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search reference, name, address or postcode (Ctrl+F)")
        self.search.setAccessibleName("Search cases")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 24)
        bar.addWidget(self.search, 3)
        filters = FlowLayout()
        self.council = QComboBox(self)
        self.council.setAccessibleName("Filter by council")
        self.council.addItem("All councils", None)
        for code, name in councils.items():
            self.council.addItem(f"{code} - {name}", code)
        filters.addLayout(pair(caption_for("Cou&ncil:", self.council, self), self.council))
        self.stage = QComboBox(self)
        self.stage.setAccessibleName("Filter by stage")
        self.stage.addItem("All stages", None)
        for stage in STAGES:
            self.stage.addItem(stage.label, stage.key)
        filters.addLayout(pair(caption_for("St&age:", self.stage, self), self.stage))
        self.officer = QComboBox(self)
        self.officer.setAccessibleName("Filter by assigned officer")
        self.officer.addItem("All officers", None)
        for name in officers:
            self.officer.addItem(name, name)
        filters.addLayout(pair(caption_for("Offic&er:", self.officer, self), self.officer))
        narrow_combo(self.council, 12)
        narrow_combo(self.stage, 12)
        narrow_combo(self.officer, 10)
        self.urgent = QCheckBox("&Urgent only", self)
        self.urgent.setAccessibleName("Show urgent cases only")
        bar.addWidget(self.urgent)  # beside the search; the filters, each with its caption, below
        layout.addLayout(bar)
        layout.addLayout(filters)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName("Cases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)  # follows the font
        self.table.setTabKeyNavigation(False)
        # widths from the longest typical text in the (bold) table font, so nothing is elided
        samples = {"reference": "NBBC/26/00000", "customer": "Mohammed Goldsmith-Evans", "postcode": "CV34 4RL",
                   "address": "88 Birmingham Road, Leamington",
                   "council": "NBBC", "stage": "Contractor visit and quotation", "priority": "URGENT",
                   "officer": "J. Achterberg"}
        self.table.ensurePolished()  # the style sheet's font, not the default one
        bold = self.table.font()
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        for column, spec in enumerate(COLUMNS):
            if spec.key in samples:
                self.table.setColumnWidth(column, metrics.horizontalAdvance(samples[spec.key]) + 36)
        layout.addWidget(self.table, 1)
        self.status = StatusLabel("", self)
        self.status.setAccessibleDescription("Caseload status")
        layout.addWidget(self.status)
        # least data on the laptop: how many cases it holds and why (issue 20)
        self.holding = StatusLabel("", self, kind="Cases held on this laptop")
        layout.addWidget(self.holding)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply)
        self._open_first_pending = False
        self.search.textChanged.connect(self._debounce.start)
        self.search.textChanged.connect(self._cancel_pending_open)
        self.search.returnPressed.connect(self._search_now)
        for combo in (self.council, self.stage, self.officer):
            combo.currentIndexChanged.connect(self.apply)
        self.urgent.toggled.connect(self.apply)
        self.mine.toggled.connect(self._scope_changed)
        self.table.activated.connect(self._activated)
        self.sort_by.activated.connect(self._sort_chosen)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort_shown)
        model.loaded.connect(self._loaded)
        model.dataChanged.connect(lambda *_: self._open_first_if_pending())
        model.failed.connect(lambda message: self.status.setText(f"Could not read the caseload: {message}"))
        self.setTabOrder(self.mine, self.everyone)
        self.setTabOrder(self.everyone, self.sort_by)
        self.setTabOrder(self.sort_by, self.today_button)
        self.setTabOrder(self.today_button, self.search)
        self.setTabOrder(self.search, self.council)
        self.setTabOrder(self.council, self.stage)
        self.setTabOrder(self.stage, self.officer)
        self.setTabOrder(self.officer, self.urgent)
        self.setTabOrder(self.urgent, self.table)
        self.officer.setEnabled(not self.mine.isChecked())

    def _sort_chosen(self, index: int) -> None:
        column, order = self.sort_by.itemData(index)
        if column < 0:
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.model.sort(-1, Qt.SortOrder.AscendingOrder)
        else:
            self.table.sortByColumn(column, order)

    def _sort_shown(self, column: int, order: Qt.SortOrder) -> None:
        """A header clicked: the Sort box says the same."""
        for index in range(self.sort_by.count()):
            if self.sort_by.itemData(index) == (column, order) or (column < 0 and index == 0):
                blocked = self.sort_by.blockSignals(True)
                self.sort_by.setCurrentIndex(index)
                self.sort_by.blockSignals(blocked)
                return

    def apply(self) -> None:
        self.model.set_query(CaseQuery(
            council=self.council.currentData(),
            stage=self.stage.currentData(),
            officer=self.officer.currentData(),
            urgent_only=self.urgent.isChecked(),
            search=self.search.text().strip(),
            sort=self.model.query.sort,
            descending=self.model.query.descending,
            today=self.today(),
            mine=self.me if self.mine.isChecked() else None,
        ))

    def _scope_changed(self) -> None:
        self.officer.setEnabled(not self.mine.isChecked())
        self.apply()

    def show_drafts(self, drafts: list[dict], titles: dict[str, str]) -> None:
        """Offer back what was being typed last time (the store keeps every keystroke's draft)."""
        self.drafts.clear()
        for draft in drafts:
            saved = str(draft.get("saved_at") or "")[:16].replace("T", " ")
            self.drafts.addItem(f"{titles.get(draft['form_id'], draft['form_id'])} - {draft['reference']} "
                                f"({draft.get('customer') or 'no name yet'}), saved {saved}",
                                (draft["case_id"], draft["form_id"]))
        self.drafts_bar.setVisible(bool(drafts))

    def show_holding(self, text: str, enrolled: bool = True) -> None:
        """What the laptop holds and why ("Holding 214 cases: open, or closed in the last 90 days, in
        NBBC and RBC"): closed cases leave it after the window, the office keeps them."""
        # a laptop not enrolled keeps everything (the sentence says so): nothing is at an office
        self.holding.setText(f"{text}. Older closed cases are kept at the office." if enrolled else f"{text}.")

    def _continue_draft(self) -> None:
        chosen = self.drafts.currentData()
        if chosen:
            self.continue_draft.emit(*chosen)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _loaded(self, total: int) -> None:
        query = self.model.query
        what = (f"matching “{query.search}” in all your councils" if query.search else
                "open and allocated to you" if query.mine else "in this view")
        self.status.setText(f"{total:,} case{'s' if total != 1 else ''} {what}. "
                            "Urgent cases and today's visits are in bold; Enter opens a case.")
        if total and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._open_first_if_pending()

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_data(index.row())
        if row is not None:
            self.open_case.emit(str(row["id"]))

    def _search_now(self) -> None:
        """Enter in the search box opens the first match: at once, or as soon as the search answers."""
        self._debounce.stop()
        self.table.setFocus()
        self._open_first_pending = True
        if self.search.text().strip() != self.model.query.search or not self.model.is_settled():
            self.apply()
        self._open_first_if_pending()

    def _cancel_pending_open(self) -> None:
        self._open_first_pending = False

    def _open_first_if_pending(self) -> None:
        if not self._open_first_pending or not self.model.is_settled():
            return
        if self.model.total() == 0:
            self._open_first_pending = False
            return
        row = self.model.row_data(0)  # asks for the first page when it is not here yet
        if row is not None:
            self._open_first_pending = False
            self.table.selectRow(0)
            self.open_case.emit(str(row["id"]))
