"""The demo's chronology: on the cluster of the demo's most linked case, the dates in the summaries
are confirmed as events by the demo reviewer (audited, as a reviewer would), so its timeline shows
what the text adds to the record's own dates. The case itself keeps its dates as proposals, to try
"Dates in the text…" on. The user guide's chronology picture shows the same case
(scripts/guide_scenes.py uses `linked_case`)."""
from __future__ import annotations


def linked_case(conn) -> str | None:
    """Of the 60 cases at the top of the queue, the one with the most links (8 or more count alike),
    dates in its own text breaking ties (something for "Dates in the text…" to propose)."""
    from triage_app.chronology.store import found
    from triage_app.linking import graph
    from triage_app.triage.queue import queue
    top = [q["ref"] for q in queue(conn) if q["status"] == "not_started"][:60]
    if not top:
        return None
    count: dict[str, int] = {}
    for p in graph.all_pairs(conn):
        for ref in (p["a"], p["b"]):
            count[ref] = count.get(ref, 0) + 1
    return max(top, key=lambda ref: (min(count.get(ref, 0), 8), bool(found(conn, ref)), -top.index(ref)))


def confirm_dates(session) -> tuple[str | None, int]:
    """Confirm the dates in the text of every case linked to `linked_case` (a reviewer's session);
    returns (that case, the number of events confirmed)."""
    from triage_app import chronology
    from triage_app.chronology.store import found
    ref = linked_case(session.conn)
    if ref is None:
        return None, 0
    confirmed = 0
    for member in chronology.build(session.conn, ref).members:
        if member.ref == ref:
            continue
        for f in found(session.conn, member.ref):
            chronology.confirm(session, member.ref, f.id)
            confirmed += 1
    return ref, confirmed
