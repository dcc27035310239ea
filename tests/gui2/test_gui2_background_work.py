"""Background work and the lock: a job reading through the session while the vault locks.

Closing a SQLite connection another thread is using is undefined behaviour (a full suite run crashed
with a segmentation fault: the dashboard counting on a worker thread while a test's teardown locked
the vault). Every job that touches the session goes through `holder.run`; the lock stops the running
jobs (cancel, then `interrupt()` of their query) and waits for them BEFORE the connection closes;
whatever they return after the lock is dropped; nothing starts on a locked holder. These tests make
the race happen on purpose, with events, never with timing.
"""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from triage_app import dashboard as core_dashboard
from triage_app.gui.dashboard import Dashboard
from triage_app.session import Session

WAIT = 20000
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


@pytest.fixture
def closes(monkeypatch):
    """Every Session.close, with whether the watched job had returned by then."""
    seen: list[bool] = []
    watched = threading.Event()
    real = Session.close

    def close(self):
        if self.conn is not None:
            seen.append(watched.is_set())
        real(self)

    monkeypatch.setattr(Session, "close", close)
    return seen, watched


def test_the_lock_waits_for_the_dashboard_count_before_closing_the_connection(qtbot, holder_for, monkeypatch,
                                                                              closes):
    """The crash: the dashboard counting on its thread while the vault locks. The count blocks
    until the lock has begun, then reads: the lock must not close the connection under it."""
    closed_when, returned = closes
    sam = holder_for("sam")
    inside, lock_began = threading.Event(), threading.Event()
    outcome: list = []
    real_counts = core_dashboard.counts

    def counts(session):
        inside.set()
        assert lock_began.wait(WAIT / 1000)
        try:
            outcome.append(real_counts(session))   # reads through the connection as the lock runs
        except Exception as e:                     # the old code: a closed (or crashing) connection
            outcome.append(e)
            raise
        finally:
            returned.set()
        return outcome[-1]

    monkeypatch.setattr(core_dashboard, "counts", counts)
    board = Dashboard(sam)
    qtbot.addWidget(board)
    assert inside.wait(WAIT / 1000)
    sam.about_to_lock.connect(lock_began.set)
    assert sam.lock()
    assert closed_when == [True]                  # closed only once the count had returned
    # It read on an open connection: to the end, or until the lock interrupted its query.
    assert isinstance(outcome[0], dict) or "interrupted" in str(outcome[0])
    qtbot.waitUntil(lambda: not board.job.running and board.refresh_button.isEnabled(), timeout=WAIT)
    assert board.data == {} and board.grid.count() == 0   # the count arrived after the lock: dropped
    assert board.message.text() == ""


def test_the_lock_interrupts_a_query_that_would_run_on(qtbot, holder_for, closes):
    closed_when, returned = closes
    sam = holder_for("sam")
    inside = threading.Event()
    delivered: list = []

    def endless(session, _progress, _cancelled):
        inside.set()
        try:
            return session.conn.execute(ENDLESS).fetchone()
        finally:
            returned.set()

    job = sam.run(endless)
    job.succeeded.connect(delivered.append)
    job.failed.connect(delivered.append)
    assert inside.wait(WAIT / 1000)
    assert sam.lock()                             # interrupt() ends the query; then the close
    assert closed_when == [True]
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT)
    qtbot.wait(1)                                 # let queued signals through
    assert delivered == []                        # its "interrupted" error is not shown after a lock
    assert not sam.is_unlocked


def test_a_job_that_checks_cancel_finishes_its_read_before_the_close(qtbot, holder_for, closes):
    closed_when, returned = closes
    rita = holder_for("rita")
    inside = threading.Event()
    read: list = []

    def work(session, _progress, cancelled):
        inside.set()
        while not cancelled():                    # the lock cancels: a condition, not a timer
            time.sleep(0.002)
        read.append(session.conn.execute("SELECT count(*) FROM cases").fetchone()[0])
        returned.set()
        return read[-1]

    job = rita.run(work)
    delivered: list = []
    job.succeeded.connect(delivered.append)
    assert inside.wait(WAIT / 1000)
    assert rita.lock()
    assert read == [2] and closed_when == [True]
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT)
    qtbot.wait(1)
    assert delivered == []


def test_a_result_already_on_its_way_is_dropped_by_a_lock(qtbot, holder_for):
    rita = holder_for("rita")
    delivered: list = []
    job = rita.run(lambda s, _p, _c: s.conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    job.succeeded.connect(delivered.append)
    ended = []
    job.ended.connect(lambda: ended.append(True))
    assert job.wait(WAIT)                         # the thread is over; its result waits in the queue
    assert rita.lock()
    qtbot.waitUntil(lambda: ended == [True], timeout=WAIT)
    assert delivered == []


def test_nothing_starts_on_a_locked_holder(qtbot, holder_for):
    rita = holder_for("rita")
    started = []
    rita.lock()
    assert rita.run(lambda s, _p, _c: started.append(s)) is None
    board = Dashboard(rita)                       # a screen made while locked starts no count
    qtbot.addWidget(board)
    assert board.job is None and started == []


def test_work_that_changes_the_vault_defers_the_lock_until_it_ends(qtbot, holder_for):
    rita = holder_for("rita")
    release = threading.Event()
    delivered: list = []
    locked: list = []
    rita.locked.connect(lambda: locked.append(True))

    def change(session, _progress, _cancelled):
        assert release.wait(WAIT / 1000)
        return session.conn.execute("SELECT count(*) FROM cases").fetchone()[0]

    job = rita.run(change, exclusive=True)
    job.succeeded.connect(delivered.append)
    assert rita.busy
    assert rita.run(lambda s, _p, _c: None) is None   # nothing else on the connection meanwhile
    assert not rita.lock() and rita.is_unlocked       # never half-way through a change
    release.set()
    qtbot.waitUntil(lambda: locked == [True], timeout=WAIT)   # ...but as soon as it ends
    assert delivered == [2]                           # it finished before the lock: its answer stands
    assert not rita.is_unlocked and not rita.busy


def test_closing_the_app_stops_even_work_that_changes_the_vault(qtbot, holder_for, closes):
    closed_when, returned = closes
    sam = holder_for("sam")
    inside = threading.Event()

    def change(session, _progress, cancelled):
        inside.set()
        try:
            while not cancelled():
                time.sleep(0.002)
            return "cancelled"
        finally:
            returned.set()

    job = sam.run(change, exclusive=True)
    assert inside.wait(WAIT / 1000)
    sam.close()
    assert closed_when == [True] and not sam.is_unlocked
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT)


def test_every_screen_job_goes_through_the_holder():
    """Only work with no session (unlocking, making the demo vault) may make a Job itself; the
    holder's `busy` is derived from its jobs, never set by a screen."""
    gui = Path(__file__).resolve().parents[2] / "triage_app" / "gui"
    allowed = {"worker.py", "vault_lock.py", "unlock.py", "app.py"}
    offenders = []
    for path in sorted(gui.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name not in allowed and re.search(r"\bJob\(|\bQThread\b|threading\.Thread|QThreadPool", text):
            offenders.append(path.name)
        if re.search(r"\.busy\s*=[^=]", text):
            offenders.append(path.name + " sets busy")
    assert offenders == []
