"""The new cases' full-text fill runs in a thread beside the link's arithmetic (importing/beside.py),
on the import's own connection and inside its one transaction. What must hold: every new case
indexed and the trigger back; no statement of the link while the fill may run; a cancel or a
failure in the fill leaves nothing, the audit chain whole and no thread behind; SQLite's cancel
check inside a statement back on once the fill has ended."""
from __future__ import annotations

import threading

import pytest

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.errors import TriageError
from triage_app.importing import Cancelled, beside, load
from triage_app.vault.connection import OperationalError

from .conftest import cancel_as_statement_starts

N = 300    # enough new cases for the bulk fill (stage.BULK_FTS_FROM)


def _everything(s) -> dict:
    tables = [r[0] for r in s.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {t: sorted(map(repr, (tuple(r) for r in s.query(f'SELECT * FROM "{t}"')))) for t in tables}
    out["schema"] = sorted(tuple(r) for r in s.query("SELECT type, name, sql FROM sqlite_master"))
    return out


def _no_thread_left() -> bool:
    return not any(t.name == "import beside the link" and t.is_alive() for t in threading.enumerate())


def _held_unless_interrupted(conn, interrupted: list) -> None:
    """A statement that runs for about a minute (300M rows) unless interrupted; the interruption's
    message is added to `interrupted` and raised again."""
    try:
        conn.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300000000) "
                     "SELECT count(*) FROM n").fetchone()
    except OperationalError as e:
        interrupted.append(str(e))
        raise


@pytest.fixture
def files(tmp_path):
    return generate(N, seed=8).write_csv(tmp_path)


def test_the_fill_runs_in_its_thread_while_the_link_runs_no_statement(login, files, monkeypatch):
    s = login("sam")
    schema = _everything(s)["schema"]
    ran_in, during = [], []
    between = threading.Event()     # set from Beside.start() to Beside.wait() in the import's thread
    start, wait = beside.Beside.start, beside.Beside.wait

    def started(self):
        start(self)
        if self._thread is not None:
            between.set()

    def waited(self):
        try:
            wait(self)
        finally:
            between.clear()
            ran_in.append(self.ran_in)
    monkeypatch.setattr(beside.Beside, "start", started)
    monkeypatch.setattr(beside.Beside, "wait", waited)
    main = threading.current_thread()

    def traced(sql):
        if between.is_set() and threading.current_thread() is main:
            during.append(sql)
    s.conn.set_trace_callback(traced)
    try:
        result = importing.run(s, *files)
    finally:
        s.conn.set_trace_callback(None)
    assert result["cases_added"] == N
    assert ran_in and ran_in[0] == "import beside the link"
    assert during == []                                  # the link's arithmetic ran no statement
    assert _everything(s)["schema"] == schema            # the full-text trigger back
    assert s.one("SELECT count(*) FROM case_text_docsize")[0] == N
    for cid, summary in s.query("SELECT id, summary FROM cases ORDER BY id")[:: N // 20]:
        word = summary.split()[0].strip(".,;:'\"")
        assert cid in {r[0] for r in s.query("SELECT rowid FROM case_text WHERE case_text MATCH ?", (f'"{word}"',))}
    assert s.verify_audit().ok and _no_thread_left()


def test_a_cancel_while_the_fill_runs_interrupts_it_and_leaves_nothing(login, files, monkeypatch):
    """The fill is held in a statement that runs for a minute (300M rows) unless interrupted; the
    cancel, heard by the link, interrupts it, and the import rolls back whole."""
    s = login("sam")
    before = _everything(s)
    stop = threading.Event()
    interrupted = []
    fill = load.fill_text

    def slow_fill(conn, first, trigger):
        stop.set()
        _held_unless_interrupted(conn, interrupted)
        fill(conn, first, trigger)
    monkeypatch.setattr(load, "fill_text", slow_fill)
    with pytest.raises(Cancelled):
        importing.run(s, *files, cancel=stop)
    assert interrupted == ["interrupted"]
    assert _no_thread_left()
    assert _everything(s) == before
    assert s.verify_audit().ok
    monkeypatch.setattr(load, "fill_text", fill)
    assert importing.run(s, *files)["cases_added"] == N       # nothing left in the way
    assert s.one("SELECT count(*) FROM case_text_docsize")[0] == N


def test_a_failure_in_the_fill_fails_the_import_whole(login, files, monkeypatch):
    s = login("sam")
    before = _everything(s)

    def broken(conn, first, trigger):
        conn.execute("INSERT INTO case_text(rowid, summary, nfa_rationale) VALUES (1, 'a', 'b')")
        conn.execute("INSERT INTO no_such_table VALUES (1)")
    monkeypatch.setattr(load, "fill_text", broken)
    with pytest.raises(TriageError, match="could not be saved"):   # one plain sentence
        importing.run(s, *files)
    assert _no_thread_left()
    assert _everything(s) == before
    assert s.verify_audit().ok


def test_cancel_inside_a_statement_is_heard_again_once_the_fill_has_ended(login, files, monkeypatch):
    """The cancel check inside a statement is off while the fill runs (beside.py); with the importer's
    own reports silenced, only that check can stop the score's UPDATE, after the fill."""
    s = login("sam")
    before = _everything(s)
    monkeypatch.setattr(importing.progress, "SQL_STEPS", 1)
    monkeypatch.setattr(importing.progress.Tracker, "_report", lambda self, force=False, ended=False: None)
    statements = cancel_as_statement_starts(s, files, "UPDATE cases SET victim_age")
    assert any(sql.startswith("INSERT INTO case_text(rowid") for sql in statements)
    assert _everything(s) == before
    assert s.verify_audit().ok


def test_a_first_import_makes_the_peoples_indexes_beside_the_link_and_a_later_one_before_it(
        login, tmp_path, monkeypatch):
    """In a first import the link reads every person in one pass, so the people's indexes (set aside
    while the check wrote them) are made in the thread; a later import's link reads the touched cases'
    people through nominals_case, so they are made in the load, before the link."""
    from triage_app.vault import indexes
    s = login("sam")
    schema = _everything(s)["schema"]
    monkeypatch.setattr(indexes, "FROM_ROWS", 1)
    made, real = [], indexes.make

    def make(conn, held):
        if any(name.startswith(("nominals_", "identifiers_")) for name, _ in held):
            made.append(threading.current_thread().name)
        return real(conn, held)
    monkeypatch.setattr(indexes, "make", make)
    importing.run(s, *generate(40, seed=3).write_csv(tmp_path / "first"))
    assert made == ["import beside the link"]
    made.clear()
    importing.run(s, *generate(N, seed=8).write_csv(tmp_path / "later"))
    assert made == [threading.current_thread().name]
    assert _everything(s)["schema"] == schema
    assert s.verify_audit().ok and _no_thread_left()


def test_a_cancel_while_the_link_waits_for_the_fill_is_heard_there(login, files, monkeypatch):
    """The link's arithmetic has ended and it waits for the fill (held here in a long statement):
    the cancel given then stops the fill and the import at once, nothing written."""
    s = login("sam")
    before = _everything(s)
    stop = threading.Event()
    waiting = threading.Event()
    wait = beside.Beside.wait

    def waited(self):
        waiting.set()
        return wait(self)
    monkeypatch.setattr(beside.Beside, "wait", waited)

    def slow_fill(conn, first, trigger):
        waiting.wait(30)
        stop.set()          # cancelled while the link waits in wait()
        _held_unless_interrupted(conn, interrupted)
    interrupted = []
    monkeypatch.setattr(load, "fill_text", slow_fill)
    with pytest.raises(Cancelled):
        importing.run(s, *files, cancel=stop)
    assert interrupted == ["interrupted"]     # stopped there, not heard only once the fill had ended
    assert _no_thread_left()
    assert _everything(s) == before
    assert s.verify_audit().ok


def test_without_a_thread_to_be_had_the_jobs_run_in_the_import_itself(login, files, monkeypatch):
    s = login("sam")
    ran = []
    real_start = threading.Thread.start

    def start(self):
        if self.name == "import beside the link":
            raise RuntimeError("can't start new thread")
        return real_start(self)
    monkeypatch.setattr(threading.Thread, "start", start)
    wait = beside.Beside.wait

    def waited(self):
        wait(self)
        ran.append(self.ran_in)
    monkeypatch.setattr(beside.Beside, "wait", waited)
    assert importing.run(s, *files)["cases_added"] == N
    assert threading.current_thread().name in ran
    assert s.one("SELECT count(*) FROM case_text_docsize")[0] == N
