"""Attachments at the office: photos and signed packs, addressed by SHA-256, uploaded in resumable
chunks and verified on arrival.

The uploads follow the core of the tus resumable-upload protocol (create with ``Upload-Length``,
``HEAD`` for ``Upload-Offset``, ``PATCH`` appending at that offset, and its checksum extension:
an optional ``Upload-Checksum: sha256 <base64>`` per chunk), written here rather than taken from a
package because the files must live in the same database as the rest (SQLite or PostgreSQL,
shared by several server processes), be named by their hash so nothing is stored twice, and be
refused when the bytes do not hash to their name.

Who may do what:

- An upload belongs to the device that started it: partial uploads are kept per (SHA-256,
  device), so no other device can see, extend, block or spoil it. Two devices sending the same
  bytes each complete their own upload; the file is stored once, when the first one verifies.
  Nothing is deduplicated before the bytes have been checked against the name.
- A verified file is served to the officers who uploaded it, and to officers whose councils hold
  a case with a row naming it that was written by one of its uploaders: naming a SHA-256 you
  learned somewhere is not enough. Anyone else gets the same 404 whether or not the file exists,
  and an upload that looks exactly like a new one.
- A chunk that fails its checksum is discarded and the offset stays where it was. When the whole
  file fails its SHA-256, the last chunk is discarded (the offset goes back to where it began);
  if the same happens again at the same point, the earlier bytes are wrong and the upload starts
  again from 0. Either way the new offset is committed before the error is answered.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass

from heart_desktop.central.db import CentralDatabase, Transaction
from heart_desktop.central.service import Device, ServiceError
from heart_desktop.central.settings import OfficeSettings

SHA256 = re.compile(r"^[0-9a-f]{64}$")
NOT_YOURS = "no file of a case you cover has this SHA-256 at the office (yet)"


def _check(sha256: str) -> None:
    if not SHA256.match(sha256):
        raise ServiceError(400, "bad_name", "files are named by their SHA-256 (64 lowercase hex digits)")


def chunk_checksum(header: str | None) -> bytes | None:
    """The digest an ``Upload-Checksum`` header gives (tus: ``sha256 <base64>``), or None."""
    if header is None:
        return None
    algorithm, _, encoded = header.strip().partition(" ")
    if algorithm != "sha256":
        raise ServiceError(400, "bad_checksum", "Upload-Checksum must be 'sha256 <base64 digest>'")
    try:
        digest = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(400, "bad_checksum", "Upload-Checksum must be 'sha256 <base64 digest>'") from None
    if len(digest) != 32:
        raise ServiceError(400, "bad_checksum", "Upload-Checksum must be 'sha256 <base64 digest>'")
    return digest


@dataclass(frozen=True)
class Upload:
    complete: bool
    offset: int
    length: int


class Files:
    def __init__(self, db: CentralDatabase, settings: OfficeSettings | None = None) -> None:
        self.db = db
        self.settings = settings or OfficeSettings()

    # --- who may read ------------------------------------------------------------------------------

    def _stored(self, tx: Transaction, device: Device, sha256: str) -> int | None:
        """The length of a verified file this device may read, else None (absent or not theirs)."""
        row = tx.one("SELECT length FROM files WHERE sha256 = ? AND complete = 1", (sha256,))
        if row is None:
            return None
        uploaders = {officer for (officer,) in tx.all("SELECT officer FROM file_uploaders WHERE sha256 = ?",
                                                      (sha256,))}
        if device.officer in uploaders:
            return int(row[0])
        councils = sorted(device.councils)
        marks = ", ".join("?" for _ in councils)
        naming = tx.all("SELECT f.entity, f.record_id FROM file_refs f JOIN records r ON r.entity = f.entity "
                        f"AND r.id = f.record_id WHERE f.sha256 = ? AND r.council IN ({marks})", (sha256, *councils))
        for entity, record_id in naming:
            writers = {officer for officer, fields in tx.all(
                "SELECT officer, fields FROM feed WHERE entity = ? AND id = ? AND op != 'remove'", (entity, record_id))
                if json.loads(fields).get("sha256") == sha256}
            if writers & uploaders:
                return int(row[0])
        return None

    def read(self, device: Device, sha256: str) -> bytes:
        _check(sha256)
        with self.db.transaction() as tx:
            if self._stored(tx, device, sha256) is None:
                raise ServiceError(404, "no_file", NOT_YOURS)
            row = tx.one("SELECT data FROM files WHERE sha256 = ?", (sha256,))
        return bytes(row[0])

    # --- uploads -----------------------------------------------------------------------------------

    def create(self, device: Device, sha256: str, length: int) -> Upload:
        """Start this device's upload (or find it); a file it may already read is complete."""
        _check(sha256)
        if length < 1:
            raise ServiceError(400, "empty_file", "a file has at least 1 byte")
        if length > self.settings.max_file_bytes:
            raise ServiceError(413, "too_large", f"a file may be at most {self.settings.max_file_bytes} bytes")
        now = self.settings.now()
        with self.db.transaction(write=True) as tx:
            stored = self._stored(tx, device, sha256)
            if stored is not None:
                return Upload(True, stored, stored)
            row = self._own(tx, device, sha256)
            if row is not None and row.length == length:
                tx.execute("UPDATE uploads SET updated_at = ? WHERE sha256 = ? AND device_id = ?",
                           (now, sha256, device.id))
                return row
            # new, or this device now says another length: its upload starts again
            self._drop(tx, device, sha256)
            tx.execute("INSERT INTO uploads (sha256, device_id, length, received, created_at, updated_at) "
                       "VALUES (?, ?, ?, 0, ?, ?)", (sha256, device.id, length, now, now))
            return Upload(False, 0, length)

    def offset(self, device: Device, sha256: str) -> Upload:
        _check(sha256)
        with self.db.transaction() as tx:
            stored = self._stored(tx, device, sha256)
            if stored is not None:
                return Upload(True, stored, stored)
            row = self._own(tx, device, sha256)
        if row is None:
            raise ServiceError(404, "no_upload", "this device has no upload of this file: start one with POST")
        return row

    def append(self, device: Device, sha256: str, at: int, data: bytes, checksum: bytes | None = None) -> int:
        """Add a chunk at ``at`` (which must be where this device's upload stands); returns the new
        offset. A refusal that moves the offset back is committed before it is raised."""
        _check(sha256)
        refusal: ServiceError | None = None
        with self.db.transaction(write=True) as tx:
            row = self._own(tx, device, sha256, lock=True)
            if row is None:
                stored = self._stored(tx, device, sha256)
                if stored is not None:
                    return stored
                raise ServiceError(404, "no_upload", "this device has no upload of this file: start one with POST")
            if at != row.offset:
                raise ServiceError(409, "wrong_offset", f"the upload stands at {row.offset}, not {at}: send from "
                                                        "there (HEAD gives the offset)")
            if not data:
                return row.offset
            if row.offset + len(data) > row.length:
                raise ServiceError(400, "too_long", f"the upload is {row.length} bytes long; this chunk goes past "
                                                    "its end")
            if checksum is not None and hashlib.sha256(data).digest() != checksum:
                raise ServiceError(460, "checksum_mismatch", "this chunk does not match its Upload-Checksum; it "
                                                             "was discarded: send it again")
            now = self.settings.now()
            tx.execute("INSERT INTO upload_chunks (sha256, device_id, at, data) VALUES (?, ?, ?, ?)",
                       (sha256, device.id, at, data))
            received = at + len(data)
            if received < row.length:
                tx.execute("UPDATE uploads SET received = ?, updated_at = ? WHERE sha256 = ? AND device_id = ?",
                           (received, now, sha256, device.id))
                return received
            whole = b"".join(bytes(chunk) for (chunk,) in tx.all(
                "SELECT data FROM upload_chunks WHERE sha256 = ? AND device_id = ? ORDER BY at", (sha256, device.id)))
            if hashlib.sha256(whole).hexdigest() == sha256:
                self._keep(tx, device, sha256, whole)
                return received
            refusal = self._mismatch(tx, device, sha256, at)
        raise refusal

    def _mismatch(self, tx: Transaction, device: Device, sha256: str, at: int) -> ServiceError:
        failed_at = tx.one("SELECT failed_at FROM uploads WHERE sha256 = ? AND device_id = ?",
                           (sha256, device.id))[0]
        if failed_at is not None and int(failed_at) == at:  # the last chunk again: the fault is earlier
            tx.execute("DELETE FROM upload_chunks WHERE sha256 = ? AND device_id = ?", (sha256, device.id))
            back, failed = 0, None
        else:
            tx.execute("DELETE FROM upload_chunks WHERE sha256 = ? AND device_id = ? AND at = ?",
                       (sha256, device.id, at))
            back, failed = at, at
        tx.execute("UPDATE uploads SET received = ?, failed_at = ?, updated_at = ? WHERE sha256 = ? AND device_id = ?",
                   (back, failed, self.settings.now(), sha256, device.id))
        return ServiceError(422, "hash_mismatch", f"the bytes received do not match the file's SHA-256; the upload "
                                                  f"stands at {back}: send the file again from there")

    def _keep(self, tx: Transaction, device: Device, sha256: str, whole: bytes) -> None:
        """The verified file, stored once however many devices sent it; this officer has shown they
        hold it."""
        now = self.settings.now()
        tx.execute("INSERT INTO files (sha256, length, received, complete, data) VALUES (?, ?, ?, 1, ?) "
                   "ON CONFLICT (sha256) DO NOTHING", (sha256, len(whole), len(whole), whole))
        tx.execute("INSERT INTO file_uploaders (sha256, officer, at) VALUES (?, ?, ?) "
                   "ON CONFLICT (sha256, officer) DO NOTHING", (sha256, device.officer, now))
        self._drop(tx, device, sha256)

    def _own(self, tx: Transaction, device: Device, sha256: str, lock: bool = False) -> Upload | None:
        update = " FOR UPDATE" if lock and self.db.kind == "postgresql" else ""
        row = tx.one(f"SELECT received, length FROM uploads WHERE sha256 = ? AND device_id = ?{update}",
                     (sha256, device.id))
        return None if row is None else Upload(False, int(row[0]), int(row[1]))

    def _drop(self, tx: Transaction, device: Device, sha256: str) -> None:
        tx.execute("DELETE FROM upload_chunks WHERE sha256 = ? AND device_id = ?", (sha256, device.id))
        tx.execute("DELETE FROM uploads WHERE sha256 = ? AND device_id = ?", (sha256, device.id))
