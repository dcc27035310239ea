"""The SQLCipher connection: a raw 256-bit key, WAL, a busy timeout, secrets kept out of temp files,
and the memory protections that matter in this program (docs/SECURITY.md, "Memory, core dumps and swap").

SQLCipher's `cipher_memory_security` is left OFF. It would wipe and mlock every allocation SQLite
makes (decrypted pages, statement buffers), at a cost of ~40x on bulk writes (bench/memory.py), but
the same case text also lives in Python str and Qt QString objects that nothing wipes or locks, so
it would not keep that text out of memory, a swap file or a core dump. What does:
- SQLCipher always wipes and mlocks its own key material (codec keys, HMAC keys, page buffers),
  whatever `cipher_memory_security` says;
- `harden_process()`: no core dump of a process that opens a vault (RLIMIT_CORE = 0), and on
  Linux the process is not dumpable (PR_SET_DUMPABLE = 0), so no other process of the same user
  can ptrace it or read /proc/PID/mem (only root can);
- `protect_key()`: the session's copy of the vault key sits in pages locked in RAM (never
  swapped) and left out of core dumps; Session.close() overwrites it on lock.
Swap and hibernation files are the IT officer's to encrypt (docs/SECURITY.md says how).
"""
from __future__ import annotations

import ctypes
import mmap
import os
import sys
from pathlib import Path

import sqlcipher3

from triage_app.errors import VaultUnavailable

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError
OperationalError = sqlcipher3.OperationalError

BUSY_TIMEOUT_MS = 15000


def _bind_none_and_bytes_directly() -> None:
    """None, bytes and bool bound as they are, without the module's adaptation search.

    sqlcipher3 (like the standard library's sqlite3) binds an int, float or str directly, but sends
    every other parameter, None and bytes included, through its adapter lookup: a miss there looks
    up `__adapt__` and `__conform__` by name and makes and drops an AttributeError for each, about
    1.5 µs per None. An import binds millions of Nones (a person's empty cells, a case's unset
    scores): at 250,000 rows of 15 parameters, half of them None, executemany took 2.5 s, and 0.6 s
    with these. An adapter found in the table is called at once; these two return the value
    unchanged (`{}.get(None)` is None; `bytes(b)` is b itself), both in C, so nothing bound changes:
    None is still NULL and bytes a BLOB. Neither is a base type, so str, int and float keep their
    direct path."""
    sqlcipher3.register_adapter(type(None), {}.get)
    sqlcipher3.register_adapter(bytes, bytes)
    sqlcipher3.register_adapter(bool, int)     # True is bound as 1, as before, without the search


_bind_none_and_bytes_directly()


def connect(path: Path, key: bytes | bytearray, *, create: bool = False, readonly: bool = False):
    """Open (or with `create`, make) an encrypted database; a wrong key or damage → VaultUnavailable."""
    path = Path(path)
    if not create and not path.exists():
        raise VaultUnavailable(f"There is no vault at {path}.")
    try:
        if readonly:
            conn = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                      check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False,
                                      timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlcipher3.Error as e:
        raise VaultUnavailable(f"The vault {path} can't be opened ({_why(e)}).")
    harden_process()
    if isinstance(key, bytearray):
        protect_key(key)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        set_raw_key(conn.set_key, key)
        # Stated, not left to the build's default (see the module docstring for why it is off).
        conn.execute("PRAGMA cipher_memory_security = OFF")
        # The first read is where a wrong key or a damaged/foreign file shows itself.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA temp_store = MEMORY")
        # Set before any TEMP table exists (it cannot change after): a dropped TEMP table's pages can
        # then be handed back (release_temp) instead of staying with the connection until it closes.
        conn.execute("PRAGMA temp.auto_vacuum = INCREMENTAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlcipher3.DatabaseError as e:
        conn.close()
        if "not a database" in str(e) or "encrypted" in str(e):
            raise VaultUnavailable(f"The vault {path} is damaged or is not a triage-app vault; restore it from a backup.")
        raise VaultUnavailable(f"The vault {path} can't be opened ({_why(e, path)}).")
    conn.row_factory = sqlcipher3.Row
    return conn


def release_temp(conn) -> None:
    """Hand back the pages of TEMP tables dropped since (an import's staging: ~170 MB at 100,000
    cases). In memory (`temp_store = MEMORY`) a dropped table's pages stay with the connection until
    it closes; after the incremental vacuum they are free at the end of the transaction, and
    `shrink_memory` then gives them (and the page cache's unused pages) back to the C heap. Call it
    outside a transaction: inside one the pages stay until it ends."""
    try:
        conn.execute("PRAGMA temp.incremental_vacuum").fetchall()
        conn.execute("PRAGMA shrink_memory")
    except sqlcipher3.Error:
        pass   # a connection closed meanwhile (the vault locked) holds nothing any more


_HEX = [b"%02x" % i for i in range(256)]


def set_raw_key(setter, key: bytes | bytearray) -> None:
    """Hand SQLCipher the raw key as x'…' through a buffer wiped afterwards.

    `PRAGMA key = "x'…'"` would leave the key's hex in immutable Python strings that linger in freed
    memory after lock; a pre-sized bytearray can be overwritten once SQLCipher has taken its copy.
    """
    literal = bytearray(3 + 2 * len(key))
    literal[0:2], literal[-1:] = b"x'", b"'"
    for i, b in enumerate(key):
        literal[2 + 2 * i: 4 + 2 * i] = _HEX[b]
    try:
        setter(literal)
    finally:
        literal[:] = bytes(len(literal))


# --- memory protections --------------------------------------------------------------------

PR_SET_DUMPABLE = 4
MADV_DONTDUMP = 16
_hardened = False


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def harden_process() -> None:
    """No core dump of this process and, on Linux, no ptrace or /proc/PID/mem by other processes of
    the same user. Idempotent; the hard limit is lowered too, so nothing later raises it again."""
    global _hardened
    if _hardened:
        return
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass                                 # Windows keeps no core dumps unless set up to
    if sys.platform.startswith("linux"):
        libc = _libc()
        if libc is not None:
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    _hardened = True


def protect_key(buf: bytearray) -> bool:
    """Lock the pages holding `buf` in RAM (never swapped) and leave them out of core dumps.
    True when the lock held (it can fail only past RLIMIT_MEMLOCK, far above one key)."""
    libc = _libc() if os.name == "posix" else None
    if libc is None or not buf:
        return False
    view = (ctypes.c_char * len(buf)).from_buffer(buf)
    try:
        address = ctypes.addressof(view)
        locked = libc.mlock(ctypes.c_void_p(address), ctypes.c_size_t(len(buf))) == 0
        if sys.platform.startswith("linux"):
            start = address - address % mmap.PAGESIZE
            length = -(-(address + len(buf) - start) // mmap.PAGESIZE) * mmap.PAGESIZE
            libc.madvise(ctypes.c_void_p(start), ctypes.c_size_t(length), MADV_DONTDUMP)
        return locked
    finally:
        del view


def _why(e: Exception, path: Path | None = None) -> str:
    text = str(e).lower()
    # SQLite says only "unable to open" when WAL can't make its -shm file beside a read-only vault.
    unwritable = path is not None and not (os.access(path.parent, os.W_OK) and os.access(path, os.W_OK))
    if "readonly" in text or "read-only" in text or unwritable:
        return "it is on a read-only location"
    if "locked" in text or "busy" in text:
        return "another program holds it busy"
    if "unable to open" in text:
        return "the file or its folder can't be opened"
    if "disk" in text and "full" in text:
        return "the disk is full"
    return "a database error"


def explain(e: Exception) -> str:
    """A plain phrase for a SQLite error during a change (used in 'nothing was changed' messages)."""
    return _why(e)
