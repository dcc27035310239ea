"""The one open survivor of the last mutation pass (h24, `chart-same-person-dob`): a chart's
"same person" edge whose basis carries a date of birth equal to a victim's must show it withheld.

Reachable? `merge_chart` folds a same-person edge into one node only when the match is firm (strong,
or on a confirmed link: `linking.people`); a *possible* match on an unconfirmed link stays an edge,
with the evidence row's value as its basis. Today's linker writes a phrase there ("date of birth
exact"), never a date, so through a fresh relink the date check cannot fire. The first-generation
linker wrote the two dates ("2000-03-07 / 2000-07-03") for a possible match, and a vault whose links
were written then keeps those rows until it is relinked: that is the path tested here, with the row
as that linker stored it. Synthetic data only.
"""
import json
import xml.etree.ElementTree as ET

from tests.pack.test_pack_victim_identity import HERE, OTHER, VICTIM, _import
from triage_app import link_exports

NS = "{http://graphml.graphdrawing.org/xmlns}"


def _nominal(conn, ref: str, role: str) -> int:
    return conn.execute("SELECT n.id FROM nominals n JOIN cases c ON c.id = n.case_id WHERE c.ref = ? AND n.role = ?",
                        (ref, role)).fetchone()[0]


def test_a_possible_same_person_edge_never_carries_a_victims_date_of_birth(login, tmp_path):
    _import(login, tmp_path)
    sam = login("sam")
    conn = sam.conn
    ca, cb = sorted(r[0] for r in conn.execute("SELECT id FROM cases WHERE ref IN (?, ?)", (HERE, OTHER)))
    a, b = _nominal(conn, HERE, "suspect"), _nominal(conn, OTHER, "suspect")     # neither is a victim
    [(evidence,)] = conn.execute("SELECT evidence FROM links WHERE case_a = ? AND case_b = ?", (ca, cb)).fetchall()
    rows = json.loads(evidence) + [[a, b, "person", f"{VICTIM['dob']} / 1983-04-05", "possible"]]
    conn.execute("UPDATE links SET evidence = ? WHERE case_a = ? AND case_b = ?", (json.dumps(rows), ca, cb))

    chart = link_exports.chart_for_export(conn, HERE)
    same = {frozenset((e["source"], e["target"])): e for e in chart["edges"] if e["type"] == "same_person"}
    ours = same[frozenset((f"person:{a}", f"person:{b}"))]           # a possible match: still an edge
    assert ours["basis"] == "date of birth withheld"
    out = tmp_path / "chart.graphml"
    link_exports.export_graphml(login("rita"), HERE, out)
    text = " ".join(el.text or "" for el in ET.parse(out).getroot().iter())
    assert VICTIM["dob"] not in text and "date of birth withheld" in text
    full = link_exports.chart_for_export(conn, HERE, identity="full")      # the date is really there
    bases = {frozenset((e["source"], e["target"])): e["basis"] for e in full["edges"] if e["type"] == "same_person"}
    assert bases[frozenset((f"person:{a}", f"person:{b}"))] == f"{VICTIM['dob']} / 1983-04-05"
    # Today's linker reaches the edge too (the witness Linda Smyth, possibly the victim Rebecca Smyth),
    # but its basis is a phrase, not a date: withholding it there hides nothing a leak scan could see.
    victim = f"person:{_nominal(conn, HERE, 'victim')}"
    assert any(victim in k and not any(ch.isdigit() for ch in basis) for k, basis in bases.items())
