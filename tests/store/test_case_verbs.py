"""``heart-desktop case new|import|close`` and ``cases --json``'s casework fields, through
``heart_desktop.cli.main``. The day is given (``--today``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heart_desktop.cli import main

TODAY = ["--today", "2026-12-01"]
ENQUIRY = {"received": "2026-11-30", "channel": "telephone",
           "customer": {"name": "Edna Fairweather", "date_of_birth": "1950-03-14", "phone": "01926 410410"},
           "address": {"line1": "12 Mill Road", "town": "Warwick", "postcode": "CV34 4RL"},
           "reason": "Cannot manage the stairs"}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.setenv("HEART_PASSPHRASE", "cli passphrase")
    path = tmp_path / "desk.heartdb"
    assert main(["init", "--db", str(path), "--officer", "D. Desk"]) == 0
    capsys.readouterr()
    return path


def write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_case_new_prints_the_reference_and_refuses_a_duplicate(db: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    file = write(tmp_path, "e.json", ENQUIRY)
    assert main(["case", "new", "--db", str(db), file, "--json", *TODAY]) == 0
    made = json.loads(capsys.readouterr().out)
    assert {k: made[k] for k in ("reference", "council", "stage")} == {"reference": "WDC/26/00001", "council": "WDC",
                                                                      "stage": "enquiry"}
    assert main(["case", "new", "--db", str(db), file, "--json", *TODAY]) == 3
    assert "likely duplicate of WDC/26/00001" in capsys.readouterr().err
    assert main(["case", "new", "--db", str(db), file, "--json", "--force", *TODAY]) == 0
    assert json.loads(capsys.readouterr().out)["reference"] == "WDC/26/00002"
    assert main(["cases", "--db", str(db), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["stage_dates"] == {"enquiry": "2026-11-30"} and listed[0]["outcome"] is None
    assert set(listed[0]) >= {"stage_dates", "outcome", "allocated_to", "urgent", "priority_reason"}


@pytest.mark.parametrize(("change", "words"), [
    ({"channel": "carrier pigeon"}, "field channel:"),
    ({"customer": {"name": "Edna Fairweather", "date_of_birth": "14/03/2050"}}, "field customer.date_of_birth:"),
    ({"address": {"line1": "1 New Street", "postcode": "B1 1AA"}}, "field address.postcode: B1 1AA is outside"),
    ({"address": {"line1": "1 Main Street", "postcode": "CV35 7AA"}}, "field council: CV35 lies in WDC and SDC"),
    ({"reason": ""}, "field reason: is required"),
])
def test_case_new_names_a_bad_field_and_exits_2(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                change: dict, words: str) -> None:
    assert main(["case", "new", "--db", str(db), write(tmp_path, "bad.json", {**ENQUIRY, **change}), *TODAY]) == 2
    assert words in capsys.readouterr().err
    assert main(["case", "new", "--db", str(db), write(tmp_path, "nojson.json", "{not json"), *TODAY]) == 2


def test_case_import_all_or_none_and_case_close(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = "received,channel,customer.name,customer.date_of_birth,address.line1,address.postcode,reason\n"
    rows = ("2026-11-20,email,Alan Brown,1944-02-02,3 High Street,CV21 2RR,Bath too high\n"
            "2026-11-21,post,Ann Green,1950-12-01,4 High Street,CV21 2RR,Stairs\n")
    bad = write(tmp_path, "bad.csv", header + rows + "2026-11-22,telephone,Bob White,1950-13-01,5 High St,CV21 2RR,x\n")
    assert main(["case", "import", "--db", str(db), bad, *TODAY]) == 2
    assert "line 4: field customer.date_of_birth:" in capsys.readouterr().err
    assert main(["cases", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # none of the file
    assert main(["case", "import", "--db", str(db), write(tmp_path, "good.csv", header + rows), "--json", *TODAY]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] == 2 and [c["reference"] for c in report["cases"]] == ["RBC/26/00001", "RBC/26/00002"]
    assert main(["case", "close", "--db", str(db), "--case", "RBC/26/00001", "--outcome", "withdrawn", "--reason",
                 "Customer moved in with family", "--json", *TODAY]) == 0
    closed = json.loads(capsys.readouterr().out)
    assert closed == {"reference": "RBC/26/00001", "outcome": "withdrawn", "outcome_on": "2026-12-01",
                      "outcome_reason": "Customer moved in with family"}
    assert main(["case", "close", "--db", str(db), "--case", "RBC/26/00002", "--outcome", "lost", "--reason", "x",
                 *TODAY]) == 2
    assert "outcome: 'lost' is not one of" in capsys.readouterr().err
    assert main(["case", "close", "--db", str(db), "--case", "RBC/26/09999", "--outcome", "withdrawn",
                 "--reason", "x", *TODAY]) == 1
    assert main(["cases", "--db", str(db), "--json"]) == 0
    listed = {c["reference"]: c for c in json.loads(capsys.readouterr().out)}
    assert listed["RBC/26/00001"]["outcome"] == "withdrawn" and listed["RBC/26/00002"]["outcome"] is None


def test_case_decide_records_an_approval_with_its_ddfa_loan(db: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    from heart_desktop.store import Store

    assert main(["case", "new", "--db", str(db), write(tmp_path, "e.json", ENQUIRY), "--json", *TODAY]) == 0
    case_id = json.loads(capsys.readouterr().out)["id"]
    with Store.open(db, "cli passphrase") as store:  # the signed pack made the application
        store.stages.set_many(case_id, {"application": date(2026, 11, 30)}, today=date(2026, 12, 1))
    decide = ["case", "decide", "--db", str(db), "--case", "WDC/26/00001", "--reason", "Meets 4.1 and 4.2", *TODAY]
    for bad, words in ((["--outcome", "approved", "--ddfa-loan", "12.345"], "--ddfa-loan: '12.345' has a fraction"),
                       (["--outcome", "refused", "--ddfa-loan", "500"], "--ddfa-loan: a DDFA loan is an amount above 0 "
                                                                         "on an approval"),
                       (["--outcome", "approved", "--ddfa-loan", "0"], "a DDFA loan is an amount above 0")):
        assert main([*decide, *bad]) == 2
        assert words in capsys.readouterr().err
    with Store.open(db, "cli passphrase") as store:
        assert store.decisions.for_case(case_id) == []  # nothing written by a refusal
    assert main([*decide, "--outcome", "approved", "--amount", "12,500", "--ddfa-loan", "£5,000.50", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"reference": "WDC/26/00001", "outcome": "approved",
                                                   "decided_on": "2026-12-01", "amount_pence": 1_250_000,
                                                   "ddfa_loan_pence": 500_050}
    with Store.open(db, "cli passphrase") as store:
        kinds = {d["kind"]: d["amount_pence"] for d in store.decisions.for_case(case_id)}
    assert kinds == {"application": 1_250_000, "ddfa_loan": 500_050}
