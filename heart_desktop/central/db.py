"""The central office database: SQLite for a single office or a trial, PostgreSQL for the service.

One thin adapter so the server's SQL is written once (``?`` placeholders, rewritten for psycopg).
Writes that append to the change feed take a database-wide lock first (``BEGIN IMMEDIATE`` on
SQLite, a transaction-scoped advisory lock on PostgreSQL), so feed sequence numbers are assigned
in commit order and a reader paging by cursor can never skip a change committed late.

The schema is versioned (``central/migrations.py``): opening a database brings it to the latest
version. A SQLite file (and its ``-wal`` and ``-shm``) is readable by its owner only: it holds
names, addresses and health details.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from heart_desktop.central.migrations import LATEST, migrate

FEED_LOCK = 7_301_966  # the advisory lock key of the change feed (PostgreSQL)
MAX_IDLE = 16  # idle connections kept for reuse
PRIVATE = 0o600
RELAXED = "SET LOCAL synchronous_commit = off"  # PostgreSQL: a commit that need not wait for the disk
COPY_UPDATES = 32  # PostgreSQL: more updates than this go through COPY and one UPDATE ... FROM

class CentralDatabase:
    """Connections to the server's database; ``transaction(feed=True)`` serialises feed appends."""

    def __init__(self, url: str, upgrade_to: int = LATEST) -> None:
        """Open (creating when new) and bring the schema to ``upgrade_to``: the latest version
        unless a test builds a database as an earlier release left it."""
        self.url = url
        if url.startswith("sqlite:///"):
            self.kind = "sqlite"
            self.path = Path(url.removeprefix("sqlite:///"))
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

