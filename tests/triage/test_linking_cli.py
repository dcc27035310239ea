import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from triage_app.linking import relink
from triage_app.triage import rescore


@pytest.fixture
def linked(build):
    """Three cases: 1–2 share a phone (strong), 1–3 share a name, a date of birth missing (possible)."""
    a = build.case("CR/2012/1", nfa_date="2012-01-01", offence_code="19D")
    b = build.case("CR/2013/2", nfa_date="2013-01-01")
    c = build.case("CR/2014/3", nfa_date="2014-01-01")
    build.nominal(a, "suspect", "Dean", "Farrow", dob="1981-05-05", phones="07700 900777")
    build.nominal(b, "suspect", "Lee", "Quill", phones="07700900777")
    build.nominal(c, "suspect", "Dean", "Farrow")
    relink(build.conn)
    rescore(build.conn)
    return build


def test_links_json_shape(linked, cli):
    code, out, err = cli("rita", "links", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {"pairs", "clusters"}
    pairs = {(p["a"], p["b"]): p for p in doc["pairs"]}
    assert set(pairs) == {("CR/2012/1", "CR/2013/2"), ("CR/2012/1", "CR/2014/3")}
    assert pairs[("CR/2012/1", "CR/2013/2")]["strength"] == "strong"
    assert pairs[("CR/2012/1", "CR/2014/3")]["strength"] == "possible"
    assert all(set(p) == {"a", "b", "strength", "probability", "basis", "explanation", "judgement"}
               and p["judgement"] is None for p in doc["pairs"])
    assert pairs[("CR/2012/1", "CR/2013/2")]["probability"] == 1.0
    possible = pairs[("CR/2012/1", "CR/2014/3")]
    assert 0.5 <= possible["probability"] < 0.95
    words = {e["text"] for e in possible["explanation"]}
    assert "date of birth: not recorded on one side, +0.0" in words
    assert any(w.startswith("surname: the same, +") for w in words)
    assert all({"comparison", "level", "weight"} <= set(e) for e in possible["explanation"])
    assert doc["clusters"] == [["CR/2012/1", "CR/2013/2"]]


def test_cases_json_shape_and_order(linked, cli):
    code, out, err = cli("rob", "cases", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["ref"] for r in rows][0] == "CR/2012/1"
    prios = [r["priority"] for r in rows]
    assert prios == sorted(prios, reverse=True)
    for r in rows:
        assert set(r) >= {"ref", "priority", "status", "reasons", "factors", "eligibility"}
        assert sum(f["points"] for f in r["factors"]) == r["priority"]
        assert set(r["eligibility"]) == {"beaconport", "csarp", "why"}
        assert r["reasons"] == [f"{f['reason']} {f['points']:+d}" for f in r["factors"]]
    code, out, _ = cli("rob", "cases", "--json", "--limit", "1", "--status", "not_started")
    assert len(json.loads(out)) == 1
    code, _, err = cli("rob", "cases", "--status", "bogus")
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ties_by_nfa_date_then_ref(build, cli):
    for ref, nfa in (("CR/B", "2015-01-01"), ("CR/A", "2015-01-01"), ("CR/C", "2011-01-01")):
        build.case(ref, nfa_date=nfa)
    code, out, _ = cli("rita", "cases", "--json")
    assert [r["ref"] for r in json.loads(out)] == ["CR/C", "CR/A", "CR/B"]


def test_confirm_is_audited_and_weighs_more(linked, cli, login):
    before = linked.scored("CR/2012/1")["priority"]
    code, out, err = cli("rita", "link", "confirm", "CR/2014/3", "CR/2012/1", "--reason", "same custody photo")
    assert code == 0, err
    after = linked.scored("CR/2012/1")
    assert after["priority"] > before
    assert any("confirmed by a reviewer" in f["reason"] for f in after["factors"])
    doc = json.loads(cli("rita", "links", "--json")[1])
    p = next(p for p in doc["pairs"] if p["b"] == "CR/2014/3")
    assert p["judgement"] == "confirmed"
    assert ["CR/2012/1", "CR/2013/2", "CR/2014/3"] in doc["clusters"]
    entries = [r for r in login("sam").conn.execute("SELECT user, action, kind, case_ref, detail FROM audit "
                                                   "WHERE action = 'link.confirm'")]
    assert len(entries) == 1
    user, action, kind, case_ref, detail = entries[0]
    assert (user, kind, case_ref) == ("rita", "combination", "CR/2014/3")
    assert json.loads(detail)["reason"] == "same custody photo"


def test_rejected_pair_never_suggested_again(linked, cli):
    code, _, err = cli("rob", "link", "reject", "CR/2012/1", "CR/2014/3", "--reason", "different men")
    assert code == 0, err
    doc = json.loads(cli("rob", "links", "--json")[1])
    assert ("CR/2012/1", "CR/2014/3") not in {(p["a"], p["b"]) for p in doc["pairs"]}
    # A later import relinks both cases: the pair stays rejected.
    relink(linked.conn, [linked.conn.execute("SELECT id FROM cases WHERE ref='CR/2014/3'").fetchone()[0]])
    relink(linked.conn)
    doc = json.loads(cli("rob", "links", "--json")[1])
    assert ("CR/2012/1", "CR/2014/3") not in {(p["a"], p["b"]) for p in doc["pairs"]}
    # Not only hidden when read: the linker never writes the rejected pair again.
    stored = linked.conn.execute(
        "SELECT count(*) FROM links l JOIN cases a ON a.id = l.case_a JOIN cases b ON b.id = l.case_b "
        "WHERE a.ref IN ('CR/2012/1', 'CR/2014/3') AND b.ref IN ('CR/2012/1', 'CR/2014/3')").fetchone()[0]
    assert stored == 0


def test_judging_refusals_are_one_sentence_and_change_nothing(linked, cli, login):
    sam = login("sam").conn
    count = lambda: sam.execute("SELECT count(*) FROM audit WHERE action LIKE 'link.%'").fetchone()[0]
    n = count()
    code, _, err = cli("ada", "link", "confirm", "CR/2012/1", "CR/2013/2", "--reason", "x")
    assert code == 1 and err.strip() == "An admin may not work on reviews, judge links or make referral packs."
    code, _, err = cli("rita", "link", "confirm", "CR/2013/2", "CR/2014/3", "--reason", "x")
    assert code == 1 and "no suggested link" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("rita", "link", "reject", "CR/2012/1", "CR/9999/9", "--reason", "x")
    assert code == 1 and "no case CR/9999/9" in err
    code, _, err = cli("rita", "link", "reject", "CR/2012/1", "CR/2013/2", "--reason", "  ")
    assert code == 1 and "reason" in err
    assert count() == n
    assert sam.execute("SELECT count(*) FROM link_judgements").fetchone()[0] == 0


def test_csv_export_is_i2_shaped_escaped_and_audited(build, cli, login, tmp_path):
    a = build.case("=CR/1", nfa_date="2012-01-01", offence_code="+19D")
    b = build.case("@CR/2", nfa_date="2013-01-01")
    build.nominal(a, "suspect", "Troy", "Keel", vehicles="-AB12CDE")
    build.nominal(b, "suspect", "Troy", "Keel", vehicles="AB12CDE")
    relink(build.conn)
    out = tmp_path / "links.csv"
    code, _, err = cli("rita", "links", "--format", "csv", "--out", str(out))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header[:2] == ["Entity A Type", "Entity A Ref"] and header[-4:] == ["Link Type", "Link Strength",
                                                                                "Link Judgement", "Link Basis"]
    cells = dict(zip(header, row))
    assert cells["Entity A Ref"] == "'=CR/1" and cells["Entity B Ref"] == "'@CR/2"
    assert cells["Entity A Offence Code"] == "'+19D"
    assert cells["Link Strength"] == "strong"
    assert all(not c.startswith(("=", "+", "-", "@")) for c in row)
    last = build.conn.execute("SELECT user, action, kind, detail FROM audit WHERE action = 'links.export' ORDER BY seq DESC LIMIT 1").fetchone()
    assert (last[0], last[1], last[2]) == ("rita", "links.export", "disclosure")
    assert json.loads(last[3])["pairs"] == 1


def test_graphml_export_opens_as_a_graph(linked, cli, tmp_path):
    out = tmp_path / "links.graphml"
    code, _, err = cli("sam", "links", "--format", "graphml", "--out", str(out))
    assert code == 0, err
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    assert len(root.findall(".//g:node", ns)) == 3
    edges = root.findall(".//g:edge", ns)
    assert {(e.get("source"), e.get("target")) for e in edges} == {("CR/2012/1", "CR/2013/2"), ("CR/2012/1", "CR/2014/3")}


def test_export_to_a_missing_folder_writes_nothing(linked, cli, tmp_path, login):
    n = login("sam").conn.execute("SELECT count(*) FROM audit WHERE action = 'links.export'").fetchone()[0]
    code, _, err = cli("rita", "links", "--format", "csv", "--out", str(tmp_path / "nope" / "x.csv"))
    assert code == 1 and "does not exist" in err
    assert login("sam").conn.execute("SELECT count(*) FROM audit WHERE action = 'links.export'").fetchone()[0] == n
