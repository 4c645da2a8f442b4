"""The appeal letters (issue 18, policy section 12) read back from their PDFs: the appeal received
with the 12.10 form (blank, or filled with what was recorded), each panel's decision with its
reasons and the panel's name and members, the right to escalate after a Supervisors Panel refusal
(12.6, 12.12), the hearing invitation (12.16), and the Senior Management Panel's decision with the
legal rights where it is negative or conditional (12.17). The day is given."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pdftext import page_texts

from heart_desktop.documents.letters import LetterRefused
from heart_desktop.services import appeals, casework, letters
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store

DAY = date(2026, 3, 20)
EVIDENCE = "OT report of 1 March: two falls on the stairs since January"
CLAIMED = ["immediate_risk", "medical_condition", "no_means", "significant_reduction"]
NOT_CLAIMED = ["family_together", "statutory_services", "wider_benefit"]


@pytest.fixture
def bench(store: Store, tmp_path: Path) -> Workbench:
    bench = Workbench(tmp_path / "unused.heartdb", officer=store.officer)
    bench.store = store
    bench.role = "manager"
    return bench


@pytest.fixture(autouse=True)
def refused(bench: Workbench, case_id: str) -> None:
    casework.decide_application(bench, case_id, "refused", date(2026, 3, 2),
                                "The works are not necessary and appropriate", today=DAY)


def text(bench: Workbench, case_id: str, kind: str, **options: str) -> str:
    return " ".join(" ".join(page_texts(letters.preview(bench, case_id, kind, today=DAY, options=options)["pdf"]))
                    .split())


def lodge(bench: Workbench, case_id: str, answer: bool = True) -> str:
    made = appeals.lodge(bench, case_id, "special", "A stairlift is the only safe way to reach the bathroom",
                         today=DAY, lodged_on=date(2026, 3, 6), assisted=True)
    if answer:
        for key in CLAIMED:
            appeals.answer(bench, made["id"], key, EVIDENCE, today=DAY)
        for key in NOT_CLAIMED:
            appeals.answer(bench, made["id"], key, None, claimed=False, today=DAY)
    return str(made["id"])


def test_no_appeal_letter_before_its_step(bench: Workbench, case_id: str) -> None:
    refused = {a["kind"]: a["refusal"] for a in letters.available(bench, case_id, today=DAY)}
    assert "no appeal is lodged" in refused["appeal_received"]
    lodge(bench, case_id, answer=False)
    refused = {a["kind"]: a["refusal"] for a in letters.available(bench, case_id, today=DAY)}
    assert refused["appeal_received"] is None
    assert "Supervisors Panel has not decided" in refused["appeal_supervisors"]
    assert "not escalated" in refused["appeal_hearing"]
    assert "Senior Management Panel has not decided" in refused["appeal_senior"]
    with pytest.raises(LetterRefused, match="not escalated"):
        letters.preview(bench, case_id, "appeal_hearing", today=DAY)


def test_the_appeal_received_gives_the_12_10_form_blank_or_filled(bench: Workbench, case_id: str) -> None:
    lodge(bench, case_id, answer=False)
    blank = text(bench, case_id, "appeal_received")
    assert "We received your appeal on 6 March 2026" in blank and "special case appeal" in blank
    assert "Supervisors Panel, the Private Sector Housing Manager and the HEART Service Manager" in blank
    assert "Your case: the appeal form" in blank and "policy 12.10" in blank and "help you fill it in" in blank
    assert "immediate risk (policy 12.7)" in blank and "'welfare' assistance (policy 12.8)" in blank
    assert "at least one of these" in blank and "both of these" in blank and EVIDENCE not in blank
    assert "continue on separate sheets" in blank and "Please sign and date the form" in blank
    appeals.answer(bench, appeals.appeals_for(bench, case_id)[0]["id"], "no_means", EVIDENCE, today=DAY)
    filled = text(bench, case_id, "appeal_received")
    assert "Your case as we recorded it" in filled and "with you by our officer" in filled
    assert f"Your evidence: {EVIDENCE}" in filled and "A stairlift is the only safe way" in filled
    assert "Please sign and date the form" not in filled


def test_a_supervisors_refusal_gives_its_reasons_and_the_right_to_escalate(bench: Workbench, case_id: str) -> None:
    appeal_id = lodge(bench, case_id)
    appeals.decide(bench, appeal_id, "supervisors", "refused", "The risk is not immediate on the OT's evidence",
                   today=DAY, decided_on=date(2026, 3, 10))
    words = text(bench, case_id, "appeal_supervisors")
    assert "The Supervisors Panel, the Private Sector Housing Manager and the HEART Service Manager" in words
    assert "decided it on 10 March 2026" in words and "Your appeal is refused" in words
    assert "The risk is not immediate on the OT's evidence" in words
    assert "Your right to take your appeal further" in words and "Senior Management Panel, the Head of Home " \
        "Environment Service and the local Head of Housing (or equivalent) (policy 12.6, 12.9)" in words
    assert "written hearing (12.16)" in words and "granted" not in words.replace("Your appeal is granted", "")


def test_further_information_asked_for_says_what(bench: Workbench, case_id: str) -> None:
    appeal_id = lodge(bench, case_id)
    appeals.decide(bench, appeal_id, "supervisors", "further_information", "A letter from the GP about the falls",
                   today=DAY)
    words = text(bench, case_id, "appeal_supervisors")
    assert "The panel needs more information" in words and "A letter from the GP about the falls" in words
    assert "Your right to take your appeal further" not in words


def test_the_hearing_invitation_and_the_senior_decision_with_legal_rights(bench: Workbench, store: Store,
                                                                         case_id: str) -> None:
    appeal_id = lodge(bench, case_id)
    appeals.decide(bench, appeal_id, "supervisors", "refused", "The risk is not immediate on the OT's evidence",
                   today=DAY, decided_on=date(2026, 3, 10))
    appeals.escalate(bench, appeal_id, today=DAY, escalated_on=date(2026, 3, 11), hearing="attends",
                     hearing_on=date(2026, 3, 18), representative="Jo Fairweather",
                     implications="A stairlift, about £4,000 of DDFA", information="A letter from the GP")
    invite = text(bench, case_id, "appeal_hearing")
    assert "The Supervisors Panel refused it on 10 March 2026" in invite
    assert "The risk is not immediate on the OT's evidence" in invite
    assert "A stairlift, about £4,000 of DDFA (policy 12.15)" in invite
    assert "hear your appeal on 18 March 2026" in invite and "Jo Fairweather will come with you" in invite
    assert "may ask questions of you and of our officers (policy 12.16)" in invite
    appeals.decide(bench, appeal_id, "senior", "granted", "The falls put the applicant at immediate risk",
                   today=DAY, decided_on=date(2026, 3, 18))
    granted = text(bench, case_id, "appeal_senior")
    assert "The Senior Management Panel, the Head of Home Environment Service" in granted
    assert "held a hearing on 18 March 2026" in granted and "Your appeal is granted" in granted
    assert "date order from your first enquiry" in granted and "(policy 12.19)" in granted
    assert "Your legal rights" not in granted  # granted outright: nothing negative or conditional
    appeals.outcome(bench, appeal_id, "special", today=DAY, description="A grant for a straight stairlift",
                    terms="The council recovers the stairlift when it is no longer needed")
    conditional = text(bench, case_id, "appeal_senior")
    assert "A grant for a straight stairlift" in conditional and "recovers the stairlift" in conditional
    assert "Your legal rights" in conditional and "Ombudsman" in conditional and "(policy 12.17)" in conditional
    made = letters.sign(bench, case_id, "appeal_senior", {"method": "by_name", "signed_at": "2026-03-20T10:00:00"},
                        today=DAY)
    assert made["document"]["kind"] == "letter_appeal_senior"
    assert store.contacts.get(made["contact_id"])["summary"].startswith(
        "Letter sent: The Senior Management Panel's decision on your appeal")


def test_a_senior_refusal_gives_the_legal_rights(bench: Workbench, case_id: str) -> None:
    appeal_id = lodge(bench, case_id)
    appeals.decide(bench, appeal_id, "supervisors", "refused", "The risk is not immediate", today=DAY)
    appeals.escalate(bench, appeal_id, today=DAY, hearing="written")
    appeals.decide(bench, appeal_id, "senior", "refused", "The works would not significantly reduce the risk",
                   today=DAY)
    words = text(bench, case_id, "appeal_senior")
    assert "heard your appeal in writing" in words and "Your appeal is refused" in words
    assert "The works would not significantly reduce the risk" in words
    assert "Your legal rights" in words and "Citizens Advice" in words


def test_the_demo_signs_appeal_letters_of_each_kind(tmp_path: Path) -> None:
    from heart_desktop.documents.letters.demo_letters import sign_demo_letters
    from heart_desktop.store import demo

    with Store.open(tmp_path / "demo.heartdb", "demo", create=True, kdf_iter=1000, officer="Demo officer") as store:
        demo.generate(store, 60, as_of=date(2026, 10, 30), seed=7)
        made = sign_demo_letters(store, date(2026, 11, 30), per_kind=1)
        for kind in ("appeal_received", "appeal_supervisors", "appeal_hearing", "appeal_senior"):
            assert made[kind], kind
