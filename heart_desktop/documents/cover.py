"""Cover sheet: who and where, the council and officer, the date of the information, contents."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from heart_desktop.documents.common import address, day, person_name
from heart_desktop.documents.model import PackData
from heart_desktop.documents.styles import styles
from heart_desktop.documents.template import CONTENT_WIDTH, grid, kv_table, para

KEY = "cover"
TITLE = "Cover sheet"


def story(data: PackData, contents: list[tuple[str, str]]) -> list[Flowable]:
    """``contents``: each other document's title and the pack page it starts on ("" when unknown)."""
    s = styles()
    case = data.case
    types = ", ".join(case.get("assistance_types") or []) or None
    rows = [
        ("Case reference", data.reference),
        ("Customer", person_name(data.applicant)),
        ("Address of the property", address(data)),
        ("Council", data.council_name),
        ("Housing Assessment Officer", case.get("assigned_officer")),
        ("Assistance applied for", types),
        ("Application date", day(data.stage_dates.get("application"))),
        ("Information as at", day(data.as_at)),
        ("Policy", f"HEART Financial Assistance Policy v{data.policy_version}"),
    ]
    return [
        para("HEART application pack", s.title),
        para("Home Environment Assessment and Response Team: Warwickshire's shared service for Disabled "
             "Facilities Grants and other housing assistance.", s.small),
        Spacer(1, 8),
        kv_table(rows),
        Spacer(1, 10),
        para("Contents", s.h2),
        grid(["", "Document", "Page"], [[str(i), title, page] for i, (title, page) in enumerate(contents, start=1)],
             [10 * mm, CONTENT_WIDTH - 30 * mm, 20 * mm]),
        Spacer(1, 10),
        para("Each document in this pack can be printed on its own; the footer of every page names the case, "
             "the document and the pack it belongs to. A blank ruled line is information still to be completed "
             "by hand.", s.small),
    ]
