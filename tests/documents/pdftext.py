"""Reading the produced PDFs back (pypdf, pikepdf): text per page, outline, fonts, vector path operators,
font sizes as drawn, and the structure tree."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader(pdf).pages]


def outline(pdf: bytes) -> list[tuple[str, int]]:
    r = reader(pdf)
    return [(item.title, r.get_destination_page_number(item) + 1) for item in r.outline if not isinstance(item, list)]


def fonts(pdf: bytes) -> dict[str, bool]:
    """Each font used -> whether its program is embedded."""
    out: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources: Any = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            out[str(font.get("/BaseFont"))] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def line_to_count(pdf: bytes, page_number: int) -> int:
    """How many ``l`` (line-to) path operators the page draws: signatures are drawn with them."""
    content = reader(pdf).pages[page_number - 1].get_contents()
    data = content.get_data().decode("latin-1") if content is not None else ""
    return len(re.findall(r"(?m)[-\d.]+ [-\d.]+ l\b", data))


def font_sizes(pdf: bytes) -> Counter[float]:
    """Characters drawn at each font size in points, as seen on the page (text matrix times CTM)."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text.strip():
            return
        a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        sizes[round(size * abs(a * d - b * c) ** 0.5, 1)] += len(text.strip())

    for page in reader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def structure(pdf: bytes) -> list[dict[str, Any]]:
    """The structure tree (pikepdf), flattened depth first: each element's role, alternative text,
    attributes, the roles of its ancestors and of its children, and whether it hangs from the root."""
    import pikepdf

    document = pikepdf.open(io.BytesIO(pdf))
    out: list[dict[str, Any]] = []

    def walk(element: Any, ancestors: tuple[str, ...]) -> None:
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        elements = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem"]
        role = str(element.get("/S", ""))
        attributes = element.get("/A")
        out.append({"role": role, "alt": str(element["/Alt"]) if "/Alt" in element else None,
                    "scope": str(attributes.get("/Scope", "")) if isinstance(attributes, pikepdf.Dictionary) else "",
                    "ancestors": ancestors, "kids": [str(k.get("/S", "")) for k in elements]})
        for kid in elements:
            walk(kid, (*ancestors, role))

    walk(document.Root.StructTreeRoot, ())
    return out


def descendants(tree: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    """The elements under ``tree[index]`` (those that follow it while deeper)."""
    depth = len(tree[index]["ancestors"])
    out = []
    for element in tree[index + 1:]:
        if len(element["ancestors"]) <= depth:
            break
        out.append(element)
    return out
