"""Triage queue benchmark, offscreen: 100,000 synthetic cases.

Measures, in one run and on one connection:
  baseline   a bare `SELECT count(*) FROM cases` (the cheapest whole-table question SQLCipher answers)
  shown      from the unlock handing over its Session to the queue painted with its first rows
  keystroke  each filter change as a reviewer makes it: every letter of a few searches (words and a
             crime ref) and each status / eligibility / priority choice; the model re-queried and
             the table repainted
Prints milliseconds and each as a ratio to the baseline. Targets: shown ≤ 300 ms, keystroke ≤ 50 ms.

    .venv/bin/python bench/gui_queue.py [N_CASES]      (default 100000)

Cases are written straight into `cases` (text from the synthetic generator, queue columns drawn at
random): this measures the queue, not the import (bench/import.py does that).
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASS = "bench passphrase one two three"


def make_vault(path: Path, n: int):
    from triage_app.demo.synthetic import generate
    from triage_app.vault import create_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    session = create_vault(path, "bench", PASS, kdf=CHEAP_KDF)
    data = generate(n, seed=1)
    rnd = random.Random(1)
    statuses = ["not_started"] * 8 + ["in_review", "submitted", "returned", "approved"]
    rows = []
    for i, c in enumerate(data.cases):
        rows.append((c["crime_ref"], c.get("offence_code") or None, c.get("offence_description") or None,
                     c["nfa_date"] if "-" in c["nfa_date"] else "2012-01-01", c.get("outcome_code") or None,
                     c.get("summary"), c.get("nfa_rationale"), "2026-01-01", "2026-01-01", rnd.randint(0, 140),
                     rnd.choice(statuses), rnd.choice([None] * 9 + ["bench"]), rnd.choice([1, 0, None]),
                     rnd.choice([1, 0, None]), rnd.randint(10, 17)))
    session.conn.execute("PRAGMA cache_size = -262144")   # one big transaction: don't spill to the WAL
    with session.change("import", "bench.seed", kind="collection"):
        session.conn.executemany(
            "INSERT OR IGNORE INTO cases(ref, offence_code, offence_description, nfa_date, outcome_code, summary,"
            " nfa_rationale, imported_at, updated_at, priority, status, assigned_to, beaconport, csarp, victim_age)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    session.close()


def ms(f) -> float:
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    from PySide6.QtCore import QSettings
    from triage_app.gui import settings as S
    from triage_app.gui.app import make_window, application
    from triage_app.vault import open_vault

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "vault.db"
        t = time.perf_counter()
        make_vault(path, n)
        print(f"made a vault of {n:,} cases in {time.perf_counter() - t:.1f} s")
        app = application()
        settings = S.Settings(QSettings(str(Path(d) / "s.ini"), QSettings.Format.IniFormat))
        window = make_window(path, settings=settings)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        session = open_vault(path, "bench", PASS)
        conn = session.conn
        conn.execute("SELECT count(*) FROM cases").fetchone()   # warm the page cache for both sides
        bare = statistics.median(ms(lambda: conn.execute("SELECT count(*) FROM cases").fetchone())
                                 for _ in range(7))
        # A count that must look at a column: one pass over the table, the honest floor for a filter.
        baseline = statistics.median(ms(lambda: conn.execute(
            "SELECT count(*) FROM cases WHERE victim_age >= 0").fetchone()) for _ in range(5))

        def show():
            window.holder.adopt(session)
            window.queue.table.viewport().repaint()
            app.processEvents()
        shown = ms(show)
        assert window.queue.model.total == n, window.queue.model.total

        view = window.queue
        times: list[tuple[str, float]] = []

        def key(label, change):
            def step():
                change()
                view.apply_filter()
                view.table.viewport().repaint()
                app.processEvents()
            times.append((label, ms(step)))

        counts: list[tuple[str, float]] = []
        for word in ("taxi", "flat", "consent", "CR/2015/0"):
            for i in range(1, len(word) + 1):
                key(f"type {word[:i]!r}", lambda s=word[:i]: view.search.setText(s))
            counts.append((word, ms(view.model.count_now)))
            key("clear", lambda: view.search.setText(""))
        for combo in (view.status, view.eligibility, view.band):
            for i in list(range(1, combo.count())) + [0]:
                key(f"{combo.objectName()} → {combo.itemText(i)}", lambda c=combo, i=i: c.setCurrentIndex(i))
        key("assigned to me", lambda: view.mine.setChecked(True))
        key("all again", lambda: view.mine.setChecked(False))
        for col in (1, 4, 0):
            key(f"sort by column {col}", lambda c=col: view.table.sortByColumn(c, view.table.horizontalHeader().sortIndicatorOrder()))

        values = [t for _l, t in times]
        worst = max(times, key=lambda x: x[1])
        window.holder.lock()
        print(f"bare      SELECT count(*) over {n:,} cases: {bare:.2f} ms (answered from the smallest index)")
        print(f"baseline  SELECT count(*) ... WHERE victim_age >= 0 (one pass over the table): {baseline:.1f} ms")
        print(f"shown     queue painted after unlock:   {shown:.1f} ms  ({shown / baseline:.1f}× baseline; target ≤ 300 ms)")
        print(f"keystroke median over {len(values)} changes:   {statistics.median(values):.1f} ms  "
              f"({statistics.median(values) / baseline:.1f}× baseline; target ≤ 50 ms)")
        print(f"keystroke worst ({worst[0]}):  {worst[1]:.1f} ms  ({worst[1] / baseline:.1f}× baseline)")
        for word, t in counts:
            print(f"count     exact count after typing {word!r} pauses: {t:.1f} ms ({t / baseline:.1f}× baseline)")
        slow = [(l, t) for l, t in times if t > 50]
        for label, t in slow:
            print(f"  over 50 ms: {label}: {t:.1f} ms")


if __name__ == "__main__":
    main()
