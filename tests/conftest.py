import hashlib
import os
import sys
from pathlib import Path

# Headless Qt: without this pytest-qt aborts on a machine with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests must never touch a real user's data directory.
os.environ.pop("TRIAGE_VAULT", None)

import pytest

from triage_app.session import create_vault, open_vault
from triage_app.vault.keyslots import CHEAP_KDF
from triage_app import users

PASS = {
    "ada": "admin passphrase one two",
    "rita": "reviewer passphrase red kite",
    "rob": "reviewer passphrase blue wren",
    "sam": "supervisor passphrase green oak",
    "sue": "supervisor passphrase grey heron",
}
ROLES = {"ada": "admin", "rita": "reviewer", "rob": "reviewer", "sam": "supervisor", "sue": "supervisor"}


@pytest.fixture
def vault_path(tmp_path) -> Path:
    """A vault with one admin (ada), two reviewers (rita, rob), two supervisors (sam, sue); cheap KDF."""
    path = tmp_path / "vault.db"
    s = create_vault(path, "ada", PASS["ada"], kdf=CHEAP_KDF)
    for name, role in ROLES.items():
        if name != "ada":
            users.add_user(s, name, role, PASS[name])
    s.close()
    return path


@pytest.fixture
def login(vault_path):
    """login('rita') → an unlocked Session; all are closed at the end of the test."""
    opened = []

    def _login(name: str):
        s = open_vault(vault_path, name, PASS[name])
        opened.append(s)
        return s

    yield _login
    for s in opened:
        s.close()


@pytest.fixture
def cli(vault_path, monkeypatch, capsys):
    """cli('rita', 'cases', '--json') → (exit, stdout, stderr), in-process."""
    from triage_app.cli.main import main

    def _run(user, *argv, passphrase=None, env=None):
        monkeypatch.setenv("TRIAGE_PASSPHRASE", passphrase if passphrase is not None else PASS.get(user, "x"))
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        code = main(["--vault", str(vault_path), "--user", user, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def watch_index_drops(monkeypatch) -> list[str]:
    """The names of the indexes `vault.indexes.drop` sets aside from now on (it still drops them)."""
    from triage_app.vault import indexes
    dropped, real = [], indexes.drop

    def watched(conn, aside):
        dropped.extend(name for name, _ in aside)
        return real(conn, aside)
    monkeypatch.setattr(indexes, "drop", watched)
    return dropped


def digest(path: Path) -> str:
    """The file's SHA-256: what "the file is unchanged" compares (a failure then names two short
    digests, not a diff of every byte of an encrypted vault)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
