"""The rendering layer every customer document uses: a data model, then HTML, then a tagged PDF.

A document module turns its part of the data model into HTML fragments with :func:`h` (which
escapes every value it is given, so case data never becomes markup); :func:`page` wraps them in
the skeleton of ``resources/documents/document.html`` with the print stylesheet (standard or
large print) or the screen one (the HTML copy); :func:`pdf` lays the page out with WeasyPrint as
PDF/UA-1: a structure tree (headings, tables with header cells, lists, figures with their
alternative text), ``/Lang``, the title shown in the window and the XMP title. Borders and
backgrounds are artifacts; the running footers are made artifacts here (:func:`_footers_as_artifacts`).

The same HTML always gives the same bytes: the PDF's identifier is given by the caller (a hash of
the data), no date is written, and the fonts are the bundled DejaVu files, never the system's.
Nothing here imports Qt or knows about cases, so a letter uses it as the pack does.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from heart_desktop.paths import resources_dir

LANG = "en-GB"
STANDARD, LARGE = "standard", "large"
PRINT_SIZES = (STANDARD, LARGE)


class Safe(str):
    """Text that is already HTML (made by :func:`h` or :func:`esc`): inserted as it is."""

    __slots__ = ()


def esc(value: Any) -> Safe:
    """A value as HTML text: escaped, newlines kept as line breaks; ``Safe`` passes through."""
    if isinstance(value, Safe):
        return value
    return Safe(escape("" if value is None else str(value)).replace("\n", "<br>"))


def join(parts: Iterable[Any]) -> Safe:
    return Safe("".join(esc(p) for p in parts))


_VOID = frozenset({"br", "img", "meta", "link", "col", "hr"})


def h(tag: str, *children: Any, **attrs: Any) -> Safe:
    """An element: ``h("td", "£5", class_="num")``; ``class_`` is ``class``, ``data_x`` is
    ``data-x``, a ``None`` or ``False`` attribute is left out, ``True`` is written bare."""
    out = [f"<{tag}"]
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        out.append(f" {name}" if value is True else f' {name}="{escape(str(value), quote=True)}"')
    out.append(">")
    if tag in _VOID:
        return Safe("".join(out))
    out.extend(esc(child) for child in children if child is not None)
    out.append(f"</{tag}>")
    return Safe("".join(out))


def css_string(value: Any) -> str:
    """A CSS string literal (for generated content such as the footers)."""
    text = " ".join(str(value).split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _template_dir() -> Path:
    return resources_dir() / "documents"


@lru_cache(maxsize=8)
def _read(name: str) -> str:
    return (_template_dir() / name).read_text(encoding="utf-8")


def stylesheet(medium: str) -> str:
    """The CSS of a medium: ``standard`` or ``large`` print, or ``screen`` (the HTML copy)."""
    if medium == "screen":
        return _read("screen.css")
    base = _read("print.css")
    return base + "\n" + _read("large.css") if medium == LARGE else base


def page(title: str, body: Any, medium: str = STANDARD, extra_css: str = "") -> str:
    """A whole HTML document: the skeleton, the language, the title and the medium's stylesheet.

    For print the stylesheet is passed to :func:`pdf` separately (parsed once per process); the
    HTML copy carries its stylesheet inside, so the file stands alone."""
    css = stylesheet("screen") + extra_css if medium == "screen" else extra_css
    return Template(_read("document.html")).substitute(
        lang=LANG, title=escape(title), css=css, medium=medium, body=esc(body))


FILE_SCHEME = "heart-file:"


def file_url(name: str) -> str:
    """The address a document gives a file it shows (a photo), served from the ``files`` given
    to :func:`pdf` or :func:`standalone`: nothing is ever fetched from a disk path or a network."""
    return FILE_SCHEME + name


def _mime(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    return "application/octet-stream"


_FILE_SRC = re.compile(r'src="' + re.escape(FILE_SCHEME) + r'([0-9A-Za-z._-]+)"')


def standalone(html: str, files: Mapping[str, bytes]) -> str:
    """The HTML copy as one file: each file it shows written into it as a ``data:`` address."""
    def inline(match: re.Match[str]) -> str:
        data = files.get(match.group(1), b"")
        return f'src="data:{_mime(data)};base64,{base64.b64encode(data).decode()}"'

    return _FILE_SRC.sub(inline, html)


def _fetcher(files: Mapping[str, bytes]) -> Any:
    """Serves the bundled fonts and templates (``file:``) and the given files, and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(FILE_SCHEME):
                data = files[url.removeprefix(FILE_SCHEME)]
                return URLFetcherResponse(url, data, {"Content-Type": _mime(data)})
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols=("file", "data"))


def warm_up() -> None:
    """Load WeasyPrint, the fonts and the stylesheets now (about a second, once per process), so the
    first document the officer asks for is not slower than the rest."""
    _html_class()
    for medium in PRINT_SIZES:
        _print_css(medium)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # element id -> the page (1-based) it is on


@lru_cache(maxsize=1)
def _fonts() -> Any:
    """One font configuration for the process (the bundled fonts are loaded once), let go before
    the interpreter's own teardown, while the libraries it frees are still there."""
    import atexit

    from weasyprint.text.fonts import FontConfiguration

    atexit.register(_let_go)
    return FontConfiguration()


def _let_go() -> None:
    _print_css.cache_clear()
    _html_class.cache_clear()
    _fonts.cache_clear()


@lru_cache(maxsize=1)
def _html_class() -> Any:
    """WeasyPrint's HTML with the documents' own short user-agent stylesheet (``ua.css``): the whole
    HTML5 one took a third of the layout time to cascade over elements the documents never use.
    (If a later WeasyPrint drops this hook, its own stylesheet applies: the same pages, slower.)"""
    from weasyprint import CSS, HTML

    agent = CSS(filename=str(_template_dir() / "ua.css"), font_config=_fonts())

    class DocumentHTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [agent]

    return DocumentHTML


@lru_cache(maxsize=4)
def _print_css(medium: str) -> Any:
    """The medium's stylesheet parsed once, with the bundled fonts declared (file URLs)."""
    from weasyprint import CSS

    folder = resources_dir() / "fonts"
    faces = "".join(
        f'@font-face {{ font-family: "HEART Sans"; font-weight: {weight}; src: url("{(folder / name).as_uri()}"); }}\n'
        for weight, name in (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf")))
    return CSS(string=faces + stylesheet(medium), font_config=_fonts())


def pdf(html: str, identifier: str, medium: str = STANDARD, extra_css: str = "",
        files: Mapping[str, bytes] | None = None) -> Rendered:
    """Lay ``html`` out as a tagged PDF (PDF/UA-1). ``identifier``: hex digits that make the
    PDF's /ID (the caller's hash of what it shows), so the same input gives the same bytes;
    ``files``: what the ``heart-file:`` addresses of the HTML (:func:`file_url`) hold."""
    if medium not in PRINT_SIZES:
        raise ValueError(f"unknown print size {medium!r}; use {' or '.join(PRINT_SIZES)}")
    from weasyprint import CSS

    stylesheets = [_print_css(medium)]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, font_config=_fonts()))
    source = _html_class()(string=html, base_url=_template_dir().as_uri() + "/", url_fetcher=_fetcher(files or {}))
    document = source.render(stylesheets=stylesheets, font_config=_fonts())
    anchors: dict[str, int] = {}
    for number, rendered_page in enumerate(document.pages, start=1):
        for anchor in rendered_page.anchors:
            anchors.setdefault(anchor, number)
    raw = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=bytes.fromhex(identifier[:32]),
                             uncompressed_pdf=False)
    return Rendered(pdf=_footers_as_artifacts(raw), pages=len(document.pages), anchors=anchors)


_MARKED = re.compile(rb"/Span\n<</MCID (\d+)>>\nBDC")


def _as_artifact(orphans: set[int], match: re.Match[bytes]) -> bytes:
    return b"/Artifact\n<</Type /Pagination>>\nBDC" if int(match.group(1)) in orphans else match.group(0)


def _header_scopes(document: Any, root: Any) -> None:
    """Each header cell says what it heads: ``/Scope /Column`` in a table's head, ``/Row`` in its
    body (WeasyPrint links the data cells to their headers by ``/Headers`` and ``/ID`` already;
    the scope is what readers and checkers that look at the header cell itself use)."""
    import pikepdf

    column, row = pikepdf.Name("/Column"), pikepdf.Name("/Row")
    stack = [root]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        if not isinstance(kids, pikepdf.Array):
            continue
        for kid in kids:
            if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") != "/StructElem":
                continue
            role = kid.get("/S")
            if role == "/TH":
                group = element.get("/P")
                scope = column if group is not None and group.get("/S") == "/THead" else row
                attributes = kid.get("/A")
                if isinstance(attributes, pikepdf.Dictionary):
                    attributes["/Scope"] = scope
            elif role not in ("/Span", "/TD", "/Figure", "/Link", "/P"):
                stack.append(kid)


def _footers_as_artifacts(raw: bytes) -> bytes:
    """The running footers (page margin boxes) marked as pagination artifacts.

    WeasyPrint gives the margin boxes' text marked-content ids whose structure elements hang
    outside the tree; a screen reader would meet them on every page, and PDF/UA wants running
    footers as artifacts. Each such id is found from the parent tree (its element does not hang
    from the structure tree's root), its ``BDC`` becomes ``/Artifact <</Type /Pagination>>`` and its
    parent tree entry ``null``. Deterministic: the same input bytes give the same output bytes."""
    import pikepdf

    with pikepdf.open(io.BytesIO(raw)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return raw
        reachable: dict[tuple[int, int], bool] = {root.objgen: True}

        def in_tree(element: Any) -> bool:
            """Whether the element hangs from the root: each ancestor is among its parent's kids."""
            key = element.objgen
            if key not in reachable:
                parent = element.get("/P")
                kids = parent.get("/K") if parent is not None else None
                listed = isinstance(kids, pikepdf.Array) and any(
                    isinstance(k, pikepdf.Object) and k.is_indirect and k.objgen == key for k in kids)
                reachable[key] = listed and in_tree(parent)
            return reachable[key]

        nums = root.ParentTree.Nums
        for index in range(0, len(nums) - 1, 2):
            page_index, kids = int(nums[index]), nums[index + 1]
            if not isinstance(kids, pikepdf.Array) or page_index >= len(document.pages):
                continue
            orphans = {mcid for mcid, element in enumerate(kids)
                       if isinstance(element, pikepdf.Dictionary) and not in_tree(element)}
            if not orphans:
                continue
            for mcid in orphans:
                kids[mcid] = None  # null: no structure element owns an artifact
            content = document.pages[page_index].obj.Contents
            for stream in list(content) if isinstance(content, pikepdf.Array) else [content]:
                data = stream.read_bytes()
                changed = _MARKED.sub(partial(_as_artifact, orphans), data)
                if changed != data:
                    stream.write(changed)  # compressed again when saved
        _header_scopes(document, root)
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()
