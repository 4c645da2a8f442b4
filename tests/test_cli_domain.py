"""The headless rule verbs, driven as an admin or a panel would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from heart_desktop.cli import main

CASE = {
    "council": "NBBC",
    "application_date": "2026-09-01",
    "tenure": "owner",
    "applicant_age": 81,
    "disabled_person_age": 81,
    "household_ages": [79],
    "passported_benefit": False,
    "means_test_contribution": 1500,
    "works_cost": 42000,
    "hospital_discharge": False,
    "years_owned": 30,
    "previous_awards": [{"type": "HSG", "certified_date": "2025-02-01", "amount": 120}],
    "health_risk": False,
    "category1_hazards": 1,
}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_assess_json_has_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    out = run_json(capsys, "assess", str(path), "--json", "--today", "2026-12-01")
    assert set(out["types"]) == {"DFG", "DDFA", "HDG", "HSG", "WaSH"}
    for item in out["types"].values():
        assert isinstance(item["eligible"], bool) and isinstance(item["reasons"], list)
    assert out["types"]["HSG"]["allowance_left"] == 380
    award = out["award"]
    assert (award["customer_contribution"], award["dfg"], award["ddfa_grant"], award["ddfa_loan"]) == (
        1500, 30000, 10000, 500)
    assert award["fees"] == 5062.5
    assert award["shortfall"] == 0
    assert award["repayable_charge"] == 10000 and award["charge_expires"] is None
    assert out["deadlines"]["determine_by"] == "2027-03-01"


def test_assess_text_reads_like_a_letter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    assert main(["assess", str(path), "--today", "2026-12-01"]) == 0
    text = capsys.readouterr().out
    assert "Nuneaton and Bedworth Borough Council" in text
    assert "Disabled Facilities Grant (DFG): can have" in text
    assert "£30,000.00" in text and "(policy 4.1.11)" in text
    assert "The council must decide by 01/03/2027 (policy 13.1)." in text


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps({**CASE, "tenure": "lodger"}), "field tenure: 'lodger' is not one of"),
        (json.dumps({**CASE, "works_cost": -1}), "field works_cost"),
        (json.dumps([1, 2]), "field case"),
    ],
)
def test_assess_bad_input_exits_non_zero_with_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(content)
    assert main(["assess", str(path), "--today", "2026-12-01"]) != 0
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_assess_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", "/nonexistent/case.json"]) == 1
    assert "cannot read /nonexistent/case.json" in capsys.readouterr().err


def test_console_script_and_module_entry_point(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**CASE, "council": "nowhere"}))
    done = subprocess.run([sys.executable, "-m", "heart_desktop", "assess", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "field council" in done.stderr and "Traceback" not in done.stderr
    version = subprocess.run([sys.executable, "-m", "heart_desktop", "--version"],
                             capture_output=True, text=True, check=True)
    assert version.stdout.startswith("heart-desktop ")
