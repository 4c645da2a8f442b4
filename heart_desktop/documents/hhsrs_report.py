"""HHSRS assessment report: every assessed hazard with its likelihood, spread of harm, score,
band, category and notes, then the photographs taken at the visit."""

from __future__ import annotations

import io
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Spacer, Table

from heart_desktop.documents.common import day
from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData, Photo
from heart_desktop.documents.styles import FONT, styles
from heart_desktop.documents.template import CONTENT_WIDTH, cell, grid, para
from heart_desktop.domain import hhsrs

KEY = "hhsrs"
TITLE = "HHSRS assessment report"
FORM = "hhsrs_assessment"
PHOTO_WIDTH = (CONTENT_WIDTH - 6 * mm) / 2


@lru_cache(maxsize=4)
def _hazard_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for scheme in hhsrs.schemes():
        for hazard in scheme.hazards:
            names.setdefault(hazard.key, hazard.name)
    return names


def _spread(harm: object) -> str:
    if not isinstance(harm, list) or not harm:
        return ""
    values = [float(v) for v in harm[:4]]
    if len(values) == 3:
        values.append(max(100.0 - sum(values), 0.0))
    return " / ".join(f"{v:g}" for v in values)


def hazards_table(data: PackData) -> list[Flowable]:
    if not data.hazards:
        return [para("No hazards were rated.")]
    names = _hazard_names()
    rows = []
    for h in data.hazards:
        category = h.get("category")
        rows.append([names.get(str(h.get("hazard")), str(h.get("hazard")).replace("_", " ")),
                     f"1 in {h.get('likelihood')}", _spread(h.get("harm")), str(h.get("score") or ""),
                     str(h.get("band") or ""), str(category or ""), h.get("notes") or ""])
    widths = [36 * mm, 22 * mm, 32 * mm, 14 * mm, 13 * mm, 20 * mm, 0]
    widths[-1] = CONTENT_WIDTH - sum(widths)
    return [grid(["Hazard", "Likelihood", "Harm % I/II/III/IV", "Score", "Band", "Category", "Notes"], rows,
                 widths, right=(3,))]


def _photo(photo: Photo) -> list[Flowable]:
    data = photo.loader()
    if not data:
        return [cell(f"Photo {photo.sha256[:12]} is not available")]
    reader = ImageReader(io.BytesIO(data))
    width, height = reader.getSize()
    scale = min(PHOTO_WIDTH / width, 62 * mm / height)
    return [Image(io.BytesIO(data), width * scale, height * scale),
            cell(photo.caption or f"Photo {photo.sha256[:12]}", styles().small)]


def photos(data: PackData) -> list[Flowable]:
    if not data.photos:
        return [para("No photographs were taken.")]
    pictures = [_photo(p) for p in data.photos]
    rows: list[list[object]] = [[*pictures[i:i + 2], *([""] * (2 - len(pictures[i:i + 2])))]
                                for i in range(0, len(pictures), 2)]
    table = Table(rows, colWidths=[PHOTO_WIDTH + 3 * mm] * 2, hAlign="LEFT")
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
    return [table]


def story(data: PackData) -> list[Flowable]:
    s = styles()
    answers = data.forms.get(FORM, {})
    rated = sorted({day(h.get("rated_on")) or "" for h in data.hazards} - {""})
    out: list[Flowable] = [para(TITLE, s.title)]
    if answers:
        out += form_story(FORM, answers, data.as_at, sections={"inspection"})
    elif rated:
        out.append(para(f"Rated on {', '.join(rated)}."))
    out += [para("Hazards assessed", s.h2), *hazards_table(data), Spacer(1, 4),
            para("Harm: the spread of likely outcomes over classes I (extreme) to IV, in percent. A category 1 "
                 "hazard is one the council must act on.", s.small)]
    if answers:
        out += form_story(FORM, answers, data.as_at, sections={"summary"})
    out += [para("Photographs", s.h2), *photos(data)]
    return out
