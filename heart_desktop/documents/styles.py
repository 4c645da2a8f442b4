"""Fonts and paragraph styles of the pack: DejaVu Sans, bundled, so it prints the same anywhere.

The font files and their licence are in ``resources/fonts``; reportlab embeds the glyphs used
(a subset) in every PDF, so no printer or viewer needs the font installed.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from heart_desktop.paths import resources_dir

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
SHADE = colors.HexColor("#E8EEF4")
ACCENT = colors.HexColor("#1F4E79")


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the bundled fonts once per process."""
    folder = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


class Styles:
    """The handful of styles every document uses."""

    def __init__(self) -> None:
        register_fonts()
        self.body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10, textColor=GREY, spaceAfter=2)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=BOLD)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=2)
        self.cell_right_bold = ParagraphStyle("cell_right_bold", parent=self.cell_right, fontName=BOLD)
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=16, leading=20,
                                    spaceAfter=8, textColor=ACCENT)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=8,
                                 spaceAfter=4, textColor=ACCENT, keepWithNext=1)
        # a heading over a long table: keeping it with the table would push the whole table to the next page
        self.h2_table = ParagraphStyle("h2_table", parent=self.h2, keepWithNext=0)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=BOLD, fontSize=10, leading=12.5, spaceBefore=5,
                                 spaceAfter=2, keepWithNext=1)
        self.condition = ParagraphStyle("condition", parent=self.body, leftIndent=10, spaceAfter=6)


@lru_cache(maxsize=1)
def styles() -> Styles:
    return Styles()
