"""Erasure and restriction at the office (issue 20, UK GDPR Arts 17 and 18): a closed case with no
grant is erased through retention's machinery (gone at the office, removed from the laptop, pushes
back refused, measures facts kept without the reference); a grant file within its period, a case
with a registered charge and an open case are refused with the reason and nothing changes; a
restricted case takes no change from a laptop until lifted, and the exports mark it. Each request,
refused or done, is in the office's audit chain."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sync_server import Server
from test_casework_office import bench_for, enquiry

from heart_desktop.central import measures
from heart_desktop.central.audit import OFFICE, verify_all
from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.central.push import ERASED_CASE, RESTRICTED_CASE
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once

TODAY = "2026-12-02"


def _set(db: CentralDatabase, case_id: str, **changes: Any) -> None:
    """Set fields of a case at the office as the laptops' changes would have."""
    with db.transaction(feed=True) as tx:
        fields = json.loads(tx.one("SELECT fields FROM records WHERE entity = 'case' AND id = ?", (case_id,))[0])
        fields.update(changes)
        tx.execute("UPDATE records SET fields = ? WHERE entity = 'case' AND id = ?", (json.dumps(fields), case_id))


def _office(db: CentralDatabase) -> list[tuple[str, str | None, str]]:
    with db.transaction() as tx:
        return [(a, c, d) for a, c, d in tx.all("SELECT action, case_id, detail FROM audit_entries WHERE "
                                                "device_id = ? ORDER BY seq", (OFFICE,))]


def _rows(db: CentralDatabase, case_id: str) -> int:
    with db.transaction() as tx:
        return int(tx.one("SELECT count(*) FROM records WHERE case_id = ? OR id = ?", (case_id, case_id))[0])


def test_erasure_where_the_law_allows_and_refusal_where_it_does_not(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    bench = bench_for(store, tmp_path)
    withdrawn, granted, charged, open_case = (enquiry(bench, n) for n in ("Edna Gone", "Stan Grant", "Ivy Charge",
                                                                          "Ann Open"))
    store.notes.add(withdrawn["id"], "asked for everything to be deleted")
    sync_once(store)
    db = CentralDatabase(server.db_url)
    _set(db, withdrawn["id"], outcome="withdrawn", outcome_on="2026-11-01")
    _set(db, granted["id"], outcome="completed", outcome_on="2025-06-01", approval_on="2025-01-10")
    _set(db, charged["id"], outcome="completed", outcome_on="2012-06-01", approval_on="2011-01-10",
         signed_off_on="2019-05-01")
    measures.refresh(db)
    with db.transaction() as tx:  # a cost above the repayable threshold: a DFG charge runs 10 years
        tx.execute("UPDATE measure_facts SET cost_pence = 900000, tenure = 'owner' WHERE case_id = ?",
                   (charged["id"],))
        before = sorted(tx.all("SELECT case_id, council, outcome_on, enquiry_on FROM measure_facts"))
    held = {c["id"]: _rows(db, c["id"]) for c in (granted, charged, open_case)}

    for case, words in ((granted, "a grant was approved on 2025-01-10"), (open_case, "the case is open"),
                        (charged, "repayable DFG charge is registered")):
        assert central(["erase", "--db", server.db_url, "--case", case["reference"], "--reason", "request 2026-11-30",
                        "--today", TODAY, "--json"]) == 1
        out = capsys.readouterr()
        assert words in out.err and json.loads(out.out)["error"] == "refused"
        assert "cannot be erased" in out.err
    assert {c["id"]: _rows(db, c["id"]) for c in (granted, charged, open_case)} == held
    assert [a for a, _c, _d in _office(db)] == ["erasure"] * 3  # each refusal recorded, with its reason
    assert all(json.loads(d).get("refused") for _a, _c, d in _office(db))

    assert central(["erase", "--db", server.db_url, "--case", withdrawn["reference"], "--reason",
                    "request of 2026-11-30, ref SAR-17", "--today", TODAY, "--json", "--by", "IT (J. Bloggs)"]) == 0
    assert json.loads(capsys.readouterr().out)["erased"] is True
    assert _rows(db, withdrawn["id"]) == 0
    with db.transaction() as tx:
        assert tx.one("SELECT rule FROM erased_cases WHERE case_id = ?", (withdrawn["id"],))[0] == "erasure_request"
        assert tx.one("SELECT reference FROM measure_facts WHERE case_id = ?", (withdrawn["id"],))[0] is None
        assert sorted(tx.all("SELECT case_id, council, outcome_on, enquiry_on FROM measure_facts")) == before
    action, case_id, _detail = _office(db)[-1]
    assert (action, case_id) == ("erasure", withdrawn["id"])
    assert all(chain["intact"] for chain in verify_all(db))

    sync_once(store)  # the laptop removes it, and cannot bring it back
    assert store.conn.execute("SELECT count(*) FROM cases WHERE id = ?", (withdrawn["id"],)).fetchone()[0] == 0
    assert central(["erase", "--db", server.db_url, "--case", withdrawn["reference"], "--reason", "again"]) == 2
    assert "no case" in capsys.readouterr().err
    assert ERASED_CASE  # (a push of it is refused as retention's erasures are: tests/sync/test_retention.py)


def test_a_restricted_case_takes_no_change_until_lifted_and_the_exports_mark_it(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    case = enquiry(bench_for(store, tmp_path), "Edna Fairweather")
    sync_once(store)
    db = CentralDatabase(server.db_url)
    assert central(["restrict", "--db", server.db_url, "--case", case["reference"], "--reason",
                    "accuracy contested, letter of 2026-11-30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["restricted"] is True
    assert central(["restrict", "--db", server.db_url, "--case", case["reference"], "--reason", "twice"]) == 2
    assert "already restricted" in capsys.readouterr().err
    held = _rows(db, case["id"])

    note = store.notes.add(case["id"], "an edit while restricted")
    report = sync_once(store)
    assert [(r["id"], r["reason"]) for r in report.refused] == [(note, RESTRICTED_CASE)]
    assert _rows(db, case["id"]) == held

    out = tmp_path / "sar.zip"
    assert central(["subject-access", "--db", server.db_url, "--name", "Edna Fairweather", "--out", str(out),
                    "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"][0]["restricted"] is True
    import zipfile

    assert "accuracy contested" in zipfile.ZipFile(out).read("index.html").decode()
    day = store.audit.raw(0, 1)[0]["at"][:10]
    assert central(["audit-export", "--db", server.db_url, "--from", day, "--to", day,
                    "--out", str(tmp_path / "a.json"), "--json"]) == 0
    marked = json.loads(capsys.readouterr().out)["restricted_cases"]
    assert [(m["reference"], m["reason"]) for m in marked] == [(case["reference"],
                                                                "accuracy contested, letter of 2026-11-30")]

    assert central(["restrict", "--db", server.db_url, "--case", case["reference"], "--reason", "resolved",
                    "--lift"]) == 0
    capsys.readouterr()
    later = store.notes.add(case["id"], "an edit after the restriction ended")
    assert sync_once(store).refused == []
    with db.transaction() as tx:
        assert tx.one("SELECT 1 FROM records WHERE entity = 'note' AND id = ?", (later,)) is not None
    assert [(a, json.loads(d).get("lifted")) for a, _c, d in _office(db) if a == "restriction"] == [
        ("restriction", False), ("restriction", True)]
    assert central(["restrict", "--db", server.db_url, "--case", "WDC/26/99999", "--reason", "x"]) == 2
    assert "no case WDC/26/99999" in capsys.readouterr().err
