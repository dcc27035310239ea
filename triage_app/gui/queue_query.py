"""The triage queue as SQL: filters, sort orders and pages over `cases`. No Qt here, so the
benchmark and tests can use it without a screen.

Everything is done by the database with its indexes (a covering index per sort: cases_queue_cover, cases_nfa_cover,
cases_ref_cover; cases_status for counts; FTS `case_text`);
nothing joins per keystroke, and rows are read a page at a time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

STATUSES = ("not_started", "in_review", "submitted", "returned", "approved")
STATUS_WORDS = {"not_started": "Not started", "in_review": "In review", "submitted": "Submitted",
                "returned": "Returned", "approved": "Approved"}

ELIGIBILITY = {  # filter key → (label, SQL)
    "beaconport": ("Beaconport eligible", "beaconport = 1"),
    "csarp": ("CSARP eligible", "csarp = 1"),
    "either": ("Beaconport or CSARP", "(beaconport = 1 OR csarp = 1)"),
    "unknown": ("Not yet known", "((beaconport IS NULL OR csarp IS NULL) AND coalesce(beaconport, 0) = 0 AND coalesce(csarp, 0) = 0)"),
    "neither": ("Neither", "(beaconport = 0 AND csarp = 0)"),
}

# Priority bands as the queue shows them. The triage weights decide the scores; these cut-offs
# only group them for the filter, so they sit with the queue, not with the scoring.
BANDS = {"high": ("High (60+)", "priority >= 60"),
         "medium": ("Medium (30–59)", "priority >= 30 AND priority < 60"),
         "low": ("Low (under 30)", "priority < 30")}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    order: str          # ORDER BY for ascending; "{d}" is replaced by ASC/DESC
    tip: str = ""


COLUMNS = (
    Column("priority", "Priority", "priority {d}, nfa_date ASC, ref ASC", "Triage score: higher is looked at first"),
    Column("ref", "Crime ref", "ref {d}"),
    Column("offence", "Offence", "offence_code {d} NULLS LAST, ref ASC"),
    Column("victim_age", "Victim age", "victim_age {d} NULLS LAST, priority DESC, ref ASC", "Youngest victim's age at the offence"),
    Column("nfa_date", "NFA date", "nfa_date {d}, ref {d}"),
    Column("outcome", "Outcome", "outcome_code {d} NULLS LAST, ref ASC",
           "Home Office outcome code: point at a case's code to read what it means"),
    Column("eligibility", "Eligibility", "beaconport {d} NULLS LAST, csarp {d} NULLS LAST, priority DESC, ref ASC",
           "Beaconport: the NCA's Operation Beaconport reviews of child sexual exploitation cases closed with no "
           "further action. CSARP: the Child Sexual Abuse Review Panel. A name shown means the case meets that "
           "intake; 'Beaconport?' means it may, but a fact is not yet known (e.g. whether suspects are alive)."),
    Column("status", "Status", "status {d}, priority DESC, ref ASC"),
)
ROW_SQL = ("SELECT id, priority, ref, offence_code, offence_description, victim_age, nfa_date, outcome_code, "
           "beaconport, csarp, status, assigned_to FROM cases WHERE id IN ({marks})")


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    eligibility: str | None = None
    band: str | None = None
    mine: bool = False
    user: str | None = None
    text: str = ""


_WORD = re.compile(r"\w+", re.UNICODE)
_REF_LIKE = re.compile(r"^[A-Za-z0-9/_.-]*\d[A-Za-z0-9/_.-]*$")


MIN_WORD = 3
MIN_PREFIX = 4


def fts_query(text: str) -> str | None:
    """Words typed → an FTS5 query of quoted words, so no typed character is FTS syntax.

    Words under three letters are left out (they narrow nothing); three-letter words match as
    whole words ("car", "cab"), longer ones as prefixes ("taxi" finds "taxis"). A three-letter
    prefix such as "con" would pull in half the vault and cost the most to look up.
    """
    words = [w for w in _WORD.findall(text or "") if len(w) >= MIN_WORD]
    return " ".join(f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words) if words else None


def where(f: QueueFilter, in_order: bool = False) -> tuple[str, list]:
    """The filter as SQL. `in_order` (a page of the queue, not a count): the status is tested on the
    entries of the index that fits the sort (the unary +), not looked up through `cases_status`, which
    would fetch every case of that status and sort them all to give one page."""
    clauses, params = [], []
    if f.status:
        clauses.append("+status = ?" if in_order else "status = ?")
        params.append(f.status)
    if f.eligibility:
        clauses.append(ELIGIBILITY[f.eligibility][1])
    if f.band:
        clauses.append(BANDS[f.band][1])
    if f.mine:
        clauses.append("+assigned_to = ?")
        params.append(f.user or "")
    text = (f.text or "").strip()
    match = fts_query(text)
    # The unary + keeps the planner from driving the query through the id or ref lookups (thousands
    # of random reads of wide rows, then a sort); it walks the covering index in queue order instead,
    # testing each entry, and stops at the page's end.
    fts = "+id IN (SELECT rowid FROM case_text WHERE case_text MATCH ?)"
    if _REF_LIKE.match(text) and len(text) >= MIN_WORD:
        # A crime reference typed from the top: a range on the unique index, not a scan.
        prefix = text.upper()
        if match:
            clauses.append(f"({fts} OR (+ref >= ? AND +ref < ?))")
            params += [match, prefix, prefix + "\uffff"]
        else:
            clauses.append("+ref >= ? AND +ref < ?")
            params += [prefix, prefix + "\uffff"]
    elif match:
        clauses.append(fts)
        params.append(match)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def order_by(column: str = "priority", descending: bool | None = None) -> str:
    col = next((c for c in COLUMNS if c.key == column), COLUMNS[0])
    if descending is None:
        descending = col.key == "priority"
    # Every order ends in the crime ref, which is unique: the order is total without the row id, and
    # an `, id` on the end would keep the planner from walking the covering index that fits the sort.
    return " ORDER BY " + col.order.replace("{d}", "DESC" if descending else "ASC")


def page_of_ids(conn, f: QueueFilter, column: str, descending: bool | None, offset: int, limit: int) -> list[int]:
    sql_where, params = where(f, in_order=True)
    sql = f"SELECT id FROM cases{sql_where}{order_by(column, descending)} LIMIT ? OFFSET ?"
    return [r[0] for r in conn.execute(sql, [*params, limit, offset])]


def matches(conn, f: QueueFilter, case_id: int) -> bool:
    """Whether this one case passes the filter: a lookup of its own row, not a walk of the queue."""
    sql_where, params = where(f)
    sql_where = (sql_where + " AND" if sql_where else " WHERE") + " id = ?"
    return conn.execute(f"SELECT 1 FROM cases{sql_where}", [*params, case_id]).fetchone() is not None


def count(conn, f: QueueFilter) -> int:
    sql_where, params = where(f)
    return conn.execute(f"SELECT count(*) FROM cases{sql_where}", params).fetchone()[0]


def rows(conn, ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    sql = ROW_SQL.format(marks=",".join("?" * len(ids)))
    return {r[0]: tuple(r) for r in conn.execute(sql, ids)}


def eligibility_text(beaconport, csarp) -> str:
    parts = []
    for name, value in (("Beaconport", beaconport), ("CSARP", csarp)):
        if value == 1:
            parts.append(name)
        elif value is None:
            parts.append(name + "?")
    return " · ".join(parts) if parts else "Neither"


def eligibility_words(beaconport, csarp) -> str:
    """The same screens in words, for the case view, where there is room to say what '?' means."""
    said = {1: "eligible", 0: "not eligible", None: "not yet known"}
    return f"Beaconport: {said[beaconport]}   ·   CSARP: {said[csarp]}"
