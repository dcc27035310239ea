"""Linking and triage at scale: 100,000 cases / ~250,000 nominals (synthetic), timed as ratios.

The baseline is reading every nominal row from the same vault in the same run, so the numbers
say how many "reads of the nominals" a full relink costs, whatever the machine. Target: ≤ 10×.
Growth: the same at 10,000 cases, and the ratio of the two times (near-linear ≈ 10×).

    .venv/bin/python bench/linking.py            # 10k and 100k
    .venv/bin/python bench/linking.py 2000 20000 # other sizes
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from triage_app import importing, linking, triage
from triage_app.demo.synthetic import generate
from triage_app.session import create_vault
from triage_app.vault.keyslots import CHEAP_KDF


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def in_tx(conn, fn):
    conn.execute("BEGIN IMMEDIATE")
    try:
        return fn()
    finally:
        conn.execute("ROLLBACK")


def run(n_cases: int, folder: Path) -> dict:
    data = generate(n_cases, seed=5)
    cases_csv, nominals_csv = data.write_csv(folder)
    s = create_vault(folder / "vault.db", "sam", "bench passphrase green oak", kdf=CHEAP_KDF)
    s.conn.execute("UPDATE users SET role = 'supervisor' WHERE name = 'sam'")
    t_import, _ = timed(lambda: importing.run(s, cases_csv, nominals_csv))
    conn = s.conn
    nominals = conn.execute("SELECT count(*) FROM nominals").fetchone()[0]
    # Warm the page cache the same way for every measurement, then take the best of three.
    conn.execute("SELECT * FROM nominals").fetchall()
    t_read = min(timed(lambda: conn.execute("SELECT * FROM nominals").fetchall())[0] for _ in range(3))
    t_relink, _ = timed(lambda: in_tx(conn, lambda: linking.relink(conn)))

    def first_link():
        conn.execute("DELETE FROM links")
        return timed(lambda: linking.relink(conn))[0]
    t_first = in_tx(conn, first_link)
    t_rescore, _ = timed(lambda: in_tx(conn, lambda: triage.rescore(conn)))
    later = date.today() + timedelta(days=800)  # two years on: most cases' time factor changes
    t_rescore_all, changed = timed(lambda: in_tx(conn, lambda: triage.rescore(conn, today=later)))
    some = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY random() LIMIT 100")]
    t_incr, _ = timed(lambda: in_tx(conn, lambda: linking.relink(conn, some)))
    links = conn.execute("SELECT count(*), sum(strength = 'strong') FROM links").fetchone()
    s.close()
    return {"cases": n_cases, "nominals": nominals, "links": links[0], "strong": links[1], "import": t_import,
            "read": t_read, "relink": t_relink, "first": t_first, "rescore": t_rescore, "rescore_all": t_rescore_all,
            "rescored": changed, "relink_100": t_incr}


def main(sizes: list[int]) -> None:
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as d:
            r = run(n, Path(d))
        results.append(r)
        print(f"{r['cases']:>7} cases {r['nominals']:>7} nominals {r['links']:>6} links ({r['strong']} strong): "
              f"read nominals {r['read']:.2f}s; full relink (nothing new) {r['relink']:.2f}s = {r['relink'] / r['read']:.1f}x read; "
              f"first full link (writes every link) {r['first']:.2f}s = {r['first'] / r['read']:.1f}x; "
              f"rescore all (unchanged) {r['rescore']:.2f}s = {r['rescore'] / r['read']:.1f}x; "
              f"rescore rewriting {r['rescored']} {r['rescore_all']:.2f}s = {r['rescore_all'] / r['read']:.1f}x; "
              f"relink 100 cases {r['relink_100']:.2f}s = {r['relink_100'] / r['read']:.1f}x read; "
              f"(whole import incl. relink+rescore {r['import']:.1f}s)", flush=True)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"growth {a['cases']} -> {b['cases']} cases ({b['cases'] / a['cases']:.0f}x): relink "
              f"{b['relink'] / a['relink']:.1f}x, first link {b['first'] / a['first']:.1f}x, rescore {b['rescore'] / a['rescore']:.1f}x, "
              f"read {b['read'] / a['read']:.1f}x")


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [10_000, 100_000])
