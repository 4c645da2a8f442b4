"""Casework from the first call to the closed case, through the use cases the app and the verbs
share (``services.casework``), on a real store: intake with its checks, a batch of referrals (all
or none), editable details, allocation in queue order, the 9.3 sanction, the diary, the contact
log, stage dates from events with who set them, outcomes, suspension and the clocks. The day is
always given, never read from the computer."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from heart_desktop.domain.casework import StageOrderError
from heart_desktop.domain.intake import IntakeError
from heart_desktop.domain.permissions import NotPermitted
from heart_desktop.services import casework
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store

DAY = date(2026, 11, 30)
EDNA: dict[str, Any] = {
    "received": "2026-11-30", "channel": "telephone",
    "customer": {"name": "Edna Fairweather", "date_of_birth": "1950-03-14", "phone": "01926 410410"},
    "address": {"line1": "12 Mill Road", "town": "Warwick", "postcode": "cv34 4rl"},
    "reason": "I can't get up the stairs any more.",
}


@pytest.fixture
def bench(store: Store, tmp_path: Path) -> Workbench:
    bench = Workbench(tmp_path / "unused.heartdb")
    bench.store = store
    return bench


def enquiry(**changes: Any) -> dict[str, Any]:
    data = {**EDNA, **{k: v for k, v in changes.items() if "." not in k}}
    for key, value in changes.items():
        if "." in key:
            head, tail = key.split(".", 1)
            data[head] = {**data.get(head, {}), tail: value}
    return data


def test_an_enquiry_is_recorded_as_the_duty_desk_takes_it(bench: Workbench, store: Store) -> None:
    made = casework.new_enquiry(bench, enquiry(referrer="Self", advocate="Daughter, Jo, 07700 900123",
                                               contact_preference="advocate", urgency=["hospital_discharge"],
                                               vulnerable=True, household=[{"name": "Fred Fairweather",
                                                                            "date_of_birth": "1948-01-02",
                                                                            "relationship": "husband",
                                                                            "disabled": True}]), today=DAY)
    assert made["reference"] == "WDC/26/00001" and made["council"] == "WDC" and made["stage"] == "enquiry"
    case = store.cases.get(made["id"])
    assert case["enquiry_on"] == DAY and case["channel"] == "telephone" and case["contact_preference"] == "advocate"
    assert case["priority_flags"] == ["hospital_discharge", "vulnerable"] and not case["urgent"]
    assert case["address"] == "12 Mill Road, Warwick" and case["postcode"] == "CV34 4RL"
    people = store.people.for_case(made["id"])
    assert [(p["given_name"], p["is_applicant"], p["is_disabled_person"]) for p in people] == [
        ("Edna", True, False), ("Fred", False, True)]
    contact = store.contacts.for_case(made["id"])[0]
    assert (contact["kind"], contact["direction"], contact["author"]) == ("call", "in", store.officer)
    event = store.stage_events.for_case(made["id"])[0]
    assert (event["stage"], event["stage_on"], event["set_by"]) == ("enquiry", DAY, store.officer)
    again = casework.new_enquiry(bench, enquiry(**{"customer.name": "Ann Other", "customer.date_of_birth":
                                                   "1960-01-01"}), today=DAY)
    assert again["reference"] == "WDC/26/00002"


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"received": "2026-12-01"}, "received", "in the future"),
    ({"received": "30/13/2026"}, "received", "is not a date"),
    ({"channel": "pigeon"}, "channel", "not a channel"),
    ({"channel": "health"}, "referrer", "who referred"),
    ({"customer.name": "Edna"}, "customer.name", "one word"),
    ({"customer.name": ""}, "customer.name", "required"),
    ({"customer.date_of_birth": "2030-01-01"}, "customer.date_of_birth", "in the future"),
    ({"customer.date_of_birth": "1850-01-01"}, "customer.date_of_birth", "over 125"),
    ({"customer.phone": "12345"}, "customer.phone", "UK phone number"),
    ({"customer.email": "edna-at-home"}, "customer.email", "email address"),
    ({"customer.ni_number": "QQ 12 34 56 A"}, "customer.ni_number", "National Insurance number"),
    ({"household": [{"name": "Fred Fairweather", "date_of_birth": "soon"}]}, "household[0].date_of_birth",
     "not a date"),
    ({"address.line1": ""}, "address.line1", "required"),
    ({"address.postcode": "CV34"}, "address.postcode", "not a UK postcode"),
    ({"address.postcode": "B1 1AA"}, "address.postcode", "outside Warwickshire"),
    ({"address.postcode": "CV33 9AA"}, "council", "lies in WDC and SDC"),
    ({"address.postcode": "CV21 2RR", "council": "WDC"}, "council", "does not cover CV21"),
    ({"reason": " "}, "reason", "customer's words"),
    ({"contact_preference": "email"}, "customer.email", "prefers email"),
    ({"contact_preference": "advocate"}, "advocate", "advocate or carer"),
    ({"contact_preference": "smoke"}, "contact_preference", "is not one of"),
    ({"urgency": ["bored"]}, "urgency", "policy 9.1"),
    ({"vulnerable": "perhaps"}, "vulnerable", "yes or no"),
    ({"colour": "red"}, "colour", "not a field"),
])
def test_every_field_is_checked_and_named(bench: Workbench, store: Store, changes: dict[str, Any], field: str,
                                          words: str) -> None:
    with pytest.raises(IntakeError) as caught:
        casework.new_enquiry(bench, enquiry(**changes), today=DAY)
    assert caught.value.field == field and words in caught.value.message, caught.value
    assert store.cases.count() == 0


def test_a_district_in_two_councils_is_asked_and_a_partial_one_is_noted(bench: Workbench) -> None:
    made = casework.new_enquiry(bench, enquiry(**{"address.postcode": "CV33 9AA"}, council="SDC"), today=DAY)
    assert made["council"] == "SDC" and made["reference"].startswith("SDC/26/")
    kenilworth = casework.new_enquiry(bench, enquiry(**{"address.postcode": "CV8 1AA", "customer.name": "Al Kay"}),
                                      today=DAY)
    assert kenilworth["council"] == "WDC" and "partly outside Warwickshire" in kenilworth["notes"][0]


def test_a_likely_duplicate_names_the_case_on_file_unless_forced(bench: Workbench, store: Store) -> None:
    first = casework.new_enquiry(bench, enquiry(), today=DAY)
    same = enquiry(**{"customer.name": "edna FAIRWEATHER", "address.postcode": "CV344RL"})
    with pytest.raises(casework.LikelyDuplicate) as caught:
        casework.new_enquiry(bench, same, today=DAY)
    assert first["reference"] in str(caught.value) and caught.value.cases[0]["id"] == first["id"]
    forced = casework.new_enquiry(bench, same, today=DAY, force=True)
    assert forced["duplicates"] == [first["reference"]] and store.cases.count() == 2


CSV_HEADER = "received,channel,referrer,customer.name,customer.date_of_birth,customer.phone,address.line1," \
             "address.town,address.postcode,reason,urgency\n"


def test_a_batch_of_referrals_imports_all_or_none(bench: Workbench, store: Store) -> None:
    good = (CSV_HEADER + "2026-11-20,health,Warwick Hospital OT,Alan Brown,02/02/1944,07700 900123,3 High Street,"
            "Rugby,CV21 2RR,Bath too high,hospital_discharge\n"
            '2026-11-21,telephone,,Ann Green,01/12/1950,,"4 High Street, Flat 2",Rugby,CV21 2RR,"Stairs, and the '
            'garden step",\n')
    bad = good + "2026-11-22,telephone,,Bob White,1950-01-01,,5 High Street,Rugby,B1 1AA,Steps,\n"
    with pytest.raises(casework.ImportRefused) as caught:
        casework.import_referrals(bench, bad, today=DAY)
    assert caught.value.line == 4 and caught.value.field == "address.postcode"
    assert str(caught.value).startswith("line 4: field address.postcode: B1 1AA is outside Warwickshire")
    assert store.cases.count() == 0  # nothing imported
    made = casework.import_referrals(bench, good, today=DAY)
    assert [(m["line"], m["reference"]) for m in made] == [(2, "RBC/26/00001"), (3, "RBC/26/00002")]
    assert store.cases.get(made[0]["id"])["priority_flags"] == ["hospital_discharge"]
    with pytest.raises(casework.ImportRefused, match=r"line 2: field customer.name: likely duplicate of RBC/26/00001"):
        casework.import_referrals(bench, good, today=DAY)
    twice = CSV_HEADER + "\n".join([good.splitlines()[1]] * 2) + "\n"
    with pytest.raises(casework.ImportRefused, match=r"line 3: field customer.name: the same person as line 2"):
        casework.import_referrals(bench, twice.replace("Alan Brown", "Alan Black"), today=DAY)
    with pytest.raises(casework.ImportRefused, match="line 1: field colour: is not a column"):
        casework.import_referrals(bench, "colour\nred\n", today=DAY)
    with pytest.raises(casework.ImportRefused, match="line 1: field received: the header needs this column"):
        casework.import_referrals(bench, "channel\ntelephone\n", today=DAY)
    assert store.cases.count() == 2


def test_details_are_edited_checked_and_journalled(bench: Workbench, store: Store) -> None:
    made = casework.new_enquiry(bench, enquiry(), today=DAY)
    data = casework.details_data(store.cases.detail(made["id"], audit=False))
    data["customer"]["email"] = "edna@example.org"
    data["customer"]["ni_number"] = "ab123456c"
    data["household"] = [{"name": "Fred Fairweather", "date_of_birth": "1948-01-02", "relationship": "husband"}]
    data["property"] = {"tenure": "owner", "years_owned": "31", "bedrooms": "3"}
    with pytest.raises(IntakeError) as caught:
        casework.save_details(bench, made["id"], {**data, "property": {"tenure": "owner", "bedrooms": "lots"}},
                              today=DAY)
    assert caught.value.field == "property.bedrooms"
    with pytest.raises(IntakeError) as caught:
        casework.save_details(bench, made["id"], {**data, "customer": {**data["customer"], "phone": "999"}},
                              today=DAY)
    assert caught.value.field == "customer.phone"
    before = store.journal.count()
    casework.save_details(bench, made["id"], data, today=DAY)
    applicant = store.people.applicant(made["id"])
    assert applicant["email"] == "edna@example.org" and applicant["ni_number"] == "AB 12 34 56 C"
    prop = store.properties.for_case_one(made["id"])
    assert (prop["tenure"], prop["years_owned"], prop["bedrooms"]) == ("owner", 31.0, 3)
    assert store.journal.count() > before
    casework.save_details(bench, made["id"], casework.details_data(store.cases.detail(made["id"], audit=False)),
                          today=DAY)
    # the application form starts from the case: nothing asked again
    from heart_desktop.store.case_facts import starting_answers

    answers = starting_answers(store.cases.detail(made["id"], audit=False), "application_details")
    assert answers["applicant_name"] == "Edna Fairweather" and answers["postcode"] == "CV34 4RL"
    assert answers["applicant_ni_number"] == "AB 12 34 56 C" and answers["email"] == "edna@example.org"
    assert answers["household"] == [{"name": "Fred Fairweather", "date_of_birth": "1948-01-02",
                                     "relationship": "partner"}]
    assert answers["tenure"] == "owner" and answers["address"] == "12 Mill Road\nWarwick"


def _enquiries(bench: Workbench, *days: int, **extra: Any) -> list[str]:
    return [casework.new_enquiry(bench, enquiry(**{"received": f"2026-11-{d:02d}", "customer.name": f"Pat No{d}"},
                                                **extra), today=DAY)["id"] for d in days]


def test_the_queue_keeps_its_order_and_a_sanction_takes_one_out_of_it(bench: Workbench, store: Store) -> None:
    first, second, third = _enquiries(bench, 3, 10, 20)
    listed = casework.waiting_list(bench, "allocation", today=DAY)
    assert [r["id"] for r in listed] == [first, second, third] and listed[2]["waiting_days"] == 10
    with pytest.raises(casework.OutOfOrder, match=r"2 cases wait ahead of this one .*policy 9.3"):
        casework.allocate(bench, third, "A. Okafor", "HAO", today=DAY)
    bench.role = "HAO"
    with pytest.raises(NotPermitted, match="only a manager or team leader may sanction"):
        casework.sanction_out_of_order(bench, third, "The carer leaves the country next month.", today=DAY)
    bench.role = "manager"
    with pytest.raises(casework.CaseworkError, match="at least 15"):
        casework.sanction_out_of_order(bench, third, "urgent", today=DAY)
    casework.sanction_out_of_order(bench, third, "The carer leaves the country next month.", today=DAY)
    case = store.cases.get(third)
    assert case["priority_reason"] == "The carer leaves the country next month." and case["sanctioned_by"] == \
        store.officer
    assert casework.case_header(bench, third, today=DAY)["sanction"].startswith("Taken out of order, sanctioned by")
    assert [r["id"] for r in casework.waiting_list(bench, "allocation", today=DAY)] == [third, first, second]
    casework.allocate(bench, third, "A. Okafor", "HAO", today=DAY)
    with pytest.raises(casework.CaseworkError, match="say why the case is re-allocated"):
        casework.allocate(bench, third, "K. Osei", "OT", today=DAY)
    casework.allocate(bench, third, "K. Osei", "OT", today=DAY, reason="Needs an OT assessment first")
    assert (store.cases.get(third)["allocated_to"], store.cases.get(third)["allocated_role"]) == ("K. Osei", "OT")
    assert any("Re-allocated from A. Okafor to K. Osei" in n["body"] for n in store.notes.for_case(third))
    bench.role = "OT"
    with pytest.raises(NotPermitted, match="only admin staff or a manager or team leader may allocate"):
        casework.allocate(bench, first, "A. Okafor", "HAO", today=DAY)


def test_booking_the_assessment_visit_takes_the_cases_in_queue_order(bench: Workbench, store: Store) -> None:
    first, second, third = _enquiries(bench, 3, 10, 20)
    for case_id in (first, second, third):
        casework.allocate(bench, case_id, store.officer, "HAO", today=DAY)
        casework.record_event(bench, case_id, "telephone_assessment_done", date(2026, 11, 25), today=DAY)
    assert casework.place_in_queue(bench, third, today=DAY)["queue"] == "visit"
    at = datetime(2026, 12, 3, 10)
    with pytest.raises(casework.OutOfOrder, match=r"2 cases wait ahead of this one \(next: "):
        casework.book_visit(bench, third, at, "assessment", today=DAY)
    casework.book_visit(bench, third, at, "contractor", today=DAY)  # not the visit the queue waits for
    casework.book_visit(bench, first, at, "assessment", today=DAY)  # taken: no longer ahead
    with pytest.raises(casework.OutOfOrder, match="1 case waits ahead"):
        casework.book_visit(bench, third, at, "ot", today=DAY)
    casework.book_visit(bench, second, at, "ot", today=DAY)
    casework.book_visit(bench, third, at, "assessment", today=DAY)
    assert [v["kind"] for v in store.visits.for_case(third)] == ["contractor", "assessment"]


def test_urgent_vulnerable_and_specialist_cases_keep_their_own_order(bench: Workbench, store: Store) -> None:
    a, b, c = _enquiries(bench, 1, 2, 3)
    (wash,) = _enquiries(bench, 4, assistance=["WaSH"])
    vulnerable = casework.new_enquiry(bench, enquiry(**{"received": "2026-11-05", "customer.name": "Vi Ulner"},
                                                     vulnerable=True), today=DAY)["id"]
    store.cases.update(c, {"urgent": True, "urgent_reason": "Hospital discharge, agreed by S. Hartley"})
    order = [r["id"] for r in casework.waiting_list(bench, "allocation", today=DAY)]
    assert order == [c, a, b, vulnerable]
    short = [r["id"] for r in casework.waiting_list(bench, "allocation", today=DAY, resources_short=True)]
    assert short == [c, vulnerable, a, b]
    assert [r["id"] for r in casework.waiting_list(bench, "allocation", today=DAY, team="specialist")] == [wash]
    casework.suspend(bench, a, "local_funds", "The area's DFG budget is committed", today=DAY)
    assert [r["id"] for r in casework.waiting_list(bench, "allocation", today=DAY)][-1] == a
    with pytest.raises(casework.OutOfOrder, match="1 case waits ahead"):  # the urgent c comes first
        casework.allocate(bench, b, "A. Okafor", "HAO", today=DAY)
    casework.allocate(bench, c, "A. Okafor", "HAO", today=DAY)
    casework.allocate(bench, b, "A. Okafor", "HAO", today=DAY)  # a waits, suspended: b is next
    assert store.cases.get(b)["allocated_to"] == "A. Okafor"


def test_the_diary_contacts_and_events_set_the_stage_dates_with_who_set_them(bench: Workbench,
                                                                            store: Store) -> None:
    (case_id,) = _enquiries(bench, 2)
    casework.allocate(bench, case_id, store.officer, "HAO", today=DAY)
    with pytest.raises(casework.CaseworkError, match=r"scheduled_for: .* is in the past"):
        casework.book_visit(bench, case_id, datetime(2026, 11, 29, 10), "assessment", today=DAY)
    with pytest.raises(casework.CaseworkError, match="kind: 'tea'"):
        casework.book_visit(bench, case_id, datetime(2026, 12, 3, 10), "tea", today=DAY)
    visit = casework.book_visit(bench, case_id, datetime(2026, 12, 3, 10), "assessment", today=DAY)
    with pytest.raises(casework.CaseworkError, match="say why the visit is moved"):
        casework.move_visit(bench, visit, datetime(2026, 12, 4, 14), " ", today=DAY)
    casework.move_visit(bench, visit, datetime(2026, 12, 4, 14), "Customer at hospital on the 3rd", today=DAY)
    moved = store.visits.get(visit)
    assert moved["scheduled_for"] == "2026-12-04T14:00" and moved["moved_reason"] == "Customer at hospital on the 3rd"
    with pytest.raises(casework.CaseworkError, match="its outcome is known on the day"):
        casework.visit_outcome(bench, visit, "done", today=DAY)
    with pytest.raises(casework.CaseworkError, match="summary: say what was said"):
        casework.log_contact(bench, case_id, at=datetime(2026, 11, 30, 9), kind="call", direction="out", who="Edna",
                             summary="", today=DAY)
    with pytest.raises(casework.CaseworkError, match=r"at: .* is in the future"):
        casework.log_contact(bench, case_id, at=datetime(2026, 12, 1, 9), kind="call", direction="out", who="Edna",
                             summary="Called", today=DAY)
    with pytest.raises(casework.CaseworkError, match=r"follow_up_on: .* before the contact"):
        casework.log_contact(bench, case_id, at=datetime(2026, 11, 30, 9), kind="call", direction="out", who="Edna",
                             summary="Called", today=DAY, follow_up_on=date(2026, 11, 1))
    casework.log_contact(bench, case_id, at=datetime(2026, 11, 30, 9, 5), kind="call", direction="out", who="Edna",
                         summary="Telephone assessment: stairs and bathing", today=DAY, follow_up_on=DAY,
                         telephone_assessment=True)
    assert store.stages.get(case_id)["telephone_assessment"] == DAY
    view = casework.today_view(bench, DAY)
    assert [f["summary"] for f in view["follow_ups"]] == ["Telephone assessment: stairs and bathing"]
    later = date(2026, 12, 4)
    view = casework.today_view(bench, later)
    assert [v["id"] for v in view["visits"]] == [visit]
    assert view["visits"][0]["address"] == "12 Mill Road, Warwick" and view["visits"][0]["phone"] == "01926 410410"
    assert view["visits"][0]["to_do"][0] == "Next: face-to-face assessment"
    casework.visit_outcome(bench, visit, "done", today=later, note="Stairlift and shower needed")
    assert store.stages.get(case_id)["visit"] == later and store.cases.get(case_id)["stage"] == "visit"
    with pytest.raises(StageOrderError, match="cannot be before"):
        casework.record_event(bench, case_id, "quotation_received", date(2026, 11, 1), today=later)
    casework.record_event(bench, case_id, "quotation_received", later, today=later)
    with pytest.raises(casework.CaseworkError, match="say why the date is corrected"):
        casework.correct_stage(bench, case_id, "visit", date(2026, 12, 3), "", today=later)
    casework.correct_stage(bench, case_id, "visit", date(2026, 12, 3), "Visit was on the 3rd after all",
                           today=later)
    rows = {r["stage"]: r for r in casework.timeline(bench, case_id)}
    assert rows["visit"]["on"] == date(2026, 12, 3) and rows["visit"]["event"] == "corrected"
    assert rows["visit"]["reason"] == "Visit was on the 3rd after all" and rows["visit"]["set_by"] == store.officer
    assert rows["quotation"]["event"] == "quotation_received"
    assert casework.today_view(bench, later)["visits"] == []  # done: no longer on the day's list


def test_outcomes_the_clocks_and_suspension(bench: Workbench, store: Store) -> None:
    case_id, other = _enquiries(bench, 2, 3)
    with pytest.raises(casework.CaseworkError, match="outcome: a case closes as completed once the works"):
        casework.close_case(bench, case_id, "completed", DAY, "Done", today=DAY)
    with pytest.raises(casework.CaseworkError, match="reason: say why"):
        casework.close_case(bench, case_id, "withdrawn", DAY, "", today=DAY)
    with pytest.raises(casework.CaseworkError, match=r"outcome_on: .* is before the case's latest stage date"):
        casework.close_case(bench, case_id, "withdrawn", date(2026, 11, 1), "Changed mind", today=DAY)
    effect = casework.suspend(bench, other, "customer", "Customer in hospital until January", today=DAY)
    assert "13.2" in effect and store.cases.get(other)["suspended"] == "customer"
    assert casework.case_header(bench, other, today=DAY)["suspended"].startswith(
        "Suspended: pending the customer since 30/11/2026")
    casework.resume(bench, other, today=DAY)
    assert store.cases.get(other)["suspended"] is None
    closed = casework.close_case(bench, case_id, "withdrawn", DAY, "Customer arranged the works privately",
                                 today=DAY)
    assert (closed["outcome"], closed["outcome_on"]) == ("withdrawn", DAY)
    header = casework.case_header(bench, case_id, today=DAY)
    assert header["drop_out"] and header["outcome"].startswith("Closed on 30/11/2026: Withdrawn by the customer")
    with pytest.raises(casework.CaseworkError, match="already closed"):
        casework.close_case(bench, case_id, "died", DAY, "x", today=DAY)
    # a refusal determines the application: the 6-month clock stops (13.1); an extension moves 12 months (13.2)
    store.stages.set_many(other, {"application": date(2026, 11, 10)}, today=DAY)
    casework.decide_application(bench, other, "refused", DAY, "Not necessary and appropriate (4.1.6)", today=DAY)
    detail = store.cases.detail(other, audit=False)
    (determine,) = casework.clocks(detail)
    assert determine.stopped == DAY and determine.state(DAY, 30) == "met"
    assert detail["case"]["outcome"] == "refused"
    (third,) = _enquiries(bench, 4)
    store.stages.set_many(third, {"application": date(2026, 11, 10), "approval": date(2026, 11, 20)}, today=DAY)
    with pytest.raises(casework.CaseworkError, match="is not after the present completion date"):
        casework.extend_completion(bench, third, date(2027, 11, 1), "Contractor changed", today=DAY)
    casework.extend_completion(bench, third, date(2028, 2, 1), "Customer in hospital; works deferred", today=DAY)
    complete = next(c for c in casework.clocks(store.cases.detail(third, audit=False)) if c.key == "complete")
    assert complete.due == date(2028, 2, 1) and "extended to 01/02/2028" in complete.label
    bench.role = "HAO"
    with pytest.raises(NotPermitted, match="extend the time to complete the works"):
        casework.extend_completion(bench, third, date(2027, 6, 1), "again", today=DAY)


def test_the_cases_verb_lists_stage_dates_outcome_allocation_and_sanction(bench: Workbench, store: Store) -> None:
    (case_id,) = _enquiries(bench, 2)
    bench.role = "manager"
    casework.sanction_out_of_order(bench, case_id, "Fire service referral: the exit is blocked.", today=DAY)
    casework.allocate(bench, case_id, "A. Okafor", "HAO", today=DAY)
    listed = casework.case_json(store, store.cases.page(0, 10, sort="reference"))
    assert listed[0]["stage_dates"] == {"enquiry": "2026-11-02"} and listed[0]["outcome"] is None
    assert listed[0]["allocated_to"] == "A. Okafor" and listed[0]["urgent"] is False
    assert listed[0]["priority_reason"] == "Fire service referral: the exit is blocked."
