"""What a user is told on unlocking (no Qt): reviews returned to them, reviews waiting for their
decision. Read straight from the review tables; nothing here is audited (no case is opened)."""
from __future__ import annotations

from triage_app.review import workflow


def at_unlock(session) -> str:
    conn, user, out = session.conn, session.user, []
    if session.can("review"):
        back = [r[0] for r in conn.execute(
            "SELECT c.ref FROM reviews r JOIN cases c ON c.id = r.case_id WHERE r.state = 'returned' "
            "AND r.author = ? AND r.version = (SELECT max(version) FROM reviews x WHERE x.case_id = r.case_id) "
            "ORDER BY r.decided_at", (user,))]
        if back:
            refs = ", ".join(back[:3]) + (f" and {len(back) - 3} more" if len(back) > 3 else "")
            out.append(f"{len(back)} of your reviews came back with a supervisor's comment: {refs}."
                       if len(back) > 1 else f"Your review of {refs} came back with a supervisor's comment.")
    if session.can("decide"):
        n = len(workflow.inbox(conn, user))
        if n:
            out.append(f"{n} review{'s wait' if n != 1 else ' waits'} for your decision: "
                       "Team → Supervisor inbox (Ctrl+Shift+I).")
    return "  ".join(out)
