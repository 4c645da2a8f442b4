"""Backup of an open store (consistent, still encrypted) and restore that refuses what it cannot unlock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from heart_desktop.store import Store, StoreExistsError, WrongPassphraseError
from heart_desktop.store.backup import restore_store

PASSPHRASE = "correct horse battery staple"


def test_backup_while_open_and_written(tmp_path: Path, open_store: Callable[..., Store],
                                       make_case: Callable[..., str]) -> None:
    path = tmp_path / "live.heartdb"
    app = open_store(path)
    for i in range(20):
        make_case(app, family=f"Before{i}")
    writer = open_store(path, create=False)  # a second connection busy writing, as the app would be
    stop = threading.Event()

    def keep_writing() -> None:
        case_id = writer.cases.page(0, 1)[0]["id"]
        n = 0
        while not stop.is_set():
            with writer.transaction():
                writer.notes.insert({"case_id": case_id, "body": f"note {n}",
                                     "written_at": "2026-11-01T00:00:00Z"})
            n += 1
            time.sleep(0.001)  # as a person would: a few hundred saves a second at most

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        target = app.backup(tmp_path / "copy.heartdb")
    finally:
        stop.set()
        thread.join()
    assert b"Before1" not in target.read_bytes()
    with open_store(target, create=False) as copy:
        assert copy.integrity() == "ok"
        assert copy.counts()["cases"] == 20
        # notes and their journal entries arrived together or not at all: the copy is a snapshot
        notes = copy.counts()["notes"]
        assert copy.conn.execute("SELECT count(*) FROM journal WHERE entity = 'note'").fetchone()[0] == notes
    with pytest.raises(WrongPassphraseError):
        open_store(target, "wrong", create=False)
    writer.close()
    app.close()


def test_restore_refuses_and_forces(tmp_path: Path, open_store: Callable[..., Store],
                                    make_case: Callable[..., str]) -> None:
    path = tmp_path / "s.heartdb"
    with open_store(path) as s:
        make_case(s, family="Original")
        s.backup(tmp_path / "b.heartdb")
        make_case(s, family="Later")
    with pytest.raises(WrongPassphraseError):
        restore_store(tmp_path / "b.heartdb", tmp_path / "new.heartdb", "wrong", kdf_iter=1000)
    assert not (tmp_path / "new.heartdb").exists()
    with pytest.raises(StoreExistsError):
        restore_store(tmp_path / "b.heartdb", path, PASSPHRASE, kdf_iter=1000)
    with open_store(path, create=False) as s:
        assert s.counts()["cases"] == 2
    restore_store(tmp_path / "b.heartdb", path, PASSPHRASE, force=True, kdf_iter=1000)
    with open_store(path, create=False) as s:
        assert s.counts()["cases"] == 1
        assert s.integrity() == "ok"
        assert "restore" in [a["action"] for a in s.audit.read()]
