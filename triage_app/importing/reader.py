"""Reading an export file: bytes → text → records, each with the physical line where it starts.

Real exports arrive as UTF-8 (with or without BOM) or Windows-1252, LF or CRLF, with quoted cells
that hold newlines and sometimes megabytes of text. A file that is empty, binary, or not text in
those encodings is a problem with a line, never an exception.
"""
from __future__ import annotations

import csv
import hashlib
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

# Narrative cells can be megabytes; the csv module's default limit is 128 KiB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


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
    size: int = 0                                          # characters of text in the file
    where: Callable[[], int] = lambda: 0                   # characters read so far


def problem(file: str, line: int | None, column: str | None, message: str) -> dict:
    return {"file": file, "line": line, "column": column, "message": message}


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, label: str, encoding: str | None, problems: list) -> tuple[str | None, str]:
    """(text, encoding used), or (None, "") with a problem added."""
    if b"\x00" in data:
        problems.append(problem(label, _line_of(data, data.index(b"\x00")), None,
                                "is not a text file (it holds binary data); export it as CSV"))
        return None, ""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            problems.append(problem(label, None, None, f"the profile names an unknown encoding {encoding[:30]!r}"))
            return None, ""
        except UnicodeDecodeError as e:
            problems.append(problem(label, _line_of(data, e.start), None, f"is not valid {encoding} text"))
            return None, ""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            problems.append(problem(label, _line_of(data, e.start + 3), None, "is not valid UTF-8 text after its byte-order mark"))
            return None, ""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as e:
        problems.append(problem(label, _line_of(data, e.start), None,
                                "is not text in UTF-8 or Windows-1252; export it as CSV in one of those"))
        return None, ""


def read_table(path: Path, problems: list, encoding: str | None = None) -> Table | None:
    """Read and parse one CSV file; None (with problems added) when it can't be read as a table."""
    path = Path(path)
    label = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(problem(label, None, None, "does not exist"))
        return None
    except OSError as e:
        problems.append(problem(label, None, None, f"can't be read ({e.strerror})"))
        return None
    table = Table(path, label, hashlib.sha256(data).hexdigest())
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        problems.append(problem(label, 1, None, "is empty; it needs a header line and at least one row"))
        return None
    text, table.encoding = decode(data, label, encoding, problems)
    del data
    if text is None:
        return None
    stream = io.StringIO(text, newline="")
    table.size, table.where = len(text), stream.tell
    reader = csv.reader(stream, strict=True)
    del text
    start = 1
    try:
        for cells in reader:
            start = reader.line_num + 1
            if cells and any(c.strip() for c in cells):
                table.header = cells
                break
    except csv.Error as e:
        problems.append(problem(label, start, None, f"is not well-formed CSV from this line ({_csv_reason(e)})"))
        return None
    if not table.header:
        problems.append(problem(label, 1, None, "is empty; it needs a header line and at least one row"))
        return None
    table.records = _records(table, reader, start, problems)
    return table


def _records(table: Table, reader, start: int, problems: list):
    """(start line, cells) for each non-blank record, read as the caller goes, so a large export
    is never held twice in memory; a malformed stretch ends the file with a problem."""
    try:
        for cells in reader:
            # A record starts on the line after the one where the previous record ended.
            if cells and any(c.strip() for c in cells):
                table.rows += 1
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as e:
        problems.append(problem(table.label, start, None, f"is not well-formed CSV from this line ({_csv_reason(e)})"))


def _csv_reason(e: csv.Error) -> str:
    text = str(e)
    if "EOF" in text or "end of data" in text:
        return "a quoted cell is never closed"
    if "expected" in text and "delimiter" in text:
        return "text follows a closing quote"
    return "bad quoting"
