"""Evidence for the memory-security decision (docs/SECURITY.md §1, "Memory, swap and core dumps").

SQLCipher's `cipher_memory_security` wipes and mlocks every allocation SQLite makes. Two
questions, each answered in its own process with the setting ON and OFF:

1. What it costs: N case rows (summary and rationale of a few hundred characters, FTS on) written
   in one transaction, as the import writes them, and the same rows read back and searched.
2. What it protects: a process opens the vault, reads one case whose summary holds a marker, and
   locks (Session.close). Then it scans its own memory (/proc/self/mem) for the marker. If memory
   security kept case text out of memory, the count would be 0 with ON.

    .venv/bin/python bench/memory.py [N]       (default 8000)

Prints seconds ON / OFF as a ratio, and the marker copies found after lock in each mode.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASS = "bench passphrase one two three"
MARKER = "QZXMEMORYMARKER"


def _mode(setting: str) -> None:
    """Open connections as the vault does, then set cipher_memory_security as asked."""
    from triage_app.vault import connection
    original = connection.connect

    def connect(*args, **kwargs):
        conn = original(*args, **kwargs)
        conn.execute(f"PRAGMA cipher_memory_security = {setting}")
        return conn
    connection.connect = connect


def _scan(needle: bytes) -> int:
    found = 0
    with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", buffering=0) as mem:
        for line in maps:
            addr, perms = line.split()[:2]
            if "r" not in perms or "[vvar]" in line or "[vsyscall]" in line:
                continue
            lo, hi = (int(x, 16) for x in addr.split("-"))
            try:
                mem.seek(lo)
                found += mem.read(hi - lo).count(needle)
            except (OSError, OverflowError, ValueError):
                continue
    return found


def child(folder: str, setting: str, n: int) -> None:
    _mode(setting)
    import gc
    from faker import Faker
    from triage_app.session import create_vault, open_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    fake = Faker("en_GB")
    Faker.seed(1)
    text = [fake.paragraph(nb_sentences=8) for _ in range(200)]
    path = Path(folder) / f"vault-{setting}.db"
    create_vault(path, "ada", PASS, kdf=CHEAP_KDF).close()
    s = open_vault(path, "ada", PASS)
    shown = str(s.conn.execute("PRAGMA cipher_memory_security").fetchone()[0])
    t = time.perf_counter()
    with s.change("import", "bench.insert", kind="collection"):
        for i in range(n):
            s.conn.execute("INSERT INTO cases(ref, nfa_date, summary, nfa_rationale, imported_at, updated_at) "
                           "VALUES (?, '2014-03-04', ?, ?, 'now', 'now')",
                           (f"CR/2014/{i:06d}", text[i % 200], text[(i * 7) % 200]))
        s.conn.execute("UPDATE cases SET summary = summary || ? WHERE id = 1", (" " + MARKER + "-" + "x" * 40,))
    write = time.perf_counter() - t
    t = time.perf_counter()
    rows = s.conn.execute("SELECT ref, summary, nfa_rationale FROM cases ORDER BY summary").fetchall()
    hits = s.conn.execute("SELECT count(*) FROM case_text WHERE case_text MATCH 'police'").fetchone()[0]
    read = time.perf_counter() - t
    del rows
    # The reviewer opens one case: its text is now a Python str, as in the CLI or the desktop.
    shown_case = s.one("SELECT summary FROM cases WHERE id = 1")[0]
    assert MARKER in shown_case
    del shown_case
    s.close()
    gc.collect()
    # The needle is built here from parts, so the only copies found are the ones the program left.
    needle = ("QZXMEMORY" + "MARKER-" + "x" * 20).encode()
    print(json.dumps({"setting": shown, "write_s": write, "read_s": read, "fts_hits": hits,
                      "marker_copies_after_lock": _scan(needle) - 1}))


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    n = int(numbers[0]) if numbers else 8000
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for setting in ("OFF", "ON"):
            r = subprocess.run([sys.executable, __file__, "--child", folder, setting, str(n)], check=True,
                               capture_output=True, text=True)
            out[setting] = json.loads(r.stdout.strip().splitlines()[-1])
    on, off = out["ON"], out["OFF"]
    print(f"{n} case rows written in one transaction: memory security ON {on['write_s']:.2f} s, "
          f"OFF {off['write_s']:.2f} s ({on['write_s'] / off['write_s']:.0f}x)")
    print(f"read back sorted + one FTS query: ON {on['read_s']:.2f} s, OFF {off['read_s']:.2f} s "
          f"({on['read_s'] / off['read_s']:.1f}x)")
    print(f"copies of one case's text left in process memory after lock: ON {on['marker_copies_after_lock']}, "
          f"OFF {off['marker_copies_after_lock']}")


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        raise SystemExit(print(__doc__) or 0)
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
