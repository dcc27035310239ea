"""The desktop's exports (audit CSV, dashboard CSV, chart PNG and GraphML) go through the core: a
failing audit entry leaves no file (issue 13 item 12: the desktop wrote the file first), and the
chart's PNG is drawn from the minimised chart, never the one on screen (item 3)."""
from __future__ import annotations

import pytest

from triage_app import audit
from triage_app.gui.admin import AdminView
from triage_app.gui.dashboard import Dashboard
from triage_app.gui.link_chart import LinkChart, NodeItem
from triage_app.linking import relink
from triage_app.vault import connection

from .conftest import OTHER, REF

VICTIM = ("Keeley", "Ashworth")          # synthetic


def _victim_phone_link(holder):
    """A victim on REF and a suspect on OTHER share a (synthetic, Ofcom drama range) phone."""
    s = holder.session
    with s.change("import", "test.nominals", kind="collection"):
        ids = dict(s.conn.execute("SELECT ref, id FROM cases"))
        for ref, role, (fore, sur) in ((REF, "victim", VICTIM), (OTHER, "suspect", ("Imran", "Dalton"))):
            s.conn.execute("INSERT INTO nominals(case_id, role, surname, forenames, name_norm, dob, phones, natural_key)"
                           " VALUES (?, ?, ?, ?, ?, '1999-01-02', '07700 900123', ?)",
                           (ids[ref], role, sur, fore, f"{fore} {sur}".lower(), f"k{ref}"))
            nid = s.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            s.conn.execute("INSERT INTO identifiers(nominal, kind, value) VALUES (?, 'phone', '+447700900123')", (nid,))
        relink(s.conn)


@pytest.fixture
def broken_audit(monkeypatch):
    def broken_append(*a, **k):
        raise connection.OperationalError("disk I/O error")

    def _break():
        monkeypatch.setattr(audit, "append", broken_append)
    return _break


def test_gui2_exports_leave_no_file_when_the_entry_fails(qtbot, holder_for, tmp_path, broken_audit):
    sam = holder_for("sam")
    _victim_phone_link(sam)
    chart = LinkChart(sam, REF)
    qtbot.addWidget(chart)
    chart.show()
    board = Dashboard(sam)
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: bool(board.data), timeout=10000)
    admin = AdminView(holder_for("ada"))
    qtbot.addWidget(admin)
    log = admin.audit
    log.load()
    out = tmp_path / "out"
    out.mkdir()
    broken_audit()
    assert not chart.export("png", out / "chart.png")
    assert not chart.export("graphml", out / "chart.graphml")
    assert not board.export(out / "dash.csv")
    assert not log.export(out / "audit.csv")
    assert list(out.iterdir()) == []
    assert "could not be saved" in chart.message.text() and "could not be saved" in board.message.text()


def test_gui2_chart_png_is_drawn_minimised_and_the_screen_put_back(qtbot, holder_for, tmp_path, monkeypatch):
    sam = holder_for("sam")
    _victim_phone_link(sam)
    chart = LinkChart(sam, REF)
    qtbot.addWidget(chart)
    chart.show()
    on_screen = sorted(i.node["label"] for i in chart.scene.items() if isinstance(i, NodeItem))
    assert "Keeley Ashworth" in on_screen                        # the reviewer's own screen shows her
    drawn = []
    render = chart._render_png

    def spy():
        drawn.append(sorted(i.node["label"] for i in chart.scene.items() if isinstance(i, NodeItem)))
        return render()

    monkeypatch.setattr(chart, "_render_png", spy)
    assert chart.export("png", tmp_path / "chart.png")
    [labels] = drawn
    assert not any("Keeley" in x or "Ashworth" in x or "900123" in x for x in labels), labels
    assert "withheld" in labels and "Imran DALTON" in labels
    assert sorted(i.node["label"] for i in chart.scene.items() if isinstance(i, NodeItem)) == on_screen
    entry = [e for e in audit.entries(sam.session.conn) if e["action"] == "links.chart_export"][-1]
    assert entry["detail"]["format"] == "png" and entry["detail"]["identity"] == "initials"
    # Full identity needs a justification; with one, the picture shows what the screen shows.
    assert not chart.export("png", tmp_path / "full.png", "full")
    assert "justification" in chart.message.text() and not (tmp_path / "full.png").exists()
    assert chart.export("png", tmp_path / "full.png", "full", "analyst (test)")
    assert drawn[-1] == on_screen
