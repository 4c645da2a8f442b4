"""Writing a measures report: JSON, CSV, XLSX (openpyxl) and the board's PDF (tagged, by the
pack's renderer, with matplotlib charts drawn as PNG at print resolution). Every file names the period and each measure
by its number, and prints why where a figure is not computed instead of a zero."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from heart_desktop.domain.measures import flat_rows

FORMATS = ("json", "csv", "xlsx", "pdf")
SHEET_NAMES = {"outcomes": "Outcomes", "major_adaptations": "Major adaptations", "demand": "Demand",
               "interventions": "Interventions", "council_housing": "Council housing and costs",
               "timeline": "Timeline", "adaptation_types": "Adaptation types", "drop_out": "Drop-out",
               "feedback": "Compliments and complaints", "satisfaction": "Satisfaction",
               "dfg_guidance": "DFG guidance 2022"}
TIMELINE = ("KPM 10", "KPM 11", "KPM 12", "KPM 13", "KPM 14", "KPM 15", "KPM 16", "KPM 17")
DEMAND = ("KPM 1", "KPM 2", "KPM 5", "KPM 6")


def shown(value: Any, unit: str = "") -> str:
    """A figure as a person reads it; a missing one is 'not computed', never 0."""
    if value is None:
        return "n/a"
    if unit == "GBP":
        return f"£{value:,.2f}"
    if unit == "percent":
        return f"{value:g}%"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write(report: Mapping[str, Any], fmt: str, out: Path, history: Sequence[Mapping[str, Any]] = ()) -> None:
    """Write ``report`` as ``fmt`` to ``out``; ``history`` (the last four quarters, oldest first)
    feeds the PDF's demand chart."""
    if fmt == "json":
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    elif fmt == "csv":
        out.write_text(to_csv(report), encoding="utf-8", newline="")
    elif fmt == "xlsx":
        out.write_bytes(to_xlsx(report))
    elif fmt == "pdf":
        out.write_bytes(to_pdf(report, history))
    else:
        raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")


def to_csv(report: Mapping[str, Any]) -> str:
    rows = flat_rows(report)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["measure"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_xlsx(report: Mapping[str, Any]) -> bytes:
    """One sheet per group of measures, with the measure numbers, then a sheet of definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    councils = list(report["councils"])
    book = Workbook()
    about = book.active
    about.title = "About"
    period = report["period"]
    for line in (["HEART partnership measures"], ["Period", period["from"], period["to"], period.get("label", "")],
                 ["Councils", ", ".join(councils)], ["Facts as at", report.get("facts_at") or ""],
                 *[["Note", note] for note in report.get("notes", [])]):
        about.append(line)
    about["A1"].font = Font(bold=True, size=14)
    header = ["Measure", "Title", "Unit", "Total", "North", "South", *councils, "Note"]
    sheets: dict[str, Any] = {}
    for row in flat_rows(report):
        group = row["group"]
        if group not in sheets:
            sheet = book.create_sheet(SHEET_NAMES.get(group, group)[:31])
            sheet.append([report["groups"].get(group, group)])
            sheet["A1"].font = Font(bold=True)
            sheet.append(header)
            for cell in sheet[2]:
                cell.font = Font(bold=True)
            sheet.column_dimensions["B"].width = 60
            sheets[group] = sheet
        sheets[group].append([row["measure"], row["title"], row["unit"], row["total"], row["north"], row["south"],
                              *[row[c] for c in councils], row["note"]])
    definitions = book.create_sheet("Definitions")
    definitions.append(["Measure", "Title", "Source", "Definition as counted"])
    for key, entry in report["measures"].items():
        definitions.append([key, entry["title"], entry["source"], entry["definition"]])
    definitions.column_dimensions["D"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the board's PDF ---------------------------------------------------------------------------


def _chart(draw: Any, width: float = 7.0, height: float = 2.8) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(width, height), dpi=150)
    try:
        draw(axes)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        pyplot.close(figure)
    return buffer.getvalue()


def timeline_chart(report: Mapping[str, Any]) -> bytes:
    """KPM 10 to 17 as bars, one group per measure, a bar per council."""
    councils = list(report["councils"])
    measures = report["measures"]

    def draw(axes: Any) -> None:
        width = 0.8 / max(len(councils), 1)
        for i, council in enumerate(councils):
            values = [measures[k]["by_council"].get(council) or 0 for k in TIMELINE]
            axes.bar([x + i * width for x in range(len(TIMELINE))], values, width, label=council)
        axes.set_xticks([x + 0.4 - width / 2 for x in range(len(TIMELINE))], TIMELINE, fontsize=7)
        axes.set_ylabel("average days", fontsize=8)
        axes.set_title("Average days between stages, by council (no bar: no case)", fontsize=9)
        axes.legend(fontsize=7, ncols=len(councils))
        axes.tick_params(labelsize=7)

    return _chart(draw)


def demand_chart(history: Sequence[Mapping[str, Any]]) -> bytes:
    """KPM 1, 2, 5 and 6 over the last four quarters."""

    def draw(axes: Any) -> None:
        labels = [h["period"].get("label") or h["period"]["from"] for h in history]
        for key in DEMAND:
            title = history[-1]["measures"][key]["title"] if history else key
            axes.plot(labels, [h["measures"][key]["total"] or 0 for h in history], marker="o",
                      label=f"{key}: {title[:40]}")
        axes.set_title("Demand over the last four quarters (all councils chosen)", fontsize=9)
        axes.legend(fontsize=6)
        axes.tick_params(labelsize=7)

    return _chart(draw)


def dropout_chart(report: Mapping[str, Any]) -> bytes:
    entry = report["measures"]["KPI 20"]
    councils = list(report["councils"])

    def draw(axes: Any) -> None:
        axes.bar(councils, [entry["by_council"].get(c) or 0 for c in councils], color="#b03a2e")
        rates = entry.get("rate_percent", {}).get("by_council", {})
        for i, council in enumerate(councils):
            rate = rates.get(council)
            axes.annotate("no closures" if rate is None else f"{rate:g}%", (i, entry["by_council"].get(council) or 0),
                          ha="center", va="bottom", fontsize=7)
        axes.set_ylim(0, max([1, *[(entry["by_council"].get(c) or 0) * 1.2 for c in councils]]))
        axes.set_ylabel("cases", fontsize=8)
        axes.set_title("KPI 20: closed without the major adaptation (count; rate of those closed)", fontsize=9)
        axes.tick_params(labelsize=7)

    return _chart(draw, height=2.4)


BOARD_CSS = """
@page { size: A4 landscape; margin: 1.2cm 1.5cm; }
table.board { font-size: 9pt; }
table.board td, table.board th { padding: 2pt 3pt; vertical-align: top; }
img.chart { display: block; width: 58%; margin: 4pt 0; }
h2.break { break-before: page; }
"""


def to_pdf(report: Mapping[str, Any], history: Sequence[Mapping[str, Any]] = ()) -> bytes:
    """The board report as a tagged PDF (the pack's renderer, documents.render): the charts, each
    with a text alternative, then every group as a table with each measure's number."""
    import hashlib

    from heart_desktop.documents.render import file_url, h, join, page, pdf
    from heart_desktop.documents.template import grid, note, title

    period = report["period"]
    councils = list(report["councils"])
    label = f"HEART partnership measures {period.get('label') or ''}".strip()
    charts = [("timeline.png", timeline_chart(report), "Bar chart: average days between the timeline's stages "
               "(KPM 10 to 17), per council; the figures are in the timeline table below."),
              ("dropout.png", dropout_chart(report), "Bar chart: KPI 20, cases closed without the major "
               "adaptation, per council; the figures are in the table below.")]
    if history:
        charts.append(("demand.png", demand_chart(history), "Line chart: demand (KPM 1 to 7) over the last four "
                       "quarters; the figures are in the demand table of each quarter's report."))
    body: list[Any] = [
        title(f"HEART partnership measures: {period.get('label') or ''}"),
        note(f"Period {period['from']} to {period['to']}; councils {', '.join(councils)} "
             f"(north: {', '.join(report['areas']['north']) or 'none'}; south: "
             f"{', '.join(report['areas']['south']) or 'none'}). Policy 13.3 and the table headed 3.15; "
             "measures marked DFG are from the DFG delivery guidance 2022. n/a means not computed, with the reason."),
        *[note(f"Note: {text}") for text in report.get("notes", [])],
        *[h("img", src=file_url(name), alt=alt, class_="chart") for name, _png, alt in charts],
    ]
    header = ["Measure", "Title", "Total", "North", "South", *councils, "Note"]
    rows_by_group: dict[str, list[dict[str, Any]]] = {}
    for row in flat_rows(report):
        if row["type"] and not report["measures"]["KPM 19"]["by_type"].get(row["type"], {}).get("total"):
            continue  # a type not delivered in the period: the CSV and XLSX list it, the board need not
        rows_by_group.setdefault(row["group"], []).append(row)
    for group, rows in rows_by_group.items():
        body.append(h("h2", report["groups"].get(group, group),
                      class_="break" if group in ("interventions", "adaptation_types") else None))
        body.append(grid(header, [[row["measure"], row["title"],
                                   *[shown(row[c], row["unit"]) for c in ("total", "north", "south", *councils)],
                                   row["note"]] for row in rows],
                         right=tuple(range(2, 5 + len(councils))), class_="board", row_headers=True,
                         widths=(6, 24, *[5.0] * (3 + len(councils)), 70 - 5.0 * (3 + len(councils)))))
    files = {name: png for name, png, _alt in charts}
    html = page(label, join(body))
    identifier = hashlib.sha256(html.encode() + b"".join(files.values())).hexdigest()
    return pdf(html, identifier, extra_css=BOARD_CSS, files=files).pdf
