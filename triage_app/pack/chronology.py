"""Annex A of the referral pack: the chronology of the case and its linked cluster.

A drawn timeline (a lane per case, each event a black mark whose shape says its kind, so it reads
in greyscale; bursts boxed in grey, gaps hatched) and the table of every event in date order. It is
built from `PackData.chronology`, already minimised (`triage_app.chronology.build` with the pack's
identity level, then `identity.minimise` over all free text), and never reads the vault.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from triage_app.chronology.patterns import history_span
from triage_app.pack.styles import (BOLD, FRAME_HEIGHT, FRAME_WIDTH, SANS, markup, register_fonts, styles,
                                    table_style)

TITLE = "Annex A. Chronology of the case and its linked cases"
KIND_WORDS = {"offence": "Offence", "text": "From the record's text", "added": "Added by the reviewer",
              "report": "Reported", "nfa": "NFA decision", "review-started": "Review started",
              "review-submitted": "Review submitted", "review-returned": "Review returned",
              "review-approved": "Review approved"}
LEGEND = ("Marks: ◆ offence  ● reported  ■ NFA decision  ○ date from the record's text  ▲ added by the reviewer  "
          "▮ review step.  Grey box: a burst (offences on several cases at one place within weeks).  "
          "Hatched: a gap (a year or more with nothing recorded).  Dashed lane: a case joined by a suggested link "
          "(p: its match probability).  "
          "// : a break in the time axis before the review's own steps.")
LABEL_W = 40 * mm
REVIEW_W = 16 * mm        # the review's own steps, beyond a break in the time axis
BREAK_W = 5 * mm
AXIS_H = 16
MAX_LANE_H = 16.0
MIN_LANE_H = 8.0
GREY = colors.Color(0.55, 0.55, 0.55)
LIGHT = colors.Color(0.86, 0.86, 0.86)


def _ord(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def _years(t0: float, t1: float, width: float) -> list[tuple[int, str]]:
    d0, d1 = date.fromordinal(int(t0)), date.fromordinal(int(t1) + 1)
    per_year = width / max((t1 - t0) / 365.25, 0.01)
    if per_year >= 110:                     # room for quarters
        out = []
        for y in range(d0.year, d1.year + 1):
            for m in (1, 4, 7, 10):
                out.append((date(y, m, 1).toordinal(), str(y) if m == 1 else date(y, m, 1).strftime("%b")))
        return out
    every = 1 if per_year >= 26 else 2 if per_year >= 13 else 5
    return [(date(y, 1, 1).toordinal(), str(y)) for y in range(d0.year, d1.year + 1) if y % every == 0]


class TimelineDrawing(Flowable):
    """Lanes `lanes` of the chronology, over its whole date range, `FRAME_WIDTH` wide."""

    def __init__(self, chron, lanes: list[tuple[str, str]], lane_h: float, burst_names: dict[int, str]):
        super().__init__()
        self.chron = chron
        self.lanes = lanes
        self.lane_h = lane_h
        self.burst_names = burst_names
        self.width = FRAME_WIDTH
        self.height = AXIS_H + lane_h * len(lanes) + 4
        first, last, r0, r1 = history_span(chron.events)
        a, b = _ord(first), _ord(last)
        pad = max(20.0, (b - a) * 0.02)
        self.t0, self.t1 = a - pad, b + pad
        self.r = None if r0 is None else (_ord(r0) - 20, _ord(r1) + 20)
        self.main_right = self.width - 2 - (REVIEW_W + BREAK_W if self.r else 0)

    def wrap(self, aw, ah):
        return self.width, self.height

    def x(self, ordinal: float) -> float:
        if self.r and ordinal >= self.r[0]:
            left = self.main_right + BREAK_W
            return left + (ordinal - self.r[0]) / max(self.r[1] - self.r[0], 1) * (self.width - 2 - left)
        return LABEL_W + (ordinal - self.t0) / (self.t1 - self.t0) * (self.main_right - LABEL_W)

    def lane_y(self, i: int) -> float:
        """The centre line of lane i (drawing coordinates: y grows upwards)."""
        return self.height - AXIS_H - self.lane_h * (i + 0.5)

    def draw(self):
        c = self.canv
        lane_index = {k: i for i, (k, _) in enumerate(self.lanes)}
        members = {m.ref: m for m in self.chron.members}
        top, bottom = self.height - AXIS_H, self.height - AXIS_H - self.lane_h * len(self.lanes)
        c.saveState()
        # Gaps, hatched across every lane.
        c.setStrokeColor(GREY)
        c.setLineWidth(0.4)
        for g in self.chron.gaps:
            x0, x1 = self.x(_ord(g.start) + 2), self.x(_ord(g.end) - 2)
            if x1 - x0 < 6:
                continue
            path = c.beginPath()
            path.rect(x0, bottom, x1 - x0, top - bottom)
            c.saveState()
            c.clipPath(path, stroke=0, fill=0)
            step = 5.0
            k = x0 - (top - bottom)
            while k < x1:
                c.line(k, bottom, k + (top - bottom), top)
                k += step
            c.restoreState()
            c.setFillColor(colors.white)
            label = f"gap {g.days / 365.25:.1f} y"
            w = c.stringWidth(label, SANS, 6.5) + 4
            if x1 - x0 > w:
                c.rect((x0 + x1 - w) / 2, top - 10, w, 9, stroke=0, fill=1)
                c.setFillColor(colors.black)
                c.setFont(SANS, 6.5)
                c.drawCentredString((x0 + x1) / 2, top - 7.5, label)
        # Bursts: a grey box behind their lanes, named B1, B2 … as in the list below the drawing.
        for n, b in enumerate(self.chron.bursts):
            rows = sorted({lane_index[r] for r in b.cases if r in lane_index})
            if not rows:
                continue
            x0, x1 = self.x(_ord(b.start)) - 4, self.x(_ord(b.end)) + 4
            y0 = self.lane_y(rows[-1]) - self.lane_h / 2 + 1
            y1 = self.lane_y(rows[0]) + self.lane_h / 2 - 1
            c.setFillColor(LIGHT)
            c.setStrokeColor(colors.black)
            c.setDash(2, 1.5)
            c.setLineWidth(0.6)
            c.rect(x0, y0, max(x1 - x0, 8), y1 - y0, stroke=1, fill=1)
            c.setDash()
            c.setFillColor(colors.black)
            c.setFont(BOLD, 6.5)
            c.drawString(max(x1 - x0, 8) + x0 + 2, y1 - 7, self.burst_names.get(n, ""))
        # Axis.
        c.setFont(SANS, 6.5)
        c.setStrokeColor(GREY)
        c.setLineWidth(0.3)
        for ordinal, label in _years(self.t0, self.t1, self.main_right - LABEL_W):
            x = self.x(ordinal)
            if x < LABEL_W or x > self.main_right - 10:
                continue
            c.line(x, bottom, x, top + 3)
            c.setFillColor(colors.black)
            c.drawString(x + 1.5, top + 5, label)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.6)
        c.line(LABEL_W, top, self.main_right, top)
        if self.r:      # the break: two slanted strokes, then the review's own steps
            c.setFillColor(colors.white)
            c.rect(self.main_right, bottom, BREAK_W, top - bottom + 6, stroke=0, fill=1)
            for dx in (1.2 * mm, 3 * mm):
                c.line(self.main_right + dx - 1.2, top - 3, self.main_right + dx + 1.2, top + 3)
            c.line(self.main_right + BREAK_W, top, self.width, top)
            c.setFillColor(colors.black)
            c.drawCentredString((self.main_right + BREAK_W + self.width) / 2, top + 5,
                                f"review {date.fromordinal(self.r[0] + 20).year}")
        # Lanes and their labels.
        font = 6.5 if self.lane_h < 11 else 7.5
        for i, (key, label) in enumerate(self.lanes):
            y = self.lane_y(i)
            m = members.get(key)
            text = label
            if m is not None and m.link:        # a dashed lane says "suggested"; the label gives its probability
                text = f"{label}  {'confirmed' if m.link == 'confirmed' else f'p {m.probability:.2f}'}"
            c.setFont(BOLD if m is not None and m.link is None else SANS, font)
            c.setFillColor(colors.black)
            while c.stringWidth(text, SANS, font) > LABEL_W - 4 and len(text) > 8:
                text = text[:-2] + "…"
            c.drawString(0, y - font / 3, text)
            c.setStrokeColor(GREY)
            c.setLineWidth(0.4)
            c.setDash(*((1.5, 1.5) if m is not None and m.link == "suggested" else ()))
            c.line(LABEL_W, y, self.main_right, y)
            if self.r:
                c.line(self.main_right + BREAK_W, y, self.width, y)
            c.setDash()
        # Marks: black, shapes by kind.
        r = max(1.6, min(2.6, self.lane_h / 4.5))
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.5)
        for e in self.chron.events:
            i = lane_index.get(e.case)
            if i is None:
                continue
            self._mark(c, e.kind, self.x(_ord(e.date)), self.lane_y(i), r)
        c.restoreState()

    @staticmethod
    def _mark(c, kind: str, x: float, y: float, r: float) -> None:
        c.setFillColor(colors.black)
        if kind == "offence":
            p = c.beginPath()
            p.moveTo(x, y + r + 0.6)
            p.lineTo(x + r + 0.6, y)
            p.lineTo(x, y - r - 0.6)
            p.lineTo(x - r - 0.6, y)
            p.close()
            c.drawPath(p, stroke=1, fill=1)
        elif kind == "report":
            c.circle(x, y, r, stroke=1, fill=1)
        elif kind == "nfa":
            c.rect(x - r + 0.3, y - r + 0.3, 2 * r - 0.6, 2 * r - 0.6, stroke=1, fill=1)
        elif kind == "text":
            c.setFillColor(colors.white)
            c.circle(x, y, r, stroke=1, fill=1)
        elif kind == "added":
            p = c.beginPath()
            p.moveTo(x, y + r + 0.4)
            p.lineTo(x + r, y - r + 0.4)
            p.lineTo(x - r, y - r + 0.4)
            p.close()
            c.drawPath(p, stroke=1, fill=1)
        else:
            c.rect(x - 0.7, y - r, 1.4, 2 * r, stroke=0, fill=1)


def drawings(chron) -> list[Flowable]:
    """The timeline, split into pages of lanes when the cluster has more lanes than a page holds."""
    register_fonts()
    lanes = chron.lanes("case")
    room = FRAME_HEIGHT - 150          # heading, introduction and legend share the first page
    per_page = max(1, int((room - AXIS_H) // MIN_LANE_H))
    lane_h = min(MAX_LANE_H, max(MIN_LANE_H, (room - AXIS_H) / max(len(lanes), 1)))
    names = {n: f"B{n + 1}" for n in range(len(chron.bursts))}
    out: list[Flowable] = []
    for start in range(0, len(lanes), per_page):
        out += [TimelineDrawing(chron, lanes[start:start + per_page], lane_h, names), Spacer(1, 4)]
    return out


def _names(m_people, role: str) -> str:
    return "; ".join(p.shown_as for p in m_people if p.role == role) or "—"


def _cases_table(chron) -> list:
    """Each case once, with how it is linked and its people (events repeat them otherwise)."""
    st = styles()
    small = st["cell"].clone("chronocases", fontSize=7.5, leading=9.5)
    head = st["cellhead"]
    people: dict[str, list] = {}
    for e in chron.events:
        people.setdefault(e.case, e.people)
    rows = [[Paragraph(markup(h), head) for h in ("Case", "Tied to this case", "Victims", "Suspects")]]
    for m in chron.members:
        how = ("This case" if m.link is None else
               f"{'Confirmed link' if m.link == 'confirmed' else 'Suggested link'} via {m.via}"
               + (f", match probability {m.probability:.2f}" if m.link == "suggested" else ""))
        ps = people.get(m.ref, [])
        rows.append([Paragraph(markup(m.ref), small), Paragraph(markup(how), small),
                     Paragraph(markup(_names(ps, "victim")), small), Paragraph(markup(_names(ps, "suspect")), small)])
    t = Table(rows, colWidths=[w * FRAME_WIDTH for w in (0.19, 0.33, 0.20, 0.28)], repeatRows=1, splitByRow=1,
              hAlign="LEFT")
    t.setStyle(TableStyle(table_style() + [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [t]


def _table(chron) -> list:
    st = styles()
    small = st["cell"].clone("chronocell", fontSize=7.5, leading=9.5)
    rows = [[Paragraph(markup(h), st["cellhead"]) for h in ("Date", "Case", "What happened", "Source")]]
    for e in chron.events:
        what = markup(e.text)
        if e.kind in ("text", "added"):     # the others say what they are in their own words
            what = f"<b>{markup(KIND_WORDS[e.kind])}</b>: {what}"
        rows.append([Paragraph(markup(e.date), small), Paragraph(markup(e.case), small), Paragraph(what, small),
                     Paragraph(markup(e.source), small)])
    widths = [w * FRAME_WIDTH for w in (0.12, 0.18, 0.48, 0.22)]
    t = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1, hAlign="LEFT")
    t.setStyle(TableStyle(table_style() + [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [t]


def _introduction(chron) -> str:
    confirmed = sum(1 for m in chron.members if m.link == "confirmed")
    suggested = sum(1 for m in chron.members if m.link == "suggested")
    identity = ("Victims are shown by initials and age at the offence; their names and identifiers are replaced "
                "in quoted text." if chron.identity == "initials" else
                "FULL victim identity is shown, by an explicit choice recorded in the audit log.")
    return (f"{len(chron.events)} dated events across {len(chron.members)} cases: this case, "
            f"{confirmed} joined by links a reviewer confirmed and {suggested} joined by links the linker suggests "
            f"(match probability at least {chron.min_probability:.2f}, not yet confirmed). Events come from the crime "
            f"records, dates in the records' text that a reviewer confirmed, events a reviewer added, and the "
            f"review itself; each gives its source. {identity}")


def section(d) -> list:
    """Annex A, or nothing when the pack carries no chronology (a pack built without one)."""
    chron = getattr(d, "chronology", None)
    if chron is None:
        return []
    st = styles()
    out = [PageBreak(), Paragraph(markup(TITLE), st["h1"])]
    if not chron.events:
        return out + [Paragraph("No dated events are recorded for this case or its linked cases.", st["body"])]
    first = [Paragraph(markup(_introduction(chron)), st["body"])]
    pictures = drawings(chron)
    legend = Paragraph(markup(LEGEND), st["note"])
    patterns = [Paragraph(markup(f"B{n + 1}: offences on {len(b.cases)} cases at {b.place}, {b.start} to {b.end} "
                                 f"({', '.join(b.cases)})."), st["note"]) for n, b in enumerate(chron.bursts)]
    patterns += [Paragraph(markup(f"Gap: nothing recorded in the cluster from {g.start} to {g.end} ({g.days} days)."),
                           st["note"]) for g in chron.gaps]
    out += [KeepTogether(first + pictures[:2] + [legend])] + pictures[2:] + patterns
    # A heading stays with the start of its table (CondPageBreak); keepWithNext would move a table
    # longer than the room left to the next page whole, leaving half a page empty.
    h2 = st["h2"].clone("chronoh2", keepWithNext=0)
    out += [CondPageBreak(80), Paragraph("The cases and their people", h2)] + _cases_table(chron)
    out += [CondPageBreak(80), Paragraph("Every event in date order", h2)] + _table(chron)
    return out
