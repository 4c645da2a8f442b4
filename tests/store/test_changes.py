"""The store's one announcement per commit: what changed (kinds of record and cases), once it is
durable, from every write path (repositories, a sync pull, a removal), and nothing for a rollback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from heart_desktop.store import Store
from heart_desktop.store.changes import LOCAL, SYNC, Change
from heart_desktop.store.sync_apply import apply_page

PASSPHRASE = "changes test"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "s.heartdb", PASSPHRASE, officer="A. Okafor", create=True, kdf_iter=1000)
    yield opened
    opened.close()


def heard(store: Store) -> list[Change]:
    changes: list[Change] = []
    store.changes.subscribe(changes.append)
    return changes


def test_one_announcement_per_commit_with_its_kinds_and_cases(store: Store) -> None:
    changes = heard(store)
    with store.transaction():
        case_id = store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
        store.notes.add(case_id, "first call")
        assert changes == []  # nothing is announced before the commit
    assert len(changes) == 1
    assert changes[0].kinds >= {"case", "note"} and changes[0].case_ids == {case_id}
    assert changes[0].origin == LOCAL
    note_id = store.notes.for_case(case_id)[0]["id"]
    store.notes.update(note_id, {"body": "first call, corrected"})  # found through the row's case
    assert changes[-1] == Change(frozenset({"note"}), frozenset({case_id}))


def test_a_rolled_back_transaction_announces_nothing(store: Store) -> None:
    case_id = store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    changes = heard(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.notes.add(case_id, "lost")
        raise RuntimeError("the officer's action failed")
    assert changes == []
    store.notes.update(store.notes.add(case_id, "kept"), {"body": "kept"})  # unchanged: one announcement
    assert len(changes) == 1


def test_a_listener_that_fails_does_not_undo_the_commit(store: Store) -> None:
    def broken(_change: Change) -> None:
        raise ValueError("a view went wrong")

    store.changes.subscribe(broken)
    after = heard(store)
    case_id = store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    assert store.cases.find(case_id) is not None and len(after) == 1


def test_a_pull_is_announced_as_sync_on_every_connection_to_the_store(store: Store) -> None:
    case_id = store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    changes = heard(store)
    other = store.another_connection()  # the sync thread's connection shares the hub
    try:
        note = {"entity": "note", "id": "n-pulled", "op": "insert", "rev": 1, "hlc": "0000000000001-0000-office",
                "officer": "K. Osei", "case_id": case_id,
                "fields": {"case_id": case_id, "body": "from the office", "author": "K. Osei",
                           "written_at": "2026-11-30T10:00:00+00:00"}}
        apply_page(other, [note], cursor=1)
    finally:
        other.close()
    assert [c.origin for c in changes] == [SYNC]
    assert changes[0].kinds == {"note"} and changes[0].case_ids == {case_id}


def test_unsubscribing_stops_the_announcements(store: Store) -> None:
    changes: list[Change] = []
    stop = store.changes.subscribe(changes.append)
    store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    stop()
    store.cases.create("WDC", enquiry_on=date(2026, 11, 2))
    assert len(changes) == 1
