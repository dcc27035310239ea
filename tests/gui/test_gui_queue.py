"""The triage queue through the screen: order, header-click sorting, every filter, keyboard."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.conftest import PASS
from triage_app.gui import queue_query as q


def open_queue(qtbot, make_main, path, user="rita"):
    w = make_main(path)
    qtbot.keyClicks(w.unlock.user, user)
    qtbot.keyClicks(w.unlock.passphrase, PASS[user])
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.holder.session is not None, timeout=10000)
    return w


def click_header(qtbot, view, column):
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_queue_is_highest_priority_first_then_oldest_nfa(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    refs = w.queue.model.refs()
    # 75 and 75 tie: the older NFA date (2010) comes first.
    assert refs == ["CR/2011/000101", "CR/2013/000303", "CR/2012/000202", "CR/2014/000404",
                    "CR/2015/000505", "CR/2016/000606"]
    assert w.queue.count.text() == "6 cases"
    m = w.queue.model
    assert m.data(m.index(0, 6)) == "Beaconport · CSARP"
    assert m.data(m.index(1, 6)) == "Beaconport?"
    assert m.data(m.index(1, 7)) == "Not started"
    assert m.data(m.index(2, 7)) == "In review (rita)"


def test_clicking_headers_sorts_in_sql(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    click_header(qtbot, w.queue, 4)                    # NFA date
    dates = [w.queue.model.data(w.queue.model.index(r, 4)) for r in range(6)]
    first = dates[:]
    click_header(qtbot, w.queue, 4)
    dates2 = [w.queue.model.data(w.queue.model.index(r, 4)) for r in range(6)]
    iso = lambda d: d[6:] + d[3:5] + d[:2]                # noqa: E731  (shown as dd/mm/yyyy)
    assert sorted(first, key=iso) in (first, dates2) and list(reversed(dates2)) == first
    click_header(qtbot, w.queue, 1)                    # crime ref
    refs = w.queue.model.refs()
    assert refs in (sorted(refs), sorted(refs, reverse=True))


def test_filters_narrow_the_queue(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    v = w.queue

    def pick(combo, key):
        combo.setFocus()
        while combo.currentData() != key:
            qtbot.keyClick(combo, Qt.Key.Key_Down)

    pick(v.status, "in_review")
    assert v.model.refs() == ["CR/2012/000202"]
    v.status.setCurrentIndex(0)
    pick(v.eligibility, "beaconport")
    assert set(v.model.refs()) == {"CR/2011/000101", "CR/2012/000202"}
    pick(v.eligibility, "unknown")
    assert set(v.model.refs()) == {"CR/2013/000303", "CR/2015/000505", "CR/2016/000606"}
    v.eligibility.setCurrentIndex(0)
    pick(v.band, "high")
    assert set(v.model.refs()) == {"CR/2011/000101", "CR/2013/000303", "CR/2012/000202"}
    pick(v.band, "low")
    assert set(v.model.refs()) == {"CR/2015/000505", "CR/2016/000606"}
    v.band.setCurrentIndex(0)
    qtbot.mouseClick(v.mine, Qt.MouseButton.LeftButton)
    assert set(v.model.refs()) == {"CR/2012/000202", "CR/2015/000505", "CR/2016/000606"}
    qtbot.mouseClick(v.mine, Qt.MouseButton.LeftButton)
    assert len(v.model.refs()) == 6
    assert v.count.text() == "6 cases"


def test_ctrl_f_searches_text_and_refs(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    v = w.queue
    w.queue.table.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert v.search.hasFocus()
    qtbot.keyClicks(v.search, "takeaw")                 # a prefix of a word in a summary
    qtbot.keyClick(v.search, Qt.Key.Key_Return)         # Enter: filter now and go to the table
    assert v.model.refs() == ["CR/2011/000101"]
    assert v.table.hasFocus()
    v.search.setFocus()
    v.search.clear()
    qtbot.keyClicks(v.search, "missing")                # in a rationale and a summary of one case
    qtbot.waitUntil(lambda: v.model.refs() == ["CR/2013/000303"], timeout=3000)
    v.search.clear()
    qtbot.keyClicks(v.search, "cr/2014")                # a crime reference, typed in lower case
    qtbot.keyClick(v.search, Qt.Key.Key_Return)
    assert v.model.refs() == ["CR/2014/000404"]
    v.search.setFocus()
    qtbot.keyClick(v.search, Qt.Key.Key_Escape)         # Esc clears and returns to the table
    assert v.search.text() == "" and len(v.model.refs()) == 6 and v.table.hasFocus()
    v.search.setFocus()
    qtbot.keyClicks(v.search, 'consent" OR (NEAR * ')   # FTS syntax typed by hand is just words
    qtbot.keyClick(v.search, Qt.Key.Key_Return)
    assert v.model.refs() == []
    assert v.count.text() == "0 cases"


def test_fts_query_quotes_every_word():
    assert q.fts_query('abcd" OR (NEAR def*') == '"abcd"* "NEAR"* "def"'
    assert q.fts_query("  ") is None
    assert q.fts_query("a of") is None                  # too short to narrow anything
    w, p = q.where(q.QueueFilter(text="CR/20"))
    assert "ref >= ?" in w and "CR/20" in p


def test_lazy_paging_fetches_ids_as_the_view_scrolls(qtbot, vault_path, make_main, monkeypatch):
    from tests.gui.conftest import seed_queue
    from triage_app.gui import queue_model
    rows = [(f"CR/2019/{i:06d}", i % 97, f"2019-01-{1 + i % 28:02d}", "not_started", None, None, None,
             "synthetic summary", "synthetic rationale") for i in range(queue_model.ID_PAGE * 2 + 7)]
    seed_queue(vault_path, rows)
    # The exact count waits for a pause in typing (a timer): held here so the first page is seen
    # while the count is pending however slowly the machine runs, then let go.
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    w = open_queue(qtbot, make_main, vault_path)
    m = w.queue.model
    assert w.queue.count.text() == f"{queue_model.ID_PAGE:,}+ cases, counting…"
    assert m._count_timer.isActive() and m.total == -1          # the count is asked for, not yet made
    m._count_timer.start(0)                                      # the pause in typing, now
    qtbot.waitUntil(lambda: w.queue.count.text() == f"{len(rows):,} cases", timeout=30000)
    assert m.total == len(rows)
    assert queue_model.ID_PAGE <= m.rowCount() < len(rows)      # ids come a page at a time
    w.queue.table.setFocus()
    seen = [m.rowCount()]

    def pressed_to_the_end() -> bool:
        """Ctrl+End jumps to the last row loaded; reaching it pulls the next page of ids. The view
        learns of new rows through its own queued layout, so press again until it has."""
        if m.rowCount() == len(rows):
            return True
        qtbot.keyClick(w.queue.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        if m.rowCount() != seen[-1]:
            seen.append(m.rowCount())
        return m.rowCount() == len(rows)

    qtbot.waitUntil(pressed_to_the_end, timeout=30000)
    assert len(seen) >= 2 and seen == sorted(seen)   # pulled by the keys, as the view reached the end
    assert m.rowCount() == len(rows)
    assert len(set(m.refs())) == len(rows)
    priorities = [m.data(m.index(r, 0)) for r in range(m.rowCount())]
    assert priorities == sorted(priorities, reverse=True)


def _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch):
    """A queue of three pages of ids and a few cases more, opened with its count left to the pause:
    (the window, the rows seeded, their refs in queue order)."""
    from tests.gui.conftest import seed_queue
    from triage_app.gui import queue_model
    rows = [(f"CR/2019/{i:06d}", i % 7, f"2019-01-{1 + i % 3:02d}", "not_started", None, None, None,
             "synthetic summary", "synthetic rationale") for i in range(queue_model.ID_PAGE * 3 + 7)]
    seed_queue(vault_path, rows)
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    return (open_queue(qtbot, make_main, vault_path), rows,
            [r[0] for r in sorted(rows, key=lambda r: (-r[1], r[2], r[0]))])


def test_end_goes_straight_to_the_last_case_and_home_goes_back(qtbot, vault_path, make_main, monkeypatch):
    """Rows are chosen whole, so End and Home move between cases (not columns). End goes to the last
    case of the whole queue reading only the count and the last page (not every page above it); the
    rows between are read when shown, each case once and in queue order."""
    from triage_app.gui import queue_model
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    reads = []
    real = q.page_of_ids
    monkeypatch.setattr(q, "page_of_ids", lambda *a, **k: reads.append((a[4], k.get("backwards", False))) or real(*a, **k))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == len(rows) - 1 == m.rowCount() - 1
    assert m.ref_at(table.currentIndex().row()) == want[-1]
    assert w.queue.count.text() == f"{len(rows):,} cases"
    assert reads[0] == (None, True)          # the last page, read from the bottom up...
    assert len(reads) == 1
    # Up from the bottom and a jump to the middle: the rows between are read when shown.
    qtbot.keyClick(table, Qt.Key.Key_PageUp)
    assert m.ref_at(table.currentIndex().row()) == want[table.currentIndex().row()]
    above_last_page = len(rows) - queue_model.ID_PAGE - 10        # read up from the last page
    assert m.ref_at(above_last_page) == want[above_last_page]
    assert reads[-1][1] is True
    middle = queue_model.ID_PAGE + 100                             # read on from the first pages
    assert m.ref_at(middle) == want[middle]
    assert reads[-1][1] is False
    assert m.refs() == want
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentIndex().row() == len(rows) - 1
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentIndex().row() == 0


def test_rows_read_after_end_from_a_queue_written_meanwhile_are_read_again_not_shown_twice(
        qtbot, vault_path, make_main, monkeypatch):
    """After End the rows between the first pages and the last are read when shown, from both sides;
    if another connection took a case out of that stretch meanwhile, the two sides overlap by a case:
    the queue is read again rather than show it twice."""
    from tests.conftest import PASS
    from triage_app.session import open_vault
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    gone = want[len(want) // 2]                       # in the stretch not read yet
    s = open_vault(vault_path, "ada", PASS["ada"])
    with s.change("import", "test.remove", kind="erasure"):
        s.conn.execute("DELETE FROM cases WHERE ref = ?", (gone,))
    s.close()
    with qtbot.waitSignal(m.modelReset, timeout=10000):
        m.refs()
    want.remove(gone)
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert m.refs() == want


def test_after_end_a_row_far_from_those_read_is_read_by_its_place_and_every_meeting_fits(
        qtbot, vault_path, make_main, monkeypatch):
    """After End, a row deep in the stretch not read yet (the scroll bar dragged to the middle) is read
    with a page around it by its place, counted from the nearer row read (the top pages' last case),
    not by reading every case from there down to it; the rows between are read later from either
    side, and the whole queue is each case once in queue order."""
    from triage_app.gui import queue_model
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    reads = []
    real = q.page_of_ids
    monkeypatch.setattr(q, "page_of_ids", lambda *a, **k: reads.append((a[4], a[5], k.get("offset", 0)))
                        or real(*a, **k))
    middle = len(rows) // 2
    (first, end), = m._gaps
    above, below = m._ids[first - 1], m._ids[end]
    assert m.ref_at(middle) == want[middle]
    assert len(reads) == 1
    after, limit, offset = reads[0]
    # From the row read just above the stretch or just below it, walking fewer rows than from either
    # end of the queue (here the page reaches the last pages read: from there, nothing skipped).
    assert after in (above, below) and limit <= queue_model.ID_PAGE
    assert offset + limit <= end - first < middle
    for row in (middle - 200, middle + 200):
        assert m.ref_at(row) == want[row]
    resets = []
    m.modelReset.connect(lambda: resets.append(1))
    assert m.refs() == want
    qtbot.wait(20)
    assert not resets


@pytest.mark.parametrize("written", ["taken out", "added"])
def test_rows_read_by_place_from_a_queue_written_meanwhile_are_read_again_not_shown_out_of_place(
        qtbot, vault_path, make_main, monkeypatch, written):
    """A case taken out or added above the middle by another connection after End: the page read by its
    place is then a case off from the rows read on from the first pages; where they meet, the queue
    is read again rather than show a case twice, or leave one out."""
    from tests.conftest import PASS
    from tests.gui.conftest import seed_queue
    from triage_app.gui import queue_model
    from triage_app.session import open_vault
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    there = want[queue_model.ID_PAGE + 100]             # between the first pages and the middle
    if written == "taken out":
        s = open_vault(vault_path, "ada", PASS["ada"])
        with s.change("import", "test.remove", kind="erasure"):
            s.conn.execute("DELETE FROM cases WHERE ref = ?", (there,))
        s.close()
        want.remove(there)
    else:
        row = next(r for r in rows if r[0] == there)
        seed_queue(vault_path, [(there + "A", *row[1:])])  # sorts just after it
        want.insert(want.index(there) + 1, there + "A")
    with qtbot.waitSignal(m.modelReset, timeout=10000):
        m.ref_at(len(rows) // 2)
        m.refs()
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert m.refs() == want


def test_a_page_read_by_place_that_comes_back_short_reads_the_queue_again(qtbot, vault_path, make_main, monkeypatch):
    """After End, another connection takes out most of the queue: the page read by its place around
    the middle comes back short (fewer rows than asked for); the queue is read again, never left with
    the short page in place of the rows it stood for."""
    from tests.conftest import PASS
    from triage_app.gui import queue_model
    from triage_app.session import open_vault
    monkeypatch.setattr(queue_model, "NEAR", 10)
    w, rows, want = _three_pages_and_more(qtbot, make_main, vault_path, monkeypatch)
    table, m = w.queue.table, w.queue.model
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End)
    gone = want[100:100 + 2 * queue_model.ID_PAGE]
    s = open_vault(vault_path, "ada", PASS["ada"])
    with s.change("import", "test.remove", kind="erasure"):
        s.conn.executemany("DELETE FROM cases WHERE ref = ?", [(r,) for r in gone])
    s.close()
    left = [r for r in want if r not in set(gone)]
    with qtbot.waitSignal(m.modelReset, timeout=10000):
        m.ref_at(len(rows) // 2)
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert m.rowCount() == len(left) and m.refs() == left
