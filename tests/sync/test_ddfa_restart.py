"""Issue 20: a DDFA charge (an approved ``ddfa_loan`` decision the office holds) keeps its case for
as long as it is registered, and erasure is refused naming it; IT marks it discharged (``heart-central
charge``, recorded in the office audit) and the grant file's normal period then runs from the
discharge. And a laptop restored from a backup: its new audit entries reuse numbers the office holds
and are refused until IT runs ``heart-central audit-accept-restart``; then the restarted chain is
kept as a segment linked to the entry the office holds, a tampered chain is still refused, and
nothing the office held changes. Real office over HTTP on 127.0.0.1 (SQLite and PostgreSQL), real
SQLCipher laptop stores, the real backup and restore."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import pytest
from sync_server import FAST_KDF, PASSPHRASE, Server
from test_casework_office import bench_for, enquiry
from test_erase_restrict import _office, _rows, _set

from heart_desktop.central.audit import verify_all
from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.domain.audit_chain import GENESIS, entry_hash
from heart_desktop.domain.retention import decide, erasure_refusal
from heart_desktop.services import casework
from heart_desktop.services.casework import CaseworkError
from heart_desktop.store import Store
from heart_desktop.store.backup import backup_store, restore_store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import sync_once, sync_status
from heart_desktop.sync.protocol import API, TOKEN_HEADER

TODAY = "2026-12-02"
DECIDED = date(2026, 12, 1)


def test_ddfa_rules_before_and_after_discharge() -> None:
    today = date(2026, 12, 2)
    kept = decide("WDC", date(2001, 1, 1), "ddfa", None, today)
    assert (kept.action, kept.rule, kept.until) == ("keep", "ddfa_charge", None)
    # discharged 2022-03-01: six years plus the rest of that year from the discharge
    later = decide("WDC", date(2001, 1, 1), "ddfa", None, today, date(2022, 3, 1))
    assert (later.action, later.rule, later.until) == ("keep", "ddfa_discharged", date(2029, 1, 1))
    gone = decide("WDC", date(2001, 1, 1), "ddfa", None, today, date(2018, 3, 1))
    assert (gone.action, gone.until) == ("erase", date(2025, 1, 1))
    # a discharge long before the closure: the closure's period is the later one
    assert decide("WDC", date(2024, 5, 1), "ddfa", None, today, date(2010, 1, 1)).rule == "grant_file"
    why = erasure_refusal("WDC", date(2001, 1, 1), date(2000, 6, 1), "ddfa", None, today)
    assert why is not None and "repayable DDFA charge is registered" in why
    assert erasure_refusal("WDC", date(2001, 1, 1), date(2000, 6, 1), "ddfa", None, today, date(2018, 3, 1)) is None


def test_a_ddfa_charge_keeps_the_case_until_discharged(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "M. Adeyemi", ("WDC",), role="manager")  # approvals are a manager's (5.5)
    bench = bench_for(store, tmp_path)
    loaned, plain = enquiry(bench, "Ivy Loan"), enquiry(bench, "Stan Plain")
    with pytest.raises(CaseworkError, match="ddfa_loan_pence"):
        casework.decide_application(bench, loaned["id"], "refused", DECIDED, "no", today=DECIDED, ddfa_loan_pence=5)
    for case, loan in ((loaned, 1_500_000), (plain, None)):  # the approval, and with it the DDFA loan (4.2)
        store.stages.set_many(case["id"], {"application": date(2026, 11, 30)}, today=DECIDED)
        casework.decide_application(bench, case["id"], "approved", DECIDED, "4.1 DFG and 4.2 DDFA", today=DECIDED,
                                    amount_pence=3_000_000, ddfa_loan_pence=loan)
    assert sync_once(store).refused == []
    db = CentralDatabase(server.db_url)
    for case in (loaned, plain):
        _set(db, case["id"], outcome="completed", outcome_on="2010-06-01", approval_on="2009-03-01")
    with db.transaction() as tx:  # as if approved in 2009: the office's copy of the decisions, dated then
        for case_id, fields in tx.all("SELECT id, fields FROM records WHERE entity = 'decision'"):
            tx.execute("UPDATE records SET fields = ? WHERE id = ?",
                       (json.dumps({**json.loads(fields), "decided_on": "2009-03-01"}), case_id))
    reference = store.cases.get(loaned["id"])["reference"]

    assert central(["retention", "--db", server.db_url, "--dry-run", "--json", "--today", TODAY]) == 0
    listed = {c["case_id"]: c for c in json.loads(capsys.readouterr().out)["cases"]}
    assert (listed[loaned["id"]]["charge"], listed[loaned["id"]]["rule"], listed[loaned["id"]]["until"]) == (
        "ddfa", "ddfa_charge", None)
    assert listed[loaned["id"]]["ddfa_loan_pence"] == 1_500_000 and listed[loaned["id"]]["action"] == "keep"
    assert listed[plain["id"]]["action"] == "erase"  # the same age without a loan: its period is over
    assert central(["erase", "--db", server.db_url, "--case", reference, "--reason", "request 2026-11-30",
                    "--today", TODAY, "--json"]) == 1
    assert "repayable DDFA charge is registered" in capsys.readouterr().err

    # bad input: named, exit 2, nothing recorded
    before = len(_office(db))
    for argv, words in ((["--discharged-on", "2026-13-01"], "--discharged-on"),
                        (["--discharged-on", "2027-01-01"], "in the future"),
                        (["--discharged-on", "2008-01-01"], "before the loan was approved")):
        assert central(["charge", "--db", server.db_url, "--case", reference, *argv, "--reason", "repaid",
                        "--today", TODAY]) == 2
        assert words in capsys.readouterr().err
    assert central(["charge", "--db", server.db_url, "--case", "WDC/99/99999", "--discharged-on", "2024-01-01",
                    "--reason", "repaid", "--today", TODAY]) == 2
    assert "no case WDC/99/99999" in capsys.readouterr().err
    assert central(["charge", "--db", server.db_url, "--case", reference, "--discharged-on", "2024-01-01",
                    "--reason", "  ", "--today", TODAY]) == 2
    assert "--reason" in capsys.readouterr().err
    assert len(_office(db)) == before

    assert central(["charge", "--db", server.db_url, "--case", reference, "--discharged-on", "2024-02-01",
                    "--reason", "repaid on sale, RX4 sent", "--today", TODAY, "--json", "--by", "IT (J. Bloggs)"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert (after["rule"], after["until"], after["charge_discharged_on"]) == ("ddfa_discharged", "2031-01-01",
                                                                              "2024-02-01")
    action, case_id, detail = _office(db)[-1]
    assert (action, case_id, json.loads(detail)["discharged_on"]) == ("charge_discharge", loaned["id"], "2024-02-01")
    assert central(["charge", "--db", server.db_url, "--case", reference, "--discharged-on", "2024-02-01",
                    "--reason", "again", "--today", TODAY]) == 2
    assert "already discharged" in capsys.readouterr().err
    # still within the period from the discharge: neither retention nor an erasure request removes it
    assert central(["erase", "--db", server.db_url, "--case", reference, "--reason", "request 2026-11-30",
                    "--today", TODAY]) == 1
    assert "kept until 2031-01-01" in capsys.readouterr().err
    # in 2031 the period from the discharge has run: retention erases it
    assert central(["retention", "--db", server.db_url, "--apply", "--json", "--today", "2031-01-02"]) == 0
    assert loaned["id"] in json.loads(capsys.readouterr().out)["erased"]
    assert _rows(db, loaned["id"]) == 0
    assert all(chain["intact"] for chain in verify_all(db))


def _office_chain(db: CentralDatabase, chain: str) -> list[tuple[int, str]]:
    with db.transaction() as tx:
        return [(int(s), str(h)) for s, h in tx.all("SELECT seq, hash FROM audit_entries WHERE device_id = ? "
                                                     "ORDER BY seq", (chain,))]


def test_a_restored_laptop_needs_the_office_to_accept_its_restarted_chain(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    case = enquiry(bench_for(store, tmp_path), "Edna Restore")
    sync_once(store)
    backup = backup_store(store, tmp_path / "monday.heartbak")
    for i in range(3):  # after the backup: views the office receives, then the disk fails
        store.cases.detail(case["id"], reason=f"after backup {i}")
    sync_once(store)
    db = CentralDatabase(server.db_url)
    device, path = store.device_id, store.path
    held = _office_chain(db, device)
    store.close()

    restore_store(backup, path, PASSPHRASE, force=True, kdf_iter=FAST_KDF, officer="A. Okafor")
    restored = Store.open(path, PASSPHRASE, officer="A. Okafor", kdf_iter=FAST_KDF)
    try:
        restored.cases.detail(case["id"], reason="after restore")
        mine = restored.audit.raw(0, 10_000)
        fork = next(e["seq"] for e in mine if (int(e["seq"]), e["hash"]) not in set(held))
        assert fork < held[-1][0]  # the restored trail reuses numbers the office holds
        report = sync_once(restored)
        assert report.audit_problem is not None and "audit-accept-restart" in report.audit_problem
        assert f"forks after entry {fork - 1}" in report.audit_problem
        assert f"--fork-seq {fork - 1}" in report.audit_problem
        assert _office_chain(db, device) == held  # nothing of the restarted run kept

        # bad input to the office action: named, exit 2, nothing recorded
        before = len(_office(db))
        accept = ["audit-accept-restart", "--db", server.db_url, "--device", device]
        for bad, words in ((["--device", "nosuchdevice", "--fork-seq", "1", "--reason", "restored"],
                            "no audit trail of device nosuchdevice"),
                           (["--fork-seq", str(fork - 1), "--reason", " "], "--reason"),
                           (["--reason", "restored"], "--fork-seq: name the last entry"),
                           (["--fork-seq", str(held[-1][0]), "--reason", "restored"], "no restart is needed"),
                           (["--fork-seq", "-1", "--reason", "restored"], "--fork-seq: -1 is not an entry"),
                           (["--fork-seq", str(fork - 1), "--fork-hash", "0" * 64, "--reason", "restored"],
                            f"--fork-hash: the office's entry {fork - 1} of device {device} has hash "
                            f"{dict(held)[fork - 1]}")):
            assert central([*accept, *bad]) == 2
            assert words in capsys.readouterr().err
        assert len(_office(db)) == before

        # a wrong fork point: accepted, but the laptop's run forks elsewhere, so it is refused, nothing kept
        assert central([*accept, "--fork-seq", str(fork - 2), "--reason", "restored (wrong entry)", "--json"]) == 0
        wrong = json.loads(capsys.readouterr().out)
        assert (wrong["fork_seq"], wrong["fork_hash"]) == (fork - 2, {0: GENESIS, **dict(held)}[fork - 2])
        segment = wrong["segment"]
        report = sync_once(restored)
        assert report.audit_problem is not None and f"forks after entry {fork - 1}, not after entry {fork - 2}" \
            in report.audit_problem
        assert _office_chain(db, segment) == [] and _office_chain(db, device) == held
        assert json.loads(_office(db)[-1][2])["stage"] == "accepted"  # no "received" recorded

        assert central([*accept, "--fork-seq", str(fork - 1), "--fork-hash", dict(held)[fork - 1][:12],
                        "--reason", "restored from Monday's backup, ticket 4411", "--json"]) == 0
        accepted = json.loads(capsys.readouterr().out)
        assert (accepted["old_newest_seq"], accepted["old_newest_hash"]) == held[-1]
        assert (accepted["fork_seq"], accepted["fork_hash"], accepted["replaces_fork_seq"]) == (
            fork - 1, dict(held)[fork - 1], fork - 2)
        assert accepted["segment"] == segment  # the waiting segment, re-pointed
        office_entry = json.loads(_office(db)[-1][2])
        assert (office_entry["fork_seq"], office_entry["fork_hash"]) == (fork - 1, dict(held)[fork - 1])
        assert central([*accept, "--fork-seq", str(fork - 1), "--reason", "x"]) == 2
        assert f"already accepted at entry {fork - 1}" in capsys.readouterr().err

        # a restarted run that does not link to an entry the office holds is refused (409), nothing kept
        forged = dict(next(e for e in mine if e["seq"] == fork), prev_hash="f" * 64)
        forged["hash"] = entry_hash(forged["prev_hash"], forged)
        answer = httpx.post(f"{server.url}{API}/audit", json={"entries": [forged]},
                            headers={TOKEN_HEADER: read_state(restored)["token"]})
        assert answer.status_code == 409 and f"audit entry {fork}" in answer.text
        assert _office_chain(db, segment) == [] and _office_chain(db, device) == held

        # a tampered restarted chain is still refused
        restored.conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        restored.conn.execute("UPDATE audit SET reason = 'nothing to see' WHERE seq = ?", (int(mine[-1]["seq"]),))
        restored.conn.commit()
        report = sync_once(restored)
        assert report.audit_problem is not None and f"audit entry {mine[-1]['seq']}" in report.audit_problem
        assert _office_chain(db, segment) == [] and _office_chain(db, device) == held
        restored.conn.execute("UPDATE audit SET reason = ? WHERE seq = ?", (mine[-1]["reason"], int(mine[-1]["seq"])))
        restored.conn.commit()

        report = sync_once(restored)
        assert report.audit_problem is None and sync_status(restored).audit_problem is None
        mine = restored.audit.raw(0, 10_000)
        assert _office_chain(db, segment) == [(int(e["seq"]), e["hash"]) for e in mine if int(e["seq"]) >= fork]
        assert _office_chain(db, device) == held  # the old chain is untouched
        received = json.loads(_office(db)[-1][2])
        assert (received["stage"], received["first_seq"], received["links_to_seq"], received["fork_seq"]) == (
            "received", fork, fork - 1, fork - 1)
        assert received["links_to_hash"] == dict(held)[fork - 1]
        # later entries go on in the segment; every chain, segments included, verifies
        restored.cases.detail(case["id"], reason="next day")
        assert sync_once(restored).audit_sent == 1
        assert _office_chain(db, segment)[-1][0] == int(restored.audit.raw(0, 10_000)[-1]["seq"])
        chains = {c["device_id"]: c for c in verify_all(db)}
        assert chains[device]["intact"] and chains[segment]["intact"] and chains["office"]["intact"]
    finally:
        restored.close()
