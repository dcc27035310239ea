from datetime import date

import pytest

from triage_app.triage import rescore

TODAY = date(2026, 1, 1)


def _case(b, ref, nfa, suspects=2, victim_dob="2000-01-01", offence_date="2009-06-01", **fields):
    cid = b.case(ref, nfa_date=nfa, offence_date=offence_date, **fields)
    b.nominal(cid, "victim", "Holly", "Bright", dob=victim_dob)
    for i in range(suspects):
        b.nominal(cid, "suspect", "Kieran", f"Stone{i}")
    return cid


def _alive(monkeypatch, answers):
    import triage_app.triage as triage
    monkeypatch.setattr(triage, "suspects_alive_answers", lambda conn, ids: {i: answers.get(i) for i in ids})


def test_beaconport_unknown_until_suspects_alive_is_answered(build, monkeypatch):
    cid = _case(build, "CR/2012/1", "2012-03-04")
    _alive(monkeypatch, {})
    rescore(build.conn, today=TODAY)
    s = build.scored("CR/2012/1")
    assert s["beaconport"] is None
    assert "Beaconport: are the suspects believed alive? needs an answer" in s["why"]
    _alive(monkeypatch, {cid: True})
    rescore(build.conn, today=TODAY)
    assert build.scored("CR/2012/1")["beaconport"] == 1
    _alive(monkeypatch, {cid: False})
    rescore(build.conn, today=TODAY)
    assert build.scored("CR/2012/1")["beaconport"] == 0


@pytest.mark.parametrize("nfa, suspects, dob, fields, expected", [
    ("2009-12-31", 2, "2000-01-01", {}, 0),           # before the window
    ("2010-01-01", 2, "2000-01-01", {}, 1),           # first day, inclusive
    ("2025-03-31", 2, "2000-01-01", {}, 1),           # last day, inclusive
    ("2025-04-01", 2, "2000-01-01", {}, 0),
    ("2012-01-01", 1, "2000-01-01", {}, 0),           # one suspect
    ("2012-01-01", 2, "1980-01-01", {}, 0),           # adult victim
    ("2012-01-01", 2, None, {}, None),                # victim's age unknown
    ("2012-01-01", 2, "2000-01-01", {"previously_reviewed": 1}, 0),
])
def test_beaconport_rules(build, monkeypatch, nfa, suspects, dob, fields, expected):
    cid = _case(build, "CR/X/1", nfa, suspects=suspects, victim_dob=dob, **fields)
    _alive(monkeypatch, {cid: True})
    rescore(build.conn, today=TODAY)
    assert build.scored("CR/X/1")["beaconport"] == expected


def test_a_failed_criterion_beats_an_unknown_one(build, monkeypatch):
    _case(build, "CR/X/2", "2012-01-01", suspects=1, victim_dob=None)
    _alive(monkeypatch, {})
    rescore(build.conn, today=TODAY)
    assert build.scored("CR/X/2")["beaconport"] == 0


@pytest.mark.parametrize("nfa, dob, expected", [
    ("2013-06-04", "2000-01-01", 1),
    ("2013-06-05", "2000-01-01", 0),
    ("2011-01-01", "1980-01-01", 0),
    ("2011-01-01", None, None),
])
def test_csarp_rules(build, nfa, dob, expected):
    _case(build, "CR/C/1", nfa, victim_dob=dob)
    rescore(build.conn, today=TODAY)
    s = build.scored("CR/C/1")
    assert s["csarp"] == expected
    assert any(w.startswith("CSARP:") for w in s["why"])


def test_an_approved_review_in_this_vault_counts_as_reviewed_before(build, monkeypatch):
    cid = _case(build, "CR/R/1", "2012-01-01")
    _alive(monkeypatch, {cid: True})
    rescore(build.conn, today=TODAY)
    assert build.scored("CR/R/1")["beaconport"] == 1
    from triage_app.triage import facts
    monkeypatch.setattr(facts, "approved_reviews", lambda conn, ids=None, exclude_review=None: {cid})
    rescore(build.conn, today=TODAY)
    s = build.scored("CR/R/1")
    assert s["beaconport"] == 0
    assert "Beaconport: reviewed before (an approved review in this vault)" in s["why"]
