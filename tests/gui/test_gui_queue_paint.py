"""How the queue paints (issue 20): each cell from the text its row shows, laid out once; the row with
the cursor the standard way; nothing kept after the lock."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.test_gui_queue import open_queue
from triage_app.gui.queue_cells import QueueCells


def laid_out_while_painting(qtbot, view, monkeypatch):
    """Paint the queue's table once from nothing kept; return the (text, width) pairs laid out and
    the QStaticText made of each."""
    made = {}
    real = QueueCells._lay_out

    def recording(self, text, width, option):
        laid = real(self, text, width, option)
        made[(text, width)] = laid.text()
        return laid

    monkeypatch.setattr(QueueCells, "_lay_out", recording)
    view.cells._laid_out.clear()
    view.cells.fast = 0
    view.table.viewport().repaint()
    return made


def shown_columns(view) -> list[int]:
    """The columns the table's window has room to show (the test window may be narrow)."""
    width = view.table.viewport().width()
    return [c for c in range(view.model.columnCount()) if view.table.columnViewportPosition(c) < width]


def test_every_cell_but_the_cursors_row_is_painted_from_its_rows_shown_text(qtbot, queue_vault, make_main,
                                                                              monkeypatch):
    w = open_queue(qtbot, make_main, queue_vault)
    v, m = w.queue, w.queue.model
    qtbot.waitUntil(lambda: m.rowCount() == 6)
    assert isinstance(v.table.itemDelegate(), QueueCells)
    v.table.setColumnWidth(2, 70)          # the offence column too narrow for its text: cut with '…'
    QApplication.processEvents()
    cursor = v.table.currentIndex().row()
    assert cursor == 0
    made = laid_out_while_painting(qtbot, v, monkeypatch)
    columns = shown_columns(v)
    assert 2 in columns
    # Every cell of every row but the cursor's went this way (the cursor's row: the standard way).
    assert v.cells.fast == (m.rowCount() - 1) * len(columns)
    wanted = {str(m.data(m.index(r, c))) for r in range(m.rowCount()) if r != cursor for c in columns}
    assert {text for text, _width in made} == wanted
    # What is drawn is the row's text, cut at the column's width with '…' where it does not fit.
    for (text, width), drawn in made.items():
        if drawn != text:
            assert drawn.endswith("…") and text.startswith(drawn[:-1]) and len(drawn) < len(text)
    offences = [made[k] for k in made if k[0] == m.data(m.index(1, 2))]
    assert offences and offences[0].endswith("…")
    # The same texts at the same widths are laid out once, not at every paint.
    before = v.cells.held()
    v.cells.fast = 0
    v.table.viewport().repaint()
    assert v.cells.held() == before and v.cells.fast == (m.rowCount() - 1) * len(columns)


def test_the_cursors_row_is_painted_the_standard_way_wherever_it_goes(qtbot, queue_vault, make_main, monkeypatch):
    w = open_queue(qtbot, make_main, queue_vault)
    v, m = w.queue, w.queue.model
    qtbot.waitUntil(lambda: m.rowCount() == 6)
    v.table.setFocus()
    qtbot.keyClick(v.table, Qt.Key.Key_Down)
    qtbot.keyClick(v.table, Qt.Key.Key_Down)
    assert v.table.currentIndex().row() == 2
    made = laid_out_while_painting(qtbot, v, monkeypatch)
    laid = {text for text, _w in made}
    assert m.data(m.index(2, 1)) not in laid          # the cursor's crime ref: painted the standard way
    assert m.data(m.index(0, 1)) in laid              # the row it left: painted from its text again
    assert v.cells.fast == (m.rowCount() - 1) * len(shown_columns(v))


def test_nothing_laid_out_is_kept_after_the_lock(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    qtbot.waitUntil(lambda: w.queue.model.rowCount() == 6)
    w.queue.table.viewport().repaint()
    assert w.queue.cells.held() > 0
    w.lock_now()
    qtbot.waitUntil(lambda: w.holder.session is None)
    assert w.queue.model.rowCount() == 0
    assert w.queue.cells.held() == 0
