"""The caseload's default order: the visits booked for today first (by time), then urgent cases,
then by reference; paging across the seam between the two runs neither repeats nor drops a case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from heart_desktop.store import Store

TODAY = date(2026, 11, 23)


def booked(store: Store, make_case: Callable[..., str], reference: str, when: str, **fields: object) -> str:
    case_id = make_case(store, reference=reference, **fields)
    store.visits.insert({"case_id": case_id, "scheduled_for": when, "kind": "assessment", "status": "planned"})
    return case_id


def test_todays_visits_come_first_then_urgent_then_reference(store: Store, make_case: Callable[..., str]) -> None:
    plain = [make_case(store, reference=f"WDC/26/{n:05d}") for n in range(1, 8)]
    urgent = make_case(store, reference="WDC/26/00050", urgent=True)
    afternoon = booked(store, make_case, "WDC/26/00090", "2026-11-23T14:00")
    morning = booked(store, make_case, "WDC/26/00091", "2026-11-23T09:30")
    tomorrow = booked(store, make_case, "WDC/26/00040", "2026-11-24T09:30")
    order = [row["id"] for row in store.cases.page(0, 100, today=TODAY)]
    assert order[:3] == [morning, afternoon, urgent]
    assert tomorrow in order[3:] and set(plain) <= set(order[3:])
    assert len(order) == len(set(order)) == store.cases.count() == 11
    # any page size gives the same sequence
    for size in (1, 2, 3, 4):
        paged = [row["id"] for offset in range(0, 11, size) for row in store.cases.page(offset, size, today=TODAY)]
        assert paged == order


def test_the_order_follows_the_filters(store: Store, make_case: Callable[..., str]) -> None:
    booked(store, make_case, "NBBC/26/00001", "2026-11-23T09:30", council="NBBC")
    mine = make_case(store, reference="WDC/26/00001")
    rows = store.cases.page(0, 10, filters={"council": "WDC"}, today=TODAY)
    assert [row["id"] for row in rows] == [mine]
