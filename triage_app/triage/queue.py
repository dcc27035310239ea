"""The triage queue in the shape `cases --json` prints (docs/CLI.md): highest priority first, ties by NFA date then ref."""
from __future__ import annotations

import json

from triage_app.errors import BadInput

STATUSES = ("not_started", "in_review", "submitted", "returned", "approved")


def _bool(v):
    return None if v is None else bool(v)


def queue(conn, status: str | None = None, limit: int | None = None) -> list[dict]:
    if status is not None and status not in STATUSES:
        raise BadInput(f"Status {status!r} is not one of: {', '.join(STATUSES)}.")
    if limit is not None and limit < 1:
        raise BadInput("--limit must be a whole number of 1 or more.")
    sql = ("SELECT ref, priority, status, priority_factors, beaconport, csarp, eligibility_why, nfa_date, victim_age "
           "FROM cases")
    params: list = []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    sql += " ORDER BY priority DESC, nfa_date, ref"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    out = []
    for ref, priority, st, factors, beaconport, csarp, why, nfa_date, victim_age in conn.execute(sql, params):
        fs = json.loads(factors)
        out.append({"ref": ref, "priority": priority, "status": st,
                    "reasons": [f"{f['reason']} {f['points']:+d}" for f in fs],
                    "factors": fs,
                    "eligibility": {"beaconport": _bool(beaconport), "csarp": _bool(csarp), "why": json.loads(why)},
                    "nfa_date": nfa_date, "victim_age": victim_age})
    return out
