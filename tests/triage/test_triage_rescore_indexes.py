"""A rescore that changes half the vault's cases or more (new weights, a relink after a new linker model,
a first import) makes the queue's indexes on the score's columns again after its rows instead of
updating each of them row by row; a small rescore leaves them alone. Either way the scores are the same
and every index is there afterwards, as it was written."""
from __future__ import annotations

from datetime import date

from tests.conftest import watch_index_drops
from triage_app import triage
from triage_app.vault import indexes

from .conftest import imported_vault

SCORE = "SELECT id, victim_age, priority, priority_factors, beaconport, csarp, eligibility_why FROM cases ORDER BY id"


def _indexes(s) -> list:
    return sorted(tuple(r) for r in s.query("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))


def test_a_rescore_of_most_cases_sets_the_score_indexes_aside_and_makes_them_again(tmp_path, monkeypatch):
    s = imported_vault(tmp_path, 150, seed=8)
    monkeypatch.setattr(indexes, "FROM_ROWS", 1)
    before = _indexes(s)
    dropped = watch_index_drops(monkeypatch)
    later = date(2031, 6, 1)          # years since NFA move every case's priority
    s.conn.execute("BEGIN")
    try:
        kept_scores = None
        monkeypatch.setattr(indexes, "FROM_ROWS", 10**9)      # the plain way: every index updated per row
        assert triage.rescore(s.conn, today=later) == 150
        kept_scores = [tuple(r) for r in s.query(SCORE)]
    finally:
        s.conn.execute("ROLLBACK")
    assert dropped == []
    monkeypatch.setattr(indexes, "FROM_ROWS", 1)
    s.conn.execute("BEGIN")
    assert triage.rescore(s.conn, today=later) == 150
    s.conn.execute("COMMIT")
    assert {"cases_queue_cover", "cases_priority_up", "cases_eligibility_down"} <= set(dropped)
    assert "cases_nfa_cover" in dropped and not any(n.startswith(("nominals", "links")) for n in dropped)
    assert [tuple(r) for r in s.query(SCORE)] == kept_scores
    assert _indexes(s) == before
    # A rescore of a few cases (a review decision) keeps every index as it is.
    dropped.clear()
    s.conn.execute("BEGIN")
    triage.rescore(s.conn, [1, 2, 3], today=date(2032, 6, 1))
    s.conn.execute("COMMIT")
    assert dropped == []
