"""A reviewer confirms or rejects a suggested link, with a reason; audited as a combination."""
from __future__ import annotations

from triage_app.audit import utc_now
from triage_app.errors import BadInput, NotFound

JUDGEMENTS = {"confirm": "confirmed", "reject": "rejected"}


def case_id(conn, ref: str) -> int:
    row = conn.execute("SELECT id FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {ref} in this vault.")
    return row[0]


def judge(session, ref_a: str, ref_b: str, verb: str, reason: str | None) -> str:
    """Record the judgement and rescore both cases, all in one audited change. Returns the judgement."""
    if verb not in JUDGEMENTS:
        raise BadInput("A link is judged with confirm or reject.")
    if not reason or not reason.strip():
        raise BadInput("Give the reason for the judgement with --reason.")
    if ref_a == ref_b:
        raise BadInput("A link joins two different cases; give two references.")
    judgement = JUDGEMENTS[verb]
    with session.change("review", f"link.{verb}", kind="combination", case=ref_a,
                        detail={"other": ref_b, "judgement": judgement, "reason": reason.strip()}):
        conn = session.conn
        a, b = sorted((case_id(conn, ref_a), case_id(conn, ref_b)))
        known = conn.execute("SELECT 1 FROM links WHERE case_a = ? AND case_b = ? UNION ALL "
                             "SELECT 1 FROM link_judgements WHERE case_a = ? AND case_b = ?", (a, b, a, b)).fetchone()
        if known is None:
            raise NotFound(f"There is no suggested link between {ref_a} and {ref_b} to judge.")
        conn.execute("INSERT INTO link_judgements(case_a, case_b, judgement, reason, judged_by, judged_at) "
                     "VALUES (?,?,?,?,?,?) ON CONFLICT(case_a, case_b) DO UPDATE SET judgement = excluded.judgement, "
                     "reason = excluded.reason, judged_by = excluded.judged_by, judged_at = excluded.judged_at",
                     (a, b, judgement, reason.strip(), session.user, utc_now()))
        from triage_app.triage import rescore
        rescore(conn, [a, b])
    return judgement
