"""The page template and the building blocks every document uses.

Every page carries the case reference, the document's name, "page n of m" within that
document, the pack page, the application version and the short pack identifier. Page totals
are only known at the end, so the canvas keeps each page's state and draws the footers when the
document is saved (the "page X of Y" canvas). Each document starts on a new page with a
bookmark, so the outline lists the documents and each prints alone by its page range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from heart_desktop.documents.styles import BOLD, FONT, GREY, RULE, SHADE, styles

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BLANK_NOTE = "to complete by hand"


@dataclass
class PageInfo:
    """What the footer prints, and where each document's pages fell (filled while building)."""

    reference: str
    council: str
    version: str
    pack_id: str
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


class PackCanvas(Canvas):
    """Keeps each page's state so the footer can say "page n of m" once m is known."""

    def __init__(self, *args: Any, info: PageInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._info = info
        self._pages: list[dict[str, Any]] = []
        self.heart_document: tuple[str, str] = ("", "")
        self.heart_marks: list[tuple[str, str]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self.heart_marks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        documents = [state["heart_document"] for state in self._pages]
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            key, title = self.heart_document
            first = documents.index((key, title)) + 1
            last = len(documents) - documents[::-1].index((key, title))
            self._info.ranges[key] = (first, last)
            self._info.titles[key] = title
            self._footer(title, number - first + 1, last - first + 1, number, total)
            # bookmarks are made now that the page really exists (earlier they would all point at page 1)
            for mark_key, mark_title in self.heart_marks:
                self.bookmarkPage(mark_key)
                self.addOutlineEntry(mark_title, mark_key, level=0, closed=False)
            super().showPage()
        super().save()

    def _footer(self, title: str, page: int, pages: int, pack_page: int, pack_pages: int) -> None:
        info = self._info
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 16 * mm, PAGE_WIDTH - MARGIN, 16 * mm)
        self.setFillColor(colors.black)
        self.setFont(BOLD, 8)
        self.drawString(MARGIN, 12 * mm, f"{info.reference}  ·  {title}")
        self.drawRightString(PAGE_WIDTH - MARGIN, 12 * mm, f"Page {page} of {pages}")
        self.setFont(FONT, 7)
        self.setFillColor(GREY)
        self.drawString(MARGIN, 8.5 * mm, f"HEART application pack  ·  {info.council}  ·  HEART Desktop {info.version}"
                                          f"  ·  pack {info.pack_id[:12]}")
        self.drawRightString(PAGE_WIDTH - MARGIN, 8.5 * mm, f"Pack page {pack_page} of {pack_pages}")
        self.restoreState()


class DocumentStart(Flowable):
    """Marks where a document begins: a bookmark, an outline entry and the footer's title."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        canvas = self.canv
        canvas.heart_document = (self.key, self.title)  # type: ignore[attr-defined]
        canvas.heart_marks.append((self.key, self.title))  # type: ignore[attr-defined]


class SignatureBox(Flowable):
    """A box to sign in: the strokes drawn as vector paths, or empty to sign by hand."""

    def __init__(self, label: str, name: str = "", signed_at: str = "",
                 strokes: Sequence[Sequence[Sequence[float]]] = (), width: float = CONTENT_WIDTH) -> None:
        super().__init__()
        self.label, self.name, self.signed_at, self.strokes = label, name, signed_at, strokes
        self.box_width, self.box_height = 72 * mm, 22.5 * mm
        self.width, self.height = width, self.box_height + 16

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        c = self.canv
        c.setFont(BOLD, 8.5)
        c.drawString(0, self.height - 9, self.label)
        top = self.height - 13
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.rect(0, top - self.box_height, self.box_width, self.box_height)
        if self.strokes:
            c.setStrokeColor(colors.HexColor("#102a5c"))
            c.setLineWidth(1.1)
            c.setLineCap(1)
            c.setLineJoin(1)
            for stroke in self.strokes:
                if len(stroke) < 2:
                    continue
                path = c.beginPath()
                x, y = stroke[0]
                path.moveTo(x * self.box_width, top - y * self.box_height)
                for x, y in stroke[1:]:
                    path.lineTo(x * self.box_width, top - y * self.box_height)
                c.drawPath(path, stroke=1, fill=0)
        c.setStrokeColor(RULE)
        left = self.box_width + 8 * mm
        c.setFillColor(colors.black)
        for row, (caption, value) in enumerate((("Name", self.name), ("Date", _when(self.signed_at)))):
            y = top - 8 - row * 10 * mm
            c.setFont(FONT, 8.5)
            c.drawString(left, y, f"{caption}:")
            c.line(left + 12 * mm, y - 2, self.width, y - 2)
            if value:
                c.drawString(left + 13 * mm, y, value)


def _when(signed_at: str) -> str:
    if not signed_at:
        return ""
    day = signed_at[:10]
    time = signed_at[11:16]
    parts = day.split("-")
    if len(parts) != 3:
        return signed_at
    return f"{parts[2]}/{parts[1]}/{parts[0]}" + (f" {time}" if time else "")


def text(value: Any) -> str:
    """Escape text for a Paragraph; newlines become line breaks."""
    return escape(str(value)).replace("\n", "<br/>")


def para(value: Any, style: Any = None) -> Paragraph:
    return Paragraph(text(value), style or styles().body)


def cell(value: Any, style: Any = None) -> Paragraph:
    return Paragraph(text(value), style or styles().cell)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def kv_table(rows: Sequence[tuple[str, Any]], label_width: float = 62 * mm,
             width: float = CONTENT_WIDTH) -> Table:
    """Label and value rows; a missing value is an empty ruled line to fill in by hand."""
    s = styles()
    data = []
    blanks = []
    for index, (label, value) in enumerate(rows):
        if is_blank(value):
            data.append([cell(label, s.cell_bold), ""])
            blanks.append(index)
        else:
            data.append([cell(label, s.cell_bold), cell(value)])
    table = Table(data, colWidths=[label_width, width - label_width], hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # empty cells too: no unembedded default font
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (0, -1), 0.25, SHADE),
    ]
    for index in blanks:
        commands += [("LINEBELOW", (1, index), (1, index), 0.6, RULE), ("TOPPADDING", (0, index), (-1, index), 9)]
    table.setStyle(TableStyle(commands))
    return table


def grid(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
         right: Sequence[int] = (), totals: int = 0) -> Table:
    """A ruled table whose header repeats on every page it runs onto; ``totals`` last rows bold."""
    s = styles()
    data: list[list[Any]] = [[cell(h, s.cell_right_bold if i in right else s.cell_bold) for i, h in enumerate(header)]]
    for r, row in enumerate(rows):
        bold = r >= len(rows) - totals
        data.append([value if isinstance(value, Flowable) else
                     cell("" if value is None else value,
                          (s.cell_right_bold if bold else s.cell_right) if i in right else
                          (s.cell_bold if bold else s.cell))
                     for i, value in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#D0D0D0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if totals:
        commands.append(("LINEABOVE", (0, len(data) - totals), (-1, len(data) - totals), 0.8, RULE))
    table.setStyle(TableStyle(commands))
    return table


def build(story: list[Flowable], info: PageInfo, out: Any, title: str) -> None:
    """Lay out ``story`` into ``out`` (a file-like) on A4 with the pack's footer; deterministic."""
    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
                          bottomMargin=22 * mm, title=title, author="HEART",
                          subject=f"Application pack {info.reference}",
                          creator=f"HEART Desktop {info.version}", invariant=1, pageCompression=1,
                          # the bundled font from the first operator on: no unembedded Helvetica is referenced
                          initialFontName=FONT, initialFontSize=10)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    def maker(*args: Any, **kwargs: Any) -> Canvas:
        return PackCanvas(*args, info=info, **kwargs)

    doc.build(story, canvasmaker=maker)
