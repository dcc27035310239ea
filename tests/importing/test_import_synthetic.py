"""The synthetic generator: realistic, deterministic, and importable as it stands."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.importing import dates
from triage_app.linking import normalise


@pytest.fixture(scope="module")
def data():
    return generate(3000, seed=11)


def test_import_synthetic_is_deterministic():
    a, b = generate(50, seed=3), generate(50, seed=3)
    assert a.cases == b.cases and a.nominals == b.nominals and a.truth == b.truth
    assert generate(50, seed=4).cases != a.cases


def test_import_synthetic_victims_are_children_at_the_offence(data):
    offence = {c["crime_ref"]: dates.parse(c["offence_date"]) for c in data.cases}
    ages = [dates.age_on(dates.parse(n["dob"]), offence[n["crime_ref"]])
            for n in data.nominals if n["role"].lower() == "victim" and n["dob"] and offence[n["crime_ref"]]]
    # A victim's recorded DOB may carry a day/month keying slip, which can move the age by a year.
    assert len(ages) > 2000 and sum(1 for a in ages if a is not None and 10 <= a <= 17) / len(ages) > 0.97


def test_import_synthetic_codes_and_dates(data):
    nfa = [dates.parse(c["nfa_date"]) for c in data.cases]
    assert min(nfa) >= date(2008, 1, 1) and max(nfa) <= date(2025, 12, 31)
    assert any(d < date(2013, 6, 5) for d in nfa) and any(d > date(2013, 6, 5) for d in nfa)
    outcomes = Counter(c["outcome_code"] for c in data.cases)
    assert {"14", "15", "16", "18", "21"} <= set(outcomes)
    assert any(not o.isdigit() for o in outcomes)                      # older free-text outcomes
    assert {"19D", "71", "88A"} <= {c["offence_code"] for c in data.cases}
    text = " ".join(c["nfa_rationale"] for c in data.cases).lower()
    for phrase in ("consented", "not credible", "lifestyle choice", "missing episodes", "withdrew support"):
        assert phrase in text


def test_import_synthetic_recurring_people_vary_in_how_they_are_recorded(data):
    by_person = defaultdict(list)
    for i, pid in data.truth.items():
        by_person[pid].append(data.nominals[i])
    recurring = {pid: rows for pid, rows in by_person.items() if len({r["crime_ref"] for r in rows}) >= 3}
    assert len(recurring) > 50
    spellings = {r["forenames"].split(" ")[0].lower() for rows in recurring.values() for r in rows}
    assert {"mohammed", "muhammad"} <= spellings or {"stephen", "steven"} <= spellings or {"anthony", "tony"} <= spellings
    assert any(r["forenames"].isupper() for rows in recurring.values() for r in rows)
    assert any(not r["dob"] for rows in recurring.values() for r in rows)
    # A phone number belongs to one person only, so a shared number is a true link.
    owner = {}
    for i, row in enumerate(data.nominals):
        for p in normalise.phones(row["phones"]):
            assert owner.setdefault(p, data.truth[i]) == data.truth[i]
    assert len(owner) > 500


def test_import_synthetic_namesakes_have_dobs_years_apart(data):
    people = defaultdict(set)
    for pid, p in data.people.items():
        if p["dob"]:
            people[(p["forenames"].split(" ")[0], p["surname"])].add((pid, p["dob"]))
    shared = [v for v in people.values() if len(v) > 1]
    assert shared
    gaps = [abs(int(a[1][:4]) - int(b[1][:4])) for v in shared for a in v for b in v if a[0] < b[0]]
    assert max(gaps) >= 5


def test_import_synthetic_export_imports_cleanly(login, tmp_path):
    c, n = generate(200, seed=9).write_csv(tmp_path)
    s = login("sam")
    result = importing.run(s, c, n)
    assert result["errors"] == [] and result["cases_added"] == 200
    assert s.one("SELECT count(*) FROM identifiers WHERE kind = 'phone'")[0] > 0


def test_import_large_import_indexes_text_and_keeps_the_trigger(login, tmp_path, export):
    from triage_app.casefile import search
    data = generate(250, seed=12)
    c, n = data.write_csv(tmp_path / "big")
    s = login("sam")
    importing.run(s, c, n)                       # 250 new cases: the bulk text-index path
    assert s.one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_ai'")[0] == 1
    expected = sum(1 for x in data.cases if "lifestyle choice" in x["nfa_rationale"].lower())
    assert expected and len(search(s, "lifestyle choice", limit=1000)) >= expected
    from .conftest import CASES, NOMINALS
    small = CASES.replace("Taken to a flat above a takeaway.", "Seen near the quayside arcade.")
    importing.run(s, *export(small, NOMINALS))   # a small import afterwards goes through the trigger
    assert [h["ref"] for h in search(s, "quayside arcade")] == ["CR/2012/100001"]
    assert s.one("SELECT count(*) FROM case_text")[0] == 252
