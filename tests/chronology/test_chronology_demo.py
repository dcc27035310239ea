"""The demo's summaries carry dated events the chronology reads, each where it falls in its case,
and the demo vault shows them confirmed on the linked cases of its most linked case (h25)."""
from __future__ import annotations

from triage_app import chronology, importing
from triage_app.chronology import textdates
from triage_app.demo import synthetic
from triage_app.demo.chronology import confirm_dates, linked_case
from triage_app.importing.dates import parse

# sentence → where its date must fall: (after, before) as names of the case's own dates
WHERE = {"missing": (None, "offence"), "seen with": (None, "offence"), "seen getting into": (None, "offence"),
         "strategy meeting": ("reported", "nfa"), "advice": ("reported", "nfa"), "ABE": ("reported", "nfa"),
         "VRI": ("reported", "nfa"), "first told": (None, "nfa"), "first account": (None, "nfa")}


def test_summaries_carry_dates_where_they_fall_in_the_case():
    data = synthetic.generate(400, seed=11)
    dated, checked = 0, 0
    for c in data.cases:
        found = textdates.find("summary", c["summary"])
        dated += bool(found)
        days = {k: parse(c[f"{k}_date"]) for k in ("offence", "reported", "nfa")}
        for f in found:
            day = parse(f.date)
            for words, (after, before) in WHERE.items():
                if words in f.text and days[before] is not None:
                    checked += 1
                    assert day <= days[before], (words, f.text, c[f"{before}_date"])
                    if after:
                        assert day >= days[after], (words, f.text, c[f"{after}_date"])
    assert dated >= 0.7 * len(data.cases) and checked >= len(data.cases)
    forms = " ".join(c["summary"] for c in data.cases)
    for kind, pattern in textdates.PATTERNS:          # every form the chronology reads is used
        assert pattern.search(forms), kind


def test_dated_sentences_leave_the_rest_of_the_data_as_it_was(monkeypatch):
    with_dates = synthetic.generate(150, seed=4)
    monkeypatch.setattr(synthetic.Timeline, "case", lambda self, *a: "")
    without = synthetic.generate(150, seed=4)
    assert with_dates.nominals == without.nominals and with_dates.truth == without.truth
    for a, b in zip(with_dates.cases, without.cases):
        assert {k: v for k, v in a.items() if k != "summary"} == {k: v for k, v in b.items() if k != "summary"}
        assert a["summary"].startswith(b["summary"])


def test_demo_confirms_the_dates_of_the_linked_cases(login, tmp_path):
    data = synthetic.generate(250, seed=2025)
    importing.run(login("sam"), *data.write_csv(tmp_path / "export"))
    rita = login("rita")
    ref, confirmed = confirm_dates(rita)
    assert ref == linked_case(rita.conn) and confirmed > 0
    c = chronology.view(rita, ref)
    text_events = [e for e in c.events if e.kind == "text"]
    assert len(text_events) == confirmed and len({e.case for e in text_events}) > 1
    assert ref not in {e.case for e in text_events}          # the case itself keeps its proposals to try
    summary = next(k["summary"] for k in data.cases if k["crime_ref"] == ref)
    assert textdates.find("summary", summary) and len(chronology.proposals(rita, ref)) == len(
        textdates.find("summary", summary))
    shown = " ".join(e.text for e in text_events)
    member_refs = {m.ref for m in c.members}
    on_cluster = {r[0] for r in rita.conn.execute(
        f"SELECT n.forenames FROM nominals n JOIN cases k ON k.id = n.case_id WHERE n.role = 'victim' "
        f"AND k.ref IN ({','.join('?' * len(member_refs))})", sorted(member_refs)) if r[0]}
    assert on_cluster and all(f" {name} " not in f" {shown} " for name in on_cluster)
