"""Unlock time with the Argon2id parameters the command line would choose on this machine.

Prints the chosen parameters, the median unlock time (key slot + SQLCipher open + migrations check +
the audited unlock), and its ratio to a bare SQLCipher open with the raw key in the same run (the
part of unlocking that is not the deliberate passphrase cost).

    .venv/bin/python bench/unlock.py
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

from triage_app.session import create_vault, open_vault
from triage_app.vault import connection
from triage_app.vault.keyslots import KeyFile, benchmark_kdf

PASS = "benchmark passphrase with several words"


def main(runs: int = 5) -> None:
    t0 = time.perf_counter()
    kdf = benchmark_kdf()
    chosen_in = time.perf_counter() - t0
    print(f"Argon2id chosen: iterations={kdf.iterations} lanes={kdf.lanes} memory={kdf.memory_kib // 1024} MiB "
          f"(benchmark took {chosen_in:.2f} s)")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.db"
        create_vault(path, "admin1", PASS, kdf=kdf).close()
        unlocks, bare = [], []
        key = bytes(KeyFile.load(path).unlock("admin1", PASS))
        for _ in range(runs):
            t = time.perf_counter()
            open_vault(path, "admin1", PASS).close()
            unlocks.append(time.perf_counter() - t)
            t = time.perf_counter()
            c = connection.connect(path, key)
            c.close()
            bare.append(time.perf_counter() - t)
    u, b = statistics.median(unlocks), statistics.median(bare)
    print(f"unlock: median {u:.3f} s over {runs} runs (target about 0.5 s)")
    print(f"bare SQLCipher open with the raw key: median {b * 1000:.1f} ms; unlock / bare = {u / b:.0f}x")


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    main()
