"""Secrets: the passphrase never leaks (environment, argv, messages, logs, files); no case text in
temp files or the WAL; SQLCipher's memory security stated off (the memory promises are in
test_reliability_memory.py); the key cleared from Python objects on lock."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
import traceback

import pytest

from tests.conftest import PASS
from tests.reliability import clirun, tally
from triage_app.errors import AuthFailed, VaultUnavailable
from triage_app.session import open_vault

MARKER = "QJXVMARKER-case-narrative-5521"


def _child(code: str, env: dict, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def _files_holding(paths, needle: str) -> list[str]:
    found = []
    for p in paths:
        if p.is_file():
            data = p.read_bytes()
            for enc in ("utf-8", "utf-16-le"):
                if needle.encode(enc) in data:
                    found.append(f"{p.name}:{enc}")
    return found


def test_no_child_process_inherits_the_passphrases():
    env = clirun.env_for(PASS["ada"], TRIAGE_NEW_PASSPHRASE="new secret words here",
                         TRIAGE_BUNDLE_PASSPHRASE="bundle secret words here")
    r = _child("""
        import subprocess, triage_app.cli.main
        print(subprocess.run(['env'], capture_output=True, text=True).stdout)
    """, env)
    assert r.returncode == 0, r.stderr
    assert "PYTHONPATH" in r.stdout  # the child really did dump its environment
    for secret in (PASS["ada"], "new secret words here", "bundle secret words here"):
        assert secret not in r.stdout


def test_the_passphrase_is_wiped_from_the_process_own_environment_block():
    """/proc/PID/environ shows the environment a process started with, to anyone with the same uid."""
    env = clirun.env_for(PASS["ada"])
    r = _child("""
        import triage_app.cli.main
        import sys
        sys.stdout.buffer.write(open('/proc/self/environ', 'rb').read())
    """, env)
    assert r.returncode == 0, r.stderr
    assert "PYTHONPATH" in r.stdout
    assert PASS["ada"] not in r.stdout


def test_the_passphrase_is_never_an_argument(vault_path):
    r = clirun.run(vault_path, "ada", "user", "list", "--passphrase", PASS["ada"])
    clirun.assert_plain(r, 2)
    assert PASS["ada"] not in r.stderr + r.stdout


@pytest.mark.parametrize("argv", [("user", "list"), ("audit", "verify"), ("audit", "log", "--json"),
                                  ("user", "add", "x", "--role", "nobody"), ("passwd",)])
@pytest.mark.parametrize("who,passphrase", [("ada", PASS["ada"]), ("ada", "wrong but long passphrase"),
                                            ("nobody", PASS["ada"])])
def test_the_passphrase_is_never_printed(vault_path, argv, who, passphrase):
    r = clirun.run(vault_path, who, *argv, passphrase=passphrase,
                   env_extra={"TRIAGE_NEW_PASSPHRASE": "freshly chosen words here"})
    clirun.assert_plain(r)
    for secret in (passphrase, "freshly chosen words here"):
        assert secret not in r.stdout + r.stderr


def test_no_passphrase_in_logs_or_any_file_beside_the_vault(cli, vault_path, caplog):
    caplog.set_level(logging.DEBUG)
    cli("ada", "user", "list")
    cli("ada", "user", "list", passphrase="wrong but long passphrase")
    code, _, _ = cli("rita", "passwd", env={"TRIAGE_NEW_PASSPHRASE": "freshly chosen words here"})
    assert code == 0
    for secret in (PASS["ada"], PASS["rita"], "wrong but long passphrase", "freshly chosen words here"):
        assert secret not in caplog.text
        assert _files_holding(vault_path.parent.iterdir(), secret) == []
    s = open_vault(vault_path, "ada", PASS["ada"])
    try:
        log = json.dumps([dict(r) for r in s.query("SELECT * FROM audit")])
    finally:
        s.close()
    assert "passwd" in log or "passphrase" in log  # the change itself is logged ...
    for secret in (PASS["ada"], PASS["rita"], "freshly chosen words here"):
        assert secret not in log  # ... but never the secret


def test_a_failed_unlock_keeps_the_passphrase_out_of_the_exception_and_its_chain(vault_path):
    wrong = "wrong but long " + "passphrase"  # built, so the traceback's source lines can't show it
    for user in ("ada", "nobody"):
        with pytest.raises(AuthFailed) as e:
            open_vault(vault_path, user, wrong)
        text = "".join(traceback.format_exception(e.value)) + repr(e.value.args)
        assert wrong not in text


def test_an_unexpected_error_prints_only_its_type(cli, monkeypatch):
    import triage_app.users as users

    def boom(session):
        raise ValueError(f"{MARKER} {PASS['ada']}")

    monkeypatch.setattr(users, "list_users", boom)
    code, out, err = cli("ada", "user", "list")
    assert code == 1
    assert "Traceback" not in err and MARKER not in err and PASS["ada"] not in err
    assert err.strip() == "An unexpected ValueError stopped the command; any change in progress was rolled back."


def test_memory_security_is_stated_off_for_every_session(login):
    """Off by decision (docs/SECURITY.md §1, "Memory, core dumps and swap"; bench/memory.py), set by
    the vault itself so a build whose default differs changes neither the cost nor the promise."""
    for name in ("ada", "rita", "sam"):
        s = login(name)
        assert str(s.conn.execute("PRAGMA cipher_memory_security").fetchone()[0]) == "0"


def test_the_key_is_cleared_from_the_session_on_lock(login):
    s = login("rita")
    key = s.vault_key()
    assert any(key)
    s.close()
    assert s.locked and len(key) == 32 and not any(key)
    with pytest.raises(VaultUnavailable):
        s.vault_key()


def test_key_copies_left_in_process_memory_after_lock_are_counted(vault_path, tmp_path):
    """How far Python lets us go: scan the child's own memory for the key after lock.

    The Session's bytearray is zeroed, the x'…' literal SQLCipher is keyed with is built in a wiped
    buffer, and SQLCipher wipes its own copies. The hex form must be gone entirely; raw copies made by
    libraries (AES-GCM returns immutable bytes) can survive in freed memory: counted, not asserted.
    """
    r = _child(f"""
        import binascii, gc
        from triage_app.session import open_vault
        s = open_vault({str(vault_path)!r}, "ada", {PASS['ada']!r})
        s.conn.execute("SELECT count(*) FROM audit").fetchone()
        held = s.vault_key()
        raw = bytes(held); hexed = binascii.hexlify(raw)
        s.close(); gc.collect()
        assert not any(held)
        counts = {{"raw": 0, "hex": 0}}
        for line in open('/proc/self/maps'):
            addr, perms = line.split()[:2]
            if 'r' not in perms or '[vvar]' in line or '[vsyscall]' in line:
                continue
            lo, hi = (int(x, 16) for x in addr.split('-'))
            try:
                with open('/proc/self/mem', 'rb') as m:
                    m.seek(lo); data = m.read(hi - lo)
            except (OSError, OverflowError, ValueError):
                continue
            counts["raw"] += data.count(raw)
            counts["hex"] += data.count(hexed) + data.count(hexed.upper())
        # less the two needles this script holds itself
        print(counts["raw"] - 1, counts["hex"] - 1)
    """, clirun.env_for())
    assert r.returncode == 0, r.stderr
    raw, hexed = (int(x) for x in r.stdout.split())
    tally.add("secrets", "raw_key_copies_in_memory_after_lock", raw)
    tally.add("secrets", "hex_key_copies_in_memory_after_lock", hexed)
    print(f"after lock: {raw} raw and {hexed} hex copies of the key left in process memory")
    assert hexed == 0


def test_no_case_text_in_temp_files_or_the_wal_after_close(vault_path, tmp_path):
    """A real process writes and searches case text with TMPDIR watched; afterwards nothing plain is left."""
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    r = _child(f"""
        from triage_app.session import open_vault
        s = open_vault({str(vault_path)!r}, "sam", {PASS['sam']!r})
        text = {MARKER!r} + " narrative " * 20000
        with s.change("import", "test.insert", kind="collection", case="CR/2014/000001"):
            for i in range(40):
                s.conn.execute("INSERT INTO cases(ref, nfa_date, summary, nfa_rationale, imported_at, updated_at) "
                               "VALUES (?, '2014-03-04', ?, ?, 'now', 'now')", (f"CR/2014/{{i:06d}}", text, text))
        # a big sort and an FTS query: the places SQLite would spill to temp files
        assert len(s.query("SELECT ref FROM cases ORDER BY summary || ref DESC")) == 40
        assert s.one("SELECT count(*) FROM case_text WHERE case_text MATCH 'QJXVMARKER'")[0] == 40
        s.close()
    """, clirun.env_for(TMPDIR=str(tmp), SQLITE_TMPDIR=str(tmp)))
    assert r.returncode == 0, r.stderr
    leftovers = list(tmp.rglob("*"))
    assert _files_holding(leftovers, MARKER) == []
    beside = list(vault_path.parent.iterdir())
    assert _files_holding(beside, MARKER) == []
    wal = vault_path.with_name(vault_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0 or _files_holding([wal], MARKER) == []


def test_linking_holds_case_data_in_memory_only(vault_path, tmp_path):
    """The linking engine (numpy arrays in process, issue 14) opens no file while it links: every
    open() during a full relink and model estimate is recorded by an audit hook, and nothing with
    the people's names is left in TMPDIR or beside the vault."""
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    r = _child(f"""
        import sys
        from triage_app.session import open_vault
        from triage_app import linking
        s = open_vault({str(vault_path)!r}, "sam", {PASS['sam']!r})
        name = {MARKER.split("-")[0]!r}
        tag = lambda k: "".join("abcdefghij"[int(c)] for c in str(k))   # each person on two cases
        with s.change("import", "test.insert", kind="collection", case="CR/2014/000001"):
            for i in range(300):
                cid = s.conn.execute("INSERT INTO cases(ref, nfa_date, imported_at, updated_at) "
                                     "VALUES (?, '2014-03-04', 'now', 'now')", (f"CR/2014/{{i:06d}}",)).lastrowid
                s.conn.execute("INSERT INTO nominals(case_id, role, forenames, surname, name_norm, dob, postcode, natural_key) "
                               "VALUES (?, 'suspect', ?, ?, ?, ?, 'LS1 4AB', ?)",
                               (cid, name + tag(i // 2), name + "son", f"{{name}}{{tag(i // 2)}} {{name}}son".lower(),
                                f"19{{50 + i // 20}}-0{{1 + i // 2 % 9}}-1{{i // 2 % 10}}", str(i)))
        opened, recording = [], [False]
        sys.addaudithook(lambda event, args: opened.append((event, str(args[0]))) if recording[0] and event in
                         ("open", "os.open", "tempfile.mkstemp", "tempfile.mkdtemp", "mmap.__new__") else None)
        with s.change("import", "test.relink", kind="combination"):
            recording[0] = True        # only while the linker runs (the door writes the audit head after)
            linking.relink(s.conn)
            recording[0] = False
        hook_seen = list(opened)
        assert s.one("SELECT count(*) FROM links")[0] > 0
        assert s.one("SELECT count(*) FROM link_models")[0] == 1
        s.close()
        # reading the program's own resources is fine; anything else (a temp file, a spill) is not
        bad = [(e, p) for e, p in hook_seen if not p.endswith((".toml", ".py", ".pyc", ".so")) and "site-packages" not in p
               and "/resources/" not in p]
        assert bad == [], bad
        print(len(hook_seen))
    """, clirun.env_for(TMPDIR=str(tmp), SQLITE_TMPDIR=str(tmp)))
    assert r.returncode == 0, r.stderr
    leftovers = list(tmp.rglob("*"))
    assert leftovers == [] or _files_holding(leftovers, MARKER.split("-")[0]) == []
    assert _files_holding(list(vault_path.parent.iterdir()), MARKER.split("-")[0]) == []
