"""The pack is accessible (issue 17): a tagged PDF (PDF/UA-1) whose structure tree has headings in
order, tables with header cells, lists, figures with alternative text (the officer's captions, the
signers' names), footers as artifacts, the language and the title; text sizes as drawn (at least
9 pt, body 11 pt; at least 16 pt in large print); and an HTML copy of the same documents.

No PDF/UA validator installs from the package registries here (veraPDF is Java), so the checks
are made on the structure tree itself with pikepdf, and ``pdfinfo`` must say it is tagged."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from cases import make_case, signature
from pdftext import descendants, font_sizes, page_texts, structure

from heart_desktop.documents.model import LARGE, STANDARD, from_store
from heart_desktop.documents.pack import DOCUMENTS, build_pack, pack_html
from heart_desktop.documents.signing import _signatures
from heart_desktop.store import Store

SIGNERS = [signature("applicant", "Edna Fairweather"), signature("officer", "Priya Officer", 0.05)]


@pytest.fixture
def signed_data(store: Store, case_id: str) -> Any:
    return from_store(store, case_id).with_signatures(_signatures(SIGNERS))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One signed case laid out in both print sizes (layout is the slow part: done once)."""
    folder = tmp_path_factory.mktemp("accessible")
    with Store.open(folder / "store.heartdb", "pack tests", create=True, kdf_iter=1000, officer="Priya Officer") as s:
        case_id = make_case(s)
        data = from_store(s, case_id).with_signatures(_signatures(SIGNERS))
        captions = [a["caption"] for a in s.attachments.for_case(case_id) if a["kind"] == "photo"]
        return {"data": data, "captions": captions, STANDARD: build_pack(data.with_print_size(STANDARD)),
                LARGE: build_pack(data.with_print_size(LARGE))}


@pytest.mark.parametrize("size", [STANDARD, LARGE])
def test_tagged_with_language_title_and_pdfua_identification(built: dict[str, Any], size: str) -> None:
    pack = built[size]
    with pikepdf.open(io.BytesIO(pack.pdf)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        title = f"HEART application pack {built['data'].reference}"
        assert str(pdf.docinfo["/Title"]) == title
        xmp = str(pdf.open_metadata())
        assert f">{title}</rdf:li>" in xmp and "dc:title" in xmp
        assert 'pdfuaid:part="1"' in xmp


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is installed by scripts/setup.sh test")
def test_pdfinfo_says_tagged(built: dict[str, Any], tmp_path: Path) -> None:
    for size in (STANDARD, LARGE):
        path = tmp_path / f"{size}.pdf"
        path.write_bytes(built[size].pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info


@pytest.mark.parametrize("size", [STANDARD, LARGE])
def test_every_figure_has_alternative_text_from_captions_and_signers(built: dict[str, Any], size: str) -> None:
    tree = structure(built[size].pdf)
    figures = [e for e in tree if e["role"] == "/Figure"]
    assert figures and all(e["alt"] and e["alt"].strip() for e in figures), figures
    alts = {e["alt"] for e in figures}
    assert set(built["captions"]) <= alts  # each photo says what the officer wrote, never a file name
    assert {"Signature of Edna Fairweather", "Signature of Priya Officer"} <= alts
    assert not any(alt.lower().endswith((".jpg", ".jpeg", ".png")) for alt in alts)


@pytest.mark.parametrize("size", [STANDARD, LARGE])
def test_every_table_has_header_cells_that_say_what_they_head(built: dict[str, Any], size: str) -> None:
    tree = structure(built[size].pdf)
    tables = [i for i, e in enumerate(tree) if e["role"] == "/Table"]
    assert len(tables) >= 10
    for index in tables:
        cells = [e for e in descendants(tree, index) if e["role"] in ("/TH", "/TD")]
        headers = [e for e in cells if e["role"] == "/TH"]
        assert headers, f"table {index} has no header cell"
        for header in headers:
            expected = "/Column" if "/THead" in header["ancestors"] else "/Row"
            assert header["scope"] == expected


def test_headings_lists_and_sections_make_the_reading_order(built: dict[str, Any]) -> None:
    tree = structure(built[STANDARD].pdf)
    roles = [e["role"] for e in tree]
    sections = [e for e in tree if e["role"] == "/Sect" and e["ancestors"] == ("", "/Document")]
    assert len(sections) >= len(DOCUMENTS)  # a document running onto a second page continues its section
    assert roles.count("/H1") >= len(DOCUMENTS)
    level = 0
    for role in roles:  # never a skipped level (H1 then H3)
        if re.fullmatch(r"/H[1-6]", role):
            new = int(role[2])
            assert new <= level + 1 or new == 1, roles
            level = new
    lists = [e for e in tree if e["role"] == "/L"]
    assert lists and all("/LI" in e["kids"] for e in lists)
    assert "/Link" in roles  # the contents link to each document


@pytest.mark.parametrize("size", [STANDARD, LARGE])
def test_footers_are_pagination_artifacts_and_every_tag_hangs_from_the_tree(built: dict[str, Any],
                                                                          size: str) -> None:
    with pikepdf.open(io.BytesIO(built[size].pdf)) as pdf:
        for page in pdf.pages:
            assert b"/Artifact\n<</Type /Pagination>>" in page.Contents.read_bytes()
        reachable = set()
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            reachable.add(element.objgen)
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else []:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                    stack.append(kid)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        for index in range(1, len(nums), 2):
            owners = nums[index] if isinstance(nums[index], pikepdf.Array) else [nums[index]]
            for owner in owners:
                assert owner is None or owner.objgen in reachable


def test_text_sizes_nothing_under_9_body_11_large_print_16(built: dict[str, Any]) -> None:
    standard = font_sizes(built[STANDARD].pdf)
    assert min(standard) >= 9, standard
    assert standard.most_common(1)[0][0] >= 11  # the body text
    assert sum(n for size, n in standard.items() if size < 11) < 0.35 * sum(standard.values())  # notes, footers
    large = font_sizes(built[LARGE].pdf)
    assert min(large) >= 16, large


def test_large_print_is_reflowed_not_scaled(built: dict[str, Any]) -> None:
    standard, large = built[STANDARD], built[LARGE]
    assert large.print_size == LARGE and large.pages > standard.pages
    with pikepdf.open(io.BytesIO(large.pdf)) as pdf:
        assert all([round(float(v)) for v in page.MediaBox] == [0, 0, 595, 842] for page in pdf.pages)  # A4
    text = " ".join(page_texts(large.pdf))
    for module in DOCUMENTS:
        assert module.TITLE in text
    assert "Signed by Edna Fairweather on 02/03/2026 11:30" in text
    assert "Works item 5: level access shower" in text and "Room 5: 1 item at" in text  # the schedule in words
    assert large.pack_id != standard.pack_id and large.fingerprint == standard.fingerprint


def test_signatures_are_said_in_words(built: dict[str, Any]) -> None:
    text = " ".join(page_texts(built[STANDARD].pdf))
    assert "Signed by Edna Fairweather on 02/03/2026 11:30" in text
    assert "Signed by Priya Officer on 02/03/2026 11:30" in text


def test_large_print_same_data_same_bytes(signed_data: Any) -> None:
    large = signed_data.with_print_size(LARGE)
    assert build_pack(large).pdf == build_pack(large).pdf


def test_a_photo_without_caption_says_so_never_its_file_name(store: Store) -> None:
    from cases import photo

    case_id = make_case(store, photos=0)
    store.attachments.add(case_id, photo(90), filename="IMG_2041.jpg")
    built = build_pack(from_store(store, case_id), only=["hhsrs"])
    alts = [e["alt"] for e in structure(built.pdf) if e["role"] == "/Figure"]
    assert alts == ["Photo 1 of the visit (no caption was given)"]
    assert "IMG_2041" not in " ".join(page_texts(built.pdf))


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_html_copy_has_the_language_headings_tables_and_photos_inside(signed_data: Any) -> None:
    html = pack_html(signed_data)
    assert html.startswith("<!DOCTYPE html>")
    parsed = _Outline()
    parsed.feed(html)
    tags = parsed.tags
    assert ("html", {"lang": "en-GB", "class": "screen"}) in tags
    assert f"<title>HEART application pack {signed_data.reference}</title>" in html
    assert sum(1 for tag, _ in tags if tag == "h1") >= len(DOCUMENTS)
    assert any(tag == "th" and attrs.get("scope") == "col" for tag, attrs in tags)
    images = [attrs for tag, attrs in tags if tag == "img"]
    assert len(images) == len(signed_data.photos)
    assert all(str(a["src"]).startswith("data:image/") and a.get("alt") for a in images)
    assert {a["alt"] for a in images} == {p.caption for p in signed_data.photos}
    assert not re.search(r'(src|href)="(https?|file|heart-file):', html)  # stands alone: nothing fetched
    assert "Signed by Edna Fairweather on 02/03/2026 11:30" in html
    assert pack_html(signed_data) == html
