"""The audit export marks a reason blanked with its erased case (``heart-central audit-export`` and
the app's Export audit for a period…): ``reason_erased: true`` in JSON and "(removed with the erased
case)" in CSV, where an entry that never had a reason stays empty and a kept reason is shown. Real
office on 127.0.0.1 (SQLite and PostgreSQL), real SQLCipher laptop."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sync_server import Server
from test_casework_office import bench_for, enquiry
from test_erase_restrict import _set

from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.reports.audit import ERASED_REASON
from heart_desktop.services.audit import export_period
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once

TODAY = "2026-12-02"
MARKER = "Zebediah Quillfeather"  # synthetic; in the erased case's reason
KEPT = "Ottoline Brackenbury"  # in a reason of a case that stays


def test_the_export_marks_a_reason_erased_with_its_case(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    bench = bench_for(store, tmp_path)
    gone, stays = enquiry(bench, "Edna Gone"), enquiry(bench, "Stan Stays")
    store.cases.detail(gone["id"], reason=f"visit with {MARKER}")
    store.cases.detail(stays["id"], reason=f"visit with {KEPT}")
    sync_once(store)
    db = CentralDatabase(server.db_url)
    _set(db, gone["id"], outcome="withdrawn", outcome_on="2026-11-01")
    assert central(["erase", "--db", server.db_url, "--case", gone["reference"], "--reason",
                    "request of 2026-11-30, ref SAR-17", "--today", TODAY, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["audit_reasons"] == {"erased": 1, "kept": 0}
    sync_once(store)  # the laptop blanks its own copy too
    days = sorted(e["at"][:10] for e in store.audit.raw(0, 10_000))
    first, last = days[0], days[-1]

    out_csv, out_json = tmp_path / "audit.csv", tmp_path / "audit.json"
    for out in (out_csv, out_json):
        assert central(["audit-export", "--db", server.db_url, "--from", first, "--to", last,
                        "--out", str(out)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    views = {r["case_id"]: r["reason"] for r in rows if r["action"] == "view"}
    assert views[gone["id"]] == ERASED_REASON == "(removed with the erased case)"
    assert views[stays["id"]] == f"visit with {KEPT}"
    assert MARKER not in out_csv.read_text(encoding="utf-8")
    never = [r for r in rows if r["action"] != "view" and r["case_id"] == gone["id"] and r["action"] != "erasure"]
    assert never and all(r["reason"] in ("", ERASED_REASON) for r in never)
    assert any(r["reason"] == "" for r in rows)  # an entry that never had a reason is not marked

    entries = json.loads(out_json.read_text(encoding="utf-8"))["entries"]
    assert all(isinstance(e["reason_erased"], bool) for e in entries)
    [blanked] = [e for e in entries if e["action"] == "view" and e["case_id"] == gone["id"]]
    assert blanked["reason_erased"] is True and blanked["reason"] is None and blanked["reason_sha256"]
    [kept] = [e for e in entries if e["action"] == "view" and e["case_id"] == stays["id"]]
    assert kept["reason_erased"] is False and kept["reason"] == f"visit with {KEPT}"
    assert not [e for e in entries if e["reason"] is None and not e.get("reason_sha256") and e["reason_erased"]]

    # the app's export of the laptop's own entries (Reports > Export audit for a period…) says the same
    laptop_json, laptop_csv = tmp_path / "laptop.json", tmp_path / "laptop.csv"
    for out in (laptop_json, laptop_csv):
        export_period(store, date.fromisoformat(first), date.fromisoformat(last), out)
    mine = json.loads(laptop_json.read_text(encoding="utf-8"))["entries"]
    [own] = [e for e in mine if e["action"] == "view" and e["case_id"] == gone["id"]]
    assert own["reason_erased"] is True and own["reason"] is None
    assert {e["reason_erased"] for e in mine if e["case_id"] == stays["id"]} == {False}
    laptop_rows = list(csv.DictReader(laptop_csv.open(encoding="utf-8")))
    assert [r["reason"] for r in laptop_rows if r["action"] == "view" and r["case_id"] == gone["id"]] == [ERASED_REASON]
