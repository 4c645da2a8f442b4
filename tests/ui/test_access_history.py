"""A manager sees a case's access history in the case (who, when, laptop, what, why) and exports
the laptop's audit for a period in the office export's CSV shape; an officer of another role is
offered neither. With SHOT_DIR set (under Xvfb at 1366x768) the screens are saved there as PNG."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path

from gui_steps import open_new_case, unlocked
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_roles import enrol_as

from heart_desktop.reports.audit import CSV_COLUMNS
from heart_desktop.ui.history_view import COLUMNS, AccessHistoryDialog, AuditExportDialog
from heart_desktop.ui.main_window import MainWindow


def _shot(widget: object, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def test_a_manager_sees_the_case_history_and_exports_the_period(qtbot: QtBot, store_copy: Path,
                                                               tmp_path: Path) -> None:
    enrol_as(store_copy, "A. Okafor", "manager")
    window = MainWindow(store_copy, lock_minutes=30)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    try:
        unlocked(qtbot, window)
        case_id = open_new_case(qtbot, window)
        store = window.session.store
        window.worker.call(lambda: store.cases.detail(case_id, reason="preparing the visit"))
        workspace = window.workspace
        button = workspace.history_button
        assert button.isVisible() and button.accessibleName() == "Access history of the case"
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        _shot(window, "case-with-history-button")
        workspace.back.setFocus()
        qtbot.keyClick(workspace.back, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)  # the keyboard way in
        qtbot.waitUntil(lambda: isinstance(workspace.dialog, AccessHistoryDialog) and bool(workspace.dialog.rows),
                        timeout=10_000)
        dialog = workspace.dialog
        table = dialog.table
        assert [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())] == list(COLUMNS)
        assert table.accessibleName() == "Access history entries"
        shown = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        assert ["A. Okafor", store.device_id, "viewed", "preparing the visit"] == shown[0][1:]
        assert all(row[1] == "A. Okafor" for row in shown) and len(shown) >= 2
        assert [row[0] for row in shown] == sorted((row[0] for row in shown), reverse=True)  # newest first
        assert shown[-1][3:] == ["viewed", "opened the case"]
        assert dialog.message.text().endswith("newest first")
        assert dialog.source.text().startswith("This laptop's entries only")  # no office in this test
        _shot(dialog, "access-history")
        qtbot.keyClick(table, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

        assert window.audit_export_action.isVisible()
        before = window.worker.call(lambda: store.audit.read(limit=1))[0]["seq"]
        window.audit_export_action.trigger()
        export = window.audit_export_dialog
        assert isinstance(export, AuditExportDialog)
        out = tmp_path / "laptop-audit.csv"
        export.start.setDate(date(2020, 1, 1))  # fixed days around whenever the entries were written
        export.end.setDate(date(2099, 12, 31))
        qtbot.keyClicks(export.path, str(out))
        qtbot.keyClick(export.path, Qt.Key.Key_Return)  # Export is the default button
        qtbot.waitUntil(lambda: export.result is not None, timeout=10_000)
        _shot(export, "audit-export")
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert tuple(rows[0]) == CSV_COLUMNS
        viewed = [r for r in rows if r["reason"] == "preparing the visit"]
        assert viewed and viewed[0]["reference"] and viewed[0]["device_id"] == store.device_id
        assert {r["chain"] for r in rows} == {"intact"}
        assert "Exported" in export.message.text()
        # the export is itself recorded (a reload of the open case may record a view beside it)
        recorded = window.worker.call(lambda: [e["action"] for e in store.audit.read(after=before)])
        assert recorded.count("audit_export") == 1
        export.close()
    finally:
        window.shutdown()


def test_another_role_is_offered_neither(qtbot: QtBot, store_copy: Path) -> None:
    enrol_as(store_copy, "A. Okafor", "HAO")
    window = MainWindow(store_copy, lock_minutes=30)
    qtbot.addWidget(window)
    window.show()
    try:
        unlocked(qtbot, window)
        open_new_case(qtbot, window)
        workspace = window.workspace
        assert not workspace.history_button.isVisible()
        assert not window.audit_export_action.isVisible()
        workspace.show_history()
        assert "only" in workspace.saved_label.text() and "manager" in workspace.saved_label.text()
        assert workspace.dialog is None or not isinstance(workspace.dialog, AccessHistoryDialog)
    finally:
        window.shutdown()
