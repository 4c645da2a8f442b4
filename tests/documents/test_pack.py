"""The unsigned pack: every document present with the case's values, bookmarks, footers, fonts,
deterministic bytes, a valid PDF, and blanks (never "None") for missing information."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cases import make_case
from pdftext import fonts, outline, page_texts

from heart_desktop import __version__
from heart_desktop.documents import build_pack_bytes
from heart_desktop.documents.model import from_store
from heart_desktop.documents.pack import DOCUMENTS, build_pack
from heart_desktop.domain.money import fmt
from heart_desktop.store import Store


def test_same_data_same_bytes(store: Store, case_id: str) -> None:
    first = build_pack_bytes(store, case_id)
    assert first.startswith(b"%PDF")
    assert build_pack_bytes(store, case_id) == first


def test_every_document_has_a_bookmark_at_its_first_page(store: Store, case_id: str) -> None:
    built = build_pack(from_store(store, case_id))
    marks = outline(built.pdf)
    assert [title for title, _ in marks] == [m.TITLE for m in DOCUMENTS]
    assert [page for _, page in marks] == [built.ranges[m.KEY][0] for m in DOCUMENTS]
    assert built.ranges["cover"] == (1, 1)
    assert max(last for _, last in built.ranges.values()) == built.pages == len(page_texts(built.pdf))


def test_the_contents_give_each_documents_first_page(store: Store, case_id: str) -> None:
    built = build_pack(from_store(store, case_id))
    cover_text = " ".join(page_texts(built.pdf)[0].split())
    for number, module in enumerate(DOCUMENTS[1:], start=1):
        assert f"{number} {module.TITLE} {built.ranges[module.KEY][0]}" in cover_text, module.TITLE


def test_every_page_names_case_document_page_version_and_pack(store: Store, case_id: str) -> None:
    built = build_pack(from_store(store, case_id))
    texts = page_texts(built.pdf)
    reference = store.cases.get(case_id)["reference"]
    for key, (first, last) in built.ranges.items():
        for number in range(first, last + 1):
            text = texts[number - 1]
            assert f"{reference} · {built.titles[key]}" in text
            assert f"Page {number - first + 1} of {last - first + 1}" in text
            assert f"Pack page {number} of {built.pages}" in text
            assert f"HEART Desktop {__version__}" in text and built.pack_id[:12] in text


def test_documents_show_the_case_values(store: Store, case_id: str) -> None:
    data = from_store(store, case_id)
    built = build_pack(data)
    texts = page_texts(built.pdf)

    def doc(key: str) -> str:
        first, last = built.ranges[key]
        return " ".join(texts[first - 1:last])

    assert "Edna Fairweather" in doc("cover") and "3 Elm Grove" in doc("cover")
    assert "Warwick District Council" in doc("cover") and "Priya Officer" in doc("cover")
    assert "AB123456C" in doc("application") and "Declaration" in doc("application")
    assert "Owner's certificate" in doc("certificates") and "future occupation" in doc("certificates")
    assert "5 years" in doc("certificates")
    award = data.decision.award  # type: ignore[union-attr]
    works = doc("works")
    for amount in (award.works_cost, award.dfg, award.ddfa_grant, award.ddfa_loan, award.fees,
                   award.customer_contribution, award.shortfall, award.total_award):
        assert fmt(amount) in works
    assert "Works item 5" in works and "Means test statement" in works
    conditions = doc("conditions")
    assert "12 months" in conditions and "Living in the home afterwards" in conditions
    assert "Falling on stairs" in doc("hhsrs") and "1 in 32" in doc("hhsrs")
    assert "Photo 4: bathroom" in doc("hhsrs")
    assert "Olu Therapist" in doc("ot") and "Level access shower" in doc("ot")
    assert "Data Sharing Protocol" in doc("consent")
    assert "None" not in " ".join(texts)
    assert "Repayable grant charge" in works


def test_a_long_schedule_repeats_its_header_on_every_page(store: Store) -> None:
    case_id = make_case(store, works=50, photos=0)
    built = build_pack(from_store(store, case_id), only=["works"])
    texts = page_texts(built.pdf)
    assert built.pages >= 2
    # the schedule's pages: those up to the award's heading (the award's notes after it may name items too)
    end = next(i for i, text in enumerate(texts) if "How the cost is met" in text)
    schedule_pages = [part for part in (text.split("How the cost is met")[0] for text in texts[:end + 1])
                      if "Works item" in part]
    assert len(schedule_pages) >= 2
    for text in schedule_pages:
        assert "Description" in text and "Qty" in text
    assert "Works item 50" in " ".join(texts)


def test_one_document_alone(store: Store, case_id: str) -> None:
    built = build_pack(from_store(store, case_id), only=["conditions"])
    assert [t for t, _ in outline(built.pdf)] == ["Statement of conditions"]
    with pytest.raises(ValueError, match="unknown document"):
        build_pack(from_store(store, case_id), only=["nonsense"])


def test_fonts_are_embedded(store: Store, case_id: str) -> None:
    used = fonts(build_pack_bytes(store, case_id))
    assert used and all(used.values()), used
    # the bundled DejaVu Sans, declared under the documents' own family name so no system font is matched
    assert all("HEART-Sans" in name for name in used), used


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is installed by scripts/setup.sh")
def test_qpdf_finds_no_errors(store: Store, case_id: str, tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(build_pack_bytes(store, case_id))
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_missing_information_is_a_blank_never_none(store: Store) -> None:
    with store.transaction():
        case_id = store.cases.create("RBC")
        store.people.insert({"case_id": case_id, "given_name": "Sam", "family_name": "Blank", "is_applicant": True})
        store.properties.insert({"case_id": case_id, "address_line1": "1 Unknown Way", "postcode": "CV21 1AA"})
    built = build_pack(from_store(store, case_id))
    text = " ".join(page_texts(built.pdf))
    assert "None" not in text and "null" not in text
    assert "Sam Blank" in text
    assert "cannot be worked out yet" in text  # no date of birth, no tenure: no decision


def test_a_tenant_gets_the_landlord_consent_request(store: Store) -> None:
    case_id = make_case(store, tenure="private_tenant", photos=0)
    built = build_pack(from_store(store, case_id), only=["certificates", "works"])
    text = " ".join(page_texts(built.pdf))
    assert "None" not in text and "Repayable grant charge No charge" in text
    assert "Tenant's certificate" in text and "landlord's consent" in text and "Avon Lettings Ltd" in text
    assert "Owner's certificate" not in text


def test_hazard_photos_sit_under_their_hazard(store: Store) -> None:
    case_id = make_case(store, photos=3)
    rows = [a for a in store.attachments.for_case(case_id) if a["kind"] == "photo"]
    first_hazard = str(from_store(store, case_id).hazards[0]["hazard"])
    store.forms.start(case_id, "hhsrs_assessment", "1.0", {
        "inspection_start": "2026-02-01",
        "hazards": {first_hazard: {"assessed": True, "photos": [{"sha256": rows[0]["sha256"]}]}}})
    built = build_pack(from_store(store, case_id), only=["hhsrs"])
    text = " ".join(" ".join(page_texts(built.pdf)).split())
    after = text[text.index("Photographs"):]
    caption = rows[0]["caption"]
    others = after.index("Other photographs of the visit")
    assert after.index(caption) < others  # under its hazard's heading, before the others
    assert rows[1]["caption"] in after[others:]


def test_hhsrs_page_names_the_scheme_and_its_caveats(store: Store) -> None:
    from datetime import date

    from heart_desktop.domain import hhsrs

    case_id = make_case(store, photos=0)
    for started, scheme in (("2026-02-01", hhsrs.scheme_for(date(2026, 2, 1))),
                            ("2026-07-01", hhsrs.scheme_for(date(2026, 7, 1)))):
        store.forms.start(case_id, "hhsrs_assessment", "1.0", {"inspection_start": started, "hazards": {}})
        built = build_pack(from_store(store, case_id), only=["hhsrs"])
        text = " ".join(" ".join(page_texts(built.pdf)).split())
        assert f"Rating scheme: {' '.join(scheme.name.split())}" in text
        caveats = [c for c in scheme.unknown_tables if "(unknown)" in c or "(unconfirmed)" in c]
        for caveat in caveats:
            assert " ".join(caveat.split()) in text  # whole, as on screen
        assert ("Not yet confirmed" in text) == bool(caveats)
