"""Issue 19, items 1 and 4: approval is read and confirmed, never one keystroke; the inbox audits
what the supervisor opened, not where the cursor passed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from triage_app.gui import extras, messages
from triage_app.review import workflow

from .conftest import ALT, REF, actions, sign_in, submitted


def _inbox(qtbot, w):
    inbox = extras.open_screen(w, "inbox")
    qtbot.waitUntil(lambda: inbox.isVisible())
    return inbox


def test_approve_asks_first_saying_case_reviewer_and_recommendation(qtbot, window, monkeypatch):
    sign_in(window, "rita")
    submitted(window.holder.session)
    sign_in(window, "sam")
    inbox = _inbox(qtbot, window)
    asked = []
    monkeypatch.setattr(messages, "ask", lambda parent, title, text, **k: asked.append(text) or False)
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)           # read it
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: bool(asked))                       # a mnemonic clicks after a short flash
    assert len(asked) == 1
    assert REF in asked[0] and "rita" in asked[0] and "Reopen the investigation" in asked[0]
    assert workflow.latest_review(window.holder.session.conn, 1)["state"] == "submitted"   # "no": nothing decided
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    qtbot.mouseClick(inbox.approve, Qt.MouseButton.LeftButton)
    assert workflow.latest_review(window.holder.session.conn, 1)["state"] == "approved"


def test_the_review_text_is_reached_by_tab_and_scrolls_by_keyboard(qtbot, window):
    sign_in(window, "rita")
    submitted(window.holder.session)
    sign_in(window, "sam")
    inbox = _inbox(qtbot, window)
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is inbox.view          # Enter reads it and goes to the text
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is inbox.view          # Tab leaves the list for the text
    inbox.view.resize(300, 120)
    bar = inbox.view.verticalScrollBar()
    assert bar.maximum() > 0
    qtbot.keyClick(inbox.view, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    qtbot.keyClick(inbox.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is inbox.comment       # then the comment, then the buttons
    qtbot.keyClick(inbox.comment, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is inbox.approve


def test_return_to_author_is_done_by_keyboard_with_its_comment(qtbot, window, monkeypatch):
    sign_in(window, "rita")
    submitted(window.holder.session)
    sign_in(window, "sam")
    inbox = _inbox(qtbot, window)
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, ALT)   # Alt+M: the comment box
    assert QApplication.focusWidget() is inbox.comment
    qtbot.keyClicks(inbox.comment, "Say whether the exhibits were checked.")
    qtbot.keyClick(inbox.comment, Qt.Key.Key_R, ALT)                # Alt+R: Return to author
    qtbot.waitUntil(lambda: workflow.latest_review(window.holder.session.conn, 1)["state"] == "returned")


def test_moving_through_the_inbox_audits_nothing_until_a_review_is_opened(qtbot, window):
    sign_in(window, "rita")
    submitted(window.holder.session)
    submitted(window.holder.session, "CR/2015/000202")
    sign_in(window, "sam")
    inbox = _inbox(qtbot, window)
    s = window.holder.session
    before = actions(s).count("review.open") + actions(s, "CR/2015/000202").count("review.open")
    inbox.table.setFocus()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Up):
        qtbot.keyClick(inbox.table, key)
    qtbot.keyClick(inbox.table, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    after = actions(s).count("review.open") + actions(s, "CR/2015/000202").count("review.open")
    assert after == before
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    assert actions(s).count("review.open") + actions(s, "CR/2015/000202").count("review.open") == before + 1
