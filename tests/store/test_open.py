"""Opening: the four distinct errors, each leaving the file byte-for-byte unchanged; rekey."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from damage import damage_a_page_opening_does_not_read

from heart_desktop.store import (
    DamagedDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    Store,
    StoreNotFoundError,
    WrongPassphraseError,
)
from heart_desktop.store.migrations import LATEST

PASSPHRASE = "correct horse battery staple"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def made(tmp_path: Path, open_store: Callable[..., Store], make_case: Callable[..., str]) -> Callable[..., Path]:
    def build(cases: int = 3) -> Path:
        path = tmp_path / "s.heartdb"
        with open_store(path) as s:
            for i in range(cases):
                make_case(s, family=f"Family{i}")
        return path

    return build


def test_create_then_reopen(tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made()
    with open_store(path, create=False) as s:
        assert s.counts()["cases"] == 3
        assert s.schema_version == LATEST
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] >= 1  # NORMAL or stricter


def test_missing_file_is_not_created(tmp_path: Path, open_store: Callable[..., Store]) -> None:
    with pytest.raises(StoreNotFoundError):
        open_store(tmp_path / "nope.heartdb", create=False)
    assert not (tmp_path / "nope.heartdb").exists()


def test_wrong_passphrase(tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made()
    before = digest(path)
    with pytest.raises(WrongPassphraseError):
        open_store(path, "not the passphrase", create=True)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


@pytest.mark.parametrize("content", [b"", b"hello, this is a text file\n" * 40, b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000,
                                     b"SQLite format 3\x00" + b"\x00" * 8176])
def test_not_a_database(tmp_path: Path, content: bytes, open_store: Callable[..., Store]) -> None:
    path = tmp_path / "other.file"
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError):
        open_store(path, create=True)
    assert path.read_bytes() == content


def test_damaged_database(tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made(cases=60)
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * 4096
    for offset in range(2 * 4096 + 100, 2 * 4096 + 164):  # scribble over the middle of page 3
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DamagedDatabaseError):
        open_store(path, create=False)
    assert digest(path) == before


def test_truncated_database_is_damaged(
    tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made(cases=60)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size - 3 * 4096)
    before = digest(path)
    with pytest.raises(DamagedDatabaseError):
        open_store(path, create=False)
    assert digest(path) == before


def test_newer_schema(tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made()
    with open_store(path) as s:
        s.conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    before = digest(path)
    with pytest.raises(NewerSchemaError) as caught:
        open_store(path, create=False)
    assert "newer" in str(caught.value)
    assert digest(path) == before


def test_the_four_errors_are_distinct() -> None:
    kinds = {WrongPassphraseError, NotADatabaseError, DamagedDatabaseError, NewerSchemaError}
    for kind in kinds:
        assert not any(issubclass(kind, other) for other in kinds - {kind})


def test_rekey_keeps_data(tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store],
                          make_case: Callable[..., str]) -> None:
    path = made()
    with open_store(path) as s:
        s.rekey("a new passphrase")
        make_case(s, family="AfterRekey")
    with pytest.raises(WrongPassphraseError):
        open_store(path, PASSPHRASE, create=False)
    with open_store(path, "a new passphrase", create=False) as s:
        assert s.counts()["cases"] == 4
        assert s.integrity() == "ok"
        assert "rekey" in [a["action"] for a in s.audit.read()]


def test_verify_passphrase_for_reunlock(
    tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made()
    with open_store(path) as s:
        assert s.verify_passphrase(PASSPHRASE)
        assert not s.verify_passphrase("nope")


def test_default_kdf_is_sqlciphers(tmp_path: Path) -> None:
    from heart_desktop.store import Store

    with Store.open(tmp_path / "real.heartdb", "pw", create=True) as s:
        assert s.conn.execute("PRAGMA kdf_iter").fetchone()[0] == "256000"
    assert os.path.getsize(tmp_path / "real.heartdb") > 0


def test_auto_check_reads_the_whole_file_only_after_an_unclean_close(
        tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from heart_desktop.store import connection

    checks: list[Path] = []
    real = connection.quick_check
    monkeypatch.setattr(connection, "quick_check", lambda conn, path: (checks.append(path), real(conn, path)))
    path = made(cases=5)  # closed cleanly
    open_store(path, create=False, check="auto").close()
    assert checks == []
    crashed = open_store(path, create=False, check="auto")
    crashed.conn.close()  # the process dies: no clean close is recorded
    open_store(path, create=False, check="auto").close()
    assert checks == [path]


def test_auto_check_finds_damage_after_an_unclean_close(
        tmp_path: Path, made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made(cases=60)
    open_store(path, create=False, check="auto").conn.close()  # left open, as by a crash
    data = bytearray(path.read_bytes())
    for offset in range(2 * 4096 + 100, 2 * 4096 + 164):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DamagedDatabaseError):
        open_store(path, create=False, check="auto")
    assert digest(path) == before


def test_after_a_crash_the_app_opens_at_once_and_checks_in_the_background(
        made: Callable[..., Path], open_store: Callable[..., Store]) -> None:
    path = made(cases=60)
    open_store(path, create=False, check="background").close()  # a clean close: nothing to check
    sound = open_store(path, create=False, check="background")
    assert sound.check_pending is False
    sound.conn.close()  # left open, as by a crash
    crashed = open_store(path, create=False, check="background")
    assert crashed.check_pending is True
    answers: list[str | None] = []
    crashed.check_in_background(answers.append).join(30)
    assert answers == [None] and crashed.check_pending is False
    crashed.conn.close()
    damaged = damage_a_page_opening_does_not_read(path, lambda: open_store(path, create=False, check="background"))
    found: list[str | None] = []
    damaged.check_in_background(found.append).join(30)
    damaged.conn.close()
    assert found and found[0] is not None and "damaged" in found[0]

