"""Environment faults: a read-only location, a full disk, the vault moved or deleted while open,
a second instance on the same vault, a clock set back. Each: a plain message, nothing lost."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from tests.conftest import PASS
from tests.reliability import clirun, faults, tally
from triage_app import audit
from triage_app.errors import TriageError, VaultUnavailable
from triage_app.session import open_vault
from triage_app.vault import connection

BIG = "synthetic narrative text " * 4000  # ~100 KB per case


@pytest.fixture
def tmpfs(tmp_path):
    def _make(size: str):
        try:
            return faults.small_fs(tmp_path / f"fs{size}", size)
        except PermissionError as e:  # pragma: no cover - only where mount is not allowed
            pytest.skip(f"cannot mount a small filesystem here: {e}")
    return _make


def _insert_cases(session, n: int, prefix: str = "CR/2013/") -> None:
    with session.change("import", "test.seed", kind="collection", detail={"cases": n}):
        for i in range(n):
            session.conn.execute(
                "INSERT INTO cases(ref, nfa_date, summary, imported_at, updated_at) VALUES (?, '2013-05-06', ?, 'now', 'now')",
                (f"{prefix}{i:06d}", BIG))


# --- read-only location ----------------------------------------------------------------------

def test_a_vault_on_a_read_only_filesystem_is_refused_plainly(vault_path, tmpfs):
    with tmpfs("8m") as fs:
        ro = faults.copy_vault(vault_path, fs)
        before = {f.name: f.read_bytes() for f in faults.vault_files(ro)}
        faults.remount_readonly(fs)
        for argv in (("user", "list"), ("audit", "verify"), ("cases", "--json")):
            r = clirun.run(ro, "ada", *argv, passphrase=PASS["ada"])
            clirun.assert_plain(r, 1, 3)
            assert r.stderr.strip().endswith("can't be opened (it is on a read-only location)."), r.stderr
            assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert {f.name: f.read_bytes() for f in faults.vault_files(ro)} == before


# --- disk full ---------------------------------------------------------------------------------

def test_disk_full_during_a_change_rolls_it_back_and_says_so(vault_path, tmpfs, tmp_path):
    with tmpfs("3m") as fs:
        path = faults.copy_vault(vault_path, fs)
        before = faults.check_whole(path)
        s = open_vault(path, "sam", PASS["sam"])
        try:
            with pytest.raises(TriageError) as e:
                _insert_cases(s, 200)  # ~20 MB into a 3 MB filesystem
            assert "nothing was changed" in e.value.message
            assert "full" in e.value.message or "written" in e.value.message, e.value.message
        finally:
            s.close()
        after = faults.check_whole(path)
        assert after["cases"] == before["cases"] == 0
        tally.add("environment", "disk_full_rollbacks")


def test_a_file_size_limit_during_a_change_is_one_sentence_and_loses_nothing(vault_path):
    """RLIMIT_FSIZE: the same fault without mounting anything (any user, any Linux)."""
    before = faults.check_whole(vault_path)
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))
        from triage_app.session import open_vault
        from triage_app.errors import TriageError
        s = open_vault({str(vault_path)!r}, "sam", {PASS['sam']!r})
        try:
            with s.change("import", "test.seed", kind="collection"):
                for i in range(200):
                    s.conn.execute("INSERT INTO cases(ref, nfa_date, summary, imported_at, updated_at) "
                                   "VALUES (?, '2013-05-06', ?, 'now', 'now')", (f"CR/2013/{{i:06d}}", {BIG!r}))
        except TriageError as e:
            print(e.message); sys.exit(1)
        finally:
            s.close()
    """)
    r = subprocess.run([sys.executable, "-c", code], env=clirun.env_for(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "nothing was changed" in r.stdout, r.stdout + r.stderr
    after = faults.check_whole(vault_path)
    assert after["cases"] == before["cases"] == 0
    assert after["audit"] >= before["audit"]


# --- moved or deleted while open ----------------------------------------------------------

@pytest.mark.parametrize("how", ["moved", "deleted"])
def test_a_vault_moved_or_deleted_while_open_refuses_further_changes(vault_path, tmp_path, how):
    s = open_vault(vault_path, "sam", PASS["sam"])
    try:
        entries = s.one("SELECT count(*) FROM audit")[0]
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        for f in list(vault_path.parent.iterdir()):
            if f.is_file() and f.name.startswith(vault_path.name):
                if how == "moved":
                    shutil.move(str(f), elsewhere / f.name)
                else:
                    shutil.copy2(f, elsewhere / f.name)  # what a backup would still hold
                    f.unlink()
        with pytest.raises(VaultUnavailable, match="moved or deleted while it was open; nothing was changed"):
            _insert_cases(s, 1)
        with pytest.raises(VaultUnavailable):
            s.record("read", "case.read", case="CR/2013/000000")
        # no stray audit head or key file written at the old path
        assert not any(p.name.startswith(vault_path.name) for p in vault_path.parent.iterdir())
    finally:
        s.close()
    if how == "moved":
        after = faults.check_whole(elsewhere / vault_path.name)
        assert after["cases"] == 0 and after["audit"] == entries + 1  # + the check's own unlock


# --- a second instance ---------------------------------------------------------------------

def test_two_processes_writing_at_once_both_land_whole(vault_path):
    """Two real CLI processes change the vault at the same moment; the busy timeout serialises them."""
    env = clirun.env_for(PASS["ada"])
    procs = []
    for i in range(6):
        env_i = dict(env, TRIAGE_NEW_PASSPHRASE=f"new user passphrase number {i}")
        procs.append(subprocess.Popen([str(clirun.EXE), "--vault", str(vault_path), "--user", "ada", "user", "role",
                                       "rob" if i % 2 else "rita", "supervisor" if i % 2 else "reviewer"],
                                      env=env_i, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0 and "Traceback" not in err, err
    whole = faults.check_whole(vault_path)
    assert whole["audit"] >= 6 * 2  # each process: its unlock + its change
    tally.add("environment", "concurrent_processes", len(procs))


def test_a_second_instance_holding_the_vault_busy_gets_a_plain_refusal(vault_path, monkeypatch):
    holder = open_vault(vault_path, "ada", PASS["ada"])
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)
    other = open_vault(vault_path, "sam", PASS["sam"])
    try:
        before = other.one("SELECT count(*) FROM audit")[0]
        holder.conn.execute("BEGIN IMMEDIATE")
        other.conn.execute("PRAGMA busy_timeout = 300")
        with pytest.raises(TriageError) as e:
            other.record("read", "case.read", case="CR/2013/000001")
        assert e.value.message == ("The vault is busy or can't be written (another program holds it busy); "
                                   "nothing was changed.")
        holder.conn.execute("ROLLBACK")
        assert other.one("SELECT count(*) FROM audit")[0] == before
        other.record("read", "case.read", case="CR/2013/000001")  # free again: works
    finally:
        holder.close()
        other.close()
    assert faults.check_whole(vault_path)["audit"] == before + 2


# --- a clock set back ------------------------------------------------------------------------

def test_a_clock_set_back_keeps_the_log_in_time_order_and_says_so(login, monkeypatch):
    s = login("sam")
    s.record("read", "case.read", case="CR/2013/000001")
    last = s.one("SELECT at FROM audit ORDER BY seq DESC LIMIT 1")[0]
    monkeypatch.setattr(audit, "utc_now", lambda: "2001-01-01T00:00:00.000000Z")
    s.record("read", "case.read", case="CR/2013/000002")
    row = s.one("SELECT at, detail FROM audit ORDER BY seq DESC LIMIT 1")
    assert row[0] == last  # never earlier than the entry before it
    assert '"clock_behind_by_entry": true' in row[1] and "2001-01-01" in row[1]
    ats = [r[0] for r in s.query("SELECT at FROM audit ORDER BY seq")]
    assert ats == sorted(ats)
    assert s.verify_audit().ok


def test_a_clock_set_back_in_a_real_process_is_noticed(vault_path):
    """A child whose clock reads 2001 (time patched at the C level is not available; patch the one reader)."""
    code = textwrap.dedent(f"""
        import triage_app.audit as a
        a.utc_now = lambda: "2001-01-01T00:00:00.000000Z"
        from triage_app.cli.main import main
        raise SystemExit(main(["--vault", {str(vault_path)!r}, "--user", "ada", "audit", "verify"]))
    """)
    r = subprocess.run([sys.executable, "-c", code], env=clirun.env_for(PASS["ada"]), capture_output=True,
                       text=True, timeout=60)
    clirun.assert_plain(r, 0)
    s = open_vault(vault_path, "ada", PASS["ada"])
    try:
        ats = [r[0] for r in s.query("SELECT at FROM audit ORDER BY seq")]
        assert ats == sorted(ats)
        flagged = s.query("SELECT detail FROM audit WHERE detail LIKE '%clock_behind_by_entry%'")
        assert len(flagged) == 1  # the child's unlock
        assert s.verify_audit().ok
    finally:
        s.close()
