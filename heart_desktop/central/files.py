"""Attachments at the office: photos and signed packs, addressed by SHA-256, uploaded in resumable
chunks and verified on arrival.

The uploads follow the core of the tus resumable-upload protocol (create with ``Upload-Length``,
``HEAD`` for ``Upload-Offset``, ``PATCH`` appending at that offset), written here rather than taken
from a package because the files must live in the same database as the rest (SQLite or
PostgreSQL, shared by several server processes), be named by their hash so nothing is stored
twice, and be refused when the bytes do not hash to their name.
"""

from __future__ import annotations

import hashlib
import re

from heart_desktop.central.db import CentralDatabase
from heart_desktop.central.service import Device, ServiceError

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_FILE = 64 * 1024 * 1024


def _check(sha256: str) -> None:
    if not SHA256.match(sha256):
        raise ServiceError(400, "bad_name", "files are named by their SHA-256 (64 hex digits)")


class Files:
    def __init__(self, db: CentralDatabase) -> None:
        self.db = db

    def create(self, sha256: str, length: int) -> tuple[bool, int]:
        """Start (or find) an upload; returns (complete, offset)."""
        _check(sha256)
        if not 0 < length <= MAX_FILE:
            raise ServiceError(413, "too_large", f"a file must be 1 byte to {MAX_FILE // (1024 * 1024)} MB")
        with self.db.transaction() as tx:
            row = tx.one("SELECT complete, received, length FROM files WHERE sha256 = ?", (sha256,))
            if row is None:
                tx.execute("INSERT INTO files (sha256, length, received) VALUES (?, ?, 0)", (sha256, length))
                return False, 0
            if int(row[2]) != length:
                raise ServiceError(409, "length_differs", "this file is already being sent with another length")
            return bool(row[0]), int(row[1])

    def offset(self, sha256: str) -> tuple[bool, int, int]:
        _check(sha256)
        with self.db.transaction() as tx:
            row = tx.one("SELECT complete, received, length FROM files WHERE sha256 = ?", (sha256,))
        if row is None:
            raise ServiceError(404, "no_upload", "no upload of this file has been started")
        return bool(row[0]), int(row[1]), int(row[2])

    def append(self, sha256: str, at: int, data: bytes) -> int:
        """Add a chunk at ``at`` (which must be where the upload stands); returns the new offset."""
        _check(sha256)
        with self.db.transaction(feed=True) as tx:
            row = tx.one("SELECT complete, received, length FROM files WHERE sha256 = ?", (sha256,))
            if row is None:
                raise ServiceError(404, "no_upload", "no upload of this file has been started")
            complete, received, length = bool(row[0]), int(row[1]), int(row[2])
            if complete:
                return length
            if at != received:
                raise ServiceError(409, "wrong_offset", f"the upload stands at {received}, not {at}")
            if received + len(data) > length:
                raise ServiceError(400, "too_long", "more bytes than the upload's length")
            tx.execute("INSERT INTO file_chunks (sha256, at, data) VALUES (?, ?, ?)", (sha256, at, data))
            received += len(data)
            if received < length:
                tx.execute("UPDATE files SET received = ? WHERE sha256 = ?", (received, sha256))
                return received
            whole = b"".join(bytes(chunk) for (chunk,) in tx.all(
                "SELECT data FROM file_chunks WHERE sha256 = ? ORDER BY at", (sha256,)))
            tx.execute("DELETE FROM file_chunks WHERE sha256 = ?", (sha256,))
            if hashlib.sha256(whole).hexdigest() != sha256:
                tx.execute("UPDATE files SET received = 0 WHERE sha256 = ?", (sha256,))
                raise ServiceError(422, "hash_mismatch", "the bytes received do not match the file's SHA-256; "
                                                         "send it again")
            tx.execute("UPDATE files SET received = ?, complete = 1, data = ? WHERE sha256 = ?",
                       (received, whole, sha256))
            return received

    def read(self, device: Device, sha256: str) -> bytes:
        """The bytes, for a device whose officer covers a case that names this file."""
        _check(sha256)
        councils = sorted(device.councils)
        marks = ", ".join("?" for _ in councils)
        with self.db.transaction() as tx:
            named = tx.one("SELECT 1 FROM file_refs f JOIN records r ON r.entity = f.entity AND r.id = f.record_id "
                           f"WHERE f.sha256 = ? AND r.council IN ({marks}) LIMIT 1", (sha256, *councils))
            if named is None:
                raise ServiceError(404, "no_file", "no case you cover names this file")
            row = tx.one("SELECT complete, data FROM files WHERE sha256 = ?", (sha256,))
        if row is None or not row[0]:
            raise ServiceError(404, "not_arrived", "this file has not fully arrived at the office yet")
        return bytes(row[1])
