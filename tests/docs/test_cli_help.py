"""Every command and every argument says what it is for in --help, and the top-level help ends with the
environment variables and the exit statuses (issue 15: `user --help` used to list only `reset`)."""
import argparse
import re
from pathlib import Path

import pytest

from triage_app.cli.helptext import ENVIRONMENT, EXIT_STATUSES
from triage_app.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
FIX = ("give it help=\"...\" (and each command an example=\"triage-app ...\") where it is made in "
       "triage_app/cli/, then regenerate docs/CLI.md: .venv/bin/python -m triage_app.cli.docs > docs/CLI.md")


def _walk(parser, path=("triage-app",)):
    """(path, parser, action, help of the command) for every action of every parser."""
    for action in parser._actions:
        yield path, parser, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _walk(sub, (*path, sub.prog.split()[-1]))


def test_every_command_and_argument_has_help():
    missing = []
    for path, parser, action in _walk(build_parser()):
        if isinstance(action, argparse._SubParsersAction):
            helped = {c.dest for c in action._choices_actions if c.help and c.help is not argparse.SUPPRESS}
            missing += [f"command '{' '.join(path)} {name}'" for name in action.choices if name not in helped]
        elif action.help is None or (action.help is not argparse.SUPPRESS and not action.help.strip()):
            missing += [f"argument {'/'.join(action.option_strings) or action.dest} of '{' '.join(path)}'"]
    assert not missing, f"No help text for: {', '.join(missing)}. Fix: {FIX}"


def test_every_command_has_an_example():
    missing = []
    for path, parser, action in _walk(build_parser()):
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if not getattr(sub, "examples", None):
                    missing.append(f"'{' '.join(path)} {name}'")
    assert not missing, f"No example for: {', '.join(sorted(set(missing)))}. Fix: {FIX}"


def test_user_help_lists_every_action(capsys):
    with pytest.raises(SystemExit):
        main(["user", "--help"])
    out = capsys.readouterr().out
    for action in ("add", "list", "disable", "role", "reset"):
        assert re.search(rf"^\s+{action}\s+\S", out, re.M), out


def test_top_level_help_ends_with_environment_and_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    tail = out[out.index("environment variables:"):]
    for name in ENVIRONMENT:
        assert name in tail
    assert "exit status:" in tail
    for code in EXIT_STATUSES:
        assert re.search(rf"^\s+{code}\s+\S", tail, re.M)
    assert out.index("environment variables:") > out.index("COMMAND")


def test_every_environment_variable_the_code_reads_is_listed():
    read = set()
    for path in (ROOT / "triage_app").rglob("*.py"):
        read |= set(re.findall(r"[\"'](TRIAGE_[A-Z_]+)[\"']", path.read_text(encoding="utf-8")))
    assert read, "the scan found no TRIAGE_ variables at all"
    assert read <= set(ENVIRONMENT), f"add {sorted(read - set(ENVIRONMENT))} to ENVIRONMENT in triage_app/cli/helptext.py"


def test_init_force_name_and_the_old_spelling(tmp_path, monkeypatch, capsys):
    from triage_app.session import open_vault
    monkeypatch.setenv("TRIAGE_PASSPHRASE", "admin passphrase one two")
    for option, path in (("--force-name", tmp_path / "a.db"), ("--force", tmp_path / "b.db")):
        assert main(["--vault", str(path), "init", "--admin", "ada", option, "Example  Constabulary"]) == 0
        s = open_vault(path, "ada", "admin passphrase one two")
        try:
            assert s.conn.execute("SELECT value FROM meta WHERE key = 'force_name'").fetchone()[0] == "Example Constabulary"
        finally:
            s.close()
        monkeypatch.setenv("TRIAGE_PASSPHRASE", "admin passphrase one two")
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    out = capsys.readouterr().out
    assert "--force-name" in out and not re.search(r"--force\b(?!-)", out)
