"""The central office database: SQLite for a single office or a trial, PostgreSQL for the service.

One thin adapter so the server's SQL is written once (``?`` placeholders, rewritten for psycopg).
Writes that append to the change feed take a database-wide lock first (``BEGIN IMMEDIATE`` on
SQLite, a transaction-scoped advisory lock on PostgreSQL), so feed sequence numbers are assigned
in commit order and a reader paging by cursor can never skip a change committed late.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FEED_LOCK = 7_301_966
MAX_IDLE = 16  # idle connections kept for reuse  # the advisory lock key of the change feed (PostgreSQL)

_TABLES = """
CREATE TABLE IF NOT EXISTS officers (name TEXT PRIMARY KEY, role TEXT NOT NULL, councils TEXT NOT NULL,
    created_at TEXT NOT NULL, team TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS enrol_codes (code_hash TEXT PRIMARY KEY, officer TEXT NOT NULL REFERENCES officers(name),
    created_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, officer TEXT NOT NULL REFERENCES officers(name),
    token_hash TEXT NOT NULL UNIQUE, name TEXT, enrolled_at TEXT NOT NULL, revoked_at TEXT, last_seen TEXT,
    last_seq BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS batches (device_id TEXT NOT NULL, batch_key TEXT NOT NULL, content_hash TEXT NOT NULL,
    device_seq BIGINT NOT NULL, response TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (device_id, batch_key));
CREATE TABLE IF NOT EXISTS records (entity TEXT NOT NULL, id TEXT NOT NULL, case_id TEXT, council TEXT,
    rev BIGINT NOT NULL, fields TEXT NOT NULL, hlc TEXT NOT NULL, PRIMARY KEY (entity, id));
CREATE TABLE IF NOT EXISTS conflicts (id {serial}, entity TEXT NOT NULL, record_id TEXT NOT NULL,
    field TEXT NOT NULL, kept TEXT, offered TEXT, device_id TEXT NOT NULL, officer TEXT NOT NULL, hlc TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS request_log (id {serial}, at TEXT NOT NULL, device_id TEXT, method TEXT NOT NULL,
    path TEXT NOT NULL, status INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS feed (seq {serial}, entity TEXT NOT NULL, id TEXT NOT NULL, case_id TEXT,
    council TEXT, op TEXT NOT NULL, base_rev BIGINT NOT NULL, rev BIGINT NOT NULL, hlc TEXT NOT NULL,
    officer TEXT NOT NULL, device_id TEXT NOT NULL, fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (sha256 TEXT PRIMARY KEY, length BIGINT NOT NULL, received BIGINT NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0, data {blob});
CREATE TABLE IF NOT EXISTS file_chunks (sha256 TEXT NOT NULL, at BIGINT NOT NULL, data {blob} NOT NULL,
    PRIMARY KEY (sha256, at));
CREATE TABLE IF NOT EXISTS case_refs (reference TEXT PRIMARY KEY, case_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file_refs (entity TEXT NOT NULL, record_id TEXT NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (entity, record_id));
CREATE INDEX IF NOT EXISTS file_refs_sha256 ON file_refs (sha256);
CREATE INDEX IF NOT EXISTS feed_council ON feed (council, seq);
CREATE INDEX IF NOT EXISTS records_case ON records (case_id);
CREATE INDEX IF NOT EXISTS records_council ON records (council, entity);
"""

# Columns added after a database may already exist: (table, column, definition).
_ADDED_COLUMNS = (("officers", "team", "TEXT NOT NULL DEFAULT ''"),
                  # scope follows the case: feed entries addressed to one device (a case snapshot or a
                  # removal when its officer's councils change), and the councils a device was last served
                  ("feed", "target", "TEXT"), ("devices", "scope", "TEXT"))


class CentralDatabase:
    """Connections to the server's database; ``transaction(feed=True)`` serialises feed appends."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            self.kind = "sqlite"
            self.path = Path(url.removeprefix("sqlite:///"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif url.startswith(("postgresql://", "postgres://")):
            self.kind = "postgresql"
        else:
            raise ValueError(f"{url!r} is not a database URL: use sqlite:///PATH or postgresql://...")
        # connections are shared between the server's worker threads: a thread takes an idle one
        # for a transaction and gives it back, so a new thread does not pay for a new connection
        self._idle: list[Any] = []
        self._idle_lock = threading.Lock()
        with self.transaction() as tx:
            serial = "INTEGER PRIMARY KEY AUTOINCREMENT" if self.kind == "sqlite" else "BIGSERIAL PRIMARY KEY"
            blob = "BLOB" if self.kind == "sqlite" else "BYTEA"
            for statement in _TABLES.format(serial=serial, blob=blob).split(";"):
                if statement.strip():
                    tx.execute(statement)
            for table, column, definition in _ADDED_COLUMNS:
                if column not in tx.columns(table):
                    tx.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            tx.execute("CREATE INDEX IF NOT EXISTS feed_target ON feed (target, seq)")

    def _connect(self) -> Any:
        if self.kind == "sqlite":
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
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
    def transaction(self, feed: bool = False) -> Iterator[Transaction]:
        conn = self._checkout()
        try:
            if self.kind == "sqlite":
                conn.execute("BEGIN IMMEDIATE" if feed else "BEGIN")
            else:
                conn.execute("BEGIN")
                if feed:
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK,))
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

    def close(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


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

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def relaxed(self) -> None:
        """This transaction records only bookkeeping (the request log, when a device was last seen):
        on PostgreSQL it need not wait for the disk, so a crash may lose its last moments, never
        a change or a file."""
        if self._kind == "postgresql":
            self._conn.execute("SET LOCAL synchronous_commit = off")

    def columns(self, table: str) -> set[str]:
        if self._kind == "sqlite":
            return {row[1] for row in self.all(f"PRAGMA table_info({table})")}
        return {row[0] for row in self.all("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                           "AND table_schema = current_schema()", (table,))}

    def insert_returning_seq(self, sql: str, params: Sequence[Any]) -> int:
        if self._kind == "postgresql":
            return int(self.execute(f"{sql} RETURNING seq", params).fetchone()[0])
        return int(self.execute(sql, params).lastrowid)
