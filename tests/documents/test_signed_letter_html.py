"""A signed letter's HTML copy says "Signed by … on …" as its frozen PDF does: through the service
(read back with an HTML parser), the ``letter --sign --html`` verb, and refused once the case no
longer shows what was signed. The day is given."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cases import make_case
from pdftext import page_texts

from heart_desktop.cli import main
from heart_desktop.documents.letters import LetterRefused
from heart_desktop.services import letters
from heart_desktop.services.workbench import Workbench
from heart_desktop.store import Store

DAY = date(2026, 3, 5)
SIGNED = {"method": "by_name", "signed_at": "2026-03-05T10:00:00"}
SAID = re.compile(r"Signed by (.+?) on (\d\d/\d\d/\d{4})(?: \d\d:\d\d)? \((.+?)\)")


class SignedText(HTMLParser):
    """The words of the paragraphs whose class is ``signed-text``."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and "signed-text" in (dict(attrs).get("class") or "").split():
            self._in = True
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.found[-1] += data


def signed_lines(html: str) -> list[str]:
    parser = SignedText()
    parser.feed(html)
    return [" ".join(line.split()) for line in parser.found]


@pytest.fixture
def bench(store: Store, tmp_path: Path) -> Workbench:
    bench = Workbench(tmp_path / "unused.heartdb", officer=store.officer)
    bench.store = store
    return bench


def test_the_signed_letters_html_copy_names_the_signer_and_the_date(bench: Workbench, store: Store,
                                                                     case_id: str) -> None:
    assert signed_lines(letters.html_copy(bench, case_id, "acknowledgement", today=DAY)) == []  # a preview
    made = letters.sign(bench, case_id, "acknowledgement", SIGNED, today=DAY)
    html = letters.html_copy(bench, case_id, "acknowledgement", today=date(2026, 3, 9),
                             document_id=made["document"]["id"])
    [line] = signed_lines(html)
    found = SAID.fullmatch(line)
    assert found is not None, line
    assert found.groups() == (store.officer, "05/03/2026", "signed by name")
    assert "Date: 5 March 2026" in html  # the letter's date, not the day of the copy
    pdf_words = " ".join(" ".join(page_texts(made["pdf"])).split())
    assert line in pdf_words  # the same words as the signed PDF
    exports = [e for e in store.audit.read(case_id) if e["action"] == "export"]  # newest first
    assert exports[0]["detail"] == {"kind": "letter_acknowledgement_html", "document_id": made["document"]["id"]}


def test_no_html_copy_of_a_signed_letter_once_the_case_shows_something_else(bench: Workbench, store: Store,
                                                                             case_id: str) -> None:
    made = letters.sign(bench, case_id, "acknowledgement", SIGNED, today=DAY)
    store.cases.update(case_id, {"contact_preference": "advocate", "advocate": "Jo Fairweather (daughter)"})
    with pytest.raises(LetterRefused, match=r"changed since the .* was signed.*sign a new version"):
        letters.html_copy(bench, case_id, "acknowledgement", today=DAY, document_id=made["document"]["id"])
    with pytest.raises(LetterRefused, match="no signed acknowledgement letter"):
        letters.html_copy(bench, case_id, "acknowledgement", today=DAY, document_id="not-a-letter")


def test_the_verb_writes_the_signed_html_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.heartdb"
    with Store.open(path, "signed html", create=True, kdf_iter=None, officer="Priya Officer") as store:
        reference = store.cases.get(make_case(store, photos=0))["reference"]
    monkeypatch.setenv("HEART_PASSPHRASE", "signed html")
    out, html = tmp_path / "ack.pdf", tmp_path / "ack.html"
    assert main(["letter", "--db", str(path), "--case", reference, "--kind", "acknowledgement", "--out", str(out),
                 "--html", str(html), "--today", "2026-03-05", "--sign", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["signed"] is True
    with Store.open(path, "signed html") as store:
        signer = store.documents.get(report["document_id"])["signatures"][0]["name"]
    [line] = signed_lines(html.read_text(encoding="utf-8"))
    found = SAID.fullmatch(line)
    assert found is not None and found.groups()[:2] == (signer, "05/03/2026"), line
    assert line in " ".join(" ".join(page_texts(out.read_bytes())).split())  # as the signed PDF says it
