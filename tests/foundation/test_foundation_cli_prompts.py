"""What the command line repeats back and what it asks: argparse's errors never echo a value typed
(a passphrase in the wrong place), and `init` asks for the first admin's passphrase twice."""
import pytest

from tests.conftest import PASS
from triage_app.cli import context
from triage_app.cli.main import main
from triage_app.session import open_vault

SECRET = "Tr0ub4dor&3 horse staple"


@pytest.mark.parametrize("argv", [
    [SECRET],                                            # a passphrase typed as the command
    ["user", SECRET],                                    # … as the user action
    ["user", "role", "rob", SECRET],                     # … as a role (invalid choice)
    ["user", "add", "eve", "--role", SECRET],
    ["cases", "--limit", SECRET],                        # … as a number (invalid int value)
    ["cases", f"--json={SECRET}"],                       # … on a flag (ignored explicit argument)
    [f"--v={SECRET}", "cases"],                          # … on an ambiguous option (--vault, --version)
    ["cases", SECRET],                                   # … as a stray argument (unrecognized)
    ["cases", f"--passphrase={SECRET}"],
    ["review", "answer", "CR/1", "q1", SECRET],
])
def test_no_usage_error_repeats_the_value_typed(vault_path, capsys, argv):
    with pytest.raises(SystemExit) as stop:
        main(["--vault", str(vault_path), "--user", "ada", *argv])
    out, err = capsys.readouterr()
    assert stop.value.code == 2
    assert err.strip().splitlines()[-1].startswith("triage-app")  # argparse still says what is wrong …
    for part in (SECRET, *SECRET.split()):
        assert part not in out + err, err  # … but never with the value


def test_an_invalid_choice_still_lists_the_choices(vault_path, capsys):
    with pytest.raises(SystemExit):
        main(["--vault", str(vault_path), "--user", "ada", "user", "role", "rob", "boss"])
    err = capsys.readouterr().err
    assert "invalid choice (choose from 'reviewer', 'supervisor', 'admin')" in err and "boss" not in err


@pytest.fixture
def prompts(monkeypatch):
    """A terminal that answers the passphrase prompts with the given words, in order."""
    monkeypatch.delenv("TRIAGE_PASSPHRASE", raising=False)
    monkeypatch.setattr(context, "_PASSPHRASE", None)
    monkeypatch.setattr(context, "_interactive", lambda: True)
    monkeypatch.setattr("triage_app.vault.benchmark_kdf", lambda: __import__("triage_app.vault.keyslots", fromlist=["x"]).CHEAP_KDF)
    asked = []

    def answer(*answers):
        it = iter(answers)
        monkeypatch.setattr(context.getpass, "getpass", lambda prompt="": asked.append(prompt) or next(it))
        return asked
    return answer


def test_init_asks_for_the_first_admins_passphrase_twice(tmp_path, capsys, prompts):
    asked = prompts(PASS["ada"], PASS["ada"])
    path = tmp_path / "new.db"
    assert main(["--vault", str(path), "init", "--admin", "ada"]) == 0
    assert len(asked) == 2
    open_vault(path, "ada", PASS["ada"]).close()


def test_init_refuses_two_different_passphrases_and_makes_nothing(tmp_path, capsys, prompts):
    typo = PASS["ada"][:-1] + "x"
    prompts(PASS["ada"], typo)
    path = tmp_path / "new.db"
    assert main(["--vault", str(path), "init", "--admin", "ada"]) == 1
    err = capsys.readouterr().err
    assert "differ" in err and PASS["ada"] not in err and typo not in err
    assert list(tmp_path.iterdir()) == []
