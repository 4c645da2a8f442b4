"""``heart-desktop appeal``: each step's JSON, exit 2 naming the bad field or the step out of order,
and the appeal letters through ``letter --kind appeal_*``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cases import make_case
from pdftext import page_texts

from heart_desktop.cli import main
from heart_desktop.store import Store

PASSPHRASE = "cli appeal tests"
TODAY = ("--today", "2026-03-20")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = tmp_path / "cli.heartdb"
    with Store.open(path, PASSPHRASE, create=True, kdf_iter=None, officer="Priya Officer") as store:
        case_id = make_case(store, photos=0)
        reference = store.cases.get(case_id)["reference"]
    monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
    return path, reference


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, *TODAY, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main([*argv, *TODAY]) == 2
    return capsys.readouterr().err


def test_an_appeal_through_both_panels_headless(db: tuple[Path, str], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path, ref = db
    where = ("--db", str(path), "--case", ref)
    assert "--case" in refused(capsys, "appeal", "answer", *where, "--criterion", "hhsrs_hazards", "--evidence", "x")
    made = run(capsys, "appeal", "new", *where, "--kind", "technical", "--grounds",
               "The stairs hazard was rated too low", "--lodged-on", "2026-03-06")["appeal"]
    assert (made["kind"], made["stage"], made["lodged_on"], made["panel_due"]) == ("technical", "lodged",
                                                                                 "2026-03-06", "supervisors")
    assert [c["key"] for c in made["criteria"]] == ["hhsrs_hazards", "building_condition", "remedial_works"]
    assert "criterion: 'stairs' is not a criterion" in refused(
        capsys, "appeal", "answer", *where, "--criterion", "stairs", "--evidence", "Two falls since the visit")
    assert "reasons:" in refused(capsys, "appeal", "decide", *where, "--panel", "supervisors", "--decision",
                                 "refused", "--reasons", "no")
    assert "criterion: every criterion is to be answered" in refused(
        capsys, "appeal", "decide", *where, "--panel", "supervisors", "--decision", "refused", "--reasons",
        "The rating stands as assessed")
    answered = run(capsys, "appeal", "answer", *where, "--criterion", "hhsrs_hazards", "--evidence",
                   "Two falls on the stairs since the visit")["appeal"]
    assert answered["criteria"][0]["answer"]["claimed"] is True and answered["unanswered"] == []
    assert "cannot escalate yet" in refused(capsys, "appeal", "escalate", *where, "--written")
    decided = run(capsys, "appeal", "decide", *where, "--panel", "supervisors", "--decision", "refused",
                  "--reasons", "The rating stands as assessed", "--on", "2026-03-10")["appeal"]
    assert decided["stage"] == "supervisors_refused" and decided["next"] == ["escalate"]
    assert decided["decisions"][0]["members"] == ["Private Sector Housing Manager", "HEART Service Manager"]
    assert "--hearing-on" in refused(capsys, "appeal", "escalate", *where, "--attends", "--hearing-on", "18/03/2026")
    escalated = run(capsys, "appeal", "escalate", *where, "--attends", "--hearing-on", "2026-03-18",
                    "--representative", "Jo Fairweather", "--on", "2026-03-11")["appeal"]
    assert escalated["escalation"]["hearing"] == "attends" and escalated["panel_due"] == "senior"
    out = tmp_path / "invite.pdf"
    assert main(["letter", "--db", str(path), "--case", ref, "--kind", "appeal_hearing", "--out", str(out),
                 *TODAY]) == 0
    assert "hear your appeal on 18 March 2026" in " ".join(" ".join(page_texts(out.read_bytes())).split())
    capsys.readouterr()
    granted = run(capsys, "appeal", "decide", *where, "--panel", "senior", "--decision", "granted", "--reasons",
                  "The hazard is category 1 on the new evidence", "--urgent", "--on", "2026-03-18")["appeal"]
    assert granted["stage"] == "granted" and granted["decisions"][-1]["urgent"] is True
    assert "assistance_type" in refused(capsys, "appeal", "outcome", *where, "--form", "standard")
    done = run(capsys, "appeal", "outcome", *where, "--form", "standard", "--type", "DFG")["appeal"]
    assert done["stage"] == "decided" and done["outcome"]["assistance_type"] == "DFG"
    shown = run(capsys, "appeal", "show", *where)
    assert shown["reference"] == ref and [a["stage"] for a in shown["appeals"]] == ["decided"]
    with Store.open(path, PASSPHRASE) as store:
        case = store.cases.get(store.cases.by_reference(ref)["id"])
        assert case["urgent"] and "12.19" in case["urgent_reason"]


def test_case_reopen_puts_a_closed_case_back_in_its_queue(db: tuple[Path, str],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path, ref = db
    assert main(["case", "reopen", "--db", str(path), "--case", ref, "--reason", "Closed in error", *TODAY]) == 2
    assert "not closed" in capsys.readouterr().err
    assert main(["case", "close", "--db", str(path), "--case", ref, "--outcome", "withdrawn", "--reason",
                 "The customer withdrew", "--on", "2026-03-20", *TODAY]) == 0
    capsys.readouterr()
    assert main(["case", "reopen", "--db", str(path), "--case", ref, "--reason", " ", *TODAY]) == 2
    assert "reason" in capsys.readouterr().err
    report = run(capsys, "case", "reopen", "--db", str(path), "--case", ref, "--reason", "Closed in error")
    assert report["outcome"] is None and report["queue"]["why"] == "in order of the enquiry date (5.2, 9.1)"


SPECIAL_CLAIMED = ["immediate_risk", "medical_condition", "no_means", "significant_reduction"]
SPECIAL_NOT = ["family_together", "statutory_services", "wider_benefit"]


def test_appeal_advice_records_12_14_advice_and_the_panel_letter_says_so(
        db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pydantic

    from heart_desktop.sync.protocol.rows import AppealAnswer

    path, ref = db
    where = ("--db", str(path), "--case", ref)
    run(capsys, "appeal", "new", *where, "--kind", "special", "--grounds", "A stairlift is the only safe way up",
        "--lodged-on", "2026-03-06")
    ask = ("appeal", "advice", *where, "--requested-on", "2026-03-09", "--from", "independent occupational health "
           "adviser")
    assert "criterion: answer 'medical_condition' as claimed" in refused(capsys, *ask)
    for key in SPECIAL_CLAIMED:
        run(capsys, "appeal", "answer", *where, "--criterion", key, "--evidence", "GP letter: two falls on the stairs")
    for key in SPECIAL_NOT:
        run(capsys, "appeal", "answer", *where, "--criterion", key, "--not-claimed")
    assert "--requested-on" in refused(capsys, *ask[:-4], "--requested-on", "9/3/2026", *ask[-2:])
    assert "requested_on:" in refused(capsys, *ask[:-4], "--requested-on", "2026-03-01", *ask[-2:])
    assert "received_on:" in refused(capsys, *ask, "--received-on", "2026-03-08", "--summary", "Stairs aggravate it")
    assert "summary:" in refused(capsys, *ask, "--received-on", "2026-03-12")
    assert "cost:" in refused(capsys, *ask, "--cost", "a lot")
    asked = run(capsys, *ask, "--cost", "180")["appeal"]
    assert asked["medical_advice"] == {"criterion": "medical_condition", "section": "12.14", "awaited": True,
                                       "requested_on": "2026-03-09", "received_on": None, "summary": "",
                                       "source": "independent occupational health adviser", "cost": "180.00"}
    assert "decision: the independent medical advice asked for has not been received" in refused(
        capsys, "appeal", "decide", *where, "--panel", "supervisors", "--decision", "refused", "--reasons",
        "The risk is not immediate", "--on", "2026-03-13")
    done = run(capsys, *ask, "--received-on", "2026-03-12", "--summary", "The stairs aggravate the arthritis; a "
               "stairlift would significantly improve it", "--cost", "180")["appeal"]
    assert done["medical_advice"]["awaited"] is False and done["medical_advice"]["received_on"] == "2026-03-12"
    run(capsys, "appeal", "decide", *where, "--panel", "supervisors", "--decision", "refused", "--reasons",
        "The risk is not immediate on the evidence", "--on", "2026-03-13")
    with Store.open(path, PASSPHRASE) as store:  # the sync model takes the stored answers as they are
        answers = store.appeals.for_case(store.cases.by_reference(ref)["id"])[0]["answers"]
    for answer in answers.values():
        AppealAnswer.model_validate(answer)
    with pytest.raises(pydantic.ValidationError):
        AppealAnswer.model_validate({**answers["medical_condition"],
                                     "advice": {**answers["medical_condition"]["advice"], "cost": "1e9"}})
    out = tmp_path / "supervisors.pdf"
    assert main(["letter", "--db", str(path), "--case", ref, "--kind", "appeal_supervisors", "--out", str(out),
                 *TODAY]) == 0
    words = " ".join(" ".join(page_texts(out.read_bytes())).split())
    assert "Independent medical advice" in words
    assert ("Independent medical advice on the medical condition was asked for on 9 March 2026 from independent "
            "occupational health adviser (policy 12.14)") in words
    assert "The advice was received on 12 March 2026 and the panel took it into account (policy 12.14)" in words
