"""Limits before work: the token and the body's size are checked before the body is read, every
refusal is a 4xx with a JSON reason, the request log stays bounded, enrolment codes expire and
guesses are throttled. All against the real server on 127.0.0.1, on SQLite and PostgreSQL."""
# ruff: noqa: F811 (the fixtures from office_helpers are imported, then named as parameters)

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import httpx
import pytest
from office_helpers import Clock, api, clock, db_kind, db_url, device, laptops, office  # noqa: F401
from sync_server import Server

from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once
from heart_desktop.sync.protocol import TOKEN_HEADER

KiB = 1024


def stream(total: int, piece: int = 64 * KiB) -> Iterator[bytes]:
    """A body of ``total`` bytes sent chunked (no Content-Length), never held whole."""
    block = b"x" * piece
    for _ in range(total // piece):
        yield block


def refused(answer: httpx.Response, status: int, code: str | None = None) -> None:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error", "message"} and body["message"]
    if code:
        assert body["error"] == code


def test_no_token_is_refused_before_the_body(office: Callable[..., Server]) -> None:
    server = office(max_chunk_bytes=64 * KiB, max_batch_bytes=64 * KiB)
    refused(httpx.patch(api(server, f"/files/{'a' * 64}"), content=stream(4 * 1024 * KiB),
                        headers={"Upload-Offset": "0"}), 401, "no_token")
    refused(httpx.post(api(server, "/push"), content=stream(4 * 1024 * KiB),
                       headers={TOKEN_HEADER: "guess", "Content-Type": "application/json"}), 401, "bad_token")
    with server.service.db.transaction() as tx:
        logged = tx.all("SELECT method, status FROM request_log ORDER BY id")
    assert logged == [("PATCH", 401), ("POST", 401)]


def test_bodies_past_the_routes_limit_are_cut_off(office: Callable[..., Server]) -> None:
    server = office(max_chunk_bytes=64 * KiB, max_batch_bytes=32 * KiB, max_enrol_bytes=1 * KiB,
                    max_file_bytes=100 * KiB)
    token = device(server)
    # declared too large: refused on the length
    refused(httpx.post(api(server, "/push"), content=b"{" + b" " * (40 * KiB) + b"}",
                       headers={**token, "Content-Type": "application/json"}), 413, "too_large")
    # no length (chunked): counted as it streams, cut off at the limit
    refused(httpx.post(api(server, "/push"), content=stream(1024 * KiB, 4 * KiB),
                       headers={**token, "Content-Type": "application/json"}), 413, "too_large")
    refused(httpx.post(api(server, "/enrol"), content=stream(64 * KiB, 1 * KiB),
                       headers={"Content-Type": "application/json"}), 413, "too_large")
    name = "b" * 64
    assert httpx.post(api(server, f"/files/{name}"), headers={**token, "Upload-Length": "90000"}).status_code == 201
    refused(httpx.patch(api(server, f"/files/{name}"), content=stream(1024 * KiB),
                        headers={**token, "Upload-Offset": "0"}), 413, "too_large")
    refused(httpx.post(api(server, f"/files/{'c' * 64}"), headers={**token, "Upload-Length": str(101 * KiB)}),
            413, "too_large")
    # nothing of the refused chunk was kept
    assert httpx.head(api(server, f"/files/{name}"), headers=token).headers["Upload-Offset"] == "0"
    # a body on a route that takes none
    refused(httpx.request("GET", api(server, "/digest"), content=b"x" * (65 * KiB), headers=token), 413)


def test_malformed_requests_get_a_4xx_with_a_json_reason(office: Callable[..., Server]) -> None:
    server = office()
    token = device(server)
    for after in (2**64, -1, 2**63):
        refused(httpx.get(api(server, "/pull"), params={"after": after}, headers=token), 422, "invalid_request")
    refused(httpx.get(api(server, "/pull"), params={"after": "many"}, headers=token), 422)
    refused(httpx.get(api(server, "/pull"), params={"limit": 0}, headers=token), 422)
    refused(httpx.post(api(server, "/files/" + "d" * 64), headers={**token, "Upload-Length": str(2**64)}), 422)
    refused(httpx.post(api(server, "/files/not-a-hash"), headers={**token, "Upload-Length": "5"}), 422)
    refused(httpx.post(api(server, "/push"), json=[1, 2], headers=token), 422)
    refused(httpx.post(api(server, "/push"), content=b"{not json", headers={**token,
                                                                             "Content-Type": "application/json"}), 422)
    refused(httpx.get(api(server, "/nowhere"), headers=token), 404, "not_found")
    refused(httpx.delete(api(server, "/push"), headers=token), 405, "method_not_allowed")
    refused(httpx.get(f"{server.url}/api/v1/docs"), 404)  # the docs pages are off by default
    assert httpx.get(f"{server.url}/api/v1/openapi.json").status_code == 200


def test_a_lone_surrogate_is_refused_not_a_500(office: Callable[..., Server]) -> None:
    server = office()
    token = device(server)
    surrogate = b'"a\\ud800b"'
    code = server.service.enrol_code("A. Okafor")
    refused(httpx.post(api(server, "/enrol"), content=b'{"code": "%s", "device_name": %s}' % (code.encode(), surrogate),
                       headers={"Content-Type": "application/json"}), 422, "invalid_request")
    refused(httpx.post(api(server, "/push"), content=b'{"key": %s, "device_seq": 1, "changes": []}' % surrogate,
                       headers={**token, "Content-Type": "application/json"}), 422, "invalid_request")
    inside = b'{"key": "k", "device_seq": 1, "changes": [{"entity": "note", "fields": {"body": %s}}]}' % surrogate
    refused(httpx.post(api(server, "/push"), content=inside, headers={**token, "Content-Type": "application/json"}),
            400, "bad_text")
    for path in ("/files/%ED%A0%80", "/submissions/%ED%A0%80", "/files/" + "e" * 63 + "%ED"):
        answer = httpx.get(api(server, path), headers=token)
        assert 400 <= answer.status_code < 500 and answer.json()["error"]
    with server.service.db.transaction() as tx:
        assert not tx.all("SELECT path FROM request_log WHERE status >= 500")


def test_entity_or_op_of_the_wrong_type_is_refused_not_a_500(office: Callable[..., Server]) -> None:
    server = office()
    token = device(server)
    change = {"id": "0" * 32, "base_rev": 0, "rev": 1, "hlc": "2026-03-02T09:00:00.000Z-0000-abcdef01",
              "fields": {}, "case_id": "0" * 32}
    for entity, op in ((["case"], "insert"), ({"a": 1}, "insert"), ("case", ["insert"]), ("case", {"x": 1})):
        answer = httpx.post(api(server, "/push"), headers=token, json={
            "key": f"k{entity}{op}", "device_seq": 1, "changes": [{**change, "entity": entity, "op": op}]})
        assert answer.status_code < 500, answer.text


def test_a_500_is_logged_and_answered_in_json(office: Callable[..., Server], monkeypatch: pytest.MonkeyPatch) -> None:
    server = office(path_chars=40)
    token = device(server)

    def broken(*_args: object) -> None:
        raise RuntimeError("a fault of the office's own")

    monkeypatch.setattr(server.app.state.service, "digest", broken)
    refused(httpx.get(api(server, "/digest"), headers=token), 500, "internal")
    httpx.get(api(server, "/x" * 300), headers=token)
    with server.service.db.transaction() as tx:
        logged = tx.all("SELECT path, status FROM request_log ORDER BY id")
    assert ("/api/v1/digest", 500) in logged
    assert max(len(path) for path, _status in logged) == 40


def test_the_request_log_is_pruned_by_age(office: Callable[..., Server], clock: Clock) -> None:
    server = office(log_days=30, prune_every_minutes=60)
    httpx.get(api(server, "/pull"))  # refused, logged at the start
    clock.advance(days=31)
    httpx.get(api(server, "/digest"))  # logged now; an hour has passed, so the gate prunes
    with server.service.db.transaction() as tx:
        assert tx.all("SELECT path FROM request_log") == [("/api/v1/digest",)]


def test_enrolment_codes_expire_and_a_new_one_voids_the_last(office: Callable[..., Server], clock: Clock) -> None:
    server = office()
    server.service.add_officer("A. Okafor", "HAO", ["WDC"])

    def enrol(code: str) -> httpx.Response:
        return httpx.post(api(server, "/enrol"), json={"code": code, "device_name": "laptop"})

    first = server.service.enrol_code("A. Okafor")
    second = server.service.enrol_code("A. Okafor")
    refused(enrol(first), 403, "bad_code")
    clock.advance(hours=71, minutes=59)
    assert enrol(second).status_code == 200
    late = server.service.enrol_code("A. Okafor")
    clock.advance(hours=72, seconds=1)
    refused(enrol(late), 403, "bad_code")
    longer = server.service.enrol_code("A. Okafor", hours=24 * 7)
    clock.advance(hours=24 * 6)
    assert enrol(longer).status_code == 200


def test_enrolment_guesses_are_throttled(office: Callable[..., Server], clock: Clock) -> None:
    server = office(throttle_per_address=3, throttle_total=5, throttle_window_minutes=15)
    server.service.add_officer("A. Okafor", "HAO", ["WDC"])
    code = server.service.enrol_code("A. Okafor")

    def enrol(guess: str) -> httpx.Response:
        return httpx.post(api(server, "/enrol"), json={"code": guess, "device_name": "laptop"})

    for n in range(3):
        refused(enrol(f"AAAAAA-BBBBBB-00000{n}"), 403, "bad_code")
    throttled = enrol(code)  # even the right code waits
    refused(throttled, 429, "too_many_guesses")
    assert throttled.headers["Retry-After"] == "900"
    clock.advance(minutes=16)
    assert enrol(code).status_code == 200
    # from everywhere: guesses from other addresses count towards the office-wide limit
    code = server.service.enrol_code("A. Okafor")
    for n in range(5):
        with pytest.raises(Exception, match="not valid"):
            server.service.enrol(f"guess {n}", "laptop", address=f"192.0.2.{n}")
    refused(enrol(code), 429, "too_many_guesses")


def test_a_pull_page_is_cut_by_bytes_and_the_laptop_still_converges(
        office: Callable[..., Server], laptops: Callable[..., Store]) -> None:
    server = office(max_page_bytes=3000)
    a, b = laptops(server, "a"), laptops(server, "b", "B. Colleague")
    cases = [a.cases.create("WDC", enquiry_on=date(2026, 11, 2)) for _ in range(3)]
    notes = {case_id: [a.notes.add(case_id, f"note {n} " + "words " * 100) for n in range(3)] for case_id in cases}
    sync_once(a)
    token = {TOKEN_HEADER: b.conn.execute("SELECT value FROM sync_state WHERE key = 'token'").fetchone()[0]}
    page = httpx.get(api(server, "/pull"), params={"after": 0, "limit": 1000}, headers=token).json()
    assert page["more"] is True and 0 < len(page["changes"]) < 1000
    assert page["cursor"] == page["changes"][-1]["seq"]
    sync_once(b)
    for case_id, ids in notes.items():
        assert sorted(n["id"] for n in b.notes.for_case(case_id)) == sorted(ids)


