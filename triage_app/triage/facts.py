"""What the score and the screens need to know about each case, read set-based in a few queries.

A full rescore of 100k cases must take seconds, so nothing here queries per case: each query groups
over the whole table (or a chunk of ids) and the rows are joined up in Python once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from triage_app.vault.connection import OperationalError

CHUNK = 500  # ids per IN (...) list; well under SQLite's parameter limit

# Age in whole years at the offence from two ISO dates, when the importer has not stored it. The case's
# offence date (d) is looked up only then: a join on cases read a case row for each of the 240k victims
# and suspects at 100k (people's query 0.82 -> 0.21 CPU s), when mostly none is needed, as the
# importer stores the age wherever both dates are known.
_AGE_SQL = """
CASE WHEN n.age_at_offence IS NOT NULL THEN n.age_at_offence
     WHEN n.dob GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
      AND {d} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
      AND {d} >= n.dob
     THEN CAST(substr({d}, 1, 4) AS INTEGER) - CAST(substr(n.dob, 1, 4) AS INTEGER)
          - (substr({d}, 6, 5) < substr(n.dob, 6, 5))
END""".format(d="(SELECT offence_date FROM cases WHERE id = n.case_id)")


@dataclass(slots=True)
class CaseFacts:
    id: int
    ref: str
    offence_code: str | None
    offence_description: str | None
    offence_date: str | None
    nfa_date: str
    outcome_code: str | None
    nfa_rationale: str | None
    exhibits_retained: str | None
    previously_reviewed: int | None
    current: tuple = ()            # the queue columns as stored, so unchanged rows are not rewritten
    victims: int = 0
    youngest_victim_age: int | None = None
    victims_age_unknown: int = 0
    suspects: int = 0
    links_confirmed: int = 0
    links_strong: int = 0
    links_possible: int = 0
    approved_review: bool = False
    suspects_alive: bool | None = None
    extra: dict = field(default_factory=dict)


def chunks(ids, size: int = CHUNK):
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def gather(conn, case_ids=None, *, exclude_review: int | None = None) -> list[CaseFacts]:
    """Facts for the given case ids (None: every case). `exclude_review`: an approved review that
    does not count as "reviewed before" (a pack states the case as that review found it)."""
    if case_ids is None:
        return _gather(conn, None, exclude_review)
    wanted = set(case_ids)
    if len(wanted) > CHUNK and wanted >= {r[0] for r in conn.execute("SELECT id FROM cases")}:
        # Every case (a first import): one pass over each table beats hundreds of IN (...) lists.
        return _gather(conn, None, exclude_review)
    out: list[CaseFacts] = []
    for part in chunks(sorted(wanted)):
        out.extend(_gather(conn, part, exclude_review))
    return out


def _in(column: str, ids) -> tuple[str, list]:
    if ids is None:
        return "", []
    return f" AND {column} IN ({','.join('?' * len(ids))})", list(ids)


def _gather(conn, ids, exclude_review: int | None = None) -> list[CaseFacts]:
    cur = conn.cursor()
    cur.row_factory = None           # plain tuples: one per case, taken apart at once
    where, params = _in("id", ids)
    cases = cur.execute(
        "SELECT id, ref, offence_code, offence_description, offence_date, nfa_date, outcome_code, "
        "nfa_rationale, exhibits_retained, previously_reviewed, victim_age, priority, priority_factors, "
        "beaconport, csarp, eligibility_why FROM cases WHERE 1=1" + where, params).fetchall()
    if not cases:
        return []

    where, params = _in("n.case_id", ids)
    people = {r[0]: r[1:] for r in cur.execute(
        f"SELECT case_id, sum(role = 'victim'), min(CASE WHEN role = 'victim' THEN age END), "
        f"sum(role = 'victim' AND age IS NULL), sum(role = 'suspect') "
        f"FROM (SELECT n.case_id, n.role, {_AGE_SQL} AS age FROM nominals n "
        f"WHERE n.role IN ('victim', 'suspect'){where}) GROUP BY case_id", params)}

    # Links through this case's suspects; a judged pair counts by its judgement, a rejected one not at all.
    wa, pa = _in("l.case_a", ids)
    wb, pb = _in("l.case_b", ids)
    sql = ("SELECT cid, coalesce(sum(j = 'confirmed'), 0), coalesce(sum(j IS NULL AND strength = 'strong'), 0), "
           "coalesce(sum(j IS NULL AND strength = 'possible'), 0) FROM ("
           " SELECT l.case_a AS cid, l.strength, j.judgement AS j FROM links l LEFT JOIN link_judgements j"
           "  ON j.case_a = l.case_a AND j.case_b = l.case_b WHERE l.suspect_a = 1" + wa +
           " UNION ALL"
           " SELECT l.case_b AS cid, l.strength, j.judgement AS j FROM links l LEFT JOIN link_judgements j"
           "  ON j.case_a = l.case_a AND j.case_b = l.case_b WHERE l.suspect_b = 1" + wb +
           ") GROUP BY cid")
    links = {r[0]: r[1:] for r in cur.execute(sql, pa + pb)}
    approved = approved_reviews(conn, ids, exclude_review)

    nobody, unlinked = (0, None, 0, 0), (0, 0, 0)
    return [CaseFacts(*r[:10], r[10:], *people.get(r[0], nobody), *links.get(r[0], unlinked), r[0] in approved)
            for r in cases]


def approved_reviews(conn, ids=None, exclude_review: int | None = None) -> set[int]:
    """Cases with an approved review in this vault (the review capability's table, when it exists)."""
    where, params = _in("case_id", ids)
    if exclude_review is not None:
        where += " AND id != ?"
        params = [*params, exclude_review]
    try:
        return {r[0] for r in conn.execute(
            "SELECT DISTINCT case_id FROM reviews WHERE state = 'approved'" + where, params)}
    except OperationalError:  # no review schema in this vault yet
        return set()
