"""Reading the produced PDFs back (pypdf): text per page, outline, fonts, vector path operators."""

from __future__ import annotations

import io
import re
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
