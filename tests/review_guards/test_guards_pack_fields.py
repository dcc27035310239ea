"""Outside review (h24): `pack.identity.minimise` reaches every free-text field of a pack.

A victim's identifiers planted in each place a case's records can reach a pack — the case's text,
answers' notes, the evidence of a confirmed proposal (kept as tuples), lines of inquiry, contacts,
the recommendation, the chronology annex (its own dataclasses), the attachments schedule and the
intelligence — must all be gone after `minimise` at the default level. Several of these layers
had no test of their own: leaving the chronology, the attachments/intelligence annex, the
findings, the contacts or the case fields out of minimisation, or not descending into tuples or
dataclasses, passed every test (the pack scan's data never put an identifier there).
"""
import dataclasses

import pytest

from triage_app.chronology.model import Chronology, Event, Member, Person as ChronPerson
from triage_app.pack import identity
from triage_app.pack.material import IntelItem, Material, ScheduledFile
from triage_app.pack.model import VictimRecord
from triage_app.pack.sample import sample_pack

PHONE, ADDRESS, POSTCODE, DOB, CAR = "07700 900461", "14 Holly Bank Rd", "LS62QF", "12/04/1996", "YK09 ABC"


def _planted(forenames: str) -> str:
    return f"{forenames} rang from {PHONE} at {ADDRESS} {POSTCODE}, born {DOB}, in {CAR}."


def _leaks(text: str, forenames: str, surname: str) -> list[str]:
    low = text.lower()
    return [v for v in (forenames.lower(), surname.lower(), "900461", "holly bank", "ls62qf", DOB, "yk09")
            if v in low]


def _strings(value, path="data"):
    """Every string in a value, with where it is (dataclasses, dicts, lists, tuples at any depth)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}")
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name), f"{path}.{f.name}")


@pytest.fixture
def planted():
    data = sample_pack(inquiries=2, linked=1)
    victim = next(p for p in data.people if p.role == "victim")
    v = data.victims[0]
    data.victims = [VictimRecord(v.forenames, v.surname, v.dob, v.address, v.postcode, v.phones, [CAR])]
    data.people[0].dob = "1996-04-12"
    text = _planted(victim.forenames)
    data.case["summary"] = text
    data.findings[0].note = text
    data.findings[0].evidence = [("summary", f"{victim.forenames} said ", f"{PHONE}", f" at {ADDRESS}")]
    data.inquiries[0].rationale = text
    data.inquiries[0].title = text
    data.contacts[0].wishes = text
    data.support = [text]
    data.recommendation_rationale = text
    data.chronology = Chronology(
        data.ref, "initials", 0.9, "1", [Member(data.ref, 1, None, None)],
        [Event("e1", "2010-11-02", data.ref, "text", text, "summary", [ChronPerson("witness", f"Jo {victim.surname.upper()}")],
               place=f"{ADDRESS}, {POSTCODE}")])
    data.material = Material(
        files=[ScheduledFile(1, f"Statement {victim.forenames} {victim.surname} (pdf)", text, "pdf", 10, "ab" * 32,
                             "2026-12-01", "rita")],
        intelligence=[IntelItem(1, "2011-01-01", "1B-P", "reliable", "IR 1", text, about=f"{victim.forenames} {victim.surname}")])
    return data, victim


AREAS = ["case", "findings", "inquiries", "contacts", "support", "recommendation_rationale", "chronology", "material"]


@pytest.mark.parametrize("area", AREAS)
def test_every_free_text_area_is_minimised(planted, area):
    data, victim = planted
    before = [(p, s) for p, s in _strings(getattr(data, area), area) if _leaks(s, victim.forenames, victim.surname)]
    assert before, f"nothing planted in {area}"
    out = identity.minimise(data, "initials")
    leaks = [(p, s) for p, s in _strings(getattr(out, area), area) if _leaks(s, victim.forenames, victim.surname)]
    assert leaks == []


def test_at_full_identity_the_planted_text_stays(planted):
    data, victim = planted
    out = identity.minimise(data, "full")
    assert PHONE in out.case["summary"] and PHONE in out.material.intelligence[0].text


def test_a_minimised_victim_keeps_no_name_or_date_of_birth_for_a_careless_renderer(planted):
    data, victim = planted
    out = identity.minimise(data, "initials")
    [v] = [p for p in out.people if p.role == "victim"]
    assert (v.forenames, v.surname, v.dob) == (None, None, None)
    assert v.shown_as.startswith(identity.initials(victim.forenames, victim.surname))
    assert out.victims == [] and out.other_victim_names == []


def test_anyone_elses_date_of_birth_equal_to_a_victims_is_withheld_and_their_own_stays(planted):
    data, victim = planted
    witness = next(p for p in data.people if p.role == "witness")
    suspect = next(p for p in data.people if p.role == "suspect")
    witness.dob = "1996-04-12"                        # the victim's date of birth
    suspect.ethnicity = f"see {victim.forenames}'s statement"
    out = identity.minimise(data, "initials")
    w = next(p for p in out.people if p.role == "witness")
    s = next(p for p in out.people if p.role == "suspect")
    assert w.dob == "Withheld"
    assert s.dob == suspect.dob                       # a suspect's own date of birth is the investigative point
    assert victim.forenames not in s.ethnicity


def test_anyone_else_whose_forename_is_a_victims_is_printed_with_it_cut(planted):
    # shown_name cuts forenames as well as surnames; printing forenames whole passed every test.
    data, victim = planted
    witness = next(p for p in data.people if p.role == "witness")
    witness.forenames = victim.forenames
    out = identity.minimise(data, "initials")
    w = next(p for p in out.people if p.role == "witness")
    assert victim.forenames not in w.shown_as and w.shown_as.startswith(victim.forenames[0] + ".")
