"""A backup's key file matches its database, whatever key change races it (SECURITY.md §6).

The key file and the database snapshot are read under the same write lock as key changes take, so a
change lands wholly before the backup (in both) or wholly after it (in neither)."""
import pytest

from tests.conftest import PASS
from tests.ops.conftest import add_cases
from triage_app import users
from triage_app.errors import AuthFailed, Refused
from triage_app.ops import backup
from triage_app.ops.backup import make_backup, open_backup, restore_backup
from triage_app.vault import keychange


def _slots_match_users(keys, conn) -> list[str]:
    """Every active user has a slot with the public half the database records, and nobody else has one."""
    recorded = dict(conn.execute("SELECT name, public_key FROM users WHERE disabled = 0").fetchall())
    problems = [f"{u}: no slot" for u in recorded if keys.public(u) is None]
    problems += [f"{u}: slot of someone not active" for u in keys.users() if u not in recorded]
    problems += [f"{u}: public half differs" for u in recorded if keys.public(u) not in (None, recorded[u])]
    return problems


def _restored(out, tmp_path, user="ada"):
    target = tmp_path / "restored" / "vault.db"
    target.parent.mkdir()
    return restore_backup(out, target, user, PASS[user])


def _race_after_snapshot(monkeypatch, change):
    """Run `change` (another admin's session) once, when the backup first reads its copy's audit head:
    after the database snapshot (before the key file was read, in the code that had the race)."""
    real, fired = backup.audit.current_head, []

    def current_head(conn):
        if not fired:
            fired.append(True)
            change()
        return real(conn)

    monkeypatch.setattr(backup.audit, "current_head", current_head)
    return fired


@pytest.mark.parametrize("change", ["disable", "add", "reset"])
def test_key_change_racing_a_backup_lands_in_both_or_neither(vault_path, login, tmp_path, monkeypatch, change):
    sam, ada = login("sam"), login("ada")
    add_cases(sam, 3)
    act = {"disable": lambda: users.disable_user(ada, "rob"),
           "add": lambda: users.add_user(ada, "newt", "reviewer", "reviewer passphrase green newt"),
           "reset": lambda: users.reset_passphrase(ada, "rita", "reviewer passphrase new kite")}[change]
    fired = _race_after_snapshot(monkeypatch, act)
    out = tmp_path / "raced.backup"
    make_backup(sam, out)
    monkeypatch.undo()
    assert fired
    with open_backup(out, "ada", PASS["ada"], "backup") as b:
        assert not b.problems
        assert _slots_match_users(b.keys, b.conn) == []
    restored = _restored(out, tmp_path)
    try:
        assert _slots_match_users(restored.keyfile, restored.conn) == []
    finally:
        restored.close()


def test_backup_finishes_a_committed_key_change_first(vault_path, login, tmp_path, monkeypatch):
    # The disable committed, but its key file was not renamed into place (a cut after COMMIT):
    # the backup must carry the file the database already describes, not the stale one.
    sam, ada = login("sam"), login("ada")
    monkeypatch.setattr(keychange, "promote", lambda *a: False)
    users.disable_user(ada, "rob")
    monkeypatch.undo()
    assert keychange.staged_files(vault_path)
    out = tmp_path / "pending.backup"
    make_backup(sam, out)
    with open_backup(out, "ada", PASS["ada"], "backup") as b:
        assert "rob" not in b.keys.users()
        assert _slots_match_users(b.keys, b.conn) == []
        assert b.conn.execute("SELECT count(*) FROM pending_keyfiles").fetchone()[0] == 0
    with pytest.raises((AuthFailed, Refused)):
        _restored(out, tmp_path, user="rob")
    # the live vault's file was finished too, under the same lock
    assert not keychange.staged_files(vault_path)
