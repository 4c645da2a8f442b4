"""Two cases walked through the application as the officers do it, against the real office on
127.0.0.1: one from a new enquiry through allocation, a booked visit, the visit's forms, the signed
pack (stage: application), approval, works and sign-off to its close; another from enquiry to
"withdrawn". The stage dates and the outcome are checked at each step, and both cases reach a second
laptop through the office (on SQLite and on PostgreSQL) with their contacts, diary and who set each
stage date. The days are given (the app's clock is the test's), never the computer's."""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from pytestqt.qtbot import QtBot
from sync_server import PASSPHRASE, Server, enrolled_laptop
from test_sync_ui import opened, type_passphrase

from heart_desktop.store import Store
from heart_desktop.store import demo_answers as answers
from heart_desktop.sync.client import enrol, sync_once
from heart_desktop.ui.main_window import MainWindow

START = date(2026, 10, 1)
SCRIBBLE = [QPoint(30, 70), QPoint(60, 40), QPoint(90, 80), QPoint(120, 45), QPoint(150, 75), QPoint(190, 50)]


@pytest.fixture
def leader_laptop(tmp_path: Path, server: Server) -> Path:
    """A team leader's laptop (manager: may allocate, sanction and approve), enrolled, empty."""
    server.service.add_officer("T. Leader", "manager", ["WDC"])
    path = tmp_path / "leader.heartdb"
    with Store.open(path, PASSPHRASE, officer="root", create=True) as store:  # the app's KDF
        enrol(store, server.url, server.service.enrol_code("T. Leader"))
    return path


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def stages(win: MainWindow, case_id: str) -> dict[str, date]:
    dates = win.worker.call(lambda: win.session.store.stages.get(case_id))
    return {k: v for k, v in dates.items() if v}


def wait_stage(qtbot: QtBot, win: MainWindow, case_id: str, expected: dict[str, date]) -> None:
    qtbot.waitUntil(lambda: stages(win, case_id) == expected, timeout=10_000)


def submit(qtbot: QtBot, dialog: Any) -> None:
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.action_button.isEnabled(), timeout=10_000)
    assert not dialog.isVisible(), dialog.message.text()


def enquiry(qtbot: QtBot, win: MainWindow, name: str, born: str, line1: str, postcode: str, phone: str,
            reason: str) -> str:
    win.new_enquiry_action.trigger()
    dialog = win.enquiry_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    for field, text in ((dialog.name, name), (dialog.born, born), (dialog.phone, phone), (dialog.line1, line1),
                        (dialog.town, "Warwick"), (dialog.postcode, postcode), (dialog.reason, reason)):
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    workspace = win.workspace
    qtbot.waitUntil(lambda: workspace.is_loaded() and workspace.detail is not None
                    and name.split()[-1] in workspace.title.text(), timeout=10_000)
    return str(workspace.case_id)


def complete_form(qtbot: QtBot, win: MainWindow, form_id: str) -> None:
    workspace = win.workspace
    panel = workspace.forms
    workspace.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: form_id in panel.submissions, timeout=10_000)
    panel.open_form(form_id)
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.id == form_id and panel.view is not None,
                    timeout=10_000)
    qtbot.mouseClick(panel.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text().endswith(": complete"), timeout=10_000)


def test_two_cases_from_the_first_call_to_the_close_reach_another_laptop(qtbot: QtBot, leader_laptop: Path,
                                                                          server: Server, tmp_path: Path) -> None:
    clock = Clock(START)
    with opened(qtbot, leader_laptop, today=clock) as win:
        type_passphrase(qtbot, win)
        qtbot.waitUntil(lambda: win.caseload is not None, timeout=20_000)
        qtbot.waitUntil(lambda: "last sync" in win.sync_label.text(), timeout=20_000)
        assert (win.session.officer, win.session.role) == ("T. Leader", "manager")
        workspace = win.workspace

        # 1 October: the duty desk takes the call (5.1)
        case_id = enquiry(qtbot, win, "Edna Fairweather", "14/03/1950", "12 Mill Road", "CV34 4RL", "01926 410410",
                          "I can't get up the stairs and I can't get in the bath")
        assert stages(win, case_id) == {"enquiry": START}
        assert "Enquiry received" in workspace.title.text() and "reference provisional" in workspace.status_line.text()

        # 2 October: allocated to an HAO (5.5)
        clock.day = date(2026, 10, 2)
        qtbot.mouseClick(workspace.allocate_button, Qt.MouseButton.LeftButton)
        dialog = workspace.dialog
        dialog.widgets["allocated_to"].setEditText("T. Leader")
        dialog.widgets["allocated_role"].setCurrentIndex(dialog.widgets["allocated_role"].findData("HAO"))
        submit(qtbot, dialog)
        qtbot.waitUntil(lambda: "Allocated to T. Leader (Housing Assessment Officer)" in workspace.status_line.text(),
                        timeout=10_000)

        # 5 October: the telephone assessment, and a visit booked for the 12th
        clock.day = date(2026, 10, 5)
        workspace.tabs.setCurrentWidget(workspace.diary)
        diary = workspace.diary
        qtbot.mouseClick(diary.log_button, Qt.MouseButton.LeftButton)
        log = diary.dialog
        log.widgets["at"].setDateTime(datetime(2026, 10, 5, 9, 30))
        log.widgets["who"].setText("Edna Fairweather")
        log.widgets["summary"].setPlainText("Telephone assessment: stairs and bathing. Visit booked for the 12th.")
        log.widgets["telephone_assessment"].setChecked(True)
        submit(qtbot, log)
        wait_stage(qtbot, win, case_id, {"enquiry": START, "telephone_assessment": date(2026, 10, 5)})
        qtbot.mouseClick(diary.book_button, Qt.MouseButton.LeftButton)
        book = diary.dialog
        book.widgets["scheduled_for"].setDateTime(datetime(2026, 10, 12, 10, 0))
        submit(qtbot, book)
        qtbot.waitUntil(lambda: diary.visits.rowCount() == 1, timeout=10_000)

        # 12 October: the visit, on the officer's Today list, then done
        clock.day = date(2026, 10, 12)
        win.today_action.trigger()
        today = win.today_view
        qtbot.waitUntil(lambda: today.is_loaded() and today.visits.rowCount() == 1, timeout=10_000)
        assert today.visits.item(0, 4).text() == "01926 410410" and "12 Mill Road" in today.visits.item(0, 3).text()
        qtbot.mouseClick(today.open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win._work_page.currentWidget() is workspace and workspace.is_loaded(), timeout=10_000)
        workspace.tabs.setCurrentWidget(diary)
        diary.visits.selectRow(0)
        qtbot.mouseClick(diary.outcome_button, Qt.MouseButton.LeftButton)
        result = diary.dialog
        result.widgets["outcome"].setCurrentIndex(result.widgets["outcome"].findData("done"))
        submit(qtbot, result)
        visit_day = date(2026, 10, 12)
        wait_stage(qtbot, win, case_id, {"enquiry": START, "telephone_assessment": date(2026, 10, 5),
                                         "visit": visit_day})

        # the visit's forms: the home safety check and the HHSRS assessment, then the application form,
        # which starts from the case (nothing asked again) and is completed with what the visit adds
        rng = random.Random(5)
        store = win.session.store
        safety = answers.home_safety_check(rng, visit_day, "Edna Fairweather", agreed=True)
        hhsrs = answers.hhsrs_assessment(rng, visit_day, dwelling="semi-detached house", officer="T. Leader",
                                         ratings=[("falls_on_stairs", 18, (2.2, 10.0, 21.5, 66.3), "Steep stairs")],
                                         signed=True)
        win.worker.call(lambda: (store.forms.start(case_id, "home_safety_check", "1.0", safety),
                                 store.forms.start(case_id, "hhsrs_assessment", "1.0", hhsrs)))
        complete_form(qtbot, win, "home_safety_check")
        complete_form(qtbot, win, "hhsrs_assessment")
        started = workspace._starting_answers("application_details")
        assert started["applicant_name"] == "Edna Fairweather" and started["postcode"] == "CV34 4RL"
        assert started["phone"] == "01926 410410" and started["applicant_date_of_birth"] == "1950-03-14"
        application = {**started, "applicant_ni_number": "AB 12 34 56 C", "right_to_reside": True, "tenure": "owner",
                       "years_owned": 30, "owners_certificate": True, "qualifying_benefit": True,
                       "benefits": ["pension_credit_guarantee"], "benefit_evidence_seen": True,
                       "consent_to_share": True, "declaration_date": visit_day.isoformat(),
                       "applicant_signature": answers.signature(rng, "Edna Fairweather", "2026-10-12T11:30:00")}
        win.worker.call(lambda: store.forms.start(case_id, "application_details", "1.0", application))
        complete_form(qtbot, win, "application_details")
        assert stages(win, case_id)["visit"] == visit_day  # the forms do not move the visit's date

        # 19 October: the quotation in, and the pack signed at the kitchen table: the application
        clock.day = date(2026, 10, 19)
        timeline = workspace.timeline
        workspace.reload()  # a new day on screen: the timeline offers dates up to it
        qtbot.waitUntil(lambda: timeline.event_when.maximumDate().toPython() == clock.day, timeout=10_000)
        workspace.tabs.setCurrentWidget(workspace.overview)
        timeline.event.setCurrentIndex(timeline.event.findData("quotation_received"))
        timeline.event_when.setDate(QDate(2026, 10, 16))
        qtbot.mouseClick(timeline.event_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: stages(win, case_id).get("quotation") == date(2026, 10, 16), timeout=10_000)
        panel = workspace.documents
        workspace.tabs.setCurrentWidget(panel)
        with qtbot.waitSignal(panel.pack_shown, timeout=60_000):
            qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
        pad = panel.sign_dialog.signers["applicant"].pad
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=SCRIBBLE[0])
        for point in SCRIBBLE[1:]:
            qtbot.mouseMove(pad, point)
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=SCRIBBLE[-1])
        with qtbot.waitSignal(panel.signed, timeout=60_000):
            qtbot.mouseClick(panel.sign_dialog.sign_button, Qt.MouseButton.LeftButton)
        application_day = date(2026, 10, 19)
        wait_stage(qtbot, win, case_id, {"enquiry": START, "telephone_assessment": date(2026, 10, 5),
                                         "visit": visit_day, "quotation": date(2026, 10, 16),
                                         "application": application_day})
        qtbot.waitUntil(lambda: "Application submitted" in workspace.title.text(), timeout=10_000)

        # 26 October: approved by the team leader (5.5, 5.6): the 12-month clock starts; the signed pack
        # is still what was signed
        clock.day = date(2026, 10, 26)
        workspace.tabs.setCurrentWidget(workspace.overview)
        workspace.decision_action.trigger()
        decision = workspace.dialog
        decision.widgets["decided_on"].setDate(QDate(2026, 10, 26))
        decision.widgets["reason"].setPlainText("Eligible DFG: works necessary and appropriate (4.1.6)")
        submit(qtbot, decision)
        qtbot.waitUntil(lambda: stages(win, case_id).get("approval") == date(2026, 10, 26), timeout=10_000)
        qtbot.waitUntil(lambda: any("Complete the works (12 months)" in timeline.clocks.itemAt(i).widget().text()
                                    for i in range(timeline.clocks.count())), timeout=10_000)
        from heart_desktop.documents.signing import pack_status

        assert not win.worker.call(lambda: pack_status(store, case_id)).changed_since_signed

        # works: started, certified complete, signed off, as they happen
        for day, event, stage in ((date(2026, 11, 2), "works_started", "works_start"),
                                  (date(2026, 11, 6), "certified_complete", "works_complete"),
                                  (date(2026, 11, 9), "signed_off", "signed_off")):
            clock.day = day
            workspace.reload()
            qtbot.waitUntil(lambda d=day: timeline.event_when.date().toPython() == d, timeout=10_000)
            timeline.event.setCurrentIndex(timeline.event.findData(event))
            qtbot.mouseClick(timeline.event_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda s=stage, d=day: stages(win, case_id).get(s) == d, timeout=10_000)
        qtbot.waitUntil(lambda: "Signed off" in workspace.title.text(), timeout=10_000)
        assert "T. Leader: signed off" in timeline.table.item(9, 3).text()
        assert "T. Leader: home visit done" in timeline.table.item(2, 3).text()

        # closed: completed (the works delivered: not a drop-out)
        workspace.close_action.trigger()
        close = workspace.dialog
        close.widgets["outcome"].setCurrentIndex(close.widgets["outcome"].findData("completed"))
        close.widgets["reason"].setPlainText("Stairlift and level access shower in; customer satisfied")
        submit(qtbot, close)
        qtbot.waitUntil(lambda: workspace.state_banner.isVisible()
                        and "Completed (works delivered)" in workspace.state_banner.text(), timeout=10_000)
        assert "drop-out" not in workspace.state_banner.text()

        # the second case: an enquiry, a call, and withdrawn
        clock.day = date(2026, 10, 5)
        other_id = enquiry(qtbot, win, "Stan Hope", "02/02/1944", "3 Castle Street", "CV34 4QU", "07700 900456",
                           "Needs a rail by the back door")
        clock.day = date(2026, 10, 20)
        workspace.tabs.setCurrentWidget(workspace.diary)
        qtbot.mouseClick(diary.log_button, Qt.MouseButton.LeftButton)
        log = diary.dialog
        log.widgets["at"].setDateTime(datetime(2026, 10, 20, 11, 0))
        log.widgets["direction"].setCurrentIndex(log.widgets["direction"].findData("in"))
        log.widgets["who"].setText("Stan Hope")
        log.widgets["summary"].setPlainText("Rang: his son has fitted the rail; no longer needs HEART")
        submit(qtbot, log)
        workspace.tabs.setCurrentWidget(workspace.overview)
        workspace.close_action.trigger()
        close = workspace.dialog
        close.widgets["outcome"].setCurrentIndex(close.widgets["outcome"].findData("withdrawn"))
        close.widgets["outcome_on"].setDate(QDate(2026, 10, 20))
        close.widgets["reason"].setPlainText("Son fitted the rail himself")
        submit(qtbot, close)
        qtbot.waitUntil(lambda: "drop-out, KPI 20" in workspace.state_banner.text(), timeout=10_000)
        assert "Closed: Withdrawn by the customer" in workspace.title.text()
        assert stages(win, other_id) == {"enquiry": date(2026, 10, 5)}

        # to the office (F5), and the references confirmed
        with qtbot.waitSignal(win.sync.finished, timeout=30_000):
            win.sync_action.trigger()
        qtbot.waitUntil(lambda: "0 changes waiting" in win.sync_label.text(), timeout=20_000)
        from heart_desktop.sync.client import sync_status

        status = win.worker.call(lambda: sync_status(store))
        assert status.refused == [] and status.quarantined == 0, status
        assert win.worker.call(lambda: store.cases.reference_confirmed(case_id))
        references = win.worker.call(lambda: {c: store.cases.get(c)["reference"] for c in (case_id, other_id)})

    # a second laptop, an HAO of the same council: both cases whole, with their diary and contact log
    other = enrolled_laptop(server, tmp_path / "hao.heartdb", "A. Okafor", ("WDC",), role="HAO")
    try:
        sync_once(other)
        first = other.cases.get(case_id)
        assert first["reference"] == references[case_id] and first["outcome"] == "completed"
        assert {k: v for k, v in other.stages.get(case_id).items() if v} == {
            "enquiry": START, "telephone_assessment": date(2026, 10, 5), "visit": visit_day,
            "quotation": date(2026, 10, 16), "application": application_day, "approval": date(2026, 10, 26),
            "works_start": date(2026, 11, 2), "works_complete": date(2026, 11, 6), "signed_off": date(2026, 11, 9)}
        assert (first["allocated_to"], first["allocated_role"]) == ("T. Leader", "HAO")
        visits = other.visits.for_case(case_id)
        assert [(v["scheduled_for"], v["outcome"], v["status"]) for v in visits] == [("2026-10-12T10:00", "done",
                                                                                       "done")]
        contacts = other.contacts.for_case(case_id)
        summaries = [c["summary"] for c in contacts]
        assert any(s.startswith("Telephone assessment") for s in summaries)
        assert any(s.startswith("Home assessment (HAO): done") for s in summaries)
        assert {c["author"] for c in contacts} == {"T. Leader"}  # the enrolled officer, never "root"
        events = {e["stage"]: e for e in other.stage_events.for_case(case_id)}
        assert events["application"]["event"] == "pack_signed" and events["application"]["set_by"] == "T. Leader"
        assert events["approval"]["event"] == "approved"
        assert [d["outcome"] for d in other.decisions.for_case(case_id)] == ["approved"]
        second = other.cases.get(other_id)
        assert (second["outcome"], second["outcome_on"], second["outcome_reason"]) == (
            "withdrawn", date(2026, 10, 20), "Son fitted the rail himself")
        assert any("no longer needs HEART" in c["summary"] for c in other.contacts.for_case(other_id))
        assert all(n["author"] == "T. Leader" for n in other.notes.for_case(case_id))
    finally:
        other.close()
