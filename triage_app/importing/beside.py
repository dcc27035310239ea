"""Statements of the import run in a thread while the link does arithmetic, on a second core.

The link spends most of its time at 100,000 cases in numpy and Python with no SQL at all (blocking,
the model's estimate, the scores of ~7.5M pairs: ~10 s), and SQLite lets go of Python's lock while a
statement runs. So a long statement that the link does not need, the full-text fill of the new cases
(~3 s), runs meanwhile in a thread on the import's own connection, inside the same transaction:
one audited, all-or-nothing change as before.

The rule that keeps it whole: the link issues no statement between `start()` and `wait()` (linking
.relink calls them around its arithmetic), so the two never interleave, and an error in the thread
is raised by `wait()` before anything else is written. `stop()` (cancel, or any failure) interrupts
the statement and waits for the thread before the transaction is rolled back.

SQLite's cancel check inside a statement (progress.py) is a Python call: from the thread it would
wait for the lock the link holds every few thousand steps. It is off while the thread runs (cancel is
still heard: the link reports after each batch, and `stop()` interrupts the statement); `wait()` and
`stop()` put it back.
"""
from __future__ import annotations

import threading

from triage_app.importing.progress import Cancelled, Tracker
from triage_app.linking import heap


class Beside:
    def __init__(self, conn, tracker: Tracker | None = None):
        self.conn = conn
        self.tracker = tracker
        self.jobs: list = []          # callables (conn) → None, run in order
        self.ran_in: str | None = None  # the thread's name, once the jobs have run (for the tests)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._stopping = False

    def add(self, job) -> None:
        self.jobs.append(job)

    def start(self) -> None:
        """Run the jobs in a thread from now on (nothing to do, or started already: nothing)."""
        if self._thread is not None or not self.jobs or self._stopping:
            return
        if self.tracker is not None:
            self.tracker.watch(self.conn, False)
        thread = threading.Thread(target=self._run, args=(self.jobs,), name="import beside the link", daemon=True)
        try:
            thread.start()
        except RuntimeError:        # no thread to be had: wait() runs the jobs here instead
            if self.tracker is not None:
                self.tracker.watch(self.conn)
            return
        self._thread, self.jobs = thread, []

    def _run(self, jobs: list) -> None:
        try:
            for job in jobs:
                if self._stopping:
                    return
                job(self.conn)
                # what the job freed goes back: in this thread's own malloc arena the link could not
                # reuse it (100k cases: the import's peak 982 -> 890 MB)
                heap.trim()
            self.ran_in = threading.current_thread().name
        except BaseException as e:      # raised again by wait(), in the import's own thread
            self._error = e

    def wait(self) -> None:
        """Once this returns, the jobs have all run (here and now, if they never started) or their
        error is raised; SQLite's cancel check is back on."""
        if self._thread is None:            # never started: here and now
            jobs, self.jobs = self.jobs, []
            if jobs:
                self._run(jobs)
        else:
            while self._thread.is_alive():     # in slices: a cancel is heard while it waits
                self._thread.join(0.05)
                if self.tracker is not None and self.tracker.cancelled():
                    self.stop()
                    raise Cancelled()
            self._thread = None
            if self.tracker is not None:
                self.tracker.watch(self.conn)
        error, self._error = self._error, None
        if error is not None:
            raise error

    def stop(self) -> None:
        """The jobs not run, the statement under way interrupted; returns once the thread has ended."""
        self._stopping = True
        self.jobs = []
        thread = self._thread
        if thread is None:
            return
        while thread.is_alive():
            self.conn.interrupt()
            thread.join(0.05)
        self._thread = None     # only once it has ended (a second Ctrl-C above leaves it to be stopped again)
        self._error = None
        if self.tracker is not None:
            self.tracker.watch(self.conn)
