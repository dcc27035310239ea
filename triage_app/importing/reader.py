"""Reading an export file: bytes → text → records, each with the physical line where it starts.

Real exports arrive as UTF-8 (with or without BOM) or Windows-1252, LF or CRLF, with quoted cells
that hold newlines and sometimes megabytes of text. A file that is empty, binary, or not text in
those encodings is a problem with a line, never an exception.

A file is never held whole in memory (a national export is hundreds of megabytes, and its bytes,
text and parsed rows at once would be several times that): a first pass over its bytes in blocks
takes its SHA-256, finds binary data and settles the encoding; the records are then decoded and
parsed block by block as the check asks for them. The bytes parsed are hashed again, so a file
that changed between the two passes is a problem rather than a hash that does not describe it.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

# Narrative cells can be megabytes; the csv module's default limit is 128 KiB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

BLOCK = 1 << 20     # bytes read at a time


@dataclass
class Table:
    """One export file: its header and its records as (start line, cells), read once."""
    path: Path
    label: str                      # how messages name the file (its name, not the full path)
    sha256: str = ""
    encoding: str = ""
    header: list[str] = field(default_factory=list)
    records: Iterator[tuple[int, list[str]]] = iter(())   # read once, in order
    rows: int = 0                                          # records read so far
    size: int = 0                                          # bytes in the file
    where: Callable[[], int] = lambda: 0                   # bytes read so far


def problem(file: str, line: int | None, column: str | None, message: str) -> dict:
    return {"file": file, "line": line, "column": column, "message": message}


def _line_at(path: Path, offset: int) -> int:
    """The line (from 1) that holds byte `offset` of the file."""
    lines, seen = 1, 0
    with open(path, "rb") as f:
        while seen < offset:
            block = f.read(min(BLOCK, offset - seen))
            if not block:
                break
            lines += block.count(b"\n")
            seen += len(block)
    return lines


class _Scan:
    """One pass over a file's bytes: SHA-256, size, whether it holds anything but blanks, where the
    first NUL byte is, and where (if anywhere) it stops being text in `encoding`."""

    def __init__(self, path: Path, encoding: str):
        digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder(encoding)()
        self.size, self.blank, self.nul, self.bad = 0, True, None, None
        self.bom = False
        with open(path, "rb") as f:
            while block := f.read(BLOCK):
                digest.update(block)
                if self.size == 0:
                    self.bom = block.startswith(b"\xef\xbb\xbf")
                if self.blank and block.strip(b" \t\r\n\xef\xbb\xbf"):
                    self.blank = False
                if self.nul is None and b"\x00" in block:
                    self.nul = self.size + block.index(b"\x00")
                if self.bad is None:
                    pending = len(decoder.getstate()[0])
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError as e:
                        self.bad = self.size - pending + e.start
                self.size += len(block)
        if self.bad is None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as e:
                self.bad = self.size - len(e.object) + e.start
        self.sha256 = digest.hexdigest()


def settle(path: Path, label: str, encoding: str | None, problems: list) -> tuple[_Scan | None, str]:
    """(the file's scan, the encoding to decode it with), or (None, "") with a problem added."""
    try:
        scan = _Scan(path, encoding or "utf-8")
    except LookupError:
        problems.append(problem(label, None, None, f"the profile names an unknown encoding {encoding[:30]!r}"))
        return None, ""
    if scan.blank:
        problems.append(problem(label, 1, None, "is empty; it needs a header line and at least one row"))
        return None, ""
    if scan.nul is not None:
        problems.append(problem(label, _line_at(path, scan.nul), None,
                                "is not a text file (it holds binary data); export it as CSV"))
        return None, ""
    if encoding:
        if scan.bad is not None:
            problems.append(problem(label, _line_at(path, scan.bad), None, f"is not valid {encoding} text"))
            return None, ""
        return scan, encoding
    if scan.bom:
        if scan.bad is not None:
            problems.append(problem(label, _line_at(path, scan.bad), None,
                                    "is not valid UTF-8 text after its byte-order mark"))
            return None, ""
        return scan, "utf-8-sig"
    if scan.bad is None:
        return scan, "utf-8"
    scan = _Scan(path, "cp1252")
    if scan.bad is not None:
        problems.append(problem(label, _line_at(path, scan.bad), None,
                                "is not text in UTF-8 or Windows-1252; export it as CSV in one of those"))
        return None, ""
    return scan, "cp1252"


class _Hashing(io.RawIOBase):
    """The file's bytes as they are parsed, hashed and counted on the way."""

    def __init__(self, f):
        self.f, self.digest, self.read_so_far = f, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.f.readinto(buffer)
        if n:
            self.digest.update(memoryview(buffer)[:n])
            self.read_so_far += n
        return n

    def close(self) -> None:
        self.f.close()
        super().close()


def read_table(path: Path, problems: list, encoding: str | None = None) -> Table | None:
    """Open one CSV file and read its header; None (with problems added) when it can't be read as a
    table. Its records are parsed as `table.records` is iterated."""
    path = Path(path)
    label = path.name
    try:
        scan, used = settle(path, label, encoding, problems)
        f = open(path, "rb")
    except FileNotFoundError:
        problems.append(problem(label, None, None, "does not exist"))
        return None
    except OSError as e:
        problems.append(problem(label, None, None, f"can't be read ({e.strerror})"))
        return None
    if scan is None:
        f.close()
        return None
    table = Table(path, label, scan.sha256, used, size=scan.size)
    raw = _Hashing(f)
    stream = io.TextIOWrapper(io.BufferedReader(raw, BLOCK), encoding=used, newline="")
    table.where = lambda: raw.read_so_far
    reader = csv.reader(stream, strict=True)
    start = 1
    try:
        for cells in reader:
            start = reader.line_num + 1
            if cells and any(c.strip() for c in cells):
                table.header = cells
                break
    except csv.Error as e:
        stream.close()
        problems.append(problem(label, start, None, f"is not well-formed CSV from this line ({_csv_reason(e)})"))
        return None
    if not table.header:
        stream.close()
        problems.append(problem(label, 1, None, "is empty; it needs a header line and at least one row"))
        return None
    table.records = _records(table, reader, stream, raw, start, problems)
    return table


def _records(table: Table, reader, stream, raw: _Hashing, start: int, problems: list):
    """(start line, cells) for each non-blank record, read as the caller goes, so a large export
    is never held in memory; a malformed stretch ends the file with a problem."""
    try:
        for cells in reader:
            # A record starts on the line after the one where the previous record ended.
            if cells and (cells[0].strip() or any(c.strip() for c in cells)):
                table.rows += 1
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as e:
        problems.append(problem(table.label, start, None, f"is not well-formed CSV from this line ({_csv_reason(e)})"))
        return
    finally:
        stream.close()
    if raw.digest.hexdigest() != table.sha256:
        problems.append(problem(table.label, None, None, "changed while it was being read; import it again"))


def _csv_reason(e: csv.Error) -> str:
    text = str(e)
    if "EOF" in text or "end of data" in text:
        return "a quoted cell is never closed"
    if "expected" in text and "delimiter" in text:
        return "text follows a closing quote"
    return "bad quoting"
