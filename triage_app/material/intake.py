"""Taking a file in: read it safely, name it, hash it, and prove it is what its name says.

Nothing here touches the vault. `read_file` refuses in one sentence (never quoting the file's name,
which may hold a victim's name) anything that is not a plain file of an accepted type within the
size limits: a 2 GB file is refused from its size before a byte is read; a zip bomb dressed as a
.docx by what its directory claims and by unpacking it under a cap; a PDF or image that crashes,
hangs or floods a reader in a limited child process (`check.py`).
"""
from __future__ import annotations

import hashlib
import io
import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from triage_app.errors import BadInput, NotFound
from triage_app.material import check, limits

NOTHING = "Nothing was stored."

MEDIA_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "tif": "image/tiff", "tiff": "image/tiff", "bmp": "image/bmp", "webp": "image/webp",
    "txt": "text/plain", "log": "text/plain", "csv": "text/csv", "md": "text/markdown",
    "doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docm": "application/vnd.ms-word.document.macroEnabled.12",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation", "rtf": "application/rtf",
}
IMAGE_MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"), "tif": (b"II*\x00", b"MM\x00*"), "tiff": (b"II*\x00", b"MM\x00*"),
    "bmp": (b"BM",),
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
WHAT = {"pdf": "PDF", "image": "image", "text": "text file", "office": "Office document"}


@dataclass
class Intake:
    name: str
    kind: str               # pdf / image / text / office
    media_type: str
    data: bytes
    sha256: str
    pages: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def human_size(n: int) -> str:
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= step:
            return f"{n / step:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


# --- names ---------------------------------------------------------------------------------

def check_name(name: str) -> tuple[str, str]:
    """The name an attachment is kept under, and its kind (by extension); BadInput otherwise."""
    a = limits.attachments()
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name or name in (".", ".."):
        raise BadInput(f"An attachment needs a file name. {NOTHING}")
    if "/" in name or "\\" in name:
        raise BadInput(f"An attachment's name may not hold a path separator (/ or \\); rename the file. {NOTHING}")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for c in name):
        raise BadInput(f"An attachment's name may not hold control or invisible characters; rename the file. {NOTHING}")
    if len(name) > int(a["max_name_chars"]):
        raise BadInput(f"An attachment's name may be at most {a['max_name_chars']} characters; rename the file. {NOTHING}")
    ext = name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""
    kind = limits.kind_of_extension(ext) if ext else None
    if kind is None:
        shown = f"'.{ext[:10]}' files" if ext.isalnum() else "files without a known extension"
        raise BadInput(f"Only PDFs, images, text files and Office documents may be attached, not {shown}. {NOTHING}")
    return name, kind


def check_description(description: str | None) -> str:
    a = limits.attachments()
    text = (description or "").strip()
    if not text:
        raise BadInput(f"Say what the attachment is with a description. {NOTHING}")
    if len(text) > int(a["max_description_chars"]):
        raise BadInput(f"A description may be at most {a['max_description_chars']} characters. {NOTHING}")
    return text


# --- reading -------------------------------------------------------------------------------

def read_file(path: Path, name: str | None = None) -> Intake:
    """Read, hash and check the file at `path` (kept as `name`, default its own name)."""
    path = Path(path)
    name, kind = check_name(name if name is not None else path.name)
    a = limits.attachments()
    limit = int(a["max_bytes"])
    try:
        # O_NONBLOCK: opening a FIFO must not hang; it is refused below as not a plain file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise NotFound(f"There is no file at the path given to attach. {NOTHING}")
    except IsADirectoryError:
        raise BadInput(f"The path given to attach is a folder, not a file. {NOTHING}")
    except OSError as e:
        raise BadInput(f"The file to attach can't be read ({e.strerror}). {NOTHING}")
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise BadInput(f"The path given to attach is a folder, not a file. {NOTHING}")
        if not stat.S_ISREG(st.st_mode):
            raise BadInput(f"The path given to attach is not a plain file (a device, pipe or socket). {NOTHING}")
        if st.st_size > limit:
            raise BadInput(f"The file to attach is {human_size(st.st_size)}; an attachment may be at most "
                           f"{human_size(limit)}. {NOTHING}")
        if st.st_size == 0:
            raise BadInput(f"The file to attach is empty. {NOTHING}")
        data = _read_at_most(fd, limit + 1)
    except OSError as e:
        raise BadInput(f"The file to attach can't be read ({e.strerror}). {NOTHING}")
    finally:
        os.close(fd)
    if len(data) > limit:   # it grew while we read it
        raise BadInput(f"The file to attach is more than {human_size(limit)}, the most an attachment may be. {NOTHING}")
    return take(name, kind, data)


def _read_at_most(fd: int, n: int) -> bytes:
    with os.fdopen(os.dup(fd), "rb") as f:
        return f.read(n)


def take(name: str, kind: str, data: bytes) -> Intake:
    """Check bytes already in memory (a file read, a drop, a bundle) and hash them."""
    ext = name.rsplit(".", 1)[1].lower()
    limit = int(limits.attachments()["max_bytes"])
    if len(data) > limit:
        raise BadInput(f"The file to attach is {human_size(len(data))}; an attachment may be at most "
                       f"{human_size(limit)}. {NOTHING}")
    pages = _CHECKS[kind](ext, data)
    return Intake(name, kind, MEDIA_TYPES.get(ext, "application/octet-stream"), data,
                  hashlib.sha256(data).hexdigest(), pages)


def _refuse(kind: str, problem: str) -> BadInput:
    return BadInput(f"The {WHAT[kind]} to attach {problem}. {NOTHING}")


def _pdf(ext: str, data: bytes) -> int:
    if b"%PDF-" not in data[:1024]:
        raise _refuse("pdf", "is not a PDF (its content does not start as one)")
    try:
        return int(check.run("pdf", data)["pages"])
    except check.CheckFailed as e:
        raise _refuse("pdf", e.problem)


def _image(ext: str, data: bytes) -> int:
    magic = IMAGE_MAGIC.get(ext)
    if ext == "webp":
        ok = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    else:
        ok = any(data.startswith(m) for m in magic)
    if not ok:
        raise _refuse("image", f"is not a .{ext} image (its content is something else)")
    try:
        return int(check.run("image", data)["pages"])
    except check.CheckFailed as e:
        raise _refuse("image", e.problem)


def _text(ext: str, data: bytes) -> None:
    if b"\x00" in data:
        raise _refuse("text", "holds NUL bytes, so it is not plain text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            raise _refuse("text", "is neither UTF-8 nor Windows-1252 text")
    return None


def _office(ext: str, data: bytes) -> None:
    if ext in ("doc", "xls", "ppt"):
        if not data.startswith(OLE):
            raise _refuse("office", f"is not a .{ext} document (its content is something else)")
        return None
    if ext == "rtf":
        if not data.lstrip()[:5] == b"{\\rtf":
            raise _refuse("office", "is not an RTF document (its content is something else)")
        return None
    if not data.startswith(ZIP):
        raise _refuse("office", f"is not a .{ext} document (its content is something else)")
    _zip_safe(ext, data)
    return None


def _zip_safe(ext: str, data: bytes) -> None:
    """A zip-based document: its directory must claim sane sizes, and it must unpack (streamed, under
    a cap, checking each member's CRC) to no more than that; a zip bomb fails one or the other."""
    o = limits.attachments()["office"]
    cap, ratio, most = int(o["max_unpacked_bytes"]), float(o["max_ratio"]), int(o["max_members"])
    bomb = _refuse("office", "unpacks to far more than it holds (a zip bomb)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
            names = {m.filename for m in members}
            if len(members) > most:
                raise _refuse("office", f"holds more than {most} parts")
            if "[Content_Types].xml" not in names and "mimetype" not in names:
                raise _refuse("office", f"is not a .{ext} document (it is some other zip archive)")
            if sum(m.file_size for m in members) > cap:
                raise bomb
            for m in members:
                if m.file_size > (1 << 20) and m.file_size > ratio * max(m.compress_size, 1):
                    raise bomb
            total = 0
            for m in members:
                with z.open(m) as f:
                    while block := f.read(1 << 20):
                        total += len(block)
                        if total > cap:
                            raise bomb
    except BadInput:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, zlib.error,
            ValueError, OSError):
        raise _refuse("office", f"is damaged or is not a .{ext} document")


_CHECKS = {"pdf": _pdf, "image": _image, "text": _text, "office": _office}
