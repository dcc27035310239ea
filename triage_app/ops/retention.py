"""MoPI retention: when each case's record is next reviewed, which are due, and what was decided.

Every case here is a serious sexual offence against a child, so MoPI group 1: the first review is
10 years from the NFA date (set by a trigger, migration 50), and each "retain" decision sets the
next one 10 years on. A "dispose" decision deletes nothing. A force disposes of group 1 material
only after review and through its records manager, and reviewed material may be needed by a later
inquiry; so "dispose" records the decision, its date and reason, and marks the record
`disposal_pending` (it leaves the due list). Erasure itself is a separate, later step outside this
version, and would be audited as "erasure". A case whose review is still open can't be disposed of.
"""
from __future__ import annotations

from datetime import date

from triage_app.errors import BadInput, NotFound, Refused
from triage_app.ops.settings import review_years

DECISIONS = ("retain", "dispose")
OPEN_REVIEW = ("in_review", "submitted", "returned")


def _iso(d: date | str | None) -> str:
    if d is None:
        return date.today().isoformat()
    if isinstance(d, date):
        return d.isoformat()
    try:
        return date.fromisoformat(d).isoformat()
    except ValueError:
        raise BadInput(f"The date {d[:20]} is not a date in the form YYYY-MM-DD.")


def due(session, as_of: date | str | None = None) -> list[dict]:
    """Cases whose retention review is due on or before `as_of` (default today), oldest first.

    A case whose NFA date could not be read has no review date and is listed as due: a person
    has to look at it.
    """
    session.require("retention")
    day = _iso(as_of)
    rows = session.query(
        "SELECT c.ref, c.nfa_date, r.review_due, r.mopi_group, "
        "  (SELECT d.decision || '|' || d.decided_on FROM retention_decisions d WHERE d.case_id = c.id "
        "   ORDER BY d.id DESC LIMIT 1) "
        "FROM retention r JOIN cases c ON c.id = r.case_id "
        "WHERE r.state = 'retain' AND (r.review_due IS NULL OR r.review_due <= ?) "
        "ORDER BY r.review_due IS NOT NULL, r.review_due, c.ref", (day,))
    result = []
    for ref, nfa, review_due, group, last in rows:
        decision, decided_on = last.split("|") if last else (None, None)
        result.append({"ref": ref, "nfa_date": nfa, "review_due": review_due, "mopi_group": group,
                       "last_decision": decision, "last_decided_on": decided_on})
    session.record("retention", "retention.due", kind="consultation", detail={"as_of": day, "cases": len(result)})
    return result


def decide(session, ref: str, decision: str, reason: str, on: date | str | None = None) -> dict:
    """Record a retention decision on one case (audited); returns what was recorded."""
    session.require("retention")
    if decision not in DECISIONS:
        raise BadInput("The retention decision must be retain or dispose.")
    if not (reason or "").strip():
        raise BadInput("Give the reason for the retention decision with --reason.")
    day = _iso(on)
    row = session.one("SELECT id, status FROM cases WHERE ref = ?", (ref,))
    if row is None:
        raise NotFound(f"There is no case {ref} in this vault.")
    case_id, status = row
    if decision == "dispose" and status in OPEN_REVIEW:
        raise Refused(f"Case {ref} has a review in progress; it can't be marked for disposal until the review is decided.")
    next_review = None
    if decision == "retain":
        next_review = session.one("SELECT date(?, ?)", (day, f"+{review_years()} years"))[0]
    with session.change("retention", "retention.decide", kind="alteration", case=ref,
                        detail={"decision": decision, "decided_on": day, "next_review": next_review,
                                "reason": reason}):
        session.conn.execute(
            "INSERT INTO retention_decisions(case_id, decision, decided_on, decided_by, reason, next_review) "
            "VALUES (?,?,?,?,?,?)", (case_id, decision, day, session.user, reason, next_review))
        state = "retain" if decision == "retain" else "disposal_pending"
        session.conn.execute(
            "INSERT INTO retention(case_id, review_due, state) VALUES (?,?,?) "
            "ON CONFLICT(case_id) DO UPDATE SET review_due = excluded.review_due, state = excluded.state",
            (case_id, next_review, state))
    return {"ref": ref, "decision": decision, "decided_on": day, "next_review": next_review,
            "state": state}


def history(session, ref: str) -> list[dict]:
    """The retention decisions on one case, oldest first (for case views)."""
    return [{"decision": r[0], "decided_on": r[1], "decided_by": r[2], "next_review": r[3]}
            for r in session.query(
                "SELECT d.decision, d.decided_on, d.decided_by, d.next_review FROM retention_decisions d "
                "JOIN cases c ON c.id = d.case_id WHERE c.ref = ? ORDER BY d.id", (ref,))]
