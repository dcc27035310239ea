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
