"""The audit trail: append-only by trigger, chained by SHA-256, a removed entry named by verify;
entries written before the chain linked by its migration; every copy of the store wiped."""

from __future__ import annotations

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
