"""Reading one case whole, and full-text search; each is a consultation in the audit log.

`case_detail(session, ref, reason=None)` → the dict `case show --json` prints: every canonical case
field under its canonical name (docs/IMPORT_FORMAT.md), "nominals", "status", "other_recorded_fields",
"review" (the review capability's summary, or None), "priority", "factors", "eligibility".
`search(session, text, limit=50)` → [{"ref", "nfa_date", "offence_code", "snippet"}] best first,
over summaries and NFA rationales (FTS5 table case_text).
"""
from __future__ import annotations

import json
import re

from triage_app.errors import BadInput, NotFound
from triage_app.review.summary import review_summary

CASE_FIELDS = ("offence_code", "offence_description", "offence_date", "reported_date", "nfa_date", "outcome_code",
               "nfa_rationale", "officer_in_case", "location", "exhibits_retained", "summary")
NOMINAL_FIELDS = ("nominal_id", "role", "surname", "forenames", "dob", "gender", "ethnicity", "address", "postcode",
                  "phones", "vehicles")


def _bool(v):
    return None if v is None else bool(v)


def case_detail(session, ref: str, reason: str | None = None) -> dict:
    """The whole case, and a consultation entry (with the reason) in the audit log."""
    session.require("read")
    conn = session.conn
    row = conn.execute("SELECT * FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {ref[:40]} in this vault.")
    out = {"crime_ref": row["ref"], "ref": row["ref"]}
    out.update({f: row[f] for f in CASE_FIELDS})
    out["previously_reviewed"] = _bool(row["previously_reviewed"])
    out["status"] = row["status"]
    out["assigned_to"] = row["assigned_to"]
    out["priority"] = row["priority"]
    out["factors"] = json.loads(row["priority_factors"] or "[]")
    out["eligibility"] = {"beaconport": _bool(row["beaconport"]), "csarp": _bool(row["csarp"]),
                          "why": json.loads(row["eligibility_why"] or "[]")}
    out["victim_age"] = row["victim_age"]
    out["other_recorded_fields"] = json.loads(row["extra"] or "{}")
    out["imported_at"], out["updated_at"] = row["imported_at"], row["updated_at"]
    idents: dict[int, dict] = {}
    for nid, kind, value in conn.execute(
            "SELECT i.nominal, i.kind, i.value FROM identifiers i JOIN nominals n ON n.id = i.nominal "
            "WHERE n.case_id = ? ORDER BY i.kind, i.value", (row["id"],)):
        idents.setdefault(nid, {}).setdefault(kind + "s" if kind != "address" else "address", []).append(value)
    nominals = []
    for n in conn.execute("SELECT * FROM nominals WHERE case_id = ? ORDER BY id", (row["id"],)):
        item = {f: n[f] for f in NOMINAL_FIELDS}
        item["id"] = n["id"]
        item["name_norm"] = n["name_norm"]
        item["age_at_offence"] = n["age_at_offence"]
        item["normalised"] = idents.get(n["id"], {})
        item["other_recorded_fields"] = json.loads(n["extra"] or "{}")
        nominals.append(item)
    out["nominals"] = nominals
    out["review"] = review_summary(conn, row["id"])
    session.record("read", "case.view", kind="consultation", case=row["ref"],
                   detail={"reason": reason} if reason else {})
    return out


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """Words of the user's text, each quoted, so FTS5 syntax in the text can't break the query."""
    return " ".join(f'"{w}"' for w in _WORD.findall(text))


def search(session, text: str, limit: int = 50) -> list[dict]:
    """Cases whose summary or NFA rationale holds every word of `text`, best match first."""
    session.require("read")
    query = fts_query(text or "")
    if not query:
        raise BadInput("Give at least one word to search for.")
    rows = session.conn.execute(
        "SELECT c.ref, c.nfa_date, c.offence_code, snippet(case_text, -1, '[', ']', ' … ', 12) "
        "FROM case_text JOIN cases c ON c.id = case_text.rowid WHERE case_text MATCH ? "
        "ORDER BY bm25(case_text), c.ref LIMIT ?", (query, limit)).fetchall()
    hits = [{"ref": r[0], "nfa_date": r[1], "offence_code": r[2], "snippet": r[3]} for r in rows]
    session.record("read", "search", kind="consultation", detail={"query": text[:200], "hits": len(hits)})
    return hits
