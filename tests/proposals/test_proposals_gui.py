"""Through the desktop, with real keys: the workspace shows each proposal beside its item, P confirms
one, N answers another otherwise, Shift+P confirms a section, Submit; the audit log tells the
proposed-and-confirmed answers from the typed ones."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt

from tests.conftest import PASS
from triage_app import audit
from triage_app.gui.review_workspace import ReviewWorkspace
from triage_app.gui.vault_lock import VaultHolder
from triage_app.review import checklist, workflow

from .conftest import add_case

REF = "CR/2013/000401"


@pytest.fixture
def holder(qtbot, vault_path, login):
    s = login("sam")
    add_case(s, REF)
    s.close()
    h = VaultHolder(vault_path)
    h.unlock("rita", PASS["rita"])
    yield h
    h.lock()


def _ws(qtbot, holder):
    ws = ReviewWorkspace(holder, REF)
    qtbot.addWidget(ws)
    ws.show()
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=30000)
    return ws


def _keys_reach(qtbot, ws):
    """Shortcuts (Ctrl+Z, Ctrl+Shift+Z: the workspace's actions) reach it only while its window is
    the active one with the focus inside it; P, N, Y go to the tree itself. Wait for that state
    (another window of an earlier test may have taken it), never for a time."""
    ws.activateWindow()
    ws.tree.setFocus()
    qtbot.waitUntil(lambda: ws.isActiveWindow() and ws.tree.hasFocus(), timeout=30000)


def _answers(holder):
    s = holder.session
    return {a["item"]: a["answer"] for a in workflow.review_summary(s.conn, 1)["answers"]}


def test_confirm_with_one_key_change_another_submit(qtbot, holder, monkeypatch):
    from triage_app.gui import messages
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)      # "Submit for sign-off?" → Submit
    ws = _ws(qtbot, holder)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    assert ws.summary and ws.summary["state"] == "in_review"
    _keys_reach(qtbot, ws)
    # Beside the item, marked as proposed; beneath it, the evidence with its words highlighted.
    abe = ws.items_by_id["abe_interview"]
    assert abe.text(1) == "needed — proposed: No" and abe.font(1).italic()   # mandatory: still needed
    ws.tree.setCurrentItem(abe)
    assert ws.proposals.isVisible() and ws.proposals.badge.text().startswith("PROPOSED: No")
    assert "background-color" in ws.proposals.evidence.text() and ">No ABE</span>" in ws.proposals.evidence.text()
    assert "abe_interview" not in _answers(holder)          # a proposal is not an answer
    qtbot.keyClick(ws.tree, Qt.Key.Key_P)
    assert _answers(holder)["abe_interview"] == "no"
    assert ws.items_by_id["abe_interview"].text(1) == "No · confirmed proposal"
    # The suspects' interview is proposed "yes"; the reviewer answers otherwise with N.
    ws.tree.setCurrentItem(ws.items_by_id["suspects_interviewed"])
    assert ws.items_by_id["suspects_interviewed"].text(1) == "needed — proposed: Yes"
    assert ws.items_by_id["wider_digital"].text(1) == "—"               # no evidence: nothing proposed
    qtbot.keyClick(ws.tree, Qt.Key.Key_N)
    assert _answers(holder)["suspects_interviewed"] == "no"
    # Undo of a confirmation takes the answer back; redo confirms it again.
    ws.tree.setCurrentItem(ws.items_by_id["abe_interview"])
    _keys_reach(qtbot, ws)
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "abe_interview" not in _answers(holder)
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _answers(holder)["abe_interview"] == "no"
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    # Shift+P on the rationale section confirms its unanswered proposals.
    ws.tree.setCurrentItem(ws.items_by_id["under16_consent"])
    qtbot.keyClick(ws.tree, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    got = _answers(holder)
    assert got["under16_consent"] == "yes" and got["cps_guidance"] == "no" and got["victim_blaming"] == "yes"
    # The victim section: no contact recorded yet, so both items are proposed "no".
    ws.tree.setCurrentItem(ws.items_by_id["victim_wishes"])
    qtbot.keyClick(ws.tree, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert _answers(holder)["victim_wishes"] == "no" and _answers(holder)["support_offered"] == "no"
    # The rest typed, a recommendation, and Submit.
    for item_id in checklist.current().mandatory_ids:
        if item_id not in _answers(holder):
            ws.tree.setCurrentItem(ws.items_by_id[item_id])
            qtbot.keyClick(ws.tree, Qt.Key.Key_Y)
    workflow.recommend(holder.session, REF, "refer", "New lines of inquiry from the record.")
    ws.load()
    qtbot.mouseClick(ws.submit_button, Qt.MouseButton.LeftButton)
    assert ws.summary["state"] == "submitted"

    entries = [e for e in audit.entries(holder.session.conn, REF) if e["action"] == "review.answer"]
    last = {}
    for e in entries:
        last[e["detail"]["item"]] = e["detail"]
    assert last["abe_interview"]["source"] == "proposal"
    assert last["abe_interview"]["proposed_by"] == \
        "proposed by rule abe.text (checklist v1, rules v1), confirmed by rita"
    assert last["under16_consent"]["source"] == "proposal" and last["cps_guidance"]["source"] == "proposal"
    assert last["suspects_interviewed"]["source"] == "typed" and last["suspects_interviewed"]["answer"] == "no"
    assert last["exhibits_retained"]["source"] == "typed"


def test_panel_clears_on_lock(qtbot, holder):
    ws = _ws(qtbot, holder)
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    ws.tree.setCurrentItem(ws.items_by_id["abe_interview"])
    assert ws.proposals.isVisible() and "ABE" in ws.proposals.evidence.text()
    assert ws.proposals.result is not None
    holder.lock()
    assert not ws.proposals.isVisible() and ws.proposals.evidence.text() == ""
    # Nothing of the case's text is kept by the panel through a lock: not on screen, not in memory.
    assert ws.proposals.result is None and ws.proposals.provenance == {}
    holder.unlock("rita", PASS["rita"])
