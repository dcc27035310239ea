"""A large change's pages copied from the write-ahead log into the vault file after it, not in its COMMIT.

A change is durable once its COMMIT has written its pages to the WAL (synchronous = FULL). SQLite then
copies them into the vault file itself (a checkpoint) as part of that COMMIT whenever the WAL holds
1,000 pages or more: after a first import of 100,000 cases, ~155,000 pages, about 60 % of the COMMIT.
The reviewer waits for none of it: `deferred(conn)` keeps that COMMIT from checkpointing, and
`Background` copies the pages afterwards on a connection of its own in a thread. A PASSIVE checkpoint
holds no lock a reader or a writer waits for, so the desktop reads and writes as usual meanwhile (a
read finds the newest pages in the WAL); lock waits for it before the vault closes. If it fails or is
cut short (the process ends), nothing is lost: the pages stay in the WAL, which SQLite reads and the
next checkpoint copies.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3

from triage_app.errors import TriageError
from triage_app.vault import connection


@contextmanager
def deferred(conn):
    """No automatic checkpoint at the COMMITs inside the block; the setting is put back after."""
    before = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        try:
            conn.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")
        except sqlcipher3.Error:
            pass    # the connection closed meanwhile (the vault locked): the setting went with it


class Background:
    """One PASSIVE checkpoint of the vault at `path`, on its own connection, in a thread. `key` is the
    session's own buffer (no copy is made): the session waits for this before it overwrites the key."""

    def __init__(self, path: Path, key: bytearray):
        self.result: tuple | None = None      # (busy, WAL pages, pages copied) as SQLite reports them
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, args=(Path(path), key), name="vault checkpoint", daemon=True)
        self._thread.start()

    def _run(self, path: Path, key: bytearray) -> None:
        try:
            conn = connection.connect(path, key)
            try:
                self.result = tuple(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
            finally:
                conn.close()
        except (TriageError, sqlcipher3.Error) as e:    # the next checkpoint copies the pages instead
            self.error = str(e)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """True once the checkpoint has ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()
