"""Fonts, paragraph styles and table styles of the referral pack.

The font is embedded from resources/fonts so the pack renders the same on any machine and its text
stays extractable; everything is black on white or light grey so it reads when printed greyscale.
"""
from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.fonts import addMapping

from triage_app.paths import resource

PAGE = A4
# Printers clip near the edge: nothing is drawn closer than PRINT_EDGE to any side (design.md §5:
# margins of at least 15 mm). The marking and footer sit just inside it, the text frame inside them.
PRINT_EDGE = 15 * mm
MARGIN_X = 20 * mm
MARGIN_TOP = 31 * mm
MARGIN_BOTTOM = 30 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM

SANS, BOLD, ITALIC, BOLD_ITALIC, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique", "DejaVuSansMono"

GRID = colors.Color(0.55, 0.55, 0.55)
HEAD_FILL = colors.Color(0.86, 0.86, 0.86)
QUOTE_RULE = colors.Color(0.45, 0.45, 0.45)


@lru_cache(maxsize=1)
def register_fonts() -> None:
    for name in (SANS, BOLD, ITALIC, BOLD_ITALIC, MONO):
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", f"{name}.ttf"))))
    # So <b> and <i> inside a Paragraph pick the right face.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, BOLD)
    addMapping(SANS, 0, 1, ITALIC)
    addMapping(SANS, 1, 1, BOLD_ITALIC)


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=20, leading=25, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=12, leading=16, spaceAfter=18),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=13, leading=17, spaceBefore=14,
                             spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8,
                             spaceAfter=4, keepWithNext=1),
        "quote": ParagraphStyle("quote", parent=body, leftIndent=12, rightIndent=12, spaceAfter=2,
                                borderPadding=(0, 0, 0, 6)),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        "cellhead": ParagraphStyle("cellhead", parent=body, fontName=BOLD, fontSize=8.5, leading=11, spaceAfter=0),
        "mono": ParagraphStyle("mono", parent=body, fontName=MONO, fontSize=8, leading=11, spaceAfter=0),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11.5, textColor=colors.black),
        "notice": ParagraphStyle("notice", parent=body, fontName=BOLD, fontSize=9.5, leading=13, alignment=TA_CENTER),
    }


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def markup(text) -> str:
    """Free text made safe for a Paragraph: XML specials escaped, control characters dropped,
    line breaks kept."""
    if text is None:
        return ""
    text = _CONTROL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return escape(text).replace("\n", "<br/>")


def table_style(header: bool = True) -> list:
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), SANS),      # else a table names Helvetica, which is not embedded
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    return cmds
