"""triage.prepare makes the cases' and people's facts of a whole rescore ahead (an import runs it beside
the link); the rescore that follows reads them instead and stores exactly what it would have worked out
itself. The facts are read once: a later rescore, or one of some cases only, reads the vault again."""
from __future__ import annotations

from datetime import date

from triage_app import triage
from triage_app.triage import facts

from .conftest import imported_vault

SCORE = "SELECT id, victim_age, priority, priority_factors, beaconport, csarp, eligibility_why FROM cases ORDER BY id"
RESET = ("UPDATE cases SET victim_age = NULL, priority = 0, priority_factors = '[]', beaconport = NULL, "
         "csarp = NULL, eligibility_why = '[]'")
TODAY = date(2027, 3, 1)


def _prepared(s) -> bool:
    return s.conn.execute("SELECT count(*) FROM temp.sqlite_master WHERE name = 'score_facts'").fetchone()[0] == 1


def test_a_rescore_after_prepare_stores_what_it_works_out_itself(tmp_path):
    s = imported_vault(tmp_path, 120, seed=4)
    # Facts of every kind: a case with nobody on it, a victim whose age is worked out from the dates.
    s.conn.execute("DELETE FROM nominals WHERE case_id = 3")
    s.conn.execute("UPDATE nominals SET age_at_offence = NULL WHERE role = 'victim' AND dob IS NOT NULL")
    s.conn.execute("BEGIN")
    s.conn.execute(RESET)
    triage.rescore(s.conn, today=TODAY)
    itself = [tuple(r) for r in s.query(SCORE)]
    s.conn.execute("ROLLBACK")
    assert len({r[1] for r in itself}) > 5 and any(r[0] == 3 and r[1] is None for r in itself)

    s.conn.execute("BEGIN")
    s.conn.execute(RESET)
    triage.prepare(s.conn)
    assert _prepared(s)
    read = []
    real = facts._cases_and_people
    facts._cases_and_people = lambda *a: read.append(a) or real(*a)
    try:
        triage.rescore(s.conn, today=TODAY)
    finally:
        facts._cases_and_people = real
    assert read == []                       # the prepared facts were used, the vault's not read again
    assert [tuple(r) for r in s.query(SCORE)] == itself
    assert not _prepared(s)
    s.conn.execute("ROLLBACK")


def test_prepared_facts_are_never_read_by_a_rescore_of_some_cases(tmp_path):
    s = imported_vault(tmp_path, 30, seed=5)
    s.conn.execute("BEGIN")
    triage.prepare(s.conn)
    s.conn.execute("UPDATE cases SET nfa_rationale = 'The complainant consented.' WHERE id = 2")
    triage.rescore(s.conn, [1, 2], today=TODAY)
    assert not _prepared(s)
    s.conn.execute("ROLLBACK")
