"""The hhsrs_hazards field: the scheme in force on the inspection date decides the hazards."""

from __future__ import annotations

from datetime import date

import pytest

from heart_desktop.formkit import FormEngine, load_form
from heart_desktop.formkit.definitions import Form
from heart_desktop.paths import forms_dir

TODAY = date(2026, 11, 23)
SHA = "b" * 64


@pytest.fixture(scope="module")
def form() -> Form:
    return load_form(forms_dir() / "hhsrs_assessment.yaml")


@pytest.fixture()
def engine(form: Form) -> FormEngine:
    return FormEngine(form, today=TODAY)


def hazards_of(engine: FormEngine, start: str | None):
    answers = {"inspection_start": start} if start else {}
    field = engine.expanded(answers).field("hazards")
    assert field is not None
    return field


def test_2025_inspection_lists_the_29_hazards_of_2006(engine: FormEngine) -> None:
    field = hazards_of(engine, "2025-03-01")
    assert field.type == "group" and field.meta["scheme_id"] == "2006"
    assert len(field.fields) == 29
    assert field.fields[0].label == "1. Damp and mould growth"
    groups = [name for name, _ in field.meta["groups"]]
    assert groups[0] == "Physiological" and len(groups) == 4
    assert sum(len(keys) for _, keys in field.meta["groups"]) == 29


def test_2026_07_01_inspection_uses_the_2026_scheme(engine: FormEngine) -> None:
    field = hazards_of(engine, "2026-07-01")
    assert field.meta["scheme_id"] == "2026"
    assert len(field.fields) == 21
    assert field.meta["hazards_confirmed"] is False  # the app must say the list is unconfirmed
    assert field.meta["unknown_tables"]


def test_changeover_day(engine: FormEngine) -> None:
    assert hazards_of(engine, "2026-06-22").meta["scheme_id"] == "2006"
    assert hazards_of(engine, "2026-06-23").meta["scheme_id"] == "2026"


def test_no_date_no_hazards_yet(engine: FormEngine) -> None:
    field = hazards_of(engine, None)
    assert field.fields == () and "inspection began" in field.meta["pending"]
    assert "inspection_start" in {p.path for p in engine.missing({})}


def test_2006_choices_come_from_the_scale_points(engine: FormEngine) -> None:
    cold = hazards_of(engine, "2025-03-01").child("excess_cold")
    assert cold is not None
    likelihood = cold.child("likelihood")
    assert likelihood is not None and likelihood.type == "choice"
    assert "320" in [c.value for c in likelihood.choices]
    assert likelihood.choice_label("320") == "1 in 320"
    class_i = cold.child("class_i")
    assert class_i is not None and "21.5" in [c.value for c in class_i.choices]


def test_2026_unknown_scale_asks_for_a_number_and_says_why(engine: FormEngine) -> None:
    first = hazards_of(engine, "2026-07-01").fields[0]
    likelihood = first.child("likelihood")
    assert likelihood is not None and likelihood.type == "number" and likelihood.meta["scale_unknown"]
    assert "not yet confirmed" in likelihood.help or "not" in likelihood.help
    class_i = first.child("class_i")
    assert class_i is not None and class_i.type == "number" and class_i.max == 100
    assert "Extreme" in class_i.label


def answers_2006(**cold: object) -> dict:
    base = {
        "assessed": True,
        "likelihood": "320",
        "class_i": "10",
        "class_ii": "21.5",
        "class_iii": "31.6",
        "notes": "No heating upstairs",
    }
    base.update(cold)
    return {"inspection_start": "2025-03-01", "property_type": "house", "hazards": {"excess_cold": base}}


def test_rating_shown_live_from_the_domain(engine: FormEngine) -> None:
    from heart_desktop.domain.hhsrs import rate, scheme_for

    state = engine.evaluate(answers_2006())
    computed = state.computed["hazards/excess_cold/rating"]
    expected = rate(320, [10, 21.5, 31.6], scheme_for(date(2025, 3, 1)))
    assert computed.value.score == pytest.approx(expected.score)
    assert computed.text == f"Score {expected.display_score}, band {expected.band}, category {expected.category}"
    remainder = state.computed["hazards/excess_cold/class_iv"]  # the scheme's total less I to III
    assert remainder.value == pytest.approx(100 - 10 - 21.5 - 31.6) and remainder.text == "36.9%"


def test_band_changes_with_the_likelihood(engine: FormEngine) -> None:
    low = engine.evaluate(answers_2006(likelihood="1000")).computed["hazards/excess_cold/rating"].value
    high = engine.evaluate(answers_2006(likelihood="10")).computed["hazards/excess_cold/rating"].value
    assert high.score > low.score and high.category == 1
    summary = engine.evaluate(answers_2006(likelihood="10")).computed["hazard_summary"]
    assert "1 category 1" in summary.text and "Excess cold" in summary.text


def test_national_average_beside_the_hazard(engine: FormEngine) -> None:
    state = engine.evaluate(answers_2006())
    average = state.computed["hazards/excess_cold/national_average"]
    assert average.value is not None and "1 in 380" in average.text
    answers = answers_2006()
    answers["hazards"]["lead"] = {"assessed": True}
    assert engine.evaluate(answers).computed["hazards/lead/national_average"].value is None


def test_assessed_hazard_needs_its_answers(engine: FormEngine) -> None:
    answers = answers_2006()
    answers["hazards"]["lead"] = {"assessed": True}
    missing = {p.path for p in engine.missing(answers)}
    assert {"hazards/lead/likelihood", "hazards/lead/class_i", "hazards/lead/notes"} <= missing
    assert "hazards/biocides/likelihood" not in missing  # not assessed: nothing needed


def test_classes_over_100_are_invalid(engine: FormEngine) -> None:
    answers = answers_2006(class_i="46.4", class_ii="46.4", class_iii="21.5")
    problems = [p for p in engine.invalid(answers) if p.path == "hazards/excess_cold/class_iii"]
    assert problems and "no more than 100%" in problems[0].message
    assert engine.evaluate(answers).computed["hazards/excess_cold/rating"].problem


def test_complete_assessment(engine: FormEngine) -> None:
    answers = answers_2006()
    answers |= {"officer_name": "H. Officer", "officer_signature": {"sha256": SHA, "signed_at": "2025-03-01T12:00"}}
    ok, problems = engine.can_complete(answers)
    assert ok, [str(p) for p in problems]


def test_2026_rating_with_numbers_as_judged(engine: FormEngine) -> None:
    first = hazards_of(engine, "2026-07-01").fields[0]
    answers = {
        "inspection_start": "2026-07-01",
        "hazards": {
            first.id: {"assessed": True, "likelihood": 100, "class_i": 0, "class_ii": 10, "class_iii": 20, "notes": "x"}
        },
    }
    state = engine.evaluate(answers)
    rating = state.computed[f"hazards/{first.id}/rating"]
    assert rating.value is not None and rating.value.scheme_id == "2026"
    assert rating.value.band in ("High", "Medium", "Low")


def test_moving_the_date_into_2026_lists_answers_for_2006_only_hazards_as_stale(engine: FormEngine) -> None:
    keys_2006 = {f.id for f in hazards_of(engine, "2025-03-01").fields}
    keys_2026 = {f.id for f in hazards_of(engine, "2026-07-01").fields}
    gone = sorted(keys_2006 - keys_2026)
    assert gone
    answers = {"inspection_start": "2026-07-01", "hazards": {gone[0]: {"assessed": True}}}
    state = engine.evaluate(answers)
    assert state.stale == [f"hazards/{gone[0]}"]
    assert not any(p.path.startswith(f"hazards/{gone[0]}") for p in state.problems)
    assert engine.evaluate(answers_2006()).stale == []
