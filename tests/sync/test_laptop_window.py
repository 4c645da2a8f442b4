"""Least data on the laptop (issue 20): a laptop holds its officer's cases that are open or closed
within the laptop window (resources/policy/retention.toml ``laptop_window_days``, or the office's
setting); a case closed longer ago leaves it on a pull (the office keeps it), a laptop enrolled
later is never sent it, and the caseload says how many cases are held and why."""
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
from sync_cases import new_case
from sync_server import PASSPHRASE, Server

from heart_desktop.central.db import CentralDatabase
from heart_desktop.domain.retention import holding_sentence
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once


def held(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT id FROM cases")}


def holding(store: Store, tmp_path: Path) -> dict:
    bench = Workbench(tmp_path / "unused")
    bench.store = store
    return bench.holding()


def close(store: Store, case_id: str, on: date) -> None:
    store.cases.update(case_id, {"outcome": "withdrawn", "outcome_on": on})


@pytest.mark.parametrize("override", [None, 7])
def test_cases_closed_before_the_window_leave_the_laptop_and_stay_at_the_office(
        office: Callable[..., Server], clock: Clock, laptops: Callable[..., Store], tmp_path: Path,
        override: int | None) -> None:
    clock.now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    server = office(laptop_window_days=override)
    one = laptops(server, "one", "A. Okafor", ("WDC", "SDC"))
    open_case = new_case(one, "WDC", "Openshaw")
    long_ago = new_case(one, "WDC", "Longago")
    lately = new_case(one, "SDC", "Lately")
    close(one, long_ago, date(2026, 8, 30))
    close(one, lately, date(2026, 11, 20))
    assert not sync_once(one).refused
    assert held(one) == {open_case, long_ago, lately}

    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 90 days back: 2026-09-03; 7 days: 2026-11-25
    note = one.notes.add(long_ago, "Final letter sent")  # work waiting to go when the case leaves
    report = sync_once(one)
    assert not report.refused
    expected = {open_case, lately} if override is None else {open_case}
    assert held(one) == expected
    db = CentralDatabase(server.db_url)
    with db.transaction() as tx:  # the office keeps every case, and the note sent before it left
        assert tx.one("SELECT count(*) FROM records WHERE entity = 'case' AND id IN (?, ?, ?)",
                      (open_case, long_ago, lately))[0] == 3
        assert tx.one("SELECT count(*) FROM records WHERE entity = 'note' AND id = ?", (note,))[0] == 1
    assert not one.conn.execute("SELECT 1 FROM notes WHERE case_id = ?", (long_ago,)).fetchone()

    days = 90 if override is None else 7
    summary = holding(one, tmp_path)
    assert summary["cases"] == len(expected) and summary["councils"] == ["SDC", "WDC"]
    assert summary["window_days"] == {"SDC": days, "WDC": days}
    cases = f"{len(expected)} case{'s' if len(expected) > 1 else ''}"
    assert summary["text"] == f"Holding {cases}: open, or closed in the last {days} days, in SDC and WDC"

    # a laptop enrolled now is never sent what closed before the window, and syncing again changes nothing
    two = laptops(server, "two", "K. Osei", ("WDC", "SDC"))
    sync_once(two)
    assert held(two) == expected
    again = sync_once(one)
    assert not again.repulled and held(one) == expected


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_the_holding_verb_says_what_the_laptop_holds(office: Callable[..., Server], clock: Clock,
                                                     tmp_path: Path) -> None:
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    server = office()
    server.service.add_officer("A. Okafor", "HAO", ["NBBC", "RBC"])
    path = tmp_path / "laptop.heartdb"
    env = {**os.environ, "HEART_PASSPHRASE": PASSPHRASE}

    def heart(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "heart_desktop", *args, "--db", str(path)],
                              capture_output=True, text=True, env=env, check=False, timeout=120)

    before = heart("holding", "--json")
    assert before.returncode == 1 and "no store" in before.stderr.lower()
    assert heart("enrol", "--server", server.url, "--code", server.service.enrol_code("A. Okafor")).returncode == 0
    unsynced = json.loads(heart("holding", "--json").stdout)  # enrolled: the schedule's window until a pull
    assert unsynced["window_days"] == {"NBBC": 90, "RBC": 90}
    assert heart("sync").returncode == 0
    done = heart("holding", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer == {"cases": 0, "open": 0, "closed": 0, "enrolled": True, "councils": ["NBBC", "RBC"],
                      "window_days": {"NBBC": 90, "RBC": 90},
                      "text": "Holding 0 cases: open, or closed in the last 90 days, in NBBC and RBC"}
    assert heart("holding").stdout.strip() == answer["text"]


def test_the_holding_sentence() -> None:
    assert holding_sentence(214, ["RBC", "NBBC"], {"NBBC": 90, "RBC": 90}) == (
        "Holding 214 cases: open, or closed in the last 90 days, in NBBC and RBC")
    assert holding_sentence(3, ["NBBC", "RBC", "WDC"], {"NBBC": 90, "RBC": 60, "WDC": 90}) == (
        "Holding 3 cases: open, or closed in the last 90 days in NBBC, 60 days in RBC and 90 days in WDC")
    assert holding_sentence(120, ["WDC", "SDC"], None) == (
        "Holding 120 cases in SDC and WDC (not enrolled with the office: no case leaves this laptop by age)")
