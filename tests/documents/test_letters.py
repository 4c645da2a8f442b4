"""The customer letters (issue 18) on a real store, read back from their PDFs: each letter's words
and figures against the case and the decision, refusal of a letter the case cannot have yet,
signing and freezing with the SHA-256, the contact logged, and large print. The day is given."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from pdftext import page_texts

from heart_desktop.documents.letters import KINDS, LetterRefused
from heart_desktop.services import letters
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store

DAY = date(2026, 3, 5)
SIGNED = {"method": "by_name", "signed_at": "2026-03-05T10:00:00"}


@pytest.fixture
def bench(store: Store, tmp_path: Path) -> Workbench:
    bench = Workbench(tmp_path / "unused.heartdb", officer=store.officer)
    bench.store = store
    return bench


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def test_the_acknowledgement_says_what_happens_next_and_the_duty_desk_of_the_area(bench: Workbench,
                                                                                 case_id: str) -> None:
    made = letters.preview(bench, case_id, "acknowledgement", today=DAY)
    text = text_of(made["pdf"])
    assert "Edna Fairweather" in text and "3 Elm Grove" in text and "CV34 5XY" in text
    assert "Dear Edna Fairweather" in text and "Our reference: WDC/26/00001" in text
    assert "We received your enquiry on 5 January 2026" in text and "5 March 2026" in text
    assert "What happens next" in text and "Who to contact" in text
    # Warwick is in the south: Riverside House, and the hours of policy 5.2 from letters.toml
    assert "HEART South (Riverside House, Leamington Spa duty desk)" in text
    assert "9am to 5pm, Monday to Friday" in text and "policy 5.2" in text
    assert "Nuneaton" not in text


def test_a_letter_goes_to_the_advocate_when_the_case_says_so(bench: Workbench, store: Store, case_id: str) -> None:
    store.cases.update(case_id, {"contact_preference": "advocate",
                                 "advocate": "Jo Fairweather (daughter), 07700 900123",
                                 "allocated_to": "Priya Officer", "allocated_role": "HAO"})
    text = text_of(letters.preview(bench, case_id, "acknowledgement", today=DAY)["pdf"])
    assert "Dear Jo Fairweather" in text and "on behalf of Edna Fairweather" in text
    assert "through Jo Fairweather" in text and "07700" not in text
    assert "Your case is with Priya Officer, Housing Assessment Officer" in text


def test_a_signed_letter_is_frozen_with_its_sha256_listed_and_logged_as_a_contact(bench: Workbench, store: Store,
                                                                                case_id: str) -> None:
    made = letters.sign(bench, case_id, "acknowledgement", SIGNED, today=DAY)
    row = made["document"]
    assert row["kind"] == "letter_acknowledgement" and row["signed"] and row["version"] == 1
    stored = letters.content(bench, row["id"])
    assert stored == made["pdf"] and hashlib.sha256(stored).hexdigest() == row["sha256"]
    assert "Signed by Priya Officer on 05/03/2026 10:00 (signed by name)" in text_of(stored)
    (listed,) = letters.letters(bench, case_id)
    assert (listed["kind"], listed["addressee"], listed["signed_by"]) == ("acknowledgement", "Edna Fairweather",
                                                                         "Priya Officer")
    contact = store.contacts.get(made["contact_id"])
    assert (contact["kind"], contact["direction"], contact["who"]) == ("letter", "out", "Edna Fairweather")
    assert contact["summary"].startswith("Letter sent: We have received your enquiry (version 1")
    assert contact["at"].startswith("2026-03-05")
    again = letters.sign(bench, case_id, "acknowledgement", SIGNED, today=DAY)
    assert again["document"]["version"] == 2 and letters.content(bench, row["id"]) == stored


def test_the_same_case_gives_the_same_letter_bytes(bench: Workbench, case_id: str) -> None:
    first = letters.preview(bench, case_id, "acknowledgement", today=DAY)
    assert letters.preview(bench, case_id, "acknowledgement", today=DAY)["sha256"] == first["sha256"]


def test_an_empty_drawn_signature_is_refused(bench: Workbench, case_id: str) -> None:
    from heart_desktop.services.casework import CaseworkError

    with pytest.raises(CaseworkError, match="signature is empty"):
        letters.sign(bench, case_id, "acknowledgement", {"method": "drawn", "signed_at": "2026-03-05T10:00:00",
                                                         "strokes": []}, today=DAY)
    assert letters.letters(bench, case_id) == []


def test_large_print_letters_are_at_least_16_pt(bench: Workbench, case_id: str) -> None:
    from pdftext import font_sizes

    made = letters.preview(bench, case_id, "acknowledgement", today=DAY, print_size="large")
    assert made["print_size"] == "large" and min(font_sizes(made["pdf"])) >= 16


def test_every_kind_has_wording_and_a_module() -> None:
    from heart_desktop.domain.letters import letters_version

    assert set(letters_version(DAY).letters) >= set(KINDS)
    with pytest.raises(LetterRefused, match="unknown letter"):
        from heart_desktop.documents.letters import module

        module("postcard")


# --- the decision, completion, visit and reminder letters -----------------------------------------

def _award(store: Store, case_id: str):
    from heart_desktop.documents.model import from_store

    decision = from_store(store, case_id).decision
    assert decision is not None
    return decision


def test_no_letter_the_case_cannot_have_yet(bench: Workbench, case_id: str) -> None:
    refused = {a["kind"]: a["refusal"] for a in letters.available(bench, case_id, today=DAY)}
    assert refused["acknowledgement"] is None
    assert "no decision on the application is recorded" in refused["decision"]
    assert "not certified complete" in refused["completion"]
    assert "not approved" in refused["reminder"]
    assert "no visit is booked" in refused["visit"]
    with pytest.raises(LetterRefused, match="cannot have the decision notice yet: no decision"):
        letters.preview(bench, case_id, "decision", today=DAY)


def test_the_approval_notice_gives_each_figure_of_the_award_and_the_conditions(bench: Workbench, store: Store,
                                                                             case_id: str) -> None:
    from heart_desktop.domain.conditions import conditions_for
    from heart_desktop.domain.money import fmt
    from heart_desktop.services import casework

    casework.decide_application(bench, case_id, "approved", date(2026, 3, 2), "Meets the DFG criteria", today=DAY)
    decision = _award(store, case_id)
    award = decision.award
    text = text_of(letters.preview(bench, case_id, "decision", today=DAY)["pdf"])
    assert "Your application is approved" in text and "decided it on 2 March 2026" in text
    assert f"Cost of the works {fmt(award.works_cost)}" in text
    assert f"Disabled Facilities Grant (DFG) {fmt(award.dfg)}" in text and award.dfg > 0
    assert f"HEART fees (policy 7.2) {fmt(award.fees)}" in text
    assert f"Total assistance {fmt(award.total_award)}" in text
    assert f"Your contribution (means test) {fmt(award.customer_contribution)}" in text
    # 12 months from approval (dfg.completion_months), and the 10-year charge from then
    assert "completed within 12 months of approval, that is by 2 March 2027" in text
    if award.repayable_charge:
        assert f"{fmt(award.repayable_charge)} of the grant is registered as a charge" in text
        assert "within 10 years" in text and "before 2 March 2037" in text
    if award.shortfall:
        assert f"shortfall of {fmt(award.shortfall)}" in text
    for condition in conditions_for(decision):
        assert condition.title in text
    assert "Your right to appeal" not in text  # approved as applied for: nothing to appeal


def test_the_refusal_notice_gives_each_reason_and_how_to_appeal_and_to_whom(bench: Workbench, store: Store,
                                                                          case_id: str) -> None:
    from heart_desktop.services import casework

    casework.decide_application(bench, case_id, "refused", date(2026, 3, 2),
                                "The works are not necessary and appropriate (OT assessment)", today=DAY)
    text = text_of(letters.preview(bench, case_id, "decision", today=DAY)["pdf"])
    assert "Your application is refused" in text
    assert "The works are not necessary and appropriate (OT assessment)" in text
    assert "Your right to appeal" in text and "policy section 12" in text
    assert "Supervisors Panel" in text and "Senior Management Panel" in text
    assert "Private Sector Housing Manager and the HEART Service Manager" in text
    assert "(12.4)" in text and "(12.5)" in text and "(12.10)" in text and "Ombudsman" in text
    assert "Total assistance" not in text


def test_a_partial_approval_gives_the_refused_types_reasons_with_their_sections(bench: Workbench, store: Store,
                                                                              case_id: str) -> None:
    from heart_desktop.services import casework

    store.cases.update(case_id, {"assistance_types": ["DFG", "HDG"]})  # no hospital discharge: HDG refused
    decision = _award(store, case_id)
    assert not decision.types["HDG"].eligible
    casework.decide_application(bench, case_id, "approved", date(2026, 3, 2), "DFG approved", today=DAY)
    text = text_of(letters.preview(bench, case_id, "decision", today=DAY)["pdf"])
    assert "Assistance we could not approve" in text and "Your right to appeal" in text
    assert "Hospital Discharge Grant: Only where housing defects" in text and "(policy 4.3.1, 4.3.3)" in text
    assert "Disabled Facilities Grant (DFG) £30,000.00" in text


def test_the_completion_letter_gives_the_certified_date_charge_and_equipment_note(bench: Workbench, store: Store,
                                                                                case_id: str) -> None:
    from heart_desktop.services import casework

    store.works.insert({"case_id": case_id, "position": 9, "location": "Stairs", "description": "Stairlift, straight",
                        "quantity": "1", "unit": "item", "rate_pence": 250_000, "vat_percent": "0"})
    casework.decide_application(bench, case_id, "approved", date(2026, 3, 2), "Approved", today=DAY)
    later = date(2026, 9, 30)
    casework.record_event(bench, case_id, "works_started", date(2026, 5, 1), today=later)
    assert "not certified" in letters.available(bench, case_id, today=later)[3]["refusal"]
    casework.record_event(bench, case_id, "certified_complete", date(2026, 9, 14), today=later)
    award = _award(store, case_id).award
    text = text_of(letters.preview(bench, case_id, "completion", today=later)["pdf"])
    assert "certified complete on 14 September 2026" in text
    assert "maintenance agreement for 5 years" in text and "first right to recover" in text
    assert "4.1.19, 5.9" in text
    if award.repayable_charge:
        assert "charge on your home until 14 September 2036" in text


def test_the_reminder_comes_when_the_completion_date_approaches(bench: Workbench, case_id: str) -> None:
    from heart_desktop.services import casework

    casework.decide_application(bench, case_id, "approved", date(2026, 3, 2), "Approved", today=DAY)
    early = {a["kind"]: a["refusal"] for a in letters.available(bench, case_id, today=date(2026, 12, 1))}
    assert "is 91 days away" in early["reminder"]
    text = text_of(letters.preview(bench, case_id, "reminder", today=date(2027, 1, 31))["pdf"])
    assert "approved on 2 March 2026" in text and "completed by 2 March 2027" in text
    assert "30 days from the date of this letter" in text and "13.2" in text


def test_the_visit_letter_confirms_and_rearranges(bench: Workbench, case_id: str) -> None:
    from datetime import datetime

    from heart_desktop.services import casework

    visit_id = casework.book_visit(bench, case_id, datetime(2026, 3, 12, 10, 30), "assessment", today=DAY,
                                   officer="Sam Visitor")
    text = text_of(letters.preview(bench, case_id, "visit", today=DAY)["pdf"])
    assert "Thursday 12 March 2026 at 10:30" in text and "Sam Visitor" in text and "3 Elm Grove" in text
    assert "home assessment" in text.lower() and "change the date" not in text
    casework.move_visit(bench, visit_id, datetime(2026, 3, 19, 14, 0), "the officer is unwell", today=DAY)
    moved = text_of(letters.preview(bench, case_id, "visit", today=DAY, options={"visit": visit_id})["pdf"])
    assert "We have had to change the date" in moved and "the officer is unwell" in moved
    assert "Thursday 19 March 2026 at 14:00" in moved


def test_signed_letters_go_through_the_print_queue(bench: Workbench, store: Store, case_id: str) -> None:
    from heart_desktop.services import packs

    made = letters.sign(bench, case_id, "acknowledgement", SIGNED, today=DAY)
    queued = [r for r in packs.queue(bench, None, None) if r["id"] == made["document"]["id"]]
    assert queued and queued[0]["kind"] == "letter_acknowledgement"
    assert queued[0]["title"] == "We have received your enquiry"
    assert packs.queue_bytes(bench, [made["document"]["id"]]) == [made["pdf"]]
    packs.mark_printed(bench, [made["document"]["id"]])
    packs.mark_posted(bench, [made["document"]["id"]])
    assert not [r for r in packs.queue(bench, None, None) if r["id"] == made["document"]["id"]]
    assert letters.letters(bench, case_id)[0]["posted_at"]


def test_the_demo_has_letters_of_each_kind_its_cases_can_have(tmp_path: Path) -> None:
    from heart_desktop.documents.letters.demo_letters import sign_demo_letters
    from heart_desktop.store import demo

    with Store.open(tmp_path / "demo.heartdb", "demo", create=True, kdf_iter=1000, officer="Demo officer") as store:
        demo.generate(store, 120, as_of=date(2026, 11, 30), seed=7)
        made = sign_demo_letters(store, date(2026, 11, 30))
        for kind in ("acknowledgement", "visit", "decision", "completion", "reminder"):
            assert made[kind], kind
        rows = [d for d in store.documents.where() if d["kind"].startswith("letter_")]
        assert len(rows) == sum(len(v) for v in made.values())
        logged = store.conn.execute("SELECT count(*) FROM contacts WHERE kind = 'letter' AND summary LIKE "
                                    "'Letter sent: %'").fetchone()[0]
        assert logged == len(rows)


def test_letters_are_tagged_pdf_ua_with_the_language_and_title(bench: Workbench, case_id: str) -> None:
    from pdftext import reader, structure

    pdf = letters.preview(bench, case_id, "acknowledgement", today=DAY)["pdf"]
    root = reader(pdf).trailer["/Root"]
    assert root["/Lang"] == "en-GB" and root["/MarkInfo"]["/Marked"]
    assert "We have received your enquiry" in str(reader(pdf).metadata.get("/Title"))
    roles = {element["role"] for element in structure(pdf)}
    assert {"/H1", "/H2", "/P"} <= roles
