"""A corpus of bad exports: each refused with its file, line and column, and nothing written."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from triage_app import importing
from triage_app.errors import BadInput

from .conftest import CASES, CASES_HEADER, NOMINALS, NOMINALS_HEADER, count

TOMORROW = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
# Record 1 of CASES spans lines 2–3, record 2 starts on line 4. NOMINALS rows are lines 2–5.
CORPUS = {
    "missing required column": (CASES.replace("nfa_date,", "nfa_when,", 1), NOMINALS,
                                ("cases.csv", 1, "nfa_date"), "required column nfa_date is missing"),
    "missing required value": (CASES.replace("20/06/2016 14:30", ""), NOMINALS,
                               ("cases.csv", 4, "nfa_date"), "required value nfa_date is empty"),
    "missing role value": (CASES, NOMINALS.replace("CR/2016/200002,victim,", "CR/2016/200002,,"),
                           ("nominals.csv", 4, "role"), "required value role is empty"),
    "impossible date": (CASES.replace("2011-03-01", "2011-02-30"), NOMINALS,
                        ("cases.csv", 2, "offence_date"), "not a real date (2011-02-30)"),
    "impossible UK date": (CASES.replace("20/06/2016 14:30", "31/02/2012"), NOMINALS,
                           ("cases.csv", 4, "nfa_date"), "not a real date (31/02/2012)"),
    "month first date": (CASES.replace("20/06/2016 14:30", "06/20/2016"), NOMINALS,
                         ("cases.csv", 4, "nfa_date"), "month/day order"),
    "future date": (CASES.replace("20/06/2016 14:30", TOMORROW), NOMINALS,
                    ("cases.csv", 4, "nfa_date"), "in the future"),
    "duplicate crime_ref": (CASES.replace("CR/2016/200002", "CR/2012/100001", 1), "\n".join(NOMINALS.splitlines()[:3]),
                            ("cases.csv", 4, "crime_ref"), "repeats the case on line 2"),
    "nominal of no case": (CASES, NOMINALS.replace("CR/2016/200002,suspect", "CR/2099/999999,suspect"),
                           ("nominals.csv", 5, "crime_ref"), "neither in the cases file nor in the vault"),
    "unknown role": (CASES, NOMINALS.replace("SUSPECT", "bystander"),
                     ("nominals.csv", 3, "role"), "role must be victim, suspect, witness or other"),
    "ragged row": (CASES, NOMINALS.replace("F,W1,,,,", "F,W1,,,"),
                   ("nominals.csv", 4, None), "has 10 cells where the header has 11"),
    "bad exhibits value": (CASES.replace(",unknown,", ",perhaps,"), NOMINALS,
                           ("cases.csv", 4, "exhibits_retained"), "yes, no or unknown"),
    "unclosed quote": (CASES + '\nCR/2017/3,71,x,,,2017-01-01,16,"never closed,,,,,', NOMINALS,
                       ("cases.csv", 5, None), "never closed"),
    "empty file": ("", NOMINALS, ("cases.csv", 1, None), "is empty"),
    "whitespace only": (CASES, "\r\n  \r\n", ("nominals.csv", 1, None), "is empty"),
    "header only": (CASES_HEADER, NOMINALS_HEADER, None, None),   # valid: nothing to import, nothing refused
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_import_refuses_each_bad_file_with_its_line_and_writes_nothing(login, export, name):
    cases, nominals, where, why = CORPUS[name]
    s = login("sam")
    c, n = export(cases, nominals)
    before = s.one("SELECT count(*) FROM audit")[0]
    if where is None:
        result = importing.run(s, c, n)
        assert result["cases_added"] == 0 and result["errors"] == []
        return
    with pytest.raises(BadInput) as e:
        importing.run(s, c, n)
    problems = e.value.problems
    assert [(p["file"], p["line"], p["column"]) for p in problems] == [where], problems
    assert why in problems[0]["message"]
    assert count(s, "cases") == 0 and count(s, "nominals") == 0 and count(s, "identifiers") == 0
    assert s.one("SELECT count(*) FROM audit")[0] == before


def test_import_refuses_binary_and_non_text_files(login, export, tmp_path):
    s = login("sam")
    c, n = export()
    png = tmp_path / "picture.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(BadInput) as e:
        importing.run(s, png, n)
    assert [(p["file"], p["line"]) for p in e.value.problems] == [("picture.csv", 3)]
    assert "not a text file" in e.value.problems[0]["message"]
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined in cp1252), on line 3.
    odd = tmp_path / "odd.csv"
    odd.write_bytes(NOMINALS.encode("utf-8").replace(b"Sample,Mohammed", b"Sample,Mo\xc3\x81\x81"))
    with pytest.raises(BadInput) as e:
        importing.run(s, c, odd)
    assert [(p["file"], p["line"]) for p in e.value.problems] == [("odd.csv", 3)]
    assert count(s, "cases") == 0


def test_import_finds_every_problem_in_one_pass(login, export):
    cases = CASES.replace("2011-03-01", "2011-02-30").replace("20/06/2016 14:30", "06/20/2016")
    nominals = NOMINALS.replace("SUSPECT", "bystander").replace("CR/2016/200002,suspect", "CR/2099/9,suspect")
    plan = importing.preview(*export(cases, nominals))
    assert [(p["file"], p["line"]) for p in plan.problems] == [
        ("cases.csv", 2), ("cases.csv", 4), ("nominals.csv", 3), ("nominals.csv", 5)]


def test_import_messages_never_quote_names_or_free_text(login, export):
    nominals = NOMINALS.replace("SUSPECT", "Aggrieved Person Sample")
    cases = CASES.replace(",Y,", ",Victim not credible,")
    plan = importing.preview(*export(cases, nominals))
    text = " ".join(p["message"] for p in plan.problems)
    assert "Sample" not in text and "Victim" not in text and "Aggrieved" not in text and len(plan.problems) == 2


def test_import_refuses_a_reviewer(login, export):
    from triage_app.errors import Refused
    s = login("rita")
    with pytest.raises(Refused):
        importing.run(s, *export())
    assert count(s, "cases") == 0
