"""Photos and signed packs travel by SHA-256 in resumable chunks: they arrive whole on the other
laptop, are never stored twice, resume after a cut, and stay within the officer's councils."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import httpx
import pytest
from PIL import Image
from sync_server import Server

from heart_desktop.store import Store
from heart_desktop.store.sync_apply import read_state
from heart_desktop.sync import client
from heart_desktop.sync.client import SyncError, sync_once
from heart_desktop.sync.protocol import TOKEN_HEADER


def photo(seed: int) -> bytes:
    image = Image.effect_noise((900, 700), 40 + seed).convert("RGB")  # noise: does not compress away
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def case_with_photo(store: Store, seed: int = 1, council: str = "WDC") -> tuple[str, str]:
    case_id = store.cases.create(council, enquiry_on=date(2026, 11, 2))
    attachment = store.attachments.get(store.attachments.add(case_id, photo(seed), caption="Stairs"))
    return case_id, attachment["sha256"]


def test_a_photo_reaches_the_other_laptop_whole(laptop: Callable[..., Store], server: Server) -> None:
    a, b = laptop("a"), laptop("b")
    case_id, digest = case_with_photo(a)
    assert sync_once(a).files_sent == 1
    report = sync_once(b)
    assert report.files_fetched == 1
    [attachment] = [x for x in b.attachments.for_case(case_id)]
    assert b.attachments.content(attachment["id"]) == a.attachments.content(attachment["id"])
    assert sync_once(a).files_sent == 0  # sent once
    with server.service.db.transaction() as tx:
        assert tx.one("SELECT count(*) FROM files WHERE sha256 = ?", (digest,))[0] == 1


def test_a_cut_upload_resumes_where_it_stopped(laptop: Callable[..., Store], server: Server,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = laptop("a"), laptop("b")
    case_with_photo(a, seed=2)
    monkeypatch.setattr(client, "CHUNK", 64 * 1024)
    chunks: list[int] = []
    cuts = [3]  # the third chunk's connection drops, once

    def cut_after_two(request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            chunks.append(int(request.headers["Upload-Offset"]))
            if len(chunks) in cuts:
                cuts.clear()
                raise httpx.ReadError("the connection dropped", request=request)
        return httpx.HTTPTransport().handle_request(request)

    with pytest.raises(SyncError, match="resumes"):
        sync_once(a, transport=httpx.MockTransport(cut_after_two))
    resumed_from = chunks[-1]
    chunks.clear()
    sync_once(a, transport=httpx.MockTransport(cut_after_two))
    assert chunks[0] >= resumed_from > 0  # carried on, did not start again
    assert sync_once(b).files_fetched == 1


def test_another_councils_officer_cannot_fetch_the_file(laptop: Callable[..., Store], server: Server) -> None:
    south, north = laptop("south", "S. Officer", ("WDC",)), laptop("north", "N. Officer", ("NBBC",))
    _, digest = case_with_photo(south)
    sync_once(south)
    token = read_state(north)["token"]
    answer = httpx.get(f"{server.url}/api/v1/files/{digest}", headers={TOKEN_HEADER: token})
    assert answer.status_code == 404 and answer.json()["error"] == "no_file"


def test_a_file_is_found_by_its_index_and_an_older_database_is_indexed_on_start(
        laptop: Callable[..., Store], server: Server) -> None:
    """Fetching checks the case that names a file through an index, not by reading every row; a
    database from before the index gets it when the office starts. (b is a colleague: the
    uploader's own officer may read the file without any row.)"""
    from heart_desktop.central.db import CentralDatabase
    from heart_desktop.central.service import CentralService

    a, b = laptop("a"), laptop("b", "B. Colleague")
    _, digest = case_with_photo(a)
    sync_once(a)
    with server.service.db.transaction() as tx:
        assert tx.one("SELECT entity FROM file_refs WHERE sha256 = ?", (digest,)) == ("attachment",)
        tx.execute("DELETE FROM file_refs")  # as a database made before the index
    token = read_state(b)["token"]
    assert httpx.get(f"{server.url}/api/v1/files/{digest}", headers={TOKEN_HEADER: token}).status_code == 404
    CentralService(CentralDatabase(server.db_url))  # the office starting again
    server.restart()
    fetched = httpx.get(f"{server.url}/api/v1/files/{digest}", headers={TOKEN_HEADER: token})
    assert fetched.status_code == 200 and fetched.content == a.attachments.blobs.get(digest)


def test_bytes_that_do_not_match_their_name_are_refused(laptop: Callable[..., Store], server: Server) -> None:
    a = laptop("a")
    token = read_state(a)["token"]
    name = "0" * 64
    headers = {TOKEN_HEADER: token}
    assert httpx.post(f"{server.url}/api/v1/files/{name}", headers={**headers, "Upload-Length": "5"}).status_code == 201
    wrong = httpx.patch(f"{server.url}/api/v1/files/{name}", content=b"hello",
                        headers={**headers, "Upload-Offset": "0"})
    assert wrong.status_code == 422 and wrong.json()["error"] == "hash_mismatch"


def test_a_submission_is_complete_only_when_its_photos_have_arrived(laptop: Callable[..., Store],
                                                                    server: Server,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    a = laptop("a")
    case_id, digest = case_with_photo(a, seed=4)
    form = a.forms.start(case_id, "home_safety_check", "1.0", {
        "visit_date": "2026-11-02", "falls_findings": [{"hazard": "Loose rug", "photos": [{"sha256": digest}]}]})
    monkeypatch.setattr(client, "_send_files", lambda *args: 0)  # rows go, the photo does not (yet)
    sync_once(a)
    headers = {TOKEN_HEADER: read_state(a)["token"]}
    answer = httpx.get(f"{server.url}/api/v1/submissions/{form}", headers=headers).json()
    assert answer["complete"] is False and answer["missing"] == [digest]
    monkeypatch.undo()
    sync_once(a)
    answer = httpx.get(f"{server.url}/api/v1/submissions/{form}", headers=headers).json()
    assert answer["complete"] is True and answer["files"] == [digest]


def test_progress_counts_up_to_what_was_sent_and_fetched(laptop: Callable[..., Store]) -> None:
    """The progress bar's figures: changes sent of those waiting, bytes sent of the photos' total,
    how far through the office's feed, bytes fetched of the photos awaited; never going backwards."""
    a, b = laptop("a"), laptop("b")
    digests = [case_with_photo(a, seed=n)[1] for n in (5, 6)]
    sizes = sum(a.attachments.blobs.size(d) for d in digests)
    assert sizes > 2 * client.CHUNK  # several chunks each
    waiting = a.journal.count()
    seen: list[client.Progress] = []
    report = sync_once(a, progress=seen.append)
    sending = [p for p in seen if p.stage == "Sending changes"]
    assert sending[-1].done == sending[-1].total == report.pushed == waiting
    uploads = [p for p in seen if p.unit == "bytes"]
    assert len(uploads) > 4 and uploads[-1].done == uploads[-1].total == sizes
    assert [p.done for p in uploads] == sorted(p.done for p in uploads)
    assert "MB" in uploads[-1].describe()

    fetched: list[client.Progress] = []
    sync_once(b, progress=fetched.append)
    feed = [p for p in fetched if p.stage == "Fetching the office's changes"]
    assert feed and feed[-1].done == feed[-1].total > 0
    downloads = [p for p in fetched if p.stage == "Fetching photos and packs"]
    assert len(downloads) > 4 and downloads[-1].done == downloads[-1].total == sizes
    assert [p.done for p in downloads] == sorted(p.done for p in downloads)
    assert downloads[-1].describe().endswith(f"of {sizes / 1e6:.1f} MB")


def test_every_request_is_logged_with_its_device_and_status(laptop: Callable[..., Store], server: Server) -> None:
    a = laptop("a")
    case_with_photo(a)
    sync_once(a)
    device_id = read_state(a)["device_id"]
    httpx.get(f"{server.url}/api/v1/pull", headers={TOKEN_HEADER: "not a token"})
    httpx.head(f"{server.url}/api/v1/files/{'0' * 64}", headers={TOKEN_HEADER: read_state(a)["token"]})
    with server.service.db.transaction() as tx:
        logged = tx.all("SELECT device_id, method, path, status FROM request_log ORDER BY id")
    mine = {(method, path.split("/")[3], status) for device, method, path, status in logged if device == device_id}
    assert {("POST", "push", 200), ("POST", "files", 201), ("PATCH", "files", 204), ("GET", "pull", 200),
            ("GET", "digest", 200), ("HEAD", "files", 404)} <= mine
    assert (None, "GET", "/api/v1/pull", 401) in logged  # refused before any device was known
    assert not any(path == "/api/v1/" for _device, _method, path, _status in logged)  # health checks are not
