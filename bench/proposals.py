"""Benchmark of proposed answers on the labelled corpus (tests/review/corpus/*.jsonl).

    .venv/bin/python bench/proposals.py                 # both splits, per item
    .venv/bin/python bench/proposals.py --split heldout --errors

Per checklist item: precision (proposals whose answer is the true one / proposals made) and
coverage (items with a true answer that got a proposal / items with a true answer). A proposal on
an item whose truth is "no evidence" counts against precision. The worst error — a "no" proposed
where the text says it was done (truth "yes") — is listed case by case. Speed is printed as a
ratio to a baseline measured in the same run (reading the corpus and splitting sentences), since
other work on the machine makes absolute seconds noisy.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage_app.review import checklist as checklists  # noqa: E402
from triage_app.review.proposals import rules as rules_mod  # noqa: E402
from triage_app.review.proposals.engine import propose  # noqa: E402
from triage_app.review.proposals.facts import CaseFacts, Nominal  # noqa: E402

CORPUS = ROOT / "tests" / "review" / "corpus"


def facts_of(case: dict) -> CaseFacts:
    return CaseFacts(
        ref=case["id"], summary=case["summary"], nfa_rationale=case["nfa_rationale"],
        exhibits_retained=case["exhibits_retained"], offence_date=case["offence_date"] or None,
        nfa_date=case["nfa_date"],
        victims=[Nominal(case.get("victim_forenames"), None, None, case["victim_age"])],
        suspects=[Nominal(s["forenames"], s["surname"], s["dob"] or None) for s in case["suspects"]])


def load(split: str) -> list[dict]:
    with open(CORPUS / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def score(cases: list[dict], rules) -> dict:
    per = defaultdict(Counter)
    worst, errors = [], []
    for case in cases:
        got = {p.item: p for p in propose(facts_of(case), rules).proposals}
        truth = case["truth"]
        for item in set(got) | {k for k, v in truth.items() if v}:
            t, p = truth.get(item), got.get(item)
            c = per[item]
            if t:
                c["with_evidence"] += 1
            if p is None:
                continue
            c["proposed"] += 1
            if p.answer == t:
                c["right"] += 1
                if t:
                    c["covered"] += 1
                continue
            if t:
                c["covered"] += 1
            e = p.evidence[0]
            row = {"case": case["id"], "item": item, "truth": t, "proposed": p.answer, "rule": p.rule,
                   "words": e.text[e.highlight[0]:e.highlight[1]], "sentence": e.text}
            errors.append(row)
            if p.answer == "no" and t == "yes":
                worst.append(row)
    return {"per": per, "worst": worst, "errors": errors}


def table(name: str, res: dict) -> list[str]:
    lines = [f"\n{name}: per item (precision = right / proposed; coverage = proposed / items with evidence)",
             f"  {'item':<22} {'proposed':>8} {'right':>6} {'precision':>9} {'evidence':>8} {'coverage':>8}"]
    total = Counter()
    for it in checklists.current().items:
        c = res["per"].get(it.id, Counter())
        total.update(c)
        prec = f"{c['right'] / c['proposed']:.3f}" if c["proposed"] else "—"
        cov = f"{c['covered'] / c['with_evidence']:.3f}" if c["with_evidence"] else "—"
        lines.append(f"  {it.id:<22} {c['proposed']:>8} {c['right']:>6} {prec:>9} {c['with_evidence']:>8} {cov:>8}")
    prec = total["right"] / total["proposed"] if total["proposed"] else 0
    cov = total["covered"] / total["with_evidence"] if total["with_evidence"] else 0
    lines.append(f"  {'all items':<22} {total['proposed']:>8} {total['right']:>6} {prec:>9.3f} "
                 f"{total['with_evidence']:>8} {cov:>8.3f}")
    lines.append(f"  worst errors (a 'no' where the text says it was done): {len(res['worst'])}")
    for w in res["worst"]:
        lines.append(f"    {w['case']} {w['item']} ({w['rule']}): “{w['sentence']}” — decided by “{w['words']}”")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("tune", "heldout", "both"), default="both", help="which part of the corpus")
    ap.add_argument("--errors", action="store_true", help="list every wrong proposal, not only the worst")
    args = ap.parse_args()
    cl = checklists.current()
    rules = rules_mod.for_checklist(cl.id, cl.version)
    splits = ("tune", "heldout") if args.split == "both" else (args.split,)
    print(f"Rules {rules.label} for checklist {cl.id} v{cl.version}")
    for split in splits:
        cases = load(split)
        t0 = time.perf_counter()
        n = sum(len(rules.context.sentences(c["summary"] + " " + c["nfa_rationale"])) for c in cases)
        base = time.perf_counter() - t0
        t0 = time.perf_counter()
        res = score(cases, rules)
        spent = time.perf_counter() - t0
        print("\n".join(table(f"{split} ({len(cases)} cases, {n} sentences)", res)))
        print(f"  speed: proposing took {spent / base:.0f}x the time of splitting the same text into sentences "
              f"({spent / len(cases) * 1000:.1f} ms a case here, under shared load)")
        if args.errors:
            for e in res["errors"]:
                print(f"    ✗ {e['case']} {e['item']}: truth {e['truth']}, proposed {e['proposed']} ({e['rule']}) "
                      f"“{e['sentence']}” ← “{e['words']}”")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
