"""linking.people: one person per group of firmly matched nominal records (issue 19, item 7)."""
import json

from triage_app.linking.people import groups, merge_chart, people, person_pairs

NOW = "2025-01-01T00:00:00Z"


def _case(s, ref):
    return s.conn.execute("INSERT INTO cases(ref, nfa_date, imported_at, updated_at) VALUES (?, '2014-01-01', ?, ?)",
                          (ref, NOW, NOW)).lastrowid


def _nominal(s, case_id, name, role="suspect"):
    return s.conn.execute("INSERT INTO nominals(case_id, role, surname, forenames, name_norm, natural_key) "
                          "VALUES (?, ?, ?, 'Jo', ?, ?)", (case_id, role, name, f"jo {name.lower()}",
                                                            f"k{case_id}{name}")).lastrowid


def _link(s, a, b, strength, evidence, judgement=None):
    a, b = sorted((a, b))
    s.conn.execute("INSERT INTO links(case_a, case_b, strength, basis, evidence) VALUES (?,?,?,?,?)",
                   (a, b, strength, json.dumps(["same person"]), json.dumps(evidence)))
    if judgement:
        s.conn.execute("INSERT INTO link_judgements VALUES (?,?,?,?,?,?)", (a, b, judgement, "checked", "sam", NOW))


def test_groups_are_connected_components():
    assert groups([(1, 2), (3, 2), (5, 4)]) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 4}


def test_strong_and_confirmed_person_matches_join_possible_ones_do_not(login):
    s = login("sam")
    with s.change("import", "test.links", kind="collection"):
        c = [_case(s, f"CR/2014/00000{i}") for i in range(4)]
        n = [_nominal(s, c[i], "Hallworth") for i in range(4)]
        _link(s, c[0], c[1], "strong", [[n[0], n[1], "person", "same name and date of birth", "strong"]])
        _link(s, c[1], c[2], "possible", [[n[1], n[2], "person", "similar name", "possible"]], "confirmed")
        _link(s, c[2], c[3], "possible", [[n[2], n[3], "person", "similar name", "possible"]])
        _link(s, c[0], c[3], "strong", [[n[0], n[3], "phone", "+447700900123", "strong"]])
    assert sorted(person_pairs(s.conn)) == sorted([(n[0], n[1]), (n[1], n[2])])
    found = people(s.conn)
    assert found[n[0]] == found[n[1]] == found[n[2]] and n[3] not in found
    assert people(s.conn, [c[3]]) == {}                       # only links touching case 4: none firm


def test_merge_chart_draws_one_node_per_person():
    chart = {"nodes": [{"id": "case:1", "type": "case", "label": "A"}, {"id": "case:2", "type": "case", "label": "B"},
                       {"id": "person:10", "type": "person", "label": "Jo Hallworth", "role": "suspect"},
                       {"id": "person:11", "type": "person", "label": "Joe Hallworth", "role": "suspect"}],
             "edges": [{"source": "person:10", "target": "case:1", "type": "on_case", "role": "suspect"},
                       {"source": "person:11", "target": "case:2", "type": "on_case", "role": "suspect"},
                       {"source": "person:10", "target": "person:11", "type": "same_person"}]}
    merged = merge_chart(chart, {10: 10, 11: 10})
    persons = [n for n in merged["nodes"] if n["type"] == "person"]
    assert len(persons) == 1 and persons[0]["names"] == ["Jo Hallworth", "Joe Hallworth"]
    assert {(e["source"], e["target"]) for e in merged["edges"]} == {("person:10", "case:1"), ("person:10", "case:2")}
