"""The building blocks every document uses, as HTML (``render.h``): titles, headings, paragraphs,
tables of facts and ruled grids with header cells, and signature blocks.

The page furniture (the footer naming the case, the document, "page n of m" within the
document, the pack page, the application version and the short pack identifier) is the pack's
stylesheet (``pack.footer_css``), so a document module only says what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from heart_desktop.documents.render import Safe, esc, h, join

BLANK_NOTE = "to complete by hand"
STROKE_BOX = (720, 225)  # the signature pad's box in tenths of a millimetre (72 x 22.5 mm)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def title(text: Any) -> Safe:
    return h("h1", text)


def heading(text: Any, level: int = 2) -> Safe:
    return h(f"h{level}", text)


def para(value: Any, class_: str | None = None) -> Safe:
    return h("p", value, class_=class_)


def note(value: Any) -> Safe:
    """A secondary paragraph (smaller, never under 9 pt; 16 pt in large print)."""
    return h("p", value, class_="note")


def bullets(items: Sequence[Any], class_: str | None = None) -> Safe:
    return h("ul", *[h("li", item) for item in items], class_=class_) if items else Safe("")


def keep(*parts: Any) -> Safe:
    """Parts kept on one page (a heading with its text, a declaration with its signatures)."""
    return h("div", *parts, class_="keep")


def kv_table(rows: Sequence[tuple[str, Any]], caption: str | None = None) -> Safe:
    """Label and value rows, each label a row header; a missing value is a ruled blank to fill in."""
    body = []
    for label, value in rows:
        if is_blank(value):
            body.append(h("tr", h("th", label, scope="row"), h("td", "", class_="blank", title=BLANK_NOTE)))
        else:
            body.append(h("tr", h("th", label, scope="row"), h("td", value)))
    return h("table", h("caption", caption) if caption else None, h("tbody", *body), class_="facts")


def grid(header: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = (), totals: int = 0,
         widths: Sequence[float] | None = None, class_: str | None = None, row_headers: bool = False) -> Safe:
    """A ruled table whose header row repeats on every page it runs onto; ``totals`` last rows bold.
    ``widths``: percentages of the width; ``row_headers``: the first cell of each row heads it."""
    cols = h("colgroup", *[h("col", style=f"width: {w:g}%") for w in widths]) if widths else None
    head = h("thead", h("tr", *[h("th", label, scope="col", class_="num" if i in right else None)
                                for i, label in enumerate(header)]))
    body = []
    for r, row in enumerate(rows):
        first_total = totals and r == len(rows) - totals
        cls = ("total total-first" if first_total else "total") if r >= len(rows) - totals else None
        cells = []
        for i, value in enumerate(row):
            shown = "" if value is None else value
            kind = "num" if i in right else None
            if row_headers and i == 0:
                cells.append(h("th", shown, scope="row", class_=kind))
            else:
                cells.append(h("td", shown, class_=kind))
        body.append(h("tr", *cells, class_=cls))
    return h("table", cols, head, h("tbody", *body), class_=class_)


def when(signed_at: str) -> str:
    """``2026-03-02T11:30:00`` as ``02/03/2026 11:30``."""
    if not signed_at:
        return ""
    day, time = signed_at[:10], signed_at[11:16]
    parts = day.split("-")
    if len(parts) != 3:
        return signed_at
    return f"{parts[2]}/{parts[1]}/{parts[0]}" + (f" {time}" if time else "")


def _strokes_svg(strokes: Sequence[Sequence[Sequence[float]]], name: str) -> Safe:
    """The strokes as vector polylines, a figure whose alternative text names the signer."""
    width, height = STROKE_BOX
    lines = []
    for stroke in strokes:
        if len(stroke) < 2:
            continue
        points = " ".join(f"{x * width:.1f},{y * height:.1f}" for x, y in stroke)
        lines.append(Safe(f'<polyline points="{points}" fill="none" stroke="#102a5c" stroke-width="4" '
                          'stroke-linecap="round" stroke-linejoin="round"/>'))
    label = f"Signature of {name}" if name else "Signature"
    return Safe(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
                f'aria-label="{esc(label)}"><title>{esc(label)}</title>{join(lines)}</svg>')


def signature_block(label: str, name: str = "", signed_at: str = "",
                    strokes: Sequence[Sequence[Sequence[float]]] = (), signed: Any = None) -> Safe:
    """A box to sign in and the name and date beside it; once signed, the strokes are drawn in the
    box and the signature is also said in words ("Signed by … on …", with how it was given when not
    on the pad) for whoever cannot see it. ``signed``: the pack's signature of this role, if any."""
    method = getattr(signed, "method", "drawn")
    drawn = any(len(s) > 1 for s in strokes)
    lines = [h("p", "Name: ", h("span", name or "", class_="fill")),
             h("p", "Date: ", h("span", when(signed_at), class_="fill"))]
    if drawn or (signed is not None and method != "drawn"):
        words = (signed.in_words(when(signed_at)) if signed is not None
                 else f"Signed by {name or 'the signer'}" + (f" on {when(signed_at)}" if signed_at else ""))
        lines.insert(0, h("p", words, class_="signed-text"))
        if drawn:
            pad = h("div", _strokes_svg(strokes, name), class_="pad")
        else:  # a typed name or a page signed on paper: the box says so in words
            pad = h("div", h("p", words, class_="signed-in-box"), class_="pad")
    else:
        pad = h("div", "", class_="pad")  # an empty ruled box: decoration, left out of the reading order
    return h("div", h("p", label, class_="label"), pad, h("div", *lines, class_="lines"), class_="signature")
