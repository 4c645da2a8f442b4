"""The casework screens as an officer uses them, on a real store and a given day: New enquiry with
its refusals (the field named, the cursor put there, nothing typed lost) and the likely duplicate;
the details edited; allocation and the 9.3 sanction from the waiting list (only those who may give
it are offered it); the diary and the contact log; Today; and every new control named, reachable
by Tab, with no mnemonic twice on a screen, in dialogs that fit 1366x768."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from gui_steps import unlock
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QDateEdit, QDateTimeEdit, QLabel, QWidget
from pytestqt.qtbot import QtBot
from test_accessibility import tab_reaches_all, unnamed

from heart_desktop.services import casework
from heart_desktop.store import DEMO_PASSPHRASE, Store
from heart_desktop.ui.form_dialog import FormDialog
from heart_desktop.ui.main_window import MainWindow

DAY = date(2026, 11, 30)
SCREEN = (1366, 768)
EDNA = {"received": "2026-11-27", "channel": "telephone",
        "customer": {"name": "Edna Fairweather", "date_of_birth": "1950-03-14", "phone": "01926 410410"},
        "address": {"line1": "12 Mill Road", "town": "Warwick", "postcode": "CV34 4RL"},
        "reason": "Cannot manage the stairs"}


@pytest.fixture
def desk(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """A duty desk laptop (not enrolled: every act is offered) on an empty store, on DAY."""
    path = tmp_path / "desk.heartdb"
    with Store.open(path, DEMO_PASSPHRASE, officer="T. Leader", create=True) as store:
        store.name_officer("T. Leader")
    win = MainWindow(path, lock_minutes=30, today=lambda: DAY)
    win.resize(*SCREEN)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    unlock(qtbot, win)
    qtbot.waitUntil(lambda: win.caseload is not None, timeout=20_000)
    yield win
    win.shutdown()


def call(win: MainWindow, fn: Any) -> Any:
    return win.worker.call(lambda: fn(win.session))


def new_case(win: MainWindow, **changes: Any) -> str:
    return str(call(win, lambda s: casework.new_enquiry(s, {**EDNA, **changes}, today=DAY))["id"])


def open_case(qtbot: QtBot, win: MainWindow, case_id: str) -> None:
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.workspace.is_loaded() and win.workspace.case_id == case_id
                    and win.workspace.detail["case"]["id"] == case_id, timeout=10_000)


def fill(dialog: FormDialog, **values: Any) -> None:
    for key, value in values.items():
        widget = dialog.widgets[key]
        if isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
            widget.setDateTime(QDateTime(QDate(value.date()), QTime(value.hour, value.minute)))
        elif isinstance(widget, QDateEdit):
            widget.setDate(QDate(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index >= 0:
                widget.setCurrentIndex(index)
            else:
                widget.setEditText(str(value))
        elif isinstance(widget, QAbstractButton):
            widget.setChecked(bool(value))
        elif hasattr(widget, "setPlainText"):
            widget.setPlainText(str(value))
        else:
            widget.clear()
            widget.insert(str(value))


def submit(qtbot: QtBot, dialog: FormDialog) -> None:
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.action_button.isEnabled(), timeout=10_000)


def mnemonics(root: QWidget) -> list[str]:
    letters = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            text = widget.text().replace("&&", "")
            if "&" in text:
                letters.append(text[text.index("&") + 1].lower())
    return letters


def tab_reaches(qtbot: QtBot, root: QWidget, start: QWidget, presses: int = 80) -> list[str]:
    """Press Tab from ``start`` (a date field takes a Tab per day, month and year before it lets go);
    list the controls never reached."""
    from test_accessibility import reachable_controls, spoken_name

    start.window().activateWindow()
    start.setFocus()
    qtbot.waitUntil(start.hasFocus, timeout=5_000)
    seen: set[int] = set()
    for _ in range(presses):
        focused = QApplication.focusWidget()
        if focused is None:
            break
        seen.add(id(focused))
        if focused.parentWidget() is not None:
            seen.add(id(focused.parentWidget()))  # a date field's own line edit
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    return [f"{type(w).__name__} {spoken_name(w)!r}" for w in reachable_controls(root) if id(w) not in seen]


def fits(widget: QWidget) -> bool:
    return widget.frameGeometry().width() <= SCREEN[0] and widget.frameGeometry().height() <= SCREEN[1]


def test_new_enquiry_names_each_bad_field_keeps_the_typing_and_offers_the_duplicate(qtbot: QtBot,
                                                                                   desk: MainWindow) -> None:
    win = desk
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Cases > New enquiry
    qtbot.waitUntil(lambda: win.enquiry_dialog is not None and win.enquiry_dialog.isVisible(), timeout=5_000)
    dialog = win.enquiry_dialog
    assert fits(dialog) and unnamed(dialog) == []
    assert {k: n for k, n in Counter(mnemonics(dialog)).items() if n > 1} == {}
    assert tab_reaches(qtbot, dialog, dialog.channel, presses=120) == []
    assert dialog.received.date().toPython() == DAY

    def save_and_expect(field: QWidget, words: str) -> None:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: words in dialog.message.text(), timeout=10_000)
        assert QApplication.focusWidget() is field, (words, QApplication.focusWidget())
        assert field.property("invalid") is True

    qtbot.keyClicks(dialog.name, "Edna")
    save_and_expect(dialog.name, "Full name: 'Edna' is one word")
    qtbot.keyClick(dialog.name, Qt.Key.Key_End)  # the bad text is selected, ready to be typed over
    qtbot.keyClicks(dialog.name, " Fairweather")
    qtbot.keyClicks(dialog.born, "31/02/1950")
    save_and_expect(dialog.born, "Date of birth: '31/02/1950' is not a date")
    dialog.born.clear()
    qtbot.keyClicks(dialog.born, "14/03/2030")
    save_and_expect(dialog.born, "Date of birth: The date of birth 14/03/2030 is in the future")
    dialog.born.clear()
    qtbot.keyClicks(dialog.born, "14/03/1950")
    qtbot.keyClicks(dialog.phone, "12345")
    save_and_expect(dialog.phone, "Phone: '12345' is not a UK phone number")
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "01926 410410")
    qtbot.keyClicks(dialog.email, "edna at home")
    save_and_expect(dialog.email, "Email: 'edna at home' is not an email address")
    dialog.email.clear()
    qtbot.keyClicks(dialog.ni_number, "QQ123456A")
    save_and_expect(dialog.ni_number, "NI number: 'QQ123456A' is not a National Insurance number")
    dialog.ni_number.clear()
    save_and_expect(dialog.line1, "Address line 1: is required")
    qtbot.keyClicks(dialog.line1, "12 Mill Road")
    qtbot.keyClicks(dialog.postcode, "B1 1AA")
    assert "outside Warwickshire" in dialog.council_hint.text()
    save_and_expect(dialog.postcode, "Postcode: B1 1AA is outside Warwickshire")
    dialog.postcode.clear()
    qtbot.keyClicks(dialog.postcode, "CV33 9AA")
    save_and_expect(dialog.council, "Council: CV33 lies in WDC and SDC")
    dialog.postcode.clear()
    qtbot.keyClicks(dialog.postcode, "cv34 4rl")
    assert "Warwick District Council" in dialog.council_hint.text()
    save_and_expect(dialog.reason, "Reason for the enquiry: is required")
    qtbot.keyClicks(dialog.reason, "I sleep downstairs in the chair")
    dialog.channel.setCurrentIndex(dialog.channel.findData("health"))
    save_and_expect(dialog.referrer, "Referred by: is required")
    qtbot.keyClicks(dialog.referrer, "Warwick Hospital discharge team")
    dialog.preference.setCurrentIndex(dialog.preference.findData("advocate"))
    save_and_expect(dialog.advocate, "Advocate or carer: is required")
    qtbot.keyClicks(dialog.advocate, "Jo Fairweather (daughter) 07700 900123")
    qtbot.mouseClick(dialog.add_member, Qt.MouseButton.LeftButton)
    dialog.household.item(0, 0).setText("Fred Fairweather")
    dialog.household.item(0, 1).setText("soon")
    save_and_expect(dialog.household, "Household member 1: date of birth: 'soon' is not a date")
    dialog.household.item(0, 1).setText("02/01/1948")
    dialog.urgency["hospital_discharge"].setChecked(True)
    # nothing typed was lost on the way
    assert (dialog.name.text(), dialog.born.text(), dialog.phone.text()) == ("Edna Fairweather", "14/03/1950",
                                                                            "01926 410410")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    workspace = win.workspace
    qtbot.waitUntil(lambda: workspace.is_loaded() and workspace.detail is not None
                    and workspace.title.text().startswith("WDC/26/00001"), timeout=10_000)
    assert not dialog.isVisible()
    assert "Enquiry received" in workspace.title.text() and "Not allocated yet" in workspace.status_line.text()
    case = workspace.detail["case"]
    assert (case["channel"], case["referrer"], case["contact_preference"]) == (
        "health", "Warwick Hospital discharge team", "advocate")
    assert case["priority_flags"] == ["hospital_discharge"] and workspace.urgency_button.isVisible()
    assert workspace.property_labels["phone"].text() == "01926 410410"
    assert "Warwick Hospital discharge team" in workspace.property_labels["referral"].text()
    first_id = case["id"]

    # the same person again: the case on file is offered before anything is saved
    win.new_enquiry_action.trigger()
    again = win.enquiry_dialog
    assert again is not dialog
    qtbot.keyClicks(again.name, "edna fairweather")
    qtbot.keyClicks(again.born, "14/03/1950")
    qtbot.keyClicks(again.line1, "12 Mill Road")
    qtbot.keyClicks(again.postcode, "CV34 4RL")
    qtbot.keyClicks(again.reason, "Asking again")
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(again.duplicate_box.isVisible, timeout=10_000)
    assert "WDC/26/00001" in again.duplicate_text.text()
    assert call(win, lambda s: s.store.cases.count()) == 1
    qtbot.mouseClick(again.open_duplicate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.case_id == first_id and not again.isVisible(), timeout=10_000)


def test_details_are_edited_in_the_same_form_and_checked(qtbot: QtBot, desk: MainWindow) -> None:
    win = desk
    case_id = new_case(win)
    open_case(qtbot, win, case_id)
    workspace = win.workspace
    qtbot.mouseClick(workspace.details_button, Qt.MouseButton.LeftButton)
    dialog = workspace.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.name.text() == "Edna Fairweather" and dialog.postcode.text() == "CV34 4RL"
    assert not dialog.received.isEnabled()  # a stage date: corrected on the timeline
    assert unnamed(dialog) == [] and fits(dialog)
    dialog.property_fields["bedrooms"].setText("lots")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Bedrooms: 'lots' is not a number" in dialog.message.text(), timeout=10_000)
    dialog.property_fields["bedrooms"].setText("3")
    dialog.tenure.setCurrentIndex(dialog.tenure.findData("owner"))
    dialog.email.setText("edna@example.org")
    dialog.ni_number.setText("AB 12 34 56 C")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: workspace.property_labels["email"].text() == "edna@example.org", timeout=10_000)
    assert workspace.property_labels["tenure"].text() == "Owner-occupier"
    journal = call(win, lambda s: [e.entity for e in s.store.journal.pending(limit=1000)])
    assert journal.count("person") >= 2 and journal.count("property") >= 2  # the edits are journalled


def test_allocation_keeps_the_queue_and_only_a_team_leader_may_sanction(qtbot: QtBot, desk: MainWindow) -> None:
    win = desk
    first = new_case(win, received="2026-11-02", customer={**EDNA["customer"], "name": "Ann Early"})
    later = new_case(win, received="2026-11-20", customer={**EDNA["customer"], "name": "Bea Later"})
    win.queue_action.trigger()
    queue = win.queue_view
    qtbot.waitUntil(lambda: [r["id"] for r in queue.rows] == [first, later], timeout=10_000)
    assert unnamed(queue) == [] and fits(queue)
    assert tab_reaches_all(qtbot, queue, queue.queue) == []
    queue.table.selectRow(1)
    assert queue.sanction_button.isEnabled()
    win.session.role = "HAO"  # an officer who may not sanction is not offered it
    queue._enable()
    assert not queue.sanction_button.isEnabled() and not queue.allocate_button.isEnabled()
    win.session.role = "manager"
    queue._enable()
    qtbot.mouseClick(queue.allocate_button, Qt.MouseButton.LeftButton)
    dialog = queue.dialog
    fill(dialog, allocated_to="A. Okafor", allocated_role="HAO")
    submit(qtbot, dialog)
    assert "Officer: 1 case waits ahead of this one" in dialog.message.text() or \
        "1 case waits ahead of this one" in dialog.message.text()
    assert "policy 9.3" in dialog.message.text() and dialog.isVisible()
    dialog.reject()
    queue.table.selectRow(1)
    qtbot.mouseClick(queue.sanction_button, Qt.MouseButton.LeftButton)
    sanction = queue.dialog
    assert unnamed(sanction) == [] and fits(sanction)
    fill(sanction, priority_reason="soon")
    submit(qtbot, sanction)
    assert "Written justification: write the justification in full" in sanction.message.text()
    fill(sanction, priority_reason="Discharge from Warwick Hospital waits on a stairlift; carer leaves on 14/12.")
    submit(qtbot, sanction)
    qtbot.waitUntil(lambda: [r["id"] for r in queue.rows] == [later, first], timeout=10_000)
    queue.table.selectRow(0)
    qtbot.mouseClick(queue.allocate_button, Qt.MouseButton.LeftButton)
    fill(queue.dialog, allocated_to="A. Okafor", allocated_role="HAO")
    submit(qtbot, queue.dialog)
    qtbot.waitUntil(lambda: [r["id"] for r in queue.rows] == [first], timeout=10_000)
    queue.close()
    open_case(qtbot, win, later)
    workspace = win.workspace
    assert workspace.sanction_banner.isVisible()
    assert workspace.sanction_banner.text().startswith("Taken out of order, sanctioned by T. Leader (policy 9.3): "
                                                       "Discharge from Warwick Hospital")
    assert "Allocated to A. Okafor (Housing Assessment Officer)" in workspace.status_line.text()
    # re-allocation needs the reason, named in the dialog
    qtbot.mouseClick(workspace.allocate_button, Qt.MouseButton.LeftButton)
    fill(workspace.dialog, allocated_to="K. Osei", allocated_role="OT")
    submit(qtbot, workspace.dialog)
    assert "Reason (for a re-allocation): say why the case is re-allocated" in workspace.dialog.message.text()
    fill(workspace.dialog, reason="An OT assessment is needed first")
    submit(qtbot, workspace.dialog)
    qtbot.waitUntil(lambda: "K. Osei (Occupational Therapist)" in workspace.status_line.text(), timeout=10_000)


def test_the_diary_the_contact_log_and_today(qtbot: QtBot, desk: MainWindow) -> None:
    win = desk
    case_id = new_case(win)
    call(win, lambda s: casework.allocate(s, case_id, "T. Leader", "HAO", today=DAY))
    open_case(qtbot, win, case_id)
    workspace = win.workspace
    workspace.tabs.setCurrentWidget(workspace.diary)
    diary = workspace.diary
    assert unnamed(diary) == [] and tab_reaches(qtbot, diary, diary.visits) == []
    qtbot.mouseClick(diary.book_button, Qt.MouseButton.LeftButton)
    book = diary.dialog
    assert unnamed(book) == [] and fits(book)
    fill(book, scheduled_for=datetime(2026, 11, 29, 10, 0), kind="assessment")
    submit(qtbot, book)
    assert "Date and time: 29/11/2026 is in the past" in book.message.text()
    fill(book, scheduled_for=datetime(2026, 11, 30, 14, 30))
    submit(qtbot, book)
    qtbot.waitUntil(lambda: diary.visits.rowCount() == 1, timeout=10_000)
    diary.visits.selectRow(0)
    qtbot.mouseClick(diary.move_button, Qt.MouseButton.LeftButton)
    move = diary.dialog
    fill(move, scheduled_for=datetime(2026, 11, 30, 15, 0))
    submit(qtbot, move)
    assert "Reason: say why the visit is moved" in move.message.text()
    fill(move, moved_reason="Customer's daughter can only come at 3")
    submit(qtbot, move)
    qtbot.waitUntil(lambda: diary.visits.item(0, 4) is not None and "daughter" in diary.visits.item(0, 4).text(),
                    timeout=10_000)
    qtbot.mouseClick(diary.log_button, Qt.MouseButton.LeftButton)
    log = diary.dialog
    assert unnamed(log) == [] and fits(log)
    assert {k: n for k, n in Counter(mnemonics(log)).items() if n > 1} == {}
    fill(log, at=datetime(2026, 11, 30, 9, 0), kind="call", direction="out", who="Edna", summary="")
    submit(qtbot, log)
    assert "Summary: say what was said or sent" in log.message.text()
    fill(log, summary="Telephone assessment: stairs and bathing; visit booked", needs_follow_up=True,
         follow_up_on=DAY, telephone_assessment=True)
    submit(qtbot, log)
    qtbot.waitUntil(lambda: diary.contacts.rowCount() == 2, timeout=10_000)  # with the enquiry's own call
    assert diary.contacts.item(0, 6).text() == "T. Leader"  # the signed-in officer, never the computer's login
    qtbot.waitUntil(lambda: "Telephone assessment" in workspace.title.text(), timeout=10_000)

    assert win.today_action.shortcut().toString() == "Ctrl+T"
    win.today_action.trigger()  # Cases > Today
    today = win.today_view
    qtbot.waitUntil(lambda: today.is_loaded() and today.visits.rowCount() == 1, timeout=10_000)
    assert today.title.text() == "Today, Monday 30 November 2026: T. Leader"
    cells = [today.visits.item(0, c).text() for c in range(today.visits.columnCount())]
    assert cells[0] == "15:00" and cells[1] == "WDC/26/00001" and "12 Mill Road, Warwick, CV34 4RL" in cells[3]
    assert cells[4] == "01926 410410" and "Next: face-to-face assessment" in cells[6]
    assert today.follow_ups.rowCount() == 1 and "Telephone assessment" in today.follow_ups.item(0, 4).text()
    assert unnamed(today) == [] and tab_reaches(qtbot, today, today.back) == []
    # a follow-up done and the visit done leave the day's lists, by the data changed signal alone
    rows = call(win, lambda s: s.store.contacts.for_case(case_id))
    due = next(r for r in rows if r["follow_up_on"])
    call(win, lambda s: casework.follow_up_done(s, due["id"], today=DAY))
    qtbot.waitUntil(lambda: today.follow_ups.rowCount() == 0, timeout=10_000)
    qtbot.keyClick(today.visits, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win._work_page.currentWidget() is workspace, timeout=10_000)
    workspace.tabs.setCurrentWidget(diary)
    diary.visits.selectRow(0)
    qtbot.mouseClick(diary.outcome_button, Qt.MouseButton.LeftButton)
    fill(diary.dialog, outcome="done", note="Stairlift and level access shower")
    submit(qtbot, diary.dialog)
    qtbot.waitUntil(lambda: "Face-to-face assessment" in workspace.title.text(), timeout=10_000)
    events = {r["stage"]: r for r in call(win, lambda s: casework.timeline(s, case_id))}
    assert events["visit"]["on"] == DAY and events["visit"]["set_by"] == "T. Leader"
    assert "T. Leader: home visit done" in workspace.timeline.table.item(2, 3).text()


def test_mnemonics_do_not_clash_on_the_new_screens(qtbot: QtBot, desk: MainWindow) -> None:
    from test_shortcuts import mnemonics_on_screen

    win = desk
    case_id = new_case(win)
    assert {k: n for k, n in Counter(mnemonics_on_screen(win)).items() if n > 1} == {}, "caseload"
    open_case(qtbot, win, case_id)
    workspace = win.workspace
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        clashes = {k: n for k, n in Counter(mnemonics_on_screen(win)).items() if n > 1}
        assert clashes == {}, workspace.tabs.tabText(index)
    for ask in (workspace.ask_allocate, workspace.ask_close, workspace.ask_suspend, workspace.ask_extend,
                workspace.ask_decision, workspace.ask_sanction):
        dialog = ask()
        assert dialog is not None and unnamed(dialog) == [] and fits(dialog)
        assert {k: n for k, n in Counter(mnemonics(dialog)).items() if n > 1} == {}, dialog.windowTitle()
        assert tab_reaches(qtbot, dialog, dialog.action_button) == [], dialog.windowTitle()
        dialog.reject()
    win.show_today()
    qtbot.waitUntil(win.today_view.is_loaded, timeout=10_000)
    assert {k: n for k, n in Counter(mnemonics_on_screen(win)).items() if n > 1} == {}, "today"




REFERRALS = ("received,channel,referrer,customer.name,customer.date_of_birth,customer.phone,address.line1,"
             "address.town,address.postcode,reason,urgency\n"
             "2026-11-20,health,Warwick Hospital OT,Alan Brown,02/02/1944,07700 900123,3 High Street,Rugby,"
             "CV21 2RR,Bath too high,hospital_discharge\n"
             "2026-11-21,telephone,,Ann Green,01/12/1950,,4 High Street,Rugby,CV21 2RR,Stairs,\n")


def test_referrals_are_imported_from_the_cases_menu_all_or_none(qtbot: QtBot, desk: MainWindow, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    asked: list[str] = []
    # every box is made by ui.messages and shown with exec: a question is declined (no button clicked)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: (asked if box.icon() == QMessageBox.Icon.Question
                                                          else warned).append(box.text()) or 0)
    assert desk.import_action.isEnabled() and desk.import_action in desk.menuBar().actions()[1].menu().actions()
    bad = tmp_path / "bad.csv"
    bad.write_text(REFERRALS.replace("CV21 2RR,Stairs", "B1 1AA,Stairs"), encoding="utf-8")
    desk.import_referrals_from(bad)
    qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
    assert "line 3: field address.postcode" in warned[0] and "nothing was imported" in warned[0]
    assert call(desk, lambda s: s._store().cases.count()) == 0
    good = tmp_path / "good.csv"
    good.write_text(REFERRALS, encoding="utf-8")
    desk.import_referrals_from(good)
    qtbot.waitUntil(lambda: "Imported 2 referrals" in desk.statusBar().currentMessage(), timeout=20_000)
    assert "RBC/26/00001, RBC/26/00002" in desk.statusBar().currentMessage()
    desk.import_referrals_from(good)  # the same people again: a likely duplicate, asked about, declined
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    assert "likely duplicate of RBC/26/00001" in asked[0]
    assert call(desk, lambda s: s._store().cases.count()) == 2
    unreadable = tmp_path / "latin1.csv"
    unreadable.write_bytes("received\n\xe9\n".encode("latin-1"))
    desk.import_referrals_from(unreadable)
    assert "cannot be read" in warned[-1] and "UTF-8" in warned[-1]


LOAN = "DDFA loan (0% charge, section 4.2)"


def decision_dialog(qtbot: QtBot, win: MainWindow) -> tuple[str, FormDialog]:
    """A case with its application made (the signed pack), open, and the decision dialog asked for."""
    case_id = new_case(win)
    call(win, lambda s: s._store().stages.set_many(case_id, {"application": date(2026, 11, 27)}, today=DAY))
    open_case(qtbot, win, case_id)
    dialog = win.workspace.ask_decision()
    assert dialog is not None
    return case_id, dialog


def test_an_approval_records_the_ddfa_loan_typed_in_the_decision_dialog(qtbot: QtBot, desk: MainWindow) -> None:
    win = desk
    case_id, dialog = decision_dialog(qtbot, win)
    loan = dialog.widgets["ddfa_loan"]
    caption = next(label for label in dialog.findChildren(QLabel) if label.buddy() is loan)
    assert caption.text().replace("&", "") == LOAN and loan.accessibleName() == LOAN
    assert loan.isEnabled()  # Approved is the first choice
    fill(dialog, outcome="refused")
    assert not loan.isEnabled()  # a loan goes with an approval only
    fill(dialog, outcome="approved", ddfa_loan="£5,000.50", reason="Meets 4.1 (DFG) and 4.2 (DDFA loan)")
    assert loan.isEnabled()
    assert tab_reaches(qtbot, dialog, dialog.widgets["outcome"]) == []
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    decisions = {d["kind"]: d for d in call(win, lambda s: s._store().decisions.for_case(case_id))}
    assert set(decisions) == {"application", "ddfa_loan"}
    assert (decisions["ddfa_loan"]["outcome"], decisions["ddfa_loan"]["amount_pence"]) == ("approved", 500_050)
    assert decisions["application"]["outcome"] == "approved"


def test_a_bad_ddfa_loan_is_named_and_nothing_typed_is_lost(qtbot: QtBot, desk: MainWindow) -> None:
    win = desk
    case_id, dialog = decision_dialog(qtbot, win)
    reasons = "Meets 4.1 (DFG) and 4.2 (DDFA loan)"
    fill(dialog, outcome="approved", decided_on=date(2026, 11, 28), ddfa_loan="5,000.505", reason=reasons)
    submit(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.message.text().startswith(f"{LOAN}: '5,000.505' has a fraction of a penny")
    assert dialog.widgets["ddfa_loan"].hasFocus()
    values = dialog.values()
    assert (values["outcome"], values["decided_on"], values["ddfa_loan"], values["reason"]) == (
        "approved", date(2026, 11, 28), "5,000.505", reasons)
    assert call(win, lambda s: s._store().decisions.for_case(case_id)) == []
    fill(dialog, ddfa_loan="five thousand")
    submit(qtbot, dialog)
    assert dialog.message.text().startswith(f"{LOAN}: 'five thousand' is not an amount of money")
    # a refusal ignores (and keeps) what the disabled loan field holds
    fill(dialog, outcome="refused")
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert [d["kind"] for d in call(win, lambda s: s._store().decisions.for_case(case_id))] == ["application"]
