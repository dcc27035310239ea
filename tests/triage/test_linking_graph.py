"""Reading links without their explanations gives the same links, less the explanation."""
from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.linking import graph, links_for_case


def test_links_without_explanations_are_the_same_links(login, tmp_path):
    s = login("sam")
    importing.run(s, *generate(200, seed=9).write_csv(tmp_path))
    cases = [r[0] for r in s.conn.execute("SELECT DISTINCT case_a FROM links")]
    assert len(cases) > 10
    for case in cases:
        full = links_for_case(s.conn, case)
        bare = links_for_case(s.conn, case, explained=False)
        assert full and all(p["explanation"] for p in full)
        assert bare == [{k: v for k, v in p.items() if k != "explanation"} for p in full]
    whole = graph.all_pairs(s.conn)
    assert graph.all_pairs(s.conn, explained=False) == [
        {k: v for k, v in p.items() if k not in ("explanation", "_explanation")} for p in whole]
