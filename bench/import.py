"""Import benchmark: 100,000 cases + ~250,000 nominals (synthetic), against a baseline in the same run.

Baseline: decode and parse the same two CSVs with the csv module and executemany every row into
a SQLCipher file opened the way the vault opens its database (same connection settings), one
transaction; run just before and just after the import, and the ratios use the mean of the two
(a baseline of a few seconds moves most with a shared machine's drift). The import: `importing.run`
into a fresh vault (validation, normalisation, FTS, identifiers, audit). Each part runs in its own process so its peak memory (ru_maxrss) is its own.

    .venv/bin/python bench/import.py [N_CASES]     (default 100000)

Prints the import's time and each phase's (check, load, link, score; wall and CPU seconds), the
import as a ratio to the baseline (issue 20: whole import ≤ 30 s and ≤ 25× the baseline at 100,000
cases), its peak memory (≤ 1 GB), and the re-import of the same files as a ratio to the first
import's check phase (≤ 3×). On a shared machine the seconds move with the load; the ratios
much less (both sides run in the same minute, one after the other).
"""
from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASS = "bench passphrase one two three"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_cpu() -> float:
    """CPU seconds of the child processes ended and waited for so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _resident_mb() -> float | None:
    """The process's resident memory now (Linux), or None."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def make(folder: str, n: int) -> None:
    from triage_app.demo.synthetic import generate
    t = time.perf_counter()
    data = generate(n, seed=1)
    data.write_csv(folder)
    print(json.dumps({"cases": len(data.cases), "nominals": len(data.nominals), "seconds": time.perf_counter() - t}))


def baseline(folder: str) -> None:
    from triage_app.importing.reader import read_table  # raises the csv field limit, as the import does
    from triage_app.vault import connection
    del read_table
    for leftover in Path(folder).glob("baseline.db*"):    # an earlier run's file
        leftover.unlink()
    t, cpu = time.perf_counter(), time.process_time()
    conn = connection.connect(Path(folder) / "baseline.db", bytearray(b"\x07" * 32), create=True)
    conn.execute("BEGIN IMMEDIATE")
    for name in ("cases.csv", "nominals.csv"):
        text = (Path(folder) / name).read_bytes().decode("utf-8")
        rows = csv.reader(io.StringIO(text, newline=""))
        header = next(rows)
        table = name[:-4]
        conn.execute(f"CREATE TABLE {table} ({', '.join(f'c{i}' for i in range(len(header)))})")
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(header))})", rows)
    conn.execute("COMMIT")
    conn.close()
    print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu, "peak_mb": _peak_mb()}))


def run_import(folder: str) -> None:
    from triage_app import importing
    from triage_app.session import create_vault, open_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    path = Path(folder) / "vault.db"
    create_vault(path, "ada", PASS, kdf=CHEAP_KDF).close()
    session = open_vault(path, "ada", PASS)
    peaks = {}     # the process's peak memory so far as each phase ends (ru_maxrss never goes down)

    def ended(step):
        if step.ended:
            peaks[step.phase] = round(_peak_mb())
    before = round(_peak_mb())
    t, cpu, helped = time.perf_counter(), time.process_time(), _children_cpu()
    result = importing.run(session, Path(folder) / "cases.csv", Path(folder) / "nominals.csv", steps=ended)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    # a large import checks its files in a child process (importing/apart.py): its CPU counts too
    helper_cpu = _children_cpu() - helped
    held = _resident_mb()
    # the WAL's pages copied into the vault file in the background (vault/checkpoint.py), waited for
    # here so that the re-import below is timed on its own
    t = time.perf_counter()
    session.wait_checkpoint()
    caught_up = time.perf_counter() - t
    t = time.perf_counter()
    again = importing.run(session, Path(folder) / "cases.csv", Path(folder) / "nominals.csv")
    reimport = time.perf_counter() - t
    session.close()
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu + helper_cpu, "helper_cpu_seconds": helper_cpu, "peak_mb": _peak_mb(), "peak_before_mb": before, "held_after_mb": held, "checkpoint_after_seconds": caught_up,
                      "phase_peaks_mb": peaks, "cases_added": result["cases_added"],
                      "nominals_added": result["nominals_added"], "reimport_seconds": reimport,
                      "reimport_added": again["cases_added"] + again["nominals_added"],
                      "phases": result["timings"], "cpu": result.get("cpu", {}),
                      "reimport_phases": again["timings"]}))


def _child(step: str, *args) -> dict:
    out = subprocess.run([sys.executable, __file__, f"--{step}", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    n = int(numbers[0]) if numbers else 100_000
    with tempfile.TemporaryDirectory() as folder:
        made = _child("make", folder, str(n))
        print(f"synthetic export: {made['cases']} cases, {made['nominals']} nominals "
              f"(generated in {made['seconds']:.1f} s)")
        before = _child("baseline", folder)
        imp = _child("import", folder)
        after = _child("baseline", folder)
    # The baseline is a few seconds, so a shared machine's drift moves it most: it runs just before and
    # just after the import, and the import is set against the mean of the two.
    base = {k: (before[k] + after[k]) / 2 for k in ("seconds", "cpu", "peak_mb")}
    ratio = imp["seconds"] / base["seconds"]
    print(f"baseline (parse + executemany into SQLCipher), mean of the runs before and after the import: "
          f"{base['seconds']:.1f} s ({base['cpu']:.1f} CPU s; before {before['seconds']:.1f} s, "
          f"after {after['seconds']:.1f} s), peak {base['peak_mb']:.0f} MB")
    print(f"import: {imp['seconds']:.1f} s ({imp['cpu_seconds']:.1f} CPU s), peak {imp['peak_mb']:.0f} MB "
          f"({imp['cases_added']} cases, {imp['nominals_added']} nominals added)")
    if imp["helper_cpu_seconds"]:
        print(f"  of which the check's child process: {imp['helper_cpu_seconds']:.1f} CPU s")
    phases = imp["phases"]
    print("import phases, wall s (CPU s): " + ", ".join(f"{k} {v:.1f} ({imp['cpu'].get(k, 0):.1f})"
                                                      for k, v in phases.items())
          + f"; commit and the rest {imp['seconds'] - sum(phases.values()):.1f}")
    print("peak memory as each phase ended, MB: " + ", ".join(
        [f"open vault {imp['peak_before_mb']}"] + [f"{k} {v}" for k, v in imp["phase_peaks_mb"].items()]))
    if imp.get("held_after_mb") is not None:
        print(f"memory still held once the import had ended (the desktop carries on with it): "
              f"{imp['held_after_mb']:.0f} MB")
    print(f"the vault file brought up to date in the background (checkpoint) "
          f"{imp['checkpoint_after_seconds']:.1f} s after the import returned")
    check = imp["phases"].get("check") or 1e-9
    print(f"re-import of the same files: {imp['reimport_seconds']:.1f} s, {imp['reimport_added']} rows added, "
          f"{imp['reimport_seconds'] / check:.2f}x the first import's check (target <= 3x)")
    print(f"ratio import/baseline: {ratio:.1f}x wall, {imp['cpu_seconds'] / max(base['cpu'], 1e-9):.1f}x CPU "
          f"(target <= 25x); whole import {imp['seconds']:.1f} s (target <= 30 s); "
          f"peak memory {imp['peak_mb']:.0f} MB (target <= 1024 MB)")


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    if len(sys.argv) > 1 and sys.argv[1].startswith("--"):
        step = sys.argv[1][2:]
        {"make": lambda: make(sys.argv[2], int(sys.argv[3])), "baseline": lambda: baseline(sys.argv[2]),
         "import": lambda: run_import(sys.argv[2])}[step]()
    else:
        main()
