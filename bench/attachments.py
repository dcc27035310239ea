"""Attachments benchmark: attach a 50 MB PDF and view its first page, against two baselines
measured in the same run on the same file.

  read      reading the file from disk (warm cache): what any program pays to get the bytes
  render    PDFium opening the file directly and drawing its first page at the viewer's size
  attach    `attachments.add`: read, SHA-256, the limited child process that opens the PDF and draws
            every page small, then the chunks written inside one audited transaction, WAL folded back
  view      `attachments.view` (an audited consultation) + PDFium opening the document over the
            vault reader + drawing the first page at the same size as `render`

Each is the median of REPEATS runs; printed as seconds and as ratios to `read` and `render`.
The machine is shared, so absolute seconds are noisy; the ratios are what to compare between runs.
The same is repeated with SQLCipher's cipher_memory_security OFF for the view and the write of the
chunks (the app runs with it ON; printed so a change to that setting can be judged).

    .venv/bin/python bench/attachments.py [MEGABYTES] [REPEATS]     (default 50, 3)
"""
from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASS = "bench passphrase one two three"
VIEW_DPI = 110.0          # about a 900-pixel-wide A4 page: what the Material tab draws


def make_pdf(path: Path, megabytes: int) -> int:
    """A PDF of scanned-looking pages (incompressible noise JPEGs) of at least `megabytes` MB."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path), pagesize=A4)
    written, page = 0, 0
    while written < megabytes * 1_000_000:
        im = Image.frombytes("L", (1654, 2339), os.urandom(1654 * 2339))   # A4 at 200 dpi, greyscale scan
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=75)
        written += buf.tell()
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, *A4)
        c.setFont("Helvetica", 10)
        c.drawString(40, 20, f"Synthetic scanned statement, page {page + 1}")
        c.showPage()
        page += 1
    c.save()
    return page


def timed(fn, repeats: int) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    megabytes = int(argv[0]) if argv else 50
    repeats = int(argv[1]) if len(argv) > 1 else 3
    import pypdfium2 as pdfium
    from triage_app.material import attachments, check, render
    from triage_app.session import create_vault
    from triage_app.vault.keyslots import CHEAP_KDF

    with tempfile.TemporaryDirectory(prefix="triage-bench-") as folder:
        folder = Path(folder)
        pdf = folder / "statement.pdf"
        pages = make_pdf(pdf, megabytes)
        size = pdf.stat().st_size
        print(f"PDF: {size / 1e6:.1f} MB, {pages} pages; median of {repeats} runs each")

        def read(_i):
            with open(pdf, "rb") as f:
                f.read()

        def direct(_i):
            doc = pdfium.PdfDocument(str(pdf))
            im, _ = render.pdf_page(doc, 0, VIEW_DPI)
            doc.close()

        read(0)   # warm the cache: every measurement below reads a file already in memory
        t_read, t_render = timed(read, repeats), timed(direct, repeats)
        data = pdf.read_bytes()
        t_check = timed(lambda _i: check.run("pdf", data), repeats)

        s = create_vault(folder / "vault.db", "bench", PASS, kdf=CHEAP_KDF)
        from triage_app import users
        users.add_user(s, "rita", "reviewer", PASS)     # the vault's own (cheap) Argon2id set
        s.close()
        from triage_app.session import open_vault
        s = open_vault(folder / "vault.db", "rita", PASS)
        refs = [f"CR/2012/{900000 + i}" for i in range(2 * repeats)]
        sam = create_session_for_cases(folder / "vault.db", refs)
        sam.close()

        def results(label: str, offset: int):
            ids = []

            def attach(i):
                ids.append(attachments.add(s, refs[offset + i], pdf, "Scanned statement")["id"])

            def view(i):
                opened = attachments.view(s, refs[offset + i], ids[i], reason="bench")
                doc = render.open_pdf(opened.reader)
                render.pdf_page(doc, 0, VIEW_DPI)
                doc.close()
                opened.close()

            t_attach, t_view = timed(attach, repeats), timed(view, repeats)
            print(f"\n{label}")
            for name, t in (("attach", t_attach), ("view first page", t_view)):
                print(f"  {name:<16} {t:7.3f} s   = {t / t_read:6.1f} x reading the file   "
                      f"= {t / t_render:5.2f} x PDFium rendering it directly")

        print(f"  {'read the file':<16} {t_read:7.3f} s")
        print(f"  {'PDFium directly':<16} {t_render:7.3f} s   (open the file, draw page 1 at {VIEW_DPI:.0f} dpi)")
        print(f"  {'child check':<16} {t_check:7.3f} s   (part of attach: opens the PDF and draws all "
              f"{pages} pages small in a limited process)")
        results("cipher_memory_security ON (as the app runs)", 0)
        s.conn.execute("PRAGMA cipher_memory_security = OFF")
        results("cipher_memory_security OFF (for comparison only)", repeats)
        wal = Path(str(folder / "vault.db") + "-wal")
        print(f"\nvault {((folder / 'vault.db').stat().st_size) / 1e6:.1f} MB for {2 * repeats} copies "
              f"({2 * repeats * size / 1e6:.1f} MB attached); WAL after the last attach "
              f"{(wal.stat().st_size if wal.exists() else 0) / 1e6:.1f} MB")
        s.close()
    return 0


def create_session_for_cases(path: Path, refs: list[str]):
    from triage_app.session import open_vault
    s = open_vault(path, "bench", PASS)
    with s.change("import", "bench.cases", kind="collection", detail={"cases": len(refs)}):
        for ref in refs:
            s.conn.execute("INSERT INTO cases(ref, nfa_date, imported_at, updated_at) VALUES (?, '2012-05-02', "
                           "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')", (ref,))
    return s


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main(sys.argv[1:]))
