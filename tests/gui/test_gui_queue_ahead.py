"""The queue's ids read ahead after a pause: End and the scroll bar dragged far down then need no query,
and what was read ahead is never used once the vault was written meanwhile."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_gui_queue import _three_pages_and_more
from triage_app.gui import queue_query as q


def _count_reads(monkeypatch):
    reads = []
    real = q.page_of_ids
    monkeypatch.setattr(q, "page_of_ids", lambda *a, **k: reads.append((a[4], k.get("backwards", False)))
                        or real(*a, **k))
    return reads


def test_a_pause_reads_every_id_ahead_in_chunks_then_end_and_the_middle_read_nothing(
        qtbot, vault_path, make_main, monkeypatch):
    from triage_app.gui import queue_model
    monkeypatch.setattr(queue_model, "AHEAD_CHUNK", 300)
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    m._count_timer.setInterval(10)                   # the pause, shortened
    m._count_timer.start()
    qtbot.waitUntil(lambda: m._ahead_done, timeout=10000)   # a chunk per turn of the event loop
    assert m.total == len(rows) and [m._ahead.index(i) for i in m._ahead] == list(range(len(rows)))
    reads = _count_reads(monkeypatch)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == len(rows) - 1 and m.ref_at(len(rows) - 1) == want[-1]
    assert m.ref_at(len(rows) // 2) == want[len(rows) // 2]
    assert m.refs() == want
    assert reads == []                               # End and the rows between: all read ahead


def test_ids_read_ahead_are_not_used_after_another_connection_wrote(qtbot, vault_path, make_main, monkeypatch):
    from tests.conftest import PASS
    from triage_app.session import open_vault
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    m.count_now()
    assert m.read_ahead_now() == len(rows)
    gone = want[len(want) // 2]
    s = open_vault(vault_path, "ada", PASS["ada"])
    with s.change("import", "test.remove", kind="erasure"):
        s.conn.execute("DELETE FROM cases WHERE ref = ?", (gone,))
    s.close()
    reads = _count_reads(monkeypatch)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert reads and reads[0] == (None, True)        # the last page read again, not taken from the ids ahead
    want.remove(gone)
    with qtbot.waitSignal(m.modelReset, timeout=10000):   # the count was before the write: read again
        m.refs()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert m.refs() == want


def test_reading_ahead_again_after_a_write_starts_from_the_top(qtbot, vault_path, make_main, monkeypatch):
    from tests.conftest import PASS
    from triage_app.gui import queue_model
    from triage_app.session import open_vault
    monkeypatch.setattr(queue_model, "AHEAD_CHUNK", 300)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    m = w.queue.model
    m.count_now()
    assert m.read_ahead()                            # one chunk read, more to come
    gone = want[100]                                 # among the ids already read ahead
    s = open_vault(vault_path, "ada", PASS["ada"])
    with s.change("import", "test.remove", kind="erasure"):
        s.conn.execute("DELETE FROM cases WHERE ref = ?", (gone,))
    s.close()
    m.read_ahead_now()
    refs = {r[0]: r[1] for r in m.conn.execute("SELECT id, ref FROM cases")}
    want.remove(gone)
    assert [refs[i] for i in m._ahead] == want


def test_rows_left_unread_after_end_come_from_the_ids_read_ahead(qtbot, vault_path, make_main, monkeypatch):
    """End pressed before the pause (the rows between not read; End took the count, so the pause's
    timer is off): reading ahead starts from End, and once done the scroll bar dragged to the middle
    fills the stretch from them with no query."""
    from triage_app.gui import queue_model
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert m._gaps and not m._count_timer.isActive()
    qtbot.waitUntil(lambda: m._ahead_done, timeout=10000)
    assert len(m._ahead) == len(rows)
    reads = _count_reads(monkeypatch)
    assert m.ref_at(len(rows) // 2) == want[len(rows) // 2]
    assert reads == [] and not m._gaps
    assert m.refs() == want


def test_reading_ahead_walks_a_bounded_stretch_of_the_index_however_few_cases_pass(
        qtbot, vault_path, make_main, monkeypatch):
    """A filter few cases pass: each turn walks AHEAD_CHUNK entries of the sort's index (those not passing
    given as minus their id), not AHEAD_CHUNK cases passing (one walk of the whole index when few pass);
    the ids kept are the filtered queue in its order."""
    from triage_app.gui import queue_model
    monkeypatch.setattr(queue_model, "AHEAD_CHUNK", 200)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    m = w.queue.model
    m.sort(1, Qt.SortOrder.DescendingOrder)              # by crime ref, down
    m.set_filter(q.QueueFilter(text="CR/2019/0009"))     # 100 cases of the 1,507 pass
    m.count_now()
    walks = []
    real = q.page_of_ids
    monkeypatch.setattr(q, "page_of_ids", lambda *a, **k: walks.append(real(*a, **k)) or walks[-1])
    m.read_ahead_now()
    ahead = walks
    assert [len(x) for x in ahead[:-1]] == [200] * (len(rows) // 200)
    assert sum(1 for x in ahead for i in x if i > 0) == 100 and any(i < 0 for x in ahead for i in x)
    refs = {r[0]: r[1] for r in m.conn.execute("SELECT id, ref FROM cases")}
    assert [refs[i] for i in m._ahead] == sorted((r for r in want if r.startswith("CR/2019/0009")), reverse=True)
