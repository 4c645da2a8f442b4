"""Sync that ordinary work and hostile input cannot break, against the real office on 127.0.0.1
(SQLite and PostgreSQL) and real laptop stores: bad rows are refused with the field named and never
served; a laptop sets aside what it cannot apply; scope follows the case as it moves and as an
officer's councils change; the office decides who wrote a change; roles hold; signed packs and
references stay as they are."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import partial

import httpx
import pytest
import sync_cases
from hostile import HLC, Device, change
from sync_server import Server

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import sync_once, sync_status
from heart_desktop.sync.status import status_text

new_case = partial(sync_cases.new_case, form=True)  # these cases carry a form too


def office_cases(server: Server, councils: tuple[str, ...]) -> set[str]:
    with server.service.db.transaction() as tx:
        rows = tx.all("SELECT id, council FROM records WHERE entity = 'case'")
    return {case_id for case_id, council in rows if council in councils}


def held(store: Store) -> set[str]:
    return {row_id for (row_id,) in store.conn.execute("SELECT id FROM cases")}


def names(store: Store) -> set[str]:
    return {name for (name,) in store.conn.execute("SELECT family_name FROM people")}


def served_ids(server: Server) -> set[str]:
    with server.service.db.transaction() as tx:
        return {row_id for (row_id,) in tx.all("SELECT id FROM feed")} | {
            row_id for (row_id,) in tx.all("SELECT id FROM records")}


# --- one bad row never stops a council --------------------------------------------------------------

def test_bad_rows_are_refused_naming_the_field_and_never_served(laptop: Callable[..., Store], server: Server) -> None:
    a, b = laptop("a", "A. Okafor", ("WDC",)), laptop("b", "B. Lindqvist", ("WDC",))
    case_id = new_case(a)
    sync_once(a)
    person = a.people.where("case_id = ?", (case_id,))[0]["id"]
    home = a.properties.where("case_id = ?", (case_id,))[0]["id"]
    hostile = Device(server, "H. Device", ("WDC",))
    bad = [
        (change("note", {"case_id": case_id, "body": "no date"}), "'written_at' is required"),
        (change("property", {"bedrooms": "many"}, home, op="update", base_rev=1), "'bedrooms'"),
        (change("person", {"date_of_birth": "not a date"}, person, op="update", base_rev=1), "'date_of_birth'"),
        (change("note", {"case_id": case_id, "body": "x", "written_at": "2026-11-23T10:00:00.000Z",
                         "author": ["a", "list"]}), "'author'"),
        (change("property", {"tenure": "freeholder"}, home, op="update", base_rev=1), "not a tenure"),
        (change("case", {"council": "XYZ"}), "not a HEART council"),
    ]
    answer = hostile.push(*(c for c, _ in bad))
    assert answer["accepted"] == 0
    for (sent, words), refused in zip(bad, answer["refused"], strict=True):
        assert refused["id"] == sent["id"] and words in refused["reason"], refused
        assert refused["reason"].startswith(f"{sent['entity']} {sent['id']}")
    assert not {c["id"] for c, _ in bad if c["op"] == "insert"} & served_ids(server)
    assert sync_once(b).pulled >= 4 and sync_once(a).refused == []
    assert b.properties.get(home)["bedrooms"] is None
    assert str(b.people.get(person)["date_of_birth"]) == "1950-03-14"


def test_hostile_shapes_are_refused_not_errors(laptop: Callable[..., Store], server: Server) -> None:
    a = laptop("a", "A. Okafor", ("WDC",))
    case_id = new_case(a)
    sync_once(a)
    form = a.forms.where("case_id = ?", (case_id,))[0]["id"]
    hostile = Device(server, "H. Device", ("WDC",))
    shapes = [
        {**change("note", {"case_id": case_id}), "entity": ["note"]},
        {**change("note", {"case_id": case_id}), "op": {"insert": 1}},
        {**change("note", {"case_id": case_id}), "id": 12345},
        change("form_submission", {"answers": {"patch": "everything"}}, form, op="update", base_rev=1),
        {**change("note", {"case_id": case_id}), "base_rev": 2**70, "rev": 2**71},
    ]
    answer = hostile.push(*shapes)
    assert answer["accepted"] == 0 and len(answer["refused"]) == len(shapes)
    # a batch that is not text, or whose changes are not objects, is refused whole, in words
    for batch, status, words in (
            ([change("form_submission", {"answers": {"patch": {"\ud800": 1}}}, form, op="update", base_rev=1)],
             400, "lone surrogate"),
            ([change("note", {"case_id": case_id, "body": "a \ud83d", "written_at": "2026-11-23T10:00:00Z"})],
             400, "lone surrogate"),
            (["not a change"], 422, "valid dictionary")):
        whole = hostile.send(*batch)
        assert whole.status_code == status and words in whole.json()["message"]
    assert sync_once(a).refused == []


def test_a_row_the_laptop_cannot_apply_is_set_aside_and_the_rest_applies(laptop: Callable[..., Store],
                                                                        server: Server) -> None:
    a, b = laptop("a", "A. Okafor", ("WDC",)), laptop("b", "B. Lindqvist", ("WDC",))
    case_id = new_case(a)
    sync_once(a)
    sync_once(b)
    # an older office served a note without its date, then a good note
    bad_id = str(uuid.uuid4())
    with server.service.db.transaction(feed=True) as tx:
        tx.execute("INSERT INTO feed (entity, id, case_id, council, op, base_rev, rev, hlc, officer, device_id, "
                   "fields) VALUES ('note', ?, ?, 'WDC', 'insert', 0, 1, ?, 'Old office', 'old', ?)",
                   (bad_id, case_id, HLC, json.dumps({"body": "undated", "case_id": case_id})))
    a.notes.add(case_id, "A good note after it")
    sync_once(a)
    report = sync_once(b)
    assert report.pulled >= 2
    assert [n["body"] for n in b.notes.where("case_id = ?", (case_id,))] == ["A good note after it"]
    status = sync_status(b)
    assert status.quarantined == 1 and status.quarantine[0]["id"] == bad_id
    assert "written_at" in status.quarantine[0]["reason"]
    text, warning = status_text(status)
    assert "could not be applied" in text and warning
    sync_once(b)  # the cursor moved past it: it is not met again
    assert sync_status(b).quarantined == 1
    assert int(read_state(b)["cursor"]) > 0


# --- scope follows the case ------------------------------------------------------------------------

def test_a_moved_case_reaches_its_new_council_whole_and_leaves_the_old(laptop: Callable[..., Store],
                                                                      server: Server) -> None:
    both = laptop("both", "M. Both", ("NWBC", "RBC"))
    north, rugby = laptop("north", "N. North", ("NWBC",)), laptop("rugby", "R. Rugby", ("RBC",))
    case_id = new_case(both, council="NWBC", family="Moving")
    for store in (both, north, rugby):
        sync_once(store)
    assert case_id in held(north) and case_id not in held(rugby)
    both.cases.update(case_id, {"council": "RBC"})
    for store in (both, rugby, north):
        assert sync_once(store).refused == []
    assert case_id in held(rugby) and "Moving" in names(rugby)
    assert rugby.forms.where("case_id = ?", (case_id,)) and rugby.properties.where("case_id = ?", (case_id,))
    assert case_id not in held(north) and "Moving" not in names(north)
    assert case_id in held(both)
    later = laptop("later", "N. North", ("NWBC",))  # enrolled after the move: nothing of the case
    sync_once(later)
    assert case_id not in held(later) and "Moving" not in names(later)
    for store, councils in ((both, ("NWBC", "RBC")), (north, ("NWBC",)), (rugby, ("RBC",)), (later, ("NWBC",))):
        assert held(store) == office_cases(server, councils)


def test_a_council_added_and_taken_from_an_officer(laptop: Callable[..., Store], server: Server) -> None:
    stratford = laptop("sdc", "S. Stratford", ("SDC",))
    there = new_case(stratford, council="SDC", family="Avon")
    sync_once(stratford)
    mine = laptop("mine", "W. Warwick", ("WDC",))
    home = new_case(mine, council="WDC", family="Leam")
    sync_once(mine)
    assert held(mine) == {home}
    server.service.add_officer("W. Warwick", "HAO", ["WDC", "SDC"])
    sync_once(mine)
    assert held(mine) == {home, there} and "Avon" in names(mine)
    assert mine.forms.where("case_id = ?", (there,))
    server.service.add_officer("W. Warwick", "HAO", ["WDC"])
    assert sync_once(mine).refused == []
    assert held(mine) == {home} and "Avon" not in names(mine)
    assert not mine.conn.execute("SELECT 1 FROM journal WHERE entity_id = ?", (there,)).fetchone()
    for store, councils in ((mine, ("WDC",)), (stratford, ("SDC",))):
        assert held(store) == office_cases(server, councils)


def test_edits_to_a_case_leaving_scope_are_sent_first_or_kept_and_reported(laptop: Callable[..., Store],
                                                                           server: Server) -> None:
    mine = laptop("mine", "W. Warwick", ("WDC", "SDC"))
    sent_first, refused = new_case(mine, council="SDC", family="Sent"), new_case(mine, council="SDC", family="Kept")
    sync_once(mine)
    mine.notes.add(sent_first, "Written before the council was taken away")
    sync_once(mine)  # sent while still in scope
    server.service.add_officer("W. Warwick", "HAO", ["WDC"])
    mine.notes.add(refused, "Written offline after the council was taken away")
    report = sync_once(mine)
    assert report.refused and "councils" in report.refused[0]["reason"]
    assert sent_first not in held(mine)
    assert refused in held(mine)  # its refused note is not thrown away
    status = sync_status(mine)
    assert [k["case_id"] for k in status.kept] == [refused] and "refused" in status.kept[0]["why"]
    assert "kept on this laptop" in status_text(status)[0]


def test_a_laptop_holding_a_case_it_should_not_finds_out_and_removes_it(laptop: Callable[..., Store],
                                                                       server: Server) -> None:
    a = laptop("a", "A. Okafor", ("WDC", "SDC"))
    case_id = new_case(a, council="SDC")
    sync_once(a)
    # the removal never arrived (say, an older office): only the digest can tell
    server.service.add_officer("A. Okafor", "HAO", ["WDC"])
    with server.service.db.transaction() as tx:
        tx.execute("UPDATE devices SET scope = ?", ('["WDC"]',))
    report = sync_once(a)
    assert report.repulled and report.removed == 1 and case_id not in held(a)


# --- who wrote it, and who may -----------------------------------------------------------------------

def test_the_office_decides_who_wrote_a_change(laptop: Callable[..., Store], server: Server) -> None:
    a = laptop("a", "A. Okafor", ("WDC",))
    case_id = new_case(a)
    sync_once(a)
    hostile = Device(server, "W. Device", ("WDC",))
    note = change("note", {"case_id": case_id, "body": "Signed as someone else", "author": "A. Okafor",
                           "written_at": "2026-11-23T10:00:00.000Z"}, officer="A. Okafor")
    assert hostile.push(note)["accepted"] == 1
    sync_once(a)
    row = a.notes.get(note["id"])
    assert (row["author"], row["updated_by"]) == ("W. Device", "W. Device")
    with server.service.db.transaction() as tx:
        assert {o for (o,) in tx.all("SELECT officer FROM feed WHERE id = ?", (note["id"],))} == {"W. Device"}


def test_an_enrolled_laptop_writes_as_its_officer_whoever_is_logged_in(laptop: Callable[..., Store]) -> None:
    a = laptop("a", "A. Okafor", ("WDC",))
    path = a.path
    a.close()
    with Store.open(path, "laptop passphrase", officer="root", kdf_iter=1000) as store:
        assert store.officer == "A. Okafor"
        case_id = new_case(store)
        note = store.notes.add(case_id, "From a headless verb")
        assert store.notes.get(note)["author"] == "A. Okafor"
        assert {e.officer for e in store.journal.pending()} == {"A. Okafor"}


@pytest.mark.parametrize(("role", "accepted"), [("OT", False), ("HAO", False), ("admin", False), ("manager", True)])
def test_only_a_manager_records_an_approval(laptop: Callable[..., Store], server: Server, role: str,
                                            accepted: bool) -> None:
    a = laptop("a", "A. Okafor", ("WDC",))
    case_id = new_case(a)
    sync_once(a)
    device = Device(server, f"{role} officer", ("WDC",), role=role)
    answer = device.push(change("decision", {"case_id": case_id, "kind": "assistance", "outcome": "approved",
                                             "amount_pence": 3_000_000}))
    assert answer["accepted"] == int(accepted)
    if not accepted:
        assert "only a manager or team leader may record a decision of approval" in answer["refused"][0]["reason"]


def test_roles_hold_for_urgency_and_the_ot_assessment(laptop: Callable[..., Store], server: Server) -> None:
    a = laptop("a", "A. Okafor", ("WDC",), role="HAO")
    case_id = new_case(a)
    sync_once(a)
    a.cases.update(case_id, {"urgent": True, "urgent_reason": "Hospital discharge"})
    report = sync_once(a)
    assert "agree that a case is urgent" in report.refused[0]["reason"]
    ot = Device(server, "O. Therapist", ("WDC",), role="OT")
    form = change("form_submission", {"case_id": case_id, "form_id": "ot_needs_assessment", "form_version": "1.0",
                                      "answers": {}, "status": "complete"})
    assert ot.push(form)["accepted"] == 1
    admin = Device(server, "D. Desk", ("WDC",), role="admin")
    again = change("form_submission", {"case_id": case_id, "form_id": "ot_needs_assessment", "form_version": "1.0",
                                       "answers": {}, "status": "complete"})
    assert "only an Occupational Therapist" in admin.push(again)["refused"][0]["reason"]


# --- frozen means frozen -----------------------------------------------------------------------------

def test_a_signed_pack_and_a_reference_cannot_be_changed(laptop: Callable[..., Store], server: Server) -> None:
    a = laptop("a", "A. Okafor", ("WDC",))
    first, second = new_case(a), new_case(a, family="Second")
    sync_once(a)
    hostile = Device(server, "H. Device", ("WDC",))
    pack = change("document", {"case_id": first, "kind": "application_pack", "title": "Application pack",
                               "sha256": "a" * 64, "size": 1000, "signed": True, "created_at": "2026-11-23T10:00:00Z",
                               "signatures": [{"role": "customer"}]})
    assert hostile.push(pack)["accepted"] == 1
    tampered = change("document", {"sha256": "b" * 64, "signatures": []}, pack["id"], op="update", base_rev=1)
    assert "the pack is signed" in hostile.push(tampered)["refused"][0]["reason"]
    printed = change("document", {"printed_at": "2026-11-24T09:00:00Z", "printed_by": "x"}, pack["id"], op="update",
                     base_rev=1)
    assert hostile.push(printed)["accepted"] == 1  # the print queue's marks may follow
    taken = a.cases.get(second)["reference"]
    renumbered = change("case", {"reference": taken}, first, op="update", base_rev=1)
    assert "'reference' cannot be changed" in hostile.push(renumbered)["refused"][0]["reason"]
    moved = change("note", {"case_id": second}, a.notes.add(first, "On the first case"), op="update", base_rev=1)
    sync_once(a)
    assert "'case_id' cannot be changed" in hostile.push(moved)["refused"][0]["reason"]


def test_a_pull_page_is_bounded_by_bytes_as_well_as_rows(laptop: Callable[..., Store], server: Server) -> None:
    a, b = laptop("a", "A. Okafor", ("WDC",)), laptop("b", "B. Lindqvist", ("WDC",))
    case_id = new_case(a)
    with a.transaction():
        for n in range(70):
            a.notes.add(case_id, f"{n:02d} " + "long visit notes " * 5_000)  # 85 KB each, 6 MB in all
    sync_once(a)
    token = read_state(b)["token"]
    page = httpx.get(f"{server.url}/api/v1/pull", params={"after": 0, "limit": 1000},
                     headers={"X-Heart-Device-Token": token})
    assert page.status_code == 200 and page.json()["more"] is True
    assert len(page.content) < 5 * 1024 * 1024
    sync_once(b)
    assert len(b.notes.where("case_id = ?", (case_id,))) == 70
