"""Hostile files where the foundation expects its own: random or mutated bytes as the vault, its key
file and its audit-head file; random command lines. One plain sentence, the documented exit code."""
from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import PASS
from tests.reliability import tally
from triage_app.errors import TriageError
from triage_app.session import open_vault

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SIDECAR = {"vault": "", "key file": ".keys", "audit head": ".audit-head"}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    from tests.conftest import ROLES
    from triage_app import users
    from triage_app.session import create_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    root = tmp_path_factory.mktemp("foundation-fuzz")
    s = create_vault(root / "vault.db", "ada", PASS["ada"], kdf=CHEAP_KDF)
    users.add_user(s, "rita", ROLES["rita"], PASS["rita"])
    s.close()
    return root


def _fresh(pristine, dest):
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir()
    for suffix in SIDECAR.values():
        shutil.copy2(f"{pristine / 'vault.db'}{suffix}", dest / f"vault.db{suffix}")
    return dest / "vault.db"


@FUZZ
@given(which=st.sampled_from(list(SIDECAR)),
       blob=st.one_of(st.binary(max_size=5000).map(lambda b: ("random", b)),
                      st.tuples(st.integers(0, 1 << 20), st.integers(1, 255)).map(lambda t: ("flip", t)),
                      st.integers(0, 1 << 20).map(lambda n: ("truncate", n))))
def test_hostile_bytes_where_the_vault_keeps_its_files(pristine, tmp_path_factory, which, blob):
    tally.add("fuzz", "examples")
    tally.add("fuzz[foundation files]", "examples")
    vault = _fresh(pristine, pristine / "work")
    target = vault.with_name(vault.name + SIDECAR[which])
    kind, value = blob
    data = bytearray(target.read_bytes())
    if kind == "random":
        data = bytearray(value)
    elif kind == "flip" and data:
        data[value[0] % len(data)] ^= value[1]
    elif kind == "truncate":
        del data[value % (len(data) + 1):]
    target.write_bytes(bytes(data))
    try:
        s = open_vault(vault, "ada", PASS["ada"])
    except TriageError as e:
        assert "\n" not in e.message and e.exit_code in (1, 3)
        return
    try:  # it opened: then nothing may be silently wrong
        verdict = s.verify_audit()
        if which == "audit head" and bytes(data) != (pristine / "vault.db.audit-head").read_bytes():
            assert not verdict.ok or s.audit_warning is None or "audit" in s.audit_warning
    finally:
        s.close()


ARGS = st.lists(st.one_of(st.sampled_from(["user", "list", "add", "disable", "role", "reset", "passwd", "audit", "verify",
                                           "log", "--json", "--case", "--role", "admin", "reviewer", "ada", "rita",
                                           "--rekey", "cases", "case", "show", "search", "links", "stats", "--csv",
                                           "retention", "due", "checklist", "--limit", "-1", "--status", "=1+1"]),
                          st.text(max_size=12).filter(lambda t: "\x00" not in t)), max_size=6)


# Always a command first: no command opens the desktop app, which a fuzz run must not start.
COMMANDS = st.sampled_from(["user", "audit", "cases", "case", "search", "links", "stats", "retention", "checklist",
                            "passwd"])


@FUZZ
@given(command=COMMANDS, rest=ARGS, who=st.sampled_from(["ada", "rita"]))
def test_random_command_lines(pristine, command, rest, who):
    argv = [command, *rest]
    from triage_app.cli.main import main
    tally.add("fuzz", "examples")
    tally.add("fuzz[command lines]", "examples")
    vault = _fresh(pristine, pristine / "cli")
    os.environ["TRIAGE_PASSPHRASE"] = PASS[who]
    os.environ["TRIAGE_NEW_PASSPHRASE"] = "a brand new passphrase here"
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        try:
            code = main(["--vault", str(vault), "--user", who, *argv])
        except SystemExit as e:
            code = e.code
    text = err.getvalue()
    assert code in (0, 1, 2, 3), (argv, code, text)
    assert "Traceback" not in text and "An unexpected" not in text, (argv, text)
