"""Issue 19, items 2, 5 and 9: typed text is never lost without a word; the queue keeps the case,
not the row; the case header and Submit say what the review really is."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from triage_app.gui import messages
from triage_app.review import workflow

from .conftest import OTHER, REF, sign_in, submitted


def _review(qtbot, w, ref=REF):
    w.open_case(ref)
    view = w.tabs.currentWidget()
    view.tabs.setCurrentWidget(view.review)
    qtbot.waitUntil(lambda: view.review._loaded)
    return view, view.review


def test_tab_leaves_the_contact_date_so_the_outcome_lands_in_its_box(qtbot, window):
    sign_in(window, "rita")
    view, ws = _review(qtbot, window)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    ws.parts.setCurrentIndex(2)
    ws.c_date.setFocus()
    qtbot.keyClick(ws.c_date, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not ws.c_date          # not the month section of the date
    assert ws.c_method.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is ws.c_method
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Letter sent")
    assert ws.c_outcome.toPlainText() == "Letter sent"


def test_a_letter_typed_into_the_date_is_refused_out_loud(qtbot, window):
    sign_in(window, "rita")
    view, ws = _review(qtbot, window)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    ws.parts.setCurrentIndex(2)
    ws.c_date.setFocus()
    qtbot.keyClicks(ws.c_date, "x")
    assert ws.message.isVisible() and "digits" in ws.message.text()


def test_closing_a_case_with_a_contact_half_written_asks_first(qtbot, window, monkeypatch):
    sign_in(window, "rita")
    view, ws = _review(qtbot, window)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    ws.c_outcome.setPlainText("Spoke to her mother; she will call back.")
    asked = []
    monkeypatch.setattr(messages, "ask", lambda *a, **k: asked.append(a[2]) or False)
    window.close_tab(window.tabs.indexOf(view))
    assert asked and window.tabs.indexOf(view) > 0               # kept open, text and all
    assert ws.c_outcome.toPlainText().startswith("Spoke")


def test_the_queue_keeps_the_case_not_the_row_when_it_re_sorts(qtbot, window):
    sign_in(window, "sam")
    q = window.queue
    row = q.model.refs().index(OTHER)
    q.table.setCurrentIndex(q.model.index(row, 0))
    s = window.holder.session
    with s.change("import", "test.priority", kind="collection"):     # a decision re-scores the queue
        s.conn.execute("UPDATE cases SET priority = 99 WHERE ref = ?", (OTHER,))
        s.conn.execute("UPDATE cases SET priority = 1 WHERE ref = ?", (REF,))
    q.reload()
    assert q.model.refs()[q.table.currentIndex().row()] == OTHER
    q.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)              # a click on a header
    assert q.model.refs()[q.table.currentIndex().row()] == OTHER
    opened = []
    q.open_case.connect(opened.append)
    qtbot.keyClick(q.table, Qt.Key.Key_Return)
    assert opened == [OTHER]


def test_the_case_header_follows_the_review(qtbot, window):
    sign_in(window, "rita")
    view, ws = _review(qtbot, window)
    assert "Not started" in view.head.text()
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    assert "In review" in view.head.text() and "Not started" not in view.head.text()


def test_a_returned_review_is_submitted_as_the_screen_says(qtbot, window, monkeypatch):
    sign_in(window, "rita")
    submitted(window.holder.session)
    sign_in(window, "sam")
    workflow.decide(window.holder.session, REF, "return", "Check again, then resubmit if you stand by it.")
    sign_in(window, "rita")
    view, ws = _review(qtbot, window)
    assert ws.missing.text().startswith("Nothing is missing")
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    qtbot.mouseClick(ws.submit_button, Qt.MouseButton.LeftButton)
    assert ws.summary["state"] == "submitted"


def test_wishes_yes_without_a_contact_is_refused_with_a_reason(qtbot, window):
    sign_in(window, "rita")
    view, ws = _review(qtbot, window)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    ws.tree.setCurrentItem(ws.items_by_id["victim_wishes"])
    qtbot.keyClick(ws.tree, Qt.Key.Key_Y)
    assert ws._answer_of("victim_wishes") is None
    assert "contact" in ws.message.text()
