"""A full rescore lets go of each case's facts once its row is made, and of each row once it is handed
to its UPDATE: at 100k cases facts and rows are ~150 MB each, and the page cache grows into their
memory as the case rows are rewritten, rather than on top of it (the import's peak)."""
from __future__ import annotations

from datetime import date

from triage_app import triage

from .conftest import imported_vault

SCORE = "SELECT id, victim_age, priority, priority_factors, beaconport, csarp, eligibility_why FROM cases ORDER BY id"


def test_a_rescore_lets_go_of_the_facts_and_the_rows_as_it_goes(tmp_path, monkeypatch):
    s = imported_vault(tmp_path, 60, seed=5)
    later = date(2031, 6, 1)          # years since NFA move every case's priority
    s.conn.execute("BEGIN")
    try:
        assert triage.rescore(s.conn, today=later) == 60
        expected = [tuple(r) for r in s.query(SCORE)]
    finally:
        s.conn.execute("ROLLBACK")

    gathered, written = [], []
    gather, update = triage.gather, triage._update
    monkeypatch.setattr(triage, "gather", lambda *a, **k: gathered.append(gather(*a, **k)) or gathered[-1])
    monkeypatch.setattr(triage, "_update", lambda conn, rows: written.append(rows) or update(conn, rows))
    monkeypatch.setattr(triage, "_PER_STATEMENT", 7)     # several statements, the last one short
    s.conn.execute("BEGIN")
    assert triage.rescore(s.conn, today=later) == 60
    s.conn.execute("COMMIT")
    assert len(gathered[0]) == 60 and set(gathered[0]) == {None}
    assert len(written[0]) == 60 and set(written[0]) == {None}
    assert [tuple(r) for r in s.query(SCORE)] == expected
