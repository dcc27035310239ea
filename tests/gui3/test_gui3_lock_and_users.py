"""Issue 19, items 3 and 4: every window showing case data hides on lock and returns only for the
same user; the next user starts with an empty search."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from shiboken6 import isValid

from triage_app.gui import extras
from triage_app.review import workflow

from .conftest import REF, sign_in, submitted


def _approved(w):
    sign_in(w, "rita")
    submitted(w.holder.session)
    sign_in(w, "sam")
    workflow.decide(w.holder.session, REF, "approve")
    sign_in(w, "rita")


def _on_screen():
    return [x for x in QApplication.topLevelWidgets() if x.isVisible()]


def test_the_pack_dialog_hides_on_lock_and_returns_for_the_same_user(qtbot, window):
    _approved(window)
    dialog = extras.open_pack(window, REF)
    qtbot.waitUntil(dialog.isVisible)
    window.holder.lock()
    assert not dialog.isVisible() and _on_screen() == [window]
    sign_in(window, "rita")
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.issue_button.isEnabled()                     # and it works again
    window.holder.lock()
    sign_in(window, "rob")                                     # another user: it is gone for good
    qtbot.wait(50)
    assert not isValid(dialog) or not dialog.isVisible()
    assert _on_screen() == [window]


def test_any_other_dialog_over_the_window_is_closed_on_lock(qtbot, window):
    sign_in(window, "rita")
    other = QDialog(window)
    other.setWindowTitle("a future dialog that forgot to join")
    other.open()
    qtbot.waitUntil(other.isVisible)
    window.holder.lock()
    assert not other.isVisible() and _on_screen() == [window]


def test_a_guarded_dialog_can_lock_by_keyboard(qtbot, window):
    _approved(window)
    dialog = extras.open_pack(window, REF)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.holder.session is None and not dialog.isVisible()


def test_the_next_user_never_inherits_the_search_text(qtbot, window):
    sign_in(window, "rita")
    window.queue.search.setText("takeaway")
    window.queue.apply_filter()
    window.holder.lock()
    sign_in(window, "rita")
    assert window.queue.search.text() == "takeaway"            # the same user carries on
    window.holder.lock()
    sign_in(window, "sam")
    assert window.queue.search.text() == ""
    assert window.queue.model.rowCount() == 2                  # the whole queue, unfiltered
