"""A whole review done through the screens, with real clicks and keys: the reviewer answers the
checklist, raises a line of inquiry from a suggestion, undoes and redoes it, submits; a supervisor
returns it from the inbox; the reviewer mends and resubmits; the supervisor sees what changed and
approves; the reviewer writes the referral pack. The audit log holds every step, in order."""
from __future__ import annotations

from PySide6.QtCore import Qt


from tests.conftest import PASS
from triage_app import audit
from triage_app.gui.pack_dialog import PackDialog
from triage_app.review import checklist

from .conftest import REF

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _window(qtbot, cases_vault, gui_settings):
    from triage_app.gui.app import make_window
    w = make_window(cases_vault, settings=gui_settings)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def _sign_in(qtbot, w, user):
    if w.holder.session is not None:
        qtbot.keyClick(w, Qt.Key.Key_L, CTRL)            # Lock now
        assert w.holder.session is None
    w.holder.unlock(user, PASS[user])
    assert w.holder.session.user == user


def _open_review(qtbot, w):
    w.open_case(REF)
    view = w.tabs.currentWidget()
    view.tabs.setCurrentWidget(view.review)
    qtbot.waitUntil(lambda: view.review._loaded)
    return view.review


def _answer_mandatory_by_keys(qtbot, ws, answers: dict[str, str]):
    """Walk the checklist with the Down key and answer each mandatory item with Y / N / A."""
    key = {"yes": Qt.Key.Key_Y, "no": Qt.Key.Key_N, "na": Qt.Key.Key_A}
    todo = set(checklist.current().mandatory_ids)
    ws.tree.setFocus()
    ws.tree.setCurrentItem(ws.tree.topLevelItem(0))
    for _ in range(60):
        item_id = ws.current_item_id()
        if item_id in todo:
            default = "no" if checklist.current().item(item_id).yes_needs else "yes"   # no contact yet
            qtbot.keyClick(ws.tree, key[answers.get(item_id, default)])   # answering moves to the next item
            todo.discard(item_id)
            if not todo:
                return
            continue
        qtbot.keyClick(ws.tree, Qt.Key.Key_Down)
    raise AssertionError(f"items never reached: {sorted(todo)}")


def test_gui2_whole_review_through_the_screens(qtbot, cases_vault, gui_settings, monkeypatch, tmp_path):
    from triage_app.gui import messages
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    w = _window(qtbot, cases_vault, gui_settings)

    # --- the reviewer ------------------------------------------------------------------------
    _sign_in(qtbot, w, "rita")
    ws = _open_review(qtbot, w)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    assert ws.editable
    _answer_mandatory_by_keys(qtbot, ws, {"abe_interview": "no"})
    suggested = [ws.suggestion_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(ws.suggestion_list.count())]
    assert "abe_interview" in suggested

    ws.parts.setCurrentIndex(1)
    row = suggested.index("abe_interview")
    ws.suggestion_list.setCurrentRow(row)
    qtbot.mouseClick(ws.raise_suggested, Qt.MouseButton.LeftButton)
    assert ws.inquiry_table.rowCount() == 1
    assert "ABE" in ws.inquiry_table.item(0, 1).text()
    qtbot.keyClick(ws.inquiry_table, Qt.Key.Key_Z, CTRL)         # undo: the inquiry is withdrawn
    assert ws.inquiry_table.rowCount() == 0
    assert "abe_interview" in [ws.suggestion_list.item(i).data(Qt.ItemDataRole.UserRole)
                               for i in range(ws.suggestion_list.count())]
    qtbot.keyClick(ws.inquiry_table, Qt.Key.Key_Z, CTRL | SHIFT)  # redo: raised again
    assert ws.inquiry_table.rowCount() == 1

    # Submit with the recommendation missing names it and changes nothing.
    qtbot.mouseClick(ws.submit_button, Qt.MouseButton.LeftButton)
    assert "the recommendation" in ws.message.text()
    assert ws.summary["state"] == "in_review"

    ws.parts.setCurrentIndex(3)
    ws.rec_choice.setFocus()
    ws.rec_choice.setCurrentIndex(ws.rec_choice.findData("reopen"))
    ws.rec_rationale.setFocus()
    qtbot.keyClicks(ws.rec_rationale, "No ABE interview was offered; linked cases give new lines of inquiry.")
    ws.rec_choice.setFocus()                                        # leaving the field saves it
    assert ws.summary["recommendation"] == "reopen"
    qtbot.mouseClick(ws.submit_button, Qt.MouseButton.LeftButton)
    assert ws.summary["state"] == "submitted" and not ws.editable
    assert not ws.undo_button.isEnabled()

    # --- the supervisor returns it -----------------------------------------------------------
    _sign_in(qtbot, w, "sam")
    assert w.tabs.count() == 1                                      # another user starts with the queue alone
    assert w.team_actions["inbox"].isVisible()
    qtbot.keyClick(w, Qt.Key.Key_I, CTRL | SHIFT)
    inbox = w.tabs.currentWidget()
    assert inbox.table.rowCount() == 1 and inbox.table.item(0, 0).text() == REF
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)                  # read the review
    assert inbox.approve.isVisible() and inbox.send_back.isVisible()
    assert "Recommendation: Reopen the investigation" in inbox.view.toPlainText()
    qtbot.mouseClick(inbox.send_back, Qt.MouseButton.LeftButton)    # a return needs a comment
    assert "comment" in inbox.message.text()
    inbox.comment.setFocus()
    qtbot.keyClicks(inbox.comment, "Record whether the victim has been contacted; answer the ABE note.")
    qtbot.mouseClick(inbox.send_back, Qt.MouseButton.LeftButton)
    assert inbox.table.rowCount() == 0

    # --- the reviewer mends and resubmits -----------------------------------------------------
    _sign_in(qtbot, w, "rita")
    ws = _open_review(qtbot, w)
    assert ws.returned_box.isVisible() and "Record whether the victim" in ws.returned_box.text()
    assert ws.editable
    ws.parts.setCurrentIndex(0)
    ws.tree.setCurrentItem(ws.items_by_id["abe_interview"])
    ws.note.setFocus()
    qtbot.keyClicks(ws.note, "Statement only; no special measures offered.")
    ws.tree.setFocus()                                              # the note is saved on leaving the field
    ws.parts.setCurrentIndex(2)
    ws.c_method.setCurrentText("letter")
    ws.c_outcome.setFocus()
    qtbot.keyClicks(ws.c_outcome, "Letter sent offering a meeting with an ISVA present.")
    ws.c_isva.setChecked(True)
    qtbot.mouseClick(ws.c_record, Qt.MouseButton.LeftButton)
    assert ws.contact_table.rowCount() == 1 and ws.contact_state.text().startswith("Victim contacted")
    qtbot.mouseClick(ws.submit_button, Qt.MouseButton.LeftButton)
    assert ws.summary["state"] == "submitted"

    # --- the supervisor sees what changed and approves ------------------------------------------
    _sign_in(qtbot, w, "sam")
    qtbot.keyClick(w, Qt.Key.Key_I, CTRL | SHIFT)
    inbox = w.tabs.currentWidget()
    assert inbox.table.item(0, 4).text() == "yes"                   # a resubmission
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    shown = inbox.view.toPlainText()
    assert "Changed since it was returned" in shown and "Statement only" in shown and "victim contact records" in shown
    qtbot.mouseClick(inbox.approve, Qt.MouseButton.LeftButton)
    assert "approved" in inbox.message.text()

    # --- the reviewer writes the referral pack ------------------------------------------------
    _sign_in(qtbot, w, "rita")
    ws = _open_review(qtbot, w)
    assert ws.pack_button.isVisible() and not ws.submit_button.isVisible()
    out = tmp_path / "pack.pdf"
    seen = {}

    def fill_dialog():
        dialog = next(d for d in w.findChildren(PackDialog) if d.isVisible())   # window-modal, not a nested loop
        dialog.open_after.setChecked(False)
        dialog.print_after.setChecked(False)
        dialog.out.setText(str(out))
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.issued is not None, timeout=30000)
        qtbot.waitUntil(lambda: dialog.history.rowCount() == 1)
        seen["pack"] = dialog.issued
        dialog.reject()

    qtbot.mouseClick(ws.pack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(PackDialog)))
    fill_dialog()
    assert out.read_bytes()[:5] == b"%PDF-"
    assert seen["pack"]["case"] == REF

    # --- the audit log holds each step, in order ------------------------------------------------
    log = audit.entries(w.holder.session.conn, REF)
    steps = [(e["user"], e["action"]) for e in log if e["action"] != "review.open" and e["kind"] != "consultation"]
    want = [("rita", "review.start"), ("rita", "review.answer"), ("rita", "review.inquiry"),
            ("rita", "review.withdraw"), ("rita", "review.inquiry"), ("rita", "review.recommend"),
            ("rita", "review.submit"), ("sam", "review.decide"), ("rita", "review.answer"),
            ("rita", "review.contact"), ("rita", "review.submit"), ("sam", "review.decide"), ("rita", "pack.issue")]
    it = iter(steps)
    assert all(step in it for step in want), steps                 # each step, in this order
    decisions = [e["detail"]["decision"] for e in log if e["action"] == "review.decide"]
    assert decisions == ["return", "approve"]
    answers = [e for e in log if e["action"] == "review.answer"]
    assert len(answers) == len(checklist.current().mandatory_ids) + 1
    assert any(e["action"] == "review.open" and e["user"] == "sam" for e in log)   # the inbox read is audited
    assert w.holder.session.verify_audit().ok
