"""Attachments on a case: add, list, view, export, remove — each one audited.

Every function goes through the one door (`session.change` / `session.record`), so an attachment
and its audit entry are committed together or not at all. Audit entries name the attachment by id,
SHA-256, size and kind, never by its file name or description: a name may hold a victim's name and
an erasure must not leave it behind in the append-only log.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from triage_app import audit
from triage_app.errors import BadInput, NotFound, Refused, TriageError
from triage_app.material import content, intake, limits

VIEWABLE = ("pdf", "image")
MAX_REASON = 500
COLUMNS = ("id", "name", "description", "kind", "media_type", "size", "sha256", "pages", "added_by", "added_at")


def case_id(conn, ref: str) -> int:
    row = conn.execute("SELECT id FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {ref[:40]} in this vault.")
    return row[0]


def _row(conn, ref: str, attachment_id) -> dict:
    cid = case_id(conn, ref)
    try:
        number = int(attachment_id)
    except (TypeError, ValueError):
        raise BadInput(f"An attachment is named by its number (see 'attach list {ref[:40]}').")
    row = conn.execute(f"SELECT {', '.join(COLUMNS)}, removed_at, chunks FROM attachments WHERE id = ? AND case_id = ?",
                       (number, cid)).fetchone()
    if row is None:
        raise NotFound(f"Case {ref[:40]} has no attachment {number}.")
    if row["removed_at"]:
        raise NotFound(f"Attachment {number} of case {ref[:40]} was removed on {row['removed_at'][:10]}; only its "
                       "hash is kept.")
    return dict(zip(row.keys(), tuple(row)))


def _reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise BadInput(f"Give a reason to {what} (--reason).")
    if len(text) > MAX_REASON:
        raise BadInput(f"A reason may be at most {MAX_REASON} characters.")
    return text


def _checkpoint(session) -> None:
    """Fold a big change out of the WAL and shrink it again (best effort: a reader may hold it)."""
    try:
        session.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:     # noqa: BLE001 — a busy WAL is truncated by a later checkpoint instead
        pass


# --- add ------------------------------------------------------------------------------------

def add(session, ref: str, path: Path | None = None, description: str | None = None, *, name: str | None = None,
        data: bytes | None = None) -> dict:
    """Attach the file at `path` (or `data` named `name`) to case `ref`; returns its listing row."""
    session.require("review")
    description = intake.check_description(description)
    case_id(session.conn, ref)     # a missing case is said before a big file is read and checked
    if data is not None:
        good_name, kind = intake.check_name(name or "")
        item = intake.take(good_name, kind, data)
    else:
        item = intake.read_file(Path(path), name)
    cap = int(limits.attachments()["max_case_bytes"])
    with session.change("review", "attach.add", kind="collection", case=ref,
                        detail={"sha256": item.sha256, "size": item.size, "type": item.kind}) as entry:
        conn = session.conn
        cid = case_id(conn, ref)
        same = conn.execute("SELECT id FROM attachments WHERE case_id = ? AND sha256 = ? AND removed_at IS NULL",
                            (cid, item.sha256)).fetchone()
        if same:
            raise BadInput(f"This file is already attached to case {ref[:40]} (attachment {same[0]}). "
                           f"{intake.NOTHING}")
        held = conn.execute("SELECT coalesce(sum(size), 0) FROM attachments WHERE case_id = ? AND removed_at IS NULL",
                            (cid,)).fetchone()[0]
        if held + item.size > cap:
            raise BadInput(f"Case {ref[:40]} already holds {intake.human_size(held)} of attachments; with this file "
                           f"it would pass the {intake.human_size(cap)} a case may hold. {intake.NOTHING}")
        now = audit.utc_now()
        number = conn.execute(
            "INSERT INTO attachments(case_id, name, description, kind, media_type, size, sha256, pages, chunks, "
            "added_by, added_at) VALUES (?,?,?,?,?,?,?,?,0,?,?)",
            (cid, item.name, description, item.kind, item.media_type, item.size, item.sha256, item.pages,
             session.user, now)).lastrowid
        chunks = content.store(conn, number, item.data)
        conn.execute("UPDATE attachments SET chunks = ? WHERE id = ?", (chunks, number))
        entry["attachment"] = number
    _checkpoint(session)
    return {"id": number, "name": item.name, "description": description, "size": item.size, "sha256": item.sha256,
            "added_by": session.user, "added_at": now, "kind": item.kind, "media_type": item.media_type,
            "pages": item.pages}


# --- list -----------------------------------------------------------------------------------

def rows(conn, cid: int) -> list[dict]:
    """The case's attachments (not removed), oldest first; no audit entry (the caller writes one)."""
    cur = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM attachments WHERE case_id = ? AND removed_at IS NULL "
                       "ORDER BY id", (cid,))
    return [dict(zip(COLUMNS, tuple(r))) for r in cur.fetchall()]


def listing(session, ref: str, *, purpose: str = "attach list") -> list[dict]:
    """[{id, name, description, size, sha256, added_by, added_at, kind, media_type, pages}]; a consultation."""
    session.require("read")
    out = rows(session.conn, case_id(session.conn, ref))
    session.record("read", "attach.list", case=ref, detail={"attachments": len(out), "purpose": purpose})
    return out


# --- view -----------------------------------------------------------------------------------

@dataclass
class Opened:
    """An attachment opened for viewing: its bytes stay in memory (PDFs are read on demand)."""
    id: int
    name: str
    kind: str
    pages: int
    size: int
    sha256: str
    reader: content.Reader | None = None     # PDFs: a seekable file over the vault
    data: bytes | None = None                # images: the bytes

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        self.reader = self.data = None


def view(session, ref: str, attachment_id, reason: str | None = None) -> Opened:
    """Open a PDF or image for viewing inside the app (a consultation); other kinds are refused."""
    session.require("read")
    row = _row(session.conn, ref, attachment_id)
    if row["kind"] not in VIEWABLE:
        raise Refused(f"Attachment {row['id']} is a {intake.WHAT[row['kind']]}; only PDFs and images are shown "
                      "inside the app. Export it, with a reason, to open it elsewhere.")
    session.record("read", "attach.view", case=ref,
                   detail={"attachment": row["id"], "sha256": row["sha256"], **({"reason": reason} if reason else {})})
    opened = Opened(row["id"], row["name"], row["kind"], row["pages"] or 1, row["size"], row["sha256"])
    if row["kind"] == "pdf":
        opened.reader = content.Reader(session.conn, row["id"], row["size"])
    else:
        opened.data = content.read_all(session.conn, row["id"])
    return opened


# --- export ---------------------------------------------------------------------------------

def _target(out) -> Path:
    out = Path(out)
    if out.is_dir():
        raise BadInput("The place to export to is a folder; give a file name. Nothing was written.")
    if not out.parent.is_dir():
        raise BadInput("The folder to export to does not exist. Nothing was written.")
    if out.exists() or out.is_symlink():
        raise BadInput("A file already exists where the export would go; choose another name. Nothing was written.")
    return out


def export(session, ref: str, attachment_id, out, reason: str | None) -> dict:
    """Write the attachment, exactly as attached, to `out`: a disclosure. The stored content is
    checked against the SHA-256 taken at intake first; the file and its audit entry exist together."""
    session.require("review")
    reason = _reason(reason, "export an attachment")
    out = _target(out)
    temp: Path | None = None
    placed = False
    try:
        with session.change("review", "attach.export", kind="disclosure", case=ref) as entry:
            row = _row(session.conn, ref, attachment_id)
            data = content.read_all(session.conn, row["id"])
            if len(data) != row["size"] or hashlib.sha256(data).hexdigest() != row["sha256"]:
                raise TriageError(f"Attachment {row['id']} of case {ref[:40]} fails its hash check (it is not the file "
                                  "that was attached); nothing was written. Restore the vault from a backup.")
            entry.update(attachment=row["id"], sha256=row["sha256"], size=row["size"], file=out.name, reason=reason)
            try:
                fd, name = tempfile.mkstemp(prefix=".export-", suffix=".part", dir=out.parent)
                temp = Path(name)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                if _file_sha256(temp) != row["sha256"]:      # what landed on disk, read back
                    raise TriageError("The exported file does not match the attachment's hash after writing "
                                      "(a failing disk?); nothing was written.")
                os.replace(temp, out)
            except OSError as e:
                raise TriageError(f"The attachment could not be written there ({e.strerror}); nothing was written.")
            placed = True
    except BaseException:
        if placed:
            out.unlink(missing_ok=True)      # a disclosure whose entry failed must not exist
        elif temp is not None:
            temp.unlink(missing_ok=True)
        raise
    return {"id": row["id"], "file": str(out), "sha256": row["sha256"], "size": row["size"]}


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


# --- remove ---------------------------------------------------------------------------------

def remove(session, ref: str, attachment_id, reason: str | None) -> dict:
    """Erase an attachment's content, name and description; its hash, size and history stay."""
    session.require("review")
    reason = _reason(reason, "remove an attachment")
    with session.change("review", "attach.remove", kind="erasure", case=ref) as entry:
        row = _row(session.conn, ref, attachment_id)
        content.erase(session.conn, row["id"])
        now = audit.utc_now()
        session.conn.execute("UPDATE attachments SET name = '', description = '', removed_by = ?, removed_at = ? "
                             "WHERE id = ?", (session.user, now, row["id"]))
        entry.update(attachment=row["id"], sha256=row["sha256"], size=row["size"], type=row["kind"], reason=reason)
    _checkpoint(session)
    return {"id": row["id"], "sha256": row["sha256"], "removed_at": now}


# --- checks (backups, restores) -------------------------------------------------------------

def has_table(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").fetchone() is not None


def held_count(conn) -> int:
    """Attachments held (not removed) in the whole vault; 0 for a vault from before attachments."""
    return conn.execute("SELECT count(*) FROM attachments WHERE removed_at IS NULL").fetchone()[0] \
        if has_table(conn) else 0


def verify_all(conn) -> list[str]:
    """One phrase per attachment whose stored content no longer matches its intake hash."""
    if not has_table(conn):
        return []         # a vault from before attachments: nothing to check
    attached = conn.execute("SELECT a.id, c.ref, a.sha256, a.size, a.chunks FROM attachments a "
                            "JOIN cases c ON c.id = a.case_id WHERE a.removed_at IS NULL ORDER BY a.id").fetchall()
    problems = []
    for number, ref, expected, size, chunks in attached:
        digest, got = content.digest(conn, number)
        count = conn.execute("SELECT count(*) FROM attachment_content WHERE attachment = ?", (number,)).fetchone()[0]
        if digest != expected or got != size or count != chunks:
            problems.append(f"attachment {number} of case {ref} fails its SHA-256 check")
    return problems
