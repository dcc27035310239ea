"""Cancel in each phase of an import (check, load, link, score) and inside a long SQL statement:
nothing written, the TEMP staging gone, the FTS trigger back, the audit chain whole."""
from __future__ import annotations

import threading

import pytest

from tests.conftest import watch_index_drops
from triage_app import importing
from triage_app.importing import Cancelled

from .conftest import CASES, NOMINALS, cancel_as_statement_starts, everything as _everything

# A second export that adds two cases and their people and changes one case already imported, so
# every kind of write (insert, update, identifiers, alteration entry, FTS) is under way when it stops.
MORE_CASES = CASES.replace("Victim withdrew support.", "Victim withdrew support; phone never examined.") + "\n" + \
    "\n".join(line.replace("CR/", "XR/") for line in CASES.splitlines()[1:] if not line.startswith('"'))
MORE_NOMINALS = NOMINALS + "\n" + "\n".join(line.replace("CR/", "XR/") for line in NOMINALS.splitlines()[1:])


@pytest.fixture
def imported(login, export):
    s = login("sam")
    importing.run(s, *export())
    return s, export(MORE_CASES, MORE_NOMINALS, folder="more")


@pytest.mark.parametrize("phase", importing.progress.PHASES)
def test_import_cancelled_in_each_phase_leaves_nothing_and_the_chain_whole(imported, phase):
    s, files = imported
    before = _everything(s)
    stop = threading.Event()
    seen = []

    def steps(step):
        seen.append(step.phase)
        if step.phase == phase:
            stop.set()
    with pytest.raises(Cancelled):
        importing.run(s, *files, steps=steps, cancel=stop)
    assert seen[-1] == phase                      # it stopped in that phase, not after it
    assert _everything(s) == before
    assert s.verify_audit().ok
    # And the same files then import whole: nothing the cancelled run left stands in the way.
    result = importing.run(s, *files)
    assert (result["cases_added"], result["cases_updated"]) == (2, 1)
    assert s.verify_audit().ok


def test_import_cancelled_inside_one_sql_statement_stops_it_there(imported, monkeypatch):
    """The cancel is set as the statement that inserts the staged cases starts; with the importer's
    own reports silenced, only SQLite's progress handler can hear it, inside that statement."""
    s, files = imported
    before = _everything(s)
    monkeypatch.setattr(importing.progress, "SQL_STEPS", 1)
    monkeypatch.setattr(importing.progress.Tracker, "_report", lambda self, force=False, ended=False: None)
    statements = cancel_as_statement_starts(s, files, "INSERT INTO cases (id,")
    stopped_at = next(i for i, sql in enumerate(statements) if sql.startswith("INSERT INTO cases (id,"))
    assert not any(sql.startswith("INSERT INTO nominals") for sql in statements[stopped_at:])
    assert _everything(s) == before
    assert s.verify_audit().ok


def test_import_link_phase_reports_its_stages_and_hears_cancel_inside_the_relink(imported, monkeypatch):
    """The linker reports its stages to the import's tracker: the link phase shows counts before it
    ends, and a cancel given while it runs stops it there, nothing written."""
    s, files = imported
    before = _everything(s)
    monkeypatch.setattr(importing.progress, "EVERY", 0.0)   # every report drawn, however quick
    stop = threading.Event()
    seen = []

    def steps(step):
        seen.append(step)
        if step.phase == "link" and 0 < step.done < step.total and not step.ended:
            stop.set()
    with pytest.raises(Cancelled):
        importing.run(s, *files, steps=steps, cancel=stop)
    assert seen[-1].phase == "link" and not seen[-1].ended and 0 < seen[-1].done < seen[-1].total
    assert _everything(s) == before
    assert s.verify_audit().ok


@pytest.mark.parametrize("phase", ("load", "link", "score"))
def test_import_with_its_indexes_set_aside_cancelled_leaves_them_and_a_whole_import_makes_them_again(
        imported, monkeypatch, phase):
    """A large import drops the indexes of a table it more than doubles and makes them after the
    write (vault/indexes.py; the cases' after the score); the score phase does the same with the
    queue's indexes when it rescores most of the vault. Here every
    import counts as large: a cancel while they are set aside leaves the schema as it was, and an
    import that ends has every index back, as it was written."""
    from triage_app.vault import indexes
    s, files = imported
    monkeypatch.setattr(indexes, "FROM_ROWS", 1)
    monkeypatch.setattr(importing.progress, "EVERY", 0.0)   # every report drawn, however quick
    before = _everything(s)
    dropped = watch_index_drops(monkeypatch)
    stop = threading.Event()

    def steps(step):
        if step.phase == phase and not step.ended and dropped:
            stop.set()
    with pytest.raises(Cancelled):
        importing.run(s, *files, steps=steps, cancel=stop)
    assert _everything(s) == before
    assert {"cases_queue_cover", "nominals_key", "identifiers_value"} <= set(dropped)
    result = importing.run(s, *files)
    assert (result["cases_added"], result["cases_updated"]) == (2, 1)
    after = _everything(s)["schema"]
    assert [r for r in after if r[0] == "index"] == [r for r in before["schema"] if r[0] == "index"]
    plan = [r[3] for r in s.query("EXPLAIN QUERY PLAN SELECT id FROM cases ORDER BY priority DESC, nfa_date, ref")]
    assert any("cases_queue_cover" in p for p in plan), plan


def test_import_cancelled_while_the_links_batches_are_scored_two_at_a_time(imported, monkeypatch):
    """A cancel heard after a scoring batch (linking/batches.py: two at a time) stops the link
    there: the batches not begun are never worked out, no batch thread is left running, and
    nothing is written."""
    from triage_app import linking
    from triage_app.linking import batches, model
    s, files = imported
    before = _everything(s)
    monkeypatch.setattr(batches, "threads", lambda: 2)
    monkeypatch.setattr(linking, "TWO_AT_ONCE", 1)       # a batch per pair: batch n starts at pair n
    stop = threading.Event()
    heard = threading.Event()     # the import has asked and been told to stop
    worked, first_two = [], set()
    kept, ordered = model.kept, batches.ordered
    which = threading.local()     # the batch this thread is working on

    def numbered(work, items, at_once=None):
        def one(item):
            which.batch = item
            return work(item)
        return ordered(one, items, at_once)

    def cancel() -> bool:
        if stop.is_set():
            heard.set()
            return True
        return False

    def counted(*a, **k):
        worked.append(which.batch)
        if which.batch < 2:
            first_two.add(which.batch)
            if len(first_two) == 2:
                stop.set()      # heard at the import's next progress report, after the first two
        else:
            # A later batch begun meanwhile is still at work when the cancel is heard, however long
            # the import takes to hear it (a busy machine: waiting a fixed 2 s let another begin).
            # Batches finish in any order, so it is the batch's number that counts, not its turn:
            # the import waits for the first two only, which never wait here.
            heard.wait()
            threading.Event().wait(1)
        return kept(*a, **k)
    monkeypatch.setattr(batches, "ordered", numbered)
    monkeypatch.setattr(model, "kept", counted)
    with pytest.raises(Cancelled):
        importing.run(s, *files, cancel=cancel)
    stopped_after = len(worked)
    assert not [t for t in threading.enumerate() if t.name.startswith("link batch")]
    assert _everything(s) == before
    assert s.verify_audit().ok
    worked.clear()
    stop = threading.Event()        # never set: the whole import, to count its batches
    monkeypatch.setattr(model, "kept", lambda *a, **k: worked.append(which.batch) or kept(*a, **k))
    importing.run(s, *files)
    assert len(worked) > stopped_after + 3, (len(worked), stopped_after)      # most were never begun
    assert stopped_after <= 4                     # the two before the cancel, and the two under way
