"""Import profiles: another records system's headers, encoding, date form and values."""
from __future__ import annotations

import pytest

from triage_app import importing
from triage_app.errors import BadInput
from triage_app.importing import profile as profiles

RMS_CASES = "\r\n".join([
    "Occurrence Ref,HO Code,Finalised Date,Reported Date,Outcome,Finalisation Rationale,Property Retained,Force Area",
    "OCC-11-0042,22B,14/09/2011,02/03/2011,NFA,\"IP said she \u2018consented\u2019 \u2013 lifestyle choice\",Retained,West",
    "OCC-13-0101,71,05/06/2013 09:00,01/01/2013,16,Victim withdrew support,Not Known,East",
])
RMS_NOMINALS = "\r\n".join([
    "Occurrence Ref,Involvement,Surname,Forename(s),Date of Birth,Telephone,Nationality",
    "OCC-11-0042,Aggrieved,Example,Zo\u00eb,01/02/1997,07700 900321,British",
    "OCC-11-0042,Named Suspect,Sample,Tony,,07700 900654,",
    "OCC-13-0101,injured party,Example,Zo\u00eb,01/02/1997,,",
])


def test_import_with_the_shipped_example_profile(login, tmp_path):
    (tmp_path / "occ.csv").write_bytes(RMS_CASES.encode("cp1252"))
    (tmp_path / "people.csv").write_bytes(RMS_NOMINALS.encode("cp1252"))
    s = login("sam")
    result = importing.run(s, tmp_path / "occ.csv", tmp_path / "people.csv", profile="example-rms")
    assert (result["cases_added"], result["nominals_added"]) == (2, 3)
    assert result["profile"] == "Example RMS"
    row = s.one("SELECT nfa_date, exhibits_retained, nfa_rationale, extra FROM cases WHERE ref = 'OCC-11-0042'")
    assert tuple(row) == ("2011-09-14", "yes", "IP said she \u2018consented\u2019 \u2013 lifestyle choice",
                          '{"Force Area": "West"}')
    assert s.one("SELECT exhibits_retained FROM cases WHERE ref = 'OCC-13-0101'")[0] == "unknown"
    roles = sorted(r[0] for r in s.query("SELECT role FROM nominals"))
    assert roles == ["suspect", "victim", "victim"]
    assert s.one("SELECT forenames, extra FROM nominals WHERE role = 'victim' LIMIT 1")[:] == \
        ("Zo\u00eb", '{"Nationality": "British"}')


def test_import_profile_date_format_refuses_other_forms(login, tmp_path):
    (tmp_path / "occ.csv").write_bytes(RMS_CASES.replace("14/09/2011", "2011-09-14").encode("cp1252"))
    (tmp_path / "people.csv").write_bytes(RMS_NOMINALS.encode("cp1252"))
    plan = importing.preview(tmp_path / "occ.csv", tmp_path / "people.csv", profile="example-rms")
    assert [(p["line"], p["column"]) for p in plan.problems] == [(2, "Finalised Date")]
    assert "%d/%m/%Y" in plan.problems[0]["message"]


def test_import_profile_names_a_missing_source_column(tmp_path):
    (tmp_path / "occ.csv").write_bytes(RMS_CASES.replace("Finalised Date", "Closed").encode("cp1252"))
    (tmp_path / "people.csv").write_bytes(RMS_NOMINALS.encode("cp1252"))
    plan = importing.preview(tmp_path / "occ.csv", tmp_path / "people.csv", profile="example-rms")
    assert [(p["file"], p["line"], p["column"]) for p in plan.problems] == [("occ.csv", 1, "Finalised Date")]


@pytest.mark.parametrize("text,why", [
    ("[profile\nname = 'x'", "not valid TOML"),
    ("[cases]\nnot_a_column = 'X'", "not a canonical column"),
    ("[values.colour]\n'a' = 'b'", "does not name a canonical column"),
    ("[profile]\ndate_format = 'dd/mm/yyyy'", "strftime"),
])
def test_import_bad_profile_is_refused_in_one_sentence(tmp_path, text, why):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(BadInput, match=why) as e:
        profiles.load(p)
    assert e.value.problems[0]["file"] == "bad.toml"


def test_import_unknown_profile_name_is_refused():
    with pytest.raises(BadInput, match="no import profile"):
        profiles.load("no-such-profile")
