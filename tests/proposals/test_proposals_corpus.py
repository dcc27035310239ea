"""The labelled corpus as a gate: per-item precision at least 0.95 wherever an item has 10 or more
proposals, and never a 'no' where the text says it was done (bench/proposals.py prints the table)."""
import importlib.util
from pathlib import Path

import pytest

from triage_app.review import checklist
from triage_app.review.proposals import rules as rules_mod

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_proposals", ROOT / "bench" / "proposals.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_precision_and_no_worst_errors(split):
    cases = bench.load(split)
    assert len(cases) >= 100
    cl = checklist.current()
    res = bench.score(cases, rules_mod.for_checklist(cl.id, cl.version))
    assert res["worst"] == []
    for item, c in res["per"].items():
        if c["proposed"] >= 10:
            assert c["right"] / c["proposed"] >= 0.95, (item, c)
    total_prop = sum(c["proposed"] for c in res["per"].values())
    total_right = sum(c["right"] for c in res["per"].values())
    covered = sum(c["covered"] for c in res["per"].values())
    with_evidence = sum(c["with_evidence"] for c in res["per"].values())
    assert total_right / total_prop >= 0.97 and covered / with_evidence >= 0.9


def test_corpus_is_large_enough_and_labelled():
    cases = bench.load("tune") + bench.load("heldout")
    assert len(cases) >= 200
    assert all(c["summary"] and c["nfa_rationale"] and isinstance(c["truth"], dict) for c in cases)
    words = " ".join(c["summary"] + " " + c["nfa_rationale"] for c in cases)
    for abbreviation in ("ABE", "VRI", "OIC", "CPS", "NFA", "CAWN", "ANPR"):
        assert abbreviation in words
