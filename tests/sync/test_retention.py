"""Retention at the office (issue 20): a case past its date is erased and its laptops remove it, a
case not yet due and an open case stay, and the measures' facts are the same before and after
(the erased case's kept anonymised)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sync_server import Server
from test_casework_office import bench_for, enquiry

from heart_desktop.central import measures
from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.domain.retention import decide
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once

TODAY = "2026-12-02"


def _close(db: CentralDatabase, case_id: str, on: str) -> None:
    """Close a case at the office as the laptops would (outcome and its date), in the feed too."""
    with db.transaction(feed=True) as tx:
        fields = json.loads(tx.one("SELECT fields FROM records WHERE entity = 'case' AND id = ?", (case_id,))[0])
        fields.update(outcome="withdrawn", outcome_on=on)
        tx.execute("UPDATE records SET fields = ? WHERE entity = 'case' AND id = ?", (json.dumps(fields), case_id))
        tx.execute("UPDATE feed SET fields = ? WHERE entity = 'case' AND id = ? AND op = 'insert'",
                   (json.dumps(fields), case_id))
        tx.execute("INSERT INTO feed (entity, id, case_id, council, op, base_rev, rev, hlc, officer, device_id, "
                   "fields) VALUES ('case', ?, ?, 'WDC', 'update', 1, 1, '2026-12-01T00:00:00.000Z-0000-office', "
                   "'office', 'office', '{}')", (case_id, case_id))


def _facts(db: CentralDatabase) -> list[tuple]:
    measures.refresh(db)
    with db.transaction() as tx:
        return sorted(tx.all("SELECT case_id, council, outcome, outcome_on, enquiry_on FROM measure_facts"))


def test_rules_by_age_and_charge() -> None:
    today = date(2026, 12, 2)
    assert decide("WDC", None, None, None, today).action == "keep"
    assert decide("WDC", date(2019, 6, 1), None, None, today).action == "erase"  # 6 years + the year: 2026-01-01
    assert decide("WDC", date(2020, 6, 1), None, None, today).until == date(2027, 1, 1)
    dfg = decide("WDC", date(2019, 6, 1), "dfg", date(2019, 5, 1), today)
    assert (dfg.action, dfg.rule, dfg.until) == ("keep", "dfg_charge", date(2029, 5, 1))
    ddfa = decide("WDC", date(2001, 1, 1), "ddfa", date(2001, 1, 1), today)
    assert (ddfa.action, ddfa.until) == ("keep", None)


def test_retention_erases_what_is_due_and_the_laptop_removes_it(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    bench = bench_for(store, tmp_path)
    old, recent, open_case = (enquiry(bench, name)["id"] for name in ("Edna Old", "Stan Recent", "Ivy Open"))
    sync_once(store)
    db = CentralDatabase(server.db_url)
    _close(db, old, "2018-03-01")
    _close(db, recent, "2025-10-01")
    before = _facts(db)

    assert central(["retention", "--db", server.db_url, "--dry-run", "--json", "--today", TODAY]) == 0
    listed = {c["case_id"]: c for c in json.loads(capsys.readouterr().out)["cases"]}
    assert listed[old]["action"] == "erase" and listed[old]["rule"] == "grant_file"
    assert listed[recent]["action"] == "keep" and listed[recent]["until"] == "2032-01-01"
    assert listed[open_case]["rule"] == "open"
    assert _facts(db) == before  # a dry run changes nothing

    assert central(["retention", "--db", server.db_url, "--apply", "--json", "--today", TODAY]) == 0
    assert json.loads(capsys.readouterr().out)["erased"] == [old]
    with db.transaction() as tx:
        assert tx.one("SELECT count(*) FROM records WHERE case_id = ? OR id = ?", (old, old))[0] == 0
        assert tx.one("SELECT rule FROM erased_cases WHERE case_id = ?", (old,))[0] == "grant_file"
        assert tx.one("SELECT reference FROM measure_facts WHERE case_id = ?", (old,))[0] is None
        # the erasure is in the office's own audit chain, with its rule
        assert tx.all("SELECT action, case_id, reason FROM audit_entries WHERE device_id = 'office'") == [
            ("retention", old, "retention period ended (grant_file)")]
    assert _facts(db) == before  # the measures' figures are unchanged, the erased case's kept

    sync_once(store)
    held = {r[0] for r in store.conn.execute("SELECT id FROM cases")}
    # the office keeps the recent one, but it closed before the laptop window (90 days): off the laptop too
    assert old not in held and recent not in held and open_case in held
