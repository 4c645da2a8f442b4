"""Casework at the office: two laptops numbering new enquiries offline never end up with the same
reference (the office confirms each, the laptop takes its number back); the office enforces who may
sanction, allocate and close; contacts and stage events are authored by the device's officer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sync_server import Server

from heart_desktop.services import casework
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once

DAY = date(2026, 11, 30)
ENQUIRY = {"received": "2026-11-27", "channel": "telephone",
           "address": {"line1": "12 Mill Road", "town": "Warwick", "postcode": "CV34 4RL"}, "reason": "Stairs"}


def bench_for(store: Store, tmp_path: Path, role: str | None = None) -> Workbench:
    bench = Workbench(tmp_path / "unused")
    bench.store = store
    bench.role = role
    return bench


def enquiry(bench: Workbench, name: str) -> dict:
    return casework.new_enquiry(bench, {**ENQUIRY, "customer": {"name": name, "date_of_birth": "1950-03-14"}},
                                today=DAY)


def test_references_made_offline_on_two_laptops_never_clash(laptop: Callable[..., Store], tmp_path: Path) -> None:
    one, two = laptop("one", "A. Okafor", ("WDC",)), laptop("two", "K. Osei", ("WDC",), role="OT")
    first = enquiry(bench_for(one, tmp_path), "Edna Fairweather")
    second = enquiry(bench_for(two, tmp_path), "Stan Hope")
    assert first["reference"] == second["reference"] == "WDC/26/00001"  # both offline: provisional
    assert not one.cases.reference_confirmed(first["id"])
    sync_once(one)
    assert one.cases.reference_confirmed(first["id"]) and one.cases.get(first["id"])["reference"] == "WDC/26/00001"
    report = sync_once(two)  # the office gives the second its next free number; the laptop takes it
    assert report.refused == []
    assert two.cases.get(second["id"])["reference"] == "WDC/26/00002"
    assert two.cases.get(first["id"])["reference"] == "WDC/26/00001"
    sync_once(one)
    assert {c["reference"] for c in one.cases.page(0, 10)} == {"WDC/26/00001", "WDC/26/00002"}
    # a number made later on either laptop follows the highest it holds
    assert enquiry(bench_for(one, tmp_path), "Ann Other")["reference"] == "WDC/26/00003"


def test_the_office_holds_the_roles_of_the_casework_acts(laptop: Callable[..., Store], tmp_path: Path,
                                                         server: Server) -> None:
    hao = laptop("hao", "A. Okafor", ("WDC",))
    made = enquiry(bench_for(hao, tmp_path), "Edna Fairweather")
    sync_once(hao)
    # an HAO's laptop without a role check (an old build) sends a sanction and an allocation anyway
    hao.cases.update(made["id"], {"priority_reason": "Carer leaves the country next month", "sanctioned_by": "x"})
    hao.cases.update(made["id"], {"allocated_to": "A. Okafor", "assigned_officer": "A. Okafor"})
    report = sync_once(hao)
    reasons = " ".join(r["reason"] for r in report.refused)
    assert "only a manager or team leader may sanction taking a case out of order (policy 9.3)" in reasons
    assert "may allocate or re-allocate a case" in reasons
    leader = laptop("leader", "T. Leader", ("WDC",), role="manager")
    sync_once(leader)
    bench = bench_for(leader, tmp_path, role="manager")
    casework.sanction_out_of_order(bench, made["id"], "Carer leaves the country next month", today=DAY)
    casework.allocate(bench, made["id"], "A. Okafor", "HAO", today=DAY)
    casework.log_contact(bench, made["id"], at=datetime(2026, 11, 30, 9), kind="call", direction="out",
                         who="Edna", summary="Told her the visit is next week", today=DAY)
    assert sync_once(leader).refused == []
    with server.service.db.transaction() as tx:
        authors = {row[0] for row in tx.all("SELECT fields FROM records WHERE entity = 'contact'")}
    assert any('"author":"T. Leader"' in a for a in authors)
    other = laptop("other", "K. Osei", ("WDC",), role="OT")
    sync_once(other)
    case = other.cases.get(made["id"])
    assert (case["priority_reason"], case["sanctioned_by"]) == ("Carer leaves the country next month", "T. Leader")
    assert case["allocated_to"] == "A. Okafor"


def test_allocation_offers_the_office_roster_of_colleagues(laptop: Callable[..., Store], server: Server,
                                                          tmp_path: Path) -> None:
    import httpx

    from heart_desktop.sync.client import roster
    from heart_desktop.sync.protocol import TOKEN_HEADER
    from heart_desktop.sync.protocol.roster import read_roster

    desk = laptop("desk", "D. Desk", ("WDC",), role="admin")
    server.service.add_officer("K. Osei", "OT", ["WDC", "SDC"])
    server.service.add_officer("R. Elsewhere", "HAO", ["NBBC"])  # shares no council with the desk
    bench = bench_for(desk, tmp_path, role="admin")
    assert "K. Osei" not in bench.officers()  # before the first sync: only names the cases hold
    sync_once(desk)
    colleagues = {o["name"]: o for o in roster(desk)}
    assert "K. Osei" in colleagues and "R. Elsewhere" not in colleagues
    assert colleagues["K. Osei"]["role"] == "OT" and colleagues["K. Osei"]["councils"] == ["WDC"]
    assert "K. Osei" in bench.officers() and "R. Elsewhere" not in bench.officers()
    made = enquiry(bench, "Edna Fairweather")
    casework.allocate(bench, made["id"], "K. Osei", "OT", today=DAY)
    # the roster needs a device token, and a roster of the wrong shape is not taken
    assert httpx.get(f"{server.url}/api/v1/roster").status_code == 401
    assert httpx.get(f"{server.url}/api/v1/roster", headers={TOKEN_HEADER: "not-a-token"}).status_code in (401, 403)
    assert read_roster({"officers": [{"name": "", "role": "HAO", "councils": []}]}) is None
    assert read_roster({"officers": [{"name": "X", "role": "HAO", "councils": ["WDC"] * 11}]}) is None
