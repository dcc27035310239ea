"""The key file changes only under the change's lock, from what is on disk, and never without its
audit entry (vault/keychange.py).

Lost update (issue 13 item 5): a session opened earlier must not write back its old copy of the
key file. Ordering (item 11): the entry and a journal row commit first, the file is renamed after;
a failed commit changes no file, a failed rename is finished at the next unlock."""
import pytest

from tests.conftest import PASS, digest
from triage_app import audit, users
from triage_app.errors import AuthFailed, TriageError, VaultUnavailable
from triage_app.session import open_vault
from triage_app.vault import connection, keychange
from triage_app.vault.keyslots import KeyFile

NEW = "rita chose seven new words"
EVE = "eve has a long passphrase"


def _actions(vault_path, user="sam"):
    s = open_vault(vault_path, user, PASS[user])
    try:
        return [e["action"] for e in audit.entries(s.conn)]
    finally:
        s.close()


# --- lost update ---------------------------------------------------------------------------

def test_an_admin_session_opened_earlier_does_not_undo_a_passphrase_change(vault_path, login):
    ada = login("ada")  # opened first: at unlock it read the key file with rita's old slot
    rita = login("rita")
    users.change_own_passphrase(rita, PASS["rita"], NEW)
    users.add_user(ada, "eve", "reviewer", EVE)  # a key change made from the older session
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", PASS["rita"])  # the old (perhaps leaked) passphrase stays dead
    open_vault(vault_path, "rita", NEW).close()
    open_vault(vault_path, "eve", EVE).close()


def test_an_admin_session_opened_earlier_does_not_bring_back_a_disabled_users_slot(vault_path, login):
    first, second = login("ada"), login("ada")
    users.disable_user(second, "rob")
    users.reset_passphrase(first, "sue", "sue was given new words")
    assert "rob" not in KeyFile.load(vault_path).users()
    assert set(KeyFile.load(vault_path).users()) == {"ada", "rita", "sam", "sue"}
    open_vault(vault_path, "sue", "sue was given new words").close()


# --- the entry first, then the file ----------------------------------------------------------

class _FailingCommit:
    """The session's connection, except that COMMIT fails (a full disk at the last moment)."""

    def __init__(self, conn):
        self._conn = conn

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            raise connection.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_a_failed_commit_changes_no_key_file_and_leaves_no_entry(vault_path, login):
    before = digest(KeyFile.for_vault(vault_path))
    rita = login("rita")
    real = rita.conn
    rita.conn = _FailingCommit(real)
    with pytest.raises(TriageError, match="nothing was changed"):
        users.change_own_passphrase(rita, PASS["rita"], NEW)
    rita.conn = real
    assert digest(KeyFile.for_vault(vault_path)) == before
    assert keychange.staged_files(vault_path) == []
    assert "user.passwd" not in _actions(vault_path)
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", NEW)
    open_vault(vault_path, "rita", PASS["rita"]).close()


def test_a_failed_staging_write_changes_nothing(vault_path, login, monkeypatch):
    before = digest(KeyFile.for_vault(vault_path))
    ada = login("ada")

    def full_disk(path, data):
        raise VaultUnavailable(f"Could not write {path} (No space left on device); nothing was changed.")
    monkeypatch.setattr(keychange, "atomic_write", full_disk)
    with pytest.raises(VaultUnavailable):
        users.add_user(ada, "eve", "reviewer", EVE)
    monkeypatch.undo()
    assert digest(KeyFile.for_vault(vault_path)) == before
    assert ada.one("SELECT count(*) FROM users WHERE name = 'eve'")[0] == 0
    assert "user.add" not in [e["action"] for e in audit.entries(ada.conn)][-1:]


def _rename_fails(monkeypatch):
    real = keychange.os.replace

    def replace(src, dst):
        if str(dst).endswith(".keys"):  # the staged file's rename into place (not its own writing)
            raise OSError(5, "Input/output error")
        return real(src, dst)
    monkeypatch.setattr(keychange.os, "replace", replace)


def test_a_failed_rename_after_commit_is_finished_at_the_next_unlock(vault_path, login, monkeypatch):
    rita = login("rita")
    _rename_fails(monkeypatch)
    users.change_own_passphrase(rita, PASS["rita"], NEW)  # committed: entry and journal row
    assert "next unlock" in rita.audit_warning
    rita.close()
    monkeypatch.undo()
    assert keychange.staged_files(vault_path)
    s = open_vault(vault_path, "rita", NEW)  # the new passphrase works at once …
    s.close()
    assert keychange.staged_files(vault_path) == []
    assert "user.passwd" in _actions(vault_path)
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", PASS["rita"])  # … and the old one no longer does


def test_an_old_passphrase_is_refused_even_before_a_committed_change_is_renamed(vault_path, login, monkeypatch):
    """The live file still holds the old slot, but the change committed: the unlock finishes it
    first and then asks the passphrase again of the file as it is now."""
    rita = login("rita")
    _rename_fails(monkeypatch)
    users.change_own_passphrase(rita, PASS["rita"], NEW)
    rita.close()
    monkeypatch.undo()
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", PASS["rita"])
    open_vault(vault_path, "rita", NEW).close()


def test_a_staged_file_whose_change_never_committed_does_not_count(vault_path, login, monkeypatch):
    """A process killed between writing the staged file and COMMIT: the new passphrase in it must
    not open the vault, and the file is cleared away."""
    rita = login("rita")
    monkeypatch.setattr(keychange, "discard", lambda staged: None)  # killed: nobody cleans up
    monkeypatch.setattr(audit, "append", lambda *a, **k: (_ for _ in ()).throw(OSError("killed")))
    with pytest.raises(OSError):
        users.change_own_passphrase(rita, PASS["rita"], NEW)
    rita.close()
    monkeypatch.undo()
    assert keychange.staged_files(vault_path)
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", NEW)
    assert keychange.staged_files(vault_path) == []
    open_vault(vault_path, "rita", PASS["rita"]).close()
