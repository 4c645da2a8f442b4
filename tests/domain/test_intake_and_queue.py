"""The casework rules in the domain: the process lists as dated data, the order of the queue (9.1 to
9.3), events setting stage dates, what is still to do, and who may allocate, sanction and close."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from heart_desktop.domain import queue
from heart_desktop.domain.casework import StageOrderError, event_dates, still_to_do
from heart_desktop.domain.intake import council_for, enquiry_from_csv_row
from heart_desktop.domain.permissions import acts_of_change, may, refusal
from heart_desktop.domain.process import ProcessFileError, process


def test_the_process_lists_come_from_the_dated_file_with_their_sections() -> None:
    lists = process(date(2026, 11, 30))
    assert lists.effective_from == date(2017, 6, 30)
    assert set(lists.keys("channels")) == {"telephone", "email", "post", "in_person", "social_care", "health",
                                           "other_agency"}
    assert set(lists.keys("allocation_roles")) == {"HAO", "OT", "HIO"} and lists.sections["allocation_roles"] == "5.5"
    assert {k for k, o in lists.outcomes.items() if o.delivered} == {"completed"}  # the rest: KPI 20 drop-outs
    assert set(lists.outcomes) == {"completed", "withdrawn", "not_eligible", "refused", "referred_elsewhere", "died",
                                   "moved_away", "no_contact"}
    assert lists.suspensions["local_funds"].section == "9.1" and "13.1" in lists.suspensions["local_funds"].clock_effect
    assert set(lists.keys("visit_outcomes")) == {"done", "no_access", "cancelled_by_customer"}


def test_a_malformed_process_file_is_refused_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "casework.toml"
    bad.write_text('[[version]]\neffective_from = "2017-06-30"\n[version.channels]\nsection = "5.1"\n')
    with pytest.raises(ProcessFileError, match=r"casework.toml: version\[0\].channels: needs key"):
        process(path=bad)


def test_the_council_comes_from_the_district_or_is_asked() -> None:
    assert council_for("CV34 4RL", None) == ("WDC", ())
    assert council_for("CV35 7AA", "SDC")[0] == "SDC"


def test_a_csv_row_is_read_by_its_dotted_columns() -> None:
    row = enquiry_from_csv_row({"received": "2026-11-30", "customer.name": "Edna Fairweather", "address.line1": "1 A",
                                "urgency": "", "customer.phone": " "})
    assert row == {"received": "2026-11-30", "customer": {"name": "Edna Fairweather"}, "address": {"line1": "1 A"}}


def W(ref: str, day: int, **kw: object) -> queue.Waiting:
    return queue.Waiting(ref, ref, date(2026, 11, day), **kw)  # type: ignore[arg-type]


def test_the_queue_order_of_9_1_to_9_3() -> None:
    cases = [W("late", 20), W("early", 2), W("urgent", 25, urgent=True), W("sanctioned", 22, sanctioned=True),
             W("vulnerable", 15, vulnerable=True), W("suspended", 1, suspended="local_funds")]
    order = [p.case.case_id for p in queue.order(cases)]
    assert order == ["urgent", "sanctioned", "early", "vulnerable", "late", "suspended"]
    short = queue.order(cases, resources_short=True)
    assert [p.case.case_id for p in short] == ["urgent", "sanctioned", "vulnerable", "early", "late", "suspended"]
    assert short[2].why == "a vulnerable group, first while resources are limited (9.2)"
    assert [p.case.case_id for p in queue.ahead_of("late", short)] == ["urgent", "sanctioned", "vulnerable", "early"]
    assert queue.stage_before("allocation") == "enquiry" and queue.stage_before("visit") == "telephone_assessment"
    assert queue.is_specialist(None, ["WaSH"], "HIO", ["WaSH"]) and not queue.is_specialist("HAO", ["WaSH"], "HIO",
                                                                                             ["WaSH"])


def test_an_event_sets_its_stage_once_in_order() -> None:
    dates = {"enquiry": date(2026, 11, 2)}
    after = event_dates(dates, "visit_done", date(2026, 11, 9), today=date(2026, 11, 30))
    assert after == {"enquiry": date(2026, 11, 2), "visit": date(2026, 11, 9)}
    assert event_dates(after, "visit_done", date(2026, 11, 20), today=date(2026, 11, 30)) is None  # the first stays
    with pytest.raises(StageOrderError, match="in the future"):
        event_dates(dates, "visit_done", date(2026, 12, 9), today=date(2026, 11, 30))
    with pytest.raises(StageOrderError, match="cannot be before"):
        event_dates(dates, "visit_done", date(2026, 11, 1), today=date(2026, 11, 30))


def test_still_to_do() -> None:
    assert still_to_do("visit", None, None, ["HHSRS assessment"], 2) == [
        "Next: contractor visit", "Finish the HHSRS assessment", "2 follow-ups due"]
    assert still_to_do("quotation", None, "customer", [], 0)[:2] == ["Suspended: nothing until it resumes",
                                                                     "Sign the application pack"]
    assert still_to_do("enquiry", "withdrawn", None, [], 1) == ["Closed: nothing to do"]


def test_who_may_allocate_sanction_close_and_extend() -> None:
    assert may("admin", "allocate") and may("manager", "allocate") and not may("HAO", "allocate")
    assert may("manager", "sanction_out_of_order") and not may("HAO", "sanction_out_of_order")
    assert may("HAO", "close_case") and not may("admin", "close_case")
    assert may("manager", "extend_completion") and not may("OT", "extend_completion")
    assert acts_of_change("case", {"allocated_to": "A", "priority_reason": "x", "outcome": "withdrawn",
                                   "extension_to": "2027-01-01"}, {}) == [
        "casework", "allocate", "sanction_out_of_order", "close_case", "extend_completion"]
    assert acts_of_change("case", {"channel": "email"}, {"allocated_to": "A"}) == ["casework"]
    assert "only admin staff or a manager or team leader may allocate" in str(
        refusal("HAO", "case", {"allocated_to": "B"}, {"allocated_to": "A"}))
    assert refusal("OT", "case", {"priority_reason": "Carer leaving"}, {}) is not None
