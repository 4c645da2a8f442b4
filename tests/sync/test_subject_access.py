"""Subject access at the office (issue 20): a person seeded across cases (the customer of two, a
household member of a third) with forms, notes, contacts, decisions, letters and photos; the ZIP
holds every one of them, the files whole, each case's audit trail, a readable index, and nothing
of another person; a name that may be two people is refused until a date of birth says which."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from sync_server import Server
from test_casework_office import DAY, ENQUIRY, bench_for
from test_files import photo

from heart_desktop.central.audit import OFFICE
from heart_desktop.central.cli import main as central
from heart_desktop.central.db import CentralDatabase
from heart_desktop.services import casework
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store
from heart_desktop.sync.client import sync_once

DOB = "1950-03-14"


def _pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _case(bench: Workbench, name: str, dob: str, marker: str, seed: int) -> dict[str, str]:
    """A case for ``name`` with one of every kind of record, each carrying ``marker``."""
    store = bench._store()
    case = casework.new_enquiry(bench, {**ENQUIRY, "customer": {"name": name, "date_of_birth": dob}}, today=DAY,
                                force=True)
    case_id = case["id"]
    made = {"case": case_id, "reference": case["reference"]}
    made["note"] = store.notes.add(case_id, f"Note {marker}: prefers morning visits")
    made["contact"] = casework.log_contact(bench, case_id, at=datetime(2026, 11, 28, 10, 0), kind="call",
                                           direction="in", who=name, summary=f"Call {marker} about the stairs",
                                           today=DAY)
    made["form"] = store.forms.start(case_id, "ot_assessment", "1", {"notes": f"Form {marker}"})
    made["decision"] = store.decisions.insert({"case_id": case_id, "kind": "eligibility", "outcome": "eligible",
                                               "reasons": [f"Decision {marker}"]})
    made["letter"] = store.documents.add(case_id, "letter_acknowledgement", f"Acknowledgement {marker}",
                                         _pdf(f"Letter {marker}"))
    made["photo"] = store.attachments.add(case_id, photo(seed), caption=f"Stairs {marker}")
    store.cases.detail(case_id, reason=f"checking {marker}")
    return made


class _Index(HTMLParser):
    """What the index is made of: its language, headings and table header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.lang, self.headings, self.header_cells, self.tables, self._tag = None, [], 0, 0, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag == "th":
            assert dict(attrs).get("scope") in ("col", "row")
            self.header_cells += 1
        elif tag == "table":
            self.tables += 1

    def handle_data(self, data: str) -> None:
        if self._tag in ("h1", "h2", "h3") and data.strip():
            self.headings.append((self._tag, data.strip()))


def test_the_zip_holds_everything_of_the_person_and_nothing_of_another(
        laptop: Callable[..., Store], server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = laptop("one", "A. Okafor", ("WDC",))
    bench = bench_for(store, tmp_path)
    first = _case(bench, "Edna Fairweather", DOB, "EDNA-ONE", 1)
    second = _case(bench, "Edna Fairweather", DOB, "EDNA-TWO", 2)
    other = _case(bench, "Stan Hope", "1948-07-01", "STAN-ONLY", 3)
    # Edna is in Stan's household too; one note of his case names her, another does not
    store.people.insert({"case_id": other["case"], "is_applicant": False, "given_name": "Edna",
                         "family_name": "Fairweather", "date_of_birth": DOB, "relationship": "sister"})
    naming = store.notes.add(other["case"], "Edna Fairweather rang on his behalf (EDNA-IN-STAN)")
    namesake = _case(bench, "Edna Fairweather", "1990-01-01", "NAMESAKE", 4)  # another person, same name
    report = sync_once(store)
    assert report.refused == [] and report.files_sent == 8 and report.audit_problem is None
    out = tmp_path / "edna.zip"

    # the name alone may be two people: refused, listing the cases, asking for the date of birth
    assert central(["subject-access", "--db", server.db_url, "--name", "Edna Fairweather", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--date-of-birth" in err and namesake["reference"] in err and not out.exists()

    assert central(["subject-access", "--db", server.db_url, "--name", "edna  fairweather", "--date-of-birth", DOB,
                    "--out", str(out), "--json", "--by", "IT (J. Bloggs)"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [c["reference"] for c in summary["cases"]] == [first["reference"], second["reference"],
                                                          other["reference"]]
    assert [c["roles"] for c in summary["cases"]] == [["customer"], ["customer"], ["household member"]]
    assert [m["reference"] for m in summary["not_included"]] == [namesake["reference"]]
    assert summary["files"] == 4 and summary["cases"][0]["files_not_held"] == 0

    assert out.stat().st_mode & 0o777 == 0o600  # it names the person: readable by its owner only
    archive = zipfile.ZipFile(out)
    data = json.loads(archive.read("data.json"))
    index = archive.read("index.html").decode("utf-8")
    everything = index + json.dumps(data, ensure_ascii=False)
    by_ref = {c["reference"]: c for c in data["cases"]}
    for made, marker in ((first, "EDNA-ONE"), (second, "EDNA-TWO")):
        case = by_ref[made["reference"]]
        ids = {entity: {r["id"] for r in rows} for entity, rows in case["records"].items()}
        assert made["note"] in ids["note"] and made["contact"] in ids["contact"]
        assert made["form"] in ids["form_submission"] and made["decision"] in ids["decision"]
        assert made["letter"] in ids["document"] and made["photo"] in ids["attachment"]
        assert {"case", "person", "property"} <= set(ids)
        for what in ("Note", "Call", "Form", "Decision", "Acknowledgement", "Stairs"):
            assert f"{what} {marker}" in index, what
        files = {f["id"]: f for f in case["files"]}
        letter, picture = files[made["letter"]], files[made["photo"]]
        pdf = PdfReader(io.BytesIO(archive.read(letter["path"])))
        assert pdf.metadata.title == f"Letter {marker}"
        assert archive.read(picture["path"]) == store.attachments.content(made["photo"])
        trail = case["audit"]
        assert any(e["action"] == "view" and e["reason"] == f"checking {marker}" for e in trail)
        assert {e["officer"] for e in trail} == {"A. Okafor"}
    household = by_ref[other["reference"]]
    assert {r["id"] for r in household["records"]["note"]} == {naming}
    assert [p["given_name"] for p in household["records"]["person"]] == ["Edna"]
    assert "attachment" not in household["records"] and household["files"] == []
    # nothing of another person: not Stan's records, not the namesake's
    for marker in ("STAN-ONLY", "NAMESAKE", "Stan", "Hope", "1990-01-01", namesake["case"], namesake["reference"]):
        assert marker not in everything, marker
    assert "EDNA-IN-STAN" in index
    names = set(archive.namelist())
    assert names == {"index.html", "data.json", *(f["path"] for c in data["cases"] for f in c["files"])}

    if os.environ.get("SHOT_DIR"):  # to look at the index
        (Path(os.environ["SHOT_DIR"]) / "subject-access-index.html").write_text(index, encoding="utf-8")
    page = _Index()
    page.feed(index)
    assert page.lang == "en-GB" and page.headings[0] == ("h1", "Information held about Edna Fairweather")
    assert ("h2", f"Case {first['reference']}") in page.headings and ("h3", "Notes") in page.headings
    assert page.tables >= 10 and page.header_cells >= 40

    with CentralDatabase(server.db_url).transaction() as tx:
        action, officer, detail = tx.one("SELECT action, officer, detail FROM audit_entries WHERE device_id = ? "
                                         "ORDER BY seq DESC LIMIT 1", (OFFICE,))
    assert (action, officer) == ("subject_access", "IT (J. Bloggs)")
    assert json.loads(detail)["cases"] == [first["reference"], second["reference"], other["reference"]]


def test_a_name_held_nowhere_and_bad_input(laptop: Callable[..., Store], server: Server, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nobody.zip"
    assert central(["subject-access", "--db", server.db_url, "--name", "Nobody Known", "--out", str(out),
                    "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == []
    assert "holds no case naming this person" in zipfile.ZipFile(out).read("index.html").decode()
    assert central(["subject-access", "--db", server.db_url, "--name", "X Y", "--date-of-birth", "14/03/1950",
                    "--out", str(out)]) == 2
    assert "--date-of-birth" in capsys.readouterr().err
    assert central(["subject-access", "--db", server.db_url, "--name", "X Y", "--out", str(tmp_path / "x.pdf")]) == 2
    assert ".zip" in capsys.readouterr().err
    assert date.fromisoformat(DOB)  # the fixed date the seeds use
