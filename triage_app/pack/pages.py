"""What every page carries: the protective marking top and bottom, the crime reference, Page X of Y.

The total page count is only known once the story is laid out, so the canvas keeps each page's
state and draws the furniture on all of them when the document is saved (one layout pass).
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from triage_app.pack.styles import BOLD, MARGIN_X, PAGE, SANS


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
        # The marking: bold black capitals, centred, between rules, so it survives greyscale copying.
        for y in (height - 13 * mm, 9 * mm):
            c.setFont(BOLD, 11)
            c.drawCentredString(width / 2, y, self.marking)
        c.setLineWidth(0.6)
        c.line(MARGIN_X, height - 16 * mm, width - MARGIN_X, height - 16 * mm)
        c.line(MARGIN_X, 17 * mm, width - MARGIN_X, 17 * mm)
        c.setFont(SANS, 8)
        c.drawString(MARGIN_X, height - 20 * mm, self.title)
        c.drawRightString(width - MARGIN_X, height - 20 * mm, f"Crime ref {self.ref}")
        c.drawString(MARGIN_X, 13 * mm, f"Crime ref {self.ref}")
        c.drawRightString(width - MARGIN_X, 13 * mm, f"Page {page} of {total}")
        c.restoreState()


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
