"""Issue 13 items 3 and 12: every export is in the core, writes its file and its disclosure entry
together (a failing entry leaves no file), has a command, and follows the pack's identity levels.
Synthetic data only (the identity test's imported cases: Ofcom drama numbers, made-up marks)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import digest
from tests.pack.test_pack_victim_identity import HERE, SISTER, OTHER, _import, _leaks, _review
from triage_app import audit, audit_log, dashboard, link_exports
from triage_app.errors import BadInput, Refused, TriageError
from triage_app.ops import stats_pdf
from triage_app.review import workflow
from triage_app.vault import connection

NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture
def linked(login, tmp_path):
    data = tmp_path / "import"
    data.mkdir()
    _import(login, data)
    return HERE


@pytest.fixture
def outdir(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    return d


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\0" * 32          # the core checks the signature, not the picture


EXPORTS = {
    "audit csv": (lambda s, out: audit_log.export_csv(s, out), "sam", "audit.export"),
    "audit csv, filtered": (lambda s, out: audit_log.export_csv(s, out, action="import", since="2000-01-01"), "sam",
                            "audit.export"),
    "dashboard csv": (lambda s, out: dashboard.export_csv(s, out), "rita", "dashboard.export"),
    "chart graphml": (lambda s, out: link_exports.export_graphml(s, HERE, out), "rita", "links.chart_export"),
    "chart png": (lambda s, out: link_exports.export_png(s, HERE, out, _png()), "rita", "links.chart_export"),
    "links csv": (lambda s, out: link_exports.export_links(s, "csv", out), "rita", "links.export"),
    "links graphml": (lambda s, out: link_exports.export_links(s, "graphml", out), "rita", "links.export"),
    "statistics pdf": (lambda s, out: stats_pdf.export_pdf(s, out), "sam", "stats.return"),
}


def _disclosures(session, action):
    return [e for e in audit.entries(session.conn) if e["action"] == action]


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_writes_its_file_and_its_disclosure_entry(name, login, linked, outdir):
    make, user, action = EXPORTS[name]
    s = login(user)
    out = outdir / "export.bin"
    done = make(s, out)
    [entry] = _disclosures(s, action)
    assert entry["kind"] == "disclosure" and entry["user"] == user
    assert entry["detail"]["file"] == "export.bin" and entry["detail"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert done["sha256"] == entry["detail"]["sha256"]
    assert [p.name for p in outdir.iterdir()] == ["export.bin"]              # no temporary file left


@pytest.mark.parametrize("name", EXPORTS)
def test_a_failing_audit_entry_leaves_no_file(name, login, linked, outdir, monkeypatch):
    make, user, action = EXPORTS[name]
    s = login(user)
    (outdir / "export.bin").write_bytes(b"an earlier export")       # replaced only by a complete export

    def broken_append(*a, **k):
        raise connection.OperationalError("disk I/O error")

    monkeypatch.setattr(audit, "append", broken_append)
    with pytest.raises(TriageError):
        make(s, outdir / "export.bin")
    with pytest.raises(TriageError):
        make(s, outdir / "new.bin")
    monkeypatch.undo()
    assert sorted(p.name for p in outdir.iterdir()) == []
    assert _disclosures(s, action) == []


@pytest.mark.parametrize("name", EXPORTS)
def test_a_commit_that_fails_after_the_file_is_placed_removes_it(name, login, linked, outdir, monkeypatch):
    """The rename is the last step before COMMIT: a failed COMMIT must take the file away again."""
    make, user, action = EXPORTS[name]
    s = login(user)
    real = s.conn
    placed = []

    class FailingCommit:
        def execute(self, sql, *args):
            if sql == "COMMIT":
                placed.append([p.name for p in outdir.iterdir()])
                raise connection.OperationalError("database or disk is full")
            return real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(s, "conn", FailingCommit())
    with pytest.raises(TriageError):
        make(s, outdir / "export.bin")
    monkeypatch.undo()
    assert placed == [["export.bin"]]             # it was in place when the commit failed
    assert list(outdir.iterdir()) == [] and _disclosures(s, action) == []


def test_exports_refuse_roles_and_never_overwrite_the_vault(login, linked, vault_path, outdir):
    with pytest.raises(Refused):
        audit_log.export_csv(login("rita"), outdir / "audit.csv")     # reviewers may not read the audit log
    assert list(outdir.iterdir()) == []
    before = digest(vault_path)
    for target in (vault_path, vault_path.with_name(vault_path.name + ".keys")):
        with pytest.raises(BadInput, match="vault"):
            dashboard.export_csv(login("sam"), target)
    assert digest(vault_path) == before
    with pytest.raises(BadInput, match="does not exist"):
        dashboard.export_csv(login("sam"), outdir / "missing" / "d.csv")


# --- identity levels (item 3) ---------------------------------------------------------------

def _graphml_text(path) -> str:
    root = ET.parse(path).getroot()
    return " ".join([el.get("id") or "" for el in root.iter()] + [el.text or "" for el in root.iter()])


def test_chart_graphml_minimises_victims_by_default(login, linked, outdir):
    rita = login("rita")
    link_exports.export_graphml(rita, HERE, outdir / "chart.graphml")
    text = _graphml_text(outdir / "chart.graphml")
    assert _leaks(text) == []
    assert SISTER in text and OTHER in text and "Imran DALTON" in text and "BD51SMR" in text    # suspects stay
    assert "R.S., aged 13 at the offence" in text
    [entry] = _disclosures(rita, "links.chart_export")
    assert entry["detail"]["identity"] == "initials" and entry["case"] == HERE


def test_chart_graphml_full_identity_only_with_a_justification(login, linked, outdir):
    rita = login("rita")
    with pytest.raises(BadInput, match="justification"):
        link_exports.export_graphml(rita, HERE, outdir / "full.graphml", "full")
    assert list(outdir.iterdir()) == []
    link_exports.export_graphml(rita, HERE, outdir / "full.graphml", "full", "Taskforce analyst (test)")
    text = _graphml_text(outdir / "full.graphml")
    assert "Rebecca Smyth" in text and "+447700900461" in text
    detail = _disclosures(rita, "links.chart_export")[-1]["detail"]
    assert (detail["identity"], detail["justification"]) == ("full", "Taskforce analyst (test)")


def test_links_export_minimises_victims_by_default(login, linked, outdir):
    rita = login("rita")
    link_exports.export_links(rita, "csv", outdir / "links.csv")
    link_exports.export_links(rita, "graphml", outdir / "links.graphml")
    rows = list(csv.reader(io.StringIO((outdir / "links.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 4 and _leaks(" ".join(" ".join(r) for r in rows)) == []
    assert any("same vehicle BD51SMR (suspect on" in c for r in rows for c in r)
    assert _leaks(_graphml_text(outdir / "links.graphml")) == []


# --- the commands -----------------------------------------------------------------------------

def test_audit_log_csv_command(cli, login, linked, outdir):
    code, out, err = cli("sam", "audit", "log", "--csv", "--out", str(outdir / "audit.csv"), "--action", "import")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((outdir / "audit.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["seq", "at", "user", "action", "kind", "case", "detail"] and len(rows) >= 2
    assert all("import" in r[3] for r in rows[1:])
    code, out, err = cli("rita", "audit", "log", "--csv", "--out", str(outdir / "r.csv"))
    assert code == 1 and "may not" in err and not (outdir / "r.csv").exists()
    code, out, err = cli("sam", "audit", "log", "--csv")
    assert code == 1 and "--out" in err
    code, out, err = cli("sam", "audit", "log", "--since", "01/02/2026")
    assert code == 1 and "YYYY-MM-DD" in err


def test_dashboard_command(cli, linked, outdir):
    code, out, err = cli("rita", "dashboard", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {"category": "Not started", "count": 3} in data["Cases by review status"]
    code, out, err = cli("rita", "dashboard", "--csv", "--out", str(outdir / "d.csv"))
    assert code == 0 and (outdir / "d.csv").read_text(encoding="utf-8-sig").startswith("section,category,count")


def test_chart_and_links_commands(cli, login, linked, outdir):
    code, out, err = cli("rita", "chart", HERE, "--out", str(outdir / "c.graphml"))
    assert code == 0, err
    assert _leaks(_graphml_text(outdir / "c.graphml")) == []
    code, out, err = cli("rita", "chart", HERE, "--out", str(outdir / "f.graphml"), "--victim-identity", "full")
    assert code == 1 and "justification" in err and not (outdir / "f.graphml").exists()
    code, out, err = cli("rita", "links", "--format", "csv", "--out", str(outdir / "l.csv"))
    assert code == 0 and "3 links" in out
    assert _leaks((outdir / "l.csv").read_text(encoding="utf-8-sig")) == []
    code, out, err = cli("rita", "links", "--format", "csv", "--out", str(outdir / "lf.csv"), "--victim-identity",
                         "full", "--justification", "analyst (test)")
    assert code == 0 and "+44 7700 900461" in (outdir / "lf.csv").read_text(encoding="utf-8-sig")


def test_review_withdraw_command(cli, login, linked):
    rita = login("rita")
    workflow.start_review(rita, HERE)
    item = "abe_interview"
    workflow.answer_item(rita, HERE, item, "yes")
    workflow.raise_inquiry(rita, HERE, title="Trace the car", category="digital", priority="high")
    code, out, err = cli("rita", "review", "withdraw", HERE, item)
    assert code == 0, err
    code, out, err = cli("rita", "review", "withdraw", HERE, "--inquiry", "1")
    assert code == 0, err
    answers = rita.conn.execute("SELECT count(*) FROM review_answers WHERE item_id = ?", (item,)).fetchone()[0]
    inquiries = rita.conn.execute("SELECT count(*) FROM review_inquiries").fetchone()[0]
    assert (answers, inquiries) == (0, 0)
    withdrawn = [e["detail"] for e in audit.entries(rita.conn) if e["action"] == "review.withdraw"]
    assert withdrawn == [{"what": "answer", "key": item, "version": 1}, {"what": "inquiry", "key": "1", "version": 1}]
    code, out, err = cli("rita", "review", "withdraw", HERE, item)
    assert code == 1 and "no such answer" in err
    code, out, err = cli("rita", "review", "withdraw", HERE)
    assert code == 1 and "Say what to withdraw" in err
    code, out, err = cli("rob", "review", "withdraw", HERE, "--recommendation")     # not the author
    assert code == 1 and "Traceback" not in err


def test_stats_pdf_command_leaves_no_file_when_its_entry_fails(cli, linked, outdir, monkeypatch):
    """`stats --pdf` wrote the file, then the entry: a failed entry said 'nothing was changed' beside
    a statistics return it had just written."""
    real = audit.append

    def broken(conn, user, action, *a, **k):
        if action == "stats.return":
            raise connection.OperationalError("disk I/O error")
        return real(conn, user, action, *a, **k)

    monkeypatch.setattr(audit, "append", broken)
    code, _, err = cli("sam", "stats", "--pdf", str(outdir / "stats.pdf"))
    assert code == 1 and "nothing was changed" in err
    assert list(outdir.iterdir()) == []
    monkeypatch.undo()
    code, out, err = cli("sam", "stats", "--pdf", str(outdir / "stats.pdf"))
    assert code == 0 and (outdir / "stats.pdf").read_bytes().startswith(b"%PDF-")


def test_a_same_person_edge_touching_a_victim_carries_none_of_her_dates(login, linked):
    # Her date of birth as recorded may be one the identity set cannot read (an impossible date is kept
    # as written): an edge at a victim withholds its dates whatever they look like.
    from triage_app import linking
    rita = login("rita")
    case_id = rita.conn.execute("SELECT id FROM cases WHERE ref = ?", (HERE,)).fetchone()[0]
    chart = linking.cluster_for_case(rita.conn, case_id)
    people = [n for n in chart["nodes"] if n["type"] == "person"]
    victim = next(n for n in people if n.get("role") == "victim")
    other = next(n for n in people if n.get("role") != "victim")
    chart["edges"].append({"source": victim["id"], "target": other["id"], "type": "same_person",
                           "strength": "possible", "basis": "31/02/2000 / 1999"})
    out = link_exports.minimised_chart(rita.conn, chart)
    edge = out["edges"][-1]
    assert (edge["type"], edge["source"]) == ("same_person", victim["id"])
    assert edge["basis"] == "date of birth withheld"
