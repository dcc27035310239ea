"""Opening a PDF or an image in a separate process, with limits, before anything is stored.

A hostile file can crash, hang or flood the reader that opens it (a flate bomb in a content stream
makes PDFium allocate gigabytes; a decompression-bomb image asks for billions of pixels). The file
is therefore first opened here, in a child process that gets its bytes on a pipe (never a file),
has no core dumps (a dump would hold the plaintext), a cap on its address space and CPU time, and
a wall-clock limit. The child opens the document, counts its pages and draws every page very small;
if it crashes, runs out of its limits or says the file is bad, the file is refused.

Run as `python -m triage_app.material.check KIND` (KIND is pdf or image); it reads the file on
stdin and prints one JSON line: {"ok": true, "pages": n} or {"ok": false, "problem": "..."}.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys

from triage_app import children
from triage_app.material import limits


def _limit_self() -> None:
    try:
        import resource
    except ImportError:     # not POSIX: the wall-clock limit alone applies
        return
    c = limits.checker()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for which, value in ((resource.RLIMIT_AS, int(c["memory_bytes"])), (resource.RLIMIT_CPU, int(c["cpu_seconds"]))):
        soft, hard = resource.getrlimit(which)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (cap, hard))


def _check_pdf(data: bytes) -> dict:
    import pypdfium2 as pdfium
    a = limits.attachments()
    probe = float(limits.checker()["probe_pixels"])
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            return {"ok": False, "problem": "is protected by a password; remove the password before attaching it"}
        return {"ok": False, "problem": "is damaged or is not a PDF a reader can open"}
    n = len(doc)
    if n == 0:
        return {"ok": False, "problem": "has no pages"}
    if n > int(a["max_pdf_pages"]):
        return {"ok": False, "problem": f"has {n} pages; an attachment may have at most {a['max_pdf_pages']}"}
    for i in range(n):
        try:
            page = doc[i]
            w, h = page.get_size()
            if not (w > 0 and h > 0):
                return {"ok": False, "problem": f"has a page ({i + 1}) with no size"}
            page.render(scale=min(1.0, probe / max(w, h))).close()
            page.close()
        except pdfium.PdfiumError:
            return {"ok": False, "problem": f"has a page ({i + 1}) that can't be read"}
    doc.close()
    return {"ok": True, "pages": n}


def _check_image(data: bytes) -> dict:
    import warnings
    from PIL import Image, UnidentifiedImageError
    a = limits.attachments()
    Image.MAX_IMAGE_PIXELS = int(a["max_image_pixels"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            frames = getattr(im, "n_frames", 1)
            if frames > int(a["max_pdf_pages"]):
                return {"ok": False, "problem": f"has {frames} frames; an image may have at most {a['max_pdf_pages']}"}
            for i in range(frames):
                im.seek(i)
                if im.width * im.height > Image.MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return {"ok": False, "problem": f"claims more than {int(a['max_image_pixels']) // 1_000_000} megapixels "
                                        "(a decompression bomb, or a scan far too large)"}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return {"ok": False, "problem": "is damaged or is not an image a reader can open"}
    return {"ok": True, "pages": frames, "format": im.format}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _limit_self()
    kind = argv[0] if argv else ""
    data = sys.stdin.buffer.read()
    try:
        result = {"pdf": _check_pdf, "image": _check_image}[kind](data)
    except MemoryError:
        result = {"ok": False, "problem": "needs more memory to open than a reader is allowed"}
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


# --- the parent's side -------------------------------------------------------------------------

def command(kind: str) -> list[str]:
    return children.command("triage_app.material.check", "--material-check", kind)


class CheckFailed(Exception):
    """The file was refused; `problem` completes the sentence 'The PDF to attach …'."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def run(kind: str, data: bytes) -> dict:
    """Open `data` in a limited child process; returns its verdict or raises CheckFailed."""
    wall = float(limits.checker()["wall_seconds"])
    try:
        proc = subprocess.Popen(command(kind), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=children.env())
    except OSError:
        raise CheckFailed("could not be checked (the checker could not start)")
    try:
        out, _ = proc.communicate(data, timeout=wall)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise CheckFailed(f"took more than {int(wall)} seconds to open (a file built to hang readers)")
    except OSError:         # the child died while we were still writing to it
        proc.kill()
        proc.communicate()
        out = b""
    try:
        verdict = json.loads(out.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError, UnicodeDecodeError):
        verdict = None
    if proc.returncode != 0 or not isinstance(verdict, dict):
        raise CheckFailed("made the reader crash or run out of its memory or time (a file built to break readers)")
    if not verdict.get("ok"):
        raise CheckFailed(str(verdict.get("problem") or "can't be opened"))
    return verdict


if __name__ == "__main__":
    raise SystemExit(main())
