"""Key slots: add, passphrase change, reset, disable, wrong passphrase, re-key."""
import json

import pytest

from tests.conftest import PASS
from triage_app import audit, users
from triage_app.errors import AuthFailed, BadInput, Refused, VaultUnavailable
from triage_app.session import open_vault
from triage_app.vault import connection
from triage_app.vault.keyslots import CHEAP_KDF, KeyFile, passphrase_problem


def test_each_user_unlocks_with_their_own_passphrase(login):
    for name in ("ada", "rita", "sam"):
        s = login(name)
        assert s.user == name
        assert s.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 5


def test_wrong_passphrase_and_unknown_user_get_the_same_sentence(vault_path):
    with pytest.raises(AuthFailed) as wrong:
        open_vault(vault_path, "rita", "not the passphrase at all")
    with pytest.raises(AuthFailed) as unknown:
        open_vault(vault_path, "nobody", PASS["rita"])
    assert wrong.value.message == unknown.value.message
    assert "rita" not in wrong.value.message


def test_changing_a_passphrase_keeps_the_database_key_and_the_other_slots(vault_path, login):
    """A passphrase change rewraps one slot: the database is not re-encrypted (the same key opens it)
    and every other user's slot is left exactly as it was."""
    key_before = bytes(KeyFile.load(vault_path).unlock("sam", PASS["sam"]))
    slots_before = json.loads(KeyFile.for_vault(vault_path).read_text())["slots"]
    s = login("rita")
    users.change_own_passphrase(s, PASS["rita"], "a brand new passphrase here")
    s.close()
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", PASS["rita"])
    open_vault(vault_path, "rita", "a brand new passphrase here").close()
    assert bytes(KeyFile.load(vault_path).unlock("sam", PASS["sam"])) == key_before
    connection.connect(vault_path, bytearray(key_before)).close()
    slots_after = json.loads(KeyFile.for_vault(vault_path).read_text())["slots"]
    assert slots_after["rita"] != slots_before["rita"]
    assert {u: v for u, v in slots_after.items() if u != "rita"} == \
        {u: v for u, v in slots_before.items() if u != "rita"}


def test_admin_reset_gives_a_new_passphrase_and_voids_the_old(vault_path, login):
    admin = login("ada")
    users.reset_passphrase(admin, "rob", "rob has a fresh passphrase")
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rob", PASS["rob"])
    open_vault(vault_path, "rob", "rob has a fresh passphrase").close()


def test_disabled_user_cannot_unlock_and_slot_is_gone(vault_path, login):
    admin = login("ada")
    users.disable_user(admin, "rob")
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rob", PASS["rob"])
    assert "rob" not in KeyFile.load(vault_path).users()
    listed = {u["name"]: u for u in users.list_users(admin)}
    assert listed["rob"]["disabled"] is True


def test_rekey_changes_the_database_key_and_keeps_everyone_else_in(vault_path, login):
    old_key = bytes(KeyFile.load(vault_path).unlock("rob", PASS["rob"]))
    admin = login("ada")
    users.disable_user(admin, "rob", rekey=True)
    admin.close()
    # A departed user who kept the old key can no longer read the current file.
    with pytest.raises(VaultUnavailable):
        connection.connect(vault_path, old_key)
    for name in ("ada", "rita", "sam", "sue"):
        s = open_vault(vault_path, name, PASS[name])
        assert s.verify_audit().ok
        s.close()


def test_a_rekey_cut_before_its_key_file_is_renamed_still_opens(vault_path, login, monkeypatch):
    """The database took its new key (and the entry) in one commit, then the process died before the
    staged key file was renamed into place: the next unlock finds the new key there and finishes."""
    admin = login("ada")
    from triage_app.vault import keychange
    monkeypatch.setattr(keychange, "promote", lambda conn, staged, vault: False)  # the rename never happens
    users.rekey_vault(admin, "test")
    admin.close()
    monkeypatch.undo()
    assert keychange.staged_files(vault_path)
    s = open_vault(vault_path, "rita", PASS["rita"])  # promotes the staged file
    assert s.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 5
    assert [e["action"] for e in audit.entries(s.conn)].count("vault.rekey") == 1
    s.close()
    assert not keychange.staged_files(vault_path)
    open_vault(vault_path, "sam", PASS["sam"]).close()


def test_last_admin_cannot_be_disabled_or_demoted(login):
    admin = login("ada")
    with pytest.raises(Refused):
        users.set_role(admin, "ada", "reviewer")
    users.add_user(admin, "alf", "admin", "second admin passphrase")
    users.set_role(admin, "alf", "reviewer")  # fine: ada remains
    with pytest.raises(Refused):
        users.set_role(admin, "ada", "supervisor")


def test_only_an_admin_manages_users(login):
    for name in ("rita", "sam"):
        s = login(name)
        with pytest.raises(Refused, match="may not manage users"):
            users.add_user(s, "eve", "reviewer", "eve passphrase long enough")
        with pytest.raises(Refused):
            users.list_users(s)


@pytest.mark.parametrize("weak", ["short", "aaaaaaaaaaaaaaaa", "password1234"])
def test_weak_passphrases_are_refused(login, weak):
    assert passphrase_problem(weak)
    with pytest.raises(BadInput):
        users.add_user(login("ada"), "eve", "reviewer", weak)


def test_key_file_holds_no_key_in_clear(vault_path):
    key = KeyFile.load(vault_path).unlock("ada", PASS["ada"])
    text = (vault_path.parent / (vault_path.name + ".keys")).read_text()
    assert bytes(key).hex() not in text
    data = json.loads(text)
    slot = data["slots"]["ada"]
    assert slot["kdf"]["name"] == "argon2id" and {"iterations", "lanes", "memory_kib", "salt"} <= set(slot["kdf"])


def test_vault_files_are_owner_only(vault_path):
    for p in (vault_path, vault_path.with_name(vault_path.name + ".keys"),
              vault_path.with_name(vault_path.name + ".audit-head")):
        assert p.stat().st_mode & 0o077 == 0, p


def test_a_slot_copied_over_another_users_slot_does_not_open_as_that_user(vault_path):
    """The slot's AAD binds it to its user: rita's slot pasted under rob's name must not let rita's
    passphrase open the vault as rob (an admin's slot pasted over a reviewer's would be worse)."""
    path = KeyFile.for_vault(vault_path)
    data = json.loads(path.read_text())
    data["slots"]["rob"] = data["slots"]["rita"]
    path.write_text(json.dumps(data))
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rob", PASS["rita"])
    data["slots"]["ada"] = data["slots"]["rita"]
    path.write_text(json.dumps(data))
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "ada", PASS["rita"])


def test_a_disabled_user_whose_slot_came_back_still_cannot_open(vault_path, login):
    """The database's `disabled` flag is checked at unlock, whatever the key file says: here rob's old
    slot is put back after he was disabled (an old copy of the key file restored over the new)."""
    path = KeyFile.for_vault(vault_path)
    with_rob = path.read_bytes()
    users.disable_user(login("ada"), "rob")
    path.write_bytes(with_rob)
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rob", PASS["rob"])
