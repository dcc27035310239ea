"""A father and son with the same name at the same address are two people (design rule, issue 14).

Same name + same address + dates of birth years apart is never a strong person match: at most a
possible one whose explanation says the dates of birth are years apart. Synthetic people (Faker en_GB).
"""
import json
from datetime import timedelta

import pytest
from faker import Faker

from triage_app.linking import relink
from triage_app.linking.people import people


@pytest.fixture
def family():
    fake = Faker("en_GB")
    fake.seed_instance(2214)
    father_dob = fake.date_of_birth(minimum_age=50, maximum_age=60)
    return {"forename": fake.first_name_male(), "surname": fake.last_name(),
            "address": fake.street_address().replace("\n", ", "), "postcode": fake.postcode(),
            "phone": "07700 900" + str(fake.random_int(100, 999)),
            "father": father_dob.isoformat(), "son": (father_dob + timedelta(days=365 * 26 + 40)).isoformat()}


def _person_evidence(conn):
    out = []
    for a, b, evidence, explanation in conn.execute("SELECT case_a, case_b, evidence, explanation FROM links"):
        for row in json.loads(evidence):
            if row[2] == "person":
                out.append(((a, b), row[4], explanation))
    return out


@pytest.mark.parametrize("shared", ["address", "address and phone"])
def test_father_and_son_at_one_address_are_never_one_person(build, family, shared):
    f = family
    phone = f["phone"] if "phone" in shared else None
    one, two = build.case("CR/F/1"), build.case("CR/F/2")
    father = build.nominal(one, "suspect", f["forename"], f["surname"], dob=f["father"],
                           address=f["address"], postcode=f["postcode"], phones=phone)
    son = build.nominal(two, "suspect", f["forename"], f["surname"], dob=f["son"],
                        address=f["address"], postcode=f["postcode"], phones=phone)
    relink(build.conn)
    found = _person_evidence(build.conn)
    assert all(strength != "strong" for _, strength, _ in found), found
    for _, _, explanation in found:       # a suggestion says why it is only a suggestion
        items = {(c, lv) for part in json.loads(explanation) for c, lv, _ in part.get("items", [])}
        assert ("dob", "years_apart") in items
    assert people(build.conn).get(son) != people(build.conn).get(father, father)


@pytest.mark.parametrize("batch", [None, 1])
def test_a_record_without_a_date_of_birth_does_not_join_father_and_son(build, family, batch, monkeypatch):
    """One record of the name at that address has no date of birth: it may be either man, so it
    is not firmly matched to both, and the two men never become one person through it — also when
    the linker scores its pairs a batch at a time (here one pair each)."""
    if batch:
        import triage_app.linking
        monkeypatch.setattr(triage_app.linking, "BATCH", batch)
    f = family
    cases = [build.case(f"CR/G/{i}") for i in range(3)]
    father = build.nominal(cases[0], "suspect", f["forename"], f["surname"], dob=f["father"],
                           address=f["address"], postcode=f["postcode"])
    son = build.nominal(cases[1], "suspect", f["forename"], f["surname"], dob=f["son"],
                        address=f["address"], postcode=f["postcode"])
    build.nominal(cases[2], "witness", f["forename"], f["surname"], address=f["address"], postcode=f["postcode"])
    relink(build.conn)
    who = people(build.conn)
    assert who.get(father, father) != who.get(son, son)


def test_incremental_relink_keeps_father_and_son_apart(build, family):
    f = family
    cases = [build.case(f"CR/H/{i}") for i in range(3)]
    father = build.nominal(cases[0], "suspect", f["forename"], f["surname"], dob=f["father"],
                           address=f["address"], postcode=f["postcode"])
    build.nominal(cases[2], "witness", f["forename"], f["surname"], address=f["address"], postcode=f["postcode"])
    fake = Faker("en_GB")
    fake.seed_instance(7)
    for i in range(6):   # others, so one more record is no reason to estimate the model afresh (a full relink)
        build.nominal(build.case(f"CR/H/x{i}"), "suspect", fake.first_name(), fake.last_name(),
                      dob=fake.date_of_birth().isoformat())
    relink(build.conn)
    son = build.nominal(cases[1], "suspect", f["forename"], f["surname"], dob=f["son"],
                        address=f["address"], postcode=f["postcode"])
    relink(build.conn, [cases[1]])
    who = people(build.conn)
    assert who.get(father, father) != who.get(son, son)
