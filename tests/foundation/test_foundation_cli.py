"""The command line of the foundation: every refusal has its exit status and one plain sentence."""
import os
import subprocess
import sys

import pytest

from tests.conftest import PASS
from triage_app.vault.keyslots import KeyFile


def _one_sentence(err: str) -> None:
    lines = [l for l in err.strip().splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err


def test_version(capsys):
    from triage_app.cli.main import main
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert "triage-app" in capsys.readouterr().out


def test_user_list_as_admin(cli):
    code, out, err = cli("ada", "user", "list", "--json")
    assert code == 0
    import json
    names = {u["name"]: u["role"] for u in json.loads(out)}
    assert names == {"ada": "admin", "rita": "reviewer", "rob": "reviewer", "sam": "supervisor", "sue": "supervisor"}


@pytest.mark.parametrize("user,passphrase", [("rita", "wrong passphrase entirely"), ("nobody", PASS["rita"])])
def test_wrong_passphrase_or_unknown_user_exit_3(cli, user, passphrase):
    code, out, err = cli(user, "user", "list", passphrase=passphrase)
    assert code == 3
    _one_sentence(err)
    assert err.strip() == "The user name or passphrase is not right."


@pytest.mark.parametrize("argv,who", [
    (("user", "add", "eve", "--role", "reviewer"), "rita"),
    (("user", "list"), "sam"),
    (("user", "disable", "rob"), "sam"),
    (("user", "role", "rob", "admin"), "rita"),
    (("user", "reset", "rob"), "sue"),
    (("audit", "log"), "rita"),
])
def test_role_refusals_exit_1(cli, argv, who):
    code, out, err = cli(who, *argv, env={"TRIAGE_NEW_PASSPHRASE": "a new passphrase for eve"})
    assert code == 1
    _one_sentence(err)
    assert "may not" in err


def test_last_admin_refusals(cli):
    code, _, err = cli("ada", "user", "role", "ada", "reviewer")
    assert code == 1 and "last admin" in err
    code, _, err = cli("ada", "user", "disable", "ada")
    assert code == 1
    _one_sentence(err)


def test_add_disable_and_disabled_cannot_unlock(cli):
    code, out, err = cli("ada", "user", "add", "eve", "--role", "reviewer", env={"TRIAGE_NEW_PASSPHRASE": "eve has a long passphrase"})
    assert code == 0, err
    code, _, err = cli("eve", "audit", "verify", passphrase="eve has a long passphrase")
    assert code == 0, err
    assert cli("ada", "user", "disable", "eve")[0] == 0
    code, _, err = cli("eve", "audit", "verify", passphrase="eve has a long passphrase")
    assert code == 3
    _one_sentence(err)


def test_weak_new_passphrase_is_refused(cli):
    code, _, err = cli("ada", "user", "add", "eve", "--role", "reviewer", env={"TRIAGE_NEW_PASSPHRASE": "short"})
    assert code == 1 and "12 characters" in err


def test_passwd_changes_own_passphrase(cli):
    code, _, err = cli("rita", "passwd", env={"TRIAGE_NEW_PASSPHRASE": "rita new passphrase here"})
    assert code == 0, err
    assert cli("rita", "audit", "verify")[0] == 3
    assert cli("rita", "audit", "verify", passphrase="rita new passphrase here")[0] == 0


def test_audit_verify_and_log(cli):
    code, out, _ = cli("rita", "audit", "verify")
    assert code == 0 and "intact" in out
    code, out, _ = cli("sam", "audit", "log", "--json")
    import json
    entries = json.loads(out)
    assert {"seq", "at", "user", "action", "case", "detail"} <= set(entries[0])
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))


def test_audit_verify_fails_with_exit_1_on_tamper(cli, vault_path, login):
    s = login("ada")
    s.conn.execute("DROP TRIGGER audit_no_update")
    s.conn.execute("UPDATE audit SET action = 'x' WHERE seq = 2")
    s.close()
    code, out, err = cli("rita", "audit", "verify")
    assert code == 1
    assert "Audit entry 2" in err


def test_missing_vault_exit_3(cli, vault_path):
    from triage_app.cli.main import main
    code = main(["--vault", str(vault_path) + "-nope", "--user", "ada", "audit", "verify"])
    assert code == 3


def test_damaged_vault_exit_3_says_restore(cli, vault_path):
    data = bytearray(vault_path.read_bytes())
    for i in range(100, len(data), 500):
        data[i] ^= 0x5A
    vault_path.write_bytes(bytes(data))
    code, _, err = cli("ada", "audit", "verify")
    assert code == 3
    _one_sentence(err)
    assert "restore" in err


def test_init_refuses_an_existing_vault(cli, vault_path):
    code, _, err = cli("ada", "init", "--admin", "ada")
    assert code == 1 and "already exists" in err


def test_no_passphrase_without_terminal_says_how(vault_path, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    r = subprocess.run([sys.executable, "-m", "triage_app", "--vault", str(vault_path), "--user", "ada", "audit", "verify"],
                       env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert r.returncode == 1
    _one_sentence(r.stderr)
    assert "TRIAGE_PASSPHRASE" in r.stderr


def test_passphrase_is_removed_from_the_environment_of_children(vault_path):
    """A child process started by triage-app must not inherit TRIAGE_PASSPHRASE."""
    code = ("import os, triage_app.cli.context as c, subprocess, sys;"
            "print(subprocess.run([sys.executable, '-c', 'import os; print(os.environ.get(\"TRIAGE_PASSPHRASE\"))'],"
            " capture_output=True, text=True).stdout.strip())")
    env = dict(os.environ, TRIAGE_PASSPHRASE="secret passphrase value")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.stdout.strip() == "None"


def test_usage_errors_exit_2(cli):
    from triage_app.cli.main import main
    with pytest.raises(SystemExit) as e:
        main(["user", "add"])
    assert e.value.code == 2


def test_two_processes_writing_never_corrupt_the_vault(vault_path):
    script = (
        "import sys; from triage_app.session import open_vault\n"
        "s = open_vault(sys.argv[1], sys.argv[2], sys.argv[3])\n"
        "for i in range(40): s.record('read', 'case.view', case='CR/2013/%04d' % i)\n"
        "s.close()\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(vault_path), u, PASS[u]]) for u in ("rita", "sam")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    from triage_app.session import open_vault
    s = open_vault(vault_path, "ada", PASS["ada"])
    v = s.verify_audit()
    assert v.ok, v.problem
    assert s.conn.execute("SELECT count(*) FROM audit WHERE action = 'case.view'").fetchone()[0] == 80
    assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    s.close()


def test_init_records_the_force_name(tmp_path, monkeypatch, capsys):
    from triage_app.cli.main import main
    from triage_app.session import open_vault
    monkeypatch.setenv("TRIAGE_PASSPHRASE", PASS["ada"])
    monkeypatch.setattr("triage_app.vault.benchmark_kdf", lambda: __import__("triage_app.vault.keyslots", fromlist=["x"]).CHEAP_KDF)
    path = tmp_path / "forced.db"
    assert main(["--vault", str(path), "init", "--admin", "ada", "--force", "Example Constabulary"]) == 0
    s = open_vault(path, "ada", PASS["ada"])
    assert s.one("SELECT value FROM meta WHERE key = 'force_name'")[0] == "Example Constabulary"
    assert any(e["action"] == "vault.force_name" for e in __import__("triage_app.audit", fromlist=["x"]).entries(s.conn))
    s.close()


def test_the_app_without_a_screen_is_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    for argv in (["demo"], []):
        r = subprocess.run([sys.executable, "-m", "triage_app", *argv], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1, r.stderr
        _one_sentence(r.stderr)
        assert "no screen" in r.stderr
    assert not (tmp_path / "data").exists()  # nothing made before saying so
