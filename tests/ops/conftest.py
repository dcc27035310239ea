"""Synthetic cases for the operations tests (Faker en_GB: no real person, date, phone or plate)."""
import json
import random

import pytest
from faker import Faker

from triage_app.audit import utc_now

OFFENCES = ["19D", "19E", "20B", "22B", "71", "88A"]
OUTCOMES = ["14", "15", "16", "18", "21"]
ETHNICITY = ["White British", "IC4", "Pakistani", "not stated", None, None]


def add_cases(session, n: int, seed: int = 7, prefix: str = "CR/2012/") -> list[str]:
    """n synthetic cases with a victim and two suspects each, in one audited change."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    refs = []
    with session.change("import", "test.seed", kind="collection", detail={"cases": n}):
        for i in range(n):
            ref = f"{prefix}{100000 + i}"
            nfa = fake.date_between_dates(date_start=__import__("datetime").date(2010, 1, 1),
                                          date_end=__import__("datetime").date(2020, 12, 31)).isoformat()
            cur = session.conn.execute(
                "INSERT INTO cases(ref, offence_code, offence_description, nfa_date, outcome_code, summary, "
                "nfa_rationale, officer_in_case, imported_at, updated_at, beaconport, status) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (ref, rnd.choice(OFFENCES), "synthetic offence", nfa, rnd.choice(OUTCOMES), fake.paragraph(),
                 fake.sentence(), fake.name(), utc_now(), utc_now(), rnd.choice([0, 1, None]),
                 rnd.choice(["not_started", "in_review", "approved"])))
            case_id = cur.lastrowid
            for role in ("victim", "suspect", "suspect"):
                sur, fore = fake.last_name(), fake.first_name()
                dob = fake.date_of_birth(minimum_age=20, maximum_age=60).isoformat()
                session.conn.execute(
                    "INSERT INTO nominals(case_id, role, surname, forenames, name_norm, dob, ethnicity, phones, "
                    "natural_key, extra) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (case_id, role, sur, fore, f"{fore} {sur}".lower(), dob, rnd.choice(ETHNICITY),
                     fake.phone_number(), f"{role}|{fore} {sur}|{dob}".lower(), json.dumps({})))
            refs.append(ref)
    return refs


@pytest.fixture
def seeded(login):
    """(session of sam the supervisor, refs of 12 synthetic cases)."""
    s = login("sam")
    return s, add_cases(s, 12)
