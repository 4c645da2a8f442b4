"""Faults at the transport seam: a request lost, an answer lost after the server committed (the
classic duplicate maker), a connection cut mid-pull, the server restarted between batches, and a
laptop clock hours wrong. After each, the laptops converge with nothing lost or duplicated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx
import pytest
from sync_server import Server

from heart_desktop.store import Store
from heart_desktop.sync.client import SyncError, sync_once, sync_status


class Faulty(httpx.BaseTransport):
    """The real network, except that the chosen request is lost before or after the server sees it."""

    def __init__(self, path: str, when: str, times: int = 1) -> None:
        self.inner = httpx.HTTPTransport()
        self.path, self.when, self.left = path, when, times

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        hit = request.url.path.endswith(self.path) and self.left > 0
        if hit and self.when == "before":
            self.left -= 1
            raise httpx.ConnectError("the request was lost", request=request)
        response = self.inner.handle_request(request)
        if hit and self.when == "after":
            self.left -= 1
            response.read()
            raise httpx.ReadError("the answer was lost", request=request)
        return response


def cases_with_notes(store: Store, n: int, council: str = "WDC") -> list[str]:
    made = []
    for i in range(n):
        with store.transaction():
            case_id = store.cases.create(council, enquiry_on=date(2026, 11, 2))
            store.notes.add(case_id, f"note {i}")
        made.append(case_id)
    return made


def everything(store: Store) -> set[tuple[str, str]]:
    notes = store.conn.execute("SELECT c.id, n.body FROM notes n JOIN cases c ON c.id = n.case_id "
                               "WHERE n.deleted = 0 AND c.deleted = 0").fetchall()
    return {(a, b) for a, b in notes}


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_lost_push_is_sent_again_and_applied_once(laptop: Callable[..., Store], server: Server, when: str) -> None:
    a, b = laptop("a"), laptop("b")
    cases_with_notes(a, 3)
    with pytest.raises(SyncError, match="could not be reached"):
        sync_once(a, transport=Faulty("/push", when))
    assert sync_status(a).waiting == 6  # nothing counted as sent without the server's answer
    assert sync_once(a).pushed == 6
    sync_once(b)
    assert everything(a) == everything(b) and len(everything(b)) == 3
    with server.service.db.transaction() as tx:
        assert tx.one("SELECT count(*) FROM feed WHERE entity = 'note'")[0] == 3  # no duplicates


def test_a_pull_cut_midway_resumes_from_its_cursor(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    cases_with_notes(a, 4)
    sync_once(a)
    from heart_desktop.sync import client

    small = Faulty("/pull", "after", times=1)
    original = client.PULL_PAGE
    client.PULL_PAGE = 3
    try:
        with pytest.raises(SyncError):
            sync_once(b, transport=small)
        sync_once(b)
    finally:
        client.PULL_PAGE = original
    assert everything(a) == everything(b) and len(everything(b)) == 4


def test_the_server_restarted_between_batches(laptop: Callable[..., Store], server: Server) -> None:
    a, b = laptop("a"), laptop("b")
    cases_with_notes(a, 2)
    sync_once(a)
    server.restart()
    cases_with_notes(a, 2)
    sync_once(a)
    sync_once(b)
    assert everything(a) == everything(b) and len(everything(b)) == 4


def test_a_laptop_clock_hours_wrong_still_converges(laptop: Callable[..., Store]) -> None:
    a, b = laptop("a"), laptop("b")
    case_id = cases_with_notes(a, 1)[0]
    sync_once(a)
    sync_once(b)
    behind = a.clock._now
    a.clock._now = lambda: behind() - 5 * 3600 * 1000  # five hours slow
    a.cases.update(case_id, {"urgent_reason": "set on the slow laptop"})
    sync_once(a)
    sync_once(b)
    assert b.cases.get(case_id)["urgent_reason"] == "set on the slow laptop"
    # the slow laptop's clock caught up with what it saw, so its next stamp is not in the past
    assert a.clock.now() > b.cases.get(case_id)["updated_at"][:23]
