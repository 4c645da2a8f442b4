"""The use cases without a window: the services the screens call, on a real store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store
from heart_desktop.store.changes import Change


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    bench = Workbench(tmp_path / "s.heartdb", officer="A. Okafor")
    bench.store = Store.open(bench.path, "services test", officer="A. Okafor", create=True, kdf_iter=1000)
    yield bench
    bench.close()


def hazard(**answer: object) -> dict:
    return {"inspection_start": "2025-03-01", "hazards": {"falls_on_stairs": {"assessed": True, **answer}}}


def test_an_hhsrs_answer_with_a_blank_class_stores_no_rating(bench: Workbench) -> None:
    case_id = bench._store().cases.create("WDC", enquiry_on=date(2026, 11, 2))
    bench.after_form_saved(case_id, "hhsrs_assessment", hazard(likelihood="100", class_i="10", class_ii="",
                                                               class_iii="0"))
    assert bench._store().hazards.for_case(case_id) == []  # a blank is not 0: no score yet
    bench.after_form_saved(case_id, "hhsrs_assessment", hazard(likelihood="100", class_i="10", class_ii="21.5",
                                                               class_iii="31.6"))
    (row,) = bench._store().hazards.for_case(case_id)
    assert row["harm"] == [10, 21.5, 31.6] and row["score"] > 0


def test_each_use_case_commit_is_announced_with_its_case(bench: Workbench) -> None:
    heard: list[Change] = []
    bench._store().changes.subscribe(heard.append)
    case_id = bench._store().cases.create("WDC", enquiry_on=date(2026, 11, 2))
    bench.add_note(case_id, "Rang the customer")
    bench.record_stage(case_id, "telephone_assessment", date(2026, 11, 3))
    assert [change.case_ids for change in heard] == [{case_id}] * 3
    assert heard[1].has("note") and heard[2].has("case")
