"""The audit trail reaches the office (issue 20): each laptop's entries arrive in order with their
hashes and are checked there; a rewritten or deleted entry is refused and named, and nothing of it
is kept; an entry deleted from the end of the laptop's trail (which its own chain cannot show) is
found against the newest entry the office holds; entries of another device, a mixed run and a body
past the limit are refused; and the office's table refuses UPDATE and DELETE, on SQLite and on
PostgreSQL. Real office over HTTP on 127.0.0.1, real SQLCipher laptop stores."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sync_server import Server
from test_casework_office import bench_for, enquiry

from heart_desktop.central.audit import OFFICE, verify_all
from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import sync_once, sync_status
from heart_desktop.sync.protocol import API, TOKEN_HEADER


def _office_chain(server: Server, chain: str) -> list[tuple[int, str]]:
    with CentralDatabase(server.db_url).transaction() as tx:
        return [(int(s), str(h)) for s, h in tx.all("SELECT seq, hash FROM audit_entries WHERE device_id = ? "
                                                     "ORDER BY seq", (chain,))]


def _unlock(store: Store) -> None:
    """What a person with the passphrase and a SQLite shell could do: drop the append-only triggers."""
    store.conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    store.conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")


def _views(store: Store, case_id: str, n: int) -> None:
    for i in range(n):
        store.cases.detail(case_id, reason=f"visit preparation {i}")


def test_entries_arrive_in_order_with_their_hashes(laptop: Callable[..., Store], server: Server,
                                                   tmp_path: Path) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    case = enquiry(bench_for(store, tmp_path), "Edna Fairweather")
    _views(store, case["id"], 3)
    report = sync_once(store)
    mine = [(int(e["seq"]), str(e["hash"])) for e in store.audit.raw(0, 10_000)]
    assert report.audit_problem is None and report.audit_sent == len(mine) > 3
    assert _office_chain(server, store.device_id) == mine
    assert int(read_state(store)["audit_sent"]) == mine[-1][0] and sync_status(store).audit_problem is None
    # the next sync sends only what is new
    _views(store, case["id"], 2)
    assert sync_once(store).audit_sent == 2  # the two views
    assert _office_chain(server, store.device_id) == [(int(e["seq"]), str(e["hash"]))
                                                      for e in store.audit.raw(0, 10_000)]
    # more than a batch, and entries with large details: sent in several runs, every one arrives
    for i in range(450):
        store.audit.append("view", case_id=case["id"], reason=f"bulk {i}")
    for i in range(30):
        store.audit.append("export", case_id=case["id"], detail={"note": "x" * 100_000, "n": i})
    assert sync_once(store).audit_sent == 480
    assert _office_chain(server, store.device_id) == [(int(e["seq"]), str(e["hash"]))
                                                      for e in store.audit.raw(0, 10_000)]
    chains = {c["device_id"]: c for c in verify_all(CentralDatabase(server.db_url))}
    assert chains[store.device_id]["intact"]


def test_a_rewritten_entry_is_refused_and_named(laptop: Callable[..., Store], server: Server, tmp_path: Path) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    case = enquiry(bench_for(store, tmp_path), "Stan Hope")
    sync_once(store)
    held = _office_chain(server, store.device_id)
    _views(store, case["id"], 3)
    target = held[-1][0] + 2  # the middle of the three new entries, not yet sent
    _unlock(store)
    store.conn.execute("UPDATE audit SET reason = 'nothing to see' WHERE seq = ?", (target,))
    report = sync_once(store)
    assert report.audit_problem is not None and f"audit entry {target} " in report.audit_problem
    assert "changed after it was written" in report.audit_problem
    assert _office_chain(server, store.device_id) == held  # nothing of the run was kept
    assert sync_status(store).audit_problem == report.audit_problem


def test_a_deleted_entry_is_refused_and_named(laptop: Callable[..., Store], server: Server, tmp_path: Path) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    case = enquiry(bench_for(store, tmp_path), "Ivy Open")
    sync_once(store)
    held = _office_chain(server, store.device_id)
    _views(store, case["id"], 3)
    gone = held[-1][0] + 1
    _unlock(store)
    store.conn.execute("DELETE FROM audit WHERE seq = ?", (gone,))
    report = sync_once(store)
    assert f"audit entry {gone + 1} " in report.audit_problem and f"entry {gone} missing" in report.audit_problem
    assert _office_chain(server, store.device_id) == held


def test_the_newest_entry_deleted_is_found_against_the_office(laptop: Callable[..., Store], server: Server,
                                                              tmp_path: Path) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    case = enquiry(bench_for(store, tmp_path), "Ann Other")
    _views(store, case["id"], 2)
    sync_once(store)
    newest = _office_chain(server, store.device_id)[-1][0]
    assert store.audit.raw(newest - 1, 5)[-1]["seq"] == newest  # the office holds the laptop's newest
    _unlock(store)
    store.conn.execute("DELETE FROM audit WHERE seq = ?", (newest,))
    assert store.audit.verify() is None  # the laptop's own chain cannot show it
    report = sync_once(store)
    assert report.audit_problem is not None and f"holds audit entry {newest} " in report.audit_problem
    # nor can it be papered over with a new entry in its place: the office keeps the one it had
    kept = _office_chain(server, store.device_id)
    store.cases.detail(case["id"], reason="another look")
    assert store.audit.raw(newest - 1, 5)[-1]["seq"] == newest
    report = sync_once(store)
    assert f"holds audit entry {newest} " in report.audit_problem
    store.conn.execute("DELETE FROM sync_state WHERE key = 'audit_sent'")  # even sent again from the start
    report = sync_once(store)
    assert f"audit entry {newest} " in report.audit_problem and "already holds a different entry" in \
        report.audit_problem
    assert _office_chain(server, store.device_id) == kept


def test_hostile_runs_are_refused_and_change_nothing(laptop: Callable[..., Store], server: Server,
                                                     tmp_path: Path) -> None:
    one, two = laptop("one", "A. Okafor", ("WDC",)), laptop("two", "K. Osei", ("WDC",))
    enquiry(bench_for(one, tmp_path), "Edna Fairweather")
    enquiry(bench_for(two, tmp_path), "Stan Hope")
    sync_once(one)
    sync_once(two)
    before = {d: _office_chain(server, d) for d in (one.device_id, two.device_id)}
    token = read_state(two)["token"]
    url = f"{server.url}{API}/audit"
    headers = {TOKEN_HEADER: token}
    # laptop two sends laptop one's entries (as if they were its own)
    theirs = one.audit.raw(0, 5)
    answer = httpx.post(url, json={"entries": theirs}, headers=headers)
    assert answer.status_code == 403 and answer.json()["error"] == "audit_other_device"
    # a run mixing two devices
    mixed = [*two.audit.raw(0, 1), *theirs[:1]]
    assert httpx.post(url, json={"entries": mixed}, headers=headers).status_code == 422
    # a field of the wrong kind, and one the schema does not know
    bad = dict(two.audit.raw(0, 1)[0], seq="1")
    assert httpx.post(url, json={"entries": [bad]}, headers=headers).status_code == 422
    assert httpx.post(url, json={"entries": [dict(bad, seq=1, extra=1)]}, headers=headers).status_code == 422
    # a body past the limit is refused before it is read
    huge = b'{"entries": [' + b" " * (5 * 1024 * 1024) + b"]}"
    answer = httpx.post(url, content=huge, headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == 413
    # no token
    assert httpx.post(url, json={"entries": []}).status_code == 401
    assert {d: _office_chain(server, d) for d in (one.device_id, two.device_id)} == before
    # entries the office holds may come again unchanged (an answer lost on the way): nothing is added
    again = httpx.post(url, json={"entries": two.audit.raw(0, 500)}, headers=headers)
    assert again.status_code == 200 and again.json()["accepted"] == 0
    # an empty run only asks for the newest entry held
    head = httpx.post(url, json={"entries": []}, headers=headers).json()["head"]
    assert (head["device_id"], head["seq"], head["hash"]) == (two.device_id, *before[two.device_id][-1])


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET reason = 'x'", "DELETE FROM audit_entries"])
def test_the_office_table_is_append_only(laptop: Callable[..., Store], server: Server, tmp_path: Path,
                                         statement: str) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    enquiry(bench_for(store, tmp_path), "Edna Fairweather")
    sync_once(store)
    before = _office_chain(server, store.device_id)
    db = CentralDatabase(server.db_url)
    with pytest.raises(Exception, match="append-only"), db.transaction() as tx:
        tx.execute(statement)
    if db.kind == "postgresql":
        with pytest.raises(Exception, match="append-only"), db.transaction() as tx:
            tx.execute("TRUNCATE audit_entries")
    assert _office_chain(server, store.device_id) == before


def test_the_office_records_its_own_actions_and_exports_the_period(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    case = enquiry(bench_for(store, tmp_path), "Edna Fairweather")
    _views(store, case["id"], 1)
    sync_once(store)
    day = store.audit.raw(0, 1)[0]["at"][:10]
    out = tmp_path / "audit.csv"
    assert central(["audit-export", "--db", server.db_url, "--from", day, "--to", day, "--out", str(out),
                    "--json", "--by", "IT (J. Bloggs)"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["intact"] and result["entries"] == store.audit.count()
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert out.stat().st_mode & 0o777 == 0o600
    assert len(rows) == store.audit.count() and {r["chain"] for r in rows} == {"intact"}
    viewed = [r for r in rows if r["action"] == "view"]
    assert viewed[0]["reference"] == case["reference"] and viewed[0]["officer"] == "A. Okafor"
    assert viewed[0]["reason"] == "visit preparation 0" and viewed[0]["device_id"] == store.device_id
    office = _office_chain(server, OFFICE)
    assert len(office) == 1  # the export recorded itself
    json_out = tmp_path / "audit.json"
    assert central(["audit-export", "--db", server.db_url, "--from", day, "--to", day, "--out", str(json_out)]) == 0
    capsys.readouterr()
    exported = json.loads(json_out.read_text(encoding="utf-8"))
    assert {e["action"] for e in exported["entries"] if e["device_id"] == OFFICE} == {"audit_export"}
    assert {c["device_id"]: c["intact"] for c in exported["chains"]} == {OFFICE: True, store.device_id: True}
    # bad input: exit 2 naming the option
    assert central(["audit-export", "--db", server.db_url, "--from", "01/12/2026", "--to", day,
                    "--out", str(out)]) == 2
    assert "--from" in capsys.readouterr().err
    assert central(["audit-export", "--db", server.db_url, "--from", day, "--to", day,
                    "--out", str(tmp_path / "a.txt")]) == 2
    assert ".csv or .json" in capsys.readouterr().err
    assert len(_office_chain(server, OFFICE)) == 2


def test_a_manager_sees_every_laptops_entries_of_a_case(laptop: Callable[..., Store], server: Server,
                                                        tmp_path: Path) -> None:
    from heart_desktop.services.audit import case_history_everywhere

    officer = laptop("hao", "A. Okafor", ("WDC",))
    manager = laptop("manager", "M. Manager", ("WDC",), role="manager")
    elsewhere = laptop("sdc", "S. Manager", ("SDC",), role="manager")
    case = enquiry(bench_for(officer, tmp_path), "Edna Fairweather")
    officer.cases.detail(case["id"], reason="on the HAO's laptop")
    sync_once(officer)
    sync_once(manager)
    manager.cases.detail(case["id"], reason="the manager's look, not yet sent")
    rows, source = case_history_everywhere(manager, case["id"], "manager")
    assert "as the office holds them" in source
    seen = {(r["officer"], r["reason"]) for r in rows}
    assert {("A. Okafor", "on the HAO's laptop"), ("M. Manager", "the manager's look, not yet sent")} <= seen
    assert len({(r["device_id"], r["seq"]) for r in rows}) == len(rows)  # each entry once
    assert [r["at"] for r in rows] == sorted((r["at"] for r in rows), reverse=True)
    # the office's route: managers only, and only a case of their councils
    url = f"{server.url}{API}/audit/cases/{case['id']}"
    assert httpx.get(url, headers={TOKEN_HEADER: read_state(officer)["token"]}).status_code == 403
    assert httpx.get(url, headers={TOKEN_HEADER: read_state(elsewhere)["token"]}).status_code == 404
    assert httpx.get(url).status_code == 401
    # offline, the laptop's own entries, and it says so
    server.stop()
    try:
        rows, source = case_history_everywhere(manager, case["id"], "manager")
        assert source.startswith("This laptop's entries only")
        assert ("M. Manager", "the manager's look, not yet sent") in {(r["officer"], r["reason"]) for r in rows}
    finally:
        server.start()
