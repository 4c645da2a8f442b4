"""A full batch at the office: hundreds of new rows, updates, conflicts and a case moving council in
batches of up to 500 are stored and served the same on SQLite and PostgreSQL (where new rows and
feed entries go in by COPY, and many updates through a staged table), and a batch that fails half
way through writing leaves nothing behind."""
# ruff: noqa: F811 (the fixtures from office_helpers are imported, then named as parameters)

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hostile import change
from office_helpers import db_kind, db_url  # noqa: F401

from heart_desktop.central.db import COPY_UPDATES, CentralDatabase
from heart_desktop.central.service import CentralService, Device

CASES = 250  # with a note each: a full batch of 500


def batch(seq: int, changes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"key": uuid.uuid4().hex, "device_seq": seq, "changes": changes}


def officer(service: CentralService, name: str, councils: list[str]) -> Device:
    service.add_officer(name, "HAO", councils)
    return service.authenticate(service.enrol(service.enrol_code(name), name)["token"])


def test_a_full_batch_of_inserts_updates_conflicts_and_a_move(db_url: str) -> None:
    service = CentralService(CentralDatabase(db_url))
    alice, bob = officer(service, "A. Okafor", ["WDC", "SDC"]), officer(service, "B. Lewis", ["WDC", "SDC"])
    cases = [str(uuid.uuid4()) for _ in range(CASES)]
    first: list[dict[str, Any]] = []
    for n, case_id in enumerate(cases):
        first.append(change("case", {"council": "WDC", "reference": f"WDC/26/{n + 1:05d}", "stage": "enquiry"},
                            case_id))
        first.append(change("note", {"case_id": case_id, "body": f"note {n}", "written_at": "2026-11-23T10:00:00Z",
                                     "author": "someone else"}))
    answer = service.push(alice, batch(1, first))
    assert answer == {"key": answer["key"], "accepted": 2 * CASES, "refused": [], "conflicts": []}

    # Alice renames the stage of every case; Bob, from the same revision, changes the same field
    # (a conflict each) and another (applied), and moves the last case to SDC
    assert CASES > COPY_UPDATES  # enough updates for the staged path on PostgreSQL
    staged = [change("case", {"stage": "visit"}, case_id, op="update", base_rev=1) for case_id in cases]
    assert service.push(alice, batch(2, staged))["accepted"] == CASES
    rival = [change("case", {"stage": "approval", "visit_on": "2026-11-30"}, case_id, op="update", base_rev=1)
             for case_id in cases[:-1]]
    rival.append(change("case", {"council": "SDC"}, cases[-1], op="update", base_rev=2))
    answer = service.push(bob, batch(1, rival))
    assert answer["accepted"] == CASES and not answer["refused"], answer["refused"][:2]
    assert len(answer["conflicts"]) == CASES - 1
    assert {c["field"] for c in answer["conflicts"]} == {"stage"}

    with service.db.transaction() as tx:
        rows = {(e, i): (c, int(rev), json.loads(f)) for e, i, c, rev, f in tx.all(
            "SELECT entity, id, council, rev, fields FROM records")}
        feed = tx.all("SELECT seq, entity, id, op, rev, officer FROM feed ORDER BY seq")
        conflicts = tx.one("SELECT count(*), min(officer), max(officer) FROM conflicts")
    assert rows[("case", cases[0])] == ("WDC", 3, {"council": "WDC", "reference": "WDC/26/00001", "stage": "visit",
                                                   "visit_on": "2026-11-30"})
    assert rows[("case", cases[-1])][:2] == ("SDC", 3)
    moved_note = next(key for key, row in rows.items() if key[0] == "note" and row[2]["body"] == f"note {CASES - 1}")
    assert rows[moved_note][0] == "SDC"  # the case's rows moved with it
    assert all(row[2]["author"] == "A. Okafor" for key, row in rows.items() if key[0] == "note")
    assert conflicts is not None and tuple(conflicts) == (CASES - 1, "B. Lewis", "B. Lewis")
    # the feed in the order the changes were applied: the first batch, then the second, then Bob's
    # changes (each conflict row before the change that raised it) and the move's removal and snapshot
    assert [r[0] for r in feed] == sorted(r[0] for r in feed)
    assert [(r[1], r[2], r[3]) for r in feed[:4]] == [
        ("case", cases[0], "insert"), ("note", first[1]["id"], "insert"), ("case", cases[1], "insert"),
        ("note", first[3]["id"], "insert")]
    assert [(r[2], r[3], r[4]) for r in feed[2 * CASES:3 * CASES]] == [(c, "update", 2) for c in cases]
    assert [(r[1], r[5]) for r in feed[3 * CASES:3 * CASES + 2]] == [("conflict", "B. Lewis"), ("case", "B. Lewis")]
    assert [r[3] for r in feed[-4:]] == ["update", "remove", "snapshot", "snapshot"]

    # what a laptop of each council is served
    sdc_only = officer(service, "C. Patel", ["SDC"])
    page = service.pull(sdc_only, 0, 1000)
    assert {(c["entity"], c["id"]) for c in page["changes"] if c["op"] == "snapshot"} == {
        ("case", cases[-1]), moved_note}


@pytest.mark.parametrize("where", ["records", "feed"])
def test_a_batch_whose_write_fails_leaves_nothing(db_url: str, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    service = CentralService(CentralDatabase(db_url))
    alice = officer(service, "A. Okafor", ["WDC"])
    from heart_desktop.central import db

    real = db.Transaction.insert_rows

    def failing(self: db.Transaction, table: str, columns: Any, rows: Any) -> None:
        real(self, table, columns, rows)
        if table == where:
            raise RuntimeError("the database went away")

    monkeypatch.setattr(db.Transaction, "insert_rows", failing)
    case_id = str(uuid.uuid4())
    with pytest.raises(RuntimeError):
        service.push(alice, batch(1, [change("case", {"council": "WDC", "reference": "WDC/26/00001"}, case_id)]))
    monkeypatch.undo()
    with service.db.transaction() as tx:
        assert [tx.one(f"SELECT count(*) FROM {table}")[0] for table in ("records", "feed", "case_refs", "batches")] \
            == [0, 0, 0, 0]
        assert tx.one("SELECT last_seq FROM devices WHERE id = ?", (alice.id,))[0] == 0
    assert service.push(alice, batch(1, [change("case", {"council": "WDC"}, case_id)]))["accepted"] == 1
