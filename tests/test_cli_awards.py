"""The issue's table of edge cases through ``heart-desktop assess --json``: each row gives the
policy's answer (HDG 4.3, WaSH 4.5.4, HSG and DFG 7.4, council housing 4.1.12, DDFA 4.2.1/4.2.9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from heart_desktop.cli import main

TODAY = "2026-12-01"
BASE = {"council": "WDC", "application_date": "2026-10-01", "tenure": "owner", "applicant_age": 70,
        "disabled_person_age": 70, "household_ages": [68], "years_owned": 12}
ROWS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("hospital discharge, disabled, works 7000, contribution 4000",
     {"applied_for": "HDG", "hospital_discharge": True, "works_cost": 7000, "means_test_contribution": 4000},
     {"route": "grant", "hdg": 7000, "customer_contribution": 0, "dfg": 0, "shortfall": 0, "fees": 875}),
    ("hospital discharge, nobody disabled, works 12000",
     {"applied_for": "HDG", "hospital_discharge": True, "disabled_person_age": None, "works_cost": 12000},
     {"hdg": 10000, "shortfall": 2000, "fees": 1250}),
    ("WaSH, owner 5 years, passported, works 6000",
     {"applied_for": "WaSH", "years_owned": 5, "passported_benefit": True, "category1_hazards": 1,
      "works_cost": 6000},
     {"wash": 6000, "fees": 750, "shortfall": 0, "total_award": 6750}),
    ("WaSH, health risk, contribution 2500, works 6000",
     {"applied_for": "WaSH", "health_risk": True, "category1_hazards": 1, "means_test_contribution": 2500,
      "works_cost": 6000},
     {"wash": 3500, "customer_contribution": 2500, "shortfall": 0}),
    ("Home Safety Grant, works 500",
     {"applied_for": "HSG", "works_cost": 500}, {"hsg": 500, "fees": 62.5, "total_award": 562.5}),
    ("DFG 7.4 example, works 10000",
     {"works_cost": 10000}, {"dfg": 10000, "fees": 1250, "total_award": 11250, "repayable_charge": 5000}),
    ("council tenant, works 12000",
     {"tenure": "council_tenant", "years_owned": None, "works_cost": 12000},
     {"route": "council_housing", "council_funded": 12000, "shortfall": 0, "fees": 0, "dfg": 0}),
    ("disabled child aged 8, works 36000, contribution 2000",
     {"applicant_age": 40, "disabled_person_age": 8, "household_ages": [38], "works_cost": 36000,
      "means_test_contribution": 2000},
     {"dfg": 30000, "ddfa_grant": 6000, "customer_contribution": 0}),
    ("contribution 9000, works 8000",
     {"works_cost": 8000, "means_test_contribution": 9000},
     {"dfg": 0, "customer_contribution": 8000, "shortfall": 0, "fees": 0}),
]


def _assess(tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, Any]) -> tuple[int, str, str]:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**BASE, **changes}))
    code = main(["assess", str(path), "--json", "--today", TODAY])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("row", "changes", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_each_row_gives_the_policys_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str,
                                           changes: dict[str, Any], expected: dict[str, Any]) -> None:
    code, out, _ = _assess(tmp_path, capsys, changes)
    assert code == 0
    result = json.loads(out)
    award = result["award"]
    assert {key: award[key] for key in expected} == expected
    if award["route"] == "council_housing":
        assert result["deadlines"]["determine_by"] is None
        assert not any("charitable" in note for note in result["notes"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"works_cost": 8000, "certified_date": "2026-09-01"}, "certified_date"),
     ({"applicant_age": 30, "disabled_person_age": 30, "years_owned": 80}, "years_owned"),
     ({"application_date": "2026-12-02"}, "application_date"),
     ({"application_date": "2017-01-01"}, "application_date"),
     ({"previous_awards": [{"type": "HSG", "certified_date": "2025-01-01", "amount": -1}]},
      "previous_awards[0].amount")],
)
def test_contradictions_are_refused_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     changes: dict[str, Any], field: str) -> None:
    code, _, err = _assess(tmp_path, capsys, changes)
    assert code == 2
    assert f"field {field}:" in err and "Traceback" not in err


def test_today_must_be_a_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(BASE))
    assert main(["assess", str(path), "--today", "soon"]) == 2
    assert "--today" in capsys.readouterr().err
