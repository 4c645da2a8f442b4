"""Appeals through the real office on 127.0.0.1: an appeal lodged on one laptop reaches the office and
another laptop with its answers and decisions; a panel decision sent by a role that does not sit on
the panels (an old build without the check) is refused and changes nothing at the office."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sync_server import Server

from heart_desktop.domain.appeals import appeal_rules, check_decision
from heart_desktop.services import appeals, casework
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store
from heart_desktop.store import appeals as appeal_rows
from heart_desktop.sync.client import sync_once

DAY = date(2026, 11, 30)
ENQUIRY = {"received": "2026-11-02", "channel": "telephone", "customer": {"name": "Edna Fairweather",
                                                                          "date_of_birth": "1950-03-14"},
           "address": {"line1": "12 Mill Road", "town": "Warwick", "postcode": "CV34 4RL"}, "reason": "Stairs"}


def bench_for(store: Store, tmp_path: Path, role: str | None) -> Workbench:
    bench = Workbench(tmp_path / "unused")
    bench.store = store
    bench.role = role
    return bench


def office_appeal(server: Server, appeal_id: str) -> dict:
    with server.service.db.transaction() as tx:
        row = tx.one("SELECT fields FROM records WHERE entity = 'appeal' AND id = ?", (appeal_id,))
    assert row is not None
    return json.loads(row[0])


def medical_appeal(bench: Workbench) -> dict:
    """A new enquiry and a special circumstances appeal claiming the medical criterion (12.14)."""
    case = casework.new_enquiry(bench, ENQUIRY, today=DAY)
    made = appeals.lodge(bench, case["id"], "special", "Her arthritis is made worse by the stairs every day",
                         today=DAY, lodged_on=date(2026, 11, 3))
    appeals.answer(bench, made["id"], "medical_condition", "GP letter: the stairs aggravate the arthritis", today=DAY)
    return made


def test_an_appeal_reaches_the_office_and_another_laptop_and_only_panels_decide(
        laptop: Callable[..., Store], tmp_path: Path, server: Server) -> None:
    hao = laptop("hao", "A. Okafor", ("WDC",))
    bench = bench_for(hao, tmp_path, "HAO")
    case = casework.new_enquiry(bench, ENQUIRY, today=DAY)
    made = appeals.lodge(bench, case["id"], "technical", "The stairs hazard was rated too low for her falls",
                         today=DAY, appellant="Edna Fairweather")
    appeals.answer(bench, made["id"], "hhsrs_hazards", "Two falls on the stairs since the visit (GP letter)",
                   today=DAY)
    assert sync_once(hao).refused == []
    stored = office_appeal(server, made["id"])
    assert stored["kind"] == "technical" and stored["lodged_by"] == "A. Okafor"
    assert stored["answers"]["hhsrs_hazards"]["claimed"] is True

    # an old build on the HAO's laptop records a panel decision anyway: the office refuses it
    row = appeal_rows.get(hao, made["id"])
    entry = check_decision(appeal_rules(DAY), row, "supervisors", "granted", "Granted by someone not on the panel",
                           DAY, DAY)
    appeal_rows.record_step(hao, made["id"], "decide", {"decisions": [entry], "stage": "granted"})
    report = sync_once(hao)
    reasons = " ".join(r["reason"] for r in report.refused)
    assert "only a manager or team leader may record a decision of the Supervisors Panel (policy 12.3, 12.11)" \
        in reasons
    assert office_appeal(server, made["id"])["decisions"] == []

    # a manager (who sits on the panels) decides; the decision reaches an OT's laptop
    leader = laptop("leader", "T. Leader", ("WDC",), role="manager")
    sync_once(leader)
    assert appeal_rows.get(leader, made["id"])["decisions"] == []
    appeals.decide(bench_for(leader, tmp_path, "manager"), made["id"], "supervisors", "refused",
                   "The rating stands: the falls were not on the stairs", today=DAY)
    assert sync_once(leader).refused == []
    other = laptop("other", "K. Osei", ("WDC",), role="OT")
    sync_once(other)
    (seen,) = appeal_rows.for_case(other, case["id"])
    assert seen["stage"] == "supervisors_refused" and seen["answers"]["hhsrs_hazards"]["claimed"]
    (decision,) = seen["decisions"]
    assert (decision["panel"], decision["decision"], decision["decided_by"]) == ("supervisors", "refused",
                                                                               "T. Leader")


def test_a_hostile_appeal_row_is_refused_naming_the_field(laptop: Callable[..., Store], tmp_path: Path,
                                                          server: Server) -> None:
    hao = laptop("hao", "A. Okafor", ("WDC",))
    case = casework.new_enquiry(bench_for(hao, tmp_path, "HAO"), ENQUIRY, today=DAY)
    appeal_id = appeal_rows.lodge(hao, case["id"], {"kind": "special", "lodged_on": DAY, "grounds": "x" * 20,
                                                    "answers": {}, "decisions": [], "stage": "lodged"})
    hao.appeals.update(appeal_id, {"escalation": {"escalated_on": "2026-11-30", "hearing": "a party"}})
    report = sync_once(hao)
    (refusal,) = [r for r in report.refused if r["entity"] == "appeal"]
    assert "'escalation'" in refusal["reason"] or "hearing" in refusal["reason"]


def test_the_office_refuses_a_reopening_by_a_role_that_may_not(laptop: Callable[..., Store], tmp_path: Path,
                                                               server: Server) -> None:
    admin = laptop("admin", "D. Desk", ("WDC",), role="admin")
    case = casework.new_enquiry(bench_for(admin, tmp_path, "admin"), ENQUIRY, today=DAY)
    admin.cases.update(case["id"], {"outcome": "withdrawn", "outcome_on": DAY, "outcome_reason": "Withdrawn"})
    sync_once(admin)  # admin may not close a case either: refused, the office's case stays open
    leader = laptop("leader", "T. Leader", ("WDC",), role="manager")
    sync_once(leader)
    casework.close_case(bench_for(leader, tmp_path, "manager"), case["id"], "withdrawn", DAY, "Withdrawn by phone",
                        today=DAY)
    assert sync_once(leader).refused == []
    sync_once(admin)
    assert admin.cases.get(case["id"])["outcome"] == "withdrawn"
    admin.cases.update(case["id"], {"outcome": None, "outcome_on": None, "outcome_reason": None})  # an old build
    reasons = " ".join(r["reason"] for r in sync_once(admin).refused)
    assert "may reopen a closed case (policy 13.1, 12.19)" in reasons
    with server.service.db.transaction() as tx:
        (fields,) = tx.one("SELECT fields FROM records WHERE entity = 'case' AND id = ?", (case["id"],))
    assert json.loads(fields)["outcome"] == "withdrawn"


def test_medical_advice_reaches_the_office_and_a_hostile_one_is_refused(laptop: Callable[..., Store],
                                                                        tmp_path: Path, server: Server) -> None:
    hao = laptop("hao", "A. Okafor", ("WDC",))
    bench = bench_for(hao, tmp_path, "HAO")
    made = medical_appeal(bench)
    appeals.advice(bench, made["id"], today=DAY, requested_on=date(2026, 11, 10),
                   source="independent occupational health adviser", received_on=date(2026, 11, 20),
                   summary="The stairs aggravate the condition; a stairlift would significantly help", cost="180")
    assert sync_once(hao).refused == []
    advice = office_appeal(server, made["id"])["answers"]["medical_condition"]["advice"]
    assert advice == {"requested_on": "2026-11-10", "source": "independent occupational health adviser",
                      "received_on": "2026-11-20", "cost": "180.00",
                      "summary": "The stairs aggravate the condition; a stairlift would significantly help"}
    other = laptop("other", "K. Osei", ("WDC",), role="OT")
    sync_once(other)
    assert appeals.view(bench_for(other, tmp_path, "OT"), made["id"])["medical_advice"]["cost"] == "180.00"
    # an old build writes an advice the model refuses (an unknown field, a cost that is not money)
    answers = appeal_rows.get(hao, made["id"])["answers"]
    answers["medical_condition"]["advice"] = {**advice, "cost": "lots", "doctor": "a name"}
    hao.appeals.update(made["id"], {"answers": answers})
    (refusal,) = [r for r in sync_once(hao).refused if r["entity"] == "appeal"]
    assert "field 'answers'" in refusal["reason"]
    assert office_appeal(server, made["id"])["answers"]["medical_condition"]["advice"]["cost"] == "180.00"


def test_a_panel_decision_in_another_officers_name_is_refused_and_nothing_is_stored(
        laptop: Callable[..., Store], tmp_path: Path, server: Server) -> None:
    """The office checks a panel decision's ``decided_by`` against the officer of the device that
    sends it, not only the device's role: a manager cannot record a colleague's decision (12.3)."""
    from hostile import Device, change

    hao = laptop("hao", "A. Okafor", ("WDC",))
    case = casework.new_enquiry(bench_for(hao, tmp_path, "HAO"), ENQUIRY, today=DAY)
    made = appeals.lodge(bench_for(hao, tmp_path, "HAO"), case["id"], "technical",
                         "The stairs hazard was rated too low for her falls", today=DAY, appellant="Edna Fairweather")
    appeals.answer(bench_for(hao, tmp_path, "HAO"), made["id"], "hhsrs_hazards",
                   "Two falls on the stairs since the visit (GP letter)", today=DAY)
    assert sync_once(hao).refused == []

    def held() -> tuple[int, str, int]:
        with server.service.db.transaction() as tx:
            rev, fields = tx.one("SELECT rev, fields FROM records WHERE entity = 'appeal' AND id = ?", (made["id"],))
            feed = tx.one("SELECT count(*) FROM feed WHERE entity = 'appeal' AND id = ?", (made["id"],))[0]
        return int(rev), str(fields), int(feed)

    before = held()
    leader = laptop("leader", "T. Leader", ("WDC",), role="manager")
    sync_once(leader)
    row = appeal_rows.get(leader, made["id"])
    for named in ("S. Senior", ""):  # a colleague's name, and none
        entry = check_decision(appeal_rules(DAY), row, "supervisors", "refused",
                               "The rating stands: the falls were not on the stairs", DAY, DAY, decided_by=named)
        appeal_rows.record_step(leader, made["id"], "decide", {"decisions": [entry], "stage": "supervisors_refused"})
        report = sync_once(leader)
        (refused,) = [r for r in report.refused if r["entity"] == "appeal"]
        words = f"in the name of {named}" if named else "in no one's name"
        assert refused["reason"] == (f"appeal {made['id']}: a panel decision can only be recorded in the name of the "
                                     f"officer who sends it (T. Leader); this one is {words} (policy 12.3)")
        assert held() == before

    # a device speaking the protocol by hand: the same refusal, nothing stored
    hand = Device(server, "K. Boss", ("WDC",), role="manager")
    fields = {"decisions": [dict(entry, decided_by="T. Leader")], "stage": "supervisors_refused"}
    answer = hand.push(change("appeal", fields, made["id"], op="update", base_rev=before[0]))
    assert answer["accepted"] == 0
    assert ["in the name of T. Leader" in r["reason"] for r in answer["refused"]] == [True]
    assert held() == before

    # the same decision in the sending officer's own name is taken
    boss = laptop("boss", "K. Boss", ("WDC",), role="manager")
    sync_once(boss)
    appeals.decide(bench_for(boss, tmp_path, "manager"), made["id"], "supervisors", "refused",
                   "The rating stands: the falls were not on the stairs", today=DAY)
    assert sync_once(boss).refused == []
    (decision,) = office_appeal(server, made["id"])["decisions"]
    assert decision["decided_by"] == "K. Boss"
