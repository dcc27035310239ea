"""The queue's every id, in its order, read on a worker thread on a connection of its own.

Why a thread: a row far from any read (the scroll bar dragged to the middle of a search just typed)
is otherwise read by its place, and SQLite walks every entry above it: the middle of 52,198 'taxi'
hits by NFA date walked ~26,000 entries, 25-36 ms CPU on the GUI thread at 100k. On a loaded 2-core
machine the wall time was that CPU plus as long again waiting for a core (per-thread schedstat: wall
= CPU + run-queue wait, nothing blocked on a lock or the disk; /tmp/q20/probe.py), so it went over
50 ms. Read here from the moment the first page is shown, the ids are in memory by the time the
reviewer has paged that far, and the GUI thread takes any row read from them with no query.

The ids come a piece at a time (`PIECE`), each handed over as soon as it is read: a reviewer faster
than the read finds the top of the queue already there, and the GUI thread's own read of a far row
starts from the last id read here (queue_model._fill_at) rather than from the top.

Why a connection of its own: SQLite runs one statement of a connection at a time, so a read on the
session's connection would hold the GUI thread's own reads up for as long as it ran. This one is
read-only, opened for the unlocked session (~1 ms) and kept while it lasts, so its page cache stays
warm (cold, the same read decrypts the sort's index again: ~110 ms CPU instead of ~35); it is closed
on lock. One read runs at a time in one thread kept for the session; a newer query interrupts the
read running and is read next at once. The thread is the holder's work (`holder.run`), so a lock
stops it (interrupting this connection) before the vault closes.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from triage_app.errors import VaultUnavailable
from triage_app.gui import queue_query as q
from triage_app.vault import connection

# The worker's page cache (KiB, as PRAGMA cache_size takes it when negative): as the GUI's (queue_model),
# more than one sort's index at 100,000 cases. Freed when the vault locks.
CACHE_KIB = 64 * 1024
# Ids read a statement: ~3-5 ms at 100k, so a tenth of a 52,000-case search comes at a time.
PIECE = 5000
IDLE_S = 30.0       # the thread (not the connection) ends after this long with nothing to read


class Ahead(QObject):
    progressed = Signal()    # more ids read (or the read ended): see `ids(ticket)`

    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self._conn = None            # the worker's connection, for `_session`
        self._session = None
        self._job = None
        self._lock = threading.Lock()
        self._wake = threading.Event()       # for the worker: asked for, or stop
        self._moved = threading.Event()      # from the worker: a piece read
        self._want: tuple | None = None       # (ticket, filter, column, descending) for the worker
        self._reading = None                  # the ticket whose statement may be running
        self._got: tuple | None = None        # (ticket, ids so far, whole?)

    # --- the GUI thread --------------------------------------------------------------------------
    def ask(self, ticket, f: q.QueueFilter, column: str, descending: bool | None) -> bool:
        """Read this queue's every id (`ticket` names the read); any read asked for before is given up.
        False if it can't be (the vault locked, or exclusive work such as an import owns it)."""
        with self._lock:
            self._want = (ticket, f, column, descending)
            self._got = (ticket, [], False)
            self._stop_reading()
        self._wake.set()
        if self._job is None:
            job = self.holder.run(self._serve, self, interrupt=self._interrupt)
            if job is None:
                self.cancel()
                return False
            self._job = job
            job.progressed.connect(lambda _n, _t: self.progressed.emit())
            job.ended.connect(lambda j=job: self._ended(j))
        return True

    def cancel(self) -> None:
        """Give up the read asked for (the queue read again with no need of it)."""
        with self._lock:
            self._want = self._got = None
            self._stop_reading()

    def ids(self, ticket) -> tuple[list[int], bool] | None:
        """(the ids read so far for `ticket`, in queue order, and whether that is every one), or None.
        The list grows as the worker reads on: a caller takes a slice or a length, not the list."""
        with self._lock:
            got = self._got
            return (got[1], got[2]) if got is not None and got[0] == ticket else None

    def wait(self, ticket) -> None:
        """Wait until the read of `ticket` has ended (the benchmark's pause; tests)."""
        while self._job is not None and self._job.running:
            got = self.ids(ticket)
            if got is None or got[1]:
                return
            self._moved.wait(0.02)
            self._moved.clear()

    def close(self) -> None:
        """On lock: the thread ended and the connection closed (SQLCipher wipes its key copy)."""
        self.cancel()
        job = self._job
        if job is not None:
            job.cancel()
            self._wake.set()
            while not job.wait(20):
                self._interrupt()
                self._wake.set()
            self._job = None
        if self._conn is not None:
            self._conn.close()
            self._conn = self._session = None

    def _ended(self, job) -> None:
        if job is self._job:
            self._job = None
        job.deleteLater()
        if self._want is not None:         # asked for as the thread went idle: start it again
            want, self._want = self._want, None
            self.ask(*want)

    def _stop_reading(self) -> None:
        # Only a read of an older ticket is interrupted: an interrupt reaches every statement the
        # connection starts until its running one ends, so one sent late would stop the new read.
        if self._reading is not None and (self._want is None or self._reading != self._want[0]):
            self._interrupt()

    def _interrupt(self) -> None:
        conn = self._conn
        if conn is not None:
            conn.interrupt()
        self._wake.set()

    # --- the worker thread -----------------------------------------------------------------------
    def _serve(self, session, progress, cancelled) -> None:
        while not cancelled():
            if not self._wake.wait(IDLE_S):
                with self._lock:
                    if self._want is None:
                        return                 # idle: the thread ends (`ask` starts another)
            self._wake.clear()
            with self._lock:
                want, self._want = self._want, None
                self._reading = want[0] if want else None
            if want is None:
                continue
            try:
                self._read(session, progress, cancelled, *want)
            finally:
                with self._lock:
                    self._reading = None

    def _read(self, session, progress, cancelled, ticket, f, column, descending) -> None:
        if self._session is not session:
            if self._conn is not None:
                self._conn.close()
            self._conn = self._session = None
            try:
                conn = connection.connect(session.path, session.vault_key(), readonly=True)
            except VaultUnavailable:       # read-only opens by URI: a path with '?' or '#' is not one
                conn = connection.connect(session.path, session.vault_key())
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._conn, self._session = conn, session
        conn = self._conn
        last = None
        try:
            # One transaction: every piece from the same state of the vault, and the search's matches
            # (temporary tables) never left half made by an interrupt.
            conn.execute("BEGIN")
            plan = q.plan_of(conn, f, column, descending)
            while not cancelled() and self._want is None:
                part = q.page_of_ids(conn, f, column, descending, last, PIECE, plan=plan)
                whole = len(part) < PIECE
                with self._lock:
                    if self._got is None or self._got[0] != ticket:
                        return
                    self._got[1].extend(part)
                    if whole:
                        self._got = (ticket, self._got[1], True)
                    held = len(self._got[1])
                self._moved.set()
                progress(held, 0)
                if whole:
                    return
                last = part[-1]
        except connection.OperationalError:
            return                        # interrupted: a newer read, or the lock
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
