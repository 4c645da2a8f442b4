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
