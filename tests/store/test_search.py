"""Full-text search finds what it should and nothing it should not, and stays in step with edits."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from heart_desktop.store import Store
from heart_desktop.store.search import match_expression


@pytest.fixture
def cases(store: Store, make_case: Callable[..., str]) -> dict[str, str]:
    return {
        "smith": make_case(store, given="Ann", family="Smith", postcode="CV34 4RL"),
        "goldsmith": make_case(store, given="Rhys", family="Goldsmith", postcode="CV31 1AB"),
        "patel": make_case(store, given="Priya", family="Patel", postcode="B49 5AB", council="SDC"),
        "kenilworth": make_case(store, given="Tom", family="Ward", postcode="CV8 2QP"),
    }


def found(store: Store, text: str) -> set[str]:
    return {r["id"] for r in store.cases.search(text, limit=100)}


def test_prefixes_and_postcodes(store: Store, cases: dict[str, str]) -> None:
    assert found(store, "smi") == {cases["smith"]}  # never Goldsmith
    assert found(store, "SMITH") == {cases["smith"]}
    assert found(store, "gold") == {cases["goldsmith"]}
    assert found(store, "CV34") == {cases["smith"]}
    assert found(store, "cv34 4rl") == {cases["smith"]}
    assert found(store, "CV344RL") == {cases["smith"]}
    assert found(store, "cv344") == {cases["smith"]}
    assert found(store, "b49") == {cases["patel"]}
    assert found(store, "CV3") == {cases["smith"], cases["goldsmith"]}
    assert found(store, "CV8") == {cases["kenilworth"]}
    assert found(store, "ann smith") == {cases["smith"]}
    assert found(store, "mill road") == set(cases.values())
    assert found(store, "warw") == set(cases.values())


def test_reference_with_and_without_slashes(store: Store, cases: dict[str, str]) -> None:
    reference = store.cases.get(cases["patel"])["reference"]
    assert found(store, reference) == {cases["patel"]}
    assert found(store, reference.replace("/", "")) == {cases["patel"]}
    assert cases["patel"] in found(store, "SDC")


def test_nothing_it_should_not(store: Store, cases: dict[str, str]) -> None:
    assert found(store, "smithers") == set()
    assert found(store, "CV35") == set()
    assert found(store, "ann goldsmith") == set()
    assert found(store, "") == set()
    assert found(store, "  ***  ") == set()
    assert found(store, 'NOT "smith" OR') == set()  # FTS syntax is quoted away, never an error
    assert found(store, "mith") == set()  # prefix only, not substring


def test_index_follows_edits_and_deletes(store: Store, cases: dict[str, str]) -> None:
    person = store.people.applicant(cases["smith"])
    assert person is not None
    store.people.update(person["id"], {"family_name": "Jones"})
    assert found(store, "smith") == set()
    assert found(store, "jones") == {cases["smith"]}
    assert store.cases.get(cases["smith"])["customer"] == "Ann Jones"
    prop = store.properties.for_case_one(cases["patel"])
    assert prop is not None
    store.properties.update(prop["id"], {"postcode": "B80 7XY"})
    assert found(store, "b49") == set()
    assert found(store, "b80") == {cases["patel"]}
    store.cases.delete(cases["kenilworth"])
    assert found(store, "ward") == set()
    store.people.insert({"case_id": cases["goldsmith"], "given_name": "Ola", "family_name": "Nowak"})
    assert found(store, "nowak") == {cases["goldsmith"]}


def test_search_with_filters(store: Store, cases: dict[str, str]) -> None:
    assert store.cases.count({"search": "cv3", "council": "WDC"}) == 2
    assert store.cases.count({"search": "cv3", "council": "SDC"}) == 0
    assert store.cases.page(0, 10, filters={"search": "smith"})[0]["id"] == cases["smith"]


def test_match_expression_quotes_words() -> None:
    assert match_expression("CV34 4R") == '"cv34"* "4r"*'
    assert match_expression("!!") is None


def test_whole_words_rank_before_prefixes(store: Store, make_case: Callable[..., str]) -> None:
    longer = [make_case(store, given="Sue", family=f"Smithson{'x' * i}") for i in range(3)]
    exact = make_case(store, given="Sue", family="Smith")
    assert next(r["id"] for r in store.cases.search("smith", 10)) == exact
    assert {r["id"] for r in store.cases.search("smith", 10)} == {exact, *longer}
    assert len(store.cases.search("sue", 2)) == 2
