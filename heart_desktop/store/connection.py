"""Opening an encrypted store file, and telling apart the ways that can fail.

SQLCipher cannot say *why* page 1 will not decrypt, so the store decides in an order that
never writes: a missing or empty file, an unencrypted SQLite file, then the key (page 1
decrypts, or not); a file that will not decrypt and is not a whole number of pages is "not a
database", otherwise the passphrase is wrong. Once the key is right, any read failure or a
failed ``quick_check`` means damage. Only after all that does the store set WAL mode (a write).
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from heart_desktop.paths import creation_cut_short
from heart_desktop.store.errors import (
    DamagedDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    StoreNotFoundError,
    WrongPassphraseError,
)

PAGE_SIZE = 4096  # SQLCipher 4's default; the file is always a whole number of pages
SQLITE_MAGIC = b"SQLite format 3\x00"
CACHE_KIB = 64 * 1024
Connection = sqlcipher3.Connection


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _raw_connect(path: Path, passphrase: str, kdf_iter: int | None) -> Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # no SQLCipher chatter on stderr
    if not passphrase:
        conn.close()
        raise WrongPassphraseError("A passphrase is needed to open the store.")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    if kdf_iter is not None:
        conn.execute(f"PRAGMA kdf_iter = {int(kdf_iter)}")
    return conn


def connect(path: Path, passphrase: str, *, create: bool = False, kdf_iter: int | None = None,
            check: bool = True, synchronous: str = "FULL", wal: bool = True,
            max_version: int | None = None) -> Connection:
    """An unlocked connection in WAL mode, or one of the open errors with the file untouched.

    ``kdf_iter`` exists for tests only; ``None`` keeps SQLCipher's default key derivation.
    """
    path = Path(path)
    exists = path.exists()
    if exists and create and creation_cut_short(path):
        exists = False  # SQLite makes a new database in the empty file
    if not exists and not create:
        raise StoreNotFoundError(f"There is no store at {path}.")
    if exists:
        _check_file_shape(path)
    conn = _raw_connect(path, passphrase, kdf_iter)
    if exists:
        try:
            conn.execute("PRAGMA user_version").fetchone()  # reads page 1 only: the key probe
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_NOTADB":  # page 1 decrypted; the rest did not add up
                raise DamagedDatabaseError(f"{path} is damaged ({exc}). Restore it from a backup.") from exc
            size = path.stat().st_size
            if size < PAGE_SIZE or size % PAGE_SIZE:
                raise NotADatabaseError(f"{path} is not a HEART store (it is not an encrypted database).") from exc
            raise WrongPassphraseError("That passphrase does not unlock this store.") from exc
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise DamagedDatabaseError(f"{path} is damaged ({exc}). Restore it from a backup.") from exc
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if max_version is not None and version > max_version:
            conn.close()
            raise NewerSchemaError(
                f"{path} was written by a newer HEART Desktop (schema {version}; this version knows up to "
                f"{max_version}). Update the application; the file has not been changed."
            )
        if check:
            quick_check(conn, path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # decrypted pages kept: fewer AES + HMAC rounds
    conn.execute("PRAGMA busy_timeout = 5000")
    if not wal:
        return conn
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise DamagedDatabaseError(f"{path} could not be switched to WAL mode ({mode}).")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise DamagedDatabaseError(f"{path} is damaged: {exc}. Restore it from a backup.") from exc
    return conn


def _check_file_shape(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise NotADatabaseError(f"{path} is an empty file, not a HEART store.")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        raise NotADatabaseError(f"{path} is an unencrypted SQLite database, not a HEART store.")


def quick_check(conn: Connection, path: Path) -> None:
    """Damage anywhere in the file becomes DamagedDatabaseError (and the connection is closed)."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise DamagedDatabaseError(f"{path} is damaged ({exc}). Restore it from a backup.") from exc
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    if problems:
        conn.close()
        raise DamagedDatabaseError(f"{path} is damaged ({problems[0]}). Restore it from a backup.")

