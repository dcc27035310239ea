"""Backup and verify at scale, as ratios to copying the vault's files in the same run.

Seeds N synthetic cases (3 nominals each, Faker en_GB) straight into a fresh vault, then times
  baseline  a plain byte copy of PATH + PATH-wal + PATH.keys (what a file-level backup would cost)
  backup    `make_backup` (online backup API snapshot, manifest, zip, audit entry)
  verify    `verify_backup` (unzip, integrity_check, cipher_integrity_check, audit verify)
and prints each as a multiple of the baseline, with the sizes.

    .venv/bin/python bench/ops_backup.py [N_CASES]     (default 20000)
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from triage_app.ops.backup import make_backup, verify_backup  # noqa: E402
from triage_app.session import create_vault# noqa: E402
from triage_app.vault.keyslots import CHEAP_KDF  # noqa: E402

PASS = "bench passphrase one two three"


def main(n: int) -> None:
    from tests.ops.conftest import add_cases
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        s = create_vault(d / "v.db", "ada", PASS, kdf=CHEAP_KDF)
        for start in range(0, n, 5000):
            add_cases(s, min(5000, n - start), seed=start, prefix=f"CR/{start}/")
        t0 = time.perf_counter()
        for suffix in ("", "-wal", ".keys"):
            src = Path(str(d / "v.db") + suffix)
            if src.exists():
                shutil.copyfile(src, d / ("copy" + suffix))
        baseline = time.perf_counter() - t0
        t0 = time.perf_counter()
        info = make_backup(s, d / "v.backup")
        backup = time.perf_counter() - t0
        s.close()
        t0 = time.perf_counter()
        report = verify_backup(d / "v.backup", "ada", PASS)
        verify = time.perf_counter() - t0
        assert report["ok"], report["problems"]
        vault_mb = sum(p.stat().st_size for p in d.glob("v.db*")) / 1e6
        print(f"{n} cases: vault {vault_mb:.1f} MB, backup file {info['bytes'] / 1e6:.1f} MB")
        print(f"baseline (file copy) {baseline:.3f}s")
        print(f"backup  {backup:.3f}s = {backup / baseline:.1f}x baseline")
        print(f"verify  {verify:.3f}s = {verify / baseline:.1f}x baseline")


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
