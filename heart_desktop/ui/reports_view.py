"""Reports > Partnership measures (managers only): a quarter's figures from the office as tables per
group and charts, a drill from a measure to the case references it counts (opened where this laptop
holds the case), and the same XLSX and PDF as the office writes. Offline, the last fetch is shown
with when it was fetched."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.domain.measures import flat_rows, previous_quarters, quarter_of
from heart_desktop.reports.files import SHEET_NAMES, dropout_chart, shown, timeline_chart
from heart_desktop.services.measures import Figures, MeasuresService
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import FlowLayout, ScrollRegion, Splitter, pair
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import fill_rows, listing_table


def quarters(today: date, count: int = 8) -> list[str]:
    """The quarter holding ``today`` and the ones before it, newest first."""
    return [q.label for q in reversed(previous_quarters(quarter_of(today), count))]


class ReportsDialog(QDialog):
    open_case = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, session.worker
        self.service = MeasuresService(session._store())
        self.figures: Figures | None = None
        self.setWindowTitle("Partnership measures")
        self.setAccessibleName("Partnership measures")
        resize_within_screen(self, 1300, 720)
        layout = QVBoxLayout(self)
        bar = FlowLayout()
        self.quarter = QComboBox(self)
        self.quarter.addItems(quarters(today or date.today()))
        self.quarter.setAccessibleName("Quarter")
        quarter_label = QLabel("&Quarter", self)
        quarter_label.setBuddy(self.quarter)
        self.council = QComboBox(self)
        self.council.addItem("All my councils", None)
        for code in self.service.councils():
            self.council.addItem(code, code)
        self.council.setAccessibleName("Council")
        council_label = QLabel("Coun&cil", self)
        council_label.setBuddy(self.council)
        self.fetch = QPushButton("&Get figures", self)
        self.export_xlsx = QPushButton("Export &XLSX…", self)
        self.export_pdf = QPushButton("Export P&DF…", self)
        for button in (self.fetch, self.export_xlsx, self.export_pdf):
            button.setAccessibleName(button.text().replace("&", ""))
        bar.addLayout(pair(quarter_label, self.quarter))
        bar.addLayout(pair(council_label, self.council))
        bar.addWidget(self.fetch)
        bar.addWidget(self.export_xlsx)
        bar.addWidget(self.export_pdf)
        layout.addLayout(bar)
        self.status = StatusLabel("Choose a quarter and get the office's figures.", self)
        self.status.setAccessibleDescription("Figures status")
        layout.addWidget(self.status)
        split = Splitter(Qt.Orientation.Horizontal, self)
        self.groups = QTabWidget(split)
        self.groups.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the tab bar takes focus (given its own back:
        self.groups.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Qt passes a policy to the focus proxy);
        # until there are figures the bar is empty: no tab to reach (AT-SPI names a tab bar by its current tab)
        self.groups.setAccessibleName("Groups of measures")
        self.groups.tabBar().setAccessibleName("Groups of measures")
        side = QWidget(split)
        side_layout = QVBoxLayout(side)
        self.drill_label = QLabel("Cases counted: choose a measure, then press Enter", side)
        self.drill_label.setWordWrap(True)
        self.references = QListWidget(side)
        self.references.setAccessibleName("Cases counted")
        self.open_button = QPushButton("&Open case", side)
        self.open_button.setAccessibleName("Open case")
        side_layout.addWidget(self.drill_label)
        side_layout.addWidget(self.references, 1)
        side_layout.addWidget(self.open_button)
        charts = ScrollRegion(side)  # scrolled from the keyboard, so focusable: a pane, not a filler
        charts.setWidgetResizable(True)
        charts.setAccessibleName("Charts")
        holder = QWidget(charts)
        self.chart_layout = QVBoxLayout(holder)
        self.timeline = QLabel(holder)
        self.timeline.setAccessibleName("Chart: average days between stages by council")  # a picture: named
        self.dropout = QLabel(holder)
        self.dropout.setAccessibleName("Chart: drop-out by council")
        self.chart_layout.addWidget(self.timeline)
        self.chart_layout.addWidget(self.dropout)
        charts.setWidget(holder)
        side_layout.addWidget(charts, 2)
        split.addWidget(self.groups)
        split.addWidget(side)
        split.setSizes([760, 540])
        layout.addWidget(split, 1)
        self.tables: dict[str, Any] = {}
        self.fetch.clicked.connect(self.get_figures)
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self.open_button.clicked.connect(self._open_selected)
        self.references.itemActivated.connect(lambda _item: self._open_selected())
        self._enable_exports(False)

    def _enable_exports(self, on: bool) -> None:
        self.export_xlsx.setEnabled(on)
        self.export_pdf.setEnabled(on)

    # --- figures ---------------------------------------------------------------------------------

    def get_figures(self) -> None:
        quarter, council = self.quarter.currentText(), self.council.currentData()
        self.status.setText(f"Asking the office for {quarter}…")
        self.worker.submit(lambda: self.service.figures(quarter, council), self.show_figures,
                           lambda error: self.status.setText(f"No figures: {error}"))

    def show_figures(self, figures: Figures) -> None:
        self.figures = figures
        report = figures.report
        period = report["period"]
        when = figures.fetched_at.replace("T", " ")[:16]
        if figures.offline:
            self.status.setText(f"Offline: showing the figures fetched {when} UTC for {period['label']} "
                                f"({figures.problem})")
        else:
            self.status.setText(f"{period['label']}: {period['from']} to {period['to']}, councils "
                                f"{', '.join(report['councils'])}; fetched {when} UTC. n/a means not computed "
                                "(the row's note says why). Choose a measure and press Enter for its cases.")
        councils = list(report["councils"])
        columns = ("Measure", "Title", "Total", "North", "South", *councils, "Note")
        current = self.groups.currentIndex()
        self.groups.clear()
        self.tables = {}
        by_group: dict[str, list[dict[str, Any]]] = {}
        for row in flat_rows(report):
            by_group.setdefault(row["group"], []).append(row)
        for group, rows in by_group.items():
            table = listing_table(self.groups, columns, report["groups"].get(group, group))
            fill_rows(table, [(f"{row['measure']}|{row['title']}", (
                row["measure"], row["title"], *[shown(row[c], row["unit"]) for c in ("total", "north", "south",
                                                                                       *councils)], row["note"]))
                              for row in rows])
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(len(columns) - 1, 160)
            table.setWordWrap(True)
            table.resizeRowsToContents()
            table.verticalHeader().setVisible(False)
            table.activated.connect(lambda index, table=table: self.drill(table, index.row()))
            self.groups.addTab(table, SHEET_NAMES.get(group, group))
            self.tables[group] = table
        if 0 <= current < self.groups.count():
            self.groups.setCurrentIndex(current)
        self.groups.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus if self.groups.count()
                                            else Qt.FocusPolicy.NoFocus)
        self.timeline.setPixmap(QPixmap.fromImage(_image(timeline_chart(report))).scaledToWidth(500))
        self.dropout.setPixmap(QPixmap.fromImage(_image(dropout_chart(report))).scaledToWidth(500))
        self._enable_exports(True)
        self.status.update()

    # --- drilling down ---------------------------------------------------------------------------

    def drill(self, table: Any, row: int) -> None:
        if self.figures is None or row < 0:
            return
        measure, title = str(table.item(row, 0).data(Qt.ItemDataRole.UserRole)).split("|", 1)
        kind = title.rsplit(": ", 1)[1] if ": " in title and measure.startswith("KPM") and \
            self.figures.report["measures"][measure].get("by_type") else None
        quarter = self.figures.report["period"]["label"]
        council = self.council.currentData()
        self.drill_label.setText(f"Cases counted by {measure}: asking the office…")
        self.worker.submit(lambda: self.service.cases(measure, quarter, council, kind),
                           lambda found: self._show_cases(measure, found),
                           lambda error: self.drill_label.setText(f"Cases counted by {measure}: {error}"))

    def _show_cases(self, measure: str, found: list[tuple[str, str | None]]) -> None:
        self.references.clear()
        here = sum(1 for _ref, case_id in found if case_id)
        self.drill_label.setText(f"Cases counted by {measure}: {len(found)} ({here} on this laptop; Enter opens one)")
        for reference, case_id in found:
            item = QListWidgetItem(reference if case_id else f"{reference} (not on this laptop)")
            item.setData(Qt.ItemDataRole.UserRole, case_id)
            self.references.addItem(item)
        if found:
            self.references.setCurrentRow(0)
            self.references.setFocus()

    def _open_selected(self) -> None:
        item = self.references.currentItem()
        case_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if case_id:
            self.open_case.emit(str(case_id))

    # --- export ----------------------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        if self.figures is None:
            return
        label = self.figures.report["period"]["label"].replace("/", "-")
        path, _filter = QFileDialog.getSaveFileName(self, f"Export the measures as {fmt.upper()}",
                                                    f"heart-measures-{label}.{fmt}", f"{fmt.upper()} (*.{fmt})")
        if path:
            self.save(fmt, Path(path))

    def save(self, fmt: str, path: Path) -> None:
        figures = self.figures
        if figures is None:
            return
        self.worker.submit(lambda: self.service.export(figures, fmt, path),
                           lambda _none: self.status.setText(f"Exported {path}"),
                           lambda error: self.status.setText(f"Not exported: {error}"))


def _image(png: bytes) -> Any:
    from PySide6.QtGui import QImage

    image = QImage()
    image.loadFromData(png, "PNG")
    return image
