"""Issue 20: the free-text reasons of an erased case's audit entries go with the case while every
chain still verifies (audit chain format 2 hashes a reason's SHA-256, ``domain/audit_chain.py``).
A synthetic name is planted in the reasons of laptop and office entries of two cases, one erased on
request (``heart-central erase``) and one by ``retention --apply``; afterwards the name is in no row
of the office database, nor (SQLite) anywhere in its file or log as decrypted with the key, nor in
the laptop's audit; another case's reason stays; an entry sent after the erasure arrives blanked;
the triggers still refuse every other change, and a tampered entry is still caught. Real office on
127.0.0.1 (SQLite and PostgreSQL), real SQLCipher laptop."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlcipher_pages import holds
from sync_server import OFFICE_KEY, Server
from test_casework_office import bench_for, enquiry
from test_erase_restrict import _set

from heart_desktop.central.audit import verify_all
from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase, raw_key
from heart_desktop.domain.audit_chain import GENESIS, entry_hash, reason_digest
from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import sync_once
from heart_desktop.sync.protocol import API, TOKEN_HEADER

TODAY = "2026-12-02"
MARKER = "Zebediah Quillfeather"  # synthetic; planted in the erased cases' reasons
KEPT = "Ottoline Brackenbury"  # in a reason of a case that stays
LONG = " rang about the stairs and the bathroom; the daughter will be there on Tuesday. " * 4


def _tables(db: CentralDatabase) -> list[str]:
    with db.transaction() as tx:
        if db.kind == "sqlite":
            return [str(r[0]) for r in tx.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [str(r[0]) for r in tx.all("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                          "current_schema() AND table_type = 'BASE TABLE'")]


def _rows_hold(db: CentralDatabase, text: str) -> list[str]:
    """The tables of the office database with ``text`` in any value of any row."""
    found = []
    for table in _tables(db):
        with db.transaction() as tx:
            rows = tx.all(f"SELECT * FROM {table}")
        values = (v for row in rows for v in row)
        if any(text.encode() in bytes(v) if isinstance(v, bytes | memoryview) else text in str(v) for v in values):
            found.append(table)
    return found


def _file_holds(db: CentralDatabase, text: str) -> bool:
    """SQLite: ``text`` anywhere in the file or its log, decrypted (free space and free pages too)."""
    return db.kind == "sqlite" and holds(db.path, bytes.fromhex(raw_key(OFFICE_KEY)), text)


def _refused(db: CentralDatabase, sql: str, params: tuple[Any, ...] = ()) -> None:
    with pytest.raises(Exception, match="append-only"), db.transaction() as tx:
        tx.execute(sql, params)


def _scratch_entry(db: CentralDatabase, case_id: str) -> None:
    """A format-2 entry of the erased case with its reason, on a chain of its own (to try the trigger on)."""
    entry = {"seq": 1, "at": "2026-12-02T09:00:00.000+00:00", "officer": "T. Tester", "device_id": "scratch01",
             "action": "view", "case_id": case_id, "entity": None, "entity_id": None, "reason": f"{KEPT} again",
             "detail": "{}", "format": 2, "reason_sha256": reason_digest(f"{KEPT} again")}
    names = (*entry, "prev_hash", "hash", "received_at", "sent_by")
    with db.transaction() as tx:
        tx.execute(f"INSERT INTO audit_entries ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                   (*entry.values(), GENESIS, entry_hash(GENESIS, entry), TODAY, "test"))


def test_an_erased_cases_reasons_go_and_every_chain_still_verifies(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    bench = bench_for(store, tmp_path)
    gone, aged, stays = (enquiry(bench, n) for n in ("Edna Gone", "Ivy Aged", "Stan Stays"))
    for case in (gone, aged):
        store.cases.detail(case["id"], reason=f"{MARKER}{LONG}")
    store.cases.detail(stays["id"], reason=f"visit with {KEPT}")
    sync_once(store)
    db = CentralDatabase(server.db_url)
    assert central(["restrict", "--db", server.db_url, "--case", gone["reference"], "--reason",
                    f"accuracy contested by {MARKER}, letter of 2026-11-20"]) == 0  # an office entry of the case
    capsys.readouterr()
    late = store.cases.detail(gone["id"], reason=f"{MARKER}: a view made before the laptop heard{LONG}")
    assert late is not None
    unsent = store.audit.raw(after=int(read_state(store).get("audit_sent") or 0))
    _set(db, gone["id"], outcome="withdrawn", outcome_on="2026-11-01")
    _set(db, aged["id"], outcome="withdrawn", outcome_on="2015-06-01")
    assert "audit_entries" in _rows_hold(db, MARKER)  # the scans see it while it is there
    if db.kind == "sqlite":
        assert _file_holds(db, MARKER)

    assert central(["erase", "--db", server.db_url, "--case", gone["reference"], "--reason",
                    "request of 2026-11-30, ref SAR-17", "--today", TODAY, "--json"]) == 0
    erased = json.loads(capsys.readouterr().out)
    assert erased["audit_reasons"] == {"erased": 2, "kept": 0}  # the laptop's view and the restriction
    assert erased["log_emptied"] is True
    assert central(["retention", "--db", server.db_url, "--apply", "--today", TODAY, "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["erased"] == [aged["id"]] and applied["audit_reasons"] == {aged["id"]: {"erased": 1, "kept": 0}}
    # an entry of the erased case sent after the erasure (read before the laptop heard) arrives blanked
    answer = httpx.post(f"{server.url}{API}/audit", json={"entries": unsent},
                        headers={TOKEN_HEADER: read_state(store)["token"]})
    assert answer.status_code == 200 and answer.json()["accepted"] == len(unsent)
    sync_once(store)  # the laptop hears of the erasures and blanks its own copies

    assert _rows_hold(db, MARKER) == [] and not _file_holds(db, MARKER)
    assert "audit_entries" in _rows_hold(db, KEPT)
    assert _file_holds(db, KEPT) == (db.kind == "sqlite")
    with db.transaction() as tx:
        blank = tx.all("SELECT reason, reason_sha256, format FROM audit_entries WHERE case_id = ? AND action IN "
                       "('view', 'restriction')", (gone["id"],))
    assert len(blank) == 3 and all(r[0] is None and r[1] and r[2] == 2 for r in blank)
    chains = verify_all(db)
    assert chains and all(chain["intact"] for chain in chains), chains
    assert not any(MARKER in str(v) for row in store.conn.execute("SELECT * FROM audit") for v in row)
    assert store.audit.verify() is None
    assert any(KEPT in str(row[0]) for row in store.conn.execute("SELECT reason FROM audit"))

    # the triggers let through only a reason blanked, alone, on a format-2 entry of an erased case
    _scratch_entry(db, gone["id"])
    for sql, params in (("UPDATE audit_entries SET reason = NULL, officer = 'someone' WHERE device_id = ?",
                         ("scratch01",)),
                        ("UPDATE audit_entries SET reason = NULL, reason_sha256 = NULL WHERE device_id = ?",
                         ("scratch01",)),
                        ("UPDATE audit_entries SET reason = 'made up' WHERE device_id = ?", ("scratch01",)),
                        ("UPDATE audit_entries SET reason = NULL WHERE case_id = ?", (stays["id"],)),
                        ("UPDATE audit_entries SET reason = 'made up' WHERE case_id = ?", (gone["id"],)),
                        ("DELETE FROM audit_entries WHERE case_id = ?", (gone["id"],))):
        _refused(db, sql, params)
    if db.kind == "postgresql":
        _refused(db, "TRUNCATE audit_entries")
    with db.transaction() as tx:
        tx.execute("UPDATE audit_entries SET reason = NULL WHERE device_id = ?", ("scratch01",))
        assert tx.one("SELECT reason FROM audit_entries WHERE device_id = ?", ("scratch01",)) == (None,)
    assert all(chain["intact"] for chain in verify_all(db))

    # a tampered entry is still caught: a reason put back where it was blanked, with the trigger gone
    with db.transaction() as tx:
        tx.execute("DROP TRIGGER audit_entries_no_update" + (" ON audit_entries" if db.kind == "postgresql" else ""))
        chain, seq = tx.one("SELECT device_id, seq FROM audit_entries WHERE case_id = ? AND action = 'view' "
                            "ORDER BY seq LIMIT 1", (gone["id"],))
        tx.execute("UPDATE audit_entries SET reason = 'nothing of note' WHERE device_id = ? AND seq = ?", (chain, seq))
    broken = {c["device_id"]: c for c in verify_all(db)}[chain]
    assert not broken["intact"] and broken["first_broken"]["seq"] == seq
    assert "its reason was changed" in broken["first_broken"]["problem"]
