"""The queue keeps the chosen case across a reload without reading the queue page after page
(issue 20: a status change cost seconds at 100,000 cases while it looked for a case the filter left out)."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from tests.gui.conftest import seed_queue
from tests.gui.test_gui_queue import open_queue
from triage_app.gui import queue_model, queue_query, queue_view


def _rows():
    n = queue_model.ID_PAGE * 2 + 7
    # Priority falls with i, so case i sits on row i of the default order; every 50th is approved.
    return [(f"CR/2019/{i:06d}", 1000 - i // 2, f"2019-01-{1 + i % 28:02d}",
             "approved" if i % 50 == 0 else "not_started", None, None, None,
             "synthetic summary", "synthetic rationale") for i in range(n)]


def _choose(view, ref):
    m = view.model
    row = m.row_of(ref)
    assert row is not None and m.ref_at(row) == ref
    view.table.selectionModel().setCurrentIndex(
        m.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    return row


def test_a_case_deep_in_the_queue_stays_chosen_across_a_reload_and_a_sort(qtbot, vault_path, make_main, monkeypatch):
    seed_queue(vault_path, _rows())
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    w = open_queue(qtbot, make_main, vault_path)
    view, m = w.queue, w.queue.model
    deep = f"CR/2019/{queue_model.ID_PAGE + 61:06d}"          # on the second page of ids
    assert deep not in m.refs()
    assert _choose(view, deep) == queue_model.ID_PAGE + 61
    reads = []
    real = queue_query.page_of_ids
    monkeypatch.setattr(queue_query, "page_of_ids", lambda *a: reads.append(a[4]) or real(*a))
    view.reload()
    # The reload reads the first page only and shows it with no row chosen (Enter opens nothing)...
    assert reads == [None] and m.rowCount() == queue_model.ID_PAGE
    assert not view.table.currentIndex().isValid()
    # ...then reads on between events until the cursor is back on the case.
    qtbot.waitUntil(lambda: view.table.currentIndex().isValid())
    assert m.refs()[view.table.currentIndex().row()] == deep
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)   # ref, newest first: near the top now
    assert m.refs()[view.table.currentIndex().row()] == deep
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: view.table.currentIndex().isValid())
    assert m.refs()[view.table.currentIndex().row()] == deep
    assert len(m.refs()) == len(set(m.refs()))


def test_a_key_pressed_while_the_cursor_follows_a_case_leaves_the_cursor_to_the_reviewer(
        qtbot, vault_path, make_main, monkeypatch):
    seed_queue(vault_path, _rows())
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    monkeypatch.setattr(queue_view, "FOLLOW_PAGES", 1)
    w = open_queue(qtbot, make_main, vault_path)
    view, m = w.queue, w.queue.model
    deep = f"CR/2019/{queue_model.ID_PAGE * 2 + 3:06d}"        # on the third page of ids
    _choose(view, deep)
    view.reload()
    assert not view.table.currentIndex().isValid()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)                # the reviewer moves before it is reached
    assert view.table.currentIndex().row() == 0
    for _turn in range(3):                                     # the turns that would have reached it
        view._follow_on()
    assert view.table.currentIndex().row() == 0 and m.ref_at(0) == "CR/2019/000000"


def test_a_case_too_deep_to_follow_leaves_no_row_chosen_after_a_reload(qtbot, vault_path, make_main, monkeypatch):
    seed_queue(vault_path, _rows())
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    monkeypatch.setattr(queue_view, "FOLLOW_MAX_ROWS", queue_model.ID_PAGE)
    w = open_queue(qtbot, make_main, vault_path)
    view, m = w.queue, w.queue.model
    _choose(view, f"CR/2019/{queue_model.ID_PAGE * 2 + 3:06d}")
    view.reload()
    for _turn in range(3):
        view._follow_on()
    assert not view.table.currentIndex().isValid() and view._following is None


def test_a_filter_that_leaves_the_chosen_case_out_reads_one_page(qtbot, vault_path, make_main, monkeypatch):
    seed_queue(vault_path, _rows())
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    w = open_queue(qtbot, make_main, vault_path)
    view, m = w.queue, w.queue.model
    approved = f"CR/2019/{queue_model.ID_PAGE + 50:06d}"
    _choose(view, approved)
    reads = []
    real = queue_query.page_of_ids
    monkeypatch.setattr(queue_query, "page_of_ids", lambda *a: reads.append(a[4]) or real(*a))
    view.status.setCurrentIndex(view.status.findData("not_started"))
    assert reads == [None]                    # the first page only: the case is known to be out
    assert m.rowCount() == queue_model.ID_PAGE
    assert approved not in m.refs()
    assert m.ref_at(view.table.currentIndex().row()) == "CR/2019/000001"   # the first row, as a new filter does


def test_letters_that_narrow_nothing_leave_the_queue_as_it_is(qtbot, vault_path, make_main, monkeypatch):
    """One or two letters ask the same question as none: the queue is not read and painted again
    (the cursor stays where the reviewer put it); a word that narrows does re-read it."""
    seed_queue(vault_path, _rows())
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    w = open_queue(qtbot, make_main, vault_path)
    view, m = w.queue, w.queue.model
    _choose(view, "CR/2019/000007")
    resets = []
    m.modelReset.connect(lambda: resets.append(view.search.text()))
    for text in ("s", "sy", ""):
        view.search.setText(text)
        view.apply_filter()
    assert resets == [] and m.ref_at(view.table.currentIndex().row()) == "CR/2019/000007"
    view.search.setText("synthetic")
    view.apply_filter()
    assert resets == ["synthetic"]
    view.search.setText("nothing-like-it")
    view.apply_filter()
    assert m.rowCount() == 0
    view.reload()                               # a refresh always reads again
    assert resets == ["synthetic", "nothing-like-it", "nothing-like-it"]


def test_a_sort_reads_the_queue_once(qtbot, vault_path, make_main, monkeypatch):
    """sortByColumn sorts the model and sets the header's indicator, which sorts again: the second
    asks for the order already shown and reads nothing."""
    seed_queue(vault_path, _rows())
    monkeypatch.setattr(queue_model, "COUNT_PAUSE_MS", 3_600_000)
    monkeypatch.setattr(queue_model, "READ_AHEAD", False)   # every read on the GUI thread
    w = open_queue(qtbot, make_main, vault_path)
    view, m = w.queue, w.queue.model
    resets = []
    m.modelReset.connect(lambda: resets.append(m.sort_column))
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert resets == ["ref"]
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert resets == ["ref", "ref"] and m.ref_at(0) == f"CR/2019/{queue_model.ID_PAGE * 2 + 6:06d}"
