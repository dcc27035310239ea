import json

import pytest

from triage_app.audit import entries, utc_now
from triage_app.errors import BadInput, NotFound, Refused
from triage_app.ops.retention import decide, due, history


def _case(session, ref, nfa, status="not_started"):
    session.conn.execute("INSERT INTO cases(ref, nfa_date, imported_at, updated_at, status) VALUES (?,?,?,?,?)",
                         (ref, nfa, utc_now(), utc_now(), status))


@pytest.fixture
def sam(login):
    s = login("sam")
    with s.change("import", "test.seed"):
        _case(s, "R/1", "2010-05-01")
        _case(s, "R/2", "2014-02-28")
        _case(s, "R/3", "2016-07-15", status="in_review")
    return s


def test_review_date_is_ten_years_from_nfa_and_due_lists_them(sam):
    assert [r["ref"] for r in due(sam, "2024-02-27")] == ["R/1"]   # inclusive of the due date itself
    assert [r["ref"] for r in due(sam, "2024-02-28")] == ["R/1", "R/2"]
    got = due(sam, "2026-07-15")
    assert [(r["ref"], r["review_due"]) for r in got] == [("R/1", "2020-05-01"), ("R/2", "2024-02-28"), ("R/3", "2026-07-15")]
    assert entries(sam.conn)[-1]["action"] == "retention.due"


def test_decisions_are_recorded_audited_and_move_the_next_review(sam):
    r = decide(sam, "R/1", "retain", "suspect still active in the area", on="2025-01-10")
    assert r["next_review"] == "2035-01-10"
    assert [x["ref"] for x in due(sam, "2030-01-01")] == ["R/2", "R/3"]
    last = [e for e in entries(sam.conn) if e["action"] == "retention.decide"][-1]
    assert last["case"] == "R/1" and last["detail"]["decision"] == "retain" and last["kind"] == "alteration"
    d = decide(sam, "R/2", "dispose", "no public protection concern remains", on="2025-01-11")
    assert d["state"] == "disposal_pending"
    # Nothing is deleted: the case, its nominals and its history stay; it leaves the due list.
    assert sam.one("SELECT count(*) FROM cases WHERE ref = 'R/2'")[0] == 1
    assert [x["ref"] for x in due(sam, "2030-01-01")] == ["R/3"]
    assert [h["decision"] for h in history(sam, "R/2")] == ["dispose"]


def test_refusals_leave_nothing_behind(sam, login):
    rita = login("rita")  # her unlock is an audit entry of its own
    head = sam.head()
    with pytest.raises(Refused, match="review in progress"):
        decide(sam, "R/3", "dispose", "tidy up")
    with pytest.raises(BadInput):
        decide(sam, "R/1", "retain", "  ")
    with pytest.raises(BadInput):
        decide(sam, "R/1", "keep", "a reason")
    with pytest.raises(NotFound):
        decide(sam, "R/404", "retain", "a reason")
    with pytest.raises(Refused):
        decide(rita, "R/1", "retain", "a reason")
    assert sam.head() == head
    assert sam.one("SELECT count(*) FROM retention_decisions")[0] == 0


def test_cli_retention(cli, sam):
    code, out, _ = cli("sam", "retention", "due", "--json", "--as-of", "2021-01-01")
    assert code == 0 and [r["ref"] for r in json.loads(out)] == ["R/1"]
    code, out, err = cli("sam", "retention", "decide", "R/1", "retain", "--reason", "still relevant")
    assert code == 0 and "next review" in out
    code, _, err = cli("rita", "retention", "decide", "R/1", "retain", "--reason", "x")
    assert code == 1 and "reviewer may not" in err
    code, _, err = cli("sam", "retention", "due", "--as-of", "31/12/2020")
    assert code == 1 and "YYYY-MM-DD" in err
