"""The anonymised appeal report's use case (policy 12.20): whether the case can have it, and make
it for the panel, recording the export in the case's audit with the photos the officer confirmed.

The Appeals section's button ("Anonymised report for the panel…"), the ``appeal-report`` verb and
the tests call :func:`make` with the :class:`Workbench`, on the thread that owns its store.
``today`` is the report's date (ages are worked out on it) and ``at`` when the officer confirmed
the photos: both passed in, never read here.

The appeal is read through ``store.appeals`` with its criteria's words, its stage and the panels'
names from ``domain.appeals``; a case with no appeal cannot have the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from heart_desktop.services.workbench import Workbench

REASON = "anonymised appeal report for the panel (policy 12.20)"


def _appeals(store: Any, case_id: str) -> list[dict[str, Any]]:
    """The case's appeals, the first lodged first, as the report reads them: each criterion with its
    words and section, the stage and the panels' names (``domain.appeals``)."""
    from heart_desktop.domain import appeals as rules_
    from heart_desktop.store import appeals as stored

    out = []
    for row in stored.for_case(store, case_id):
        if row.get("deleted"):
            continue
        lodged = row.get("lodged_on")
        rules = rules_.appeal_rules(lodged if isinstance(lodged, date) else date.fromisoformat(str(lodged)[:10]))
        view = {**dict(row), **rules_.describe(rules, row)}
        view["panels"] = {key: {"name": panel.name, "section": panel.section} for key, panel in rules.panels.items()}
        out.append(view)
    return out


def _latest(appeals: Sequence[Mapping[str, Any]], appeal_id: str | None) -> dict[str, Any] | None:
    """The appeal named, else the latest lodged (the one its letters are about, ``store.appeals.latest``)."""
    if appeal_id:
        return next((dict(a) for a in appeals if str(a.get("id")) == appeal_id), None)
    return dict(appeals[-1]) if appeals else None


def refusal(session: Workbench, case_id: str, appeal_id: str | None = None) -> str | None:
    """Why the case cannot have the report yet, or ``None`` when it can."""
    appeals = _appeals(session._store(), case_id)
    if not appeals:
        return "the case has no appeal: lodge the appeal first (policy 12.10)"
    if appeal_id and _latest(appeals, appeal_id) is None:
        return f"the case has no appeal {appeal_id}"
    return None


def _chosen_photos(detail: Mapping[str, Any], wanted: Sequence[str]) -> list[str]:
    """Attachment ids of the photos asked for (by id, or by the start of their SHA-256, 8 or more
    characters), in the order asked, each once; a plain error naming the photo otherwise."""
    from heart_desktop.documents.appeal_report import ReportRefused

    photos = [a for a in detail.get("attachments") or [] if a.get("kind") == "photo" and not a.get("deleted")]
    out: list[str] = []
    for ref in wanted:
        ref = ref.strip()
        found = [a for a in photos if str(a["id"]) == ref
                 or (len(ref) >= 8 and str(a["sha256"]).startswith(ref.lower()))]
        if len(found) != 1:
            known = ", ".join(str(a["id"]) for a in photos) or "none"
            why = "matches more than one photo" if found else "is not a photo of this case"
            raise ReportRefused(f"photo: {ref!r} {why}; the case's photos are: {known}", "photo")
        if str(found[0]["id"]) not in out:
            out.append(str(found[0]["id"]))
    return out


def make(session: Workbench, case_id: str, *, today: date, photos: Sequence[str] = (),
         at: datetime | None = None, appeal_id: str | None = None) -> dict[str, Any]:
    """Make the report and record its export in the case's audit: its SHA-256, pages, what was
    masked (a count per kind) and each photo included with who confirmed it shows no faces or
    house numbers, and when. ``photos``: the ids the officer chose and confirmed (none: no
    photos); ``ReportRefused`` says why the case cannot have the report, or which photo is wrong."""
    from heart_desktop.documents.appeal_report import ReportRefused, build_report, compose

    session.require("casework")
    why = refusal(session, case_id, appeal_id)
    if why:
        raise ReportRefused(f"the case cannot have the anonymised appeal report yet: {why}")
    store = session._store()
    detail = store.cases.detail(case_id, audit=False)
    appeals = _appeals(store, case_id)
    appeal = _latest(appeals, appeal_id)
    chosen = _chosen_photos(detail, photos)
    when = (at or datetime.combine(today, datetime.min.time())).replace(microsecond=0).isoformat()
    officer = session.officer
    data = compose(detail, appeal, today=today, photos=[(p, officer, when) for p in chosen],
                   loader=store.attachments.blobs.get)
    built = build_report(data)
    included = [p.as_json() for p in data.photos]
    store.audit.append("export", case_id=case_id, entity="appeal_report", entity_id=data.appeal_id,
                       reason=REASON, detail={"sha256": built.sha256, "pages": built.pages,
                                              "report_id": built.report_id, "masked": data.masked,
                                              "photos": included, "dated": today.isoformat()})
    return {"pdf": built.pdf, "sha256": built.sha256, "pages": built.pages, "report_id": built.report_id,
            "masked": data.masked, "photos": included, "appeal_id": data.appeal_id, "title": data.title,
            "text": data.text()}


def photo_choices(session: Workbench, case_id: str, *, today: date, size: int = 160) -> list[dict[str, Any]]:
    """The case's photos for the officer to choose from (id, caption, the caption as the panel will
    read it, a small JPEG thumbnail): none is in the report until the officer ticks it, confirming
    it shows no faces and no house numbers."""
    from heart_desktop.documents.appeal_report import household_of
    from heart_desktop.domain.redaction import Redactor
    from heart_desktop.store.errors import StoreError

    store = session._store()
    redactor = Redactor(household_of(store.cases.detail(case_id, audit=False, household=False)), today)
    out = []
    for row in store.attachments.for_case(case_id):
        if row.get("kind") != "photo" or row.get("deleted"):
            continue
        try:
            thumbnail = store.attachments.thumbnail(str(row["id"]), size)
        except StoreError:  # a photo not synced to this laptop yet: listed without its picture
            thumbnail = b""
        caption = " ".join(str(row.get("caption") or "").split())
        out.append({"id": str(row["id"]), "sha256": str(row["sha256"]), "caption": caption,
                    "shown_as": redactor.redact(caption).text, "thumbnail": thumbnail})
    return out
