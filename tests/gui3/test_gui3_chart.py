"""Issue 19, item 7: the link chart draws people as the linker resolves them, opens on the case and
its direct links (the rest a key away), shows victims by initials, and is legible as it opens."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt

from triage_app.gui.link_chart import LinkChart, NodeItem

from .conftest import REF

NOW = "2025-01-01T00:00:00Z"


def _three_cases_one_suspect(s):
    """REF — B — C in a row, the same suspect on all three (strong person matches), a victim on REF."""
    with s.change("import", "test.links", kind="collection"):
        ids = dict(s.conn.execute("SELECT ref, id FROM cases"))
        b = ids["CR/2015/000202"]
        c = s.conn.execute("INSERT INTO cases(ref, nfa_date, imported_at, updated_at) VALUES "
                           "('CR/2016/000303', '2016-01-01', ?, ?)", (NOW, NOW)).lastrowid
        noms = []
        for cid in (ids[REF], b, c):
            noms.append(s.conn.execute(
                "INSERT INTO nominals(case_id, role, surname, forenames, name_norm, natural_key) VALUES "
                "(?, 'suspect', 'Hallworth', 'Jordan', 'jordan hallworth', ?)", (cid, f"s{cid}")).lastrowid)
        s.conn.execute("INSERT INTO nominals(case_id, role, surname, forenames, name_norm, natural_key) VALUES "
                       "(?, 'victim', 'Pennington', 'Amelia Rose', 'amelia rose pennington', 'v1')", (ids[REF],))
        victim = s.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        pairs = [(ids[REF], b, noms[0], noms[1]), (b, c, noms[1], noms[2])]
        for x, y, na, nb in pairs:
            x, y = sorted((x, y))
            ev = [[na, nb, "person", "same name and date of birth", "strong"]]
            if x == min(ids[REF], b) and y == max(ids[REF], b):
                ev.append([victim, nb, "phone", "+447700900123", "strong"])
            s.conn.execute("INSERT INTO links(case_a, case_b, strength, basis, evidence) VALUES (?,?,?,?,?)",
                           (x, y, "strong", json.dumps(["same person Jordan Hallworth"]), json.dumps(ev)))


def _nodes(chart):
    return [i.node for i in chart.scene.items() if isinstance(i, NodeItem)]


def test_one_node_per_person_direct_links_first_victims_by_initials(qtbot, holder_for):
    sam = holder_for("sam")
    _three_cases_one_suspect(sam.session)
    chart = LinkChart(sam, REF)
    qtbot.addWidget(chart)
    chart.resize(1300, 600)
    chart.show()
    shown = _nodes(chart)
    cases = sorted(n["label"] for n in shown if n["type"] == "case")
    assert cases == [REF, "CR/2015/000202"]                    # the case and its direct link only
    suspects = [n for n in shown if n["type"] == "person" and n["role"] == "suspect"]
    assert len(suspects) == 1 and len(suspects[0]["nominals"]) == 3   # one person, three records
    labels = [i.childItems()[0].text() for i in chart.scene.items() if isinstance(i, NodeItem)]
    assert not any("Pennington" in t or "Amelia" in t for t in labels)
    assert any("A.R.P." in t for t in labels)
    assert chart.view.transform().m11() >= 0.85                # legible as it opens
    chart.view.setFocus()
    qtbot.keyClick(chart.view, Qt.Key.Key_W)                   # the whole cluster, a key away
    assert sorted(n["label"] for n in _nodes(chart) if n["type"] == "case") == [REF, "CR/2015/000202",
                                                                               "CR/2016/000303"]


def test_showing_victims_names_is_an_audited_choice(qtbot, holder_for):
    sam = holder_for("sam")
    _three_cases_one_suspect(sam.session)
    chart = LinkChart(sam, REF)
    qtbot.addWidget(chart)
    chart.show()
    chart.names.setChecked(True)
    labels = [i.childItems()[0].text() for i in chart.scene.items() if isinstance(i, NodeItem)]
    assert any("Amelia Rose Pennington" in t for t in labels)
    from triage_app import audit
    assert "links.chart_victim_names" in [e["action"] for e in audit.entries(sam.session.conn, REF)]
