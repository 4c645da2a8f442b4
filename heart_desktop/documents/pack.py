"""The whole application pack in one call: one tagged PDF, a bookmark per document, every page footed.

``build_pack(data)`` lays out the documents in order, each starting on a new page, and reports
each document's page range, so the UI can print one document alone. Each document is a
``<section>`` of one HTML page (``render``); its footer (case, document, "page n of m" within
the document, pack page, version, pack identifier) is a named page of the stylesheet made here,
so the pack is laid out once. The same data (and the same signatures, and print size) always
gives the same bytes: the date shown is the date of the data, and the PDF's identifier and the
one in the footer are hashes of the data. ``pack_html`` is the HTML copy of the same documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from heart_desktop import __version__
from heart_desktop.documents import (
    application,
    certificates,
    conditions,
    consent,
    cover,
    hhsrs_report,
    ot_recommendation,
    render,
    safety_check,
    works,
)
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, css_string, h, join

DOCUMENTS: tuple[ModuleType, ...] = (cover, application, certificates, conditions, works, hhsrs_report, safety_check,
                                     ot_recommendation, consent)
KEYS: tuple[str, ...] = tuple(m.KEY for m in DOCUMENTS)
PACK_TITLE = "HEART application pack"


@dataclass(frozen=True)
class BuiltPack:
    pdf: bytes
    sha256: str
    fingerprint: str
    pack_id: str
    pages: int
    ranges: dict[str, tuple[int, int]]  # document key -> first and last page, 1-based
    titles: dict[str, str]
    print_size: str = render.STANDARD


def _chosen(only: Sequence[str] | None) -> list[ModuleType]:
    unknown = set(only or ()) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown document {sorted(unknown)[0]!r}; use one of {', '.join(KEYS)}")
    return [m for m in DOCUMENTS if only is None or m.KEY in only]


def _sections(chosen: Sequence[ModuleType], data: PackData) -> Safe:
    present = {m.KEY for m in chosen}
    contents = [(m.TITLE, f"doc-{m.KEY}" if m.KEY in present else "") for m in DOCUMENTS if m is not cover]
    sections = []
    for module in chosen:
        render_story: Callable[..., Safe] = module.story
        body = render_story(data, contents) if module is cover else render_story(data)
        sections.append(h("section", body, h("span", "", id=f"end-{module.KEY}", class_="end"),
                          id=f"doc-{module.KEY}", class_=f"document document-{module.KEY}",
                          data_title=module.TITLE, aria_label=module.TITLE))
    return join(sections)


def footer_css(chosen: Sequence[ModuleType], data: PackData) -> str:
    """Each document's pages: a named page whose footer names the case and the document and counts
    the document's own pages (reset on its first page, totalled at its end) and the pack's. In
    large print the case, document and page go at the top and the pack's details at the foot, so
    16 pt fits in the margins."""
    pack_line = f"HEART Desktop {__version__}  ·  pack {data.pack_id[:12]}"
    rules = []
    for module in chosen:
        name = f"doc-{module.KEY}"
        document = css_string(f"{data.reference}  ·  {module.TITLE}")
        page = f"'Page ' counter(docpage) ' of ' target-counter(url(#end-{module.KEY}), docpage)"
        pack_page = "'Pack page ' counter(page) ' of ' counter(pages)"
        if data.large_print:
            boxes = (f"  @top-left {{ content: {document}; }}\n  @top-right {{ content: {page}; }}\n"
                     f"  @bottom-left {{ content: {css_string(f'{PACK_TITLE}  ·  {data.council_name}')} '\\A' "
                     f"{css_string(pack_line)}; }}\n  @bottom-right {{ content: {pack_page}; }}\n")
        else:
            boxes = (f"  @bottom-left {{ content: {document} '\\A' "
                     f"{css_string(f'{PACK_TITLE}  ·  {data.council_name}')} '\\A' {css_string(pack_line)}; }}\n"
                     f"  @bottom-right {{ content: {page} '\\A' {pack_page}; }}\n")
        rules.append(f".document-{module.KEY} {{ page: {name}; }}\n"
                     f"@page :nth(1 of {name}) {{ counter-reset: docpage 0; }}\n"
                     f"@page {name} {{ counter-increment: page docpage;\n{boxes}}}\n")
    return "".join(rules)


def _files(data: PackData) -> dict[str, bytes]:
    return {photo.sha256: photo.data for photo in data.photos if photo.data}


def build_pack(data: PackData, only: Sequence[str] | None = None) -> BuiltPack:
    """Lay out the pack (or only the named documents, in pack order) as PDF bytes, in the data's
    print size (``data.with_print_size`` chooses another)."""
    chosen = _chosen(only)
    title = f"{PACK_TITLE} {data.reference}"
    html = render.page(title, _sections(chosen, data), medium=data.print_size)
    out = render.pdf(html, identifier=data.pack_id, medium=data.print_size, extra_css=footer_css(chosen, data),
                     files=_files(data))
    ranges: dict[str, tuple[int, int]] = {}
    for module in chosen:
        first = out.anchors.get(f"doc-{module.KEY}", 0)
        ranges[module.KEY] = (first, max(first, out.anchors.get(f"end-{module.KEY}", first)))
    return BuiltPack(pdf=out.pdf, sha256=hashlib.sha256(out.pdf).hexdigest(), fingerprint=data.fingerprint,
                     pack_id=data.pack_id, pages=out.pages, ranges=ranges,
                     titles={m.KEY: m.TITLE for m in chosen}, print_size=data.print_size)


def pack_html(data: PackData, only: Sequence[str] | None = None) -> str:
    """The HTML copy of the pack: the same documents as one standalone page (photos inside it), for
    a customer who reads with their own software; the reader's browser chooses the text size."""
    chosen = _chosen(only)
    about = h("p", f"{PACK_TITLE} for case {data.reference}  ·  {data.council_name}  ·  HEART Desktop {__version__}"
                   f"  ·  pack {data.pack_id[:12]}  ·  information as at {data.as_at:%d/%m/%Y}", class_="footer")
    body = join([h("main", _sections(chosen, data)), h("footer", about)])
    return render.standalone(render.page(f"{PACK_TITLE} {data.reference}", body, medium="screen"), _files(data))
