"""Memory, core dumps and swap (docs/SECURITY.md §1): what the tool promises about the case text and
the key it holds in memory, each shown in a real process that has opened a vault.

- No other process of the same user can read an open vault's memory (/proc/PID/mem, /proc/PID/maps):
  the process is not dumpable once it opens a vault.
- A process that opened a vault leaves no core dump when it crashes, whatever the limit it was
  started with.
- The session's copy of the vault key sits in pages locked in RAM (never written to swap) and
  marked to be left out of any core dump; lock overwrites it.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import PASS
from tests.reliability import clirun

MARKER = "QJXVMEMORY-case-narrative-7741"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the /proc checks are Linux's")


def _open_and_read(vault_path, then: str) -> str:
    """A script: open the vault as sam, put MARKER in a case and read it back (so the text is in
    this process's memory, as when a reviewer opens the case), then run `then`."""
    return textwrap.dedent(f"""
        import json, os, sys
        from triage_app.session import open_vault
        s = open_vault({str(vault_path)!r}, "sam", {PASS['sam']!r})
        with s.change("import", "test.insert", kind="collection", case="CR/2014/000001"):
            s.conn.execute("INSERT INTO cases(ref, nfa_date, summary, imported_at, updated_at) "
                           "VALUES ('CR/2014/000001', '2014-03-04', ?, 'now', 'now')", ({MARKER!r} * 3,))
        shown = s.one("SELECT summary FROM cases WHERE ref = 'CR/2014/000001'")[0]
        assert {MARKER!r} in shown
    """) + textwrap.dedent(then)


def _colleague(cmd: list[str]) -> list[str]:
    """A process of an ordinary user, without special rights. Run as root (a test box, a container),
    it gives up CAP_SYS_PTRACE, the right that lets root read any process; the app and the reader
    both run this way, as two programs of one account would."""
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: can't act as a user without ptrace rights")
        return [setpriv, "--bounding-set=-sys_ptrace", "--inh-caps=-sys_ptrace", *cmd]
    return cmd


def _reader(pid: int) -> list[str]:
    """A second program of the same user that looks for MARKER in process `pid`'s memory."""
    code = textwrap.dedent(f"""
        import json
        needle = {MARKER!r}.encode()
        try:
            spans = [tuple(int(x, 16) for x in line.split()[0].split("-"))
                     for line in open("/proc/{pid}/maps") if line.split()[1].startswith("r")]
        except OSError as e:
            print(json.dumps({{"maps": type(e).__name__, "found": 0}})); raise SystemExit
        found = 0
        try:
            with open("/proc/{pid}/mem", "rb", buffering=0) as mem:
                for lo, hi in spans:
                    try:
                        mem.seek(lo); found += mem.read(hi - lo).count(needle)
                    except (OSError, OverflowError, ValueError):
                        pass
            print(json.dumps({{"maps": "read", "mem": "read", "found": found}}))
        except OSError as e:
            print(json.dumps({{"maps": "read", "mem": type(e).__name__, "found": 0}}))
    """)
    return _colleague([sys.executable, "-c", code])


def _watched(script: str) -> dict:
    """Run `script` as an app that prints its pid and waits; read its memory from a second process."""
    app = subprocess.Popen(_colleague([sys.executable, "-c", script]), env=clirun.env_for(), stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = app.stdout.readline()
        assert line.strip().isdigit(), app.stderr.read()
        r = subprocess.run(_reader(int(line)), capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)
    finally:
        app.stdin.close()
        app.wait(timeout=60)


def test_another_process_of_the_same_user_cannot_read_an_open_vaults_memory(vault_path):
    seen = _watched(_open_and_read(vault_path, """
        print(os.getpid(), flush=True)
        sys.stdin.readline()          # stays open, the case text in memory, until the reader is done
    """))
    assert seen["found"] == 0
    assert seen["maps"] == "PermissionError" or seen["mem"] == "PermissionError"


def test_the_reader_does_find_the_text_in_a_process_that_opened_no_vault():
    """The other side of the test above: the same reader, pointed at a process of the same user
    holding the same text without a vault, reads it. So the refusal above is the vault's doing."""
    seen = _watched(textwrap.dedent(f"""
        import os, sys
        held = "".join(["{MARKER[:5]}", "{MARKER[5:]}"]) * 3
        print(os.getpid(), flush=True)
        sys.stdin.readline()
    """))
    if seen["maps"] != "read" or seen["mem"] != "read":
        pytest.skip("this machine lets no process read another's memory (ptrace_scope); nothing to compare")
    assert seen["found"] >= 1


def test_a_process_that_opened_a_vault_leaves_no_core_dump(vault_path, tmp_path):
    here = tmp_path / "cwd"
    here.mkdir()
    r = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import resource
        try:               # started as if core dumps were wanted (a developer's shell, a service unit)
            resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        except (ValueError, OSError):
            soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
            resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
    """) + _open_and_read(vault_path, """
        import ctypes, resource
        dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)          # PR_GET_DUMPABLE
        print(json.dumps({"core_limit": resource.getrlimit(resource.RLIMIT_CORE), "dumpable": dumpable}), flush=True)
        os.abort()                                                   # a crash with the case text in memory
    """)], env=clirun.env_for(), capture_output=True, text=True, timeout=120, cwd=here)
    assert r.returncode == -signal.SIGABRT, r.stderr
    state = json.loads(r.stdout)
    assert state == {"core_limit": [0, 0], "dumpable": 0}
    assert list(here.iterdir()) == []


def test_the_key_is_locked_in_ram_and_left_out_of_core_dumps_then_cleared_on_lock(vault_path):
    r = subprocess.run([sys.executable, "-c", _open_and_read(vault_path, """
        import ctypes
        key = s.vault_key()
        address = ctypes.addressof((ctypes.c_char * len(key)).from_buffer(key))
        flags = None
        with open("/proc/self/smaps") as smaps:
            for line in smaps:
                head = line.split()
                if "-" in head[0] and len(head) >= 5 and ":" not in head[0]:
                    lo, hi = (int(x, 16) for x in head[0].split("-"))
                    inside = lo <= address < hi
                elif inside and line.startswith("VmFlags:"):
                    flags = line.split()[1:]
        s.close()
        print(json.dumps({"flags": flags, "cleared": not any(key)}))
    """)], env=clirun.env_for(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    state = json.loads(r.stdout)
    assert state["flags"] is not None
    assert "lo" in state["flags"]          # locked: never written to swap
    assert "dd" in state["flags"]          # don't dump
    assert state["cleared"]
