"""Cases that left the laptop, and why (issue 20): the office erases one case and another closed
before the laptop window; after a sync ``heart-desktop sync --json`` lists each with its reference
and the office's reason (from the removal it sent: erased with the office's rule, the window in the
office's days), counted by reason, and the status bar says so in words. Work not yet sent is never
lost on the way: a case leaving the window goes only after its note reached the office, and a case
moved to a council the officer does not cover, with a note the office then refuses, stays on the
laptop and is reported as kept, not as gone."""
# ruff: noqa: F811 (the fixtures from office_helpers are imported, then named as parameters)

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from office_helpers import Clock, clock, db_kind, db_url, laptops, office  # noqa: F401
from pytestqt.qtbot import QtBot
from sync_cases import new_case
from sync_server import PASSPHRASE, Server
from test_files import photo
from test_sync_ui import opened, unlock

from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.store import Store
from heart_desktop.sync.client import Progress, enrol, sync_once, sync_status
from heart_desktop.sync.status import left_counts, left_sentence, left_why, status_text

TODAY = "2026-12-02"  # the office's day for the erasure and the window (90 days back: 2026-09-03)


def laptop_at(server: Server, path: Path, officer: str, councils: tuple[str, ...]) -> Store:
    """A laptop store the headless verbs and the window can open (the real key derivation)."""
    server.service.add_officer(officer, "HAO", list(councils))
    store = Store.open(path, PASSPHRASE, officer=officer, create=True)
    enrol(store, server.url, server.service.enrol_code(officer))
    return store


def close(store: Store, case_id: str, on: date) -> None:
    store.cases.update(case_id, {"outcome": "withdrawn", "outcome_on": on})


def reference(store: Store, case_id: str) -> str:
    return str(store.conn.execute("SELECT reference FROM cases WHERE id = ?", (case_id,)).fetchone()[0])


def held(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT id FROM cases")}


def seed(server: Server, clock: Clock, store: Store) -> dict[str, str]:
    """On 2026-09-01: an open case, one closed on 2026-08-30 (it will leave the window), one
    withdrawn on 2026-11-01 (erasable at the person's request) and one that will move to SDC."""
    clock.now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    cases = {name: new_case(store, "WDC", family) for name, family in
             (("open", "Openshaw"), ("aged", "Longago"), ("erased", "Gone"), ("moved", "Elsewhere"))}
    close(store, cases["aged"], date(2026, 8, 30))
    close(store, cases["erased"], date(2026, 11, 1))
    assert not sync_once(store).refused
    assert held(store) == set(cases.values())
    return cases


def at_the_office(server: Server, clock: Clock, tmp_path: Path, cases: dict[str, str], erase_ref: str) -> None:
    """The office's day: the erasure request is carried out, another officer moves a case to SDC."""
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert central(["erase", "--db", server.db_url, "--case", erase_ref, "--reason", "request of 2026-11-30, "
                    "ref SAR-17", "--today", TODAY]) == 0
    south = laptop_at(server, tmp_path / "south.heartdb", "K. Osei", ("WDC", "SDC"))
    try:
        sync_once(south)
        south.cases.update(cases["moved"], {"council": "SDC"})
        assert not sync_once(south).refused
    finally:
        south.close()


def test_the_sync_json_lists_each_case_that_left_with_the_offices_reason(
        office: Callable[..., Server], clock: Clock, tmp_path: Path) -> None:
    server = office()
    path = tmp_path / "laptop.heartdb"
    store = laptop_at(server, path, "A. Okafor", ("WDC",))
    cases = seed(server, clock, store)
    refs = {name: reference(store, case_id) for name, case_id in cases.items()}
    at_the_office(server, clock, tmp_path, cases, refs["erased"])
    # work waiting when the cases leave: a note on the aged case (it reaches the office first) and
    # one on the moved case (the office refuses it: the case is kept here, the note with it)
    aged_note = store.notes.add(cases["aged"], "Final letter sent")
    moved_note = store.notes.add(cases["moved"], "Rang about the ramp")
    store.close()

    env = {**os.environ, "HEART_PASSPHRASE": PASSPHRASE}
    done = subprocess.run([sys.executable, "-m", "heart_desktop", "sync", "--json", "--db", str(path)],
                          capture_output=True, text=True, env=env, check=False, timeout=180)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert [(r["id"], "councils" in r["reason"]) for r in answer["refused"]] == [(moved_note, True)]
    assert answer["left"] == [
        {"case_id": cases["aged"], "ref": refs["aged"], "council": "WDC", "reason": "window", "days": 90,
         "why": "closed over 90 days ago"},
        {"case_id": cases["erased"], "ref": refs["erased"], "council": "WDC", "reason": "erased",
         "rule": "erasure_request", "dropped": 0, "why": "erased at the office at the person's request"},
    ][:: 1 if refs["aged"] < refs["erased"] else -1]
    assert answer["left_counts"] == {"erased": 1, "window": 1}

    with Store.open(path, PASSPHRASE) as store:
        assert held(store) == {cases["open"], cases["moved"]}
        assert store.conn.execute("SELECT 1 FROM notes WHERE id = ?", (moved_note,)).fetchone()  # kept, not lost
        status = sync_status(store)
        assert [k["case_id"] for k in status.kept] == [cases["moved"]]
        text, warning = status_text(status)
        assert "2 cases left this laptop: 1 closed over 90 days ago, 1 erased at the office" in text
        assert "1 case no longer in your councils is kept on this laptop" in text and warning
        again = sync_once(store)  # the next sync has nothing new to say, and the status forgets it
        assert again.left == [] and "left this laptop" not in status_text(sync_status(store))[0]
    with CentralDatabase(server.db_url).transaction() as tx:  # the note sent before the case left is there
        assert tx.one("SELECT count(*) FROM records WHERE entity = 'note' AND id = ?", (aged_note,))[0] == 1
        assert tx.one("SELECT count(*) FROM records WHERE entity = 'note' AND id = ?", (moved_note,))[0] == 0


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_the_status_bar_says_which_cases_left_and_why(qtbot: QtBot, office: Callable[..., Server], clock: Clock,
                                                      tmp_path: Path) -> None:
    server = office()
    path = tmp_path / "laptop.heartdb"
    with laptop_at(server, path, "A. Okafor", ("WDC",)) as store:
        cases = seed(server, clock, store)
        erase_ref = reference(store, cases["erased"])
    at_the_office(server, clock, tmp_path, cases, erase_ref)
    with opened(qtbot, path) as win:
        unlock(qtbot, win)  # the sync runs by itself after unlocking
        qtbot.waitUntil(lambda: "left this laptop" in win.sync_label.text(), timeout=30_000)
        text = win.sync_label.text()
        assert "3 cases left this laptop: 1 closed over 90 days ago, 1 erased at the office, " \
               "1 no longer in your councils" in text, text
        assert win.sync_label.accessibleDescription() == "Sync status"
    with Store.open(path, PASSPHRASE) as store:
        assert held(store) == {cases["open"]}


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_a_case_reopened_by_the_work_its_removal_waited_for_stays(
        office: Callable[..., Server], clock: Clock, laptops: Callable[..., Store]) -> None:
    """The office's window removal arrives while the officer reopens the case (mid-sync, as a photo
    goes up): the removal waits for that change; once the office has it the case is open again, so
    it stays, and is neither said to have left nor fetched again from the beginning."""
    clock.now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    server = office()
    store = laptops(server, "one")
    aged = new_case(store, "WDC", "Longago")
    close(store, aged, date(2026, 8, 30))
    assert not sync_once(store).refused
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    live = new_case(store, "WDC", "Openshaw")
    store.attachments.add(live, photo(3), caption="Stairs")
    reopened: list[bool] = []

    def working_on(progress: Progress) -> None:
        if progress.stage == "Sending photos and packs" and not reopened:
            store.cases.update(aged, {"outcome": None, "outcome_on": None})
            reopened.append(True)

    first = sync_once(store, progress=working_on)
    assert reopened and first.left == [] and aged in held(store)
    assert [k["case_id"] for k in sync_status(store).kept] == [aged]  # waiting for the reopening to go
    second = sync_once(store)
    assert second.left == [] and not second.repulled
    assert aged in held(store) and sync_status(store).kept == []
    with CentralDatabase(server.db_url).transaction() as tx:
        fields = json.loads(tx.one("SELECT fields FROM records WHERE entity = 'case' AND id = ?", (aged,))[0])
    assert fields.get("outcome") is None


def test_the_words_for_cases_that_left() -> None:
    left = [{"reason": "window", "days": 180}, {"reason": "window", "days": 180},
            {"reason": "erased", "rule": "grant_file", "dropped": 2}]
    assert left_sentence(left) == ("3 cases left this laptop: 2 closed over 180 days ago, 1 erased at the office "
                                   "(2 changes to erased cases not yet sent could not be kept: the office takes none)")
    assert left_why(left[2]) == ("erased at the office when its retention period ended; 2 changes to it not yet "
                                 "sent could not be kept")
    assert left_why({"reason": "moved", "to": "SDC"}) == "no longer in your councils (it is now in SDC)"
    assert left_why({"reason": "unseen"}) == "no longer sent by the office"
    assert left_sentence([{"reason": "erased"}]) == "1 case left this laptop: 1 erased at the office"
    assert left_counts(left) == {"erased": 1, "window": 2}
