"""The audit log (DPA 2018 s62): an append-only hash chain, and its head kept outside the database.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical content, so an
edited, deleted or reordered entry breaks the chain from that point. A cut-off tail leaves a valid
chain, so the head (seq + hash) is also written beside the vault, authenticated with a MAC under a
key derived from the vault key; `verify` compares the two. Packs and backups carry the head too.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from triage_app.fileio import atomic_write

GENESIS = "0" * 64

# What DPA 2018 s62 asks to be logged; every action names one of these.
KINDS = ("collection", "alteration", "consultation", "disclosure", "combination", "erasure", "access", "administration")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(seq: int, at: str, user: str, action: str, kind: str, case_ref: str | None, detail: dict) -> bytes:
    return json.dumps([seq, at, user, action, kind, case_ref, detail], sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str

    def as_dict(self) -> dict:
        return {"seq": self.seq, "hash": self.hash}


def append(conn, user: str, action: str, kind: str, case_ref: str | None, detail: dict | None) -> Head:
    """Append one entry. Call inside the transaction of the change it records."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    detail = detail or {}
    last = conn.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = utc_now()
    if last and at < last[2]:
        # The clock went back. Keep the log in time order and say so, rather than write a time
        # that sorts before an earlier entry.
        detail = {**detail, "clock_behind_by_entry": True, "clock_read": at}
        at = last[2]
    h = entry_hash(prev, canonical(seq, at, user, action, kind, case_ref, detail))
    conn.execute("INSERT INTO audit(seq, at, user, action, kind, case_ref, detail, prev_hash, hash) "
                 "VALUES (?,?,?,?,?,?,?,?,?)",
                 (seq, at, user, action, kind, case_ref,
                  json.dumps(detail, sort_keys=True, ensure_ascii=False), prev, h))
    return Head(seq, h)


def current_head(conn) -> Head:
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return Head(row[0], row[1]) if row else Head(0, GENESIS)


# --- the head outside the database --------------------------------------------------------

def head_path(vault_path: Path) -> Path:
    return Path(str(vault_path) + ".audit-head")


def _mac_key(vault_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"triage-app audit head").derive(bytes(vault_key))


def _mac(vault_key: bytes, head: Head, vault_id: str) -> str:
    msg = f"{vault_id}:{head.seq}:{head.hash}".encode("ascii")
    return hmac.new(_mac_key(vault_key), msg, hashlib.sha256).hexdigest()


def write_head(vault_path: Path, vault_key: bytes, vault_id: str, head: Head) -> None:
    body = {"seq": head.seq, "hash": head.hash, "mac": _mac(vault_key, head, vault_id)}
    atomic_write(head_path(vault_path), json.dumps(body).encode("ascii"))


def read_head(vault_path: Path, vault_key: bytes, vault_id: str) -> tuple[Head | None, str | None]:
    """(head, problem). A missing file is a problem too: it is written with the vault."""
    p = head_path(vault_path)
    try:
        body = json.loads(p.read_text("ascii"))
        head = Head(int(body["seq"]), str(body["hash"]))
        ok = hmac.compare_digest(body["mac"], _mac(vault_key, head, vault_id))
    except FileNotFoundError:
        return None, "the audit head file beside the vault is missing"
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None, "the audit head file beside the vault is unreadable"
    if not ok:
        return None, "the audit head file beside the vault fails its authentication check"
    return head, None


# --- verification ---------------------------------------------------------------------------

@dataclass
class Verdict:
    ok: bool
    entries: int
    head: Head
    problem: str | None = None       # one sentence naming the first bad entry
    first_bad_seq: int | None = None


def verify(conn, outside: Head | None = None, outside_problem: str | None = None) -> Verdict:
    prev = GENESIS
    expected_seq = 1
    count = 0
    head = Head(0, GENESIS)
    outside_seen: str | None = None  # our hash at the outside record's seq
    for row in conn.execute("SELECT seq, at, user, action, kind, case_ref, detail, prev_hash, hash FROM audit ORDER BY rowid"):
        seq, at, user, action, kind, case_ref, detail, prev_hash, h = row
        count += 1
        if seq != expected_seq:
            if seq > expected_seq:
                return Verdict(False, count, head, f"Audit entry {expected_seq} is missing: the log was cut or an entry deleted.", expected_seq)
            return Verdict(False, count, head, f"Audit entry {seq} is out of order: the log was reordered.", seq)
        try:
            d = json.loads(detail)
        except ValueError:
            return Verdict(False, count, head, f"Audit entry {seq} was edited: its detail is no longer readable.", seq)
        if prev_hash != prev or entry_hash(prev, canonical(seq, at, user, action, kind, case_ref, d)) != h:
            return Verdict(False, count, head, f"Audit entry {seq} was edited, deleted or reordered: the hash chain breaks there.", seq)
        prev = h
        head = Head(seq, h)
        expected_seq += 1
        if outside is not None and seq == outside.seq:
            outside_seen = h
    if outside_problem:
        return Verdict(False, count, head, f"The chain inside the vault is intact, but {outside_problem}.", None)
    if outside is not None:
        if outside.seq > head.seq:
            return Verdict(False, count, head, f"The audit log ends at entry {head.seq} but the outside record shows {outside.seq} entries: its tail was cut off.", head.seq + 1)
        if outside.seq and outside_seen != outside.hash:
            return Verdict(False, count, head, f"Audit entry {outside.seq} does not match the outside record of the chain head: the log was rewritten.", outside.seq)
    return Verdict(True, count, head)


def entries(conn, case_ref: str | None = None, limit: int | None = None) -> list[dict]:
    sql = "SELECT seq, at, user, action, kind, case_ref, detail FROM audit"
    params: list = []
    if case_ref is not None:
        sql += " WHERE case_ref = ?"
        params.append(case_ref)
    sql += " ORDER BY seq"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [{"seq": r[0], "at": r[1], "user": r[2], "action": r[3], "kind": r[4], "case": r[5],
             "detail": json.loads(r[6])} for r in conn.execute(sql, params)]
