"""Preferences: the idle-lock minutes and the default consultation reason, through the dialog."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import PASS
from tests.gui.test_gui_unlock import unlock
from triage_app.gui import settings as S
from triage_app.gui.preferences import PreferencesDialog


def test_the_dialog_saves_what_is_typed(qtbot, gui_settings):
    d = PreferencesDialog(gui_settings)
    qtbot.addWidget(d)
    d.idle.selectAll()
    qtbot.keyClicks(d.idle, "3")
    d.reason.clear()
    qtbot.keyClicks(d.reason, "  Beaconport   referral check ")
    qtbot.mouseClick(d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert gui_settings.get(S.IDLE_LOCK_MINUTES) == 3
    assert gui_settings.get(S.CONSULTATION_REASON) == "Beaconport referral check"


def test_cancel_changes_nothing(qtbot, gui_settings):
    d = PreferencesDialog(gui_settings)
    qtbot.addWidget(d)
    d.idle.setValue(55)
    qtbot.keyClick(d, Qt.Key.Key_Escape)
    assert gui_settings.get(S.IDLE_LOCK_MINUTES) == 10


def test_a_new_idle_time_applies_at_once(qtbot, queue_vault, make_main, monkeypatch):
    w = make_main(queue_vault)
    unlock(qtbot, w, "rita", PASS["rita"])

    def choose_two_minutes(dialog):
        dialog.idle.setValue(2)
        dialog.accept()
        return 1

    monkeypatch.setattr(PreferencesDialog, "exec", choose_two_minutes)
    w.actions["preferences"].trigger()
    assert w.idle._timer.interval() == 120_000 and w.idle.running
