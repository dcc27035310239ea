"""Users and roles (admin only), and each user's own passphrase."""
from __future__ import annotations

from triage_app.errors import BadInput, NotFound, Refused
from triage_app.permissions import ROLES, validate_user_name
from triage_app.vault.keyslots import KdfParams, benchmark_kdf, passphrase_problem

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


def add_user(session, name: str, role: str, passphrase: str, kdf: KdfParams | None = None) -> None:
    session.require("users")
    validate_user_name(name)
    _check_role(role)
    _check_passphrase(passphrase)
    if session.one("SELECT 1 FROM users WHERE name = ?", (name,)):
        raise BadInput(f"A user called {name} already exists (disabled users keep their name for the audit log).")
    kdf = kdf or benchmark_kdf()
    from triage_app.audit import utc_now
    with session.change("users", "user.add", kind="administration", detail={"name": name, "role": role}):
        session.conn.execute("INSERT INTO users(name, role, created_at, created_by) VALUES (?,?,?,?)",
                             (name, role, utc_now(), session.user))
        session.keyfile.add_slot(name, passphrase, bytes(session.vault_key()), kdf)
        session.keyfile.save()  # inside the transaction: if this fails, the user row rolls back


def _active_admins(session) -> int:
    return session.one("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0")[0]


def disable_user(session, name: str, rekey: bool = False) -> None:
    session.require("users")
    row = _get(session, name)
    if row[1] == "admin" and not row[2] and _active_admins(session) <= 1:
        raise Refused("The last admin can't be disabled; make another admin first.")
    if name == session.user:
        raise Refused("You can't disable yourself; ask another admin.")
    with session.change("users", "user.disable", kind="administration", detail={"name": name, "rekey": rekey}):
        session.conn.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))
        session.keyfile.remove_slot(name)
        session.keyfile.save()
    if rekey:
        from triage_app.vault.rekey import rekey_vault
        rekey_vault(session, reason=f"user {name} disabled")


def set_role(session, name: str, role: str) -> None:
    session.require("users")
    _check_role(role)
    row = _get(session, name)
    if row[1] == "admin" and role != "admin" and _active_admins(session) <= 1:
        raise Refused("The last admin can't be demoted; make another admin first.")
    with session.change("users", "user.role", kind="administration", detail={"name": name, "from": row[1], "to": role}):
        session.conn.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))


def reset_passphrase(session, name: str, new: str, kdf: KdfParams | None = None) -> None:
    session.require("users")
    row = _get(session, name)
    if row[2]:
        raise Refused(f"The user {name} is disabled; enable is not offered, add a new user instead.")
    _check_passphrase(new)
    kdf = kdf or benchmark_kdf()
    with session.change("users", "user.reset", kind="administration", detail={"name": name}):
        session.keyfile.reset_passphrase(name, new, bytes(session.vault_key()), kdf)
        session.keyfile.save()


def change_own_passphrase(session, old: str, new: str, kdf: KdfParams | None = None) -> None:
    _check_passphrase(new)
    kdf = kdf or benchmark_kdf()
    with session.change("self", "user.passwd", kind="administration", detail={"name": session.user}):
        session.keyfile.change_passphrase(session.user, old, new, kdf)
        session.keyfile.save()
