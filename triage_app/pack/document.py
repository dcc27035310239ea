"""The referral pack as a ReportLab platypus story, built from a PackData and nothing else.

Written for a Taskforce officer who never saw the case: every section says plainly what the review
found, quotes the original decision, and lists what should happen next. Free text is always put
through `markup` (escaped, line breaks kept) and tables hold Paragraphs so long text wraps; tables
repeat their header row and may split inside a row, so nothing runs off the page.
"""
from __future__ import annotations

import io
import tomllib
from datetime import datetime
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Frame, KeepTogether, PageBreak, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)

from triage_app import __version__
from triage_app.pack import chronology, proposal_evidence
from triage_app.pack.material import annex as material_annex
from triage_app.pack.model import PackData
from triage_app.pack.pages import Furniture, canvas_maker
from triage_app.pack.styles import (FRAME_HEIGHT, FRAME_WIDTH, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE,
                                    QUOTE_RULE, SANS, markup, styles, table_style)
from triage_app.paths import resource

TITLE = "Referral pack: review of a No Further Action decision"
SECTIONS = ("1. The original case and the NFA decision", "2. Triage result and eligibility",
            "3. Checklist findings", "4. Lines of inquiry", "5. Linked cases",
            "6. The victim's wishes and support", "7. Recommendation", "8. Supervisor's sign-off",
            "9. Document control")
_PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_ANSWERS = {"yes": "Yes", "no": "No", "na": "N/A"}


@lru_cache(maxsize=1)
def _wording() -> dict:
    with open(resource("pack", "outcome_codes.toml"), "rb") as f:
        return tomllib.load(f)


def _p(text, style="cell") -> Paragraph:
    return Paragraph(markup(text), styles()[style])


def _first_up(text) -> str | None:
    """Labels recorded in lower case ('visit', 'same phone …') start with a capital in print."""
    return text[:1].upper() + text[1:] if isinstance(text, str) and text else text


def _or_dash(value) -> str:
    return "—" if value in (None, "", []) else str(value)


def _table(header: list[str], rows: list[list], widths: list[float], *, empty: str) -> list:
    if not rows:
        return [_p(empty, "body")]
    data = [[_p(h, "cellhead") for h in header]]
    data += [[c if isinstance(c, Paragraph) else _p(_or_dash(c)) for c in row] for row in rows]
    widths = [w * FRAME_WIDTH for w in widths]
    t = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=_needs_row_split(data, widths),
              hAlign="LEFT")
    t.setStyle(TableStyle(table_style()))
    return [t, Spacer(1, 4)]


def _needs_row_split(data: list, widths: list[float]) -> int:
    """Split inside a row only when some row may be too tall to move whole to the next page: a row
    continued without its number or title is easy to misread, so whole rows are kept where possible.
    Estimated from the text length (laying the table out twice would double the cost of a pack)."""
    cell = styles()["cell"]
    per_char = cell.fontSize * 0.55
    tallest = 0.0
    for row in data[1:]:
        for c, w in zip(row, widths):
            text = c.getPlainText() if isinstance(c, Paragraph) else str(c)
            chars = max(1.0, (w - 8) / per_char)
            lines = sum(1 + int(len(part) / chars) for part in text.split("\n"))
            tallest = max(tallest, lines * cell.leading)
    return int(tallest > FRAME_HEIGHT * 0.6)


def _fields(pairs: list[tuple[str, object]]) -> list:
    data = [[_p(k, "cellhead"), v if isinstance(v, Paragraph) else _p(_or_dash(v))] for k, v in pairs]
    t = Table(data, colWidths=[0.3 * FRAME_WIDTH, 0.7 * FRAME_WIDTH], splitInRow=1, hAlign="LEFT")
    t.setStyle(TableStyle(table_style(header=False) + [("BACKGROUND", (0, 0), (0, -1), (0.93, 0.93, 0.93))]))
    return [t, Spacer(1, 4)]


def _quote(text, *, absent: str) -> list:
    """A recorded text quoted as written, marked off by a rule at its left."""
    if not text or not str(text).strip():
        return [_p(absent, "body")]
    s = styles()["quote"]
    paras = [part.strip() for part in str(text).replace("\r\n", "\n").split("\n\n") if part.strip()]
    out = []
    for i, part in enumerate(paras):
        body = ("“" if i == 0 else "") + markup(part) + ("”" if i == len(paras) - 1 else "")
        out.append(Paragraph(body, s))
    t = Table([[o] for o in out], colWidths=[FRAME_WIDTH], splitInRow=1, hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS), ("LINEBEFORE", (0, 0), (0, -1), 2, QUOTE_RULE), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return [t, Spacer(1, 6)]


def _long_date(iso: str | None) -> str:
    try:
        day = datetime.strptime((iso or "")[:10], "%Y-%m-%d")
    except ValueError:
        return iso or "—"
    return f"{day.day} {day.strftime('%B %Y')}"  # no %-d: not portable to Windows


def _utc(iso: str | None) -> str:
    return f"{iso[:10]} {iso[11:19]} UTC" if iso and len(iso) >= 19 else (iso or "—")


def _yes_no_unknown(value: bool | None, yes: str, no: str) -> str:
    return {True: yes, False: no}.get(value, "Unknown: a criterion cannot be checked from the record")


def _cover(d: PackData) -> list:
    st = styles()
    so = d.signoff
    signed = ", ".join(x for x in (so.by, so.role, _long_date(so.date) if so.date else None) if x)
    identity = ("Minimised: victims shown by initials and age at the offence" if d.control.identity == "initials"
                else "FULL victim identity, by explicit choice recorded in the audit log")
    out = [Spacer(1, 18 * mm), Paragraph(markup(TITLE), st["title"]),
           Paragraph("For the Child Sexual Exploitation Taskforce", st["subtitle"])]
    out += _fields([("Crime reference", d.ref), ("Force", d.force), ("Date of this pack", _long_date(d.control.generated_at)),
                    ("Prepared by", d.prepared_by), ("Signed off by", signed),
                    ("Recommendation", _wording()["recommendations"].get(d.recommendation or "", d.recommendation)),
                    ("Protective marking", d.marking), ("Pack", f"{d.control.pack_id}, version {d.control.version}"),
                    ("Victim identity", identity)])
    out += [Spacer(1, 10 * mm),
            Paragraph(markup(f"{d.marking}. This pack holds sensitive personal data (DPA 2018 Part 3). "
                             "Share it only with those who need it to act on this case; its issue is logged."),
                      st["notice"]),
            PageBreak()]
    return out


def _original_case(d: PackData) -> list:
    st, c = styles(), d.case
    codes = _wording()["codes"]
    outcome = c.get("outcome_code")
    outcome_text = f"{outcome}: {codes[str(outcome)]}" if outcome and str(outcome) in codes else outcome
    offence = " ".join(x for x in (c.get("offence_code"), c.get("offence_description")) if x)
    out = [Paragraph(markup(SECTIONS[0]), st["h1"])]
    out += _fields([("Offence", offence), ("Offence date", c.get("offence_date")), ("Reported", c.get("reported_date")),
                    ("Location", c.get("location")), ("Officer in case", c.get("officer_in_case")),
                    ("Exhibits retained", c.get("exhibits_retained")), ("NFA date", c.get("nfa_date")),
                    ("Outcome", outcome_text)])
    out.append(Paragraph("People on the case", st["h2"]))
    rows = [[p.role.capitalize(), p.shown_as, p.dob if p.role != "victim" or d.control.identity == "full" else None,
             p.gender, p.ethnicity] for p in sorted(d.people, key=lambda p: ("victim", "suspect", "witness", "other").index(p.role) if p.role in ("victim", "suspect", "witness", "other") else 9)]
    out += _table(["Role", "Shown as", "Date of birth", "Gender", "Ethnicity"], rows, [0.12, 0.40, 0.15, 0.11, 0.22],
                  empty="No people are recorded on this case.")
    out.append(Paragraph("Summary as recorded", st["h2"]))
    out += _quote(c.get("summary"), absent="No summary was recorded.")
    out.append(Paragraph("The NFA decision: rationale as recorded", st["h2"]))
    out += _quote(c.get("nfa_rationale"), absent="No rationale was recorded for the NFA decision.")
    return out


def _triage(d: PackData) -> list:
    st = styles()
    out = [Paragraph(markup(SECTIONS[1]), st["h1"]),
           Paragraph(markup(f"Priority score: {_or_dash(d.priority)}"), st["body"])]
    out += _table(["Reason", "Points"], [[_first_up(f.reason), f.points] for f in d.factors], [0.85, 0.15],
                  empty="No priority factors were recorded.")
    screens = [Paragraph("Eligibility screens", st["h2"])]
    screens += _fields([("Operation Beaconport", _yes_no_unknown(d.beaconport, "Meets the published intake criteria",
                                                              "Does not meet the intake criteria")),
                    ("CSARP (NFA before 5 Jun 2013, victim under 18)",
                     _yes_no_unknown(d.csarp, "Within the panel's original remit", "Outside the original remit"))])
    if d.eligibility_why:
        screens.append(Paragraph("Why", st["h2"]))
        screens += [Paragraph("• " + markup(_first_up(w)), st["body"]) for w in d.eligibility_why]
    # The screens and their reasons are read together; a page break between them misleads.
    return out + [KeepTogether(screens)]


def _findings(d: PackData) -> list:
    st = styles()
    version = f"Checklist {_or_dash(d.checklist_id)}, version {_or_dash(d.checklist_version)}."
    # The section names the area of work; the item id is for the vault, not the reader.
    rows = [[n, proposal_evidence.question_cell(f), _ANSWERS.get(f.answer, f.answer), f.note]
            for n, f in enumerate(d.findings, start=1)]
    return [Paragraph(markup(SECTIONS[2]), st["h1"]), Paragraph(markup(version), st["body"])] + _table(
        ["No.", "Checklist question", "Answer", "Reviewer's note"], rows, [0.06, 0.44, 0.10, 0.40],
        empty="No checklist items were answered.")


def _inquiries(d: PackData) -> list:
    st = styles()
    ordered = sorted(d.inquiries, key=lambda i: (_PRIORITY_ORDER.get(str(i.priority).lower(), 3), str(i.number).zfill(6)))
    rows = [[i.number, str(i.priority).capitalize(), str(i.category or "").capitalize(), i.title, i.rationale, i.owner] for i in ordered]
    return [Paragraph(markup(SECTIONS[3]), st["h1"])] + _table(
        ["No.", "Priority", "Category", "Title", "Rationale", "Owner"], rows, [0.06, 0.10, 0.14, 0.22, 0.36, 0.12],
        empty="The review raised no lines of inquiry.")


def _linked(d: PackData) -> list:
    st = styles()
    rows = [[l.ref, (l.strength or "").capitalize(), "Confirmed" if l.judgement == "confirmed" else "Not yet judged",
             Paragraph("<br/>".join("• " + markup(_first_up(b)) for b in l.basis) or "—", st["cell"])] for l in d.linked]
    return [Paragraph(markup(SECTIONS[4]), st["h1"])] + _table(
        ["Case", "Strength", "Judgement", "Basis of the link"], rows, [0.22, 0.12, 0.16, 0.50],
        empty="No other case in this vault is linked to this one.")


def _victim(d: PackData) -> list:
    st = styles()
    out = [Paragraph(markup(SECTIONS[5]), st["h1"])]
    out += _table(["Date", "Method", "Outcome", "Wishes"], [[c.date, _first_up(c.method), c.outcome, c.wishes] for c in d.contacts],
                  [0.13, 0.15, 0.32, 0.40], empty="No contact with the victim is recorded in this review.")
    out.append(Paragraph("Support offered", st["h2"]))
    out += [Paragraph("• " + markup(s), st["body"]) for s in d.support] or [_p("No support offer is recorded.", "body")]
    return out


def _recommendation(d: PackData) -> list:
    st = styles()
    wording = _wording()["recommendations"].get(d.recommendation or "", d.recommendation or "No recommendation recorded")
    return [Paragraph(markup(SECTIONS[6]), st["h1"]), Paragraph("<b>" + markup(wording) + "</b>", st["body"]),
            Paragraph("Rationale", st["h2"])] + _quote(d.recommendation_rationale, absent="No rationale was recorded.")


def _signoff(d: PackData) -> list:
    so = d.signoff
    decision = "Approved" if so.decision in ("approve", "approved") else so.decision
    return [KeepTogether([Paragraph(markup(SECTIONS[7]), styles()["h1"])] + _fields(
        [("Name", so.by), ("Role", _first_up(so.role)), ("Date", _long_date(so.date) if so.date else None), ("Decision", decision), ("Comment", so.comment)]))]


def _control(d: PackData) -> list:
    k = d.control
    mono = styles()["mono"]
    return [KeepTogether([Paragraph(markup(SECTIONS[8]), styles()["h1"])] + _fields([
        ("Pack id", Paragraph(markup(k.pack_id), mono)), ("Version", k.version),
        ("Review version", k.review_version), ("Generated by", k.generated_by), ("Generated at", _utc(k.generated_at)),
        ("Victim identity", k.identity),
        ("Audit chain head", Paragraph(markup(f"entry {k.audit_seq}\n{k.audit_hash}"), mono)),
        ("Produced with", f"triage-app {__version__}"),
        ("Verify", "triage-app verify-pack FILE.pdf checks this file against the vault that issued it."),
    ]))]


def story(d: PackData) -> list:
    out = _cover(d) + _original_case(d) + _triage(d) + _findings(d) + _inquiries(d) + _linked(d) + _victim(d)
    out = out + _recommendation(d) + _signoff(d) + _control(d) + chronology.section(d)  # Annex A
    return out + material_annex(d, _table)  # Annex B: attachments, intelligence, appended pages


def render(d: PackData) -> bytes:
    """The PDF bytes of the pack. `d` must already be minimised (identity.minimise)."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=f"{TITLE}: {d.ref}", author=f"{d.prepared_by} ({d.force})",
                          subject=f"Referral pack {d.control.pack_id} for crime ref {d.ref}; {d.marking}",
                          keywords=f"pack_id:{d.control.pack_id} {d.marking}", creator=f"triage-app {__version__}")
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story(d), canvasmaker=canvas_maker(Furniture(d.marking, d.ref, "Referral pack")))
    return buf.getvalue()
