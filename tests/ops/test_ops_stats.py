import json

import pdfplumber

from tests.ops.conftest import add_cases
from triage_app.audit import utc_now
from triage_app.ops.stats import statistics, suppress_group, to_csv


def _personal_values(session) -> set[str]:
    values = set()
    for r in session.query("SELECT surname, forenames, dob, phones FROM nominals"):
        values.update(v for v in r if v)
    for r in session.query("SELECT ref, officer_in_case, nfa_date FROM cases"):
        values.update(v for v in r if v)
    return values


def test_stats_output_holds_no_name_date_of_birth_or_reference(cli, login, tmp_path):
    sam = login("sam")
    add_cases(sam, 40)
    # An old free-text outcome that names someone must not reach the return either.
    with sam.change("import", "test.edit"):
        sam.conn.execute("UPDATE cases SET outcome_code = 'NFA per DS Whitmore-Pryce' WHERE id = 1")
    secrets = _personal_values(sam) | {"Whitmore-Pryce"}
    assert len(secrets) > 100
    code, out_json, _ = cli("rita", "stats", "--json")
    assert code == 0
    code, out_csv, _ = cli("rita", "stats", "--csv")
    assert code == 0
    pdf = tmp_path / "stats.pdf"
    code, _, _ = cli("rita", "stats", "--pdf", str(pdf))
    assert code == 0
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1
        text = doc.pages[0].extract_text()
    assert "OFFICIAL-SENSITIVE" in text and "outcome code" in text
    for output in (out_json, out_csv, text):
        leaked = [s for s in secrets if s in output]
        assert leaked == []
    stats = json.loads(out_json)
    assert stats["cases"] == 40
    assert "other text" in stats["outcome_code"]
    # Every return is itself recorded, as a disclosure.
    code, log, _ = cli("sam", "audit", "log", "--json")
    kinds = [e["kind"] for e in json.loads(log) if e["action"] == "stats.return"]
    assert kinds == ["disclosure"] * 3


def _case(session, ref, outcome, offence="19D", status="not_started"):
    session.conn.execute(
        "INSERT INTO cases(ref, offence_code, nfa_date, outcome_code, imported_at, updated_at, status) "
        "VALUES (?,?,?,?,?,?,?)", (ref, offence, "2012-03-04", outcome, utc_now(), utc_now(), status))


def test_small_numbers_are_suppressed_and_cannot_be_worked_back(login):
    sam = login("sam")
    with sam.change("import", "test.seed"):
        for i in range(3):
            _case(sam, f"A/{i}", "14")
        for i in range(12):
            _case(sam, f"B/{i}", "16")
        for i in range(7):
            _case(sam, f"C/{i}", "21", offence="88A")
    s = statistics(sam.conn)
    assert s["cases"] == 22
    assert s["outcome_code"]["14"] == "<5"
    # 14 alone hidden: the next smallest (21: 7) is rounded to 5, so 22 - 12 - 5 says nothing exact.
    assert s["outcome_code"]["21"] == 5 and "outcome_code.21" in s["rounded"]
    assert s["outcome_code"]["16"] == 12
    numbers = [v for v in s["outcome_code"].values() if isinstance(v, int)]
    assert s["cases"] - sum(numbers) != 3
    assert s["offence_code"] == {"19D": 15, "88A": 7}
    for group in (s["outcome_code"], s["offence_code"], s["reviews"], *s["eligibility"].values(),
                  *s["ethnicity"].values(), s["recommendation"]):
        for v in group.values():
            assert v == "<5" or (isinstance(v, int) and not 1 <= v <= 4)
    assert s["reopen_rate_percent"] is None  # no approved reviews: no rate
    assert "<5" in to_csv(s)


def test_suppress_group_rules():
    rounded = []
    assert suppress_group({"a": 0, "b": 1, "c": 4, "d": 5}, "g", rounded) == {"a": 0, "b": "<5", "c": "<5", "d": 5}
    assert rounded == []  # two hidden: neither can be worked out alone
    assert suppress_group({"a": 2, "b": 13, "c": 40}, "g", rounded) == {"a": "<5", "b": 15, "c": 40}
    assert rounded == ["g.b"]
    assert suppress_group({"a": 2}, "h", rounded) == {"a": "<5"}
