"""A file that leaves the vault is a disclosure (DPA 2018 s62): the file and its audit entry exist
together or not at all. Every export (CSV, GraphML, PNG, PDF) goes through `write_disclosure`;
the referral pack, which also writes its own row, places its file with the same `placing`.

Inside one audited change: `make(conn, entry)` produces the bytes from the vault as it stands in
that transaction (and may add counts to the entry); the bytes go to an owner-only temporary file
beside the target, fsynced, which is renamed into place as the last step before the commit. If
anything fails — making the bytes, writing them, the audit entry, the commit — the file is removed,
so there is never an export without its entry. (A file the user chose to replace is gone in that
case too: the export did not happen, and no half-state is left.)
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from triage_app.errors import BadInput, TriageError
from triage_app.fileio import fsync_dir


def target(session, out) -> Path:
    """The file to write, checked before anything is read: a folder that exists, not a folder
    itself, and never the vault or a file beside it that belongs to it."""
    out = Path(out)
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give a file name to export to.")
    if not out.parent.is_dir():
        raise BadInput(f"The folder {out.parent} does not exist; nothing was written.")
    vault = Path(session.path).resolve()
    mine = out.resolve()
    if mine.parent == vault.parent and mine.name.startswith(vault.name):
        raise BadInput(f"{out.name} is the vault or one of its own files; choose another file name. Nothing was written.")
    return out


def _temp(folder: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix=".export-", suffix=".part", dir=folder)   # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


class _Place:
    """`place(data)`: the bytes to an owner-only temporary file beside the target, fsynced, renamed
    into place. Remembers what it made so `placing` can take it away again."""

    def __init__(self, out: Path, nothing: str):
        self.out, self.nothing = out, nothing
        self.temp: Path | None = None
        self.placed = False

    def __call__(self, data: bytes) -> None:
        if self.temp is not None:
            raise RuntimeError("one file per placing")
        try:
            self.temp = _temp(self.out.parent, data)
            os.replace(self.temp, self.out)
        except OSError as e:
            raise TriageError(f"{self.out} could not be written ({e.strerror}); {self.nothing}.")
        self.placed = True

    def remove(self) -> None:
        if self.placed:
            self.out.unlink(missing_ok=True)
        elif self.temp is not None:
            self.temp.unlink(missing_ok=True)


@contextmanager
def placing(out: Path, nothing: str = "nothing was exported") -> Iterator[Callable[[bytes], None]]:
    """Place one file together with the audited change it is written in. Wrap the change:

        with placing(out) as place:
            with session.change(..., kind="disclosure") as entry:
                ...                      # make the bytes, fill the entry, other rows
                place(data)              # the last step before the commit

    If anything fails inside — writing, renaming, the audit entry, the COMMIT — the placed file
    (or its temporary file) is removed and the error goes on. `nothing` ends the sentence shown
    when the file itself cannot be written ("nothing was exported")."""
    place = _Place(Path(out), nothing)
    try:
        yield place
    except BaseException:
        place.remove()
        raise
    if place.placed:
        fsync_dir(place.out.parent)


def write_disclosure(session, out, make: Callable[[object, dict], bytes], *, permission: str, action: str,
                     case: str | None = None, detail: dict | None = None) -> dict:
    """Write what `make` returns to `out` with its disclosure entry; returns file, size, sha256 and
    detail (the entry's detail as written, with any counts `make` added)."""
    out = target(session, out)
    session.require(permission)
    with placing(out) as place:
        with session.change(permission, action, kind="disclosure", case=case,
                            detail={**(detail or {}), "file": out.name}) as entry:
            data = make(session.conn, entry)
            digest = hashlib.sha256(data).hexdigest()
            entry.update(size=len(data), sha256=digest)
            place(data)
    return {"file": str(out), "size": len(data), "sha256": digest, "detail": dict(entry)}
