"""Case bundles: chosen cases, with everything recorded on them, moved to another vault.

File layout (one file):
  b"TRIAGE-BUNDLE\\n", 4-byte big-endian length, a JSON header (format, bundle id, Argon2id
  parameters and salt, AES-GCM nonce), then AES-256-GCM ciphertext of the zlib-compressed JSON
  payload. The key is Argon2id over the passphrase given at export; the header is the associated
  data, so a changed header or body fails as a wrong passphrase would.
Payload: the cases with their nominals, identifiers, reviews (answers, inquiries, contacts,
decisions, the provenance of answers confirmed from proposals), chronology (events put on it, date
proposals dismissed), retention decisions and material (attachments with their bytes, graded intelligence:
triage_app/material/bundle.py); link judgements between the chosen cases; and every audit
entry on those cases, with its hashes, plus the source vault's chain head at export.

Importing merges: a case not yet here is added whole; a case already here with the same content
is left alone; a case here with different content is a conflict, reported and never overwritten.
The received audit entries are kept beside our chain (`bundle_audit`), each one's hash checked.
Both ends are audited: "disclosure" at export (one entry per case, so each case's trail shows
it), "collection" at import.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import struct
import zlib
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from triage_app import audit
from triage_app.errors import AuthFailed, BadInput, NotFound, TriageError
from triage_app.fileio import atomic_write
from triage_app.vault.kdf import SALT_BYTES, KdfParams, OutOfBounds, benchmark_kdf
from triage_app.vault.passphrase import passphrase_problem

MAGIC = b"TRIAGE-BUNDLE\n"
FORMAT = "triage-app bundle 1"
# Columns a vault assigns for itself: never carried from one vault to another. Row ids and the
# keys that point at them are renumbered; the queue columns each vault computes (rescore).
LOCAL = {"id", "case_id", "review_id", "nominal"}
CASE_LOCAL = LOCAL | {"priority", "priority_factors", "beaconport", "csarp", "eligibility_why", "victim_age",
                      "assigned_to"}
# What makes two copies of a case "the same" (the core's derived columns are left out: each
# vault computes its own).
CASE_FIELDS = ("offence_code", "offence_description", "offence_date", "reported_date", "nfa_date",
               "outcome_code", "nfa_rationale", "officer_in_case", "location", "exhibits_retained", "summary",
               "previously_reviewed", "extra")
NOMINAL_FIELDS = ("natural_key", "nominal_id", "role", "surname", "forenames", "dob", "gender", "ethnicity",
                  "address", "postcode", "phones", "vehicles", "extra")
# In the order they are written back: a proposal's provenance row only after the answer it describes.
REVIEW_CHILDREN = ("review_answers", "review_inquiries", "review_contacts", "review_decisions",
                   "review_answer_proposals")
# Rows kept on a case by capabilities of their own (table → the order they are read in).
CASE_CHILDREN = {"chronology_events": "id", "chronology_dismissed": "field, start, event_date"}


# --- encryption -----------------------------------------------------------------------------

def seal(payload: dict, passphrase: str, kdf: KdfParams) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps({"format": FORMAT, "bundle_id": payload["bundle_id"],
                         "kdf": {"name": "argon2id", "iterations": kdf.iterations, "lanes": kdf.lanes,
                                 "memory_kib": kdf.memory_kib, "salt": salt.hex()},
                         "nonce": nonce.hex()}, sort_keys=True).encode("utf-8")
    head = MAGIC + struct.pack(">I", len(header)) + header
    body = zlib.compress(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"), 6)
    return head + AESGCM(kdf.derive(passphrase, salt)).encrypt(nonce, body, head)


def unseal(data: bytes, passphrase: str, file: Path) -> dict:
    try:
        if not data.startswith(MAGIC):
            raise ValueError
        (n,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
        head = data[:len(MAGIC) + 4 + n]
        header = json.loads(head[len(MAGIC) + 4:].decode("utf-8"))
        if header.get("format") != FORMAT:
            raise ValueError
        k = header["kdf"]
        salt, nonce = bytes.fromhex(k["salt"]), bytes.fromhex(header["nonce"])
        # Bounded before anything is derived: a header asking for 2**31 passes or GiB would hang.
        kdf = KdfParams(int(k["iterations"]), int(k["lanes"]), int(k["memory_kib"]))
        if not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
            raise OutOfBounds("salt")
    except OutOfBounds:
        raise BadInput(f"{file} asks for key-derivation settings outside the safe bounds; it was not opened.")
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError):
        raise BadInput(f"{file} is not a triage-app case bundle (or it is damaged).")
    try:
        body = AESGCM(kdf.derive(passphrase, salt)).decrypt(nonce, data[len(head):], head)
    except InvalidTag:
        raise AuthFailed("The bundle passphrase is not right, or the bundle was altered.")
    try:
        payload = json.loads(zlib.decompress(body).decode("utf-8"))
    except (zlib.error, ValueError, UnicodeDecodeError):
        raise BadInput(f"{file} is not a triage-app case bundle (its contents are damaged).")
    if payload.get("format") != FORMAT or payload.get("bundle_id") != header.get("bundle_id"):
        raise BadInput(f"{file} is not a triage-app case bundle (its header and contents disagree).")
    return payload


# --- reading rows generically (the tables keep growing; copy the columns both ends know) ------

def _table_exists(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _columns(conn, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _rows(conn, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _portable(row: dict, local=LOCAL) -> dict:
    return {k: v for k, v in row.items() if k not in local}


def _insert(conn, table: str, row: dict, **local) -> int:
    known = set(_columns(conn, table))
    values = {k: v for k, v in {**row, **local}.items() if k in known}
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return conn.execute(f"INSERT INTO {table}({cols}) VALUES ({marks})", list(values.values())).lastrowid


# --- export ---------------------------------------------------------------------------------

def _case_payload(conn, case: dict) -> dict:
    out = _portable(case, CASE_LOCAL)
    out["nominals"] = []
    for n in _rows(conn, "SELECT * FROM nominals WHERE case_id = ? ORDER BY id", (case["id"],)):
        item = _portable(n)
        item["identifiers"] = [_portable(i) for i in _rows(conn, "SELECT * FROM identifiers WHERE nominal = ?", (n["id"],))]
        out["nominals"].append(item)
    out["reviews"] = []
    if _table_exists(conn, "reviews"):
        for r in _rows(conn, "SELECT * FROM reviews WHERE case_id = ? ORDER BY version", (case["id"],)):
            item = _portable(r)
            for child in REVIEW_CHILDREN:
                item[child] = [_portable(c) for c in _rows(conn, f"SELECT * FROM {child} WHERE review_id = ? ORDER BY rowid", (r["id"],))]
            out["reviews"].append(item)
    out["retention_decisions"] = [_portable(d) for d in _rows(
        conn, "SELECT * FROM retention_decisions WHERE case_id = ? ORDER BY id", (case["id"],))]
    for table, order in CASE_CHILDREN.items():
        out[table] = [_portable(r) for r in _rows(conn, f"SELECT * FROM {table} WHERE case_id = ? ORDER BY {order}",
                                                  (case["id"],))]
    from triage_app.material.bundle import case_material
    out["material"] = case_material(conn, case["id"])   # attachments' details and intelligence
    return out


def _judgements(conn, ids: dict[int, str]) -> list[dict]:
    if not _table_exists(conn, "link_judgements"):
        return []
    out = []
    for j in _rows(conn, "SELECT * FROM link_judgements"):
        if j["case_a"] in ids and j["case_b"] in ids:
            item = {k: v for k, v in j.items() if k not in ("case_a", "case_b")}
            out.append({**item, "a": ids[j["case_a"]], "b": ids[j["case_b"]]})
    return out


def export_bundle(session, refs: list[str], out: Path, passphrase: str, *, recipient: str | None = None,
                  justification: str | None = None, kdf: KdfParams | None = None) -> dict:
    """Write the chosen cases to an encrypted bundle at `out` (which must not exist yet)."""
    session.require("bundle")
    out = Path(out)
    refs = list(dict.fromkeys(refs))
    if not refs:
        raise BadInput("Name at least one case to put in the bundle.")
    if out.exists():
        raise BadInput(f"A file already exists at {out}; choose another name for the bundle.")
    if not out.parent.is_dir():
        raise NotFound(f"The folder {out.parent} does not exist.")
    problem = passphrase_problem(passphrase)
    if problem:
        raise BadInput("The bundle passphrase is too weak: " + problem[0].lower() + problem[1:])
    kdf = kdf or benchmark_kdf()
    conn = session.conn
    bundle_id = secrets.token_hex(16)
    detail = {"bundle_id": bundle_id, "cases": refs, "file": out.name, "recipient": recipient,
              "justification": justification}
    written = False
    try:
        with session.change("bundle", "bundle.export", kind="disclosure", detail=detail) as entry:
            cases = []
            for ref in refs:
                row = _rows(conn, "SELECT * FROM cases WHERE ref = ?", (ref,))
                if not row:
                    raise NotFound(f"There is no case {ref} in this vault; nothing was written.")
                cases.append(row[0])
            ids = {c["id"]: c["ref"] for c in cases}
            marks = ",".join("?" for _ in refs)
            trail = _rows(conn, f"SELECT seq, at, user, action, kind, case_ref, detail, prev_hash, hash FROM audit "
                                f"WHERE case_ref IN ({marks}) ORDER BY seq", refs)
            payload = {
                "format": FORMAT, "bundle_id": bundle_id,
                "source_vault": session.keyfile.vault_id, "exported_at": audit.utc_now(),
                "exported_by": session.user, "source_head": session.head().as_dict(),
                "recipient": recipient, "justification": justification,
                "cases": [_case_payload(conn, c) for c in cases],
                "link_judgements": _judgements(conn, ids),
                "audit": trail,
                "attachment_content": _material().contents(conn, list(ids)),
            }
            # One disclosure entry per case as well, so `audit log --case REF` shows where it went.
            for ref in refs:
                audit.append(conn, session.user, "bundle.export.case", "disclosure", ref,
                             {"bundle_id": bundle_id, "recipient": recipient})
            data = seal(payload, passphrase, kdf)
            atomic_write(out, data)
            written = True
            entry["bytes"] = len(data)
            entry["sha256"] = hashlib.sha256(data).hexdigest()
    except BaseException:
        if written:
            out.unlink(missing_ok=True)  # a bundle whose disclosure was not recorded must not exist
        raise
    return {"file": str(out), "bundle_id": bundle_id, "cases": len(refs), "bytes": len(data)}


# --- import ---------------------------------------------------------------------------------

def _fingerprint(case: dict) -> str:
    """What must match for an incoming case to count as the one already here."""
    body = {"case": {k: case.get(k) for k in CASE_FIELDS},
            "nominals": sorted(json.dumps({k: n.get(k) for k in NOMINAL_FIELDS}, sort_keys=True)
                               for n in case.get("nominals", [])),
            "reviews": sorted(json.dumps({k: r.get(k) for k in ("version", "state", "author", "recommendation", "rationale")},
                                         sort_keys=True) for r in case.get("reviews", []))}
    if _material().digest(case.get("material")):     # only when held, so older fingerprints still match
        body["material"] = _material().digest(case.get("material"))
    chronology = {t: sorted(json.dumps(r, sort_keys=True) for r in case.get(t) or []) for t in CASE_CHILDREN}
    if any(chronology.values()):                      # the same: a case with no chronology hashes as before
        body["chronology"] = chronology
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


def _conflict_what(mine: dict, theirs: dict) -> str:
    if any(mine.get(k) != theirs.get(k) for k in CASE_FIELDS):
        return "the case details differ"
    no_chronology = dict.fromkeys(CASE_CHILDREN, [])
    if _fingerprint({**mine, "reviews": [], **no_chronology}) != _fingerprint({**theirs, "reviews": [], **no_chronology}):
        same_people = _fingerprint({**mine, "reviews": [], "material": None, **no_chronology}) == \
            _fingerprint({**theirs, "reviews": [], "material": None, **no_chronology})
        return "the attachments or intelligence differ" if same_people else "the people recorded on the case differ"
    if _fingerprint({**mine, "reviews": []}) != _fingerprint({**theirs, "reviews": []}):
        return "the chronology differs"
    return "the reviews differ"


def _add_case(conn, case: dict, blobs: dict | None = None) -> int:
    case_id = _insert(conn, "cases", {k: v for k, v in case.items()
                                      if k not in ("nominals", "reviews", "retention_decisions", "material",
                                                   *CASE_CHILDREN)})
    for n in case.get("nominals", []):
        nominal_id = _insert(conn, "nominals", {k: v for k, v in n.items() if k != "identifiers"}, case_id=case_id)
        for i in n.get("identifiers", []):
            _insert(conn, "identifiers", i, nominal=nominal_id)
    if case.get("reviews") and not _table_exists(conn, "reviews"):
        raise TriageError("This vault can't hold reviews yet; update triage-app before importing this bundle.")
    for r in case.get("reviews", []):
        state = r.get("state")
        # The review tables only take answers into a review in progress: build it so, then set
        # its real state, as the workflow itself would have.
        review_id = _insert(conn, "reviews", {k: v for k, v in r.items() if k not in REVIEW_CHILDREN},
                            case_id=case_id, state="in_review")
        for child in REVIEW_CHILDREN:
            for c in r.get(child, []):
                _insert(conn, child, c, review_id=review_id)
        if state != "in_review":
            conn.execute("UPDATE reviews SET state = ? WHERE id = ?", (state, review_id))
    for d in case.get("retention_decisions", []):
        _insert(conn, "retention_decisions", d, case_id=case_id)
    for table in CASE_CHILDREN:
        for row in case.get(table) or []:
            _insert(conn, table, row, case_id=case_id)
    _material().add_material(conn, case_id, case.get("material"), blobs or {})
    if case.get("retention_decisions"):
        last = case["retention_decisions"][-1]
        conn.execute("UPDATE retention SET review_due = ?, state = ? WHERE case_id = ?",
                     (last.get("next_review"), "retain" if last.get("decision") == "retain" else "disposal_pending",
                      case_id))
    return case_id


def _check_trail(entries: list[dict]) -> int:
    """How many received audit entries fail their own hash (kept anyway, and reported)."""
    bad = 0
    for e in entries:
        try:
            content = audit.canonical(e["seq"], e["at"], e["user"], e["action"], e["kind"], e["case_ref"],
                                      json.loads(e["detail"]))
            if audit.entry_hash(e["prev_hash"], content) != e["hash"]:
                bad += 1
        except (KeyError, TypeError, ValueError):
            bad += 1
    return bad


def import_bundle(session, file: Path, passphrase: str) -> dict:
    """Merge a bundle into this vault; returns {"cases_added", "already_present", "conflicts": [{ref, what}]}."""
    session.require("bundle")
    file = Path(file)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"There is no bundle file at {file}.")
    except OSError as e:
        raise TriageError(f"The bundle {file} can't be read ({e.strerror}).")
    payload = unseal(data, passphrase, file)
    conn = session.conn
    if session.one("SELECT 1 FROM bundles_received WHERE id = ?", (payload["bundle_id"],)):
        raise BadInput(f"The bundle {file.name} was imported into this vault before; nothing was changed.")
    bad_entries = _check_trail(payload.get("audit", []))
    added, present, conflicts, new_ids = [], [], [], []
    with session.change("bundle", "bundle.import", kind="collection",
                        detail={"bundle_id": payload["bundle_id"], "file": file.name,
                                "source_vault": payload["source_vault"], "exported_by": payload["exported_by"],
                                "source_head": payload["source_head"]}) as entry:
        for case in payload["cases"]:
            ref = case["ref"]
            mine = _rows(conn, "SELECT * FROM cases WHERE ref = ?", (ref,))
            if not mine:
                new_ids.append(_add_case(conn, case, payload.get("attachment_content")))
                added.append(ref)
                audit.append(conn, session.user, "bundle.import.case", "collection", ref,
                             {"bundle_id": payload["bundle_id"], "source_vault": payload["source_vault"]})
                continue
            here = _case_payload(conn, mine[0])
            if _fingerprint(here) == _fingerprint(case):
                present.append(ref)
            else:
                conflicts.append({"ref": ref, "what": _conflict_what(here, case)})
        conflicts += _merge_judgements(conn, payload.get("link_judgements", []))
        conn.execute("INSERT INTO bundles_received(id, source_vault, exported_at, exported_by, source_head_seq, "
                     "source_head_hash, imported_at, imported_by, cases_added, conflicts) VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (payload["bundle_id"], payload["source_vault"], payload["exported_at"], payload["exported_by"],
                      payload["source_head"]["seq"], payload["source_head"]["hash"], audit.utc_now(), session.user,
                      len(added), json.dumps(conflicts)))
        for e in payload.get("audit", []):
            conn.execute("INSERT OR IGNORE INTO bundle_audit(bundle, source_vault, seq, at, user, action, kind, "
                         "case_ref, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         (payload["bundle_id"], payload["source_vault"], e["seq"], e["at"], e["user"], e["action"],
                          e["kind"], e["case_ref"], e["detail"], e["prev_hash"], e["hash"]))
        _refresh(conn, new_ids)
        entry.update({"cases_added": added, "already_present": present,
                      "conflicts": conflicts, "audit_entries_received": len(payload.get("audit", [])),
                      "audit_entries_failing_hash": bad_entries})
    return {"bundle_id": payload["bundle_id"], "cases_added": len(added), "added": added,
            "already_present": present, "conflicts": conflicts,
            "audit_entries_received": len(payload.get("audit", [])), "audit_entries_failing_hash": bad_entries}


def _merge_judgements(conn, judgements: list[dict]) -> list[dict]:
    conflicts = []
    if not judgements or not _table_exists(conn, "link_judgements"):
        return conflicts
    for j in judgements:
        a = conn.execute("SELECT id FROM cases WHERE ref = ?", (j["a"],)).fetchone()
        b = conn.execute("SELECT id FROM cases WHERE ref = ?", (j["b"],)).fetchone()
        if not a or not b:
            continue
        lo, hi = sorted((a[0], b[0]))
        mine = conn.execute("SELECT judgement FROM link_judgements WHERE case_a = ? AND case_b = ?", (lo, hi)).fetchone()
        if mine is None:
            _insert(conn, "link_judgements", {k: v for k, v in j.items() if k not in ("a", "b")}, case_a=lo, case_b=hi)
        elif mine[0] != j.get("judgement"):
            conflicts.append({"ref": f"{j['a']} / {j['b']}", "what": "the link judgements differ"})
    return conflicts


def _material():
    from triage_app.material import bundle
    return bundle


def _refresh(conn, case_ids: list[int]) -> None:
    """The hooks every import calls (ARCHITECTURE.md): links first, then the queue columns."""
    if not case_ids:
        return
    from triage_app import linking, triage
    if hasattr(linking, "relink"):
        linking.relink(conn, case_ids)
    if hasattr(triage, "rescore"):
        triage.rescore(conn, case_ids)
