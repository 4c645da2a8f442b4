"""Every shipped definition loads and passes the schema; the startup check finds all five."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from heart_desktop.formkit import FIELD_TYPES, check_all_forms, load_form, validators
from heart_desktop.paths import forms_dir

SHIPPED = ("application_details", "financial_assessment", "hhsrs_assessment", "home_safety_check",
           "ot_needs_assessment", "satisfaction_survey", "wash_assessment", "works_schedule")


def _schema() -> dict:
    return json.loads((forms_dir() / "form.schema.json").read_text(encoding="utf-8"))


def test_check_all_forms_loads_the_shipped_forms() -> None:
    forms = check_all_forms(forms_dir())
    assert sorted(f.id for f in forms) == sorted(SHIPPED)
    assert all(f.version and f.title and f.sections for f in forms)


def test_default_folder_is_the_bundled_one() -> None:
    assert [f.id for f in check_all_forms()] == [f.id for f in check_all_forms(forms_dir())]


@pytest.mark.parametrize("name", SHIPPED)
def test_each_file_passes_the_json_schema(name: str) -> None:
    data = yaml.safe_load((forms_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(_schema()).validate(data)
    assert data["id"] == name


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_and_code_agree_on_types_and_validators() -> None:
    field_schema = _schema()["$defs"]["field"]["properties"]
    assert tuple(field_schema["type"]["enum"]) == FIELD_TYPES
    assert sorted(field_schema["validate"]["enum"]) == sorted(validators.names())


def test_forms_use_the_field_types_the_issue_asks_for() -> None:
    used = {f.type for form in check_all_forms() for _, f in form.walk()}
    for kind in (
        "text",
        "number",
        "money",
        "date",
        "choice",
        "multi_choice",
        "yes_no",
        "repeat",
        "photo",
        "signature",
        "hhsrs_hazards",
        "calculate",
        "computed",
        "note",
        "group",
    ):
        assert kind in used, kind


def test_home_safety_areas_and_remedial_list_are_policy_4_4_7() -> None:
    form = load_form(forms_dir() / "home_safety_check.yaml")
    areas = [s.id for s in form.sections][1:7]
    assert areas == ["falls", "mobility", "hot_surfaces", "warm_home", "security", "fire_safety"]
    works = form.field("falls_findings/remedial_work")
    assert works is not None
    values = {c.value for c in works.choices}
    assert {"grab_rails", "stair_rails", "key_safe", "smoke_alarm", "trailing_wires", "floorboards"} <= values
    assert len(works.choices) == 18  # 15 of 4.4.7, advice only, refer on, other


def test_ot_form_lists_kpi_1_to_10() -> None:
    form = load_form(forms_dir() / "ot_needs_assessment.yaml")
    adls = [f for _, f in form.top_fields() if f.id.startswith("adl_")]
    assert len(adls) == 10
    assert adls[0].label.startswith("KPI 1:") and adls[9].label.startswith("KPI 10:")


def test_benefit_keys_match_the_policy_data() -> None:
    import tomllib

    from heart_desktop.paths import resources_dir

    policy = tomllib.loads((resources_dir() / "policy" / "heart_fap.toml").read_text(encoding="utf-8"))
    keys = [b["key"] for b in policy["wash"]["qualifying_benefits"]["value"]]
    form = load_form(forms_dir() / "application_details.yaml")
    benefits = form.field("benefits")
    assert benefits is not None
    assert [c.value for c in benefits.choices] == keys


def test_works_item_fields_line_up_with_the_domain() -> None:
    from heart_desktop.domain.works import VAT_RATES_PERCENT

    form = load_form(forms_dir() / "works_schedule.yaml")
    items = form.field("items")
    assert items is not None
    assert [f.id for f in items.fields][:6] == ["location", "description", "quantity", "unit", "rate", "vat_rate"]
    vat = items.child("vat_rate")
    assert vat is not None and tuple(c.value for c in vat.choices) == VAT_RATES_PERCENT
    rate = items.child("rate")
    assert rate is not None and rate.type == "money"


def test_formkit_never_imports_qt() -> None:
    code = (
        "import sys, heart_desktop.formkit as fk; "
        "[fk.FormEngine(f).evaluate({}) for f in fk.check_all_forms()]; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2]
    )
    assert result.returncode == 0, result.stderr
