"""The one door: an unlocked vault and the acting user.

Every change goes through `Session.change`, which checks the role, runs the change and appends its
audit entry in one transaction, so a change and its entry are both there or both absent.
Consultations (a case read) go through `Session.record`.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from triage_app import audit, vault
from triage_app.errors import Refused, TriageError, VaultUnavailable
from triage_app.permissions import PHRASES, allowed, article
from triage_app.vault import checkpoint, connection, keychange, residue
from triage_app.vault.keyslots import KeyFile


class Session:
    def __init__(self, path: Path, conn, key: bytearray, keyfile, user: str, role: str):
        self.path = Path(path)
        self.conn = conn
        self._key = key
        self.keyfile = keyfile
        self.user = user
        self.role = role
        self.audit_warning: str | None = None
        self._in_change = False
        self._staged, self._rekeyed = None, False
        self._identity = _file_identity(self.path)
        self._checkpoint: checkpoint.Background | None = None

    # --- roles ------------------------------------------------------------------------------
    def can(self, permission: str) -> bool:
        return allowed(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Refused(f"{article(self.role)} {self.role} may not {PHRASES[permission]}.")

    # --- changes and reads ------------------------------------------------------------------
    @contextmanager
    def change(self, permission: str, action: str, *, kind: str = "alteration", case: str | None = None,
               detail: dict | None = None) -> Iterator[dict]:
        """Run a change and its audit entry in one transaction.

        Yields the entry's detail dict: the body may add to it (e.g. counts) before it is written.
        Any exception rolls everything back.
        """
        self.require(permission)
        if self._in_change:
            raise RuntimeError("changes do not nest; pass the connection down instead")
        entry = dict(detail or {})
        self._in_change = True
        self._staged, self._rekeyed = None, False
        try:
            self._begin()
            try:
                self._refresh_role()
                self.require(permission)
                yield entry
                head = audit.append(self.conn, self.user, action, kind, entry.pop("_case", case), entry)
                self._commit()
            except BaseException as e:
                self._rollback()
                if self._staged and not self._rekeyed:
                    keychange.discard(self._staged[0])
                    if self._staged[2] is not None and isinstance(e, connection.DatabaseError):
                        self.close()  # a failed re-key may have left SQLCipher's write key half-set
                raise
        except connection.DatabaseError as e:
            raise TriageError(f"The change could not be saved ({connection.explain(e)}); nothing was changed.")
        finally:
            self._in_change = False
        self._take_staged_keys()
        self._publish(head)

    def record(self, permission: str, action: str, *, kind: str = "consultation", case: str | None = None,
               detail: dict | None = None) -> None:
        """An audit entry on its own (a consultation, a disclosure already written, an unlock)."""
        with self.change(permission, action, kind=kind, case=case, detail=detail):
            pass

    def _begin(self) -> None:
        # An open file keeps working after a move or delete, so a change would land in a file nobody
        # will open again (and the audit head beside the old path): refuse instead.
        if self._identity is not None and _file_identity(self.path) != self._identity:
            raise VaultUnavailable("The vault file was moved or deleted while it was open; nothing was changed. "
                                   "Open it again from where it is now, or restore it from a backup.")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except connection.OperationalError as e:
            raise TriageError(f"The vault is busy or can't be written ({connection.explain(e)}); nothing was changed.")

    # --- the key file (a change of it goes with its change: vault/keychange.py) ----------------
    def keys(self) -> KeyFile:
        """Inside a change: the key file as it is on disk now, read under the change's write lock."""
        if not self._in_change:
            raise RuntimeError("the key file is changed only inside session.change")
        return keychange.current(self.conn, self.path)

    def save_keys(self, keys: KeyFile, new_key: bytearray | None = None) -> None:
        """Inside a change: `keys` replace the key file after COMMIT, so the file never changes without
        the change's audit entry. With `new_key` the database is re-keyed to it in that same commit."""
        self._staged = (keychange.stage(self.conn, keys, self.path), keys, new_key)

    def _commit(self) -> None:
        new_key = self._staged[2] if self._staged else None
        if new_key is not None:
            # PRAGMA rekey rewrites every page and commits the open transaction with them: the new
            # key, the journal row and the audit entry land together or not at all.
            connection.set_raw_key(self.conn.reset_key, new_key)
            self._rekeyed = True  # committed: from here the staged file is the only one with the key
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def _take_staged_keys(self) -> None:
        if not self._staged:
            return
        staged, keys, new_key = self._staged
        self._staged = None
        if new_key is not None:
            self._key[:] = new_key
            new_key[:] = bytes(len(new_key))
        self.keyfile = keys
        if not keychange.promote(self.conn, staged, self.path):
            self.audit_warning = "The key file beside the vault could not be updated yet; the next unlock finishes it."

    def _refresh_role(self) -> None:
        """Inside the change's transaction: the role and the disabled flag as they are now, not as at
        unlock (an admin may have demoted or disabled this user since; a promotion counts from here too)."""
        row = self.conn.execute("SELECT role, disabled FROM users WHERE name = ?", (self.user,)).fetchone()
        if row is None or row[1]:
            raise Refused("This user has been disabled; nothing was changed.")
        self.role = row[0]

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except connection.DatabaseError:
            pass

    def _publish(self, head: audit.Head) -> None:
        try:
            audit.write_head(self.path, self._key, self.keyfile.vault_id, head)
        except TriageError:
            # The change is committed; a stale outside head is caught by `audit verify` later.
            self.audit_warning = "The audit head beside the vault could not be updated."

    # --- queries ----------------------------------------------------------------------------
    def query(self, sql: str, params=()) -> list:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params=()):
        return self.conn.execute(sql, params).fetchone()

    def head(self) -> audit.Head:
        return audit.current_head(self.conn)

    def vault_key(self) -> bytearray:
        """For operations that must re-key or authenticate (backup, rekey, audit head)."""
        # The zeroed bytearray is still truthy after lock: ask the connection, not the key.
        if self.conn is None or not any(self._key):
            raise VaultUnavailable("The vault is locked.")
        return self._key

    def verify_audit(self) -> audit.Verdict:
        outside, problem = audit.read_head(self.path, self._key, self.keyfile.vault_id)
        try:
            return audit.verify(self.conn, outside, problem)
        except connection.DatabaseError:
            return audit.Verdict(False, 0, audit.Head(0, audit.GENESIS),
                                 "The audit log can't be read: the vault is damaged; restore it from a backup.")

    # --- after a large change ---------------------------------------------------------------
    def checkpoint_later(self) -> None:
        """Copy what the last COMMIT left in the write-ahead log into the vault file, in the background
        (vault/checkpoint.py): a large change commits with `checkpoint.deferred` and then calls this."""
        if self.conn is None or self._in_change:
            return
        if self._checkpoint is not None:
            self._checkpoint.wait()
        self._checkpoint = checkpoint.Background(self.path, self._key)

    def wait_checkpoint(self) -> checkpoint.Background | None:
        """Wait for the background checkpoint, if one was started; returns it (its .result, .error)."""
        done = self._checkpoint
        if done is not None:
            done.wait()
        return done

    # --- locking ----------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.conn is None

    def close(self) -> None:
        """Lock: close the database and overwrite the key bytes we hold.

        Python may have copied the key elsewhere (hex strings for PRAGMA key are immutable and
        left to the garbage collector); SQLCipher wipes its own copies of the key when the
        connection closes. The key's pages are locked in RAM (vault/connection.protect_key).
        """
        self.wait_checkpoint()     # its connection uses the key overwritten below
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
        for i in range(len(self._key)):
            self._key[i] = 0
        residue.forget()   # the caches of names, addresses, phones … read from the vault

    lock = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def create_vault(path: Path, admin: str, passphrase: str, kdf=None) -> Session:
    """A new vault with one admin; returns an unlocked Session for that admin."""
    return Session(*_fields(vault.create(path, admin, passphrase, kdf)))


def open_vault(path: Path, user: str, passphrase: str) -> Session:
    """Unlock a vault as `user`; the unlock itself is an audit entry."""
    opened = vault.unlock(path, user, passphrase)
    session = Session(*_fields(opened))
    try:
        for hook in vault.ON_OPEN:
            hook(session)
        outside, problem = audit.read_head(session.path, opened.key, opened.keyfile.vault_id)
        if problem or (outside and not vault.head_matches(session.conn, outside)):
            session.audit_warning = "The audit log does not match its outside record; run 'audit verify'."
        session.record("self", "unlock", kind="access")
    except connection.DatabaseError:
        # A damaged page can hide until a later table is read: still the same plain sentence.
        session.close()
        raise VaultUnavailable(f"The vault {session.path} is damaged; restore it from a backup.")
    except BaseException:
        session.close()
        raise
    return session


def _fields(o: vault.Opened) -> tuple:
    return o.path, o.conn, o.key, o.keyfile, o.user, o.role


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def to_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False)
