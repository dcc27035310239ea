"""Suspect lanes follow the linker's person matches: a suspect recorded under two spellings across
linked cases is one lane (issue 17 follow-up, h25). Victims stay minimised in lanes and Annex A."""
from __future__ import annotations

import pytest

from triage_app import chronology, importing
from triage_app.chronology.model import ALSO_VICTIM
from triage_app.demo.cluster import generate_cluster
from triage_app.linking.people import people

from triage_app.pack.issue import issue_pack

from .conftest import approve_review, victim_values
from .test_chronology_pack import _annex, _text


def _slip(surname: str) -> str:
    """The surname with two inner letters swapped: a keying slip as records carry them."""
    s = surname.upper()
    return s[:1] + s[2] + s[1] + s[3:] if len(s) > 3 and s[1] != s[2] else s + "E"


@pytest.fixture
def variants(login, tmp_path):
    """The generated cluster with each suspect's surname mistyped on every other case he is on (and his
    forenames in capitals on one more)."""
    c = generate_cluster(12, seed=5)
    seen: dict[str, int] = {}
    spelt: dict[str, set[str]] = {}
    for n in c.nominals:
        if n["role"] != "suspect" or n["crime_ref"] == c.outsider:
            continue
        key = f"{n['forenames']} {n['surname']}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] % 2 == 0:
            n["surname"] = _slip(n["surname"])
        elif seen[key] == 3:                # the same spelling in capitals: not a spelling of its own
            n["forenames"] = n["forenames"].upper()
            continue
        spelt.setdefault(key, set()).add(f"{n['forenames']} {n['surname']}")
    assert all(len(s) == 2 for s in spelt.values())       # the fixture really spells each two ways
    cases_csv, nominals_csv = c.write_csv(tmp_path / "export")
    importing.run(login("sam"), cases_csv, nominals_csv)
    c.spelt = spelt
    return c


def test_linker_matches_the_spellings(login, variants):
    conn = login("rita").conn
    rows = conn.execute("SELECT id, forenames, surname FROM nominals WHERE role = 'suspect'").fetchall()
    person = people(conn)
    for spellings in variants.spelt.values():
        ids = {person.get(r["id"], r["id"]) for r in rows if f"{r['forenames']} {r['surname']}" in spellings}
        assert len(ids) == 1, spellings


def test_one_lane_per_suspect_whatever_the_spelling(login, variants):
    c = chronology.build(login("rita").conn, variants.refs[0])
    lanes = c.lanes("suspect")
    assert len(lanes) == len(variants.spelt)                  # today's code: one lane per spelling, twice as many
    by_label = {}
    for key, label in lanes:
        names = {s for spellings in variants.spelt.values() for s in spellings if s in label}
        match = [k for k, spellings in variants.spelt.items() if spellings <= names]
        assert len(match) == 1 and label.count(" / ") == 1, label   # both spellings of one man, once each
        by_label[match[0]] = key
    refs_of = {k: {n["crime_ref"] for n in variants.nominals if n["role"] == "suspect"
                   and f"{n['forenames'].title()} {n['surname']}" in spellings}
               for k, spellings in variants.spelt.items()}
    for e in c.events:
        expected = {by_label[k] for k, refs in refs_of.items() if e.case in refs}
        assert set(c.lane_keys(e, "suspect")) == expected and len(expected) == 2


def test_victims_minimised_in_lanes_and_annex(login, variants, tmp_path):
    ref = variants.refs[0]
    approve_review(login, ref)
    rita = login("rita")
    c = chronology.view(rita, ref)
    labels = " ".join(label for _, label in c.lanes("suspect") + c.lanes("case"))
    assert all(s in labels for spellings in variants.spelt.values() for s in spellings)
    for value in victim_values(variants):
        assert value not in labels, value
    out = tmp_path / "pack.pdf"
    issue_pack(rita, ref, out)
    annex = " ".join(_annex(_text(out)).split())
    for value in victim_values(variants):
        assert value not in annex, value
    assert "(aged " in annex


@pytest.fixture
def recruiter(login, tmp_path):
    """The generated cluster where an earlier victim is later a suspect, her surname mistyped there."""
    c = generate_cluster(12, seed=5)
    v = c.victims[1]
    c.nominals.append({"crime_ref": c.refs[6], "role": "suspect", "surname": _slip(v["surname"]),
                       "forenames": v["forenames"], "dob": v["dob"].strftime("%d/%m/%Y"), "gender": "F",
                       "address": v["address"], "postcode": v["postcode"], "phones": v["phone"], "vehicles": ""})
    cases_csv, nominals_csv = c.write_csv(tmp_path / "export")
    importing.run(login("sam"), cases_csv, nominals_csv)
    return c


def test_a_suspect_who_is_a_victim_too_stays_minimised(login, recruiter):
    v = recruiter.victims[1]
    rita = login("rita")
    c = chronology.view(rita, recruiter.refs[0])
    her = [label for _, label in c.lanes("suspect") if ALSO_VICTIM in label]
    assert her == [f"{v['forenames'][0]}.{v['surname'][0].upper()}. ({ALSO_VICTIM})"]
    shown = repr(c.public()) + repr(c.lanes("suspect"))
    for value in (v["forenames"], v["surname"], v["surname"].upper(), _slip(v["surname"])):
        assert value not in shown, value
    on_her_case = [e for e in c.events if e.case == recruiter.refs[6]]
    assert on_her_case and all(any(ALSO_VICTIM in p.shown_as for p in e.people) for e in on_her_case)
    full = chronology.view(rita, recruiter.refs[0], identity="full")
    assert any(_slip(v["surname"]) in label for _, label in full.lanes("suspect"))
