"""rows.Rows puts each case's stored row together from pieces made once per distinct value; it must
give exactly what triage._row works out for that case alone, whatever the mix of facts."""
import random
from dataclasses import replace
from datetime import date

from triage_app.triage import _row
from triage_app.triage.facts import CaseFacts
from triage_app.triage.rows import Rows
from triage_app.triage.weights import load, parse

TODAY = date(2026, 1, 1)
RATIONALES = [None, "", "The complainant consented.", "She later withdrew support; her lifestyle was noted.",
              "Victim is not credible. Went missing from care.", "No further action – CPS advised."]


def _cases(n: int, seed: int = 7) -> list[CaseFacts]:
    rnd = random.Random(seed)
    pick = rnd.choice
    out = []
    for i in range(n):
        out.append(CaseFacts(
            id=i + 1, ref=f"CR/{i}", offence_code=pick([None, "19D", " 19d ", "70", "ZZ", "rape"]),
            offence_description=pick([None, "rape of a child", "sexual activity", "theft"]),
            offence_date=pick([None, "2011-10-01"]), nfa_date=pick(["2009-12-31", "2012-03-04", "2013-06-05",
                                                                    "2025-03-31T10:00", "2025-04-01", "bad"]),
            outcome_code=pick([None, "16", "016", " 18 ", "x"]), nfa_rationale=pick(RATIONALES),
            exhibits_retained=pick([None, "yes", "no", "unknown"]), previously_reviewed=pick([None, 0, 1]),
            victims=pick([0, 1, 2]), youngest_victim_age=pick([None, 5, 12, 15, 16, 17, 18, 30]),
            victims_age_unknown=pick([0, 1]), suspects=pick([0, 1, 2, 3, 5]), links_confirmed=pick([0, 1, 4]),
            links_strong=pick([0, 2, 9]), links_possible=pick([0, 1, 30]), approved_review=pick([False, True])))
    return out


def _alive(cases):
    rnd = random.Random(3)
    return {f.id: rnd.choice([None, True, False]) for f in cases}


def test_each_row_is_what_the_case_alone_works_out():
    w = load()
    cases = _cases(3000)
    alive = _alive(cases)
    rows = Rows(w, TODAY, alive)
    for f in cases:
        assert rows.row(f) == _row(f, w, TODAY, alive), f
    # the pieces were shared, not made per case
    assert len(rows.language) <= 2 * len(RATIONALES) and len(rows.window) <= 6


def test_points_that_are_not_whole_numbers_add_up_in_the_same_order():
    # A weights file may give fractions: they add up differently grouped, so such rows are summed as _row sums.
    import tomllib
    from triage_app.paths import resource
    data = tomllib.loads(resource("triage", "weights.toml").read_text())
    data["links"]["possible_each"] = 0.1
    data["exhibits"]["points"] = 0.7
    data["language"][1]["points"] = 0.2
    w = parse(data)
    cases = [replace(f, links_possible=3, exhibits_retained="yes") for f in _cases(500, seed=11)]
    alive = _alive(cases)
    rows = Rows(w, TODAY, alive)
    got = [rows.row(f) for f in cases]
    assert got == [_row(f, w, TODAY, alive) for f in cases]
    assert any(isinstance(r[1], float) for r in got)
