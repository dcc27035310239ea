"""What the score and the screens need to know about each case, read set-based in a few queries.

A full rescore of 100k cases must take seconds, so nothing here queries per case: each query groups
over the whole table (or a chunk of ids) and the rows are joined up in Python once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from triage_app.vault.connection import OperationalError

CHUNK = 500  # ids per IN (...) list; well under SQLite's parameter limit

# Age in whole years at the offence from two ISO dates, when the importer has not stored it.
_AGE_SQL = """
CASE WHEN n.age_at_offence IS NOT NULL THEN n.age_at_offence
     WHEN n.dob GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
      AND c.offence_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
      AND c.offence_date >= n.dob
     THEN CAST(substr(c.offence_date, 1, 4) AS INTEGER) - CAST(substr(n.dob, 1, 4) AS INTEGER)
          - (substr(c.offence_date, 6, 5) < substr(n.dob, 6, 5))
END"""


@dataclass
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
    where, params = _in("id", ids)
    facts = {r[0]: CaseFacts(*r[:10], tuple(r[10:])) for r in conn.execute(
        "SELECT id, ref, offence_code, offence_description, offence_date, nfa_date, outcome_code, "
        "nfa_rationale, exhibits_retained, previously_reviewed, "
        "victim_age, priority, priority_factors, beaconport, csarp, eligibility_why FROM cases WHERE 1=1" + where, params)}
    if not facts:
        return []

    where, params = _in("n.case_id", ids)
    for case_id, victims, suspects, youngest, unknown in conn.execute(
            f"SELECT case_id, sum(role = 'victim'), sum(role = 'suspect'), "
            f"min(CASE WHEN role = 'victim' THEN age END), sum(role = 'victim' AND age IS NULL) "
            f"FROM (SELECT n.case_id, n.role, {_AGE_SQL} AS age FROM nominals n JOIN cases c ON c.id = n.case_id "
            f"WHERE n.role IN ('victim', 'suspect'){where}) GROUP BY case_id", params):
        f = facts.get(case_id)
        if f:
            f.victims, f.suspects, f.youngest_victim_age, f.victims_age_unknown = victims, suspects, youngest, unknown

    # Links through this case's suspects; a judged pair counts by its judgement, a rejected one not at all.
    wa, pa = _in("l.case_a", ids)
    wb, pb = _in("l.case_b", ids)
    sql = ("SELECT cid, sum(j = 'confirmed'), sum(j IS NULL AND strength = 'strong'), "
           "sum(j IS NULL AND strength = 'possible') FROM ("
           " SELECT l.case_a AS cid, l.strength, j.judgement AS j FROM links l LEFT JOIN link_judgements j"
           "  ON j.case_a = l.case_a AND j.case_b = l.case_b WHERE l.suspect_a = 1" + wa +
           " UNION ALL"
           " SELECT l.case_b AS cid, l.strength, j.judgement AS j FROM links l LEFT JOIN link_judgements j"
           "  ON j.case_a = l.case_a AND j.case_b = l.case_b WHERE l.suspect_b = 1" + wb +
           ") GROUP BY cid")
    for cid, confirmed, strong, possible in conn.execute(sql, pa + pb):
        f = facts.get(cid)
        if f:
            f.links_confirmed, f.links_strong, f.links_possible = confirmed or 0, strong or 0, possible or 0

    for cid in approved_reviews(conn, ids, exclude_review):
        if cid in facts:
            facts[cid].approved_review = True
    return list(facts.values())


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
