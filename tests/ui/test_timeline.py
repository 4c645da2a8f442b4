"""The timeline offers the next stage to record, and shows the statutory clocks once they run."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from heart_desktop.domain.policy import policy_for
from heart_desktop.ui.timeline_widget import TimelineWidget


def test_the_stage_after_the_latest_recorded_is_offered(qtbot: QtBot) -> None:
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    policy = policy_for("WDC", date(2026, 9, 1))
    timeline.show_dates({}, policy, today=date(2026, 11, 23))
    assert timeline.stage.currentData() == "enquiry"
    timeline.show_dates({"enquiry": date(2026, 7, 14), "telephone_assessment": date(2026, 7, 27),
                         "application": date(2026, 9, 1)}, policy, today=date(2026, 11, 23))
    assert timeline.stage.currentData() == "approval"
    clocks = [timeline.clocks.itemAt(i).widget().text() for i in range(timeline.clocks.count())]
    assert any("01/03/2027" in text and "days left" in text for text in clocks)  # 6 months to determine (13.1)
