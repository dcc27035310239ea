"""Changing the key file: under the database's write lock, and never without its audit entry.

A key-file change (a user added, disabled or reset, a passphrase changed, a re-key) runs inside the
change's transaction, which holds the database's write lock (BEGIN IMMEDIATE):
  1. `current`: finish what an earlier change left, then read the key file as it is on disk now —
     never the copy a session loaded at unlock, so a session opened earlier cannot undo another
     session's change (a lost update: an old passphrase working again, a disabled user's slot back);
  2. `stage`: write the new content to `VAULT.keys.next-TOKEN` (fsync) and a journal row
     (`pending_keyfiles`) that commits with the change and its audit entry;
  3. `promote`, after COMMIT: rename the staged file over `VAULT.keys` and delete the row.
A cut before COMMIT leaves a staged file with no row: nothing changed, no entry, and the next change
or unlock removes the file. A cut after COMMIT leaves the row: the next unlock (or key change)
finishes the rename (the backup journal in ops/backup.py works the same way).
"""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from triage_app.audit import utc_now
from triage_app.errors import VaultUnavailable
from triage_app.fileio import atomic_write, fsync_dir
from triage_app.vault import connection
from triage_app.vault.keyslots import KeyFile

def staged_files(vault_path: Path) -> list[Path]:
    """Staged key files beside the vault, newest first (there is rarely more than one)."""
    live = KeyFile.for_vault(vault_path)
    found = [p for p in live.parent.glob(live.name + ".next-*") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _token(staged: Path) -> str:
    return staged.name.rpartition(".next-")[2]


def pending(conn) -> bool:
    return conn.execute("SELECT 1 FROM pending_keyfiles LIMIT 1").fetchone() is not None


def finish(conn, vault_path: Path) -> bool:
    """Inside a write transaction: put in place a staged file whose row committed, remove staged
    files without one (their change rolled back or was cut), clear the rows. True if a file moved."""
    committed = {r[0] for r in conn.execute("SELECT token FROM pending_keyfiles")}
    moved = False
    for staged in staged_files(vault_path):
        if _token(staged) in committed:
            try:
                os.replace(staged, KeyFile.for_vault(vault_path))
            except FileNotFoundError:
                continue  # its own session renamed it a moment ago
            except OSError as e:
                raise VaultUnavailable(f"The key file beside {vault_path} can't be updated ({e.strerror}); "
                                       "nothing was changed.")
            fsync_dir(vault_path.parent)
            moved = True
        else:
            staged.unlink(missing_ok=True)
    conn.execute("DELETE FROM pending_keyfiles")
    return moved


def current(conn, vault_path: Path) -> KeyFile:
    """Inside a write transaction: the key file as it is now, for a change to start from."""
    finish(conn, vault_path)
    return KeyFile.load(vault_path)


def stage(conn, keyfile: KeyFile, vault_path: Path) -> Path:
    """Inside the change's transaction: write the new content beside the live file, and its row."""
    data = keyfile.to_bytes()
    token = secrets.token_hex(8)
    live = KeyFile.for_vault(vault_path)
    staged = live.with_name(f"{live.name}.next-{token}")
    atomic_write(staged, data)
    conn.execute("INSERT INTO pending_keyfiles(token, sha256, created_at) VALUES (?,?,?)",
                 (token, hashlib.sha256(data).hexdigest(), utc_now()))
    return staged


def promote(conn, staged: Path, vault_path: Path) -> bool:
    """After COMMIT: the staged file becomes the key file. False if it could not be moved now (the
    change is committed; the next unlock or key change finishes it)."""
    try:
        os.replace(staged, KeyFile.for_vault(vault_path))
    except FileNotFoundError:
        return True  # another session finished it under the lock already
    except OSError:
        return False
    fsync_dir(vault_path.parent)
    try:
        conn.execute("DELETE FROM pending_keyfiles WHERE token = ?", (_token(staged),))
    except connection.DatabaseError:
        pass  # a leftover row is harmless: the next finish clears it
    return True


def discard(staged: Path) -> None:
    """After a rollback: the staged file never counted."""
    staged.unlink(missing_ok=True)
