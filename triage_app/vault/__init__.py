"""Create and unlock vaults: the encrypted database plus its key slots and audit head.

The ground returns what it opened (`Opened`); the one door (`triage_app.session.open_vault` /
`create_vault`) wraps it in a Session, runs the `ON_OPEN` hooks and audits the unlock.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from triage_app import audit
from triage_app.errors import AuthFailed, BadInput, TriageError, VaultUnavailable
from triage_app.permissions import validate_user_name
from triage_app.vault import connection, keychange, migrations, upkeep
from triage_app.vault import kdf as kdf_store
from triage_app.vault.kdf import KdfParams, benchmark_kdf
from triage_app.vault.keyslots import KeyFile
from triage_app.vault.passphrase import passphrase_problem


# Capabilities register functions run at every unlock, before the unlock entry, to finish work a
# killed process left half-way outside the database (e.g. a backup file not yet renamed into place).
ON_OPEN: list = []


def on_open(hook):
    ON_OPEN.append(hook)
    return hook


@dataclass
class Opened:
    """An unlocked vault before anyone wraps it: the connection, the key, the slots, who and what role."""
    path: Path
    conn: object
    key: bytearray
    keyfile: KeyFile
    user: str
    role: str


def _sidecars(path: Path) -> list[Path]:
    return [KeyFile.for_vault(path), audit.head_path(path), Path(str(path) + "-wal"), Path(str(path) + "-shm")]


def create(path: Path, admin: str, passphrase: str, kdf: KdfParams | None = None) -> Opened:
    """A new vault with one admin (the creation and the admin are its first audit entries). `kdf` is
    the vault's one Argon2id parameter set (benchmarked when not given)."""
    path = Path(path)
    validate_user_name(admin)
    problem = passphrase_problem(passphrase)
    if problem:
        raise BadInput(problem)
    if path.exists() or KeyFile.for_vault(path).exists():
        raise BadInput(f"A vault already exists at {path}; choose another path.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise VaultUnavailable(f"The folder for {path} can't be made ({e.strerror}).")
    kdf = kdf or benchmark_kdf()
    try:
        path.touch(mode=0o600, exist_ok=False)  # the database and its WAL inherit owner-only access
    except OSError as e:
        raise VaultUnavailable(f"The vault {path} can't be created ({e.strerror}).")
    key = bytearray(secrets.token_bytes(32))
    keyfile = KeyFile.new(path, kdf)
    public = keyfile.add_slot(admin, passphrase, bytes(key), kdf)
    conn = None
    try:
        conn = connection.connect(path, key, create=True)
        migrations.migrate(conn, path)
        conn.execute("BEGIN IMMEDIATE")
        now = audit.utc_now()
        conn.execute("INSERT INTO meta(key, value) VALUES ('vault_id', ?), ('created_at', ?)", (keyfile.vault_id, now))
        kdf_store.keep(conn, kdf)
        conn.execute("INSERT INTO users(name, role, created_at, created_by, public_key) VALUES (?, 'admin', ?, NULL, ?)",
                     (admin, now, public))
        audit.append(conn, admin, "vault.create", "administration", None, {"vault_id": keyfile.vault_id})
        head = audit.append(conn, admin, "user.add", "administration", None, {"name": admin, "role": "admin"})
        conn.execute("COMMIT")
        keyfile.save()
        audit.write_head(path, key, keyfile.vault_id, head)
    except BaseException:
        if conn is not None:
            conn.close()
        for p in [path, *_sidecars(path)]:
            try:
                p.unlink()
            except OSError:
                pass
        raise
    return Opened(path, conn, key, keyfile, admin, "admin")


def unlock(path: Path, user: str, passphrase: str) -> Opened:
    """Unlock a vault as an active user; the caller audits the unlock."""
    path = Path(path)
    if not path.exists():
        raise VaultUnavailable(f"There is no vault at {path}.")
    keyfile, key, conn = _connect(path, user, passphrase)
    try:
        migrations.migrate(conn, path)
        vault_id = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
        if vault_id is None or vault_id[0] != keyfile.vault_id:
            raise VaultUnavailable(f"The key file beside {path} belongs to another vault.")
        if upkeep.needed(conn, path, keyfile):
            upkeep.run(conn, path, user)
            # Whatever was finished or removed, the passphrase must open the key file as it is now
            # (an old passphrase must not outlive a committed change that replaced it).
            keyfile = KeyFile.load(path)
            if keyfile.unlock(user, passphrase) != key:
                raise AuthFailed()
        row = conn.execute("SELECT role, disabled FROM users WHERE name = ?", (user,)).fetchone()
        if row is None or row[1]:
            raise AuthFailed()
    except connection.DatabaseError:
        conn.close()
        raise VaultUnavailable(f"The vault {path} is damaged; restore it from a backup.")
    except BaseException:
        conn.close()
        raise
    return Opened(path, conn, key, keyfile, user, row[0])


def _connect(path: Path, user: str, passphrase: str):
    """(key file, key, connection) from the live key file, or else from a key file a committed change
    had not yet renamed into place (upkeep then checks it really committed)."""
    live = KeyFile.load(path)
    try:
        key = live.unlock(user, passphrase)
        return live, key, connection.connect(path, key)
    except (AuthFailed, VaultUnavailable) as first:
        for staged in [*keychange.staged_files(path), Path(str(KeyFile.for_vault(path)) + ".pending")]:
            try:
                candidate = KeyFile.read(staged)
                key = candidate.unlock(user, passphrase)
                conn = connection.connect(path, key)
            except (AuthFailed, VaultUnavailable):
                continue
            if staged.name.endswith(".pending"):
                # A re-key cut by an older version after the database took its new key.
                os.replace(staged, KeyFile.for_vault(path))
            return candidate, key, conn
        raise first


def head_matches(conn, outside: audit.Head) -> bool:
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (outside.seq,)).fetchone()
    return outside.seq == 0 or (row is not None and row[0] == outside.hash)
