"""Issue 19 fixtures: the gui2 vault (two synthetic cases, CHEAP_KDF users) and a main window
signed in by keyboard-free helpers; reviews prepared through the core."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt

from tests.conftest import PASS
from tests.gui2.conftest import OTHER, REF, cases_vault, gui_settings, holder_for  # noqa: F401
from triage_app.review import checklist, workflow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(qtbot, cases_vault, gui_settings):  # noqa: F811
    from triage_app.gui.app import make_window
    w = make_window(cases_vault, settings=gui_settings)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    yield w
    w.holder.close()


def sign_in(w, user):
    if w.holder.session is not None:
        w.holder.lock()
    w.holder.unlock(user, PASS[user])


def submitted(session, ref=REF, recommendation="reopen"):
    """A review of `ref` by the session's user, complete and submitted."""
    workflow.start_review(session, ref)
    for item in checklist.current().mandatory_ids:
        workflow.answer_item(session, ref, item, "no" if checklist.current().item(item).yes_needs else "yes")
    workflow.recommend(session, ref, recommendation, "Synthetic rationale: exhibits retained, never examined.")
    workflow.submit(session, ref)


def actions(session, ref=REF):
    from triage_app import audit
    return [e["action"] for e in audit.entries(session.conn, ref)]
