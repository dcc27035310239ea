"""Idle auto-lock, Ctrl+L, what a lock keeps and what it drops."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication

from tests.conftest import PASS
from tests.gui.test_gui_queue import open_queue
from triage_app.gui import settings as S
from triage_app.gui.clipboard import Clipboard


def test_idle_timeout_locks_back_to_the_unlock_screen(qtbot, queue_vault, make_main):
    w = make_main(queue_vault, idle_ms=300)
    seen = []
    # An editor saving its text on `about_to_lock` must still find the vault open.
    w.holder.about_to_lock.connect(lambda: seen.append(w.holder.session.conn.execute("SELECT 1").fetchone()[0]))
    qtbot.keyClicks(w.unlock.user, "rita")
    qtbot.keyClicks(w.unlock.passphrase, PASS["rita"])
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.holder.session is not None, timeout=10000)
    session = w.holder.session
    assert w.idle.running
    with qtbot.waitSignal(w.holder.locked, timeout=5000):
        pass
    assert seen == [1]
    assert session.locked and w.holder.session is None
    assert w.stack.currentWidget() is w.unlock
    assert w.queue.model.rowCount() == 0             # no case rows left in memory
    assert w.unlock.user.text() == "rita" and w.unlock.passphrase.text() == ""
    assert not w.actions["search"].isEnabled()
    assert not w.idle.running


def test_typing_keeps_the_app_unlocked(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    w.idle.set_timeout(400)
    w.idle.start()
    w.queue.table.setFocus()
    for _ in range(6):                                # 6 × 150 ms of activity > one timeout
        qtbot.keyClick(w.queue.table, Qt.Key.Key_Down)
        qtbot.wait(150)
        assert w.holder.session is not None
    qtbot.waitUntil(lambda: w.holder.session is None, timeout=5000)


def test_ctrl_l_locks_and_the_same_user_finds_their_cases_again(qtbot, queue_vault, make_main):
    from PySide6.QtWidgets import QLabel
    w = open_queue(qtbot, make_main, queue_vault)
    tab = QLabel("case")   # stands in for a case tab: only whether it survives the lock matters here
    tab.ref = "CR/2011/000101"
    w.tabs.addTab(tab, tab.ref)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.holder.session is None and w.stack.currentWidget() is w.unlock
    qtbot.keyClicks(w.unlock.passphrase, PASS["rita"])
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.holder.session is not None, timeout=10000)
    assert w.tabs.count() == 2 and w.queue.model.rowCount() == 6
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    w.unlock.user.clear()
    qtbot.keyClicks(w.unlock.user, "rob")
    qtbot.keyClicks(w.unlock.passphrase, PASS["rob"])
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.holder.session is not None, timeout=10000)
    assert w.holder.session.user == "rob"
    assert w.tabs.count() == 1                         # rita's case is not left open for rob


def test_lock_clears_only_what_the_app_copied(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    w.queue.table.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    board = QGuiApplication.clipboard()
    assert board.text() == "CR/2011/000101"
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert board.text() == ""
    c = Clipboard()
    c.copy("CR/2012/000202")
    board.setText("the reviewer's own note")          # copied from elsewhere after ours
    assert c.clear_own() is False
    assert board.text() == "the reviewer's own note"


def test_settings_are_typed_and_bounded(tmp_path):
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    s = S.Settings(store)
    assert s.get(S.IDLE_LOCK_MINUTES) == 10
    s.set(S.IDLE_LOCK_MINUTES, 3)
    assert S.Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)).get(S.IDLE_LOCK_MINUTES) == 3
    store.setValue(S.IDLE_LOCK_MINUTES.key, "0")        # hand-edited: out of range → the default
    assert s.get(S.IDLE_LOCK_MINUTES) == 10
    store.setValue(S.IDLE_LOCK_MINUTES.key, "soon")
    assert s.get(S.IDLE_LOCK_MINUTES) == 10
    import pytest
    with pytest.raises(TypeError):
        s.set(S.IDLE_LOCK_MINUTES, "5")


def test_idle_minutes_come_from_settings(qtbot, queue_vault, gui_settings):
    from triage_app.gui.app import make_window
    gui_settings.set(S.IDLE_LOCK_MINUTES, 7)
    w = make_window(queue_vault, settings=gui_settings)
    qtbot.addWidget(w)
    assert w.idle._timer.interval() == 7 * 60_000


def test_help_lists_every_shortcut_the_window_has(qtbot, queue_vault, make_main):
    from triage_app.gui.help import SHORTCUTS, HelpDialog
    w = open_queue(qtbot, make_main, queue_vault)
    d = HelpDialog(w)
    qtbot.addWidget(d)
    from PySide6.QtWidgets import QTableWidget
    t = d.findChild(QTableWidget, "shortcuts")
    keys = {t.item(r, 0).text() for r in range(t.rowCount())}
    for name, action in w.actions.items():
        assert action.shortcut().toString() in keys, name
    assert {"Ctrl+F", "Ctrl+L", "F1", "Enter"} <= keys


def test_the_palette_follows_a_dark_system_scheme(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette
    from triage_app.gui.app import application, apply_palette
    app = application()
    # The offscreen platform can't be told the system is dark; hand the scheme in as the signal would.
    try:
        apply_palette(app, Qt.ColorScheme.Dark)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert app.palette().color(QPalette.ColorRole.Text).lightness() > 180
        apply_palette(app, Qt.ColorScheme.Light)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    finally:
        apply_palette(app)
    assert "QLabel#banner" in app.styleSheet()


def test_f1_opens_the_shortcut_list(qtbot, queue_vault, make_main, monkeypatch):
    from triage_app.gui.help import HelpDialog
    shown = []
    monkeypatch.setattr(HelpDialog, "exec", lambda self: shown.append(self) or 0)  # modal: don't block the test
    w = open_queue(qtbot, make_main, queue_vault)
    w.queue.table.setFocus()
    qtbot.keyClick(w.queue.table, Qt.Key.Key_F1)
    assert len(shown) == 1 and shown[0].windowTitle().startswith("Keyboard shortcuts")
    w.lock_now()
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_F1)        # help works on the unlock screen too
    assert len(shown) == 2
