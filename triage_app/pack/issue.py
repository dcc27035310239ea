"""Issuing a referral pack: a disclosure (DPA 2018 s62), so the file, its packs row and its audit
entry exist together or not at all.

The PDF is rendered inside the audited transaction and placed with `disclosure.placing`, as every
export is: an owner-only temporary file in the target folder, renamed into place as the last step
before the commit; if anything fails, including the audit entry or the commit, the file is removed.
The pack carries the audit chain head as it stood before its own entry (a file cannot carry the
hash of the entry that records its hash); its packs row records the entry's own sequence number.
"""
from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from triage_app import audit
from triage_app.disclosure import placing
from triage_app.errors import BadInput
from triage_app.pack.document import render
from triage_app.pack.gather import case_row, gather
from triage_app.pack.identity import check_level
from triage_app.pack.model import DocumentControl

DEFAULT_RECIPIENT = "CSE Taskforce (Operation Beaconport)"
DEFAULT_JUSTIFICATION = "Referral of a reviewed NFA case for a decision on reinvestigation"
MAX_TEXT = 500


def _text(value: str | None, default: str, what: str) -> str:
    value = (value or "").strip() or default
    if len(value) > MAX_TEXT:
        raise BadInput(f"The {what} is longer than {MAX_TEXT} characters; shorten it.")
    return value


def _target(out_path) -> Path:
    out = Path(out_path)
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give a file name for the pack, e.g. {out / 'pack.pdf'}.")
    if not out.parent.is_dir():
        raise BadInput(f"The folder {out.parent} does not exist; nothing was written.")
    if out.exists():
        # Replacing an earlier pack is fine; replacing anything else (a slip such as --out vault.db) is not.
        try:
            with open(out, "rb") as f:
                is_pdf = f.read(5) == b"%PDF-"
        except OSError:
            is_pdf = False
        if not is_pdf:
            raise BadInput(f"{out} already exists and is not a PDF; choose another file name. Nothing was written.")
    return out


def new_pack_id() -> str:
    return "PK-" + secrets.token_hex(6).upper()


def issue_pack(session, ref: str, out_path, identity: str = "initials", recipient: str | None = None,
               justification: str | None = None, append_attachments=None) -> dict:
    """Write the referral pack of `ref`'s approved review to `out_path`; returns pack_id, sha256, path."""
    check_level(identity)
    recipient = _text(recipient, DEFAULT_RECIPIENT, "recipient")
    justification = _text(justification, DEFAULT_JUSTIFICATION, "justification")
    out = _target(out_path)
    session.require("review")
    with placing(out, nothing="nothing was issued") as place:
        with session.change("review", "pack.issue", kind="disclosure", case=ref) as entry:
            conn = session.conn
            case = case_row(conn, ref)
            head = audit.current_head(conn)
            version = conn.execute("SELECT count(*) FROM packs WHERE case_id = ?", (case["id"],)).fetchone()[0] + 1
            control = DocumentControl(new_pack_id(), version, session.user, audit.utc_now(), head.seq, head.hash,
                                      identity)
            data = gather(conn, ref, identity, control, append_attachments)
            pdf = render(data)
            digest = hashlib.sha256(pdf).hexdigest()
            # The packs row carries the sequence number its own audit entry will take (the next one).
            conn.execute("INSERT INTO packs(pack_id, case_id, case_ref, version, review_id, review_version, identity, "
                         "recipient, justification, issued_by, issued_at, sha256, size, audit_seq, head_seq, head_hash) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (control.pack_id, case["id"], ref, version, _review_id(conn, case["id"], control),
                          control.review_version, identity, recipient, justification, session.user,
                          control.generated_at, digest, len(pdf), head.seq + 1, head.seq, head.hash))
            entry.update(recipient=recipient, justification=justification, identity=identity, sha256=digest,
                         pack_id=control.pack_id, version=version, review_version=control.review_version,
                         file=out.name, size=len(pdf), **data.material.audit_detail())
            place(pdf)
    return {"pack_id": control.pack_id, "sha256": digest, "path": str(out), "version": version,
            "identity": identity, "case": ref}


def _review_id(conn, case_id: int, control: DocumentControl) -> int:
    row = conn.execute("SELECT id FROM reviews WHERE case_id = ? AND version = ?",
                       (case_id, control.review_version)).fetchone()
    return row[0]


def pack_history(session, ref: str) -> list[dict]:
    """The packs issued for a case, oldest first (for the desktop app's case screen)."""
    session.require("read")
    rows = session.query("SELECT pack_id, version, review_version, identity, recipient, justification, issued_by, "
                         "issued_at, sha256, size FROM packs WHERE case_ref = ? ORDER BY version", (ref,))
    return [dict(zip(r.keys(), tuple(r))) for r in rows]
