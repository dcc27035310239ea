"""The review workspace on its own: answers by key, notes saved on leaving the field and before a
lock, suggestions raised, undo/redo as audited compensating calls, Submit naming what is missing."""
from __future__ import annotations

from PySide6.QtCore import Qt

from triage_app import audit
from triage_app.gui.review_workspace import ReviewWorkspace
from triage_app.review import checklist, workflow

from .conftest import REF


def _ws(qtbot, holder):
    ws = ReviewWorkspace(holder, REF)
    qtbot.addWidget(ws)
    ws.show()
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow)
    return ws


def _review(holder):
    s = holder.session
    return workflow.review_summary(s.conn, s.one("SELECT id FROM cases WHERE ref = ?", (REF,))[0])


def _actions(holder):
    return [e["action"] for e in audit.entries(holder.session.conn, REF)]


def test_gui2_answer_by_key_undo_redo_are_audited(qtbot, holder_for):
    h = holder_for("rita")
    ws = _ws(qtbot, h)
    assert ws.start_button.isVisible() and not ws.submit_button.isVisible()
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    assert _review(h)["state"] == "in_review"
    first = checklist.current().items[0].id
    ws.tree.setCurrentItem(ws.items_by_id[first])
    qtbot.keyClick(ws.tree, Qt.Key.Key_N)
    assert [(a["item"], a["answer"]) for a in _review(h)["answers"]] == [(first, "no")]
    assert ws.items_by_id[first].text(1) == "No"
    assert ws.current_item_id() == checklist.current().items[1].id    # answering moved on
    ws.tree.setCurrentItem(ws.items_by_id[first])
    qtbot.keyClick(ws.tree, Qt.Key.Key_Y)
    assert _review(h)["answers"][0]["answer"] == "yes"
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _review(h)["answers"][0]["answer"] == "no"
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _review(h)["answers"] == []
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _review(h)["answers"][0]["answer"] == "no"
    acts = _actions(h)
    assert acts.count("review.answer") == 4 and acts.count("review.withdraw") == 1


def test_gui2_note_saved_on_focus_out_and_before_lock(qtbot, holder_for):
    h = holder_for("rita")
    ws = _ws(qtbot, h)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    first = checklist.current().items[0].id
    ws.tree.setCurrentItem(ws.items_by_id[first])
    qtbot.mouseClick(ws.answer_buttons["no"], Qt.MouseButton.LeftButton)
    ws.note.setFocus()
    qtbot.keyClicks(ws.note, "No ABE record on file")
    ws.tree.setFocus()
    assert _review(h)["answers"][0]["note"] == "No ABE record on file"
    ws.note.setFocus()
    qtbot.keyClick(ws.note, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(ws.note, "; statement only")
    s = h.session
    h.lock()  # about_to_lock saves the draft before the connection closes
    from tests.conftest import PASS
    h.unlock("rita", PASS["rita"])
    assert _review(h)["answers"][0]["note"] == "No ABE record on file; statement only"
    assert s.locked


def test_gui2_submit_names_what_is_missing_and_changes_nothing(qtbot, holder_for):
    h = holder_for("rita")
    ws = _ws(qtbot, h)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ws.submit_button, Qt.MouseButton.LeftButton)
    assert "Still missing before submitting" in ws.message.text()
    assert "recommendation" in ws.message.text()
    assert _review(h)["state"] == "in_review"
    assert ws.current_item_id() == checklist.current().mandatory_ids[0]


def test_gui2_other_reviewer_sees_read_only(qtbot, holder_for):
    h = holder_for("rita")
    workflow.start_review(h.session, REF)
    ws = _ws(qtbot, holder_for("rob"))
    assert not ws.editable and not ws.start_button.isVisible() and not ws.answer_buttons["yes"].isEnabled()
