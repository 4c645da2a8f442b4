"""The audit trail: append-only by trigger, chained by SHA-256, a removed entry named by verify;
entries written before the chain linked by its migration; every copy of the store wiped."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from heart_desktop.domain.audit_chain import verify
from heart_desktop.store import Store, connection, migrations
from heart_desktop.store.backup import copies, wipe

PASSPHRASE = "correct horse battery staple"


def _trail(store: Store, case_id: str, n: int = 5) -> None:
    for i in range(n):
        store.audit.append("view", case_id=case_id, entity="case", entity_id=case_id, reason=f"visit {i}")


def test_updates_and_deletes_are_refused(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    _trail(store, case_id)
    for sql in ("UPDATE audit SET officer = 'someone else'", "DELETE FROM audit WHERE seq = 2",
                "UPDATE audit SET reason = NULL WHERE seq = 3"):
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            store.conn.execute(sql)
    assert store.audit.verify() is None
    assert [r["seq"] for r in store.audit.read(case_id, oldest_first=True)][:2] == [1, 2]


def test_a_deleted_entry_is_named(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    _trail(store, case_id, 6)
    last = store.audit.read(limit=1)[0]["seq"]
    store.conn.execute("DROP TRIGGER audit_no_delete")  # as someone with the passphrase and a SQL shell
    store.conn.execute("DELETE FROM audit WHERE seq = ?", (last - 2,))
    broken = store.audit.verify()
    assert broken is not None
    assert broken.seq == last - 1
    assert f"entry {last - 2} missing" in broken.problem


def test_a_rewritten_entry_and_a_renumbered_gap_are_named(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    _trail(store, case_id, 4)
    store.conn.execute("DROP TRIGGER audit_no_update")
    store.conn.execute("UPDATE audit SET officer = 'Nobody' WHERE seq = 3")
    broken = store.audit.verify()
    assert broken is not None and broken.seq == 3 and "contents were changed" in broken.problem
    # a cleverer edit: delete an entry and renumber the rest to close the gap
    store.conn.execute("UPDATE audit SET officer = 'T. Tester' WHERE seq = 3")
    assert store.audit.verify() is None
    store.conn.execute("DROP TRIGGER audit_no_delete")
    store.conn.execute("DROP INDEX audit_seq")
    store.conn.execute("DELETE FROM audit WHERE seq = 2")
    store.conn.execute("UPDATE audit SET seq = seq - 1 WHERE seq > 2")
    broken = store.audit.verify()
    assert broken is not None and broken.seq == 2 and "does not follow" in broken.problem


def test_entries_before_the_chain_are_linked_by_the_migration(tmp_path: Path,
                                                             open_store: Callable[..., Store]) -> None:
    path = tmp_path / "old.heartdb"
    conn = connection.connect(path, PASSPHRASE, create=True, kdf_iter=1000)
    migrations.migrate(conn, target=8)
    for i in range(3):
        conn.execute("INSERT INTO audit (at, officer, device_id, action, case_id, detail) VALUES (?, 'Old', 'dev', "
                     "'view', 'c1', '{}')", (f"2026-01-0{i + 1}T00:00:00.000+00:00",))
    conn.close()
    with open_store(path, create=False) as store:
        assert store.audit.verify() is None
        assert [r["seq"] for r in store.audit.raw()] == [1, 2, 3]
        store.audit.append("view", case_id="c1", reason="after the upgrade")
        assert store.audit.verify() is None
        assert verify(store.audit.raw()) is None
        with pytest.raises(sqlcipher3.IntegrityError):
            store.conn.execute("DELETE FROM audit")
        # the copy the migration kept is listed, for a wipe to find
        assert path.with_name(f"{path.name}.pre-v{migrations.LATEST}.bak").resolve() in copies(store)


def test_wipe_removes_every_backup_and_migration_copy(tmp_path: Path, open_store: Callable[..., Store],
                                                      make_case: Callable[..., str]) -> None:
    path = tmp_path / "data" / "store.heartdb"
    path.parent.mkdir()
    store = open_store(path)
    make_case(store)
    elsewhere = store.backup(tmp_path / "usb" / "friday.heartdb")
    beside = store.backup(path.with_name("store.heartdb.pre-v3.bak"))  # as an older release left one
    assert {elsewhere.resolve(), beside.resolve()} <= set(copies(store))
    destroyed = wipe(store)
    assert {path, elsewhere, beside} <= {p for p in destroyed}
    assert not list((tmp_path / "data").iterdir())
    assert not list((tmp_path / "usb").iterdir())


def test_audit_verb_lists_a_case_and_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              make_case: Callable[..., str]) -> None:
    from heart_desktop.cli import main

    monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "verb.heartdb"
    with Store.open(path, PASSPHRASE, create=True, officer="T. Tester") as store:  # the verbs' own key derivation
        case_id = make_case(store)
        reference = store.cases.get(case_id)["reference"]
        store.cases.detail(case_id, reason="a first look")
        store.cases.detail(case_id, reason="checking the referral")
    assert main(["audit", "--db", str(path), "--case", reference, "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert entries[0]["action"] == "view" and entries[0]["reason"] == "checking the referral"
    assert entries[0]["officer"] == "T. Tester" and entries[0]["device_id"]
    assert main(["audit", "--db", str(path), "--verify", "--json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    assert verified["intact"] is True and verified["office"] == {"sent_up_to": 0, "problem": None}
    # what a sync leaves when the office holds an entry the laptop no longer has (tests/sync/test_audit_sync.py)
    from heart_desktop.store.sync_apply import write_state

    with Store.open(path, PASSPHRASE) as store:
        write_state(store, audit_sent=3, audit_problem="the office holds audit entry 3 of this laptop, which this "
                                                       "laptop no longer holds as sent")
    assert main(["audit", "--db", str(path), "--verify", "--json"]) == 1
    verified = json.loads(capsys.readouterr().out)
    assert verified["intact"] is True and verified["office"]["sent_up_to"] == 3
    assert "holds audit entry 3" in verified["office"]["problem"]
    with Store.open(path, PASSPHRASE) as store:
        store.conn.execute("DROP TRIGGER audit_no_delete")
        store.conn.execute("DELETE FROM audit WHERE seq = 1")
    assert main(["audit", "--db", str(path), "--verify"]) == 1
    assert "entry 2: entry 1 missing before it" in capsys.readouterr().out


MARKER = "Zebediah Quillfeather"  # a synthetic name planted in the erased case's reasons
KEPT = "Ottoline Brackenbury"  # in another case's reason, which stays
OLD = "Percival Legacyworth"  # in an entry written in format 1, which keeps its text
# a long reason, its marker first: a shorter row rewritten over it would otherwise cover the marker by
# chance, and the file scan would not show whether old bytes are overwritten
LONG = " rang about the stairs and the bathroom; the daughter will be there on Tuesday. " * 4


def _format_1_entry(store: Store, case_id: str, reason: str) -> None:
    """An entry as a laptop wrote it before format 2 (its hash over the reason's text), chained on."""
    from heart_desktop.domain.audit_chain import entry_hash

    seq, prev = store.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    entry = {"seq": seq + 1, "at": "2026-01-05T10:00:00.000+00:00", "officer": "T. Tester",
             "device_id": store.device_id, "action": "view", "case_id": case_id, "entity": "case",
             "entity_id": case_id, "reason": reason, "detail": "{}"}
    names = (*entry, "prev_hash", "hash")
    store.conn.execute(f"INSERT INTO audit ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                       (*entry.values(), prev, entry_hash(prev, entry)))


def test_an_erased_cases_reasons_are_blanked_and_the_chain_still_verifies(
        tmp_path: Path, open_store: Callable[..., Store], make_case: Callable[..., str]) -> None:
    from sqlcipher_pages import holds, passphrase_key

    from heart_desktop.store.sync_apply import remove_case

    path = tmp_path / "store.heartdb"
    store = open_store(path)
    gone, stays = make_case(store, family="Quill"), make_case(store, family="Bracken")
    store.audit.append("view", case_id=gone, entity="case", entity_id=gone, reason=f"{MARKER}{LONG}")
    _format_1_entry(store, gone, f"written before the upgrade: {OLD}")
    store.audit.append("print", case_id=gone, entity="case", entity_id=gone, reason=f"{MARKER}: the pack{LONG}")
    store.audit.append("view", case_id=stays, entity="case", entity_id=stays, reason=f"visit with {KEPT}")
    assert store.audit.verify() is None
    key = passphrase_key(path, PASSPHRASE, 1000)
    assert holds(path, key, MARKER)  # the scan sees it while it is there
    assert store.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1  # SQLCipher's, for a keyed connection
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):  # not while the case is held
        store.conn.execute("UPDATE audit SET reason = NULL WHERE case_id = ?", (gone,))

    with store.transaction():  # the office erased it: the removal the laptop is sent
        remove_case(store, gone, erased=True)
    rows = store.audit.read(gone, limit=None, oldest_first=True)
    assert [(r["format"], r["reason"]) for r in rows if r["reason"] is None or OLD in r["reason"]] == [
        (2, None), (1, f"written before the upgrade: {OLD}"), (2, None)]
    assert all(r["reason_sha256"] for r in rows if r["format"] == 2)
    assert store.audit.verify() is None
    assert not any(MARKER in str(value) for row in store.conn.execute("SELECT * FROM audit") for value in row)
    assert [r["reason"] for r in store.audit.read(stays, limit=None)] == [f"visit with {KEPT}"]
    for sql in ("UPDATE audit SET reason = 'something else' WHERE case_id = :gone AND format = 2",
                "UPDATE audit SET reason = NULL WHERE case_id = :gone AND format = 1",
                "UPDATE audit SET reason = NULL, detail = '{}' WHERE case_id = :gone",
                "UPDATE audit SET reason_sha256 = NULL WHERE case_id = :gone",
                "UPDATE audit SET reason = NULL WHERE case_id = :stays",
                "DELETE FROM audit WHERE case_id = :gone"):
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            store.conn.execute(sql, {"gone": gone, "stays": stays})
    store.close()
    assert not holds(path, key, MARKER)  # nor in the file: free space, free pages, the log
    assert holds(path, key, KEPT) and holds(path, key, OLD)

    with open_store(path, create=False) as store:  # a tampered entry is still caught
        blank = next(r for r in store.audit.raw(0, 100) if r["case_id"] == gone and r["format"] == 2)
        store.conn.execute("DROP TRIGGER audit_no_update")
        store.conn.execute("UPDATE audit SET reason = 'made up later' WHERE seq = ?", (blank["seq"],))
        broken = store.audit.verify()
        assert broken is not None and broken.seq == blank["seq"] and "its reason was changed" in broken.problem
        store.conn.execute("UPDATE audit SET reason = NULL, reason_sha256 = ? WHERE seq = ?", ("0" * 64, blank["seq"]))
        broken = store.audit.verify()
        assert broken is not None and broken.seq == blank["seq"] and "contents were changed" in broken.problem


def test_entries_of_format_1_still_verify_after_migration_11(tmp_path: Path, open_store: Callable[..., Store]) -> None:
    from heart_desktop.domain.audit_chain import GENESIS, entry_hash

    path = tmp_path / "old.heartdb"
    conn = connection.connect(path, PASSPHRASE, create=True, kdf_iter=1000)
    migrations.migrate(conn, target=10)
    prev = GENESIS
    for seq in (1, 2):  # as release 10 wrote them: the hash over the reason's text
        entry = {"seq": seq, "at": f"2026-01-0{seq}T00:00:00.000+00:00", "officer": "Old", "device_id": "dev",
                 "action": "view", "case_id": "c1", "entity": None, "entity_id": None, "reason": f"{OLD} {seq}",
                 "detail": "{}"}
        names = (*entry, "prev_hash", "hash")
        prev, digest = entry_hash(prev, entry), prev
        conn.execute(f"INSERT INTO audit ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                     (*entry.values(), digest, prev))
    conn.close()
    with open_store(path, create=False) as store:
        assert [(r["format"], r["reason_sha256"]) for r in store.audit.raw()] == [(1, None), (1, None)]
        assert store.audit.verify() is None
        store.audit.append("view", case_id="c1", reason="after the upgrade")
        newest = store.audit.raw()[-1]
        assert (newest["format"], newest["reason_sha256"]) == (2, hashlib.sha256(b"after the upgrade").hexdigest())
        assert store.audit.verify() is None and verify(store.audit.raw()) is None
