"""A bad definition is refused with a message naming the file, the field and the problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from heart_desktop.formkit import FormDefinitionError, check_all_forms, load_form

GOOD = """
id: works_schedule
version: "1.0"
title: Schedule of works
sections:
  - id: works
    title: Items
    fields:
      - id: tenure
        type: choice
        label: Tenure
        choices:
          - {value: owner, label: Owner}
          - {value: tenant, label: Tenant}
      - id: items
        type: repeat
        label: Items
        fields:
          - id: rate
            type: money
            label: Rate
"""


def write(tmp_path: Path, text: str, name: str = "works_schedule.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> FormDefinitionError:
    path = write(tmp_path, text)
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    assert "works_schedule.yaml" in str(info.value)
    return info.value


def test_the_base_definition_is_fine(tmp_path: Path) -> None:
    form = load_form(write(tmp_path, GOOD))
    assert form.field("items/rate") is not None


def test_unknown_type_names_field_and_allowed_types(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("type: money", "type: monee"))
    assert error.field == "rate"
    assert error.field_path == "items/rate"
    assert "field 'rate': unknown type 'monee' (allowed: text, number, money," in str(error)


def test_missing_label(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("            label: Rate\n", ""))
    assert error.field == "rate" and "missing 'label'" in str(error)


def test_misspelt_key(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("        label: Tenure", "        lable: Tenure"))
    assert error.field == "tenure"
    assert "unknown key 'lable'" in str(error)


def test_duplicate_field_ids(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("id: items", "id: tenure"))
    assert error.field == "tenure" and "used twice" in error.problem


def test_duplicate_ids_inside_a_repeat(tmp_path: Path) -> None:
    text = GOOD + "          - id: rate\n            type: number\n            label: Again\n"
    error = refused(tmp_path, text)
    assert error.field == "rate" and "used twice in 'items'" in error.problem


def test_choice_field_without_choices(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        choices:\n          - {value: owner, label: Owner}\n          - {value: tenant, label: Tenant}\n", ""
    )
    error = refused(tmp_path, text)
    assert error.field == "tenure" and "needs 'choices'" in error.problem


def test_expression_that_does_not_parse(tmp_path: Path) -> None:
    text = GOOD.replace("            label: Rate\n", "            label: Rate\n            relevant: ${tenure} = \n")
    error = refused(tmp_path, text)
    assert error.field == "rate" and error.problem.startswith("relevant:")


def test_expression_naming_a_missing_field(tmp_path: Path) -> None:
    text = GOOD.replace(
        "            label: Rate\n", "            label: Rate\n            relevant: ${tenur} = 'owner'\n"
    )
    error = refused(tmp_path, text)
    assert error.field == "rate"
    assert "${tenur}, which is not a field here" in error.problem


def test_unsafe_expression_is_refused_at_load(tmp_path: Path) -> None:
    text = GOOD.replace(
        "            label: Rate\n", "            label: Rate\n            constraint: __import__('os')\n"
    )
    error = refused(tmp_path, text)
    assert "unknown function '__import__'" in error.problem


def test_dot_outside_a_constraint(tmp_path: Path) -> None:
    text = GOOD.replace("            label: Rate\n", "            label: Rate\n            required: . > 1\n")
    error = refused(tmp_path, text)
    assert "only works in a constraint" in error.problem


def test_unknown_validator(tmp_path: Path) -> None:
    text = GOOD.replace("            label: Rate\n", "            label: Rate\n            validate: iban\n")
    error = refused(tmp_path, text)
    assert error.field == "rate" and "validate" in error.problem


def test_calculation_that_depends_on_itself(tmp_path: Path) -> None:
    text = GOOD + (
        "      - id: a\n        type: calculate\n        label: A\n        calculate: ${b} + 1\n"
        "      - id: b\n        type: calculate\n        label: B\n        calculate: ${a} + 1\n"
    ).replace("      - id", "          - id").replace("        type", "            type").replace(
        "        label", "            label"
    ).replace("        calculate", "            calculate")
    error = refused(tmp_path, text)
    assert "depends on itself" in error.problem


def test_version_must_be_quoted_text(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace('version: "1.0"', "version: 1.0"))
    assert error.field is None and "version" in error.problem


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD + "  - [unclosed\n")
    assert "not valid YAML at line" in error.problem


def test_min_more_than_max(tmp_path: Path) -> None:
    text = GOOD.replace(
        "            label: Rate\n", "            label: Rate\n            min: 5\n            max: 1\n"
    )
    error = refused(tmp_path, text)
    assert "min 5 is more than max 1" in error.problem


def test_startup_check_refuses_the_folder_with_a_bad_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace("id: works_schedule", "id: other").replace("type: money", "type: monee"), "b.yaml")
    with pytest.raises(FormDefinitionError, match=r"b\.yaml: field 'rate': unknown type 'monee'"):
        check_all_forms(tmp_path)


def test_startup_check_refuses_two_forms_with_one_id(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, GOOD, "copy.yaml")
    with pytest.raises(FormDefinitionError, match="form id 'works_schedule' is also used"):
        check_all_forms(tmp_path)


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = GOOD.replace("type: money", "type: monee").replace("        label: Tenure", "        lable: Tenure")
    error = refused(tmp_path, text)
    joined = "\n".join(error.problems)
    assert len(error.problems) == 3, joined
    assert "field 'tenure': missing 'label'" in joined
    assert "field 'tenure': unknown key 'lable'" in joined
    assert "field 'rate': unknown type 'monee'" in joined
