"""HHSRS assessment report: every assessed hazard with its likelihood, spread of harm, score,
band, category and notes, then the photographs taken at the visit."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from heart_desktop.documents.common import day
from heart_desktop.documents.formtext import form_story
from heart_desktop.documents.model import PackData, Photo
from heart_desktop.documents.render import Safe, file_url, h, join
from heart_desktop.documents.template import grid, heading, note, para, title
from heart_desktop.domain import hhsrs, hhsrs_answers

KEY = "hhsrs"
TITLE = "HHSRS assessment report"
FORM = "hhsrs_assessment"
NO_CAPTION = "no caption was given"


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


def hazards_table(data: PackData) -> Safe:
    if not data.hazards:
        return para("No hazards were rated.")
    names = _hazard_names()
    rows = []
    for hazard in data.hazards:
        name = names.get(str(hazard.get("hazard")), str(hazard.get("hazard")).replace("_", " "))
        cells = [f"1 in {hazard.get('likelihood')}", _spread(hazard.get("harm"), hazard.get("scheme_id")),
                 str(hazard.get("score") or ""),
                 str(hazard.get("band") or ""), str(hazard.get("category") or ""), hazard.get("notes") or ""]
        rows.append((name, cells))
    if data.large_print:  # three columns at 16 pt: the rating in words, one fact a line
        labels = ("Likelihood", "Harm % I/II/III/IV", "Score", "Band", "Category")
        return grid(["Hazard", "Rating", "Notes"],
                    [[name, join([h("span", f"{label}: {value}", class_="line") for label, value
                                  in zip(labels, cells[:5], strict=True) if value]), cells[5]]
                     for name, cells in rows], widths=[30, 40, 30], row_headers=True, class_="hazards")
    return grid(["Hazard", "Likelihood", "Harm % I/II/III/IV", "Score", "Band", "Category", "Notes"],
                [[name, *cells] for name, cells in rows], right=(3,), widths=[19, 14, 15, 8, 7, 13, 24],
                row_headers=True, class_="hazards")


def _photo(number: int, photo: Photo) -> Safe:
    """A photo and its caption; the caption the officer gave is also its alternative text."""
    words = photo.caption or f"Photo {number} of the visit ({NO_CAPTION})"
    if not photo.data:
        return h("div", h("p", f"Photo {photo.sha256[:12]} is not available: {words}", class_="missing"),
                 class_="photo")
    return h("div", h("img", src=file_url(photo.sha256), alt=words), h("p", words, class_="caption"),
             class_="photo")


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


def photo_grid(chosen: list[Photo], start: int = 1) -> Safe:
    return h("div", *[_photo(number, p) for number, p in enumerate(chosen, start=start)], class_="photos")


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


def scheme_story(scheme: hhsrs.Scheme | None) -> Safe:
    """The scheme named, with every caveat of data it does not yet confirm, whole."""
    if scheme is None:
        return note("Rating scheme: not known (no inspection date was recorded).")
    until = f" to {scheme.in_force_until:%d/%m/%Y}" if scheme.in_force_until else " onwards"
    out = [para(f"Rating scheme: {scheme.name}, for inspections begun {scheme.in_force_from:%d/%m/%Y}{until}.")]
    caveats = [c for c in scheme.unknown_tables if "(unknown)" in c or "(unconfirmed)" in c]
    if caveats:
        out.append(note("Not yet confirmed in this scheme: " + " ".join(caveats)))
    return join(out)


def story(data: PackData) -> Safe:
    answers = data.forms.get(FORM, {})
    rated = sorted({day(h.get("rated_on")) or "" for h in data.hazards} - {""})
    out = [title(TITLE), scheme_story(scheme_of(data))]
    if answers:
        out.append(form_story(FORM, answers, data.as_at, sections={"inspection"}))
    elif rated:
        out.append(para(f"Rated on {', '.join(rated)}."))
    out += [heading("Hazards assessed"), hazards_table(data),
            note("Harm: the spread of likely outcomes over classes I (extreme) to IV, in percent. A category 1 "
                 "hazard is one the council must act on.")]
    if answers:
        out.append(form_story(FORM, answers, data.as_at, sections={"summary"}))
    out.append(heading("Photographs"))
    grouped, others = hazard_photos(data)
    if not grouped and not others:
        out.append(para("No photographs were taken."))
    number = 1
    for name, chosen in grouped:
        out += [heading(name, 3), photo_grid(chosen, number)]
        number += len(chosen)
    if others:
        if grouped:
            out.append(heading("Other photographs of the visit", 3))
        out.append(photo_grid(others, number))
    return join(out)
