"""Files a reader never sees half-written, and CSV cells a spreadsheet will never run (ground level)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from triage_app.errors import BadInput, VaultUnavailable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet must never run a cell as a formula: prefix such cells with a single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut; best effort (some systems can't open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` all at once, owner-only; on OSError the old file is untouched and no
    temporary file is left behind (the caller words the error for its user)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0o600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """`replace_file` for a file beside the vault (key slots, audit head): a problem is VaultUnavailable."""
    try:
        replace_file(path, data)
    except OSError as e:
        raise VaultUnavailable(f"Could not write {path} ({e.strerror or e}); nothing was changed.")


def write_atomic(path: Path, data: bytes) -> None:
    """`replace_file` for a file the user named: a problem is one sentence (BadInput)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BadInput(f"The folder for {path} does not exist.")
    try:
        replace_file(path, data)
    except OSError as e:
        raise BadInput(f"{path} can't be written ({e.strerror}).")
