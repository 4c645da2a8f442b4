"""Consistent encrypted copies, made with SQLite's online backup API, and restoring them.

The backup reads a snapshot through the open connection (so it is consistent even while the
app is writing) into a new file keyed with the same passphrase; it is written beside the target
and renamed into place, so a half-made backup never replaces a good one. Restore unlocks and
checks the backup first and refuses to replace an existing store unless forced.

Every backup and every copy a migration keeps (``*.pre-vN.bak``) is listed in the store's
``backups`` table, so that a revoked laptop's wipe (``wipe``) finds and destroys them all.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from heart_desktop.store import connection, migrations
from heart_desktop.store.database import Store
from heart_desktop.store.errors import StoreError, StoreExistsError


def copy_connection(source: connection.Connection, target: Path, passphrase: str, kdf_iter: int | None) -> None:
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)
    dest = connection._raw_connect(partial, passphrase, kdf_iter)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        check = dest.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise StoreError(f"the copy failed its check ({check})")
    finally:
        dest.close()
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)


def backup_store(store: Store, target: Path) -> Path:
    """Copy the open store to ``target`` (replacing a previous backup file there)."""
    target = Path(target)
    if target.resolve() == store.path.resolve():
        raise StoreError("The backup cannot be the store itself.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with store._lock:
        try:
            copy_connection(store.conn, target, store._passphrase, store._kdf_iter)
        except sqlcipher3.Error as exc:  # disk full and the like
            raise StoreError(f"The backup failed: {exc}") from exc
    remember(store.conn, target, "backup")
    store.audit.append("backup", detail={"to": str(target)}, reason="a backup copy of the store")
    return target


def remember(conn: connection.Connection, path: Path, kind: str) -> None:
    """List a copy of the store (``backup`` or ``migration``) so that a wipe can find it."""
    conn.execute("INSERT OR REPLACE INTO backups (path, kind, made_at) VALUES (?, ?, ?)",
                 (str(Path(path).resolve()), kind, datetime.now(UTC).isoformat(timespec="seconds")))


def copies(store: Store) -> list[Path]:
    """Every copy of the store it knows of: the backups and migration copies listed, and any
    ``*.pre-vN.bak`` beside it (a copy a release before the list made)."""
    listed = [Path(row[0]) for row in store.conn.execute("SELECT path FROM backups ORDER BY path")]
    beside = sorted(store.path.parent.glob(f"{store.path.name}.pre-v*.bak"))
    return list(dict.fromkeys([*listed, *(p.resolve() for p in beside)]))


def wipe(store: Store) -> list[Path]:
    """Close the store and destroy it, its WAL and every copy of it (each overwritten, then
    deleted); returns the files destroyed."""
    path: Path = store.path
    victims = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    for copy in copies(store):
        victims += [copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"), Path(f"{copy}.partial")]
    store.close()
    destroyed = []
    for victim in victims:
        if victim.is_file():
            size = victim.stat().st_size
            with victim.open("r+b") as handle:
                handle.write(b"\0" * size)
                handle.flush()
                os.fsync(handle.fileno())
            victim.unlink()
            destroyed.append(victim)
    return destroyed


def restore_store(backup: Path, db: Path, passphrase: str, *, force: bool = False, kdf_iter: int | None = None,
                  officer: str = "officer") -> Path:
    """Put a backup in place as the store at ``db``. The backup must unlock and pass its check."""
    backup, db = Path(backup), Path(db)
    if db.exists() and not force:
        raise StoreExistsError(f"{db} already exists; use --force to replace it with the backup.")
    # unlock and check the backup without writing to it (no WAL switch, no migration)
    source = connection.connect(backup, passphrase, kdf_iter=kdf_iter, wal=False, max_version=migrations.LATEST)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        for stale in (Path(f"{db}-wal"), Path(f"{db}-shm")):  # an old WAL must not be replayed onto the copy
            stale.unlink(missing_ok=True)
        copy_connection(source, db, passphrase, kdf_iter)
    finally:
        source.close()
    with Store.open(db, passphrase, officer=officer, kdf_iter=kdf_iter) as restored:
        restored.audit.append("restore", detail={"from": str(backup)})
    return db
