"""A re-key seals the new database key only to authenticated public halves (issue 13 item 6).

Each slot's public half is in its AAD and recorded inside the encrypted database (users.public_key);
`user disable … --rekey` seals to a slot only when the two agree, and reports any that do not."""
import base64
import json

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from tests.conftest import PASS
from triage_app import audit, users
from triage_app.errors import AuthFailed
from triage_app.session import open_vault
from triage_app.vault import connection, keyslots
from triage_app.vault.keyslots import KeyFile


def _swap_public(vault_path, user) -> X25519PrivateKey:
    """A leaver puts a public key they hold in place of `user`'s (the key file is just a file)."""
    attacker = X25519PrivateKey.generate()
    raw = attacker.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    path = KeyFile.for_vault(vault_path)
    data = json.loads(path.read_text())
    data["slots"][user]["public"] = base64.b64encode(raw).decode()
    path.write_text(json.dumps(data))
    return attacker


def _what_the_attacker_can_unseal(vault_path, attacker) -> list[bytes]:
    data = json.loads(KeyFile.for_vault(vault_path).read_text())
    got = []
    for user, slot in data["slots"].items():
        for aad in (f"{data['vault_id']}\0{user}\0{slot['public']}", f"{data['vault_id']}\0{user}"):
            try:
                got.append(keyslots._unseal_key(slot["vault_key"], attacker, aad.encode()))
            except (InvalidTag, KeyError, ValueError):
                pass
    return got


def test_a_swapped_public_half_gets_no_new_key_and_is_reported(vault_path, login):
    attacker = _swap_public(vault_path, "rita")
    ada = login("ada")
    left_out = users.disable_user(ada, "rob", rekey=True)
    assert left_out == ["rita"]
    assert _what_the_attacker_can_unseal(vault_path, attacker) == []
    assert "rita" not in KeyFile.load(vault_path).users()
    rekey = [e for e in audit.entries(ada.conn) if e["action"] == "vault.rekey"][-1]
    assert rekey["detail"]["left_out"] == ["rita"]
    new_key = bytes(ada.vault_key())
    ada.close()
    for name in ("ada", "sam", "sue"):  # everyone else is in, under the new key
        s = open_vault(vault_path, name, PASS[name])
        assert bytes(s.vault_key()) == new_key
        s.close()
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", PASS["rita"])  # until an admin resets her


def test_the_command_line_names_who_was_left_out(vault_path, cli):
    _swap_public(vault_path, "sue")
    code, out, err = cli("ada", "user", "disable", "rob", "--rekey")
    assert code == 0
    assert "re-encrypted" in out
    assert "sue" in err and "user reset sue" in err


def test_a_user_left_out_is_back_after_a_reset(vault_path, login):
    _swap_public(vault_path, "rita")
    ada = login("ada")
    users.rekey_vault(ada, "test")
    users.reset_passphrase(ada, "rita", "rita was given new words")
    open_vault(vault_path, "rita", "rita was given new words").close()


def test_a_swapped_public_half_does_not_open_its_own_slot(vault_path):
    """The public half is in the slot's AAD: swapped, the slot no longer opens at all."""
    _swap_public(vault_path, "rita")
    with pytest.raises(AuthFailed):
        open_vault(vault_path, "rita", PASS["rita"])


def test_each_public_half_is_recorded_inside_the_vault(vault_path, login):
    ada = login("ada")
    users.reset_passphrase(ada, "rob", "rob was given new words")
    rita = login("rita")
    users.change_own_passphrase(rita, PASS["rita"], "rita chose other words")
    keys = KeyFile.load(vault_path)
    recorded = dict(ada.query("SELECT name, public_key FROM users WHERE disabled = 0"))
    assert recorded == {u: keys.public(u) for u in keys.users()}


def test_an_unrecorded_slot_gets_no_new_key(vault_path, login):
    """A slot for a name the database does not know (pasted into the key file) is not resealed."""
    path = KeyFile.for_vault(vault_path)
    data = json.loads(path.read_text())
    data["slots"]["mallory"] = data["slots"]["rita"]
    path.write_text(json.dumps(data))
    ada = login("ada")
    assert users.rekey_vault(ada, "test") == ["mallory"]
    assert "mallory" not in KeyFile.load(vault_path).users()
    ada.close()
    connection.connect(vault_path, KeyFile.load(vault_path).unlock("rita", PASS["rita"])).close()
