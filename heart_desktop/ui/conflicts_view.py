"""Sync conflicts: the same field changed on two laptops. The office kept one value; a person looks
at both, who offered the other and when, and keeps the office's value, takes the other, or types
the right one. The choice is an ordinary change, so it reaches every laptop on the next sync."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heart_desktop.services import conflicts
from heart_desktop.ui.labels import StatusLabel
from heart_desktop.ui.reflow import FlowLayout
from heart_desktop.ui.screen_fit import resize_within_screen
from heart_desktop.ui.session import Session
from heart_desktop.ui.tables import fill_rows, listing_table

COLUMNS = ("Case", "What", "Field", "Kept by the office", "Other value", "Offered by", "When")


def _shown(value: Any) -> str:
    return "(blank)" if value in (None, "", [], {}) else value if isinstance(value, str) else json.dumps(value)


class ConflictsDialog(QDialog):
    resolved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, session.worker
        self.rows: list[dict[str, Any]] = []
        self.setWindowTitle("Sync conflicts")
        self.setAccessibleName("Sync conflicts")
        resize_within_screen(self, 1000, 420)
        layout = QVBoxLayout(self)
        intro = QLabel("The same thing was changed on two laptops. The office kept one value; choose "
                       "which is right. Your choice is sent to everyone on the next sync.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = listing_table(self, COLUMNS, "Open conflicts")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = FlowLayout()
        self.message = StatusLabel("", self)
        self.message.setAccessibleDescription("Conflicts message")
        self.keep = QPushButton("&Keep the office's value", self)
        self.take = QPushButton("&Use the other value", self)
        self.edit = QPushButton("&Type the right value…", self)
        for button in (self.keep, self.take, self.edit):
            button.setAccessibleName(button.text().replace("&", ""))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)  # above the buttons, which wrap when the width runs out
        buttons.addWidget(self.keep)
        buttons.addWidget(self.take)
        buttons.addWidget(self.edit)
        self.close_button = QPushButton("&Close", self)  # also lets Tab leave the table when nothing can be chosen
        self.close_button.setAccessibleName("Close sync conflicts")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.keep.clicked.connect(lambda: self._resolve("kept"))
        self.take.clicked.connect(lambda: self._resolve("offered"))
        self.edit.clicked.connect(self._edit)

    def refresh(self) -> None:
        self.worker.submit(self._load, self._show, lambda error: self.message.setText(f"Cannot read: {error}"))

    def _load(self) -> list[dict[str, Any]]:
        return conflicts.open_conflicts(self.session)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        fill_rows(self.table, [(row["id"], (row["reference"], row["entity"].replace("_", " "),
                                            row["field"].replace("_", " "), _shown(row["kept"]),
                                            _shown(row["offered"]), row.get("offered_by") or "",
                                            str(row.get("offered_at") or "")[:16].replace("T", " ")))
                               for row in rows])
        if rows:
            self.table.selectRow(0)
        self.message.setText(f"{len(rows)} to decide" if rows else "No conflicts to decide.")
        for button in (self.keep, self.take, self.edit):
            button.setEnabled(bool(rows))

    def _chosen(self) -> dict[str, Any] | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _resolve(self, resolution: str, value: Any = None) -> None:
        row = self._chosen()
        if row is None:
            return
        self.worker.submit(lambda: conflicts.resolve(self.session, row["id"], resolution, value),
                           lambda _r: (self.resolved.emit(), self.refresh()),
                           lambda error: self.message.setText(f"Not decided: {error}"))

    def _edit(self) -> None:
        row = self._chosen()
        if row is None:
            return
        text, ok = QInputDialog.getText(self, "The right value", f"{row['field'].replace('_', ' ')}:",
                                        text=_shown(row["kept"]) if isinstance(row["kept"], str) else "")
        if ok:
            self._resolve("edited", text)
