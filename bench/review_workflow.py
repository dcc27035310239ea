"""The review workflow's cost, as ratios to a bare audited change measured in the same run.

Seeds N synthetic cases (refs only) in a fresh vault, then times
  baseline  `session.record` (one BEGIN IMMEDIATE, one audit entry, one COMMIT: the floor of any change)
  answer    `answer_item` (state and author checks, checklist lookup, upsert, audit entry)
  cycle     a whole review: start, every mandatory answer, recommend, submit, a supervisor's approve
            (with the triage rescore), against the same number of baseline changes
  summary   `review_summary` of an approved review, against reading the case row
  inbox     `inbox` with R submitted reviews waiting, against the same case-row read

    .venv/bin/python bench/review_workflow.py [N_CASES] [REVIEWS]     (default 5000 200)
"""
from __future__ import annotations

import sys
import tempfile
import time
from statistics import median
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from triage_app import users  # noqa: E402
from triage_app.audit import utc_now  # noqa: E402
from triage_app.review import checklist, workflow as w  # noqa: E402
from triage_app.session import create_vault, open_vault# noqa: E402
from triage_app.vault.keyslots import CHEAP_KDF  # noqa: E402

PASS = "bench passphrase one two three"


def timed(fn, repeat: int) -> float:
    t0 = time.perf_counter()
    for i in range(repeat):
        fn(i)
    return (time.perf_counter() - t0) / repeat


def main(n: int, reviews: int) -> None:
    mandatory = checklist.current().mandatory_ids
    # an item whose "yes" needs a contact record is answered "no": the bench records no contact
    plain_yes = [i for i in mandatory if not checklist.current().item(i).yes_needs]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "v.db"
        admin = create_vault(path, "ada", PASS, kdf=CHEAP_KDF)
        for name, role in (("rita", "reviewer"), ("sam", "supervisor"), ("sue", "supervisor")):
            users.add_user(admin, name, role, PASS)
        now = utc_now()
        with admin.change("import", "bench.seed", kind="collection", detail={"cases": n}):
            admin.conn.executemany("INSERT INTO cases(ref, nfa_date, imported_at, updated_at) VALUES (?,?,?,?)",
                                   [(f"CR/2014/{i:06d}", "2014-01-01", now, now) for i in range(n)])
        admin.close()
        rita, sam = open_vault(path, "rita", PASS), open_vault(path, "sam", PASS)
        refs = [f"CR/2014/{i:06d}" for i in range(n)]

        def noop(i):
            rita.record("read", "bench.noop", case=refs[0])
        timed(noop, 100)                    # warm-up: the WAL grows to its working size first
        w.start_review(rita, refs[0])

        def answer_one(i):
            w.answer_item(rita, refs[0], plain_yes[i % len(plain_yes)], "yes")

        def cycle(i):
            ref = refs[1 + i]
            w.start_review(rita, ref)
            for item in mandatory:
                w.answer_item(rita, ref, item, "no")
            w.recommend(rita, ref, "reopen", "Bench rationale.")
            w.submit(rita, ref)
            w.decide(sam, ref, "approve")
        steps = len(mandatory) + 4

        # Every change waits on fsync, whose time drifts with the disk's other work: so each round
        # times the baseline right beside what it is compared with, and the median ratio is kept.
        answer_ratio, cycle_ratio, base_ms = [], [], []
        for r in range(20):
            base = timed(noop, steps)
            base_ms.append(base * 1e3)
            answer_ratio.append(timed(answer_one, 10) / base)
            cycle_ratio.append(timed(lambda i: cycle(r), 1) / (steps * base))
        baseline = median(base_ms)
        case_id = rita.one("SELECT id FROM cases WHERE ref = ?", (refs[1],))[0]
        read = timed(lambda i: rita.one("SELECT * FROM cases WHERE id = ?", (case_id,)), 500)
        summary = timed(lambda i: w.review_summary(rita.conn, case_id), 500)

        for i in range(reviews):   # R reviews waiting for a decision
            ref = refs[100 + i]
            w.start_review(rita, ref)
            for item in mandatory:
                w.answer_item(rita, ref, item, "yes" if item in plain_yes else "no")
            w.recommend(rita, ref, "confirm-nfa", "Bench rationale.")
            w.submit(rita, ref)
        inbox = timed(lambda i: w.inbox(sam.conn, "sam"), 50)
        assert len(w.inbox(sam.conn, "sam")) == reviews

        print(f"{n} cases, {reviews} waiting; checklist {len(mandatory)} mandatory items")
        print(f"baseline (bare audited change) median {baseline:.2f} ms over 20 rounds")
        print(f"answer   {median(answer_ratio):.2f}x baseline (median of per-round ratios)")
        print(f"cycle    {median(cycle_ratio):.2f}x {steps} baseline changes (median of per-round ratios)")
        print(f"read case row {read * 1e6:.0f} us")
        print(f"summary  {summary * 1e6:.0f} us = {summary / read:.1f}x the case-row read")
        print(f"inbox    {inbox * 1e3:.2f} ms = {inbox / read:.0f}x the case-row read")
        rita.close()
        sam.close()


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    args = [int(a) for a in sys.argv[1:3]]
    main(*(args + [5000, 200][len(args):]))
