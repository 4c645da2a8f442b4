"""The central office database: SQLite for a single office or a trial, PostgreSQL for the service.

One thin adapter so the server's SQL is written once (``?`` placeholders, rewritten for psycopg).
Writes that append to the change feed take a database-wide lock first (``BEGIN IMMEDIATE`` on
SQLite, a transaction-scoped advisory lock on PostgreSQL), so feed sequence numbers are assigned
in commit order and a reader paging by cursor can never skip a change committed late.

The schema is versioned (``central/migrations.py``): opening a database brings it to the latest
version. A SQLite file (and its ``-wal`` and ``-shm``) is readable by its owner only: it holds
names, addresses and health details.

The embedded SQLite database is encrypted with SQLCipher. Its key is a secret given in a file
(``--key-file``, readable by its owner only) or in ``HEART_CENTRAL_KEY``; the secret is stretched
once per process (PBKDF2-HMAC-SHA512) into the raw 256-bit key every connection uses, so opening a
connection does not pay for a key derivation. A plain database from an earlier release is refused
with the one-off conversion to run (``encrypt``). PostgreSQL is left to the database server's own
encryption at rest and TLS.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import sqlcipher3

from heart_desktop.central.migrations import LATEST, migrate

KEY_ENV = "HEART_CENTRAL_KEY"  # the secret itself
KEY_FILE_ENV = "HEART_CENTRAL_KEY_FILE"  # or a file holding it (as --key-file)
KEY_SALT = b"heart-central office database key v1"
KEY_ROUNDS = 256_000  # as SQLCipher 4's own key derivation
MIN_KEY_CHARS = 16
SQLITE_MAGIC = b"SQLite format 3\x00"

FEED_LOCK = 7_301_966  # the advisory lock key of the change feed (PostgreSQL)
MAX_IDLE = 16  # idle connections kept for reuse
PRIVATE = 0o600
RELAXED = "SET LOCAL synchronous_commit = off"  # PostgreSQL: a commit that need not wait for the disk
COPY_UPDATES = 32  # PostgreSQL: more updates than this go through COPY and one UPDATE ... FROM

class OfficeKeyError(ValueError):
    """The embedded database's key is missing, unsafe or wrong, or the file is not encrypted: the
    message says what to do (the verbs exit 2)."""


def read_key_file(path: str | Path) -> str:
    """The secret in ``path``; refused when others may read the file, or when it is too short."""
    path = Path(path).expanduser()
    try:
        mode = path.stat().st_mode
        secret = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise OfficeKeyError(f"--key-file {path}: there is no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OfficeKeyError(f"--key-file {path}: cannot be read ({exc})") from None
    if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        raise OfficeKeyError(f"--key-file {path}: others can read it (mode {stat.S_IMODE(mode):04o}); "
                             f"make it the owner's only with: chmod 600 {path}")
    return _checked_secret(secret, f"--key-file {path}")


def _checked_secret(secret: str, where: str) -> str:
    if len(secret) < MIN_KEY_CHARS:
        raise OfficeKeyError(f"{where}: the key is {len(secret)} characters; give at least {MIN_KEY_CHARS} "
                             "(e.g. the output of: openssl rand -base64 32)")
    return secret


_given: list[str] = []  # the key a heart-central verb was given with --key-file (see use_key)


def use_key(secret: str | None) -> None:
    """Make ``secret`` the key of every database this process opens without one (a verb's
    ``--key-file``); None forgets it."""
    _given[:] = [secret] if secret else []


def office_key(key_file: str | None = None) -> str | None:
    """The embedded database's secret: ``key_file``, else the verb's ``--key-file`` (``use_key``),
    else ``$HEART_CENTRAL_KEY_FILE``, else ``$HEART_CENTRAL_KEY``; None when none is given."""
    if not key_file and _given:
        return _given[0]
    key_file = key_file or os.environ.get(KEY_FILE_ENV)
    if key_file:
        return read_key_file(key_file)
    secret = os.environ.get(KEY_ENV)
    return _checked_secret(secret.strip(), f"${KEY_ENV}") if secret else None


@cache
def raw_key(secret: str) -> str:
    """The SQLCipher raw key (hex) for ``secret``: derived once, then every connection uses it."""
    return hashlib.pbkdf2_hmac("sha512", secret.encode("utf-8"), KEY_SALT, KEY_ROUNDS, dklen=32).hex()


def key_pragma(secret: str) -> str:
    return f"PRAGMA key = \"x'{raw_key(secret)}'\""


def is_plain_sqlite(path: Path) -> bool:
    """The file starts with SQLite's header: a database written without encryption."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


class CentralDatabase:
    """Connections to the server's database; ``transaction(feed=True)`` serialises feed appends."""

    def __init__(self, url: str, upgrade_to: int = LATEST, key: str | None = None) -> None:
        """Open (creating when new) and bring the schema to ``upgrade_to``: the latest version
        unless a test builds a database as an earlier release left it. ``key``: the embedded
        database's secret (default: ``office_key()``, from the environment)."""
        self.url = url
        self._key: str | None = None
        if url.startswith("sqlite:///"):
            self.kind = "sqlite"
            self.path = Path(url.removeprefix("sqlite:///"))
            self._key = key or office_key()
            if not self._key:
                raise OfficeKeyError(f"the office database {self.path} is encrypted: give --key-file FILE (a file "
                                     f"holding the key, mode 0600) or set {KEY_ENV}")
            if is_plain_sqlite(self.path):
                raise OfficeKeyError(
                    f"{self.path} is a plain (unencrypted) SQLite database from an earlier release: stop the "
                    f"server and convert it once with: heart-central encrypt --db sqlite:///{self.path} "
                    "--key-file FILE (then serve with the same key)")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _private(self.path, create=True)
        elif url.startswith(("postgresql://", "postgres://")):
            self.kind = "postgresql"
        else:
            raise ValueError(f"{url!r} is not a database URL: use sqlite:///PATH or postgresql://...")
        # connections are shared between the server's worker threads: a thread takes an idle one
        # for a transaction and gives it back, so a new thread does not pay for a new connection
        self._idle: list[Any] = []
        self._idle_lock = threading.Lock()
        migrate(self, upgrade_to)
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):  # made by SQLite with the database's mode; a file from
                _private(Path(f"{self.path}{suffix}"))  # before this release is tightened here

    def _connect(self) -> Any:
        if self.kind == "sqlite":
            assert self._key is not None
            conn = sqlcipher3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA cipher_log_level = NONE")  # no SQLCipher chatter on stderr
            conn.execute(key_pragma(self._key))
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the key probe
            except sqlcipher3.DatabaseError as exc:
                conn.close()
                raise OfficeKeyError(f"the key does not open {self.path} ({exc}): give the key it was created "
                                     f"with (--key-file or {KEY_ENV})") from None
            conn.execute("PRAGMA temp_store = MEMORY")  # sorts and temporary tables never touch the disk
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            return conn
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def _checkout(self) -> Any:
        with self._idle_lock:
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def _checkin(self, conn: Any) -> None:
        with self._idle_lock:
            if len(self._idle) < MAX_IDLE:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def transaction(self, feed: bool = False, write: bool = False, relaxed: bool = False) -> Iterator[Transaction]:
        """``feed``: serialised with every other feed append; ``write``: takes SQLite's write lock at
        the start (so a read-then-write cannot fail half way), on PostgreSQL use ``FOR UPDATE``;
        ``relaxed``: bookkeeping only, as ``Transaction.relaxed``."""
        conn = self._checkout()
        try:
            if self.kind == "sqlite":
                conn.execute("BEGIN IMMEDIATE" if feed or write else "BEGIN")
            else:  # what the transaction starts with is sent with BEGIN, in one round trip
                conn.execute("; ".join(("BEGIN", *([f"SELECT pg_advisory_xact_lock({FEED_LOCK})"] if feed else []),
                                        *([RELAXED] if relaxed else []))))
        except BaseException:
            conn.close()  # a connection that cannot begin (the database restarted) is not reused
            raise
        try:
            yield Transaction(conn, self.kind)
        except BaseException:
            self._end(conn, "ROLLBACK")
            raise
        self._end(conn, "COMMIT")

    def _end(self, conn: Any, how: str) -> None:
        """Commit or roll back; the connection is reused only when that worked."""
        try:
            conn.execute(how)
        except BaseException:
            conn.close()
            raise
        self._checkin(conn)

    def checkpoint(self) -> bool:
        """SQLite: copy the write-ahead log into the file and empty it, so the old page images it
        holds (an erased row as it was) go; False when a reader kept it from finishing (the next
        checkpoint does it). PostgreSQL: nothing here (dead rows go at VACUUM)."""
        if self.kind != "sqlite":
            return True
        conn = self._checkout()
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except BaseException:
            conn.close()
            raise
        self._checkin(conn)
        return not busy

    def close(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _private(path: Path, create: bool = False) -> None:
    """Make the file readable and writable by its owner only (creating it so when asked): SQLite
    gives its ``-wal`` and ``-shm`` files the database file's mode."""
    if path.exists():
        os.chmod(path, PRIVATE)
    elif create:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE))


class Transaction:
    def __init__(self, conn: Any, kind: str) -> None:
        self._conn, self._kind = conn, kind

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self._kind == "postgresql":
            # binary results: a photo comes back as its bytes, not as hex text twice its size
            return self._conn.execute(sql.replace("?", "%s"), tuple(params), binary=True)
        return self._conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement for many rows: psycopg pipelines them, so a batch is a few round trips."""
        if self._kind == "postgresql":
            with self._conn.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), [tuple(r) for r in rows])
            return
        self._conn.executemany(sql, [tuple(r) for r in rows])

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append many rows, in order (a serial column numbers them so): on PostgreSQL one ``COPY``
        stream, checked by the table's constraints as an ``INSERT`` is; on SQLite ``executemany``."""
        if not rows:
            return
        names = ", ".join(columns)
        if self._kind == "postgresql":
            with self._conn.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self._conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})", rows)

    def update_rows(self, table: str, columns: Sequence[str], keys: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """``UPDATE table SET columns WHERE keys`` for many rows, each ``(*columns, *keys)``. On
        PostgreSQL a batch larger than ``COPY_UPDATES`` is copied into a temporary table and
        applied by one ``UPDATE ... FROM``; otherwise one statement per row (pipelined)."""
        if not rows:
            return
        sets = ", ".join(f"{c} = ?" for c in columns)
        where = " AND ".join(f"{k} = ?" for k in keys)
        if self._kind != "postgresql" or len(rows) <= COPY_UPDATES:
            self.executemany(f"UPDATE {table} SET {sets} WHERE {where}", rows)
            return
        names = ", ".join((*columns, *keys))
        staged = f"staged_{table}"
        self._conn.execute(f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS SELECT {names} FROM {table} "
                           "WITH NO DATA")
        with self._conn.cursor() as cursor, cursor.copy(f"COPY {staged} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self._conn.execute(f"UPDATE {table} AS t SET {', '.join(f'{c} = s.{c}' for c in columns)} FROM {staged} AS s "
                           f"WHERE {' AND '.join(f't.{k} = s.{k}' for k in keys)}")
        self._conn.execute(f"DROP TABLE {staged}")

    def all_in(self, sql: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of ``sql``, whose ``{values}`` stands for a membership test of all ``values``
        (after ``params``): on PostgreSQL one query (``= ANY`` of an array); on SQLite ``IN`` lists
        of at most 400. The order of the rows is not defined."""
        if not values:
            return []
        if self._kind == "postgresql":
            return self.all(sql.format(values="= ANY(?)"), (*params, list(values)))
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(values), 400):
            chunk = list(values[start:start + 400])
            found += self.all(sql.format(values=f"IN ({', '.join('?' for _ in chunk)})"), (*params, *chunk))
        return found

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def relaxed(self) -> None:
        """This transaction records only bookkeeping (the request log, when a device was last seen):
        on PostgreSQL it need not wait for the disk, so a crash may lose its last moments, never
        a change or a file."""
        if self._kind == "postgresql":
            self._conn.execute(RELAXED)

    def columns(self, table: str) -> set[str]:
        if self._kind == "sqlite":
            return {row[1] for row in self.all(f"PRAGMA table_info({table})")}
        return {row[0] for row in self.all("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                           "AND table_schema = current_schema()", (table,))}



def encrypt_plain_file(path: Path, secret: str) -> int:
    """Convert a plain SQLite office database to SQLCipher in place (``sqlcipher_export`` into a
    private file beside it, checked, then moved over it); returns the schema version kept. The
    plain ``-wal``/``-shm`` go with it. Run with the server stopped."""
    path = Path(path)
    if not path.exists():
        raise OfficeKeyError(f"--db: there is no database at {path}")
    if not is_plain_sqlite(path):
        raise OfficeKeyError(f"{path} is not a plain SQLite database (it is encrypted already, or not a "
                             "database): nothing to convert")
    target = path.with_name(path.name + ".encrypting")
    target.unlink(missing_ok=True)
    _private(target, create=True)
    try:
        conn = sqlcipher3.connect(str(path), isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file first
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{raw_key(secret)}'\"", (str(target),))
            conn.execute("SELECT sqlcipher_export('encrypted')")
            conn.execute(f"PRAGMA encrypted.user_version = {version}")
            conn.execute("DETACH DATABASE encrypted")
        finally:
            conn.close()
        check = sqlcipher3.connect(str(target))
        try:
            check.execute(key_pragma(secret))
            if check.execute("PRAGMA user_version").fetchone()[0] != version:
                raise OfficeKeyError(f"the encrypted copy of {path} did not read back: {path} is unchanged")
        finally:
            check.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.replace(target, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return version
