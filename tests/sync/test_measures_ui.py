"""Reports > Partnership measures in the application, against the real office: a manager fetches a
quarter's figures, sees them as tables and charts, drills from a measure to the cases it counts
and opens one this laptop holds, exports XLSX and PDF, and offline sees the last fetch with when.
The case's Interventions and feedback tab records what the measures count.

With SHOT_DIR set (under Xvfb at 1366x768) the screen is saved there as PNG."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sync_server import PASSPHRASE, Server
from test_measures import COUNCILS, NORTH, Q3, SOUTH, record_north, record_south
from test_sync_ui import opened, unlock

from heart_desktop.store import Store
from heart_desktop.sync.client import enrol, sync_once
from heart_desktop.ui.reports_view import ReportsDialog


def shot(name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        QGuiApplication.primaryScreen().grabWindow(0).save(str(Path(folder) / f"{name}.png"))


def test_a_manager_sees_drills_and_exports_the_measures(qtbot: QtBot, laptop, server: Server,
                                                         tmp_path: Path) -> None:
    north = laptop("north", "N. Hale", NORTH, "OT")
    south = laptop("south", "S. Mistry", SOUTH, "manager")
    record_north(north)
    record_south(south)
    for store in (north, south):
        sync_once(store)
    server.service.add_officer("B. Board", "manager", list(COUNCILS))
    path = tmp_path / "board.heartdb"  # the app's own key derivation, as a real laptop's
    with Store.open(path, PASSPHRASE, officer="B. Board", create=True) as board:
        enrol(board, server.url, server.service.enrol_code("B. Board"))
        sync_once(board)
    with opened(qtbot, path) as win:
        unlock(qtbot, win)
        assert win.reports_menu.menuAction().isVisible()
        dialog = ReportsDialog(win.session, win, today=date(2026, 12, 15))
        dialog.open_case.connect(win.open_case)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.quarter.currentText() == Q3
        assert not dialog.export_pdf.isEnabled()
        qtbot.mouseClick(dialog.fetch, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "fetched" in dialog.status.text(), timeout=20_000)
        demand = dialog.tables["demand"]
        row = next(r for r in range(demand.rowCount()) if demand.item(r, 0).text() == "KPM 6")
        assert [demand.item(row, c).text() for c in range(2, 10)] == ["5", "2", "3", "0", "2", "0", "1", "2"]
        timeline = dialog.tables["timeline"]
        assert timeline.item(0, 0).text() == "KPM 10" and timeline.item(0, 2).text() == "134"
        assert not dialog.timeline.pixmap().isNull()
        dialog.groups.setCurrentWidget(demand)
        demand.setCurrentCell(row, 0)
        demand.setFocus()
        qtbot.keyClick(demand, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.references.count() == 5, timeout=20_000)
        assert "5 (5 on this laptop" in dialog.drill_label.text()
        qtbot.wait(500)  # painted before the screen is saved
        shot("reports-partnership-measures")
        reference = dialog.references.currentItem().text()
        qtbot.keyClick(dialog.references, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: win.workspace.is_loaded() and reference in win.workspace.title.text(),
                        timeout=20_000)
        for fmt in ("xlsx", "pdf"):
            dialog.save(fmt, tmp_path / f"q3.{fmt}")
            qtbot.waitUntil(lambda fmt=fmt: (tmp_path / f"q3.{fmt}").exists(), timeout=20_000)
        from openpyxl import load_workbook

        sheet = load_workbook(tmp_path / "q3.xlsx")["Demand"]
        assert [c.value for c in sheet[3]][:6] == ["KPM 1", "Number of enquiries within the quarter", "cases", 4, 2, 2]
        assert (tmp_path / "q3.pdf").read_bytes().startswith(b"%PDF")
        # offline: the last fetch, and when
        server.stop()
        qtbot.mouseClick(dialog.fetch, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.status.text().startswith("Offline: showing the figures fetched"),
                        timeout=30_000)
        assert dialog.tables["demand"].item(row, 2).text() == "5"
        server.start()
        dialog.close()


def test_the_case_tab_records_interventions_feedback_and_the_survey(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "laptop.heartdb"
    with Store.open(path, PASSPHRASE, officer="A. Okafor", create=True) as store:
        case_id = store.cases.create("WDC", enquiry_on=date(2026, 9, 1), signed_off_on=date(2026, 11, 2))
    with opened(qtbot, path) as win:
        unlock(qtbot, win)
        win.open_case(case_id)
        workspace = win.workspace
        qtbot.waitUntil(workspace.is_loaded, timeout=20_000)
        panel = workspace.case_measures
        workspace.tabs.setCurrentWidget(panel)
        qtbot.waitUntil(lambda: "signed off" in panel.survey_label.text(), timeout=20_000)
        panel.kind.setCurrentIndex(panel.kind.findData("falls_assessment"))
        qtbot.mouseClick(panel.add_intervention, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.interventions.rowCount() == 1, timeout=20_000)
        assert "KPI 13 a" in panel.interventions.item(0, 1).text()
        panel.feedback_kind.setCurrentIndex(panel.feedback_kind.findData("complaint"))
        panel.upheld.setCurrentIndex(1)
        qtbot.keyClicks(panel.summary, "The fitter was late")
        qtbot.mouseClick(panel.add_feedback, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.feedback.rowCount() == 1, timeout=20_000)
        assert panel.feedback.item(0, 2).text() == "Upheld"
        from heart_desktop.ui.case_measures_panel import SurveyDialog

        dialog = SurveyDialog(panel)
        for combo in dialog.combos.values():
            combo.setCurrentIndex(2)
        assert dialog.answers()["overall"] == "good"
        with win.session._store().transaction():
            from heart_desktop.services.measures import record_survey

            record_survey(win.session._store(), case_id, date(2026, 11, 3), dialog.answers())
        panel.load(case_id)
        qtbot.waitUntil(lambda: "1 survey received" in panel.survey_label.text(), timeout=20_000)
        assert "good" not in panel.survey_label.text().lower().replace("good or better", "")
