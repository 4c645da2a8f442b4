"""Signing freezes a pack: bytes and SHA-256 in the store and the audit log, signatures drawn as
vectors, "changed since signed" after any change to the data shown, frozen bytes never rebuilt;
and the admin print queue."""

from __future__ import annotations

import hashlib
import time

import pytest
from cases import make_case, signature
from pdftext import line_to_count, page_texts

from heart_desktop.documents.model import from_store
from heart_desktop.documents.pack import build_pack
from heart_desktop.documents.signing import SigningError, pack_status, sign_pack
from heart_desktop.store import Store
from heart_desktop.store.packs import Packs

SIGNERS = [signature("applicant", "Edna Fairweather"), signature("officer", "Priya Officer", 0.05)]


def test_signing_keeps_bytes_and_sha256_in_store_and_audit(store: Store, case_id: str) -> None:
    row = sign_pack(store, case_id, SIGNERS)
    pdf = Packs(store).content(row["id"])
    assert hashlib.sha256(pdf).hexdigest() == row["sha256"]
    assert row["signed"] and row["version"] == 1 and row["size"] == len(pdf)
    assert [s["role"] for s in row["signatures"]] == ["applicant", "officer"]
    audit = [a for a in store.audit.read(case_id) if a["action"] == "sign"]
    assert audit[0]["detail"]["sha256"] == row["sha256"]
    assert audit[0]["detail"]["fingerprint"] == row["fingerprint"]
    text = " ".join(page_texts(pdf))
    assert "Edna Fairweather" in text and "02/03/2026 11:30" in text


def test_signatures_are_drawn_as_vector_paths(store: Store, case_id: str) -> None:
    unsigned = build_pack(from_store(store, case_id))
    signed = Packs(store).content(sign_pack(store, case_id, SIGNERS)["id"])
    page = unsigned.ranges["application"][0]
    first, last = unsigned.ranges["application"]
    before = sum(line_to_count(unsigned.pdf, p) for p in range(first, last + 1))
    after = sum(line_to_count(signed, p) for p in range(first, last + 1))
    # each signature: 3 + 2 line-to operators, drawn in the applicant's and the officer's boxes
    assert after - before == 2 * 5, (page, before, after)


def test_change_after_signing_flags_the_pack_and_frozen_bytes_never_change(store: Store, case_id: str) -> None:
    row = sign_pack(store, case_id, SIGNERS)
    frozen = Packs(store).content(row["id"])
    status = pack_status(store, case_id)
    assert status.state == "signed" and not status.changed_since_signed
    item = store.works.for_case(case_id)[0]
    store.works.update(item["id"], {"rate_pence": item["rate_pence"] + 100})
    status = pack_status(store, case_id)
    assert status.changed_since_signed and status.state == "changed since signed"
    assert Packs(store).content(row["id"]) == frozen
    assert hashlib.sha256(Packs(store).content(row["id"])).hexdigest() == row["sha256"]
    again = sign_pack(store, case_id, SIGNERS)
    assert again["version"] == 2 and again["sha256"] != row["sha256"]
    assert not pack_status(store, case_id).changed_since_signed
    assert Packs(store).content(row["id"]) == frozen


def test_what_the_pack_does_not_show_does_not_flag_it(store: Store, case_id: str) -> None:
    sign_pack(store, case_id, SIGNERS)
    later = time.time_ns() // 1_000_000 + 3 * 86_400_000
    store.clock._now = lambda: later  # the review is booked three days after signing
    store.visits.insert({"case_id": case_id, "scheduled_for": "2099-01-05T10:00", "kind": "review",
                         "status": "planned"})
    store.notes.insert({"case_id": case_id, "body": "Called to book the review.", "author": "T. Tester",
                        "written_at": "2099-01-04T09:00:00Z"})
    assert not pack_status(store, case_id).changed_since_signed


def test_signing_needs_the_applicant_and_real_strokes(store: Store, case_id: str) -> None:
    with pytest.raises(SigningError, match="applicant"):
        sign_pack(store, case_id, [signature("officer", "Priya Officer")])
    with pytest.raises(SigningError, match="empty"):
        sign_pack(store, case_id, [{**signature("applicant", "Edna"), "strokes": [[[0.1, 0.1]]]}])
    with pytest.raises(SigningError, match="twice"):
        sign_pack(store, case_id, [signature("applicant", "Edna"), signature("applicant", "Edna")])
    with pytest.raises(ValueError, match="role"):
        sign_pack(store, case_id, [signature("neighbour", "Bob")])
    assert Packs(store).latest_signed(case_id) is None


def test_print_queue_lists_searches_marks_and_audits(store: Store, case_id: str) -> None:
    other = make_case(store, photos=0)
    packs = Packs(store)
    first = sign_pack(store, case_id, SIGNERS)
    second = sign_pack(store, other, SIGNERS)
    reference = store.cases.get(case_id)["reference"]
    assert {r["id"] for r in packs.queue()} == {first["id"], second["id"]}
    assert [r["id"] for r in packs.queue(search=reference)] == [first["id"]]
    assert packs.queue(council="RBC") == []
    packs.mark_printed([first["id"]])
    row = next(r for r in packs.queue() if r["id"] == first["id"])
    assert row["printed_at"] and row["printed_by"] == "Priya Officer"
    packs.mark_posted([first["id"], second["id"]])
    assert packs.queue() == []
    actions = [a["action"] for a in store.audit.read(case_id)]
    assert "print" in actions and "post" in actions
    # a new signed version comes back into the queue; the superseded one does not
    third = sign_pack(store, case_id, SIGNERS)
    assert [r["id"] for r in packs.queue()] == [third["id"]]
    journal = store.journal.count() if hasattr(store.journal, "count") else None
    assert journal is None or journal > 0
