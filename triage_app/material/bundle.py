"""Material in case bundles (ops/bundle.py): what a case carries, and adding it on import.

A case's payload gets "material": its attachments' details (with SHA-256) and its intelligence
items with their sanitisation decisions; an item on a nominal names it by the nominal's natural key
(the row ids of one vault mean nothing in another). The attachments' bytes travel once per file,
base64 under "attachment_content" keyed by SHA-256, inside the bundle's encryption. On import
every file is checked against its hash before anything is added, so a damaged bundle adds nothing.
"""
from __future__ import annotations

import base64
import hashlib
import json

from triage_app.errors import BadInput
from triage_app.material import content
from triage_app.material.attachments import has_table

_ATTACHMENT = ("name", "description", "kind", "media_type", "size", "sha256", "pages", "added_by", "added_at")
_INTEL = ("text", "source", "item_date", "source_grade", "intel_grade", "handling", "conditions", "added_by",
          "added_at")


def case_material(conn, case_id: int) -> dict:
    """{"attachments": [...], "intel": [...]}: details only, no file content."""
    if not has_table(conn):
        return {"attachments": [], "intel": []}
    cols = ", ".join(_ATTACHMENT)
    attached = [dict(zip(_ATTACHMENT, tuple(r))) for r in conn.execute(
        f"SELECT {cols} FROM attachments WHERE case_id = ? AND removed_at IS NULL ORDER BY id", (case_id,))]
    intel = []
    for r in conn.execute(f"SELECT i.id, {', '.join('i.' + c for c in _INTEL)}, n.natural_key FROM intel_items i "
                          "LEFT JOIN nominals n ON n.id = i.nominal WHERE i.case_id = ? ORDER BY i.id", (case_id,)):
        item = dict(zip(_INTEL, tuple(r)[1:-1]))
        item["nominal_key"] = r[-1]
        item["sanitisations"] = [dict(zip(("decided_by", "decided_at", "reason", "text"), tuple(s))) for s in conn.execute(
            "SELECT decided_by, decided_at, reason, text FROM intel_sanitisations WHERE item = ? ORDER BY id", (r[0],))]
        intel.append(item)
    return {"attachments": attached, "intel": intel}


def contents(conn, case_ids: list[int]) -> dict[str, str]:
    """{sha256: base64 of the bytes} for the attachments of these cases."""
    if not case_ids or not has_table(conn):
        return {}
    marks = ",".join("?" * len(case_ids))
    out = {}
    for number, digest in conn.execute(f"SELECT id, sha256 FROM attachments WHERE removed_at IS NULL AND case_id IN "
                                       f"({marks})", case_ids).fetchall():
        if digest not in out:
            out[digest] = base64.b64encode(content.read_all(conn, number)).decode("ascii")
    return out


def digest(material: dict | None) -> str | None:
    """What must match for two copies of a case to hold the same material (None: none held)."""
    if not material or not (material.get("attachments") or material.get("intel")):
        return None
    body = {"attachments": sorted(a["sha256"] for a in material.get("attachments", [])),
            "intel": sorted(json.dumps({k: i.get(k) for k in (*_INTEL[:7], "nominal_key")}, sort_keys=True)
                            for i in material.get("intel", []))}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


def add_material(conn, case_id: int, material: dict | None, blobs: dict[str, str]) -> None:
    """Add a received case's material (inside the import's transaction); BadInput on a bad file."""
    if not material:
        return
    for a in material.get("attachments", []):
        try:
            data = base64.b64decode(blobs[a["sha256"]], validate=True)
        except (KeyError, ValueError, TypeError):
            raise BadInput("The bundle is missing an attachment's content; nothing was imported.")
        if hashlib.sha256(data).hexdigest() != a["sha256"] or len(data) != a["size"]:
            raise BadInput("An attachment in the bundle fails its SHA-256 check; nothing was imported.")
        name = str(a["name"])
        if "/" in name or "\\" in name or not name.strip():
            raise BadInput("An attachment in the bundle has a name holding a path separator; nothing was imported.")
        number = conn.execute(
            "INSERT INTO attachments(case_id, name, description, kind, media_type, size, sha256, pages, chunks, "
            "added_by, added_at) VALUES (?,?,?,?,?,?,?,?,0,?,?)",
            (case_id, name, a["description"], a["kind"], a["media_type"], a["size"], a["sha256"], a.get("pages"),
             a["added_by"], a["added_at"])).lastrowid
        conn.execute("UPDATE attachments SET chunks = ? WHERE id = ?", (content.store(conn, number, data), number))
    for i in material.get("intel", []):
        nominal = None
        if i.get("nominal_key"):
            row = conn.execute("SELECT id FROM nominals WHERE case_id = ? AND natural_key = ?",
                               (case_id, i["nominal_key"])).fetchone()
            nominal = row[0] if row else None
        number = conn.execute(
            f"INSERT INTO intel_items(case_id, nominal, {', '.join(_INTEL)}) VALUES (?, ?, {', '.join('?' * len(_INTEL))})",
            (case_id, nominal, *(i.get(k) for k in _INTEL))).lastrowid
        for s in i.get("sanitisations", []):
            conn.execute("INSERT INTO intel_sanitisations(item, decided_by, decided_at, reason, text) VALUES (?,?,?,?,?)",
                         (number, s["decided_by"], s["decided_at"], s["reason"], s["text"]))
