"""The anonymised appeal report of an appeal recorded through the appeals' use cases (issue 18 Build 2):
lodged with grounds naming the household, every criterion of a special case answered with evidence
that names them, refused by the Supervisors Panel, escalated to a hearing with a representative,
granted by the Senior Management Panel and given a special form with its terms. The verb reads it
from the store; nothing identifying survives in the PDF, and a case with no appeal is refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from appeal_cases import PLANTED, identified_case, leaks
from pdftext import page_texts

from heart_desktop.cli import main
from heart_desktop.services import appeals
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store

PASSPHRASE = "stored appeal report tests"
SPECIAL_CRITERIA = ("immediate_risk", "medical_condition", "family_together", "statutory_services", "wider_benefit",
                    "no_means", "significant_reduction")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    path = tmp_path / "s.heartdb"
    bench = Workbench(path, officer="Priya Officer")
    bench.store = Store.open(path, PASSPHRASE, officer="Priya Officer", create=True, kdf_iter=None)
    try:
        store = bench.store
        case_id = identified_case(store, photos=1)
        plain = identified_case(store, photos=0)  # a refused case with no appeal
        lodged = appeals.lodge(bench, case_id, "special", PLANTED[0], today=date(2026, 3, 10),
                               appellant="Zoë Bhriain-Okafor (daughter)", assisted=True)
        appeal_id = lodged["id"]
        for index, key in enumerate(SPECIAL_CRITERIA):
            appeals.answer(bench, appeal_id, key, f"{key}: {PLANTED[index % 2]}", today=date(2026, 3, 12),
                           claimed=key in ("immediate_risk", "medical_condition", "no_means",
                                           "significant_reduction"))
        appeals.advice(bench, appeal_id, today=date(2026, 3, 20), requested_on=date(2026, 3, 13),
                       source=f"independent OT who knows {PLANTED[0][:40]}", received_on=date(2026, 3, 19),
                       summary=f"Advice: {PLANTED[1]}", cost="240")
        appeals.decide(bench, appeal_id, "supervisors", "refused", f"Not immediate: {PLANTED[1]}",
                       today=date(2026, 4, 1))
        appeals.escalate(bench, appeal_id, today=date(2026, 4, 10), hearing="attends", hearing_on=date(2026, 5, 6),
                         representative="Kwame Asante", implications=f"Implications: {PLANTED[0]}")
        appeals.decide(bench, appeal_id, "senior", "granted", f"Risk accepted: {PLANTED[0]}", today=date(2026, 5, 6))
        appeals.outcome(bench, appeal_id, "special", today=date(2026, 5, 7), description=f"A grant: {PLANTED[1]}",
                        terms=f"Terms: {PLANTED[0]}")
        references = store.cases.get(case_id)["reference"], store.cases.get(plain)["reference"]
    finally:
        bench.close()
    monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
    return path, *references


def test_a_stored_appeal_through_both_panels_leaves_no_identifier(db: tuple[Path, str, str], tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path, reference, _ = db
    out = tmp_path / "panel.pdf"
    assert main(["appeal-report", "--db", str(path), "--case", reference, "--out", str(out), "--today",
                 "2026-06-01", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["appeal_id"]
    text = " ".join(page_texts(out.read_bytes()))
    assert leaks(text) == [], text
    assert "Special case (policy 12.2 b, 12.5, 12.7, 12.8)" in text
    assert "made with the HEART service's help (12.10)" in text
    for section in ("(policy 12.7)", "(policy 12.7, 12.14)", "(policy 12.8)"):
        assert section in text
    assert "Supervisors Panel 1 April 2026 refused Not immediate:" in text
    assert "Senior Management Panel 6 May 2026 granted Risk accepted:" in text
    assert "attends the hearing" in text and "the appellant brings a representative (12.16)" in text
    assert "a special form of assistance" in text and "Its terms and conditions Terms:" in text
    assert "[the appellant]" in text or "[the advocate]" in text
    assert "Independent medical advice (12.14)" in text and "Asked for on 13 March 2026" in text
    assert "Received on 19 March 2026" in text and "What it says Advice:" in text and "£240.00" in text


def test_a_case_with_no_appeal_is_refused_once_appeals_are_recorded(db: tuple[Path, str, str], tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path, _, plain = db
    out = tmp_path / "panel.pdf"
    assert main(["appeal-report", "--db", str(path), "--case", plain, "--out", str(out)]) == 2
    assert "the case has no appeal: lodge the appeal first (policy 12.10)" in capsys.readouterr().err
    assert not out.exists()


def test_an_appeal_named_must_be_the_cases(db: tuple[Path, str, str], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path, reference, _ = db
    out = tmp_path / "panel.pdf"
    assert main(["appeal-report", "--db", str(path), "--case", reference, "--out", str(out), "--appeal",
                 "no-such-appeal"]) == 2
    assert "the case has no appeal no-such-appeal" in capsys.readouterr().err and not out.exists()
