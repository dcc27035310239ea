"""Synthetic files to attach: PDFs with a marker in plaintext, images, Office documents, hostile files."""
from __future__ import annotations

import io
import zipfile
import zlib

MARKER = "QZMATMARKER-statement-8841"


def pdf(text: str = MARKER, pages: int = 2, *, title: str | None = None) -> bytes:
    """A PDF whose text is stored uncompressed, so `text` is in the file's bytes as written."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    c.setTitle(title or text)
    for n in range(pages):
        c.setFont("Helvetica", 14)
        c.drawString(72, 760, f"{text} page {n + 1}")
        c.drawString(72, 730, "Witness statement (synthetic). Section 9 Criminal Justice Act 1967.")
        c.rect(72, 300, 300, 300)
        c.showPage()
    c.save()
    data = buf.getvalue()
    assert text.encode() in data
    return data


def png(width: int = 320, height: int = 200, color=(40, 90, 160)) -> bytes:
    from PIL import Image, ImageDraw
    im = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(im).rectangle((20, 20, width - 20, height - 20), outline=(255, 255, 255), width=6)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def docx(body: str = "Referral from children's services (synthetic).") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body>"
                                        "</w:document>")
    return buf.getvalue()


def zip_bomb_docx(unpacked_mb: int = 600, *, claim: int | None = None) -> bytes:
    """A .docx whose one part unpacks from about 0.6 MB to `unpacked_mb` MB of zeros; with `claim`,
    its central directory lies that the part unpacks to `claim` bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as f:
            block = bytes(1 << 20)
            for _ in range(unpacked_mb):
                f.write(block)
    data = bytearray(buf.getvalue())
    if claim is not None:
        at = 0
        while (at := data.find(b"PK\x01\x02", at)) >= 0:
            name_len = int.from_bytes(data[at + 28:at + 30], "little")
            if data[at + 46:at + 46 + name_len] == b"word/document.xml":
                data[at + 24:at + 28] = claim.to_bytes(4, "little")   # uncompressed size
            at += 4
    return bytes(data)


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for o in offsets:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def flate_bomb_pdf(unpacked_mb: int = 2048) -> bytes:
    """A 2 MB PDF whose one content stream inflates to `unpacked_mb` MB of spaces: PDFium reads it
    whole (measured: 3 GB of memory and 28 s for 2 GB), a reader-crashing file."""
    stream = _repeated_deflate(b" " * (1 << 20), unpacked_mb)
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                     b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"])


def _repeated_deflate(block: bytes, times: int) -> bytes:
    """zlib data for `block` (one byte value repeated) `times` times, in well under a second: after a
    full flush the compressor forgets its history, so every further copy compresses to the same bytes;
    the Adler-32 of a run of one byte value has a closed form."""
    assert len(set(block)) == 1
    c = zlib.compressobj(9)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    n, v, m = len(block) * times, block[0], 65521
    a = (1 + v * n) % m
    b = (n + v * (n * (n + 1) // 2)) % m
    # an empty final block with fixed codes, then the Adler-32 of everything
    return first + again * (times - 1) + b"\x03\x00" + ((b << 16) | a).to_bytes(4, "big")


def page_tree_loop_pdf() -> bytes:
    """A page tree whose /Kids holds itself: a reader that walks it naively never stops."""
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def huge_page_pdf() -> bytes:
    """One page claiming 14400 pt x 75000 user units a side: drawn at 1:1 it would need petabytes."""
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 >>"])
