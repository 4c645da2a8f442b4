"""A case erased at the office by retention cannot come back: a laptop that still holds it (it had
not pulled the removal yet) and pushes changes to it, or a device that sends the case again, is
refused change by change with ``push.ERASED_CASE``, and the office's data is exactly as before; the
laptop then lets the erased case go, refused work and all, and says so in its sync report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hostile import Device, change
from sync_server import Server
from test_casework_office import bench_for, enquiry
from test_files import photo
from test_retention import TODAY, _close

from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.central.push import ERASED_CASE
from heart_desktop.store import Store
from heart_desktop.store.sync_apply import kept_cases
from heart_desktop.sync.client import Progress, sync_once

DATA_TABLES = ("records", "feed", "case_refs", "erased_cases", "files", "file_refs", "conflicts", "measure_facts")


def office_data(db: CentralDatabase) -> dict[str, list[str]]:
    """Every row of the tables that hold case data (not the request log or devices' last contact)."""
    with db.transaction() as tx:
        return {table: sorted(repr(row) for row in tx.all(f"SELECT * FROM {table}")) for table in DATA_TABLES}


def test_changes_to_an_erased_case_are_refused_each_and_change_nothing(
        laptop: Callable[..., Store], server: Server, tmp_path: Path) -> None:
    one = laptop("one", "A. Okafor", ("WDC",))
    old = enquiry(bench_for(one, tmp_path), "Edna Old")["id"]
    sync_once(one)
    two = laptop("two", "K. Osei", ("WDC",))
    sync_once(two)
    assert two.cases.get(old)["id"] == old  # the second laptop holds the case
    db = CentralDatabase(server.db_url)
    _close(db, old, "2018-03-01")
    assert central(["retention", "--db", server.db_url, "--apply", "--today", TODAY]) == 0
    before = office_data(db)

    # the second laptop, offline since, goes on working on the case, then syncs
    note = two.notes.add(old, "Rang the applicant about the stairlift survey")
    two.cases.update(old, {"stage": "visit", "visit_on": date(2026, 12, 1)})
    report = sync_once(two)
    refused = {(r["entity"], r["id"]): r["reason"] for r in report.refused}
    assert refused == {("note", note): ERASED_CASE, ("case", old): ERASED_CASE}
    assert office_data(db) == before
    # the case was erased, so the laptop lets it go even with refused work on it (the office will
    # never take that work), drops its journal entries and says so in the sync report
    assert kept_cases(two) == []
    assert report.erased == [{"case_id": old, "dropped": 0}]
    assert report.as_json()["erased"] == [{"case_id": old, "dropped": 0}]
    assert old not in {r[0] for r in two.conn.execute("SELECT id FROM cases")}
    assert two.conn.execute("SELECT count(*) FROM journal WHERE entity_id IN (?, ?)", (old, note)).fetchone()[0] == 0
    assert not [k for (k,) in two.conn.execute("SELECT key FROM sync_state WHERE key LIKE 'refused:%' "
                                                 "OR key LIKE 'remove:%' OR key LIKE 'erased:%'")]
    assert sync_once(two).erased == []  # said once; the next sync has nothing to say
    sync_once(one)
    assert old not in {r[0] for r in one.conn.execute("SELECT id FROM cases")}

    # a device sending the case again (an insert with its id), and a row under it, one refusal each
    hand = Device(server, "A. Okafor", ("WDC",))
    changes: list[dict[str, Any]] = [
        change("case", {"council": "WDC", "reference": "WDC/26/09999", "stage": "enquiry"}, old),
        change("note", {"case_id": old, "body": "back again", "written_at": "2026-12-02T10:00:00Z"}),
    ]
    answer = hand.push(*changes)
    assert answer["accepted"] == 0
    assert [(r["id"], r["reason"]) for r in answer["refused"]] == [(c["id"], ERASED_CASE) for c in changes]
    assert office_data(db) == before


def test_an_erased_case_goes_with_the_changes_to_it_not_yet_sent(
        laptop: Callable[..., Store], server: Server, tmp_path: Path) -> None:
    """A change made while the laptop syncs (here: while a photo of another case goes up) is not sent
    before the removal arrives; the case still goes, that change dropped and counted in the report."""
    one = laptop("one", "A. Okafor", ("WDC",))
    old = enquiry(bench_for(one, tmp_path), "Edna Old")["id"]
    sync_once(one)
    two = laptop("two", "K. Osei", ("WDC",))
    sync_once(two)
    _close(CentralDatabase(server.db_url), old, "2018-03-01")
    assert central(["retention", "--db", server.db_url, "--apply", "--today", TODAY]) == 0

    live = two.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    two.attachments.add(live, photo(3), caption="Stairs")
    notes: list[str] = []

    def working_on(progress: Progress) -> None:  # the officer writes a note while the photo goes up
        if progress.stage == "Sending photos and packs" and not notes:
            notes.append(two.notes.add(old, "Left a card: nobody in"))

    report = sync_once(two, progress=working_on)
    assert notes, "the photo went up, so the note was written mid-sync"
    assert report.erased == [{"case_id": old, "dropped": 1}]
    assert old not in {r[0] for r in two.conn.execute("SELECT id FROM cases")}
    assert two.conn.execute("SELECT count(*) FROM journal WHERE acked_at IS NULL").fetchone()[0] == 0
    assert kept_cases(two) == []
    assert two.cases.get(live)["id"] == live  # the other case and its photo stay
    assert sync_once(two).refused == []  # nothing of the erased case is sent later
