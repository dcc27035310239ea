"""What every page carries: the protective marking top and bottom, the crime reference, Page X of Y.

The total page count is only known once the story is laid out, so the canvas keeps each page's
state and draws the furniture on all of them when the document is saved (one layout pass).
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, getDescent
from reportlab.pdfgen import canvas

from triage_app.pack.styles import BOLD, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE, PRINT_EDGE, SANS, register_fonts

MARKING_SIZE, SMALL = 11, 8
SLACK = 0.5 * mm


class Furniture:
    def __init__(self, marking: str, ref: str, title: str):
        self.marking = marking
        self.ref = ref
        self.title = title

    def draw(self, c: canvas.Canvas, page: int, total: int) -> None:
        width, height = PAGE
        c.saveState()
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        top, bottom = furniture_lines(height)
        # The marking: bold black capitals, centred, outermost, so it survives greyscale copying;
        # everything sits at least PRINT_EDGE from the paper's edge.
        for y in (top["marking"], bottom["marking"]):
            c.setFont(BOLD, MARKING_SIZE)
            c.drawCentredString(width / 2, y, self.marking)
        c.setLineWidth(0.6)
        for y in (top["rule"], bottom["rule"]):
            c.line(MARGIN_X, y, width - MARGIN_X, y)
        c.setFont(SANS, SMALL)
        c.drawString(MARGIN_X, top["text"], self.title)
        c.drawRightString(width - MARGIN_X, top["text"], f"Crime ref {self.ref}")
        c.drawString(MARGIN_X, bottom["text"], f"Crime ref {self.ref}")
        c.drawRightString(width - MARGIN_X, bottom["text"], f"Page {page} of {total}")
        c.restoreState()


def furniture_lines(height: float) -> tuple[dict, dict]:
    """Baselines of the header and footer lines, from the fonts' own ascent and descent, so no
    glyph comes nearer the edge than PRINT_EDGE and none runs into the text frame."""
    register_fonts()
    up, down = getAscent(BOLD, MARKING_SIZE), -getDescent(BOLD, MARKING_SIZE)
    small_up, small_down = getAscent(SANS, SMALL), -getDescent(SANS, SMALL)
    top = {"marking": height - PRINT_EDGE - SLACK - up}
    top["rule"] = top["marking"] - down - 1.5 * mm
    top["text"] = top["rule"] - 2 * mm - small_up
    bottom = {"marking": PRINT_EDGE + SLACK + down}
    bottom["text"] = bottom["marking"] + up + 1.5 * mm + small_down
    bottom["rule"] = bottom["text"] + small_up + 1.5 * mm
    assert top["text"] - small_down > height - MARGIN_TOP and bottom["rule"] < MARGIN_BOTTOM, "furniture overlaps the frame"
    return top, bottom


def canvas_maker(furniture: Furniture):
    class _PagedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            # Otherwise every page names Helvetica, a font the pack does not embed.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or SANS
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                furniture.draw(self, number, total)
                canvas.Canvas.showPage(self)
            canvas.Canvas.save(self)

    return _PagedCanvas
