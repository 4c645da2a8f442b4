"""Round trips for every entity, the journal's one-entry-per-change rule, tombstones, drafts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from heart_desktop.domain.casework import StageOrderError
from heart_desktop.store import FormLockedError, NotFoundError, Store, StoreError

ENTITY_SAMPLES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # repository attribute: (values to insert, a change)
    "people": ({"given_name": "Nia", "family_name": "Okoro", "is_disabled_person": True,
                "date_of_birth": date(2012, 5, 1), "relationship": "daughter"}, {"phone": "07700 900123"}),
    "properties": ({"address_line1": "4 Avon Street", "town": "Rugby", "postcode": "CV21 2AB",
                    "tenure": "private tenant",
                    "years_owned": 3.5, "bedrooms": 2}, {"landlord": "A. Landlord"}),
    "visits": ({"scheduled_for": "2026-11-30T10:00", "kind": "assessment", "status": "planned", "officer": "T. Tester"},
               {"status": "done", "outcome": "Assessed"}),
    "forms": ({"form_id": "home_safety_check", "form_version": "1", "answers": {"smoke_alarm": "yes"},
               "status": "draft"}, {"answers": {"smoke_alarm": "no", "co_alarm": "yes"}}),
    "hazards": ({"hazard": "falls_on_stairs", "likelihood": 100, "harm": [1.0, 4.6, 10.0, 84.4],
                 "rated_on": date(2026, 11, 2)}, {"notes": "steep winders"}),
    "works": ({"position": 1, "location": "Stairs", "description": "Straight stairlift", "quantity": Decimal("1"),
               "unit": "item", "rate_pence": 345000, "vat_percent": Decimal("0")}, {"quantity": Decimal("2.5")}),
    "decisions": ({"kind": "assistance", "outcome": "approved", "amount_pence": 1234500,
                   "reasons": ["4.1 DFG"], "decided_on": date(2026, 10, 1)}, {"amount_pence": 1300000}),
    "notes": ({"body": "Called the customer", "author": "T. Tester", "written_at": "2026-11-01T09:00:00Z"},
              {"body": "Called the customer twice"}),
}


@pytest.mark.parametrize("repo", list(ENTITY_SAMPLES))
def test_round_trip(store: Store, make_case: Callable[..., str], repo: str) -> None:
    case_id = make_case(store)
    repository = getattr(store, repo)
    values, change = ENTITY_SAMPLES[repo]
    row_id = repository.insert({"case_id": case_id, **values})
    row = repository.get(row_id)
    assert {k: row[k] for k in values} == values
    assert (row["rev"], row["deleted"], row["updated_by"]) == (1, False, "T. Tester")
    assert row in repository.for_case(case_id)
    first_stamp = row["updated_at"]
    assert repository.update(row_id, change) == 2
    row = repository.get(row_id)
    assert {k: row[k] for k in change} == change
    assert row["updated_at"] > first_stamp
    assert repository.delete(row_id) == 3
    with pytest.raises(NotFoundError):
        repository.get(row_id)
    assert repository.get(row_id, include_deleted=True)["deleted"] is True
    assert row_id not in [r["id"] for r in repository.for_case(case_id)]
    entries = store.journal.entries(entity_id=row_id)
    assert [(e.op, e.base_rev, e.rev) for e in entries] == [("insert", 0, 1), ("update", 1, 2), ("delete", 2, 3)]


def test_case_round_trip(store: Store) -> None:
    case_id = store.cases.create("NBBC", reference="NBBC/26/00077", assigned_officer="T. Tester",
                                 assistance_types=["DFG", "DDFA"], priority_flags=["end_of_life"], urgent=True,
                                 urgent_reason="Palliative care", enquiry_on=date(2026, 2, 1))
    case = store.cases.get(case_id)
    assert case["reference"] == "NBBC/26/00077"
    assert case["assistance_types"] == ["DFG", "DDFA"]
    assert case["urgent"] is True and case["stage"] == "enquiry"
    assert store.cases.next_reference("NBBC", date(2026, 5, 1)) == "NBBC/26/00078"
    store.cases.update(case_id, {"assigned_officer": "Someone Else"})
    assert store.cases.get(case_id)["assigned_officer"] == "Someone Else"
    store.cases.delete(case_id)
    assert store.cases.count() == 0


def test_stage_dates(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    store.stages.set(case_id, "visit", date(2026, 2, 1), today=date(2026, 3, 1))
    assert store.stages.get(case_id)["visit"] == date(2026, 2, 1)
    assert store.cases.get(case_id)["stage"] == "visit"
    journal_before = store.journal.count()
    with pytest.raises(StageOrderError):
        store.stages.set(case_id, "application", date(2026, 1, 20), today=date(2026, 3, 1))
    with pytest.raises(StageOrderError):
        store.stages.set(case_id, "application", date(2027, 1, 20), today=date(2026, 3, 1))
    assert store.journal.count() == journal_before
    assert store.stages.get(case_id)["application"] is None
    store.stages.set(case_id, "visit", None, today=date(2026, 3, 1))
    assert store.cases.get(case_id)["stage"] == "enquiry"


def test_journal_one_entry_per_change_in_order(store: Store) -> None:
    with store.transaction() as tx:
        case_id = store.cases.create("RBC", reference="RBC/26/00001")
        person = store.people.insert({"case_id": case_id, "given_name": "Bo", "family_name": "Lund"})
        store.people.update(person, {"family_name": "Lunde"})
    store.people.update(person, {"family_name": "Lunde"})  # no change: nothing written
    store.notes.add(case_id, "hello")
    entries = store.journal.entries()
    assert [(e.entity, e.op) for e in entries] == [("case", "insert"), ("person", "insert"), ("person", "update"),
                                                    ("note", "insert")]
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert [e.hlc for e in entries] == sorted(e.hlc for e in entries)
    assert len({e.tx for e in entries[:3]}) == 1 and entries[0].tx == tx.id and entries[3].tx != tx.id
    assert entries[2].changes == {"family_name": "Lunde"}
    assert all(e.device_id == store.device_id and e.officer == "T. Tester" for e in entries)


def test_rolled_back_transaction_leaves_no_journal(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    before = store.journal.count()
    with pytest.raises(RuntimeError), store.transaction():
        store.notes.add(case_id, "will vanish")
        store.cases.update(case_id, {"assigned_officer": "Nobody"})
        raise RuntimeError("boom")
    assert store.journal.count() == before
    assert store.notes.for_case(case_id) == []
    assert store.cases.get(case_id)["assigned_officer"] == "T. Tester"
    # a failed nested step rolls back only itself
    with store.transaction():
        store.notes.add(case_id, "kept")
        with pytest.raises(StoreError):
            store.notes.insert({"case_id": case_id, "body": "x", "nonsense": 1})
    assert [n["body"] for n in store.notes.for_case(case_id)] == ["kept"]
    assert store.journal.count() == before + 1


def test_seq_never_reused_after_ack(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    last = store.journal.last_seq()
    pending = store.journal.pending()
    store.journal.mark_batch([e.seq for e in pending], "batch-1")
    assert store.journal.acknowledge(last) == len(pending)
    assert store.journal.pending() == []
    store.conn.execute("DELETE FROM journal WHERE acked_at IS NOT NULL")  # pruning acknowledged entries is allowed
    store.notes.add(case_id, "after pruning")
    assert store.journal.pending()[0].seq == last + 1


def test_journal_entries_are_immutable(store: Store, make_case: Callable[..., str]) -> None:
    make_case(store)
    with pytest.raises(Exception, match="cannot be changed"):
        store.conn.execute("UPDATE journal SET changes = '{}'")
    with pytest.raises(Exception, match="cannot be deleted"):
        store.conn.execute("DELETE FROM journal")


def test_audit_is_append_only(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    store.cases.detail(case_id)
    store.audit.append("print", case_id=case_id, detail={"document": "pack"})
    actions = [a["action"] for a in store.audit.read(case_id)]
    assert actions == ["print", "view"]
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("UPDATE audit SET officer = 'someone else'")
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("DELETE FROM audit")
    assert not hasattr(store.audit, "update") and not hasattr(store.audit, "delete")


def test_form_draft_lifecycle(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    form = store.forms.start(case_id, "home_safety_check", "1", {"a": 1})
    store.forms.save_draft(form, {"a": 1, "b": "two"})
    store.forms.save_draft(form, {"b": "two"})
    changes = [e.changes for e in store.journal.entries(entity_id=form)]
    assert changes[1] == {"answers": {"patch": {"b": "two"}, "unset": []}}
    assert changes[2] == {"answers": {"patch": {}, "unset": ["a"]}}
    drafts = store.forms.drafts()
    assert [(d["id"], d["reference"], d["customer"]) for d in drafts] == [
        (form, store.cases.get(case_id)["reference"], "Ann Smith")]
    store.forms.complete(form)
    assert store.forms.drafts() == []
    with pytest.raises(FormLockedError):
        store.forms.save_draft(form, {"b": "changed"})
    store.forms.sign(form)
    with pytest.raises(FormLockedError):
        store.forms.update(form, {"status": "draft"})
    assert store.forms.load(form)["status"] == "signed"
    assert "sign" in [a["action"] for a in store.audit.read(case_id)]
    revised = store.forms.revise(form)
    assert store.forms.load(revised)["base_id"] == form
    assert store.forms.load(revised)["answers"] == {"b": "two"}


def test_drafts_survive_reopen(tmp_path: Any, open_store: Callable[..., Store], make_case: Callable[..., str]) -> None:
    path = tmp_path / "d.heartdb"
    with open_store(path) as s:
        form = s.forms.start(make_case(s), "ot_needs", "1")
        s.forms.save_draft(form, {"mobility": "uses a frame"})
    with open_store(path, create=False) as s:
        assert [d["id"] for d in s.forms.drafts()] == [form]
        assert s.forms.load(form)["answers"] == {"mobility": "uses a frame"}


def test_caseload_page_count_and_filters(store: Store, make_case: Callable[..., str]) -> None:
    ids = {
        "a": make_case(store, family="Zephyr", council="WDC"),
        "b": make_case(store, family="Abbott", council="RBC", urgent=True, urgent_reason="falls"),
        "c": make_case(store, family="Mills", council="RBC"),
    }
    store.visits.insert({"case_id": ids["c"], "scheduled_for": "2026-12-01T09:30", "status": "planned"})
    assert store.cases.count() == 3
    assert store.cases.count({"council": "RBC"}) == 2
    assert store.cases.count({"urgent_only": True}) == 1
    by_customer = [r["customer"] for r in store.cases.page(0, 10, sort="customer")]
    assert by_customer == ["Ann Abbott", "Ann Mills", "Ann Zephyr"]
    assert [r["customer"] for r in store.cases.page(0, 10, sort="customer", descending=True)] == by_customer[::-1]
    assert store.cases.page(0, 10, today=date(2026, 11, 2))[0]["id"] == ids["b"]  # urgent first (no visit that day)
    assert [r["customer"] for r in store.cases.page(1, 1, sort="customer")] == ["Ann Mills"]
    row = store.cases.page(0, 1, sort="next_visit")[0]
    assert (row["id"], row["next_visit"]) == (ids["c"], "2026-12-01T09:30")
    assert set(row) >= {"reference", "customer", "postcode", "council", "stage", "urgent", "officer", "next_visit"}
    assert store.cases.count({"search": "mills"}) == 1
    assert store.cases.councils() == ["RBC", "WDC"]
    assert store.cases.officers() == ["T. Tester"]
    with pytest.raises(StoreError):
        store.cases.page(0, 10, sort="nonsense")


def test_detail_loads_everything(store: Store, make_case: Callable[..., str]) -> None:
    case_id = make_case(store)
    store.notes.add(case_id, "a note")
    detail = store.cases.detail(case_id)
    assert detail["case"]["id"] == case_id
    assert detail["property"]["postcode"] == "CV34 4RL"
    assert [p["family_name"] for p in detail["people"]] == ["Smith"]
    assert [n["body"] for n in detail["notes"]] == ["a note"]
    assert set(detail) >= {"visits", "forms", "hazards", "works", "attachments", "documents", "decisions"}


def test_works_schedule_uses_domain(store: Store, make_case: Callable[..., str]) -> None:
    from heart_desktop.domain.works import schedule_totals

    case_id = make_case(store)
    store.works.insert({"case_id": case_id, "description": "Grab rail", "quantity": Decimal("2"), "unit": "each",
                        "rate_pence": 3500, "vat_percent": Decimal("20")})
    assert schedule_totals(store.works.schedule(case_id)).net == 7000


def test_hlc_never_goes_backwards() -> None:
    from heart_desktop.store.clock import HybridLogicalClock, Stamp

    wall = [1_000_000]
    clock = HybridLogicalClock("dev", now_ms=lambda: wall[0])
    first = clock.now()
    wall[0] -= 5000  # the wall clock jumps back
    second = clock.now()
    assert second > first
    clock.observe(str(Stamp(2_000_000, 3, "other")))
    assert clock.now() > str(Stamp(2_000_000, 3, "dev"))
    assert Stamp.parse(first) == Stamp(1_000_000, 0, "dev")


def test_hazard_rating_scored_by_the_domain(store: Store, make_case: Callable[..., str]) -> None:
    from heart_desktop.domain import hhsrs

    case_id = make_case(store)
    rating_id = store.hazards.rate(case_id, "falls_on_stairs", 100, (1.0, 4.6, 10.0, 84.4), date(2026, 11, 2))
    row = store.hazards.get(rating_id)
    expected = hhsrs.rate(100, (1.0, 4.6, 10.0, 84.4), hhsrs.scheme_for(date(2026, 11, 2)))
    assert (row["score"], row["band"], row["category"], row["scheme_id"]) == (
        expected.display_score, expected.band, expected.category, expected.scheme_id)
    assert row["harm"] == [1.0, 4.6, 10.0, 84.4]
