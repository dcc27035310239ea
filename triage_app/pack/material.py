"""The pack's annex: a schedule of the case's attachments, its graded intelligence, and — where
the reviewer chose — the attachments themselves appended as pages.

`gather(conn, case_id, identity, append)` reads the vault (inside the pack's transaction) and
returns a `Material`, which `identity.minimise` treats like the rest of PackData: every string in
it (file names, descriptions, intelligence text) has known victim names replaced by initials. File
names are first split into words ("Statement_KeeleyAshworth-2011.pdf" becomes "Statement Keeley
Ashworth 2011 (pdf)"), since a name run together with underscores, hyphens or capitals would slip
past whole-word matching. C-coded intelligence without a sanitisation decision never enters the
Material at all; a sanitised item carries its sanitised wording.

Appended pages are drawn to images (PDFium for PDFs, Pillow for images) and placed one to a pack
page under the pack's marking: nothing from the source file — scripts, forms, hidden layers, its
own metadata — is carried into the pack. They are reproduced as held, not minimised, which the
schedule says in words; the choice is in the pack's audit entry.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.platypus import CondPageBreak, Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from triage_app.errors import BadInput
from triage_app.material import attachments as att
from triage_app.material import content, intel, limits, render
from triage_app.pack.styles import FRAME_HEIGHT, FRAME_WIDTH, GRID, markup, styles

TITLE = "Annex B. Material held with the case"


@dataclass
class ScheduledFile:
    number: int
    name: str
    description: str
    kind: str
    size: int
    sha256: str
    added_at: str
    added_by: str
    pages: int | None = None
    appended: bool = False


@dataclass
class IntelItem:
    number: int
    date: str
    grade: str
    grade_words: str
    source: str
    text: str
    about: str | None = None
    sanitised: str | None = None      # "decision recorded by rita on 2026-12-02"


@dataclass
class AppendedPage:
    number: int                       # the attachment's number
    page: int
    of: int
    jpeg: bytes = field(repr=False)
    width_px: int = 0
    height_px: int = 0


@dataclass
class Material:
    files: list[ScheduledFile] = field(default_factory=list)
    intelligence: list[IntelItem] = field(default_factory=list)
    pages: list[AppendedPage] = field(default_factory=list)
    withheld: list[int] = field(default_factory=list)   # C items with no sanitisation decision (audit only)

    def audit_detail(self) -> dict:
        return {"attachments_scheduled": [f.number for f in self.files],
                "attachments_appended": [f.number for f in self.files if f.appended],
                "intel_included": [i.number for i in self.intelligence], "intel_withheld": self.withheld}


_SPLIT = re.compile(r"[_\-.+~]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def words_of_name(name: str) -> str:
    """'Statement_KeeleyAshworth-2011.pdf' → 'Statement Keeley Ashworth 2011 (pdf)'."""
    stem, _, ext = name.rpartition(".")
    stem = stem or ext
    words = " ".join(w for w in _SPLIT.sub(" ", stem).split() if w)
    return f"{words} ({ext.lower()})" if stem is not ext else words


def _choose(rows: list[dict], append) -> set[int]:
    if not append:
        return set()
    if append == "all" or (isinstance(append, (list, tuple)) and "all" in append):
        return {r["id"] for r in rows if r["kind"] in att.VIEWABLE}
    chosen = set()
    by_id = {r["id"]: r for r in rows}
    for value in append:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise BadInput("Name the attachments to append by number (see 'attach list'), or 'all'.")
        if number not in by_id:
            raise BadInput(f"The case has no attachment {number} to append.")
        if by_id[number]["kind"] not in att.VIEWABLE:
            raise BadInput(f"Attachment {number} is not a PDF or an image; only those can be appended as pages "
                           "(it stays in the schedule).")
        chosen.add(number)
    return chosen


def _about(it: dict) -> str | None:
    n = it.get("nominal")
    return f"{n['role']} {n['name']}" if n else None


def _jpeg(im) -> tuple[bytes, int, int]:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=82, optimize=True)
    return buf.getvalue(), im.width, im.height


def _pages_of(conn, row: dict, dpi: float) -> list[AppendedPage]:
    out = []
    if row["kind"] == "pdf":
        reader = content.Reader(conn, row["id"], row["size"])
        doc = render.open_pdf(reader)
        try:
            n = len(doc)
            for i in range(n):
                im, _ = render.pdf_page(doc, i, dpi)
                out.append(AppendedPage(row["id"], i + 1, n, *_jpeg(im)))
        finally:
            doc.close()
            reader.close()
    else:
        data = content.read_all(conn, row["id"])
        n = render.image_frames(data)
        for i in range(n):
            out.append(AppendedPage(row["id"], i + 1, n, *_jpeg(render.image_frame(data, i))))
    return out


def gather(conn, case_id: int, identity: str = "initials", append=None) -> Material:
    rows = att.rows(conn, case_id)
    chosen = _choose(rows, append)
    p = limits.pack()
    pages_wanted = sum(r["pages"] or 1 for r in rows if r["id"] in chosen)
    if pages_wanted > int(p["max_appended_pages"]):
        raise BadInput(f"The attachments chosen hold {pages_wanted} pages; a pack may append at most "
                       f"{p['max_appended_pages']}. Choose fewer.")
    m = Material()
    for r in rows:
        name = words_of_name(r["name"]) if identity == "initials" else r["name"]
        m.files.append(ScheduledFile(r["id"], name, r["description"], r["kind"], r["size"], r["sha256"],
                                     r["added_at"], r["added_by"], r["pages"], r["id"] in chosen))
        if r["id"] in chosen:
            m.pages += _pages_of(conn, r, float(p["dpi"]))
    carried, m.withheld = intel.for_pack(conn, case_id)
    for it in carried:
        s = it["sanitisation"]
        m.intelligence.append(IntelItem(it["id"], it["date"], it["grade"], it["grade_words"], it["source"], it["text"],
                                        _about(it), f"decision recorded by {s['by']} on {s['at'][:10]}" if s else None))
    return m


# --- the document --------------------------------------------------------------------------

def _p(text, style="cell") -> Paragraph:
    return Paragraph(markup(text), styles()[style])


def _kind_words(f: ScheduledFile) -> str:
    from triage_app.material.intake import WHAT, human_size
    pages = f" · {f.pages} page{'s' if f.pages != 1 else ''}" if f.pages else ""
    return f"{WHAT[f.kind]}{pages} · {human_size(f.size)}"


def _schedule(m: Material, table) -> list:
    st = styles()
    out = [Paragraph("Schedule of attachments", st["h2"])]
    rows = [[f.number,
             Paragraph(f"<b>{markup(f.name)}</b><br/>{markup(f.description)}", st["cell"]),
             _kind_words(f),
             Paragraph(markup("\n".join(f.sha256[i:i + 16] for i in range(0, 64, 16))), st["mono"]),
             f"{f.added_at[:10]}\n{f.added_by}",
             "Appended" if f.appended else "Held in the vault"] for f in m.files]
    out += table(["No.", "Name and description", "Type", "SHA-256 at intake", "Added", "In this pack"], rows,
                 [0.06, 0.33, 0.15, 0.22, 0.12, 0.12], empty="No attachments are held with this case.")
    if any(f.appended for f in m.files):
        out.append(_p("Appended attachments follow this annex as pages, drawn from the files exactly as held: they "
                      "are not minimised, and may name the victim. Each page's caption gives the attachment number "
                      "and page. Any copy can be checked against the SHA-256 above.", "note"))
    return out


def _intelligence(m: Material, table) -> list:
    st = styles()
    out = [Paragraph("Intelligence (graded 3x5x2)", st["h2"])]
    rows = [[i.number, i.date,
             Paragraph(f"<b>{markup(i.grade)}</b><br/>{markup(i.grade_words.split(': ', 1)[-1])}", st["cell"]),
             Paragraph((f"<i>About {markup(i.about)}</i><br/>" if i.about else "") + markup(i.text)
                       + (f"<br/><i>Sanitised wording ({markup(i.sanitised)})</i>" if i.sanitised else ""), st["cell"]),
             i.source] for i in m.intelligence]
    out += table(["No.", "Date", "Grade", "Intelligence", "Source"], rows, [0.06, 0.13, 0.25, 0.40, 0.16],
                 empty="No intelligence in this pack.")
    out.append(_p("Grades: source 1 reliable, 2 untested, 3 not reliable; intelligence A known directly to the source, "
                  "B known indirectly but corroborated, C known indirectly, D not known, E suspected to be false or "
                  "malicious; handling P lawful sharing permitted, C lawful sharing permitted with the conditions "
                  "shown, which bind the recipient.", "note"))
    return out


def _appended(m: Material) -> list:
    st = styles()
    out = []
    names = {f.number: f.name for f in m.files}
    caption_h = 16
    for pg in m.pages:
        w, h = FRAME_WIDTH, FRAME_HEIGHT - caption_h - 4
        # Fit the frame; a small photograph is not blown up past 96 pixels to the inch.
        ratio = min(w / max(pg.width_px, 1), h / max(pg.height_px, 1), 72 / 96)
        caption = _p(f"Attachment {pg.number}, page {pg.page} of {pg.of}: {names.get(pg.number, '')}", "note")
        framed = Table([[Image(io.BytesIO(pg.jpeg), pg.width_px * ratio, pg.height_px * ratio)]], hAlign="LEFT")
        framed.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        out += [PageBreak(), KeepTogether([caption, framed])]
    return out


def annex(d, table) -> list:
    """The annex's flowables for PackData `d` (empty when the pack has no material)."""
    m = getattr(d, "material", None)
    if m is None:
        return []
    out = [CondPageBreak(FRAME_HEIGHT * 0.3), Paragraph(markup(TITLE), styles()["h1"])]
    out += _schedule(m, table) + [Spacer(1, 6)] + _intelligence(m, table)
    return out + _appended(m)
