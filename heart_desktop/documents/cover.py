"""Cover sheet: who and where, the council and officer, the date of the information, contents."""

from __future__ import annotations

from heart_desktop.documents.common import address, day, person_name
from heart_desktop.documents.model import PackData
from heart_desktop.documents.render import Safe, h, join
from heart_desktop.documents.template import heading, kv_table, note, title

KEY = "cover"
TITLE = "Cover sheet"


def story(data: PackData, contents: list[tuple[str, str]]) -> Safe:
    """``contents``: each other document's title and its element id (the page number is the
    page the renderer puts it on, a link in the PDF and in the HTML copy)."""
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
    entries = [h("tr", h("td", str(number)), h("td", h("a", name, href=f"#{anchor}")),
                 h("td", h("a", "", href=f"#{anchor}", aria_hidden="true"), class_="page num"))
               for number, (name, anchor) in enumerate(contents, start=1)]
    columns = h("colgroup", h("col", class_="number"), h("col"), h("col", class_="page"))
    table = h("table", columns, h("thead", h("tr", h("th", "No.", scope="col"), h("th", "Document", scope="col"),
                                    h("th", "Page", scope="col", class_="num page"))),
              h("tbody", *entries), class_="contents")
    return join([
        title("HEART application pack"),
        note("Home Environment Assessment and Response Team: Warwickshire's shared service for Disabled "
             "Facilities Grants and other housing assistance."),
        kv_table(rows),
        heading("Contents"),
        table,
        note("Each document in this pack can be printed on its own; the footer of every page names the case, "
             "the document and the pack it belongs to. A blank ruled line is information still to be completed "
             "by hand."),
    ])
