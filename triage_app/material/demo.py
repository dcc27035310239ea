"""Synthetic material for the demo vault: a statement, a photograph, a referral and three graded
intelligence items on the case at the top of the queue. Every word and picture is made up here."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

STATEMENT = [
    "WITNESS STATEMENT (synthetic demo material: no real person or event)",
    "Criminal Justice Act 1967, s.9; Magistrates' Courts Act 1980, s.5B",
    "",
    "I was picked up from outside school by a man in a silver car. He said his name was Taz.",
    "He drove me and a friend to a flat above a takeaway. There were other men there.",
    "I was given vodka. I told a teacher the next week. Nobody spoke to me again about it.",
]


def _statement_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in (1, 2):
        c.setFont("Helvetica-Bold", 12)
        c.drawString(60, 780, f"Statement of witness — page {page} of 2")
        c.setFont("Helvetica", 11)
        for i, line in enumerate(STATEMENT if page == 1 else ["(continued) Signed and dated.", "", "DEMO ONLY"]):
            c.drawString(60, 750 - 18 * i, line)
        c.rect(60, 120, 475, 380)
        c.drawString(70, 480, "Officer's notes:")
        c.showPage()
    c.save()
    return buf.getvalue()


def _photo_png() -> bytes:
    from PIL import Image, ImageDraw
    im = Image.new("RGB", (900, 560), (205, 214, 224))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 380, 900, 560), fill=(90, 90, 96))
    d.rounded_rectangle((180, 250, 720, 400), 40, fill=(180, 184, 190), outline=(40, 40, 40), width=4)
    d.rounded_rectangle((280, 180, 600, 270), 30, fill=(170, 175, 182), outline=(40, 40, 40), width=4)
    for x in (280, 620):
        d.ellipse((x - 55, 350, x + 55, 460), fill=(30, 30, 30))
    d.text((20, 20), "DEMO photograph (synthetic): silver hatchback outside a takeaway", fill=(0, 0, 0))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def add_demo_material(session) -> str | None:
    """Attach the demo files and intelligence to the top case of the queue; returns its ref."""
    from triage_app.material import attachments, intel
    row = session.one("SELECT id, ref FROM cases ORDER BY priority DESC, nfa_date, ref LIMIT 1")
    if row is None:
        return None
    cid, ref = row
    with tempfile.TemporaryDirectory(prefix="triage-demo-") as folder:
        for name, data, description in (
                ("witness-statement.pdf", _statement_pdf(), "Witness statement of a school friend (demo)"),
                ("car-photograph.png", _photo_png(), "Photograph of the car described (demo)")):
            path = Path(folder) / name
            path.write_bytes(data)
            attachments.add(session, ref, path, description)
    suspect = session.one("SELECT id FROM nominals WHERE case_id = ? AND role = 'suspect' ORDER BY id", (cid,))
    intel.add(session, ref, text="A silver hatchback seen collecting girls outside the school on several Fridays.",
              source="Intelligence report (demo) 0093", grade="1B-P", item_date="2011-10-02")
    c = intel.add(session, ref, text="The suspect's brother is said to hold the keys to the flat above the takeaway.",
                  source="Intelligence report (demo) 0107", grade="2A-C",
                  conditions="Not to be shared outside policing without the originator's consent",
                  nominal=suspect[0] if suspect else None, item_date="2011-11-12")
    intel.sanitise(session, ref, c["id"], reason="Originator consulted (demo)",
                   text="A relative of the suspect is believed to have use of a flat nearby.")
    intel.add(session, ref, text="Uses a second phone registered to a relative.", source="Intelligence report (demo) 0211",
              grade="3C-C", conditions="Source protection: police only", nominal=suspect[0] if suspect else None,
              item_date="2012-01-20")
    return ref
