"""``heart-desktop means-test`` and ``assess`` with the financial facts, driven as an admin would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from heart_desktop.cli import main

HOUSEHOLD: dict[str, Any] = {
    "application_date": "2026-10-05",
    "tenure": "owner",
    "people": [{"age": 45, "relation": "disabled_person", "weekly_income": 0, "weekly_earnings": 300,
                "benefits": []}],
    "capital": 2500,
}


def write(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_means_test_json_has_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["means-test", write(tmp_path, HOUSEHOLD), "--json", "--today", "2026-12-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    # 60.50 + 61.30 = 121.80 a week; 300.00 - 5.00 = 295.00; excess 173.20; × 53.35 = 9,240.22
    assert (out["applicable_amount"], out["assessed_income"], out["excess_income"]) == (121.8, 295, 173.2)
    assert out["affordable_loan"] == 9240.22 and out["contribution"] == 9240.22
    assert out["passported"] is False and out["provisional"] is True
    assert [s["key"] for s in out["stages"]] == ["relevant_persons", "passport", "applicable_amount",
                                                 "assessed_income", "excess_income", "affordable_loan", "contribution"]
    assert all({"figure", "unit", "rule", "lines"} <= set(s) for s in out["stages"])
    assert any(r.startswith("provisional: figure reg12.owner") for r in out["reasons"])
    assert {u["key"] for u in out["unconfirmed"]} >= {"reg12.owner", "personal_allowance.single_25_plus"}


def test_means_test_text_prints_every_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    passported = {**HOUSEHOLD, "people": [{**HOUSEHOLD["people"][0], "benefits": ["housing_benefit"]}]}
    assert main(["means-test", write(tmp_path, passported), "--today", "2026-12-01"]) == 0
    text = capsys.readouterr().out
    assert "2. Passported benefits" in text and "Housing Benefit" in text and "Contribution: £0.00" in text
    assert "PROVISIONAL" not in text


@pytest.mark.parametrize("person, field", [
    ({"weekly_income": -10}, "people[0].weekly_income"),
    ({"benefits": ["premium_bonds"]}, "people[0].benefits[0]"),
    ({"age": -1}, "people[0].age"),
])
def test_bad_input_exits_2_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            person: dict[str, Any], field: str) -> None:
    data = {**HOUSEHOLD, "people": [{**HOUSEHOLD["people"][0], **person}]}
    assert main(["means-test", write(tmp_path, data), "--today", "2026-12-01"]) == 2
    assert f"field {field}:" in capsys.readouterr().err


def test_assess_takes_the_financial_facts_in_place_of_the_contribution(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = {**HOUSEHOLD, "council": "WDC", "applicant_age": 45, "disabled_person_age": 45, "works_cost": 15000,
            "ot_recommended": True}
    assert main(["assess", write(tmp_path, case), "--json", "--today", "2026-12-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["award"]["customer_contribution"] == 9240.22 and out["award"]["dfg"] == 5759.78
    assert any("PROVISIONAL" in r for r in out["types"]["DFG"]["reasons"])
    assert out["means_test"]["contribution"] == 9240.22 and len(out["means_test"]["stages"]) == 7
    assert main(["assess", write(tmp_path, {**case, "means_test_contribution": 100}), "--today", "2026-12-01"]) == 2
    assert "field means_test_contribution:" in capsys.readouterr().err
