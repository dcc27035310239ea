"""The chronology of a generated cluster with known dates: every event once, in order, on the right
lane, with its source; reviewers' events audited; victims minimised."""
from __future__ import annotations

from collections import Counter

import pytest

from triage_app import audit, chronology
from triage_app.chronology import cluster as clusters
from triage_app.errors import BadInput, NotFound, Refused

from .conftest import approve_review, victim_values

SOURCES = {"offence": "Crime record: offence date", "report": "Crime record: reported date",
           "nfa": "Crime record: NFA date and outcome"}


def test_every_record_event_once_in_order_with_its_source(login, cluster):
    c = chronology.build(login("rita").conn, cluster.refs[3])
    got = Counter((e.case, e.kind, e.date) for e in c.events if e.kind in SOURCES)
    assert got == Counter(cluster.expected)                   # each exactly once, nothing extra
    assert cluster.outsider not in {e.case for e in c.events}  # shares nothing: not in the cluster
    assert [e.date for e in c.events] == sorted(e.date for e in c.events)
    for e in c.events:
        assert e.source == SOURCES[e.kind]
    assert {m.ref for m in c.members} == set(cluster.refs)
    assert c.members[0].ref == cluster.refs[3] and c.members[0].link is None
    assert {e.link for e in c.events if e.case != cluster.refs[3]} == {"suggested"}  # strong, not yet judged


def test_outcome_codes_spelled_out(login, cluster):
    c = chronology.build(login("rita").conn, cluster.refs[0])
    nfa = {e.case: e.text for e in c.events if e.kind == "nfa"}
    assert nfa[cluster.refs[0]].startswith("NFA decision, outcome 16: Named suspect identified; victim does not support")
    assert "officer in case DC 4000 Hale" in nfa[cluster.refs[0]]
    assert nfa[cluster.refs[5]] == "NFA decision, outcome recorded as “NFA - victim withdrew”; officer in case DC 4005 Hale"


def test_each_event_on_its_case_lane_and_its_suspects_lanes(login, cluster):
    c = chronology.build(login("rita").conn, cluster.refs[0])
    assert [k for k, _ in c.lanes("case")][0] == cluster.refs[0]
    assert {k for k, _ in c.lanes("case")} == set(cluster.refs)
    names = dict((label.split(" (b.")[0], key) for key, label in c.lanes("suspect"))
    assert set(names) == set(cluster.suspects)
    for e in c.events:
        assert c.lane_keys(e, "case") == [e.case]
        expected = {names[s] for s, refs in cluster.suspects.items() if e.case in refs}
        assert set(c.lane_keys(e, "suspect")) == expected and len(expected) == 2


def test_burst_at_one_place_and_the_long_gap(login, cluster):
    c = chronology.build(login("rita").conn, cluster.refs[0])
    assert [b.cases for b in c.bursts] == [sorted(cluster.burst)]
    assert c.bursts[0].place.startswith("Flat above takeaway")
    assert any(g.days >= 365 for g in c.gaps)


def test_victims_minimised_everywhere_and_full_identity_only_by_choice(login, cluster):
    rita = login("rita")
    for ref in cluster.refs[:3]:      # quoted text carrying victims' names, phones, addresses, birth dates
        chronology.confirm(rita, ref, next(p["id"] for p in chronology.proposals(rita, ref)
                                           if p["date"] == cluster.text_dates[ref]))
    v = cluster.victims[1]
    chronology.add_event(rita, cluster.refs[0], "2009-02-02", f"{v['forenames']} {v['surname']} rang from "
                         f"{v['phone'].replace(' ', '')}, born {v['dob'].strftime('%d/%m/%Y')}, {v['postcode'].lower()}",
                         f"Call log, {v['address']}")
    c = chronology.view(rita, cluster.refs[0])
    text = repr(c.public())
    for value in victim_values(cluster):
        assert value not in text, value
    assert "(aged " in text and "Rape of a female" in text
    assert text.count("[victim's phone]") == 4 and text.count("[victim's address]") == 4
    assert "[victim's date of birth]" in text and "[victim's postcode]" in text
    full = chronology.view(rita, cluster.refs[0], identity="full")
    assert cluster.victims[0]["surname"].upper() in repr(full.public())
    entries = [e for e in audit.entries(rita.conn, cluster.refs[0]) if e["action"] == "chronology.view"]
    assert [e["detail"]["identity"] for e in entries] == ["initials", "full"]
    assert set(entries[0]["detail"]["cases"]) == set(cluster.refs)


def test_dates_in_the_text_proposed_confirmed_and_audited(login, cluster):
    rita, ref = login("rita"), cluster.refs[2]
    props = chronology.proposals(rita, ref)
    missing = [p for p in props if p["date"] == cluster.text_dates[ref]]
    assert len(missing) == 1 and "reported missing" in missing[0]["text"]
    assert cluster.victims[2]["surname"] not in repr(props)
    assert cluster.victims[2]["dob"].isoformat() not in {p["date"] for p in props}   # a birth date is no event
    chronology.confirm(rita, ref, missing[0]["id"])
    events = [e for e in chronology.build(rita.conn, ref).events if e.kind == "text"]
    assert [(e.case, e.date) for e in events] == [(ref, cluster.text_dates[ref])]
    assert events[0].source == "Crime record: summary, date confirmed by rita"
    assert cluster.victims[2]["forenames"] not in events[0].text and "reported missing" in events[0].text
    assert missing[0]["id"] not in {p["id"] for p in chronology.proposals(rita, ref)}
    with pytest.raises(NotFound):
        chronology.confirm(rita, ref, missing[0]["id"])       # once only
    actions = [e["action"] for e in audit.entries(rita.conn, ref)]
    assert "chronology.confirm" in actions


def test_dismissed_date_not_proposed_again(login, cluster):
    rita, ref = login("rita"), cluster.refs[1]
    first = chronology.proposals(rita, ref)[0]
    chronology.dismiss(rita, ref, first["id"])
    assert first["id"] not in {p["id"] for p in chronology.proposals(rita, ref)}
    assert all(e.kind != "text" for e in chronology.build(rita.conn, ref).events)
    assert "chronology.dismiss" in [e["action"] for e in audit.entries(rita.conn, ref)]


def test_hand_added_event_is_audited_and_placed_once(login, cluster):
    rita, ref = login("rita"), cluster.refs[4]
    before = rita.head().seq
    done = chronology.add_event(rita, ref, "14/02/2010", "Seen getting into a taxi outside the home",
                                "Children's home log, entry 57")
    entry = audit.entries(rita.conn, ref)[-1]
    assert (entry["seq"], entry["action"], entry["user"], entry["detail"]["date"]) == (before + 1, "chronology.add",
                                                                                      "rita", "2010-02-14")
    added = [e for e in chronology.build(login("sam").conn, cluster.refs[0]).events if e.kind == "added"]
    assert [(e.case, e.date, e.source, e.added_by, e.link) for e in added] == [
        (ref, "2010-02-14", "Children's home log, entry 57", "rita", "suggested")]
    assert added[0].id.endswith(f"event-{done['id']}")


@pytest.mark.parametrize("when,text,source", [("2031-01-01", "t", "s"), ("31/02/2011", "t", "s"),
                                              ("02/31/2011", "t", "s"), ("2011-01-01", " ", "s"),
                                              ("2011-01-01", "t", ""), ("2011-01-01", "x" * 501, "s")])
def test_bad_event_refused_with_nothing_written(login, cluster, when, text, source):
    rita = login("rita")
    before = rita.head().seq
    with pytest.raises(BadInput):
        chronology.add_event(rita, cluster.refs[0], when, text, source)
    assert rita.head().seq == before
    assert rita.one("SELECT count(*) FROM chronology_events")[0] == 0


def test_admin_may_not_add_events(login, cluster):
    with pytest.raises(Refused):
        chronology.add_event(login("ada"), cluster.refs[0], "2011-01-01", "t", "s")


def test_review_steps_are_events(login, cluster):
    ref = cluster.refs[0]
    approve_review(login, ref)
    kinds = [e.kind for e in chronology.build(login("rita").conn, ref).events if e.kind.startswith("review")]
    assert sorted(kinds) == sorted(["review-started", "review-submitted", "review-returned", "review-approved"])
    texts = [e.text for e in chronology.build(login("rita").conn, ref).events if e.kind == "review-returned"]
    assert texts == ["Review version 1 returned to its author by sam (supervisor)"]


def test_confirmed_link_marked_confirmed(login, cluster):
    from triage_app.linking.judgements import judge
    judge(login("rita"), cluster.refs[0], cluster.refs[1], "confirm", "Same phone, same man.")
    c = chronology.build(login("rita").conn, cluster.refs[0])
    links = {m.ref: m.link for m in c.members}
    assert links[cluster.refs[1]] == "confirmed" and links[cluster.refs[2]] == "suggested"


def _pairs(monkeypatch, conn, edges):
    """links_for_case answering from a hand-made list: (a, b, strength, probability, judgement)."""
    by_ref = {}
    for a, b, strength, p, judgement in edges:
        pair = {"a": a, "b": b, "strength": strength, "basis": [], "judgement": judgement}
        if p is not None:
            pair["probability"] = p
        by_ref.setdefault(a, []).append(pair)
        by_ref.setdefault(b, []).append(pair)
    refs = {cid: ref for cid, ref in conn.execute("SELECT id, ref FROM cases")}
    monkeypatch.setattr(clusters, "links_for_case", lambda conn, cid, explained=True: by_ref.get(refs[cid], []))


def test_suggestions_only_above_the_chosen_probability_and_best_path_kept(login, cluster, monkeypatch):
    conn = login("rita").conn
    r = cluster.refs
    _pairs(monkeypatch, conn, [(r[0], r[1], "possible", 0.95, None), (r[1], r[2], "possible", 0.85, None),
                               (r[0], r[3], "possible", 0.60, None), (r[3], r[2], "possible", 0.70, None),
                               (r[0], r[4], "possible", 0.10, "confirmed"), (r[4], r[5], "possible", None, None),
                               (r[4], r[6], "strong", None, None)])
    got = {m.ref: (m.link, m.probability, m.via) for m in clusters.members(conn, r[0], 0.8)}
    assert got == {r[0]: (None, None, None), r[1]: ("suggested", 0.95, r[0]), r[2]: ("suggested", 0.85, r[1]),
                   r[4]: ("confirmed", 1.0, r[0]), r[6]: ("suggested", 1.0, r[4])}
    low = {m.ref: (m.link, m.probability, m.via) for m in clusters.members(conn, r[0], 0.5)}
    assert low[r[5]] == ("suggested", 0.5, r[4])      # a possible link without a probability counts 0.5
    assert low[r[3]] == ("suggested", 0.7, r[2])      # via r[2] (weakest 0.7) beats direct (0.6)
    assert low[r[2]] == ("suggested", 0.85, r[1])
    with pytest.raises(BadInput):
        chronology.build(conn, r[0], min_probability=1.5)


def test_unknown_case_is_one_sentence(login, cluster):
    with pytest.raises(NotFound) as e:
        chronology.view(login("rita"), "CR/0000/1")
    assert e.value.message == "There is no case CR/0000/1 in this vault."


def test_no_victims_date_of_birth_of_a_linked_case_is_proposed_as_an_event(login, cluster, cli):
    """A date in the text equal to a linked case's victim's date of birth was proposed (the date shown
    in the clear on screen and in `event proposals`); it is no event and is not proposed at all."""
    rita, ref = login("rita"), cluster.refs[0]
    theirs, ours = cluster.victims[1]["dob"], cluster.victims[0]["dob"]
    rita.conn.execute("UPDATE cases SET summary = ? WHERE ref = ?",
                      (f"Seen at the bus station on {theirs.strftime('%d/%m/%Y')} with a friend. Her own birthday "
                       f"{ours.strftime('%-d %B %Y')} is recorded. Reported again on 03/04/2010.", ref))
    props = chronology.proposals(rita, ref)
    assert {p["date"] for p in props} == {"2010-04-03"}
    code, out, err = cli("rita", "event", "proposals", ref)
    assert code == 0 and "2010-04-03" in out
    for day in (theirs, ours):
        assert day.isoformat() not in out and day.strftime("%d/%m/%Y") not in out
    code, out, err = cli("rita", "event", "proposals", ref, "--json")
    assert code == 0 and theirs.isoformat() not in out
    with pytest.raises(NotFound):          # and it cannot be confirmed by its id either
        chronology.confirm(rita, ref, f"summary:{len('Seen at the bus station on ')}")


def test_a_victims_street_without_its_number_is_withheld_in_the_chronology_and_its_proposals(login, cluster):
    """The chronology's cleaner withheld a victim's address only as 'number street' ("12 Hughes Plains");
    the street on its own ("on Hughes Plains") stayed. The generated victims live on Faker streets."""
    rita, ref = login("rita"), cluster.refs[0]
    streets = [v["address"].split(" ", 1)[1] for v in cluster.victims[:3]]          # "12 Hughes Plains" → street
    rita.conn.execute("UPDATE cases SET summary = ? WHERE ref = ?",
                      (f"Seen on {streets[0]} on 03/04/2010 and on {streets[1].lower()} with him.", ref))
    chronology.add_event(rita, ref, "2010-05-06", f"Dropped off on {streets[2]}", f"Taxi log, {streets[0]}")
    [p] = chronology.proposals(rita, ref)
    shown = p["text"] + repr(chronology.view(rita, ref).public())
    for street in streets:
        assert street.lower() not in shown.lower(), street
    assert p["text"].count("[victim's address]") == 2
