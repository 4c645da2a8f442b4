"""The store: one unlocked SQLCipher connection, its clock, repositories and transactions.

``Store.open`` is the whole public entry point. All writes go through ``store.transaction()``
(one per user action; nested calls become savepoints) and the repositories, which journal
every change. The connection may be used from one thread at a time; the UI runs every store
call on its single store worker.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from heart_desktop.store import connection, migrations
from heart_desktop.store.audit import AuditLog
from heart_desktop.store.changes import LOCAL, ChangeHub, Touched
from heart_desktop.store.clock import HybridLogicalClock
from heart_desktop.store.errors import StoreError, WrongPassphraseError
from heart_desktop.store.journal import Journal

log = logging.getLogger("heart_desktop.store")

if TYPE_CHECKING:
    from heart_desktop.store.attachments import PhotoLimits

DEMO_PASSPHRASE = "heart-demo"
COUNTED_TABLES: tuple[str, ...] = (
    "cases", "people", "properties", "visits", "form_submissions", "hazard_ratings", "works_items",
    "attachments", "documents", "decisions", "notes", "contacts", "stage_events", "blobs", "journal", "audit",
)


@dataclass
class Transaction:
    """Handed to code inside ``store.transaction()``; journal entries share its ``tx`` id."""

    store: Store
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    touched: Touched = field(default_factory=Touched)
    origin: str = LOCAL

    def touch(self, kind: str, *case_ids: str | None) -> None:
        """Note that this transaction changed records of ``kind`` (of these cases), for the
        announcement made when it commits."""
        self.touched.add(kind, case_ids)

    def journal(self, entity: str, entity_id: str, op: str, base_rev: int, rev: int, stamp: str,
                changes: dict[str, Any]) -> int:
        return self.store.journal.append(device_id=self.store.device_id, tx=self.id, hlc=stamp, entity=entity,
                                         entity_id=entity_id, op=op, base_rev=base_rev, rev=rev,
                                         officer=self.store.officer, changes=changes)


class Store:
    """An open, unlocked store. Build it with :meth:`open`."""

    def __init__(self, conn: connection.Connection, path: Path, officer: str, device_id: str,
                 kdf_iter: int | None, passphrase: str, photo_limits: PhotoLimits | None = None) -> None:
        from heart_desktop.store.attachments import Attachments, Documents
        from heart_desktop.store.cases import Cases, StageDates
        from heart_desktop.store.forms import Forms
        from heart_desktop.store.records import (
            Conflicts,
            Decisions,
            Feedback,
            Hazards,
            Interventions,
            Notes,
            People,
            Properties,
            Surveys,
            Visits,
            WorksItems,
        )

        self.conn = conn
        self.path = path
        self.officer = officer
        self.device_id = device_id
        self._kdf_iter = kdf_iter
        self._passphrase = passphrase  # the backup API needs to key its target with it
        self._lock = threading.RLock()
        self._tx: Transaction | None = None
        self._depth = 0
        self.changes = ChangeHub()  # another_connection() shares it: one announcement per commit
        self.origin = LOCAL  # what its commits are announced as, unless a transaction says otherwise
        self.check_pending = False  # opened after an unclean close, the whole-file check not yet run
        self.journal = Journal(conn)
        self.clock = HybridLogicalClock(device_id, last=self.journal.last_hlc())
        saved = conn.execute("SELECT value FROM meta WHERE key = 'hlc'").fetchone()
        if saved:  # the journal may have been pruned after sync acknowledged it
            self.clock.observe(saved[0])
        self.audit = AuditLog(self)
        self.cases = Cases(self)
        self.stages = StageDates(self)
        self.people = People(self)
        self.properties = Properties(self)
        self.visits = Visits(self)
        self.forms = Forms(self)
        self.hazards = Hazards(self)
        self.works = WorksItems(self)
        self.attachments = Attachments(self, photo_limits)
        self.documents = Documents(self)
        self.decisions = Decisions(self)
        self.notes = Notes(self)
        self.interventions = Interventions(self)
        self.feedback = Feedback(self)
        self.surveys = Surveys(self)
        self.conflicts = Conflicts(self)
        from heart_desktop.store.casework import Contacts, StageEvents

        self.contacts = Contacts(self)
        self.stage_events = StageEvents(self)
        from heart_desktop.store.appeals import Appeals

        self.appeals = Appeals(self)

    def name_officer(self, name: str) -> None:
        """The officer this laptop writes as until it is enrolled (``init --officer``, the demo): kept in
        the store, so author fields never fall back to the computer's login."""
        name = name.strip()
        if not name:
            raise StoreError("The officer's name cannot be empty.")
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('officer', ?)", (name,))
        enrolled = self.conn.execute("SELECT value FROM sync_state WHERE key = 'officer'").fetchone()
        if not (enrolled and enrolled[0]):
            self.officer = name

    def another_connection(self) -> Store:
        """The same store on a second connection, for work on another thread (sync): WAL lets it
        read while this one writes, and writers take turns."""
        other = Store.open(self.path, self._passphrase, officer=self.officer, kdf_iter=self._kdf_iter, check=False)
        other.changes = self.changes
        return other

    def repository_for(self, entity: str) -> Any:
        """The repository that writes rows of a sync entity (``"case"``, ``"note"``, ...)."""
        from heart_desktop.store.repository import Repository

        for value in vars(self).values():
            if isinstance(value, Repository) and value.entity.name == entity:
                return value
        raise KeyError(entity)

    # --- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, passphrase: str, *, officer: str = "officer", device_id: str | None = None,
             create: bool = False, check: bool | str = True, kdf_iter: int | None = None,
             synchronous: str = "FULL", photo_limits: PhotoLimits | None = None) -> Store:
        """Unlock (or with ``create``, make) the store at ``path`` and bring its schema up to date.

        Raises one of the :class:`~heart_desktop.store.errors.OpenError` kinds, with the file
        untouched: missing, wrong passphrase, not a database, damaged, or from a newer app.
        ``synchronous=FULL`` (the default) makes each commit durable through a power cut.
        ``check`` runs ``PRAGMA quick_check`` to find damage beyond page 1: it reads the whole
        file (seconds for a 50,000-case store, milliseconds for a real caseload). ``"auto"``,
        what the application uses, runs it only when the last session did not close cleanly (a
        crash, a kill, a flat battery); pages read later are still authenticated by SQLCipher.
        ``"background"`` (the app's choice) opens at once after an unclean close too and leaves
        ``check_pending`` set: :meth:`check_in_background` then reads the file on a second
        connection while the officer works (a 50,000-case store takes seconds to read whole).
        ``photo_limits`` sets when photos are downscaled on import.
        """
        path = Path(path)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = connection.connect(path, passphrase, create=create, kdf_iter=kdf_iter, check=check is True,
                                  synchronous=synchronous, max_version=migrations.LATEST)
        try:
            pending = check == "background" and not cls._closed_cleanly(conn)
            if pending:
                log.warning("store was not closed cleanly: checking the whole file in the background")
            if check == "auto" and not cls._closed_cleanly(conn):
                started = time.perf_counter()
                log.warning("store was not closed cleanly: checking the whole file")
                connection.quick_check(conn, path)
                log.info("store check after an unclean close passed in %.2f s", time.perf_counter() - started)
            version = migrations.schema_version(conn)
            if 0 < version < migrations.LATEST:  # keep the file as it was before upgrading it
                from heart_desktop.store.backup import copy_connection

                backup = path.with_name(f"{path.name}.pre-v{migrations.LATEST}.bak")
                copy_connection(conn, backup, passphrase, kdf_iter)
                log.info("store migration from=%d to=%d backup=%s", version, migrations.LATEST, backup.name)
            migrations.migrate(conn)
            if 0 < version < migrations.LATEST:
                from heart_desktop.store.backup import remember

                remember(conn, backup, "migration")
            device = cls._device_id(conn, device_id)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('closed_cleanly', '0')")
            # an enrolled laptop writes as the officer the office enrolled it for, whoever is logged in
            enrolled = conn.execute("SELECT value FROM sync_state WHERE key = 'officer'").fetchone()
            named = conn.execute("SELECT value FROM meta WHERE key = 'officer'").fetchone()
            officer = str(enrolled[0]) if enrolled and enrolled[0] else str(named[0]) if named and named[0] \
                else officer
        except sqlcipher3.DatabaseError as exc:  # a page the open reads is damaged (no check ran first)
            conn.close()
            from heart_desktop.store.errors import DamagedDatabaseError

            raise DamagedDatabaseError(f"{path} is damaged ({exc}). Restore it from a backup.") from exc
        except BaseException:
            conn.close()
            raise
        try:
            store = cls(conn, path, officer, device, kdf_iter, passphrase, photo_limits)
        except sqlcipher3.DatabaseError as exc:  # the journal's last page, read to set the clock
            conn.close()
            from heart_desktop.store.errors import DamagedDatabaseError

            raise DamagedDatabaseError(f"{path} is damaged ({exc}). Restore it from a backup.") from exc
        store.check_pending = pending
        return store

    def check_in_background(self, report: Callable[[str | None], None]) -> threading.Thread:
        """Read the whole file on a second connection (``PRAGMA quick_check``) and call ``report``
        with None when it is sound or with what is wrong; the connection in use is not touched."""

        def run() -> None:
            from heart_desktop.store.errors import OpenError

            started = time.perf_counter()
            try:
                conn = connection.connect(self.path, self._passphrase, kdf_iter=self._kdf_iter, check=False,
                                          max_version=migrations.LATEST)
            except OpenError as exc:
                report(str(exc))
                return
            try:
                connection.quick_check(conn, self.path)
            except OpenError as exc:
                log.error("store check after an unclean close found damage")
                report(str(exc))
                return
            conn.close()
            self.check_pending = False
            log.info("store check after an unclean close passed in %.2f s", time.perf_counter() - started)
            report(None)

        thread = threading.Thread(target=run, name="heart-store-check", daemon=True)
        thread.start()
        return thread

    @staticmethod
    def _closed_cleanly(conn: connection.Connection) -> bool:
        if migrations.schema_version(conn) == 0:
            return True  # a new, empty file: nothing to check
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'closed_cleanly'").fetchone()
        except sqlcipher3.DatabaseError:
            return False  # the full check that follows says what is wrong
        return row is not None and row[0] == "1"

    @staticmethod
    def _device_id(conn: connection.Connection, wanted: str | None) -> str:
        row = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        if row is not None:
            return str(row[0])
        device = wanted or uuid.uuid4().hex[:12]
        conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", (device,))
        return device

    def close(self) -> None:
        with self._lock:
            with suppress(sqlcipher3.DatabaseError):
                self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)", (self.clock.now(),))
                self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('closed_cleanly', '1')")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions --------------------------------------------------------------------------

    @contextmanager
    def transaction(self, origin: str | None = None) -> Iterator[Transaction]:
        """One atomic unit: all of it commits, with its journal entries, or none of it does.
        ``origin`` says where its changes come from in the announcement (``changes.SYNC`` for a
        pull; otherwise the store's own ``origin``)."""
        with self._lock:
            if self._tx is not None:
                if origin is not None:
                    self._tx.origin = origin
                self._depth += 1
                name = f"sp{self._depth}"
                self.conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self._tx
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                    raise
                else:
                    self.conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            tx = self._tx = Transaction(self, origin=origin or self.origin)
            try:
                yield tx
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._tx = None
        change = tx.touched.change(tx.origin)
        if change is not None:  # after the lock: a listener never waits on this connection
            self.changes.announce(change)

    def touch(self, kind: str, *case_ids: str | None) -> None:
        """Note a change made outside the repositories (in the current transaction, or alone)."""
        with self._lock:
            if self._tx is not None:
                self._tx.touch(kind, *case_ids)
                return
        with self.transaction() as tx:
            tx.touch(kind, *case_ids)

    # --- whole-store operations ----------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.conn)

    def integrity(self) -> str:
        rows = self.conn.execute("PRAGMA integrity_check").fetchall()
        return "ok" if [r[0] for r in rows] == ["ok"] else "; ".join(str(r[0]) for r in rows[:10])

    def counts(self) -> dict[str, int]:
        out = {}
        for table in COUNTED_TABLES:
            live = " WHERE deleted = 0" if table not in ("blobs", "journal", "audit") else ""
            out[table] = int(self.conn.execute(f"SELECT count(*) FROM {table}{live}").fetchone()[0])
        return out

    def verify_passphrase(self, passphrase: str) -> bool:
        """Check a passphrase against the file without disturbing this connection (re-unlock)."""
        try:
            probe = connection.connect(self.path, passphrase, check=False, kdf_iter=self._kdf_iter)
        except WrongPassphraseError:
            return False
        probe.close()
        return True

    def rekey(self, new_passphrase: str) -> None:
        """Change the passphrase; every page is re-encrypted in place by SQLCipher."""
        if not new_passphrase:
            raise StoreError("The new passphrase cannot be empty.")
        with self._lock:
            self.conn.execute(f"PRAGMA rekey = {connection._quote(new_passphrase)}")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._passphrase = new_passphrase
        self.audit.append("rekey")

    def backup(self, target: str | Path) -> Path:
        from heart_desktop.store.backup import backup_store

        return backup_store(self, Path(target))
