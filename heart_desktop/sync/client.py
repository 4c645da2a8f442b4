"""The laptop's side of sync: enrol once, then push the journal and pull the office's changes.

API (no Qt; the UI runs it off the GUI thread):

- ``enrol(store, server, code)`` exchanges a one-time code for a device token kept in the
  encrypted store (``sync_state``), with the server's address.
- ``sync_once(store)`` pushes every unacknowledged journal entry in batches, then pulls pages
  until the office has nothing newer; returns a :class:`SyncReport`.
- ``sync_status(store)`` says what is waiting, the last good sync and the last error.
- Failures raise :class:`SyncError` (plain words); :class:`DeviceRevoked` means the office
  revoked this laptop and the caller must wipe the store (``wipe_store``), whichever call to the
  office learnt it (``sync.errors``).

A batch keeps its idempotency key and device sequence number until the server has answered with
that key: a retry after a lost answer sends the same key and content, which the server recognises
and answers again without applying anything twice. An answer that is not the server's (a hotel
wi-fi sign-in page saying "200 OK") is not success. Plain HTTP is refused except to this machine.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import httpx

from heart_desktop.store.sync_apply import (
    apply_page,
    batch_answered,
    expected_size,
    file_arrived,
    files_to_send,
    finish_removals,
    kept_cases,
    local_rows,
    next_batch,
    pending_files,
    prune_unseen,
    quarantined,
    read_state,
    remember_refusals,
    take_erased,
    take_left,
    waiting,
    write_state,
)
from heart_desktop.store.sync_state import lease_expired, roster  # noqa: F401 (callers import them from here)
from heart_desktop.sync.errors import DeviceRevoked, SyncError
from heart_desktop.sync.protocol import API, MAX_BATCH, TOKEN_HEADER, row_digest
from heart_desktop.sync.protocol.audit import AUDIT_BATCH_BYTES, read_answer
from heart_desktop.sync.protocol.roster import read_roster

if TYPE_CHECKING:
    from heart_desktop.store.database import Store

log = logging.getLogger(__name__)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
PULL_PAGE = 500
CHUNK = 256 * 1024  # upload chunk: a cut connection loses at most this much
AUDIT_BATCH = 200  # audit entries per push


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    repulled: bool = False  # the digest differed and everything was pulled again
    removed: int = 0  # cases taken off because the office no longer sends them
    files_sent: int = 0
    files_fetched: int = 0
    audit_sent: int = 0  # audit entries the office took
    audit_problem: str | None = None  # the office refused the trail, or holds an entry this laptop lost
    erased: list[dict[str, Any]] = field(default_factory=list)  # cases the office erased, taken off, unsent dropped
    left: list[dict[str, Any]] = field(default_factory=list)  # every case taken off, with the office's reason

    def as_json(self) -> dict[str, Any]:
        from heart_desktop.sync.status import left_counts, left_why

        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": len(self.conflicts),
                "files_sent": self.files_sent, "files_fetched": self.files_fetched, "removed": self.removed,
                "audit_sent": self.audit_sent, "audit_problem": self.audit_problem,
                "refused": self.refused, "conflict_details": self.conflicts, "erased": self.erased,
                "left": [{**item, "why": left_why(item)} for item in self.left], "left_counts": left_counts(self.left)}


@dataclass(frozen=True)
class Progress:
    """How far a transfer has gone, for the progress bar: ``total`` 0 means not yet known."""

    stage: str  # plain words: "Sending changes", "Sending photos and packs", ...
    done: int
    total: int
    unit: str = "changes"  # "changes", "bytes" or "files"

    def describe(self) -> str:
        if self.unit == "bytes":
            return f"{self.stage}: {self.done / 1e6:.1f} of {self.total / 1e6:.1f} MB"
        if self.total:
            return f"{self.stage}: {self.done:,} of {self.total:,} {self.unit}"
        return f"{self.stage}…"


ProgressCallback = Callable[[Progress], None]


def _ignore(_progress: Progress) -> None:
    """The default progress callback: a headless sync has no bar to move."""


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server: str | None
    waiting: int
    last_sync: str | None
    last_error: str | None
    refused: list[dict[str, str]] = field(default_factory=list)  # by the last sync, with reasons
    officer: str | None = None  # who the office enrolled this laptop for
    role: str | None = None
    team: str | None = None
    councils: list[str] = field(default_factory=list)
    quarantined: int = 0  # rows from the office this laptop could not apply
    quarantine: list[dict[str, Any]] = field(default_factory=list)  # the latest, with reasons
    kept: list[dict[str, str]] = field(default_factory=list)  # cases that left scope but stay, with why
    upload_error: str | None = None  # a photo or pack the office would not take, and why
    audit_sent: int = 0  # the audit entries the office holds of this laptop, up to this seq
    audit_problem: str | None = None  # the office refused the trail, or holds an entry this laptop lost
    left: list[dict[str, Any]] = field(default_factory=list)  # cases the last sync took off, with the office's reason


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_server_url(server: str) -> str:
    parsed = urlparse(server)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise SyncError(f"{server!r} is not a server address like https://heart.example.gov.uk")
    if parsed.scheme == "http" and parsed.hostname not in LOOPBACK:
        raise SyncError("plain http is only allowed to this machine; use the server's https:// address")
    return server.rstrip("/")


def _client(server: str, ca_bundle: str | None, transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(base_url=f"{check_server_url(server)}{API}", timeout=TIMEOUT,
                        verify=_trust(ca_bundle), transport=transport)


def _trust(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """The system's certificate authorities, or the council's own bundle when IT gave one."""
    if not ca_bundle:
        return _default_trust()
    try:
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        raise SyncError(f"the CA bundle {ca_bundle} cannot be read as certificates ({exc}); "
                        "ask IT for the right file") from None


@functools.cache
def _default_trust() -> ssl.SSLContext:
    """httpx's default trust (``verify=True``), made once for the process: reading the bundle of
    certificate authorities takes tens of milliseconds, which every sync paid again."""
    return httpx.create_ssl_context()


def _answer(response: httpx.Response) -> dict[str, Any]:
    """The server's JSON answer, or SyncError/DeviceRevoked saying what came back instead."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SyncError("the answer was not from the HEART server (a wi-fi sign-in page?); "
                        "sign in to the network and sync again") from None
    if not isinstance(body, dict):
        raise SyncError("the answer was not from the HEART server")
    if response.status_code == 410 and body.get("error") == "revoked":
        raise DeviceRevoked("this laptop has been revoked by the office")
    if response.status_code >= 400:
        raise SyncError(f"the server refused: {body.get('message') or body.get('error') or response.status_code}")
    return body


def _send(client: httpx.Client, method: str, path: str, **kw: Any) -> dict[str, Any]:
    try:
        return _answer(client.request(method, path, **kw))
    except httpx.TransportError as exc:
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            raise SyncError("the office's certificate is not one this laptop trusts; if the council uses its own "
                            "certificate authority, ask IT for its CA bundle") from exc
        raise SyncError(f"the server could not be reached ({type(exc).__name__}); your work is kept and "
                        "will be sent next time") from exc


def enrol(store: Store, server: str, code: str, ca_bundle: str | None = None,
          transport: httpx.BaseTransport | None = None) -> str:
    """Enrol this laptop with a one-time code; returns the device id. An enrolled laptop is refused:
    a second device identity could resend changes the office already has under the first."""
    state = read_state(store)
    if state.get("token"):
        officer = state.get("officer") or "another officer"
        raise SyncError(f"this laptop is already enrolled (device {state.get('device_id')}, for {officer}); "
                        "to move it, IT revokes it and sets it up afresh")
    with _client(server, ca_bundle, transport) as client:
        answer = _send(client, "POST", "/enrol", json={"code": code.strip(), "device_name": device_name(store)})
    if not {"device_id", "token"} <= set(answer):
        raise SyncError("the answer was not from the HEART server")
    write_state(store, server=check_server_url(server), device_id=answer["device_id"], token=answer["token"],
                officer=answer.get("officer"), role=answer.get("role"), team=answer.get("team") or None,
                councils=" ".join(answer.get("councils") or []) or None, cursor=0, device_seq=0, batch=None,
                ca_bundle=ca_bundle, enrolled_at=_now(), last_contact=_now())
    if answer.get("officer"):
        store.officer = str(answer["officer"])  # what this laptop records from now on is theirs
    return str(answer["device_id"])


def device_name(store: Store) -> str:
    """How the office's device list names this laptop: its computer name and store id."""
    return f"{socket.gethostname()} ({store.device_id[:8]})"


def sync_once(store: Store, transport: httpx.BaseTransport | None = None,
              progress: ProgressCallback = _ignore) -> SyncReport:
    """One push of everything waiting, then pull until up to date; ``progress`` hears how far each
    transfer has gone (it is called on the syncing thread)."""
    state = read_state(store)
    if not state.get("token"):
        raise SyncError("this laptop is not enrolled yet: ask an administrator for an enrolment code")
    report = SyncReport()
    headers = {TOKEN_HEADER: state["token"]}
    try:
        with _client(state["server"], state.get("ca_bundle"), transport) as client:
            _push(client, store, headers, report, progress)
            write_state(store, last_refused=json.dumps(report.refused) if report.refused else None)
            finish_removals(store)
            report.files_sent = _send_files(client, store, headers, progress)
            _pull(client, store, headers, report, progress)
            finish_removals(store)
            report.erased = take_erased(store)
            report.left = take_left(store)
            write_state(store, last_left=json.dumps(report.left) if report.left else None)
            _push_audit(client, store, headers, report)
            _fetch_roster(client, store, headers)
            report.files_fetched = _fetch_files(client, store, headers, progress)
    except SyncError as exc:
        write_state(store, last_error=str(exc))
        raise
    write_state(store, last_sync=_now(), last_contact=_now(), last_error=None,
                last_refused=json.dumps(report.refused) if report.refused else None)
    return report


def _push(client: httpx.Client, store: Store, headers: dict[str, str], report: SyncReport,
          progress: ProgressCallback) -> None:
    """Send the journal in batches; a batch counts as sent only on an answer that names its key."""
    total = waiting(store)
    while (batch := next_batch(store, MAX_BATCH)) is not None:
        progress(Progress("Sending changes", report.pushed, total))
        answer = _send(client, "POST", "/push", content=batch["body"],
                       headers={**headers, "Content-Type": "application/json"})
        if answer.get("key") != batch["key"]:
            raise SyncError("the answer was not from the HEART server (it did not name the batch sent)")
        with store.transaction():  # acknowledged with what was refused: one commit
            batch_answered(store, batch)
            remember_refusals(store, [str(c.get("id")) for c in batch["changes"]], answer.get("refused") or [])
        report.pushed += len(batch["changes"])
        report.refused += answer.get("refused") or []
        report.conflicts += answer.get("conflicts") or []
        total = max(total, report.pushed)  # changes made while sending join the queue
        progress(Progress("Sending changes", report.pushed, total))


def _remember_window(store: Store, days: Any) -> None:
    """Keep the office's laptop window (days per council) for the caseload to say what is held."""
    if not isinstance(days, dict) or not all(isinstance(k, str) and type(v) is int for k, v in days.items()):
        return
    value = json.dumps(days, sort_keys=True)
    if read_state(store).get("window_days") != value:
        write_state(store, window_days=value)


def _pull(client: httpx.Client, store: Store, headers: dict[str, str], report: SyncReport,
          progress: ProgressCallback) -> None:
    """Pull pages until the office has nothing newer, then compare digests (re-pulling once)."""
    start = int(read_state(store).get("cursor") or 0)
    seen: set[str] = set()  # the cases a pull from the beginning brought
    while True:
        cursor = int(read_state(store).get("cursor") or 0)
        page = _send(client, "GET", "/pull", params={"after": cursor, "limit": PULL_PAGE}, headers=headers)
        changes, after, head = page.get("changes"), page.get("cursor"), page.get("head")
        if not isinstance(changes, list) or not isinstance(after, int) or after < cursor:
            raise SyncError("the answer was not from the HEART server (no changes and cursor)")
        _remember_window(store, page.get("window_days"))  # first: a case leaving the window is told in its days
        apply_page(store, changes, after)
        seen |= {str(c.get("case_id") or c.get("id")) for c in changes
                 if isinstance(c, dict) and c.get("op") != "remove"}
        report.pulled += len(changes)
        if isinstance(head, int) and head > start:  # how far through the office's feed, as changes
            progress(Progress("Fetching the office's changes", min(after, head) - start, head - start))
        if page.get("more"):
            continue
        if report.repulled:
            # everything in scope came again: what did not come has left this officer's scope
            report.removed = prune_unseen(store, seen)
            _digest_differs(client, store, headers)  # remember a difference that remains (refused rows)
            return
        if not _digest_differs(client, store, headers):
            return
        # the laptop missed something (or holds what the office no longer sends it): pull it all again
        report.repulled = True
        start, seen = 0, set()
        write_state(store, cursor=0)


def _push_audit(client: httpx.Client, store: Store, headers: dict[str, str], report: SyncReport) -> None:
    """Send the audit entries the office does not have yet (oldest first, with their hashes), then
    check this laptop still holds, unchanged, the newest entry the office has: an entry deleted from
    the end of the trail shows only so. A refusal (the trail was changed) does not stop sync; it is
    reported (``audit_problem``) and the entries wait."""
    sent = int(read_state(store).get("audit_sent") or 0)
    problem: str | None = None
    while True:
        entries = store.audit.raw(after=sent, limit=AUDIT_BATCH)
        more = len(entries) == AUDIT_BATCH
        while len(entries) > 1 and len(json.dumps(entries, ensure_ascii=False).encode()) > AUDIT_BATCH_BYTES:
            entries, more = entries[: len(entries) // 2], True  # large details: fewer at a time
        try:
            response = client.request("POST", "/audit", json={"entries": entries}, headers=headers)
        except httpx.TransportError as exc:
            raise SyncError(f"the server could not be reached ({type(exc).__name__}); your work is kept and "
                            "will be sent next time") from exc
        if response.status_code == 404:
            return  # an older office keeps no audit trail
        if response.status_code in (403, 409, 422):
            problem = f"the office refused this laptop's audit trail: {_answer_message(response)} (tell IT)"
            break
        answer = read_answer(_answer(response))
        if answer is None:
            raise SyncError("the answer was not from the HEART server (no audit head)")
        report.audit_sent += answer.accepted
        if entries:
            sent = int(entries[-1]["seq"])
            write_state(store, audit_sent=sent)
        head = answer.head
        if head.seq:
            mine = store.audit.raw(after=head.seq - 1, limit=1)
            if not mine or int(mine[0]["seq"]) != head.seq or mine[0]["hash"] != head.hash:
                problem = (f"the office holds audit entry {head.seq} of this laptop, which this laptop no longer "
                           "holds as sent: the trail was cut or changed here (tell IT)")
                break
        if not more:
            break
    report.audit_problem = problem
    write_state(store, audit_problem=problem)


def _answer_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return f"status {response.status_code}"
    return str(body.get("message") or body.get("error")) if isinstance(body, dict) else str(response.status_code)


def _fetch_roster(client: httpx.Client, store: Store, headers: dict[str, str]) -> None:
    """Keep the office's roster of colleagues (allocation offers their names); an office without
    one (older) or an answer of the wrong shape leaves the roster the laptop had."""
    try:
        response = client.request("GET", "/roster", headers=headers)
    except httpx.TransportError as exc:
        raise SyncError(f"the server could not be reached ({type(exc).__name__}); your work is kept and "
                        "will be sent next time") from exc
    if response.status_code == 404:
        return
    officers = read_roster(_answer(response))
    if officers is None:
        log.warning("the office's roster was not in the expected shape; the laptop keeps the one it had")
        return
    write_state(store, roster=json.dumps(officers, sort_keys=True))


def _send_files(client: httpx.Client, store: Store, headers: dict[str, str], progress: ProgressCallback) -> int:
    """Upload each photo and pack the office lacks, in chunks, resuming where a cut upload stopped.
    Each chunk carries its SHA-256 (tus Upload-Checksum), so a spoilt one is refused alone. A file
    the office refuses (too large, or its bytes keep failing their hash) is set aside with the
    reason in ``last_upload_error`` and the sync goes on to pull; a lost connection still ends
    the sync (the upload resumes next time)."""
    import base64

    digests = files_to_send(store)
    total = sum(store.attachments.blobs.size(digest) for digest in digests)
    done = sent = 0
    refused: list[str] = []
    for digest in digests:
        data = store.attachments.blobs.get(digest)
        retries = 2  # a wrong offset or a hash mismatch: ask where the upload stands and carry on
        try:
            response = _request(client, "POST", f"/files/{digest}",
                                headers={**headers, "Upload-Length": str(len(data))})
            offset = int(response.headers.get("Upload-Offset", "0"))
            progress(Progress("Sending photos and packs", done + min(offset, len(data)), total, "bytes"))
            while response.status_code != 200 and offset < len(data):
                chunk = data[offset:offset + CHUNK]
                checksum = "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()
                try:
                    response = _request(client, "PATCH", f"/files/{digest}", content=chunk, headers={
                        **headers, "Upload-Offset": str(offset), "Upload-Checksum": checksum,
                        "Content-Type": "application/offset+octet-stream"})
                except SyncError as exc:
                    if isinstance(exc, DeviceRevoked) or isinstance(exc.__cause__, httpx.TransportError) \
                            or not retries:
                        raise
                    retries -= 1
                    response = _request(client, "HEAD", f"/files/{digest}", headers=headers)
                    offset = int(response.headers.get("Upload-Offset", "0"))
                    if response.headers.get("X-Upload-Complete") == "1":
                        break
                    continue
                offset = int(response.headers.get("Upload-Offset", offset + len(chunk)))
                progress(Progress("Sending photos and packs", done + min(offset, len(data)), total, "bytes"))
        except SyncError as exc:
            if isinstance(exc, DeviceRevoked) or isinstance(exc.__cause__, httpx.TransportError):
                raise
            refused.append(f"{digest[:12]}: {exc}")
            done += len(data)
            continue
        write_state(store, **{f"sent:{digest}": _now()})
        done += len(data)
        sent += 1
        progress(Progress("Sending photos and packs", done, total, "bytes"))
    write_state(store, last_upload_error="; ".join(refused) if refused else None)
    return sent


def _fetch_files(client: httpx.Client, store: Store, headers: dict[str, str], progress: ProgressCallback) -> int:
    """Fetch files that rows pulled earlier name, streamed in chunks; one not yet at the office
    waits for next time."""
    digests = pending_files(store)
    sizes = {digest: expected_size(store, digest) for digest in digests}
    total, done, fetched = sum(sizes.values()), 0, 0
    for digest in digests:
        try:
            with client.stream("GET", f"/files/{digest}", headers=headers) as response:
                if response.status_code == 404:
                    done += sizes[digest]  # not at the office yet: nothing more to wait for now
                    continue
                if response.status_code != 200:
                    response.read()
                    _answer(response)
                    raise SyncError("the answer was not from the HEART server")
                parts, start, arrived = [], done, 0
                for part in response.iter_bytes(CHUNK):
                    parts.append(part)
                    arrived += len(part)
                    done = start + min(arrived, sizes[digest])
                    progress(Progress("Fetching photos and packs", done, total, "bytes"))
        except httpx.TransportError as exc:
            raise SyncError(f"the server could not be reached ({type(exc).__name__}); what arrived whole is "
                            "kept, the rest comes next time") from exc
        data = b"".join(parts)
        if hashlib.sha256(data).hexdigest() != digest:
            raise SyncError("a file from the office did not match its SHA-256; it will be fetched again")
        file_arrived(store, digest, data)
        done = start + sizes[digest]
        fetched += 1
    if total:
        progress(Progress("Fetching photos and packs", total, total, "bytes"))
    return fetched


def _request(client: httpx.Client, method: str, path: str, **kw: Any) -> httpx.Response:
    """An upload step: any 2xx is fine; an error answer or a lost connection is a SyncError."""
    try:
        response = client.request(method, path, **kw)
    except httpx.TransportError as exc:
        raise SyncError(f"the server could not be reached ({type(exc).__name__}); the upload resumes next "
                        "time") from exc
    if response.status_code >= 400:
        _answer(response)
    if response.status_code not in (200, 201, 204):
        raise SyncError("the answer was not from the HEART server")
    return response


def _digest_differs(client: httpx.Client, store: Store, headers: dict[str, str]) -> bool:
    """Compare what the laptop holds with what the office says it should (only with nothing unsent)."""
    if store.journal.pending(limit=1):
        return False
    answer = _send(client, "GET", "/digest", headers=headers)
    councils = answer.get("councils")
    if not isinstance(councils, list) or not isinstance(answer.get("digest"), str):
        raise SyncError("the answer was not from the HEART server (no digest)")
    pair = f"{answer['digest']}:{row_digest(local_rows(store))}"
    if pair.split(":")[0] == pair.split(":")[1]:
        write_state(store, digest_settled=None)
        return False
    # a difference that a pull from the beginning already met (rows the office refused stay here,
    # reported) is not pulled for again until one side changes
    if read_state(store).get("digest_settled") == pair:
        return False
    write_state(store, digest_settled=pair)
    return True


def sync_status(store: Store) -> SyncStatus:
    state = read_state(store)
    count, latest = quarantined(store)
    return SyncStatus(bool(state.get("token")), state.get("server"), waiting(store), state.get("last_sync"),
                      state.get("last_error"), json.loads(state.get("last_refused") or "[]"), state.get("officer"),
                      state.get("role"), state.get("team"), (state.get("councils") or "").split(), count, latest,
                      kept_cases(store), state.get("last_upload_error"), int(state.get("audit_sent") or 0),
                      state.get("audit_problem"), json.loads(state.get("last_left") or "[]"))


def wipe_store(store: Store) -> None:
    """Close the store and destroy its file, WAL and every backup and migration copy it made
    (each overwritten, then deleted)."""
    from heart_desktop.store.backup import wipe

    wipe(store)
