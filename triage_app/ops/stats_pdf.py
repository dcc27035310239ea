"""The statistics return as one A4 page (ReportLab), for a return sent on paper or as a PDF.

Marked OFFICIAL-SENSITIVE top and bottom like everything the tool prints, although it holds only
suppressed counts: the marking is for the recipient to downgrade, not for us to guess.
"""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from triage_app.disclosure import write_disclosure
from triage_app.errors import TriageError
from triage_app.ops.stats import rows, statistics

MARKING = "OFFICIAL-SENSITIVE"
MARGIN = 18 * mm


def export_pdf(session, out) -> dict:
    """The statistics return as it stands, written to `out` with its disclosure entry (together:
    the file is removed if the entry fails)."""
    def make(conn, entry):
        entry["format"] = "pdf"
        return pdf_bytes(statistics(conn))

    return write_disclosure(session, out, make, permission="read", action="stats.return", detail={"format": "pdf"})


def pdf_bytes(stats: dict) -> bytes:
    lines = rows(stats)
    width, height = A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle("Statistics return")
    c.setAuthor("triage-app")
    for y in (height - 10 * mm, 8 * mm):
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString(width / 2, y, MARKING)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(MARGIN, height - MARGIN - 8 * mm, "Historic NFA case review: statistics return")
    c.setFont("Helvetica", 9)
    c.drawString(MARGIN, height - MARGIN - 14 * mm, f"As of {stats['as_of']}. Counts of 1 to 4 are shown as <5.")
    # Two columns of (section, category, count) so every count fits on one page.
    top = height - MARGIN - 22 * mm
    bottom = MARGIN + 12 * mm
    step = 4.2 * mm
    per_column = int((top - bottom) / step)
    if len(lines) > 2 * per_column:
        raise TriageError("The statistics return has too many categories for one page; use --csv or --json.")
    col_width = (width - 2 * MARGIN) / 2
    section_seen = None
    for i, (section, category, value) in enumerate(lines):
        col, row = divmod(i, per_column)
        x = MARGIN + col * col_width
        y = top - row * step
        if row % 2 == 0:
            c.setFillColor(colors.Color(0.93, 0.93, 0.93))
            c.rect(x - 1 * mm, y - 1.2 * mm, col_width - 4 * mm, step, stroke=0, fill=1)
            c.setFillColor(colors.black)
        c.setFont("Helvetica-Bold" if section != section_seen else "Helvetica", 8)
        c.drawString(x, y, section.replace("_", " ") if section != section_seen else "")
        section_seen = section
        c.setFont("Helvetica", 8)
        c.drawString(x + 38 * mm, y, str(category).replace("_", " ")[:28])
        c.drawRightString(x + col_width - 6 * mm, y, str(value))
    if stats.get("rounded"):
        c.setFont("Helvetica", 7)
        c.drawString(MARGIN, MARGIN + 4 * mm,
                     "Rounded to the nearest 5 so that a hidden count can't be worked out: "
                     + ", ".join(stats["rounded"])[:150])
    c.showPage()
    c.save()
    return buf.getvalue()
