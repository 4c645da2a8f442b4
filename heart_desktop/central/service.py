"""What the central office does with officers, devices and changes; the HTTP layer only calls this.

Push applies a batch in one transaction: a repeated idempotency key with the same content gets the
first answer again, with other content it is refused; a batch whose device sequence number is not
the next one is held back (the device sends the missing one first). Each change is checked and
applied by ``central.push`` (the row schema, the case's current council, the officer's role,
frozen rows; shared records merge field by field, a field someone else changed becomes a
conflict); one that is refused gets its reason and the rest still apply. What each laptop may
pull, and when it is sent a case whole or told to remove one, is ``central.scope``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from heart_desktop.central import scope
from heart_desktop.central.db import CentralDatabase, Transaction
from heart_desktop.central.push import BatchApplier
from heart_desktop.central.settings import OfficeSettings
from heart_desktop.domain.permissions import ROLES
from heart_desktop.sync.protocol import (
    MAX_BATCH,
    PushResult,
    canonical,
    checked_content_hash,
)
from heart_desktop.sync.protocol.rows import has_surrogate

REFERENCE = re.compile(r"^([A-Z]+)/(\d\d)/(\d{5})$")


class ServiceError(Exception):
    """Refused, with an HTTP status and a plain reason."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


@dataclass(frozen=True)
class Device:
    id: str
    officer: str
    role: str
    councils: frozenset[str]


def _file_refs(value: Any) -> list[str]:
    """The SHA-256 of every photo or signature file a form's answers name (at any depth)."""
    if isinstance(value, dict):
        found = [value["sha256"]] if isinstance(value.get("sha256"), str) and "strokes" not in value else []
        return found + [sha for v in value.values() for sha in _file_refs(v)]
    if isinstance(value, list):
        return [sha for v in value for sha in _file_refs(v)]
    return []


def _index_file(tx: Transaction, entity: str, record_id: str, fields: dict[str, Any]) -> None:
    """Remember which file a photo or pack row names, so a fetch finds its case without a scan."""
    digest = fields.get("sha256") if entity in ("attachment", "document") else None
    if isinstance(digest, str):
        tx.execute("INSERT INTO file_refs (entity, record_id, sha256) VALUES (?, ?, ?) ON CONFLICT (entity, record_id) "
                   "DO UPDATE SET sha256 = excluded.sha256", (entity, record_id, digest))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class CentralService:
    def __init__(self, db: CentralDatabase, settings: OfficeSettings | None = None) -> None:
        self.db = db
        self.settings = settings or OfficeSettings()
        self._index_files()

    def _index_files(self) -> None:
        """Index the files that photo and pack rows name, for a database made before the index."""
        with self.db.transaction() as tx:
            missing = tx.all("SELECT r.entity, r.id, r.fields FROM records r "
                             "WHERE r.entity IN ('attachment', 'document') AND NOT EXISTS "
                             "(SELECT 1 FROM file_refs f WHERE f.entity = r.entity AND f.record_id = r.id)")
            for entity, record_id, fields in missing:
                _index_file(tx, entity, record_id, json.loads(fields))

    # --- officers and devices ----------------------------------------------------------------------

    def add_officer(self, name: str, role: str, councils: list[str], team: str | None = None) -> None:
        """Add an officer, or update one; a team left out keeps the team they had."""
        if role not in ROLES:
            raise ServiceError(400, "bad_role", f"role must be one of {', '.join(ROLES)}")
        if not councils:
            raise ServiceError(400, "no_council", "an officer needs at least one council (--council WDC)")
        with self.db.transaction(write=True) as tx:
            if tx.one("SELECT 1 FROM officers WHERE name = ?", (name,)):
                tx.execute("UPDATE officers SET role = ?, councils = ?, team = COALESCE(?, team) WHERE name = ?",
                           (role, canonical(sorted(set(councils))), team, name))
            else:
                tx.execute("INSERT INTO officers (name, role, councils, created_at, team) VALUES (?, ?, ?, ?, ?)",
                           (name, role, canonical(sorted(set(councils))), _now(), team or ""))

    def officers(self) -> list[dict[str, Any]]:
        with self.db.transaction() as tx:
            rows = tx.all("SELECT name, role, team, councils FROM officers ORDER BY team, name")
        return [{"name": r[0], "role": r[1], "team": r[2], "councils": json.loads(r[3])} for r in rows]

    def roster(self, device: Device) -> list[dict[str, Any]]:
        """The officers who share a council with the laptop's officer, with only those councils:
        whom its cases can be allocated to (5.5)."""
        shared = []
        for officer in self.officers():
            councils = sorted(device.councils & set(officer["councils"]))
            if councils:
                shared.append({**officer, "councils": councils})
        return shared

    def devices(self, officer: str | None = None) -> list[dict[str, Any]]:
        """Every enrolled laptop, so IT can find the one to revoke."""
        with self.db.transaction() as tx:
            where, params = ("WHERE officer = ?", (officer,)) if officer else ("", ())
            rows = tx.all(f"SELECT id, officer, name, enrolled_at, last_seen, revoked_at FROM devices {where} "
                          "ORDER BY officer, enrolled_at", params)
        return [dict(zip(("id", "officer", "name", "enrolled_at", "last_seen", "revoked_at"), r, strict=True))
                for r in rows]

    def enrol_code(self, officer: str, hours: float | None = None) -> str:
        """A one-time code for the officer's next device (only its hash is kept), valid for
        ``hours`` (``code_hours`` by default); it voids any earlier code of theirs not yet used."""
        code = "-".join(secrets.token_hex(3).upper() for _ in range(3))
        hours = self.settings.code_hours if hours is None else hours
        if not 0 < hours <= 24 * 365:
            raise ServiceError(400, "bad_hours", "a code is valid for more than 0 hours and at most a year")
        with self.db.transaction(write=True) as tx:
            if not tx.one("SELECT 1 FROM officers WHERE name = ?", (officer,)):
                raise ServiceError(404, "no_officer", f"there is no officer {officer!r}; add them first")
            tx.execute("DELETE FROM enrol_codes WHERE officer = ? AND used_at IS NULL", (officer,))
            tx.execute("INSERT INTO enrol_codes (code_hash, officer, created_at, expires_at) VALUES (?, ?, ?, ?)",
                       (_hash(code), officer, self.settings.now(), self.settings.later(hours=hours)))
        return code

    def enrol(self, code: str, name: str, address: str = "unknown") -> dict[str, Any]:
        """Exchange a code for a device token. Wrong codes are counted per client address and in
        all: past ``throttle_per_address`` (or ``throttle_total``) within the window, every guess
        gets 429 until the window has passed, so a code cannot be found by trying."""
        settings = self.settings
        since = settings.ago(minutes=settings.throttle_window_minutes)
        with self.db.transaction() as tx:
            mine = int(tx.one("SELECT count(*) FROM enrol_failures WHERE address = ? AND at >= ?",
                              (address, since))[0])
            everyone = int(tx.one("SELECT count(*) FROM enrol_failures WHERE at >= ?", (since,))[0])
        if mine >= settings.throttle_per_address or everyone >= settings.throttle_total:
            raise ServiceError(429, "too_many_guesses",
                               f"too many wrong enrolment codes; wait {settings.throttle_window_minutes:g} minutes "
                               "and type the code again, exactly as printed")
        token, device_id = secrets.token_urlsafe(32), uuid.uuid4().hex[:16]
        code_hash, now = _hash(code.strip()), settings.now()
        with self.db.transaction(write=True) as tx:
            row = tx.one("SELECT c.officer, c.used_at, o.role, o.team, o.councils, c.expires_at FROM enrol_codes c "
                         "JOIN officers o ON o.name = c.officer WHERE c.code_hash = ?", (code_hash,))
            valid = row is not None and row[1] is None and (row[5] is None or row[5] > now)
            if valid:
                tx.execute("UPDATE enrol_codes SET used_at = ? WHERE code_hash = ?", (now, code_hash))
                tx.execute("INSERT INTO devices (id, officer, token_hash, name, enrolled_at) VALUES (?, ?, ?, ?, ?)",
                           (device_id, row[0], _hash(token), name[:80], now))
        if not valid or row is None:
            with self.db.transaction(relaxed=True) as tx:  # its own transaction: the refusal must not undo it
                tx.execute("INSERT INTO enrol_failures (at, address) VALUES (?, ?)", (now, address[:64]))
            raise ServiceError(403, "bad_code", "that enrolment code is not valid or has been used, or it expired "
                                                "(and a new code voids the one before); ask an administrator "
                                                "for a new one")
        return {"device_id": device_id, "token": token, "officer": row[0], "role": row[2], "team": row[3],
                "councils": json.loads(row[4])}

    def revoke(self, device_id: str) -> None:
        with self.db.transaction(write=True) as tx:
            if not tx.one("SELECT 1 FROM devices WHERE id = ?", (device_id,)):
                raise ServiceError(404, "no_device", f"there is no device {device_id!r}")
            tx.execute("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (_now(), device_id))

    def authenticate(self, token: str | None) -> Device:
        if not token:
            raise ServiceError(401, "no_token", "this device is not enrolled")
        with self.db.transaction(write=True) as tx:  # it writes last_seen: SQLite's write lock from the start
            row = tx.one("SELECT d.id, d.officer, d.revoked_at, o.role, o.councils, d.last_seen FROM devices d "
                         "JOIN officers o ON o.name = d.officer WHERE d.token_hash = ?", (_hash(token),))
            if row is None:
                raise ServiceError(401, "bad_token", "this device is not enrolled")
            if row[2] is not None:
                raise ServiceError(410, "revoked", "this device has been revoked")
            now = _now()
            if row[5] != now:  # a burst of requests within the second writes it once
                tx.relaxed()
                tx.execute("UPDATE devices SET last_seen = ? WHERE id = ?", (now, row[0]))
        return Device(row[0], row[1], row[3], frozenset(json.loads(row[4])))

    def log(self, device_id: str | None, method: str, path: str, status: int) -> None:
        with self.db.transaction(relaxed=True) as tx:
            tx.execute("INSERT INTO request_log (at, device_id, method, path, status) VALUES (?, ?, ?, ?, ?)",
                       (self.settings.now(), device_id, method, path, status))

    # --- push --------------------------------------------------------------------------------------

    def push(self, device: Device, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("key"), str) or not body["key"]:
            raise ServiceError(400, "bad_batch", "a batch needs an idempotency key")
        key, seq, changes = body["key"], body.get("device_seq"), body.get("changes")
        if not isinstance(seq, int) or seq < 1 or not isinstance(changes, list) or len(changes) > MAX_BATCH:
            raise ServiceError(400, "bad_batch", f"a batch needs a device_seq and at most {MAX_BATCH} changes")
        # one pass over the batch for its hash and for text that cannot be stored; each change's
        # fields are checked in central.push
        digest = checked_content_hash(changes, seq)
        if digest is None or has_surrogate(key):
            raise ServiceError(400, "bad_text", "the batch holds text that is not valid Unicode (a lone surrogate); "
                                                "correct it on the laptop")
        with self.db.transaction(feed=True) as tx:
            # the device's last batch number, and the batch already sent with this key (if any)
            last, seen, answered = tx.one(
                "SELECT d.last_seq, b.content_hash, b.response FROM devices d LEFT JOIN batches b "
                "ON b.device_id = d.id AND b.batch_key = ? WHERE d.id = ?", (key, device.id))
            if seen is not None:
                if seen != digest:
                    raise ServiceError(409, "key_reused", "this idempotency key was used for different content")
                return json.loads(answered)
            last = int(last)
            if seq != last + 1:
                raise ServiceError(409, "sequence_gap", f"expected batch {last + 1} from this device, got {seq}")
            result = PushResult(key)
            applier = BatchApplier(tx, device, _now())
            applier.preload(changes)
            for raw in changes:
                applier.apply(raw, result)
            applier.flush()
            response = result.as_json()
            tx.execute("INSERT INTO batches (device_id, batch_key, content_hash, device_seq, response, applied_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (device.id, key, digest, seq, canonical(response), _now()))
            tx.execute("UPDATE devices SET last_seq = ? WHERE id = ?", (seq, device.id))
        return response

    # --- completeness ----------------------------------------------------------------------------

    def submission(self, device: Device, submission_id: str) -> dict[str, Any]:
        """A form submission is complete at the office only when every file it names has arrived."""
        with self.db.transaction() as tx:
            row = tx.one("SELECT council, fields FROM records WHERE entity = 'form_submission' AND id = ?",
                         (submission_id,))
            if row is None or row[0] not in device.councils:
                raise ServiceError(404, "no_submission", "no form submission of a case you cover has that id")
            named = sorted(set(_file_refs(json.loads(row[1]).get("answers"))))
            arrived = {sha for sha in named if (found := tx.one(
                "SELECT complete FROM files WHERE sha256 = ?", (sha,))) is not None and found[0]}
        missing = [sha for sha in named if sha not in arrived]
        return {"id": submission_id, "files": named, "missing": missing, "complete": not missing}

    # --- digest and pull: what each laptop may hold now (``central.scope``) ------------------------

    def window(self, device: Device) -> scope.Window:
        """The laptop window of the device's councils today (the office's clock)."""
        return scope.Window.on(device.councils, self.settings.clock().date(), self.settings.laptop_window_days)

    def digest(self, device: Device) -> dict[str, Any]:
        """A fingerprint of every row this officer may hold (entity, id and revision), to compare
        with the laptop's; a mismatch means the laptop holds too much or too little and re-pulls."""
        window = self.window(device)
        scope.rescope(self.db, device, window)
        scope.rewindow(self.db, device, window)
        return scope.digest(self.db, device, window)

    def pull(self, device: Device, after: int, limit: int) -> dict[str, Any]:
        window = self.window(device)
        scope.rescope(self.db, device, window)
        scope.rewindow(self.db, device, window)
        return scope.pull(self.db, device, after, limit, self.settings.max_page_bytes, window)
