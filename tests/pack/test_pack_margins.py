"""Packs are made to be printed (design.md §5): A4 with margins of at least 15 mm. Printers clip
near the edge, so the marking, the footer and everything else must sit inside those margins.
Measured on the rendered PDF with pdfplumber (character boxes and drawn lines)."""
import io

import pdfplumber
import pytest

from triage_app.pack.document import render
from triage_app.pack.identity import minimise
from triage_app.pack.sample import sample_pack

MM = 72 / 25.4
MIN_MARGIN = 15 * MM


@pytest.fixture(scope="module")
def pages():
    pdf = render(minimise(sample_pack(inquiries=30, linked=20, long_text=True)))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        yield [(p.width, p.height, list(p.chars), list(p.lines) + list(p.rects)) for p in doc.pages]


def _outside(width, height, box) -> bool:
    return (box["x0"] < MIN_MARGIN - 0.01 or box["x1"] > width - MIN_MARGIN + 0.01
            or box["top"] < MIN_MARGIN - 0.01 or box["bottom"] > height - MIN_MARGIN + 0.01)


def test_every_character_sits_at_least_15_mm_from_every_edge(pages):
    assert len(pages) >= 8
    for n, (width, height, chars, _) in enumerate(pages, start=1):
        assert (round(width), round(height)) == (595, 842)                  # A4
        bad = [c for c in chars if _outside(width, height, c)]
        assert not bad, (f"page {n}: {''.join(c['text'] for c in bad)[:60]!r} closest "
                         f"{min(min(c['top'], height - c['bottom'], c['x0'], width - c['x1']) for c in bad) / MM:.1f} mm")


def test_marking_and_footer_are_on_every_page_inside_the_margin(pages):
    for n, (width, height, chars, _) in enumerate(pages, start=1):
        top = min(c["top"] for c in chars)
        bottom = max(c["bottom"] for c in chars)
        first_line = "".join(c["text"] for c in chars if abs(c["top"] - top) < 1)
        last_line = "".join(c["text"] for c in chars if abs(c["bottom"] - bottom) < 1)
        assert "OFFICIAL-SENSITIVE" in first_line and "OFFICIAL-SENSITIVE" in last_line, n
        assert top >= MIN_MARGIN and height - bottom >= MIN_MARGIN, n


def test_rules_and_table_lines_stay_inside_the_margins(pages):
    for n, (width, height, _, drawn) in enumerate(pages, start=1):
        bad = [d for d in drawn if _outside(width, height, d)]
        assert not bad, f"page {n}: a line or box at {bad[0]['x0'] / MM:.1f},{bad[0]['top'] / MM:.1f} mm"
