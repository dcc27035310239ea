"""Links of an older vault brought up to the second-generation linker (migration 24).

Links made before it carry no probability, explanation or model version. The upgrade marks the
vault (`link_relink_due`); the next unlock by someone who may import relinks every case once, in
one audited change, and rescores the cases whose links changed. A reviewer's unlock leaves the
mark for a supervisor; an import relinks everything while the mark is there (linking.relink).
"""
from __future__ import annotations


def due(conn) -> str | None:
    row = conn.execute("SELECT reason FROM link_relink_due WHERE id = 1").fetchone()
    return row[0] if row else None


def clear(conn) -> None:
    conn.execute("DELETE FROM link_relink_due")


def relink_if_due(session) -> bool:
    """Relink the whole vault once if an upgrade marked it and this user may import. True if done."""
    reason = due(session.conn)
    if reason is None or not session.can("import"):
        return False
    from triage_app import linking
    from triage_app.triage import rescore
    conn = session.conn
    before = conn.execute("SELECT count(*) FROM links WHERE model IS NULL").fetchone()[0]
    with session.change("import", "relink", kind="combination",
                        detail={"reason": reason, "links_without_probability": before}) as entry:
        changed = linking.relink(conn)
        if changed:
            rescore(conn, changed)
        entry["links"] = conn.execute("SELECT count(*) FROM links").fetchone()[0]
        entry["cases_changed"] = len(changed)
    return True
