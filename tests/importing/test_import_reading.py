"""Reading real exports: encodings, line ends, quoted newlines, date forms."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from triage_app import importing
from triage_app.errors import BadInput
from triage_app.importing import dates
from triage_app.linking import normalise

from .conftest import CASES, NOMINALS, count


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("cp1252", "\r\n"),
                                              ("utf-8", "\r\n")])
def test_import_reads_each_encoding_and_line_end(login, export, encoding, newline):
    cases = CASES.replace("Town centre", "Caf\u00e9 \u2013 town centre")   # é and an en dash: differ in cp1252
    c, n = export(cases, NOMINALS, encoding=encoding, newline=newline)
    s = login("sam")
    result = importing.run(s, c, n)
    assert (result["cases_added"], result["nominals_added"]) == (2, 4)
    assert result["errors"] == []
    row = s.one("SELECT location, nfa_rationale FROM cases WHERE ref = 'CR/2016/200002'")
    assert row[0] == "Caf\u00e9 \u2013 town centre"
    first = s.one("SELECT nfa_rationale FROM cases WHERE ref = 'CR/2012/100001'")[0]
    assert first.splitlines() == ["Victim not credible.", "Missing episodes noted."]


def test_import_reports_the_physical_line_where_a_record_starts(login, export):
    # Record 1 spans lines 2–3 (a quoted newline); the bad date is on the record starting at line 4.
    bad = CASES.replace("20/06/2016 14:30", "31/02/2016")
    c, n = export(bad, NOMINALS, newline="\r\n")
    plan = importing.preview(c, n)
    assert not plan.ok
    assert [(p["file"], p["line"], p["column"]) for p in plan.problems] == [("cases.csv", 4, "nfa_date")]
    assert "31/02/2016" in plan.problems[0]["message"]


@pytest.mark.parametrize("text,expected", [
    ("2012-02-29", "2012-02-29"), ("29/02/2012", "2012-02-29"), ("1/2/2012", "2012-02-01"),
    ("01/02/2012 13:45", "2012-02-01"), ("2012-02-01T13:45:00Z", "2012-02-01"), ("05/06/2012", "2012-06-05"),
    ("  ", None),
])
def test_import_date_forms_accepted(text, expected):
    d = dates.parse(text)
    assert (d.isoformat() if d else None) == expected


@pytest.mark.parametrize("text,why", [
    ("31/02/2012", "not a real date"), ("12/25/2012", "month/day order"), ("2012-13-01", "not a real date"),
    ("25 Dec 2012", "form YYYY-MM-DD or DD/MM/YYYY"), ("12/25/12", "form"), ("01/02/2012 later", "form"),
])
def test_import_date_forms_refused(text, why):
    with pytest.raises(dates.BadDate, match=why):
        dates.parse(text)


def test_import_dates_are_stored_iso(login, export):
    s = login("sam")
    importing.run(s, *export())
    row = s.one("SELECT offence_date, reported_date, nfa_date FROM cases WHERE ref = 'CR/2016/200002'")
    assert tuple(row) == ("2015-02-01", "2015-04-03", "2016-06-20")


def test_import_keeps_unknown_columns_as_other_recorded_fields(login, export):
    cases = CASES.splitlines()
    cases[0] += ",Division,Beat"
    cases[1] = cases[1]          # the first record spans two lines: add cells to its last line
    cases[2] += ",North,"
    cases[3] += ",South,B7"
    s = login("sam")
    importing.run(s, *export("\n".join(cases), NOMINALS))
    extras = dict(s.query("SELECT ref, extra FROM cases"))
    assert extras["CR/2012/100001"] == '{"Division": "North"}'
    assert extras["CR/2016/200002"] == '{"Beat": "B7", "Division": "South"}'


def test_import_headers_match_ignoring_case_and_spaces(login, export):
    cases = CASES.replace("crime_ref,offence_code", " Crime_Ref ,OFFENCE_CODE", 1)
    s = login("sam")
    assert importing.run(s, *export(cases, NOMINALS))["cases_added"] == 2


def test_import_handles_megabyte_cells(login, export):
    big = "word " * 300_000                       # 1.5 MB, above the csv module's default limit
    cases = CASES.replace("Picked up in a silver car.", big.strip())
    s = login("sam")
    importing.run(s, *export(cases, NOMINALS))
    assert len(s.one("SELECT summary FROM cases WHERE ref = 'CR/2016/200002'")[0]) == len(big.strip())


def test_import_normalises_on_the_way_in_and_keeps_originals(login, export):
    s = login("sam")
    importing.run(s, *export())
    n = {r["forenames"]: dict(r) for r in s.query("SELECT * FROM nominals")}
    assert n["Mohammed"]["phones"] == "+44 7700 900456; 0113 496 0123"
    assert n["Mohammed"]["name_norm"] == "mohammed sample"
    assert n["Mohammed"]["role"] == "suspect"
    assert n["Amy"]["age_at_offence"] == 13
    assert n["Muhammad"]["dob"] is None and n["Muhammad"]["age_at_offence"] is None
    ids = {(r[0], r[1], r[2]) for r in s.query(
        "SELECT n.forenames, i.kind, i.value FROM identifiers i JOIN nominals n ON n.id = i.nominal")}
    assert ids == {("Amy", "phone", "+447700900123"), ("Amy", "address", "12 mill road LS1 4AB"),
                   ("Mohammed", "phone", "+447700900456"), ("Mohammed", "phone", "+441134960123"),
                   ("Mohammed", "vehicle", "ZX51ABC"), ("Muhammad", "phone", "+447700900456"),
                   ("Muhammad", "vehicle", "ZX51ABC")}


def test_import_warnings_do_not_block(login, export):
    cases = CASES.replace("3/4/2015,20/06/2016 14:30", "3/4/2015,20/03/2015")   # NFA before reported
    s = login("sam")
    result = importing.run(s, *export(cases, NOMINALS))
    assert result["cases_added"] == 2
    assert [(w["line"], w["column"]) for w in result["warnings"]] == [(4, "nfa_date")]
    assert count(s, "cases") == 2


TOMORROW = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")


@pytest.mark.parametrize("dob, why", [("31/02/1990", "not a real date (31/02/1990)"),
                                      ("00/00/1900", "not a real date (00/00/1900)"),
                                      ("1990", "not a date in the form"), ("1990-02-31", "not a real date"),
                                      ("12/25/1990", "month/day order"), (TOMORROW, "in the future"),
                                      ("01/01/1850", "before 1900"), ("Jane Example", "value not shown")])
def test_an_impossible_or_partial_dob_is_a_warning_kept_as_recorded(login, export, dob, why):
    """Real exports hold impossible dates of birth: the import goes ahead, the value is kept as
    recorded (and shown so), and it is unknown for ages and linking."""
    nominals = NOMINALS.replace("CR/2016/200002,victim,Example,Beth,2001-09-30", f"CR/2016/200002,victim,Example,Beth,{dob}")
    s = login("sam")
    result = importing.run(s, *export(CASES, nominals))
    assert result["nominals_added"] == 4 and result["errors"] == []
    assert [(w["file"], w["line"], w["column"]) for w in result["warnings"]] == [("nominals.csv", 4, "dob")]
    message = result["warnings"][0]["message"]
    assert why in message and "treated as unknown" in message and "Jane" not in message
    beth = s.one("SELECT dob, age_at_offence FROM nominals WHERE forenames = 'Beth'")
    assert (beth[0], beth[1]) == (dob, None)
    # The same person recorded twice with the same impossible date is no date-of-birth match.
    assert normalise.dob(beth[0]) is None


def test_offence_report_and_nfa_dates_still_refuse(login, export):
    s = login("sam")
    with pytest.raises(BadInput) as e:
        importing.run(s, *export(CASES.replace("2011-04-02", "31/02/2011"), NOMINALS))
    assert [(p["line"], p["column"]) for p in e.value.problems] == [(2, "reported_date")]
    assert count(s, "cases") == 0


@pytest.mark.parametrize("text", ["0\n0", "Jane Example", "see note: 12/25/2012 maybe"])
def test_import_bad_date_messages_never_echo_free_text(text):
    with pytest.raises(dates.BadDate) as e:
        dates.parse(text)
    assert "\n" not in str(e.value) and "Jane" not in str(e.value) and "note" not in str(e.value)


def test_import_never_holds_a_whole_file_in_memory(tmp_path):
    # A national export is hundreds of megabytes: its bytes, its text and its rows at once would be
    # several times that. Reading streams the file in blocks; memory stays far below its size.
    import tracemalloc

    from triage_app.importing.reader import read_table
    path = tmp_path / "cases.csv"
    row = "CR/2015/{:06d},\"" + "Narrative text of the case, " * 20 + "\",01/02/2015\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("crime_ref,summary,nfa_date\n")
        for i in range(16000):
            f.write(row.format(i))
    size = path.stat().st_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        table = read_table(path, [])
        rows = sum(1 for _ in table.records)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 16000 and table.size == size
    assert peak < size / 4, peak
