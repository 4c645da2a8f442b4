"""The whole application pack in one call: one PDF, a bookmark per document, every page footed.

``build_pack(data)`` lays out the documents in order, each starting on a new page, and reports
each document's page range, so the UI can print one document alone. The same data (and the
same signatures) always gives the same bytes: reportlab runs with ``invariant=1``, the date
shown is the date of the data, and the identifier in the footer is a hash of the data.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from reportlab.platypus import Flowable, PageBreak

from heart_desktop import __version__
from heart_desktop.documents import (
    application,
    certificates,
    conditions,
    consent,
    cover,
    hhsrs_report,
    ot_recommendation,
    safety_check,
    works,
)
from heart_desktop.documents.model import PackData
from heart_desktop.documents.template import DocumentStart, PageInfo, build

DOCUMENTS: tuple[ModuleType, ...] = (cover, application, certificates, conditions, works, hhsrs_report, safety_check,
                                     ot_recommendation, consent)
KEYS: tuple[str, ...] = tuple(m.KEY for m in DOCUMENTS)


@dataclass(frozen=True)
class BuiltPack:
    pdf: bytes
    sha256: str
    fingerprint: str
    pack_id: str
    pages: int
    ranges: dict[str, tuple[int, int]]  # document key -> first and last page, 1-based
    titles: dict[str, str]


def _story(module: ModuleType, data: PackData, contents: list[tuple[str, str]]) -> list[Flowable]:
    render: Callable[..., list[Flowable]] = module.story
    return render(data, contents) if module is cover else render(data)


def build_pack(data: PackData, only: Sequence[str] | None = None) -> BuiltPack:
    """Lay out the pack (or only the named documents, in pack order) as PDF bytes."""
    unknown = set(only or ()) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown document {sorted(unknown)[0]!r}; use one of {', '.join(KEYS)}")
    chosen = [m for m in DOCUMENTS if only is None or m.KEY in only]
    pages: dict[str, tuple[int, int]] = {}
    if cover in chosen and len(chosen) > 1:
        # lay out once to learn where each document starts, then again with the page numbers
        # in the contents (the numbers do not move anything: the column is there both times)
        pages = _lay_out(chosen, data, {})[1].ranges
    pdf, info = _lay_out(chosen, data, pages)
    return BuiltPack(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), fingerprint=data.fingerprint,
                     pack_id=data.pack_id, pages=max((last for _first, last in info.ranges.values()), default=0),
                     ranges=dict(info.ranges), titles=dict(info.titles))


def _lay_out(chosen: Sequence[ModuleType], data: PackData,
             pages: dict[str, tuple[int, int]]) -> tuple[bytes, PageInfo]:
    contents = [(m.TITLE, str(pages[m.KEY][0]) if m.KEY in pages else "") for m in DOCUMENTS if m is not cover]
    story: list[Flowable] = []
    for index, module in enumerate(chosen):
        if index:
            story.append(PageBreak())
        story.append(DocumentStart(module.KEY, module.TITLE))
        story += _story(module, data, contents)
    info = PageInfo(reference=data.reference, council=data.council_name, version=__version__, pack_id=data.pack_id)
    out = io.BytesIO()
    build(story, info, out, title=f"HEART application pack {data.reference}")
    return out.getvalue(), info
