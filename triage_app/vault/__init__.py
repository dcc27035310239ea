"""Create and open vaults: the encrypted database plus its key slots and audit head."""
from __future__ import annotations

import secrets
from pathlib import Path

from triage_app import audit
from triage_app.errors import AuthFailed, BadInput, TriageError, VaultUnavailable
from triage_app.vault import connection, migrations
from triage_app.vault.keyslots import KdfParams, KeyFile, benchmark_kdf, passphrase_problem


# Capabilities register functions run at every unlock, before the unlock entry, to finish work a
# killed process left half-way outside the database (e.g. a backup file not yet renamed into place).
ON_OPEN: list = []


def on_open(hook):
    ON_OPEN.append(hook)
    return hook


def _sidecars(path: Path) -> list[Path]:
    return [KeyFile.for_vault(path), audit.head_path(path), Path(str(path) + "-wal"), Path(str(path) + "-shm")]


def create_vault(path: Path, admin: str, passphrase: str, kdf: KdfParams | None = None):
    """A new vault with one admin; returns an unlocked Session for that admin."""
    from triage_app.session import Session
    from triage_app.users import validate_user_name

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
    keyfile = KeyFile.new(path)
    keyfile.add_slot(admin, passphrase, bytes(key), kdf)
    conn = None
    try:
        conn = connection.connect(path, key, create=True)
        migrations.migrate(conn, path)
        conn.execute("BEGIN IMMEDIATE")
        now = audit.utc_now()
        conn.execute("INSERT INTO meta(key, value) VALUES ('vault_id', ?), ('created_at', ?)", (keyfile.vault_id, now))
        conn.execute("INSERT INTO users(name, role, created_at, created_by) VALUES (?, 'admin', ?, NULL)", (admin, now))
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
    return Session(path, conn, key, keyfile, admin, "admin")


def open_vault(path: Path, user: str, passphrase: str):
    """Unlock a vault as `user`; the unlock itself is an audit entry."""
    from triage_app.session import Session

    path = Path(path)
    if not path.exists():
        raise VaultUnavailable(f"There is no vault at {path}.")
    keyfile = KeyFile.load(path)
    key = keyfile.unlock(user, passphrase)
    try:
        conn = connection.connect(path, key)
    except VaultUnavailable:
        # A re-key interrupted after the database took its new key: the pending slots hold it.
        pending = KeyFile.load_pending(path)
        if pending is None:
            raise
        key = pending.unlock(user, passphrase)
        conn = connection.connect(path, key)
        pending.promote()
        keyfile = pending
    try:
        migrations.migrate(conn, path)
        vault_id = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
        if vault_id is None or vault_id[0] != keyfile.vault_id:
            raise VaultUnavailable(f"The key file beside {path} belongs to another vault.")
        row = conn.execute("SELECT role, disabled FROM users WHERE name = ?", (user,)).fetchone()
        if row is None or row[1]:
            raise AuthFailed()
    except connection.DatabaseError:
        conn.close()
        raise VaultUnavailable(f"The vault {path} is damaged; restore it from a backup.")
    except TriageError:
        conn.close()
        raise
    session = Session(path, conn, key, keyfile, user, row[0])
    try:
        for hook in ON_OPEN:
            hook(session)
        outside, problem = audit.read_head(path, key, keyfile.vault_id)
        if problem or (outside and not _head_matches(conn, outside)):
            session.audit_warning = "The audit log does not match its outside record; run 'audit verify'."
        session.record("self", "unlock", kind="access")
    except connection.DatabaseError:
        # A damaged page can hide until a later table is read: still the same plain sentence.
        session.close()
        raise VaultUnavailable(f"The vault {path} is damaged; restore it from a backup.")
    except BaseException:
        session.close()
        raise
    return session


def _head_matches(conn, outside: audit.Head) -> bool:
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (outside.seq,)).fetchone()
    return outside.seq == 0 or (row is not None and row[0] == outside.hash)
