"""Sync with the real server on 127.0.0.1, over SQLite and PostgreSQL: laptops converge, different
fields merge, the same field becomes a conflict, pushes are idempotent, scope and revocation hold."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sync_cases import new_case

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import DeviceRevoked, SyncError, sync_once, sync_status
from heart_desktop.sync.protocol import TOKEN_HEADER


def test_offline_work_on_two_laptops_converges(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    first = new_case(a, family="Fairweather")
    second = new_case(b, family="Okonjo")
    assert sync_once(a).pushed == 3
    report = sync_once(b)
    assert report.pushed == 3 and report.pulled >= 3
    sync_once(a)
    for store in (a, b):
        assert {c["id"] for c in store.cases.page(0, 10)} == {first, second}
        assert store.cases.search("okonjo")[0]["id"] == second
    assert sync_status(a).waiting == 0 and sync_status(a).last_error is None


def test_different_fields_merge_and_the_same_field_conflicts(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    case_id = new_case(a)
    sync_once(a)
    sync_once(b)
    a.cases.update(case_id, {"urgent_reason": "Hospital discharge", "assigned_officer": "C. Marsh"})
    b.cases.update(case_id, {"assigned_officer": "B. Lindqvist", "assistance_types": ["DFG"]})
    sync_once(a)
    report = sync_once(b)
    assert [(c["field"], c["kept"], c["offered"]) for c in report.conflicts] == [
        ("assigned_officer", "C. Marsh", "B. Lindqvist")]
    sync_once(a)
    for store in (a, b):
        case = store.cases.get(case_id)
        assert case["urgent_reason"] == "Hospital discharge" and case["assistance_types"] == ["DFG"]
        assert case["assigned_officer"] == "C. Marsh"  # the server's value is kept


def test_a_replayed_batch_is_answered_again_and_applied_once(laptop: Callable[..., Store], server) -> None:
    a = laptop("a")
    new_case(a)
    sync_once(a)
    state = read_state(a)
    token = state["token"]
    body = {"key": "replayed-key", "device_seq": int(state["device_seq"]) + 1, "changes": []}
    first = httpx.post(f"{server.url}/api/v1/push", json=body, headers={TOKEN_HEADER: token})
    again = httpx.post(f"{server.url}/api/v1/push", json=body, headers={TOKEN_HEADER: token})
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    other = httpx.post(f"{server.url}/api/v1/push", json={**body, "changes": [{"entity": "note"}]},
                       headers={TOKEN_HEADER: token})
    assert other.status_code == 409 and other.json()["error"] == "key_reused"
    gap = httpx.post(f"{server.url}/api/v1/push", json={**body, "key": "k2", "device_seq": body["device_seq"] + 5},
                     headers={TOKEN_HEADER: token})
    assert gap.status_code == 409 and gap.json()["error"] == "sequence_gap"


def test_an_officer_sees_and_writes_only_their_councils(laptop: Callable[..., Store]) -> None:
    south, north = laptop("south", "S. Officer", ("WDC",)), laptop("north", "N. Officer", ("NBBC",))
    new_case(south, council="WDC")
    sync_once(south)
    sync_once(north)
    assert north.cases.count() == 0
    new_case(north, council="WDC")  # a case outside their councils
    report = sync_once(north)
    assert report.refused and all("councils" in r["reason"] for r in report.refused)
    sync_once(south)
    assert south.cases.count() == 1


def test_a_revoked_laptop_is_told_so(laptop: Callable[..., Store], server) -> None:
    a = laptop("a")
    server.service.revoke(read_state(a)["device_id"])
    with pytest.raises(DeviceRevoked):
        sync_once(a)


def test_a_sign_in_page_is_not_success(laptop: Callable[..., Store]) -> None:
    a = laptop("a")
    new_case(a)
    portal = httpx.MockTransport(lambda request: httpx.Response(200, text="<html>Welcome to Hotel Wi-Fi</html>"))
    with pytest.raises(SyncError, match="sign-in page"):
        sync_once(a, transport=portal)
    assert sync_status(a).waiting == 3  # nothing counted as sent
    assert sync_once(a).pushed == 3  # the same batch goes when the real server answers


def test_the_conflict_reaches_both_laptops_and_its_resolution_syncs(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    case_id = new_case(a)
    sync_once(a)
    sync_once(b)
    a.cases.update(case_id, {"assigned_officer": "C. Marsh"})
    b.cases.update(case_id, {"assigned_officer": "B. Lindqvist"})
    sync_once(a)
    sync_once(b)
    sync_once(a)
    for store in (a, b):
        [conflict] = store.conflicts.open(case_id)
        assert (conflict["field"], conflict["kept"], conflict["offered"]) == (
            "assigned_officer", "C. Marsh", "B. Lindqvist")
    b.conflicts.resolve(b.conflicts.open(case_id)[0]["id"], "offered")  # the team agrees on B's value
    sync_once(b)
    report = sync_once(a)
    assert report.conflicts == []
    for store in (a, b):
        assert store.cases.get(case_id)["assigned_officer"] == "B. Lindqvist"
        assert store.conflicts.open(case_id) == []


def test_two_new_versions_of_the_same_completed_form_conflict(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    case_id = new_case(a)
    form = a.forms.start(case_id, "home_safety_check", "1.0", {"visit_date": "2026-11-02"})
    a.forms.complete(form)
    sync_once(a)
    sync_once(b)
    a.forms.revise(form)
    b.forms.revise(form)
    sync_once(a)
    report = sync_once(b)
    assert [c["field"] for c in report.conflicts] == ["base_id"]
    sync_once(a)
    for store in (a, b):
        versions = [f for f in store.forms.for_case(case_id) if f.get("base_id") == form]
        assert len(versions) == 2  # both kept: nothing lost
        [conflict] = store.conflicts.open(case_id)
        assert conflict["field"] == "base_id"


def test_a_completed_form_is_never_changed_by_a_push(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    case_id = new_case(a)
    form = a.forms.start(case_id, "home_safety_check", "1.0", {"visit_date": "2026-11-02"})
    sync_once(a)
    sync_once(b)
    a.forms.complete(form)
    sync_once(a)
    b.forms.save_draft(form, {"visit_date": "2026-11-03"})  # edited while offline, after A completed it
    report = sync_once(b)
    assert [c["field"] for c in report.conflicts] == ["status"]
    sync_once(a)
    assert a.forms.get(form)["answers"]["visit_date"] == "2026-11-02"


def test_a_laptop_that_lost_rows_is_found_out_by_the_digest_and_repairs(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    case_id = new_case(a)
    a.notes.add(case_id, "Spoke to the daughter")
    sync_once(a)
    assert sync_once(b).repulled is False  # in step: no second pull
    with b.transaction():  # a page lost to a bug or a restore from an old backup
        b.conn.execute("DELETE FROM notes")
    report = sync_once(b)
    assert report.repulled is True
    assert [n["body"] for n in b.notes.for_case(case_id)] == ["Spoke to the daughter"]
    assert sync_once(b).repulled is False


def test_a_case_moved_to_another_council_leaves_the_laptops_that_do_not_cover_it(
        laptop: Callable[..., Store]) -> None:
    manager = laptop("manager", "M. Manager", ("WDC", "NBBC"), role="manager")
    south = laptop("south", "S. Officer", ("WDC",))
    case_id = new_case(manager, council="WDC")
    sync_once(manager)
    sync_once(south)
    assert south.cases.count() == 1
    manager.cases.update(case_id, {"council": "NBBC"})
    sync_once(manager)
    sync_once(south)
    assert south.cases.count() == 0 and south.cases.search("fairweather") == []
    assert manager.cases.get(case_id)["council"] == "NBBC"


def test_refused_changes_are_reported_in_the_status(laptop: Callable[..., Store]) -> None:
    from heart_desktop.sync.status import status_text

    north = laptop("north", "N. Officer", ("NBBC",))
    new_case(north, council="WDC")
    sync_once(north)
    status = sync_status(north)
    assert status.refused and status.waiting == 0  # refused changes do not block the queue
    text, warning = status_text(status)
    assert warning and "The office refused 3 changes" in text and "councils" in text
