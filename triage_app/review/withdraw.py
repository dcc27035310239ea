"""Withdrawing an edit: the compensating change behind the desktop app's undo.

The workflow's services only ever add or overwrite; undoing "answered", "raised", "recorded" or
"recommended" when there was nothing before needs the opposite change. It is one more audited
service call with the same role and state checks as the edit it takes back (only the author, only
a review in progress), so an undo is in the audit log like any edit, and the command line could
make it too.
"""
from __future__ import annotations

from triage_app.errors import BadInput, NotFound
from triage_app.review.workflow import _case, _editable

WHAT = ("answer", "inquiry", "contact", "recommendation")


def withdraw(session, ref: str, what: str, key: str | int | None = None) -> None:
    """Take back one edit of the review of `ref`:
    answer (key: item id), inquiry (key: its number), contact (key: its id; None = the last
    recorded), recommendation (the recommendation and its rationale)."""
    if what not in WHAT:
        raise BadInput("Only an answer, a line of inquiry, a contact or the recommendation can be withdrawn.")
    detail = {"what": what} if key is None else {"what": what, "key": str(key)[:60]}
    with session.change("review", "review.withdraw", case=ref, detail=detail) as entry:
        conn = session.conn
        r = _editable(session, _case(conn, ref), ref)
        if what == "answer":
            cur = conn.execute("DELETE FROM review_answers WHERE review_id = ? AND item_id = ?", (r["id"], key))
        elif what == "inquiry":
            cur = conn.execute("DELETE FROM review_inquiries WHERE review_id = ? AND number = ?", (r["id"], int(key)))
        elif what == "contact":
            if key is None:
                row = conn.execute("SELECT max(id) FROM review_contacts WHERE review_id = ?", (r["id"],)).fetchone()
                key = row[0]
                entry["key"] = str(key)
            cur = conn.execute("DELETE FROM review_contacts WHERE review_id = ? AND id = ?", (r["id"], key))
        else:
            cur = conn.execute("UPDATE reviews SET recommendation = NULL, rationale = NULL WHERE id = ? "
                               "AND recommendation IS NOT NULL", (r["id"],))
        if cur.rowcount != 1:
            raise NotFound(f"The review of case {ref} has no such {what} to withdraw.")
        entry["version"] = r["version"]
