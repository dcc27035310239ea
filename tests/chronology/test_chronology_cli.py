"""`chronology REF [--json | --csv --out FILE]` and `event add|proposals|confirm|dismiss`."""
from __future__ import annotations

import csv
import json

import pytest

from triage_app import audit
from triage_app.cli.main import build_parser

from .conftest import victim_values


def test_json_shape_in_date_order(cli, cluster):
    code, out, err = cli("rita", "chronology", cluster.refs[0], "--json")
    assert code == 0, err
    doc = json.loads(out)
    events = doc["events"]
    assert len(events) == len(cluster.expected)
    for e in events:
        assert {"date", "case", "kind", "text", "source", "people", "link"} <= set(e)
        assert e["link"] in (None, "confirmed", "suggested")
        assert all(set(p) == {"role", "shown_as"} for p in e["people"])
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert {e["link"] for e in events if e["case"] == cluster.refs[0]} == {None}
    for value in victim_values(cluster):
        assert value not in out


def test_event_add_then_listed_once_and_audited(cli, login, cluster):
    ref = cluster.refs[1]
    code, out, err = cli("rita", "event", "add", ref, "--date", "2009-02-01", "--text", "Strategy meeting held",
                         "--source", "Children's services minutes")
    assert code == 0, err
    code, out, _ = cli("rita", "chronology", cluster.refs[0], "--json")
    added = [e for e in json.loads(out)["events"] if e["kind"] == "added"]
    assert [(e["case"], e["date"], e["text"], e["source"]) for e in added] == [
        (ref, "2009-02-01", "Strategy meeting held", "Children's services minutes")]
    entries = [e for e in audit.entries(login("sam").conn, ref) if e["action"] == "chronology.add"]
    assert len(entries) == 1 and entries[0]["user"] == "rita"


def test_bad_date_is_one_sentence_exit_1_nothing_changed(cli, login, cluster):
    code, out, err = cli("rita", "event", "add", cluster.refs[0], "--date", "12/25/2011", "--text", "Pat Example seen",
                         "--source", "log")
    assert code == 1 and out == ""
    assert err.strip() == "The event date is not a DD/MM/YYYY date (12/25/2011): month/day order is never accepted."
    assert "Traceback" not in err and "Pat Example" not in err
    sam = login("sam")
    assert sam.one("SELECT count(*) FROM chronology_events")[0] == 0
    assert not [e for e in audit.entries(sam.conn) if e["action"].startswith("chronology")]


def test_proposals_confirm_and_dismiss_by_command(cli, cluster):
    ref = cluster.refs[0]
    code, out, _ = cli("rita", "event", "proposals", ref, "--json")
    props = json.loads(out)["proposals"]
    missing = next(p for p in props if p["date"] == cluster.text_dates[ref])
    assert cli("rita", "event", "confirm", ref, missing["id"], "--text", "Reported missing from home")[0] == 0
    code, out, _ = cli("rita", "chronology", ref, "--json")
    texts = [(e["date"], e["text"]) for e in json.loads(out)["events"] if e["kind"] == "text"]
    assert texts == [(cluster.text_dates[ref], "Reported missing from home")]
    code, out, err = cli("rita", "event", "confirm", ref, missing["id"])
    assert code == 1 and "no open date proposal" in err


def test_csv_for_i2_written_with_its_disclosure_entry(cli, login, cluster, tmp_path):
    out = tmp_path / "timeline.csv"
    code, _, err = cli("rita", "chronology", cluster.refs[0], "--csv", "--out", str(out), "--lanes", "suspect",
                       "--reason", "Taskforce analyst")
    assert code == 0, err
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 2 * len(cluster.expected)         # every event on both of its suspects' theme lines
    assert {r["Theme Line Type"] for r in rows} == {"Suspect"}
    assert all(len(r["Date"]) == 10 and r["Date"][2] == "/" for r in rows)
    assert len({r["Event ID"] for r in rows}) == len(cluster.expected)
    text = out.read_text(encoding="utf-8-sig")
    for value in victim_values(cluster):
        assert value not in text
    entry = [e for e in audit.entries(login("sam").conn, cluster.refs[0]) if e["action"] == "chronology.export"][-1]
    assert entry["kind"] == "disclosure" and entry["detail"]["file"] == "timeline.csv"
    assert entry["detail"]["reason"] == "Taskforce analyst" and entry["detail"]["rows"] == len(rows)


def test_csv_removed_when_its_audit_entry_fails(cli, cluster, tmp_path, monkeypatch):
    out = tmp_path / "timeline.csv"

    real = audit.append

    def broken(conn, user, action, *a, **k):     # the unlock is written; the export's entry is not
        if action == "chronology.export":
            assert out.exists()                   # the file was there until its entry failed
            raise RuntimeError("disk full")
        return real(conn, user, action, *a, **k)
    monkeypatch.setattr(audit, "append", broken)
    code, _, err = cli("rita", "chronology", cluster.refs[0], "--csv", "--out", str(out))
    assert code == 1 and not out.exists()
    assert err.strip() == "An unexpected RuntimeError stopped the command; any change in progress was rolled back."
    assert list(tmp_path.glob(".timeline.csv.*")) == []


@pytest.mark.parametrize("argv,message", [
    (["--csv"], "Give the file to write with --out FILE."),
    (["--out", "x.csv"], "--out goes with --csv (the i2 timeline file); add --csv or leave --out out."),
    (["--min-probability", "2"], "The minimum link probability must be between 0 and 1, not 2."),
])
def test_usage_slips_are_one_sentence(cli, cluster, argv, message):
    code, out, err = cli("rita", "chronology", cluster.refs[0], *argv)
    assert (code, err.strip()) == (1, message)


def test_every_argument_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in ("chronology", "event"):
        stack = [sub.choices[name]]
        while stack:
            p = stack.pop()
            for action in p._actions:
                if action.dest in ("help",):
                    continue
                if getattr(action, "choices", None) and isinstance(action.choices, dict):
                    stack += list(action.choices.values())
                    continue
                assert action.help, (p.prog, action.dest)
