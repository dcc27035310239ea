"""Users and roles (admin only), each user's own passphrase, and re-keying the vault.

Every change of the key file goes with its change (session.keys / session.save_keys): read under the
change's write lock, written after its COMMIT (vault/keychange.py). New slots use the vault's one
Argon2id parameter set (vault/kdf.py), never a set of their own. Checks that depend on other users
(the last admin) are made inside the change's transaction, so two admins can't race past them.
"""
from __future__ import annotations

import secrets

from triage_app.audit import utc_now
from triage_app.errors import BadInput, NotFound, Refused
from triage_app.permissions import ROLES, validate_user_name
from triage_app.vault import kdf as vault_kdf
from triage_app.vault.passphrase import passphrase_problem


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise BadInput(f"The role must be one of {', '.join(ROLES)}.")


def _check_passphrase(p: str) -> None:
    problem = passphrase_problem(p)
    if problem:
        raise BadInput(problem)


def list_users(session) -> list[dict]:
    session.require("users")
    return [{"name": r[0], "role": r[1], "disabled": bool(r[2]), "created_at": r[3], "created_by": r[4]}
            for r in session.query("SELECT name, role, disabled, created_at, created_by FROM users ORDER BY name")]


def _get(session, name: str):
    row = session.one("SELECT name, role, disabled FROM users WHERE name = ?", (name,))
    if row is None:
        raise NotFound(f"There is no user called {name}.")
    return row


def _keys(session):
    """Inside a change: the key file as it is now, with the vault's parameter set to wrap slots with."""
    keys = session.keys()
    kdf = vault_kdf.of_vault(session.conn) or keys.dummy_kdf
    keys.set_vault_kdf(kdf)
    return keys, kdf


def add_user(session, name: str, role: str, passphrase: str) -> None:
    session.require("users")
    validate_user_name(name)
    _check_role(role)
    _check_passphrase(passphrase)
    with session.change("users", "user.add", kind="administration", detail={"name": name, "role": role}):
        if session.one("SELECT 1 FROM users WHERE name = ?", (name,)):
            raise BadInput(f"A user called {name} already exists (disabled users keep their name for the audit log).")
        keys, kdf = _keys(session)
        public = keys.add_slot(name, passphrase, bytes(session.vault_key()), kdf)
        session.conn.execute("INSERT INTO users(name, role, created_at, created_by, public_key) VALUES (?,?,?,?,?)",
                             (name, role, utc_now(), session.user, public))
        session.save_keys(keys)


def _active_admins(session) -> int:
    return session.one("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0")[0]


def disable_user(session, name: str, rekey: bool = False) -> list[str]:
    """Disable `name` (their slot goes); with `rekey`, re-encrypt the vault too. Returns the users a
    re-key left out (see `rekey_vault`)."""
    session.require("users")
    if name == session.user:
        raise Refused("You can't disable yourself; ask another admin.")
    with session.change("users", "user.disable", kind="administration", detail={"name": name, "rekey": rekey}):
        row = _get(session, name)
        if row[1] == "admin" and not row[2] and _active_admins(session) <= 1:
            raise Refused("The last admin can't be disabled; make another admin first.")
        session.conn.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))
        keys, _ = _keys(session)
        keys.remove_slot(name)
        session.save_keys(keys)
    return rekey_vault(session, reason=f"user {name} disabled") if rekey else []


def set_role(session, name: str, role: str) -> None:
    session.require("users")
    _check_role(role)
    with session.change("users", "user.role", kind="administration", detail={"name": name, "to": role}) as entry:
        row = _get(session, name)
        if row[1] == "admin" and role != "admin" and _active_admins(session) <= 1:
            raise Refused("The last admin can't be demoted; make another admin first.")
        entry["from"] = row[1]
        session.conn.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))


def reset_passphrase(session, name: str, new: str) -> None:
    session.require("users")
    _check_passphrase(new)
    with session.change("users", "user.reset", kind="administration", detail={"name": name}):
        if _get(session, name)[2]:
            raise Refused(f"The user {name} is disabled; enable is not offered, add a new user instead.")
        keys, kdf = _keys(session)
        public = keys.reset_passphrase(name, new, bytes(session.vault_key()), kdf)
        session.conn.execute("UPDATE users SET public_key = ? WHERE name = ?", (public, name))
        session.save_keys(keys)


def change_own_passphrase(session, old: str, new: str) -> None:
    _check_passphrase(new)
    with session.change("self", "user.passwd", kind="administration", detail={"name": session.user}):
        keys, kdf = _keys(session)
        public = keys.change_passphrase(session.user, old, new, kdf)
        session.conn.execute("UPDATE users SET public_key = ? WHERE name = ?", (public, session.user))
        session.save_keys(keys)


def rekey_vault(session, reason: str) -> list[str]:
    """Re-encrypt the database under a new random key (a departed user may hold the old one).

    The new key is sealed only to slots whose public half matches the one recorded for an active
    user inside the database; any other slot (a public half swapped in the key file) is removed, and
    its user named in the audit entry and returned: they need `user reset`."""
    with session.change("users", "vault.rekey", kind="administration", detail={"reason": reason}) as entry:
        keys, _ = _keys(session)
        recorded = dict(session.query("SELECT name, public_key FROM users WHERE disabled = 0 AND public_key IS NOT NULL"))
        new_key = bytearray(secrets.token_bytes(32))
        entry["left_out"] = keys.reseal(bytes(new_key), recorded)
        session.save_keys(keys, new_key=new_key)
    return entry["left_out"]
