"""The command line: import (JSON shape, failures, dry run), case show (audited), search."""
from __future__ import annotations

import json

from .conftest import CASES, NOMINALS


def test_import_cli_json_shape(cli, export):
    c, n = export()
    code, out, err = cli("sam", "import", c, n, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert {k: doc[k] for k in ("cases_added", "cases_updated", "nominals_added", "warnings", "errors")} == \
        {"cases_added": 2, "cases_updated": 0, "nominals_added": 4, "warnings": [], "errors": []}
    code, out, _ = cli("sam", "import", c, n, "--json")
    assert (json.loads(out)["cases_added"], json.loads(out)["cases_updated"]) == (0, 0)


def test_import_cli_failure_lists_errors_exits_1_without_traceback(cli, export):
    c, n = export(CASES.replace("20/06/2016 14:30", "31/02/2016"), NOMINALS)
    code, out, err = cli("sam", "import", c, n, "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["errors"] == [{"file": "cases.csv", "line": 4, "column": "nfa_date",
                              "message": "nfa_date is not a real date (31/02/2016)"}]
    assert doc["cases_added"] == 0
    assert "Traceback" not in err and "cases.csv:4:nfa_date: nfa_date is not a real date" in err
    code, out, err = cli("sam", "import", c, n)
    assert code == 1 and out == "" and "nothing was written" in err
    code, out, _ = cli("sam", "cases", "--json")
    assert json.loads(out) == []


def test_import_cli_dry_run_writes_nothing(cli, export):
    c, n = export()
    code, out, err = cli("sam", "import", c, n, "--dry-run")
    assert code == 0 and "Would import: 2 cases added" in out
    code, out, _ = cli("sam", "import", c, n, "--dry-run", "--json")
    assert json.loads(out)["dry_run"] is True and json.loads(out)["cases_added"] == 2
    code, out, _ = cli("sam", "cases", "--json")
    assert json.loads(out) == []


def test_import_cli_refuses_a_reviewer(cli, export):
    code, out, err = cli("rita", "import", *export())
    assert code == 1 and "may not import" in err


def test_case_show_json_and_its_consultation_entry(cli, export, login):
    cases = CASES.replace("summary", "summary,Division").replace("silver car.", "silver car.,North") \
                 .replace('takeaway."', 'takeaway.",South')
    c, n = export(cases, NOMINALS)
    assert cli("sam", "import", c, n)[0] == 0
    code, out, err = cli("rita", "case", "show", "CR/2016/200002", "--json", "--reason", "queue triage")
    assert code == 0, err
    d = json.loads(out)
    for key in ("crime_ref", "offence_code", "offence_description", "offence_date", "reported_date", "nfa_date",
                "outcome_code", "nfa_rationale", "officer_in_case", "location", "exhibits_retained", "summary",
                "nominals", "status", "review", "priority", "factors", "eligibility", "other_recorded_fields"):
        assert key in d, key
    assert d["crime_ref"] == "CR/2016/200002" and d["nfa_date"] == "2016-06-20" and d["status"] == "not_started"
    assert d["other_recorded_fields"] == {"Division": "North"}
    assert sorted(x["role"] for x in d["nominals"]) == ["suspect", "victim"]
    assert d["review"] is None
    s = login("sam")
    row = s.one("SELECT user, kind, case_ref, detail FROM audit WHERE action = 'case.view'")
    assert (row[0], row[1], row[2]) == ("rita", "consultation", "CR/2016/200002")
    assert json.loads(row[3]) == {"reason": "queue triage"}


def test_case_show_unknown_ref_is_one_sentence(cli):
    code, out, err = cli("rita", "case", "show", "CR/0000/0")
    assert code == 1 and err.strip().count("\n") == 0 and "no case" in err


def test_search_finds_rationales_and_summaries(cli, export, login):
    cli("sam", "import", *export())
    code, out, _ = cli("rita", "search", "credible", "--json")
    assert [h["ref"] for h in json.loads(out)] == ["CR/2012/100001"]
    code, out, _ = cli("rita", "search", "silver", "car", "--json")
    assert [h["ref"] for h in json.loads(out)] == ["CR/2016/200002"]
    code, out, _ = cli("rita", "search", 'withdrew"', "OR", "--json")   # FTS syntax in the text is inert
    assert code == 0 and json.loads(out) == []
    code, out, _ = cli("rita", "search", "missing")
    assert "CR/2012/100001" in out
    code, _, err = cli("rita", "search", "--", "!!")
    assert code == 1 and "word" in err
    s = login("sam")
    assert s.one("SELECT count(*) FROM audit WHERE action = 'search' AND kind = 'consultation'")[0] == 4
