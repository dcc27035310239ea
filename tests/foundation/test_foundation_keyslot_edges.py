"""Key slots: the edges the wider key tests step over (found by breaking copies of the code)."""
import json

import pytest

from tests.conftest import PASS
from triage_app.errors import AuthFailed, VaultUnavailable
from triage_app.session import open_vault
from triage_app.vault.keyslots import KeyFile


def test_a_slot_whose_public_half_was_swapped_does_not_open(vault_path):
    """A slot's public half is what a re-key seals the new key to; it is bound to the wrapped private
    key, so a key file edited to give rita's slot another public half is refused, not used."""
    path = KeyFile.for_vault(vault_path)
    data = json.loads(path.read_text())
    assert data["slots"]["rita"]["public"] != data["slots"]["rob"]["public"]
    data["slots"]["rita"]["public"] = data["slots"]["rob"]["public"]
    path.write_text(json.dumps(data))
    with pytest.raises((AuthFailed, VaultUnavailable)):
        open_vault(vault_path, "rita", PASS["rita"])
    s = open_vault(vault_path, "rob", PASS["rob"])   # the other slots are untouched
    assert s.user == "rob"
    s.close()


def _rename_fails(monkeypatch):
    from triage_app.vault import keychange
    real = keychange.os.replace

    def replace(src, dst):
        if str(dst).endswith(".keys"):   # the staged file's rename into place
            raise OSError(5, "Input/output error")
        return real(src, dst)
    monkeypatch.setattr(keychange.os, "replace", replace)


def test_a_change_after_one_left_unrenamed_keeps_both(vault_path, login, monkeypatch):
    """Rob disabled, his key file's rename failing after the commit; then, in the same session, a
    user added: the add starts from the committed change (not the live file still holding rob), so
    after the next unlock both hold: eve opens the vault and rob's slot is gone."""
    from triage_app import users
    ada = login("ada")
    _rename_fails(monkeypatch)
    users.disable_user(ada, "rob")
    monkeypatch.undo()
    users.add_user(ada, "eve", "reviewer", "eve has a long passphrase")
    ada.close()
    s = open_vault(vault_path, "eve", "eve has a long passphrase")
    s.close()
    assert "rob" not in KeyFile.load(vault_path).users()
    assert "eve" in KeyFile.load(vault_path).users()
