"""Linking and triage at scale: 100,000 cases / ~250,000 nominals (synthetic), timed as ratios.

The baseline is reading every nominal row from the same vault in the same run, so the numbers
say how many "reads of the nominals" a full relink costs, whatever the machine. Target: ≤ 10×.
Growth: the same at 10,000 cases, and the ratio of the two times (near-linear ≈ 10×).

    .venv/bin/python bench/linking.py            # 10k and 100k
    .venv/bin/python bench/linking.py 2000 20000 # other sizes
    .venv/bin/python bench/linking.py --against 2f6af3b 10000   # and the linker of that commit, same run

With --against REF the same measurements are made first with the code of git commit REF (extracted
to a temporary folder and run by this same script in a child process), then with this tree's code,
and the ratios this/REF are printed: of CPU seconds (what the linker itself costs; a busy shared
machine inflates wall-clock seconds, not CPU seconds) and of wall seconds. 2f6af3b is main before the
second-generation linker (issue 14): the previous linker's figures.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from triage_app import importing, linking, triage
from triage_app.demo.synthetic import generate
from triage_app.session import create_vault
from triage_app.vault.keyslots import CHEAP_KDF


CPU: dict[str, float] = {}   # phase -> CPU seconds of the last timed call of it


def timed(fn, phase: str | None = None):
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    if phase:
        CPU[phase] = time.process_time() - c
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
    t_import, _ = timed(lambda: importing.run(s, cases_csv, nominals_csv), "import")
    conn = s.conn
    nominals = conn.execute("SELECT count(*) FROM nominals").fetchone()[0]
    # Warm the page cache the same way for every measurement, then take the best of three.
    conn.execute("SELECT * FROM nominals").fetchall()
    t_read = min(timed(lambda: conn.execute("SELECT * FROM nominals").fetchall())[0] for _ in range(3))
    timed(lambda: conn.execute("SELECT * FROM nominals").fetchall(), "read")
    t_relink, _ = timed(lambda: in_tx(conn, lambda: linking.relink(conn)), "relink")

    def first_link():
        conn.execute("DELETE FROM links")
        return timed(lambda: linking.relink(conn), "first")[0]
    t_first = in_tx(conn, first_link)
    t_rescore, _ = timed(lambda: in_tx(conn, lambda: triage.rescore(conn)))
    later = date.today() + timedelta(days=800)  # two years on: most cases' time factor changes
    t_rescore_all, changed = timed(lambda: in_tx(conn, lambda: triage.rescore(conn, today=later)))
    some = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY random() LIMIT 100")]
    t_incr, _ = timed(lambda: in_tx(conn, lambda: linking.relink(conn, some)), "relink_100")
    links = conn.execute("SELECT count(*), sum(strength = 'strong') FROM links").fetchone()
    s.close()
    return {"cases": n_cases, "nominals": nominals, "links": links[0], "strong": links[1], "import": t_import,
            "read": t_read, "relink": t_relink, "first": t_first, "rescore": t_rescore, "rescore_all": t_rescore_all,
            "rescored": changed, "relink_100": t_incr, "cpu": dict(CPU)}


PHASES = (("relink", "full relink (nothing new)"), ("first", "first full link"), ("relink_100", "relink of 100 cases"),
          ("import", "whole import incl. relink+rescore"))


def against(ref: str, n: int) -> dict:
    """The same measurements with the code of commit `ref`, in a child process."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as d:
        tree = Path(d) / "tree"
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(root), "archive", ref], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        env = dict(os.environ, PYTHONPATH=str(tree))
        out = subprocess.run([sys.executable, __file__, "--json", str(n)], env=env, check=True, capture_output=True,
                             text=True, cwd=d).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare(ref: str, old: dict, new: dict) -> None:
    print(f"{new['cases']} cases, this tree / {ref} (previous linker), same run (ratio < 1: faster):")
    for key, words in PHASES:
        co, cn = old["cpu"].get(key), new["cpu"].get(key)
        wo, wn = old[key], new[key]
        cpu = f"CPU {cn:.2f}s / {co:.2f}s = {cn / co:.2f}x" if co and cn else "CPU n/a"
        print(f"  {words}: {cpu}; wall {wn:.2f}s / {wo:.2f}s = {wn / wo:.2f}x")
    print(f"  links {new['links']} ({new['strong']} strong) / {old['links']} ({old['strong']} strong)")


def report(r: dict) -> None:
    print(f"{r['cases']:>7} cases {r['nominals']:>7} nominals {r['links']:>6} links ({r['strong']} strong): "
          f"read nominals {r['read']:.2f}s; full relink (nothing new) {r['relink']:.2f}s = {r['relink'] / r['read']:.1f}x read; "
          f"first full link (writes every link) {r['first']:.2f}s = {r['first'] / r['read']:.1f}x; "
          f"rescore all (unchanged) {r['rescore']:.2f}s = {r['rescore'] / r['read']:.1f}x; "
          f"rescore rewriting {r['rescored']} {r['rescore_all']:.2f}s = {r['rescore_all'] / r['read']:.1f}x; "
          f"relink 100 cases {r['relink_100']:.2f}s = {r['relink_100'] / r['read']:.1f}x read; "
          f"(whole import incl. relink+rescore {r['import']:.1f}s); "
          f"CPU s: {', '.join(f'{k} {v:.2f}' for k, v in r['cpu'].items())}", flush=True)


def main(sizes: list[int], ref: str | None = None, as_json: bool = False) -> None:
    results = []
    for n in sizes:
        old = against(ref, n) if ref else None
        if old:
            print(f"{ref}:", end=" ")
            report(old)
        with tempfile.TemporaryDirectory() as d:
            r = run(n, Path(d))
        if as_json:
            print(json.dumps(r), flush=True)
            continue
        results.append(r)
        if old:
            print("this tree:", end=" ")
        report(r)
        if old:
            compare(ref, old, r)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"growth {a['cases']} -> {b['cases']} cases ({b['cases'] / a['cases']:.0f}x): relink "
              f"{b['relink'] / a['relink']:.1f}x, first link {b['first'] / a['first']:.1f}x, rescore {b['rescore'] / a['rescore']:.1f}x, "
              f"read {b['read'] / a['read']:.1f}x")


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    args = sys.argv[1:]
    ref = args[args.index("--against") + 1] if "--against" in args else None
    if ref:
        args.remove("--against")
        args.remove(ref)
    as_json = "--json" in args
    if as_json:
        args.remove("--json")
    main([int(x) for x in args] or [10_000, 100_000], ref, as_json)
