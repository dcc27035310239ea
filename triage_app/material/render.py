"""Drawing attachment pages into pixels, in memory, never larger than the view limit.

Used by the desktop viewer and by the referral pack. A PDF page is drawn with PDFium from the
document already open (over the vault reader or bytes); an image frame with Pillow. The scale is
cut so no page ever needs more than `max_render_pixels` (a page claiming to be kilometres wide
can't make us allocate gigabytes).
"""
from __future__ import annotations

import io

from triage_app.material import limits


def pdf_scale(width_pt: float, height_pt: float, dpi: float) -> float:
    scale = dpi / 72.0
    cap = limits.max_render_pixels()
    if width_pt * height_pt * scale * scale > cap:
        scale = (cap / max(width_pt * height_pt, 1e-6)) ** 0.5
    return max(scale, 1e-3)


def pdf_page(doc, index: int, dpi: float = 110.0):
    """Page `index` (from 0) of an open pypdfium2 document as an RGB PIL image."""
    page = doc[index]
    try:
        w, h = page.get_size()
        bitmap = page.render(scale=pdf_scale(w, h, dpi), may_draw_forms=False)
        try:
            return bitmap.to_pil().convert("RGB"), (w, h)
        finally:
            bitmap.close()
    finally:
        page.close()


def open_pdf(source):
    """A pypdfium2 document over a seekable reader or bytes (never a file path)."""
    import pypdfium2 as pdfium
    return pdfium.PdfDocument(source)


def image_frames(data: bytes) -> int:
    from PIL import Image
    with Image.open(io.BytesIO(data)) as im:
        return getattr(im, "n_frames", 1)


def image_frame(data: bytes, index: int = 0, max_pixels: int | None = None):
    """Frame `index` of an image as an RGB PIL image, shrunk to at most `max_pixels`."""
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = int(limits.attachments()["max_image_pixels"])
    im = Image.open(io.BytesIO(data))
    im.seek(index)
    im = im.convert("RGB")
    cap = max_pixels or limits.max_render_pixels()
    if im.width * im.height > cap:
        ratio = (cap / (im.width * im.height)) ** 0.5
        im = im.resize((max(1, int(im.width * ratio)), max(1, int(im.height * ratio))))
    return im
