"""Encrypted backups of a whole vault: make one while the app is open, check one, restore one.

A backup file is a zip archive (stored, not compressed: the database is already ciphertext) of
  manifest.json  format, vault id, when and by whom, schema version, the audit chain head of the
                 copy, SHA-256 of the two other members, and a MAC over all of that under a key
                 derived from the vault key (so only someone who can unlock the vault could write it)
  vault.db       the SQLCipher database, page for page, under the vault's own key
  vault.keys     the key slots file as it was, so the same users unlock the copy with the same
                 passphrases
The copy is taken with SQLite's online backup API in a single step, which reads one consistent
snapshot while other connections go on writing (WAL). The audit head in the manifest is read from
the copy itself, so it is exactly the head of what was saved.

The key file and the snapshot are taken together under the write lock that key changes hold
(SECURITY.md §6): a key change committed but not yet renamed into place is finished first, then the
file is read and the snapshot's read transaction begun before the lock is let go. So a passphrase
change, a user added or disabled lands in both the copy's database and its key file, or in neither
(`_snapshot`). Writers wait only while the file is read, not while the pages are copied.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from triage_app import audit
from triage_app.errors import BadInput, NotFound, Refused, TriageError, VaultUnavailable
from triage_app.fileio import fsync_dir
from triage_app.permissions import PHRASES, allowed, article
from triage_app.vault import connection, keychange
from triage_app.vault.keyslots import KeyFile

FORMAT = "triage-app backup 1"
# What zipfile raises for a damaged archive: some only when a member is read (bad CRC, a flag bit
# claiming encryption or an unknown compression method), so every read is guarded by these.
ZIP_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, zlib.error)
MEMBERS = ("manifest.json", "vault.db", "vault.keys")


# --- the manifest's MAC --------------------------------------------------------------------

def _mac_key(vault_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"triage-app backup manifest").derive(bytes(vault_key))


def _manifest_mac(vault_key: bytes, manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "mac"}
    msg = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(_mac_key(vault_key), msg, hashlib.sha256).hexdigest()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def _private_dir():
    """A temp folder only we can read (mkdtemp makes it 0700), removed whatever happens."""
    d = Path(tempfile.mkdtemp(prefix="triage-app-"))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _new_private_file(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _keyed(path: Path, key: bytes):
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    connection.set_raw_key(conn.set_key, key)
    return conn


# --- making a backup -------------------------------------------------------------------------

def make_backup(session, out: Path) -> dict:
    """Write an encrypted backup of the session's vault to `out` (which must not exist yet).

    Audited in the live vault as "administration", not "disclosure": the copy goes to nobody new;
    it opens only with the vault's own key slots, for the same users.
    """
    session.require("backup")
    out = Path(out)
    if out.exists():
        raise BadInput(f"A file already exists at {out}; choose another name for the backup.")
    if not out.parent.is_dir():
        raise NotFound(f"The folder {out.parent} does not exist.")
    key = session.vault_key()  # the session's own wiped buffer: no immutable copy
    with _private_dir() as tmp:
        copy = tmp / "vault.db"
        _new_private_file(copy)
        keys_bytes = _snapshot(session, copy, key)
        check = connection.connect(copy, key)
        try:
            head = audit.current_head(check)
            schema = check.execute("PRAGMA user_version").fetchone()[0]
            cases = check.execute("SELECT count(*) FROM cases").fetchone()[0]
            check.execute("PRAGMA journal_mode = DELETE")  # fold the WAL back in: one file to carry
        finally:
            check.close()
        keys = KeyFile.parse(session.path, keys_bytes)
        manifest = {
            "format": FORMAT,
            "vault_id": keys.vault_id,
            "created_at": audit.utc_now(),
            "created_by": session.user,
            "schema": schema,
            "cases": cases,
            "audit_head": head.as_dict(),
            "db_sha256": _sha256_file(copy),
            "keys_sha256": hashlib.sha256(keys_bytes).hexdigest(),
        }
        manifest["mac"] = _manifest_mac(key, manifest)
        partial = out.with_name(out.name + ".partial")
        try:
            # A ".partial" is only ever our own unfinished (encrypted) write: one left by a killed
            # backup must not block the next backup to the same name.
            partial.unlink(missing_ok=True)
            _new_private_file(partial)
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as z:
                z.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
                z.write(copy, "vault.db")
                z.writestr("vault.keys", keys_bytes)
            with open(partial, "rb") as f:
                os.fsync(f.fileno())
        except OSError as e:
            partial.unlink(missing_ok=True)
            raise TriageError(f"The backup could not be written to {out} ({e.strerror or e}); nothing was written.")
    # The audit entry and a journal row commit together; the file takes its final name after
    # that. A kill before the commit leaves only a ".partial" (no backup, no entry); a kill after it
    # leaves the journal row, and the next unlock finishes the rename (`finish_pending_backups`).
    try:
        with session.change("backup", "backup.write", kind="administration",
                            detail={"file": out.name, "head_seq": head.seq, "head_hash": head.hash,
                                    "db_sha256": manifest["db_sha256"], "cases": cases}):
            _set_meta(session.conn, "last_backup_at", manifest["created_at"])
            session.conn.execute("INSERT OR REPLACE INTO pending_backups(partial, final, created_at) VALUES (?,?,?)",
                                 (str(partial.resolve()), str(out.resolve()), manifest["created_at"]))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _finish(session.conn, partial.resolve(), out.resolve())
    fsync_dir(out.parent)
    return {"file": str(out), "created_at": manifest["created_at"], "audit_head": head.as_dict(),
            "cases": cases, "bytes": out.stat().st_size}


def _snapshot(session, copy: Path, key: bytearray) -> bytes:
    """Copy the live database to `copy` and return the key file's bytes, both as of one moment.

    `session.conn` takes the write lock key changes take (BEGIN IMMEDIATE) and finishes a committed
    key change whose file was not renamed yet (keychange.finish, committed on its own); under the lock
    again, a second connection begins its read snapshot and the key file is read. The lock is then
    let go and the pages are copied from that snapshot (the backup API reuses an open read transaction).
    """
    conn, reader = session.conn, None
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            if keychange.pending(conn):
                keychange.finish(conn, session.path)
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
            reader = connection.connect(session.path, key)
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM meta").fetchone()  # the read snapshot starts here
            keys_bytes = KeyFile.load(session.path).to_bytes()
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        dst = _keyed(copy, key)
        try:
            # pages=-1: the whole database in one step, from the reader's one snapshot.
            reader.backup(dst, pages=-1)
        finally:
            dst.close()
        return keys_bytes
    except sqlcipher3.Error as e:
        raise TriageError(f"The backup could not be taken ({connection.explain(e)}); nothing was written.")
    finally:
        if reader is not None:
            reader.close()


def _finish(conn, partial: Path, final: Path) -> None:
    if partial.exists() and not final.exists():
        os.replace(partial, final)
    fsync_dir(final.parent)
    conn.execute("DELETE FROM pending_backups WHERE partial = ?", (str(partial),))


def finish_pending_backups(session) -> None:
    """At unlock: put in place any backup whose audit entry committed before its rename did."""
    for partial, final in session.query("SELECT partial, final FROM pending_backups"):
        try:
            _finish(session.conn, Path(partial), Path(final))
        except OSError:
            pass  # the folder is unreachable now (a removed USB stick): try again at the next unlock


def _set_meta(conn, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, value))


def backup_age_days(conn, now: datetime | None = None) -> float | None:
    """Days since the last backup of this vault, or None if it was never backed up."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'last_backup_at'").fetchone()
    if row is None:
        return None
    then = datetime.strptime(row[0], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (now - then).total_seconds() / 86400)


def backup_reminder(session, now: datetime | None = None) -> str | None:
    """The sentence the desktop app shows an admin or supervisor when a backup is due, else None."""
    from triage_app.ops.settings import remind_after_days
    if not session.can("backup"):
        return None
    age = backup_age_days(session.conn, now)
    limit = remind_after_days()
    if age is None:
        return "This vault has never been backed up; make a backup now."
    if age > limit:
        return f"The last backup is {int(age)} days old (more than {limit}); make a backup now."
    return None


# --- reading a backup ------------------------------------------------------------------------

@dataclass
class Opened:
    """A backup unpacked into a private temp folder and unlocked (valid inside `open_backup`)."""
    manifest: dict
    keys: KeyFile
    key: bytearray
    db: Path
    conn: object
    role: str
    problems: list = field(default_factory=list)


def _read_zip(file: Path) -> tuple[dict, bytes, zipfile.ZipFile]:
    if not file.is_file():
        raise NotFound(f"There is no backup file at {file}.")
    try:
        z = zipfile.ZipFile(file)
        names = set(z.namelist())
        if not set(MEMBERS) <= names:
            raise ValueError
        manifest = json.loads(z.read("manifest.json").decode("utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError
        keys_bytes = z.read("vault.keys")
    except (*ZIP_DAMAGE, ValueError, KeyError, UnicodeDecodeError, OSError):
        raise BadInput(f"{file} is not a triage-app backup (or it is damaged).")
    return manifest, keys_bytes, z


@contextmanager
def open_backup(file: Path, user: str, passphrase: str, permission: str):
    """Unpack and unlock a backup as `user`, who must hold `permission` in the backed-up vault.

    Yields an `Opened` whose `problems` lists every check that failed (empty: the backup is sound).
    The decrypted-key copy never exists: the database stays encrypted in a 0700 temp folder that
    is removed on the way out.
    """
    file = Path(file)
    manifest, keys_bytes, z = _read_zip(file)
    with z, _private_dir() as tmp:
        try:
            keys = KeyFile.parse(tmp / "vault.db.keys", keys_bytes)  # bounds its Argon2id parameters too
        except VaultUnavailable:
            raise BadInput(f"{file} is not a triage-app backup (its key slots are damaged).")
        key = keys.unlock(user, passphrase)
        conn = None
        try:
            problems = []
            if not hmac.compare_digest(str(manifest.get("mac", "")), _manifest_mac(key, manifest)):
                problems.append("its manifest fails its authentication check")
            if hashlib.sha256(keys_bytes).hexdigest() != manifest.get("keys_sha256"):
                problems.append("its key slots differ from those recorded in the manifest")
            db = tmp / "vault.db"
            _new_private_file(db)
            try:
                with z.open("vault.db") as src, open(db, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except ZIP_DAMAGE:
                # a damaged member (bad CRC, mismatched header) shows only when it is read
                raise BadInput(f"{file} is not a triage-app backup (or it is damaged).")
            if _sha256_file(db) != manifest.get("db_sha256"):
                problems.append("its database differs from the one recorded in the manifest")
            try:
                conn = connection.connect(db, key)
            except VaultUnavailable:
                raise TriageError(f"The database inside {file} can't be opened; the backup is damaged.")
            row = conn.execute("SELECT role, disabled FROM users WHERE name = ?", (user,)).fetchone()
            if row is None or row[1]:
                raise Refused("This user is not an active user of the backed-up vault.")
            if not allowed(row[0], permission):
                raise Refused(f"{article(row[0])} {row[0]} may not {PHRASES[permission]}.")
            problems += _check_database(conn, manifest, keys.vault_id)
            yield Opened(manifest, keys, key, db, conn, row[0], problems)
        finally:
            if conn is not None:
                conn.close()
            for i in range(len(key)):
                key[i] = 0


def _check_database(conn, manifest: dict, vault_id: str) -> list[str]:
    problems = []
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append("its database fails SQLite's integrity check")
        if conn.execute("PRAGMA cipher_integrity_check").fetchall():
            problems.append("its database fails SQLCipher's page authentication check")
        stored = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
    except connection.DatabaseError:
        return problems + ["its database can't be read through"]
    problems += _attachment_problems(conn)
    if stored is None or stored[0] != vault_id or manifest.get("vault_id") != vault_id:
        problems.append("its key slots, database and manifest name different vaults")
    try:
        head = audit.Head(int(manifest["audit_head"]["seq"]), str(manifest["audit_head"]["hash"]))
    except (KeyError, TypeError, ValueError):
        return problems + ["its manifest does not record the audit chain head"]
    verdict = audit.verify(conn, head)
    if not verdict.ok:
        problems.append("its audit log fails verification: " + verdict.problem.rstrip(".").lower()
                        if verdict.problem else "its audit log fails verification")
    elif verdict.head != head:
        problems.append("its audit log runs past the head recorded when it was made")
    return problems


def _attachment_problems(conn) -> list[str]:
    """Every attachment's bytes against the SHA-256 taken when it was attached."""
    from triage_app.material.attachments import verify_all
    try:
        return verify_all(conn)
    except connection.DatabaseError:
        return ["its attachments can't be read through"]


def verify_backup(file: Path, user: str, passphrase: str) -> dict:
    """Every check a restore would make, without restoring. {"ok", "problems", ...}."""
    with open_backup(file, user, passphrase, "backup") as b:
        entries = b.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        cases = b.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        from triage_app.material.attachments import held_count
        return {"ok": not b.problems, "problems": list(b.problems), "created_at": b.manifest.get("created_at"),
                "attachments_checked": held_count(b.conn),
                "audit_head": b.manifest.get("audit_head"), "audit_entries": entries, "cases": cases,
                "vault_id": b.keys.vault_id}


# --- restoring -------------------------------------------------------------------------------

def restore_backup(file: Path, vault_path: Path, user: str, passphrase: str):
    """Restore a backup into a new vault at `vault_path`; returns a Session there as `user`.

    Never over an existing vault. The restore is the first entry after the backed-up chain in the
    restored vault, so its `audit verify` passes and shows where the restore happened.
    """
    from triage_app.session import open_vault
    from triage_app.vault import _sidecars

    file, vault_path = Path(file), Path(vault_path)
    if vault_path.exists() or any(p.exists() for p in _sidecars(vault_path)):
        raise BadInput(f"A vault already exists at {vault_path}; restore into a new path (nothing was changed).")
    if not vault_path.parent.is_dir():
        raise NotFound(f"The folder {vault_path.parent} does not exist.")
    written: list[Path] = []
    try:
        with open_backup(file, user, passphrase, "restore") as b:
            if b.problems:
                raise TriageError(f"The backup fails its checks ({b.problems[0]}); nothing was restored.")
            head = audit.Head(int(b.manifest["audit_head"]["seq"]), b.manifest["audit_head"]["hash"])
            b.conn.close()
            b.conn = None
            _new_private_file(vault_path)
            written.append(vault_path)
            with open(b.db, "rb") as src, open(vault_path, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
            keyfile = KeyFile(KeyFile.for_vault(vault_path), b.keys.data)
            written.append(keyfile.path)
            keyfile.save()
            written.append(audit.head_path(vault_path))
            audit.write_head(vault_path, b.key, keyfile.vault_id, head)
            manifest = b.manifest
        session = open_vault(vault_path, user, passphrase)
        try:
            with session.change("restore", "vault.restore", kind="administration",
                                detail={"file": file.name, "backup_created_at": manifest["created_at"],
                                        "backup_created_by": manifest.get("created_by"),
                                        "head_seq": head.seq, "head_hash": head.hash}):
                # The state restored is that of a backup, so the reminder counts from it.
                _set_meta(session.conn, "last_backup_at", manifest["created_at"])
        except BaseException:
            session.close()
            raise
        return session
    except BaseException:
        for p in [*written, *(Path(str(vault_path) + s) for s in ("-wal", "-shm"))]:
            try:
                p.unlink()
            except OSError:
                pass
        raise
