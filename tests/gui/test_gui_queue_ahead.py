"""The queue's ids read ahead on a worker thread, on a connection of its own: after a pause or at once on
End; End and the scroll bar dragged far down then need no read on the GUI thread; a read ahead still
going is used as far as it has got; what was read ahead is never used once the vault was written
meanwhile; a lock ends the worker and closes its connection."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from tests.gui.test_gui_queue import _three_pages_and_more
from triage_app.gui import queue_query as q


def _gui_reads(monkeypatch, conns=None):
    """The pages read on the GUI thread, as (after, backwards, offset); `conns` gets every page's
    connection and thread (the worker's too)."""
    reads = []
    real = q.page_of_ids

    def spy(*a, **k):
        if conns is not None:
            conns.append((a[0], threading.current_thread() is threading.main_thread()))
        if threading.current_thread() is threading.main_thread():
            reads.append((a[4], k.get("backwards", False), k.get("offset", 0)))
        return real(*a, **k)
    monkeypatch.setattr(q, "page_of_ids", spy)
    return reads


def _queue(qtbot, make_main, vault_path, monkeypatch, piece=300):
    from triage_app.gui import queue_ahead, queue_model
    monkeypatch.setattr(queue_ahead, "PIECE", piece)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    monkeypatch.setattr(queue_model, "READ_AHEAD", True)     # held off by the helper
    return w, rows, want


def test_a_pause_reads_every_id_ahead_on_a_worker_then_end_and_the_middle_read_nothing_here(
        qtbot, vault_path, make_main, monkeypatch):
    from triage_app.gui import queue_model
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _queue(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    conns = []
    reads = _gui_reads(monkeypatch, conns)
    counted = []
    real_count = q.count
    monkeypatch.setattr(q, "count", lambda *a: counted.append(1) or real_count(*a))
    m._count_timer.setInterval(10)                   # the pause, shortened
    m._count_timer.start()
    qtbot.waitUntil(lambda: m.total == len(rows), timeout=10000)
    assert w.queue.count.text() == f"{len(rows):,} cases" and len(m._whole()) == len(rows)
    assert counted == []                             # the count is the number read ahead: none asked here
    # Read in pieces, on another thread, on another connection than the GUI's.
    assert len(conns) == -(-len(rows) // 300) and all(c is not m.conn and not gui for c, gui in conns)
    assert reads == []
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == len(rows) - 1 and m.ref_at(len(rows) - 1) == want[-1]
    assert m.ref_at(len(rows) // 2) == want[len(rows) // 2]
    assert m.refs() == want
    assert reads == []                               # End and the rows between: all read ahead


def test_end_starts_the_read_ahead_and_once_held_the_middle_needs_no_read(qtbot, vault_path, make_main, monkeypatch):
    """End pressed before the pause (End took the count, so the pause's timer is off): the read ahead
    starts at End, and once done the scroll bar dragged to the middle is filled from it."""
    from triage_app.gui import queue_model
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _queue(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert m._gaps and not m._count_timer.isActive() and m._ahead_ticket is not None
    qtbot.waitUntil(lambda: m._whole() is not None, timeout=10000)
    reads = _gui_reads(monkeypatch)
    assert m.ref_at(len(rows) // 2) == want[len(rows) // 2]
    assert reads == [] and not m._gaps
    assert m.refs() == want


def test_ids_read_ahead_so_far_fill_the_top_and_a_row_past_them_is_read_from_the_last_one(
        qtbot, vault_path, make_main, monkeypatch):
    """The read ahead still going: rows it has reached come from it; a row further down is read by its
    place counted from the last id read ahead, not from the top pages (only the rows between walked)."""
    from triage_app.gui import queue_model
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _queue(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    refs = {r[0]: r[1] for r in m.conn.execute("SELECT id, ref FROM cases")}
    ids = {ref: i for i, ref in refs.items()}
    so_far = [ids[r] for r in want[:900]]             # as if the worker had read 900 of 1,507
    m._ahead_ticket = (m._shown_query, m._stamp(m.conn))
    monkeypatch.setattr(m._reader, "ids", lambda ticket: (so_far, False) if ticket == m._ahead_ticket else None)
    reads = _gui_reads(monkeypatch)
    assert m.ref_at(800) == want[800] and reads == []
    first, end = m._gaps[0]
    assert first == 900                              # the top of the stretch filled as far as read ahead
    row = 950
    assert m.ref_at(row) == want[row]
    (after, backwards, offset), = reads
    assert (after, backwards) == (so_far[-1], False) and offset < row - 900
    assert m.refs() == want


def test_ids_read_ahead_are_not_used_after_another_connection_wrote(qtbot, vault_path, make_main, monkeypatch):
    from tests.conftest import PASS
    from triage_app.session import open_vault
    w, rows, want = _queue(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    m.count_now()
    assert m.read_ahead_now() == len(rows)
    gone = want[len(want) // 2]
    s = open_vault(vault_path, "ada", PASS["ada"])
    with s.change("import", "test.remove", kind="erasure"):
        s.conn.execute("DELETE FROM cases WHERE ref = ?", (gone,))
    s.close()
    reads = _gui_reads(monkeypatch)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert reads and reads[0][:2] == (None, True)    # the last page read again, not taken from the ids ahead
    want.remove(gone)
    with qtbot.waitSignal(m.modelReset, timeout=10000):   # the count was before the write: read again
        m.refs()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert m.refs() == want


def test_a_newer_query_gives_up_the_read_ahead_running_and_reads_its_own(qtbot, vault_path, make_main, monkeypatch):
    w, rows, want = _queue(qtbot, make_main, vault_path, monkeypatch, piece=50)
    m = w.queue.model
    m.count_now()
    m._ask_ahead()
    old = m._ahead_ticket
    m.sort(1, Qt.SortOrder.DescendingOrder)              # by crime ref, down: read again
    m.set_filter(q.QueueFilter(text="CR/2019/000"))      # 1,000 cases of the 1,507 pass
    m.count_now()
    assert m.read_ahead_now() == 1000
    assert m._reader.ids(old) is None
    refs = {r[0]: r[1] for r in m.conn.execute("SELECT id, ref FROM cases")}
    assert [refs[i] for i in m._whole()] == sorted((r for r in want if r.startswith("CR/2019/000")), reverse=True)


def test_lock_ends_the_worker_and_closes_its_connection(qtbot, vault_path, make_main, monkeypatch):
    w, rows, want = _queue(qtbot, make_main, vault_path, monkeypatch, piece=20)
    m = w.queue.model
    m.count_now()
    m._ask_ahead()
    reader = m._reader
    qtbot.waitUntil(lambda: reader._conn is not None, timeout=10000)
    conn = reader._conn
    assert w.holder.lock()
    assert reader._conn is None and reader._job is None and m._whole() is None
    try:
        conn.execute("SELECT 1")
        closed = False
    except Exception:    # sqlcipher3.ProgrammingError: Cannot operate on a closed database.
        closed = True
    assert closed
