"""The anonymised appeal report (policy 12.20, issue 18 Build 3), read back from its PDF.

The household's identifiers (every person's names and their parts, the address and its parts,
the postcode, phones, emails, NI and NHS numbers, dates of birth, the advocate's and referrer's
names, the property reference) are written into every free-text field the case has (notes,
contacts, form answers, works, hazard notes, the decision's reasons, photo captions, the
relationship and property type) and into the appeal's grounds, evidence, panel reasons and
outcome; none may survive in the PDF's text, its title and metadata, or its figures' alternative
text. The same check finds every one of them in the text as planted, so it can fail.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from appeal_cases import PLANTED, TODAY, appeal, identified_case, leaks, lodge_appeal
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pdftext import page_texts, structure

from heart_desktop.cli import main
from heart_desktop.documents.appeal_report import ReportRefused, build_report, compose
from heart_desktop.services import appeal_report
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store

PASSPHRASE = "appeal report tests"
CONFIRMED = "2026-05-20T10:00:00"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One case with identifiers everywhere, its appeal, both photos chosen: laid out once."""
    folder = tmp_path_factory.mktemp("appeal_report")
    with Store.open(folder / "s.heartdb", PASSPHRASE, create=True, kdf_iter=1000, officer="Priya Officer") as s:
        case_id = identified_case(s)
        detail = s.cases.detail(case_id, audit=False)
        photos = [(a["id"], "Priya Officer", CONFIRMED) for a in s.attachments.for_case(case_id)
                  if a["kind"] == "photo"]
        data = compose(detail, appeal(case_id), today=TODAY, photos=photos, loader=s.attachments.blobs.get)
        report = build_report(data)
        return {"data": data, "report": report, "text": " ".join(page_texts(report.pdf)), "detail": detail,
                "reference": detail["case"]["reference"]}


def pdf_strings(pdf: bytes) -> dict[str, str]:
    """What a PDF says outside its pages: the document info, the XMP metadata and the alt texts."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        info = " ".join(str(v) for v in document.docinfo.values())
        xmp = str(document.open_metadata())
    alts = " ".join(e["alt"] or "" for e in structure(pdf))
    return {"info": info, "xmp": xmp, "alt": alts}


def test_the_check_finds_every_identifier_as_planted() -> None:
    found = set(leaks(" ".join(PLANTED)))
    assert {"hope", "al", "mcallister", "zoë", "kwame", "larkspur", "rose", "kenilworth", "1926334455",
            "example.org", "cv81qz", "qq123456b", "1949", "1952", "4857773456", "100070123456", "quince",
            "tallulah", "ezekiel", "1951", "05/05/2015"} <= found


def test_no_identifier_survives_in_the_text_metadata_or_alternative_text(built: dict[str, Any]) -> None:
    assert leaks(built["text"]) == [], built["text"]
    for where, text in pdf_strings(built["report"].pdf).items():
        assert leaks(text) == [], (where, text)
    assert built["reference"] not in built["text"]  # the case reference links to the person: not printed
    assert "Warwick" not in built["text"]  # nor the council's name, which names a town


def test_every_free_text_field_was_read_and_masked(built: dict[str, Any]) -> None:
    """Each field is in the report, masked (not left out): its label survives beside the markers."""
    text = built["text"]
    for label in ("Visit:", "Call:", "Asked about an appeal:", "Sent the form:", "Arthritis:", "Cannot bathe:",
                  "Shower:", "Cannot step into the bath:", "Steep stair:", "Bathroom:", "Level access shower:",
                  "Savings over the limit:", "Works not eligible:", "Grounds:", "Falls:", "No savings:",
                  "Not immediate:", "Risk accepted:", "A special grant:", "Terms:", "Implications:", "Information:",
                  "The shower:", "Terraced house:", "Photo 1, bathroom:",
                  "Photo 2, bathroom:"):
        assert label in text, label
    for marker in ("[the applicant]", "[household member 2]", "[the advocate]", "[the referrer]", "[address]",
                   "[postcode in CV8]", "[phone]", "[email]", "[NI number]", "[NHS number]",
                   "[date of birth: aged 76]", "[date of birth: aged 74]", "[property reference]"):
        assert marker in text, marker
    masked = built["data"].masked
    assert all(masked.get(kind, 0) > 0 for kind in ("name", "address", "postcode", "phone", "email", "ni_number",
                                                    "nhs_number", "date_of_birth"))


def test_the_case_for_the_panel(built: dict[str, Any]) -> None:
    text = built["text"]
    assert "The applicant is aged 76, and is the disabled person." in text
    assert "Household member 2 74" in text and "Postcode district CV8" in text
    assert "Falling on stairs etc" in text and "Category 2" in text  # the HHSRS rating
    assert "£8,500.00" in text  # the works' cost
    assert "Outcome Refused" in text and "Decided on 1 March 2026" in text
    assert "(policy 4.1" in text  # each type of assistance with the sections it rests on
    assert "Customer's contribution" in text  # the means test figures
    assert "Special case (policy 12.2 b, 12.5, 12.7, 12.8)" in text
    assert "(policy 12.7) Yes Falls:" in text and "(policy 12.7, 12.14) not answered yet none given" in text
    assert "Hearing of the Senior Management Panel 6 May 2026" in text and "attends the hearing" in text
    assert "a special form of assistance" in text and "Its terms and conditions Terms:" in text
    assert "Supervisors Panel 1 April 2026 refused" in text
    assert "Senior Management Panel 6 May 2026 granted (the panel orders the case dealt with urgently, 12.19)" in text
    assert "Confirmed by Priya Officer on 20 May 2026 as a photo that shows no faces and no house numbers" in text


def test_tagged_with_language_title_and_figures_with_alternative_text(built: dict[str, Any]) -> None:
    pdf = built["report"].pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked)
        assert str(root.Lang) == "en-GB" and bool(root.ViewerPreferences.DisplayDocTitle)
        title = str(document.docinfo["/Title"])
        assert title == built["data"].title and title.startswith("Anonymised appeal report for the panel ")
        assert 'pdfuaid:part="1"' in str(document.open_metadata())
    figures = [e for e in structure(pdf) if e["role"] == "/Figure"]
    assert len(figures) == 2 and all(f["alt"] and f["alt"].startswith("Photo ") for f in figures), figures
    assert all("[" in f["alt"] for f in figures)  # the captions were redacted, not dropped


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils")
def test_pdfinfo_says_tagged(built: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(built["report"].pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info


def test_the_same_case_gives_the_same_bytes(built: dict[str, Any]) -> None:
    assert build_report(built["data"]).sha256 == built["report"].sha256


# -- random households through the PDF --------------------------------------------------------------

names = st.one_of(st.sampled_from(["Al", "Hope", "Rose", "O'Neill", "McAllister", "Mary-Jane", "Zoë", "Ngọc",
                                   "D'Arcy", "MacDonald", "Grace", "Björk"]),
                  st.text(st.characters(categories=["Lu", "Ll"], max_codepoint=0x17F), min_size=2, max_size=8))
MARKERS = {"the", "applicant", "household", "member", "name", "address", "town", "postcode", "in", "phone", "email",
           "ni", "number", "nhs", "date", "of", "birth", "aged", "advocate", "referrer", "property", "reference"}


def _synthetic_detail(given_name: str, family: str, street: str, town: str, text: str) -> dict[str, Any]:
    case = {"id": "c1", "reference": "WDC/26/00077", "council": "WDC", "assistance_types": ["DFG"],
            "application_on": date(2026, 2, 1)}
    return {"case": case, "stage_dates": {"application": date(2026, 2, 1)},
            "people": [{"id": "p1", "is_applicant": True, "is_disabled_person": True, "given_name": given_name,
                        "family_name": family, "date_of_birth": date(1950, 1, 2)}],
            "property": {"address_line1": f"7 {street} Road", "town": town, "postcode": "CV31 1AA",
                         "tenure": "owner"},
            "notes": [{"id": "n1", "body": text, "written_at": "2026-03-01T10:00:00"}],
            "contacts": [{"id": "k1", "at": "2026-03-02T10:00:00", "kind": "call", "direction": "in", "who": text,
                          "summary": text}],
            "decisions": [{"id": "d1", "kind": "application", "outcome": "refused", "reasons": [text],
                           "decided_on": date(2026, 3, 3)}]}


@lru_cache(maxsize=1)
def fixed_words() -> frozenset[str]:
    """The words the report itself prints for any household ("Total", "Panel"): a random name that is
    one of them cannot be told apart from the report's own wording in the PDF's text."""
    data = compose(_synthetic_detail("Qxq", "Zvz", "Wqw", "Nuneaton", "Qxq rang."),
                   {"id": "a", "kind": "technical", "grounds": "x", "criteria": [{"key": "k", "evidence": "x"}]},
                   today=TODAY)
    return frozenset(re.findall(r"\w+", " ".join(page_texts(build_report(data).pdf)).casefold()))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(given_name=names, family=names, street=names, town=st.sampled_from(["Nuneaton", "Bedworth", "Hope"]))
def test_random_names_and_addresses_do_not_survive_in_the_pdf(given_name: str, family: str, street: str,
                                                             town: str) -> None:
    words = {w.casefold() for w in re.split(r"[\s\-']+", f"{given_name} {family} {street} {town}") if len(w) > 1}
    assume(not words & MARKERS and not words & fixed_words())
    text = (f"{given_name} {family} of 7 {street} Road, {town} CV31 1AA rang; {family.upper()}'s son said "
            f"{given_name.lower()} was born 02/01/1950.")
    data = compose(_synthetic_detail(given_name, family, street, town, text),
                   {"id": "a", "kind": "technical", "grounds": text, "criteria": [{"key": "k", "evidence": text}]},
                   today=TODAY)
    shown = " ".join(page_texts(build_report(data).pdf)).casefold()
    for word in words:
        assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", shown), (word, shown)
    assert "cv31 1aa" not in shown and "1950" not in shown


# -- the service and the verb --------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, list[str]]:
    path = tmp_path / "cli.heartdb"
    with Store.open(path, PASSPHRASE, create=True, kdf_iter=None, officer="Priya Officer") as store:
        case_id = identified_case(store)
        lodge_appeal(store, case_id)
        reference = store.cases.get(case_id)["reference"]
        photos = [a["id"] for a in store.attachments.for_case(case_id) if a["kind"] == "photo"]
    monkeypatch.setenv("HEART_PASSPHRASE", PASSPHRASE)
    return path, reference, photos


def test_the_verb_writes_the_report_and_records_the_export(db: tuple[Path, str, list[str]], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path, reference, photos = db
    out = tmp_path / "panel.pdf"
    assert main(["appeal-report", "--db", str(path), "--case", reference, "--out", str(out), "--photo", photos[1],
                 "--today", "2026-06-01", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["out"] == str(out) and report["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert report["pages"] >= 3 and report["masked"]["name"] > 0 and report["masked_total"] == sum(
        report["masked"].values())
    assert [p["id"] for p in report["photos"]] == [photos[1]]
    assert report["photos"][0]["confirmed"] == "shows no faces and no house numbers"
    assert leaks(" ".join(page_texts(out.read_bytes()))) == []
    with Store.open(path, PASSPHRASE) as store:
        case = store.cases.by_reference(reference)
        entry = next(e for e in store.audit.read(case_id=case["id"]) if e["action"] == "export")
        assert entry["entity"] == "appeal_report" and "12.20" in entry["reason"]
        assert entry["detail"]["sha256"] == report["sha256"] and entry["detail"]["masked"] == report["masked"]
        shown = entry["detail"]["photos"]
        assert [(p["id"], p["confirmed_by"]) for p in shown] == [(photos[1], entry["officer"])]  # who ran it
        assert shown[0]["confirmed_at"].startswith("2026-06-01")


def test_without_photo_the_report_has_no_photos(db: tuple[Path, str, list[str]], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path, reference, _ = db
    out = tmp_path / "panel.pdf"
    assert main(["appeal-report", "--db", str(path), "--case", reference, "--out", str(out),
                 "--today", "2026-06-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["photos"] == []
    assert not [e for e in structure(out.read_bytes()) if e["role"] == "/Figure"]
    assert "Photos the officer chose" not in " ".join(page_texts(out.read_bytes()))


def test_plain_refusals_exit_2_naming_what_to_put_right(db: tuple[Path, str, list[str]], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path, reference, _ = db
    out = tmp_path / "panel.pdf"
    assert main(["appeal-report", "--db", str(path), "--case", reference, "--out", str(out), "--photo",
                 "not-a-photo"]) == 2
    assert "photo: 'not-a-photo' is not a photo of this case" in capsys.readouterr().err and not out.exists()
    assert main(["appeal-report", "--db", str(path), "--case", "WDC/26/99999", "--out", str(out)]) == 2
    assert "--case: there is no case WDC/26/99999" in capsys.readouterr().err
    assert main(["appeal-report", "--db", str(path), "--case", reference, "--out", str(tmp_path / "x.txt")]) == 2
    assert "--out" in capsys.readouterr().err
    with Store.open(path, PASSPHRASE) as store:
        assert not [e for e in store.audit.read() if e["action"] == "export"]  # nothing was exported


def test_a_case_with_no_appeal_is_refused_and_nothing_exported(tmp_path: Path) -> None:
    bench = Workbench(tmp_path / "s.heartdb", officer="Priya Officer")
    bench.store = Store.open(bench.path, PASSPHRASE, officer="Priya Officer", create=True, kdf_iter=1000)
    try:
        case_id = identified_case(bench.store, decided=False, photos=0)
        assert appeal_report.refusal(bench, case_id) == "the case has no appeal: lodge the appeal first (policy 12.10)"
        with pytest.raises(ReportRefused, match="cannot have the anonymised appeal report yet"):
            appeal_report.make(bench, case_id, today=TODAY)
        assert not [e for e in bench.store.audit.read() if e["action"] == "export"]
    finally:
        bench.close()


def test_a_photo_may_be_named_by_the_start_of_its_sha256(tmp_path: Path) -> None:
    bench = Workbench(tmp_path / "s.heartdb", officer="Priya Officer")
    bench.store = Store.open(bench.path, PASSPHRASE, officer="Priya Officer", create=True, kdf_iter=1000)
    try:
        case_id = identified_case(bench.store, photos=2)
        lodge_appeal(bench.store, case_id)
        digest = bench.store.attachments.for_case(case_id)[0]["sha256"]
        made = appeal_report.make(bench, case_id, today=TODAY, photos=[digest[:10], digest[:12]],
                                  at=datetime(2026, 6, 1, 9, 30))
        assert [p["sha256"] for p in made["photos"]] == [digest]  # named twice, included once
        assert made["photos"][0]["confirmed_at"] == "2026-06-01T09:30:00"
    finally:
        bench.close()


def test_a_photo_goes_in_as_its_pixels_alone(tmp_path: Path) -> None:
    """Whatever a photo's file carries (EXIF with a GPS position and a description naming the
    street), the report embeds its pixels only."""
    from PIL import Image

    picture = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010E] = "14 Rose Street Kenilworth"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (52.0, 20.0, 30.0)}  # GPSInfo
    raw = io.BytesIO()
    picture.save(raw, format="JPEG", exif=exif, comment=b"Larkspur House")
    assert b"Rose Street" in raw.getvalue()
    detail = _synthetic_detail("Edna", "Quill", "Elm", "Nuneaton", "A note.")
    detail["attachments"] = [{"id": "p1", "kind": "photo", "sha256": "ab" * 32, "caption": "The bath"}]
    data = compose(detail, None, today=TODAY, photos=[("p1", "Priya Officer", CONFIRMED)],
                   loader=lambda _digest: raw.getvalue())
    pdf = build_report(data).pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        streams = b"".join(obj.read_raw_bytes() for obj in document.objects if isinstance(obj, pikepdf.Stream))
    assert b"Rose Street" not in streams and b"Larkspur" not in streams and b"Exif" not in streams
    assert [e["alt"] for e in structure(pdf) if e["role"] == "/Figure"] == ["The bath"]


def test_a_case_closed_as_refused_without_a_decision_row_shows_its_outcome(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.heartdb", PASSPHRASE, create=True, kdf_iter=1000, officer="Priya Officer") as s:
        case_id = identified_case(s, decided=False, photos=0)
        data = compose(s.cases.detail(case_id, audit=False), appeal(case_id), today=TODAY)
    text = data.text()
    assert "the case was closed as refused" in text and "Closed on the refusal:" in text
    assert leaks(text) == []
