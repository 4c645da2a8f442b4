"""The engine: shown, required, constraint, validation, repeats, can_complete."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from heart_desktop.formkit import (
    Field,
    Form,
    FormEngine,
    get_answer,
    load_form,
    money_pence,
    normalise_money,
    set_answer,
)
from heart_desktop.formkit.values import check_value

TODAY = date(2026, 11, 23)
SHA = "a" * 64

DEFINITION = """
id: sample
version: "1"
title: Sample
sections:
  - id: main
    title: Main
    fields:
      - id: tenure
        type: choice
        label: Tenure
        required: true
        choices:
          - {value: owner, label: Owner}
          - {value: private_tenant, label: Private tenant}
      - id: years_owned
        type: number
        label: Years owned
        relevant: ${tenure} = 'owner'
        required: ${tenure} = 'owner'
        min: 0
        max: 100
      - id: landlord
        type: text
        label: Landlord
        relevant: ${tenure} = 'private_tenant'
        required: true
      - id: ni
        type: text
        label: NI number
        validate: ni_number
      - id: born
        type: date
        label: Date of birth
        validate: date_of_birth
      - id: cost
        type: money
        label: Cost
        max: 500
        constraint: . > 0
        constraint_message: A cost must be more than £0.
      - id: consent
        type: yes_no
        label: Consent
        required: true
        constraint: . = true
        constraint_message: Consent is needed.
      - id: benefits
        type: multi_choice
        label: Benefits
        choices:
          - {value: universal_credit, label: UC}
          - {value: income_support, label: IS}
      - id: household
        type: repeat
        label: Household
        max: 3
        fields:
          - id: name
            type: text
            label: Name
            required: true
          - id: relationship
            type: choice
            label: Relationship
            choices:
              - {value: child, label: Child}
              - {value: other, label: Other}
          - id: other_relationship
            type: text
            label: Say what
            relevant: ${relationship} = 'other'
            required: ${relationship} = 'other'
      - id: people
        type: calculate
        label: People
        value_type: number
        calculate: count(${household}) + 1
      - id: photos
        type: photo
        label: Photos
      - id: signature
        type: signature
        label: Signature
  - id: tenant_only
    title: Tenant only
    relevant: ${tenure} = 'private_tenant'
    fields:
      - id: tenants_certificate
        type: yes_no
        label: Tenant's certificate
        required: true
"""


@pytest.fixture()
def form(tmp_path: Path) -> Form:
    path = tmp_path / "sample.yaml"
    path.write_text(textwrap.dedent(DEFINITION), encoding="utf-8")
    return load_form(path)


@pytest.fixture()
def engine(form: Form) -> FormEngine:
    return FormEngine(form, today=TODAY)


def paths(problems: list) -> set[str]:
    return {p.path for p in problems}


def test_blank_form_misses_only_what_is_shown_and_required(engine: FormEngine) -> None:
    missing = engine.missing({})
    assert paths(missing) == {"tenure", "consent"}


def test_relevance_follows_answers(engine: FormEngine) -> None:
    shown = engine.shown({"tenure": "owner"})
    assert shown["years_owned"] and not shown["landlord"] and not shown["tenants_certificate"]
    shown = engine.shown({"tenure": "private_tenant"})
    assert not shown["years_owned"] and shown["landlord"] and shown["tenants_certificate"]


def test_required_expression(engine: FormEngine) -> None:
    assert "years_owned" in paths(engine.missing({"tenure": "owner"}))
    missing = paths(engine.missing({"tenure": "private_tenant"}))
    assert {"landlord", "tenants_certificate"} <= missing and "years_owned" not in missing


def test_hidden_answers_are_not_checked(engine: FormEngine) -> None:
    # years_owned is out of range but hidden for a tenant: no problem reported
    assert "years_owned" not in paths(engine.invalid({"tenure": "private_tenant", "years_owned": -5}))
    assert "years_owned" in paths(engine.invalid({"tenure": "owner", "years_owned": -5}))


def test_can_complete_false_then_true(engine: FormEngine) -> None:
    answers: dict = {"tenure": "owner"}
    ok, problems = engine.can_complete(answers)
    assert not ok and {"years_owned", "consent"} <= paths(problems)
    answers = set_answer(answers, "years_owned", 4)
    answers = set_answer(answers, "consent", True)
    ok, problems = engine.can_complete(answers)
    assert ok, [str(p) for p in problems]


def test_invalid_answer_blocks_completion(engine: FormEngine) -> None:
    ok, problems = engine.can_complete({"tenure": "owner", "years_owned": 4, "consent": False})
    assert not ok
    (problem,) = problems
    assert problem.path == "consent" and problem.kind == "invalid" and problem.message == "Consent is needed."
    assert str(problem) == "Consent: Consent is needed."


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("years_owned", "many", "is not a number"),
        ("years_owned", 101, "more than 100"),
        ("years_owned", True, "is not a number"),
        ("tenure", "squatter", "not one of the choices"),
        ("cost", "12.345", "not an amount of money"),
        ("cost", 12.5, "not an amount of money"),
        ("cost", "600.00", "more than £500.00"),
        ("cost", "0.00", "A cost must be more than £0."),
        ("ni", "AB123", "not a National Insurance number"),
        ("born", "2030-01-01", "in the future"),
        ("born", "1850-01-01", "before 1900"),
        ("born", "31/12/1950", "not a date"),
        ("born", "1950-02-30", "not a date"),
        ("benefits", ["universal_credit", "jsa"], "'jsa' is not one of the choices"),
        ("benefits", "universal_credit", "list of choices"),
        ("consent", "yes", "yes or no"),
        ("photos", [{"sha256": "not-a-hash"}], "SHA-256"),
        ("signature", {"sha256": SHA}, "time of signing"),
        ("household", [{"name": "A"}] * 4, "at most 3 rows"),
    ],
)
def test_invalid_values_give_the_reason(engine: FormEngine, field: str, value: object, reason: str) -> None:
    answers = {"tenure": "owner", "years_owned": 4, "consent": True, field: value}
    problems = [p for p in engine.invalid(answers) if p.path == field]
    assert problems, f"{field}={value!r} accepted"
    assert reason in problems[0].message


def test_valid_values_pass(engine: FormEngine) -> None:
    answers = {
        "tenure": "owner",
        "years_owned": "2.5",
        "consent": True,
        "ni": "AB 12 34 56 C",
        "born": "1950-06-01",
        "cost": "499.99",
        "benefits": ["universal_credit"],
        "photos": [{"sha256": SHA, "caption": "stairs"}],
        "signature": {"sha256": SHA, "signed_at": "2026-11-23T10:15:00+00:00", "name": "A Customer"},
    }
    ok, problems = engine.can_complete(answers)
    assert ok, [str(p) for p in problems]


def test_repeat_rows_are_checked_row_by_row(engine: FormEngine) -> None:
    answers = {
        "tenure": "owner",
        "years_owned": 4,
        "consent": True,
        "household": [{"name": "A", "relationship": "child"}, {"relationship": "other"}],
    }
    state = engine.evaluate(answers)
    assert paths(state.missing) == {"household/1/name", "household/1/other_relationship"}
    assert state.shown["household/1/other_relationship"] and not state.shown["household/0/other_relationship"]
    assert state.calculated["people"] == 3


def test_section_relevance(engine: FormEngine) -> None:
    state = engine.evaluate({"tenure": "owner"})
    assert state.shown["tenants_certificate"] is False
    assert "tenants_certificate" not in paths(state.missing)


def test_get_and_set_answer_paths() -> None:
    answers = set_answer({}, "household/1/name", "B")
    assert answers == {"household": [{}, {"name": "B"}]}
    assert get_answer(answers, "household/1/name") == "B"
    assert get_answer(answers, "household/5/name") is None
    nested = set_answer(answers, "hazards/excess_cold/assessed", True)
    assert nested["hazards"] == {"excess_cold": {"assessed": True}}
    assert "hazards" not in answers  # set_answer copies


def test_money_helpers() -> None:
    assert money_pence("1250.50") == 125050
    assert money_pence("12.5") == 1250
    assert money_pence(1250) is None
    assert normalise_money("£1,250.5") == "1250.50"
    assert normalise_money("12.345") is None
    assert normalise_money("-3") is None


def test_required_repeat_needs_a_row(tmp_path: Path) -> None:
    text = DEFINITION.replace("        max: 3\n", "        max: 3\n        required: true\n")
    path = tmp_path / "sample.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    problems = FormEngine(load_form(path), today=TODAY).missing({})
    household = next(p for p in problems if p.path == "household")
    assert household.message == "add at least one row"


def test_check_value_ignores_unknown_types(form: Form) -> None:
    field = form.field("tenure")
    assert field is not None
    assert check_value(field, "owner", TODAY) is None


def test_display_reads_like_a_person_would_write_it(tmp_path: Path) -> None:
    from decimal import Decimal

    from heart_desktop.formkit.values import display
    from heart_desktop.paths import forms_dir

    app = load_form(forms_dir() / "application_details.yaml")
    works = load_form(forms_dir() / "works_schedule.yaml")

    def field(form: Form, path: str) -> Field:
        found = form.field(path)
        assert found is not None
        return found

    assert display(field(app, "tenure"), "owner") == "Owner-occupier"
    assert display(field(app, "applicant_date_of_birth"), "1948-02-03") == "03/02/1948"
    assert display(field(app, "benefits"), ["universal_credit"]) == "Universal Credit"
    assert display(field(app, "right_to_reside"), False) == "No"
    assert display(field(works, "items/rate"), "1250.5") == "£1,250.50"
    assert display(field(works, "items/line_net"), Decimal("51.000")) == "£51.00"
    assert display(field(works, "item_count"), Decimal("2")) == "2"
    assert display(field(app, "tenure"), None) == ""


def test_answers_no_field_asks_for_are_listed_as_stale(engine: FormEngine) -> None:
    state = engine.evaluate({"tenure": "owner", "old_question": "x", "household": [{"name": "A", "nickname": "B"}]})
    assert state.stale == ["old_question", "household/0/nickname"]
