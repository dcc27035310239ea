"""What a reviewer puts on a chronology, each an audited change through the one door:
an event added by hand (date, what happened, source), a date from the free text confirmed as an
event (as proposed or reworded), or a proposed date dismissed. Rows are never edited afterwards.
"""
from __future__ import annotations

from datetime import date

from triage_app.audit import utc_now
from triage_app.chronology import textdates
from triage_app.chronology.cluster import case_id, members
from triage_app.chronology.settings import settings
from triage_app.errors import BadInput, NotFound
from triage_app.importing.dates import BadDate, parse

MAX_TEXT = 500
MAX_SOURCE = 200


def event_date(value: str) -> str:
    value = (value or "").strip()
    try:
        d = parse(value)
    except BadDate as e:
        raise BadInput(f"The event date {e}.") from None
    if d is None:
        raise BadInput("The event date is empty; give it as YYYY-MM-DD or DD/MM/YYYY.")
    if d > date.today():
        raise BadInput(f"The event date {d.isoformat()} is in the future.")
    if d.year < 1900:
        raise BadInput(f"The event date {d.isoformat()} is before 1900.")
    return d.isoformat()


def _line(value, what: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise BadInput(f"The event's {what} is empty; say {'what happened' if what == 'text' else 'where it is recorded'}.")
    if len(value) > limit:
        raise BadInput(f"The event's {what} is longer than {limit} characters; shorten it.")
    return value


def add_event(session, ref: str, when: str, text: str, source: str) -> dict:
    """A reviewer's own event on case `ref`; returns {id, date}."""
    day, text, source = event_date(when), _line(text, "text", MAX_TEXT), _line(source, "source", MAX_SOURCE)
    with session.change("review", "chronology.add", case=ref, detail={"date": day}) as entry:
        cid = case_id(session.conn, ref)
        cur = session.conn.execute(
            "INSERT INTO chronology_events(case_id, event_date, text, source, origin, added_by, added_at) "
            "VALUES (?,?,?,?,'added',?,?)", (cid, day, text, source, session.user, utc_now()))
        entry["event"] = cur.lastrowid
    return {"id": entry["event"], "date": day}


def _taken(conn, cid: int) -> set[tuple[str, int]]:
    rows = conn.execute("SELECT field, start FROM chronology_events WHERE case_id = ? AND origin = 'text' "
                        "UNION SELECT field, start FROM chronology_dismissed WHERE case_id = ?", (cid, cid))
    return {(f, s) for f, s in rows}


def cluster_victims(conn, ref: str) -> list:
    """The victims of case `ref` and of every case linked to it by a link not rejected, whatever its
    probability: the people a proposal must never identify (a date, a name in the quoted sentence)."""
    ids = [m.id for m in members(conn, ref, 0.0)]
    return conn.execute(
        "SELECT forenames, surname, dob, address, postcode, phones, vehicles FROM nominals "
        f"WHERE role = 'victim' AND case_id IN ({','.join('?' * len(ids))})", ids).fetchall()


def _victim_dobs(victims) -> set[str]:
    out = set()
    for v in victims:
        try:
            d = parse(v["dob"] or "")
        except BadDate:
            continue
        if d:
            out.add(d.isoformat())
    return out


def found(conn, ref: str, victims=None) -> list[textdates.Found]:
    """Dates in the case's free text not yet confirmed or dismissed. A date that is the date of birth
    of a victim of this case or of a linked case is no event and is never proposed: shown, it would
    identify her; confirmed, it would put her birth date on the chronology as an event."""
    s = settings()
    cid = case_id(conn, ref)
    row = conn.execute(f"SELECT {', '.join(s.text_fields)} FROM cases WHERE id = ?", (cid,)).fetchone()
    taken = _taken(conn, cid)
    dobs = _victim_dobs(cluster_victims(conn, ref) if victims is None else victims)
    out = []
    for field in s.text_fields:
        out += [f for f in textdates.find(field, row[field], s.context_chars)
                if (f.field, f.start) not in taken and f.date not in dobs]
    return out


def _proposal(conn, ref: str, proposal_id: str) -> textdates.Found:
    for f in found(conn, ref):
        if f.id == proposal_id:
            return f
    raise NotFound(f"There is no open date proposal {proposal_id[:40]} on case {ref[:40]}; "
                   "list them with 'event proposals'.")


def confirm(session, ref: str, proposal_id: str, text: str | None = None) -> dict:
    """Put a date found in the text on the chronology, with the proposed wording or the reviewer's."""
    with session.change("review", "chronology.confirm", case=ref, detail={"proposal": proposal_id[:60]}) as entry:
        f = _proposal(session.conn, ref, proposal_id)
        wording = _line(text, "text", MAX_TEXT) if text is not None else f.text[:MAX_TEXT]
        cur = session.conn.execute(
            "INSERT INTO chronology_events(case_id, event_date, text, source, origin, field, start, added_by, added_at) "
            "VALUES (?,?,?,?,'text',?,?,?,?)",
            (case_id(session.conn, ref), f.date, wording, f"case {f.field}", f.field, f.start, session.user, utc_now()))
        entry.update(event=cur.lastrowid, date=f.date, reworded=text is not None)
    return {"id": entry["event"], "date": f.date}


def dismiss(session, ref: str, proposal_id: str) -> dict:
    with session.change("review", "chronology.dismiss", case=ref, detail={"proposal": proposal_id[:60]}) as entry:
        f = _proposal(session.conn, ref, proposal_id)
        session.conn.execute("INSERT INTO chronology_dismissed(case_id, field, start, event_date, dismissed_by, "
                             "dismissed_at) VALUES (?,?,?,?,?,?)",
                             (case_id(session.conn, ref), f.field, f.start, f.date, session.user, utc_now()))
        entry["date"] = f.date
    return {"date": f.date}
