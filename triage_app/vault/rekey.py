"""Re-encrypt the database under a new random key (after a user who may hold a copy has left).

Order matters for crash safety: the new slots are written beside the live ones first
(`VAULT.keys.pending`), then the database is re-keyed, then the pending slots replace the live ones.
An interruption at any point leaves a key file that opens the database (`open_vault` tries the
pending slots when the live ones no longer fit).
"""
from __future__ import annotations

import copy
import secrets

from triage_app.errors import TriageError
from triage_app.vault import connection
from triage_app.vault.keyslots import KeyFile


def rekey_vault(session, reason: str) -> None:
    session.require("users")
    new_key = bytearray(secrets.token_bytes(32))
    pending = KeyFile(session.keyfile.path, copy.deepcopy(session.keyfile.data))
    pending.reseal_all(bytes(new_key))
    pending.write_pending()
    try:
        connection.set_raw_key(session.conn.reset_key, new_key)
    except connection.DatabaseError as e:
        raise TriageError(f"The vault could not be re-encrypted ({connection.explain(e)}); it still opens with the old key.")
    pending.promote()
    session.keyfile = pending
    old = session.vault_key()
    old[:] = new_key
    for i in range(len(new_key)):
        new_key[i] = 0
    session.record("users", "vault.rekey", kind="administration", detail={"reason": reason})
