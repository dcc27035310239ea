"""Importing in two parts, relinked incrementally, gives exactly the links of one full relink."""
from dataclasses import replace

from triage_app import importing, linking, triage
from triage_app.demo.synthetic import generate


def _snapshot(conn):
    links = conn.execute("SELECT case_a, case_b, strength, basis, suspect_a, suspect_b, evidence FROM links "
                         "ORDER BY case_a, case_b").fetchall()
    scores = conn.execute("SELECT id, priority, priority_factors, beaconport, csarp, eligibility_why FROM cases "
                          "ORDER BY id").fetchall()
    return [tuple(r) for r in links], [tuple(r) for r in scores]


def test_two_imports_match_one_full_relink(login, tmp_path):
    s = login("sam")
    data = generate(500, seed=3)
    first = {c["crime_ref"] for c in data.cases[:250]}
    for part, keep in (("one", lambda ref: ref in first), ("two", lambda ref: ref not in first)):
        chunk = replace(data, cases=[c for c in data.cases if keep(c["crime_ref"])],
                        nominals=[n for n in data.nominals if keep(n["crime_ref"])])
        importing.run(s, *chunk.write_csv(tmp_path / part))
    incremental = _snapshot(s.conn)
    assert len(incremental[0]) > 50
    s.conn.execute("BEGIN IMMEDIATE")
    try:
        linking.relink(s.conn)
        triage.rescore(s.conn)
        full = _snapshot(s.conn)
    finally:
        s.conn.execute("ROLLBACK")
    diff = [(a, b) for a, b in zip(incremental[0], full[0]) if a != b]
    assert not diff, diff[:2]
    assert incremental[0] == full[0]
    assert incremental[1] == full[1]
