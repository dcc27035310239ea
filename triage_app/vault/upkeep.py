"""At unlock, under the write lock: finish an interrupted key-file change and bring an older vault's
key records up to date.

- A key-file change cut between its COMMIT and its rename is finished (keychange.finish); a staged
  file whose change never committed is removed.
- A vault from before public halves were recorded gets them from its key file (trust on first use,
  once, in an audited entry); from then on a re-key seals only to slots matching that record.
- A vault from before it had one Argon2id parameter set gets the costliest set among its slots;
  each slot moves to it when its passphrase is next set.
Nothing here runs, and no lock is taken, when there is nothing to do.
"""
from __future__ import annotations

from pathlib import Path

from triage_app import audit
from triage_app.errors import VaultUnavailable
from triage_app.vault import connection, kdf, keychange
from triage_app.vault.keyslots import KeyFile


def _unrecorded(conn, keyfile: KeyFile) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM users WHERE public_key IS NULL AND disabled = 0")]
    return [n for n in names if keyfile.public(n)]


def needed(conn, vault_path: Path, keyfile: KeyFile) -> bool:
    return bool(keychange.staged_files(vault_path) or keychange.pending(conn) or kdf.of_vault(conn) is None
                or _unrecorded(conn, keyfile))


def run(conn, vault_path: Path, user: str) -> None:
    """One transaction; the entry (if anything was recorded) names the unlocking user."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            keychange.finish(conn, vault_path)
            live = KeyFile.load(vault_path)
            recorded = _unrecorded(conn, live)
            for name in recorded:
                conn.execute("UPDATE users SET public_key = ? WHERE name = ?", (live.public(name), name))
            set_kdf = kdf.of_vault(conn) is None and live.dummy_kdf is not None
            if set_kdf:
                kdf.keep(conn, live.dummy_kdf)
            if recorded or set_kdf:
                audit.append(conn, user, "keys.record", "administration", None,
                             {"public_keys_recorded": recorded, "kdf_recorded": set_kdf})
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except connection.DatabaseError:
                pass
            raise
    except connection.OperationalError as e:
        raise VaultUnavailable(f"The vault {vault_path} can't be opened ({connection.explain(e)}).")
