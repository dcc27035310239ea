"""The backup reminder: shown to those who may back up while a backup is due; a click makes one."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.conftest import PASS
from tests.gui.test_gui_unlock import unlock
from triage_app import audit


def test_a_reviewer_never_sees_the_reminder(qtbot, queue_vault, make_main):
    w = make_main(queue_vault)
    unlock(qtbot, w, "rita", PASS["rita"])
    assert not w.backup_notice.isVisible()


def test_a_supervisor_is_reminded_and_a_click_backs_up(qtbot, queue_vault, make_main, tmp_path, monkeypatch):
    w = make_main(queue_vault)
    unlock(qtbot, w, "sam", PASS["sam"])
    assert w.backup_notice.isVisible() and "never been backed up" in w.backup_notice.text()
    out = tmp_path / "saved.tbak"
    from triage_app.gui import backup_notice
    monkeypatch.setattr(backup_notice.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(backup_notice.messages, "tell", lambda *a, **k: None)
    qtbot.mouseClick(w.backup_notice, Qt.MouseButton.LeftButton)
    assert out.exists() and out.stat().st_size > 0
    assert not w.backup_notice.isVisible()
    assert audit.entries(w.holder.session.conn)[-1]["action"] == "backup.write"
