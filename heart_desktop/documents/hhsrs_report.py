"""HHSRS assessment report: every assessed hazard with its likelihood, spread of harm, score,
band, category and notes, then the photographs taken at the visit."""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Spacer, Table

from heart_desktop.documents.common import day
from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData, Photo
from heart_desktop.documents.styles import FONT, styles
from heart_desktop.documents.template import CONTENT_WIDTH, cell, grid, para
from heart_desktop.domain import hhsrs, hhsrs_answers

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


def _spread(harm: object, scheme_id: object) -> str:
    """The four classes, class IV the remainder of the rating's own scheme."""
    if not isinstance(harm, list) or not harm:
        return ""
    try:
        scheme = hhsrs.load_scheme(str(scheme_id)) if scheme_id else hhsrs.schemes()[-1]
    except hhsrs.SchemeError:
        scheme = hhsrs.schemes()[-1]
    return " / ".join(f"{v:g}" for v in hhsrs_answers.spread(harm, scheme))


def hazards_table(data: PackData) -> list[Flowable]:
    if not data.hazards:
        return [para("No hazards were rated.")]
    names = _hazard_names()
    rows = []
    for h in data.hazards:
        category = h.get("category")
        rows.append([names.get(str(h.get("hazard")), str(h.get("hazard")).replace("_", " ")),
                     f"1 in {h.get('likelihood')}", _spread(h.get("harm"), h.get("scheme_id")),
                     str(h.get("score") or ""),
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


def hazard_photos(data: PackData) -> tuple[list[tuple[str, list[Photo]]], list[Photo]]:
    """The photos the assessment attached to each hazard, by hazard (in the table's order), and
    the case's other photos."""
    answers = data.forms.get(FORM, {}).get("hazards") or {}
    by_digest = {p.sha256: p for p in data.photos}
    names = _hazard_names()
    grouped: list[tuple[str, list[Photo]]] = []
    placed: set[str] = set()
    order = [str(h.get("hazard")) for h in data.hazards]
    order += [key for key in answers if key not in order]
    for key in order:
        refs = (answers.get(key) or {}).get("photos") or [] if isinstance(answers.get(key), dict) else []
        chosen = [by_digest[r["sha256"]] for r in refs
                  if isinstance(r, dict) and r.get("sha256") in by_digest and r["sha256"] not in placed]
        if chosen:
            placed.update(p.sha256 for p in chosen)
            grouped.append((names.get(key, key.replace("_", " ")), chosen))
    return grouped, [p for p in data.photos if p.sha256 not in placed]


def photo_grid(chosen: list[Photo]) -> list[Flowable]:
    pictures = [_photo(p) for p in chosen]
    rows: list[list[object]] = [[*pictures[i:i + 2], *([""] * (2 - len(pictures[i:i + 2])))]
                                for i in range(0, len(pictures), 2)]
    table = Table(rows, colWidths=[PHOTO_WIDTH + 3 * mm] * 2, hAlign="LEFT")
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
    return [table]


def scheme_of(data: PackData) -> hhsrs.Scheme | None:
    """The scheme the assessment was rated under: by the inspection's start, else the first rating."""
    answers = data.forms.get(FORM, {})
    candidates = [answers.get("inspection_start"), *sorted(str(h.get("rated_on") or "") for h in data.hazards)]
    for value in candidates:
        try:
            return hhsrs.scheme_for(date.fromisoformat(str(value)[:10]))
        except (ValueError, hhsrs.NoSchemeError):
            continue
    return None


def scheme_story(scheme: hhsrs.Scheme | None) -> list[Flowable]:
    """The scheme named, with every caveat of data it does not yet confirm, whole."""
    s = styles()
    if scheme is None:
        return [para("Rating scheme: not known (no inspection date was recorded).", s.small)]
    until = f" to {scheme.in_force_until:%d/%m/%Y}" if scheme.in_force_until else " onwards"
    out = [para(f"Rating scheme: {scheme.name}, for inspections begun {scheme.in_force_from:%d/%m/%Y}{until}.")]
    caveats = [c for c in scheme.unknown_tables if "(unknown)" in c or "(unconfirmed)" in c]
    if caveats:
        out.append(para("Not yet confirmed in this scheme: " + " ".join(caveats), s.small))
    return out


def story(data: PackData) -> list[Flowable]:
    s = styles()
    answers = data.forms.get(FORM, {})
    rated = sorted({day(h.get("rated_on")) or "" for h in data.hazards} - {""})
    out: list[Flowable] = [para(TITLE, s.title), *scheme_story(scheme_of(data))]
    if answers:
        out += form_story(FORM, answers, data.as_at, sections={"inspection"})
    elif rated:
        out.append(para(f"Rated on {', '.join(rated)}."))
    out += [para("Hazards assessed", s.h2), *hazards_table(data), Spacer(1, 4),
            para("Harm: the spread of likely outcomes over classes I (extreme) to IV, in percent. A category 1 "
                 "hazard is one the council must act on.", s.small)]
    if answers:
        out += form_story(FORM, answers, data.as_at, sections={"summary"})
    out.append(para("Photographs", s.h2))
    grouped, others = hazard_photos(data)
    if not grouped and not others:
        out.append(para("No photographs were taken."))
    for name, chosen in grouped:
        out += [para(name, s.h3), *photo_grid(chosen)]
    if others:
        if grouped:
            out.append(para("Other photographs of the visit", s.h3))
        out += photo_grid(others)
    return out
