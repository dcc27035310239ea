"""Did this vault issue exactly this file? By the SHA-256 of its bytes against the packs table.

A file whose bytes match no issued pack but which carries a pack id this vault issued (in its PDF
metadata, which an edit rarely touches) is reported as altered rather than simply not issued, so a
reader knows an issued pack exists and the copy in hand differs from it.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from triage_app.errors import BadInput, NotFound

_PACK_ID = re.compile(rb"pack_id:(PK-[0-9A-F]{12})")

ISSUED, ALTERED, NOT_ISSUED = "issued", "altered", "not_issued"


def _read(path) -> bytes:
    p = Path(path)
    if p.is_dir():
        raise BadInput(f"{p} is a folder, not a pack file.")
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"There is no file {p}.")
    except OSError as e:
        raise BadInput(f"The file {p} can't be read ({e.strerror}).")


def _row(session, sql: str, params) -> dict | None:
    row = session.one(sql, params)
    return dict(zip(row.keys(), tuple(row))) if row else None


_COLS = "pack_id, case_ref, version, identity, issued_by, issued_at, sha256, size, audit_seq"


def verify_pack(session, path) -> dict:
    """{"result": issued|altered|not_issued, "ok": bool, "sha256", and for a known pack its
    pack_id, case, version, issued_by, issued_at}. The check is itself an audited consultation."""
    session.require("read")
    data = _read(path)
    digest = hashlib.sha256(data).hexdigest()
    found = _row(session, f"SELECT {_COLS} FROM packs WHERE sha256 = ? ORDER BY issued_at LIMIT 1", (digest,))
    result = ISSUED if found else NOT_ISSUED
    if not found:
        for pack_id in dict.fromkeys(m.decode("ascii") for m in _PACK_ID.findall(data)):
            found = _row(session, f"SELECT {_COLS} FROM packs WHERE pack_id = ?", (pack_id,))
            if found:
                result = ALTERED
                break
    out = {"result": result, "ok": result == ISSUED, "sha256": digest, "file": str(path)}
    if found:
        out.update(pack_id=found["pack_id"], case=found["case_ref"], version=found["version"],
                   issued_by=found["issued_by"], issued_at=found["issued_at"], identity=found["identity"],
                   issued_sha256=found["sha256"])
    session.record("read", "pack.verify", case=found["case_ref"] if found else None,
                   detail={"result": result, "sha256": digest, "pack_id": found["pack_id"] if found else None})
    return out


def sentence(v: dict) -> str:
    """The verdict in one plain sentence, for the command line and the desktop app."""
    if v["result"] == ISSUED:
        return (f"This vault issued exactly this file: pack {v['pack_id']} (version {v['version']}) of case "
                f"{v['case']}, issued by {v['issued_by']} at {v['issued_at']}.")
    if v["result"] == ALTERED:
        return (f"This file was altered: it carries pack {v['pack_id']} of case {v['case']}, issued by "
                f"{v['issued_by']} at {v['issued_at']}, but its bytes differ from the issued file.")
    return "This vault did not issue this file: no pack it issued has these bytes."
