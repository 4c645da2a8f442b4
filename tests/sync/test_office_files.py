"""Files belong to an uploader and a case: another device can neither block, spoil nor read an
upload it did not make, the same bytes from two devices are stored once (after they verify), a
spoilt chunk is discarded with the offset kept, abandoned uploads are pruned, and a refused
upload does not stop a laptop's sync. Real server on 127.0.0.1, SQLite and PostgreSQL."""
# ruff: noqa: F811 (the fixtures from office_helpers are imported, then named as parameters)

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from collections.abc import Callable
from datetime import date

import httpx
from office_helpers import Clock, api, clock, db_kind, db_url, device, laptops, office  # noqa: F401
from sync_server import Server
from test_files import case_with_photo

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync.client import sync_once
from heart_desktop.sync.protocol import TOKEN_HEADER


def blob(seed: int, size: int = 3000) -> bytes:
    return random.Random(seed).randbytes(size)


def upload(server: Server, token: dict[str, str], data: bytes, chunk: int = 1000,
           digest: str | None = None) -> httpx.Response:
    """Send ``data`` as ``digest`` (its own SHA-256 by default) from the start; the last answer."""
    digest = digest or hashlib.sha256(data).hexdigest()
    answer = httpx.post(api(server, f"/files/{digest}"), headers={**token, "Upload-Length": str(len(data))})
    offset = int(answer.headers["Upload-Offset"])
    while answer.status_code != 200 and offset < len(data):
        answer = patch(server, token, digest, offset, data[offset:offset + chunk])
        offset = int(answer.headers.get("Upload-Offset", offset))
        if answer.status_code >= 400:
            return answer
    return answer


def patch(server: Server, token: dict[str, str], digest: str, at: int, chunk: bytes,
          checksum: bytes | None = None) -> httpx.Response:
    headers = {**token, "Upload-Offset": str(at)}
    if checksum is not None:
        headers["Upload-Checksum"] = "sha256 " + base64.b64encode(checksum).decode()
    return httpx.patch(api(server, f"/files/{digest}"), content=chunk, headers=headers)


def offset(server: Server, token: dict[str, str], digest: str) -> int:
    return int(httpx.head(api(server, f"/files/{digest}"), headers=token).headers["Upload-Offset"])


def token_of(store: Store) -> dict[str, str]:
    return {TOKEN_HEADER: read_state(store)["token"]}


def test_another_device_cannot_block_or_spoil_an_upload(office: Callable[..., Server],
                                                        laptops: Callable[..., Store]) -> None:
    server = office()
    a, b = laptops(server, "a"), laptops(server, "b", "B. Colleague")
    case_id, digest = case_with_photo(a)
    hostile = device(server, "X. Hostile", ("WDC",))
    # first to start an upload of that name, with a wrong length, junk and an empty chunk at 0
    assert httpx.post(api(server, f"/files/{digest}"), headers={**hostile, "Upload-Length": "5"}).status_code == 201
    assert patch(server, hostile, digest, 0, b"").status_code == 204
    assert patch(server, hostile, digest, 0, b"junk").status_code == 204
    assert sync_once(a).files_sent == 1
    assert sync_once(b).files_fetched == 1
    [attachment] = b.attachments.for_case(case_id)
    assert b.attachments.content(attachment["id"]) == a.attachments.content(attachment["id"])
    with server.service.db.transaction() as tx:  # the other device's upload is its own: 4 bytes in
        assert tx.all("SELECT length, received FROM uploads") == [(5, 4)]


def test_the_same_bytes_from_two_devices_are_stored_once_after_they_verify(office: Callable[..., Server]) -> None:
    server = office()
    first, second = device(server, "A. Okafor", ("WDC",)), device(server, "N. Officer", ("NBBC",))
    data = blob(1)
    digest = hashlib.sha256(data).hexdigest()
    done = upload(server, first, data)
    assert done.status_code == 204 and done.headers["Upload-Offset"] == str(len(data))
    # the second device does not learn the office has it: it sends the bytes itself, from 0
    started = httpx.post(api(server, f"/files/{digest}"), headers={**second, "Upload-Length": str(len(data))})
    assert started.status_code == 201 and started.headers["Upload-Offset"] == "0"
    assert upload(server, second, data).status_code == 204
    again = httpx.post(api(server, f"/files/{digest}"), headers={**second, "Upload-Length": str(len(data))})
    assert again.status_code == 200  # now they have shown they hold it
    assert httpx.get(api(server, f"/files/{digest}"), headers=second).content == data
    with server.service.db.transaction() as tx:
        assert tx.one("SELECT count(*) FROM files WHERE sha256 = ?", (digest,))[0] == 1
        assert sorted(o for (o,) in tx.all("SELECT officer FROM file_uploaders WHERE sha256 = ?", (digest,))) == [
            "A. Okafor", "N. Officer"]
        assert tx.one("SELECT count(*) FROM uploads")[0] == tx.one("SELECT count(*) FROM upload_chunks")[0] == 0


def test_naming_a_file_in_your_own_case_does_not_disclose_it(office: Callable[..., Server],
                                                             laptops: Callable[..., Store]) -> None:
    name_it_in_own_case(office, laptops, as_officer=None)


def test_naming_a_file_as_its_uploader_does_not_disclose_it(office: Callable[..., Server],
                                                            laptops: Callable[..., Store]) -> None:
    name_it_in_own_case(office, laptops, as_officer="A. Okafor")


def name_it_in_own_case(office: Callable[..., Server], laptops: Callable[..., Store], as_officer: str | None) -> None:
    """A device in another council names a file it knows only by SHA-256 in a row of its own case
    (saying, if ``as_officer``, that the uploader wrote it): it learns nothing of the file."""
    server = office()
    a = laptops(server, "a", "A. Okafor", ("WDC",))
    _, digest = case_with_photo(a)
    sync_once(a)
    x = laptops(server, "x", "X. Hostile", ("NBBC",))
    own_case = x.cases.create("NBBC", enquiry_on=date(2026, 11, 2))
    sync_once(x)
    with server.service.db.transaction() as tx:
        fields, hlc = tx.one("SELECT fields, hlc FROM feed WHERE entity = 'attachment'")
    import json

    named = {**json.loads(fields), "case_id": own_case}
    row = {"entity": "attachment", "id": uuid.uuid4().hex, "op": "insert", "base_rev": 0, "rev": 1, "hlc": hlc,
           "case_id": own_case, "fields": named, **({"officer": as_officer} if as_officer else {})}
    seq = int(read_state(x).get("device_seq") or 0) + 1
    pushed = httpx.post(api(server, "/push"), headers=token_of(x),
                        json={"key": uuid.uuid4().hex, "device_seq": seq, "changes": [row]})
    assert pushed.status_code == 200, pushed.text
    absent = "f" * 64
    for method in ("GET", "HEAD"):
        theirs = httpx.request(method, api(server, f"/files/{digest}"), headers=token_of(x))
        nothing = httpx.request(method, api(server, f"/files/{absent}"), headers=token_of(x))
        assert theirs.status_code == nothing.status_code == 404
        assert theirs.content == nothing.content and "Upload-Length" not in theirs.headers
    length = str(a.attachments.blobs.size(digest))
    theirs = httpx.post(api(server, f"/files/{digest}"), headers={**token_of(x), "Upload-Length": length})
    nothing = httpx.post(api(server, f"/files/{absent}"), headers={**token_of(x), "Upload-Length": length})
    assert theirs.status_code == nothing.status_code == 201
    assert theirs.headers["Upload-Offset"] == nothing.headers["Upload-Offset"] == "0"


def test_a_spoilt_chunk_is_discarded_and_the_offset_kept(office: Callable[..., Server]) -> None:
    server = office()
    token = device(server)
    data = blob(2)
    digest = hashlib.sha256(data).hexdigest()
    assert httpx.post(api(server, f"/files/{digest}"), headers={**token, "Upload-Length": "3000"}).status_code == 201
    assert patch(server, token, digest, 0, data[:1000]).headers["Upload-Offset"] == "1000"
    checksum = hashlib.sha256(data[1000:2000]).digest()
    spoilt = patch(server, token, digest, 1000, b"?" + data[1001:2000], checksum=checksum)
    assert spoilt.status_code == 460 and spoilt.json()["error"] == "checksum_mismatch"
    assert offset(server, token, digest) == 1000
    assert patch(server, token, digest, 500, data[500:1000]).status_code == 409  # not where it stands
    assert patch(server, token, digest, 1000, data[1000:2000]).headers["Upload-Offset"] == "2000"
    # without a checksum the whole file's hash catches it: that chunk is discarded, and the reset is kept
    wrong = patch(server, token, digest, 2000, b"?" * 1000)
    assert wrong.status_code == 422 and wrong.json()["error"] == "hash_mismatch"
    assert offset(server, token, digest) == 2000
    done = patch(server, token, digest, 2000, data[2000:])
    assert done.status_code == 204 and done.headers["Upload-Offset"] == "3000"
    assert httpx.get(api(server, f"/files/{digest}"), headers=token).content == data


def test_a_fault_before_the_last_chunk_starts_the_upload_again(office: Callable[..., Server]) -> None:
    server = office()
    token = device(server)
    data = blob(3)
    digest = hashlib.sha256(data).hexdigest()
    spoilt = b"?" + data[1:]
    assert upload(server, token, spoilt, digest=digest).status_code == 422
    assert offset(server, token, digest) == 2000  # first the last chunk is blamed
    assert patch(server, token, digest, 2000, data[2000:]).status_code == 422
    assert offset(server, token, digest) == 0  # the same again: the fault is earlier, start afresh
    assert upload(server, token, data).status_code == 204


def test_abandoned_partial_uploads_are_pruned(office: Callable[..., Server], clock: Clock) -> None:
    server = office(upload_days=7, prune_every_minutes=60)
    token = device(server)
    old, fresh = blob(4), blob(5)
    for data, then in ((old, 5), (fresh, 3)):
        digest = hashlib.sha256(data).hexdigest()
        httpx.post(api(server, f"/files/{digest}"), headers={**token, "Upload-Length": str(len(data))})
        patch(server, token, digest, 0, data[:1000])
        clock.advance(days=then)
    # the first untouched for 8 days, the second for 3: the next request prunes the first
    gone = httpx.head(api(server, f"/files/{hashlib.sha256(old).hexdigest()}"), headers=token)
    assert gone.status_code == 404
    assert offset(server, token, hashlib.sha256(fresh).hexdigest()) == 1000
    with server.service.db.transaction() as tx:
        assert tx.one("SELECT count(*) FROM upload_chunks")[0] == 1


def test_a_refused_upload_does_not_stop_the_sync(office: Callable[..., Server],
                                                 laptops: Callable[..., Store]) -> None:
    server = office(max_file_bytes=1000)  # every photo is too large for this office
    a, b = laptops(server, "a"), laptops(server, "b", "B. Colleague")
    theirs = b.cases.create("WDC", enquiry_on=date(2026, 11, 3))
    sync_once(b)
    case_with_photo(a)
    report = sync_once(a)  # no exception: the photo is set aside and the office's changes still arrive
    assert report.files_sent == 0 and report.pulled > 0
    assert a.conn.execute("SELECT count(*) FROM cases WHERE id = ?", (theirs,)).fetchone()[0] == 1
    assert "at most 1000 bytes" in read_state(a)["last_upload_error"]
