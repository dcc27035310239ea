"""Unlocking through the screen: right and wrong passphrases, Caps Lock, first-run vault creation."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import PASS


def unlock(qtbot, w, user, passphrase, *, by="click"):
    panel = w.unlock
    panel.user.clear()
    qtbot.keyClicks(panel.user, user)
    panel.passphrase.clear()
    qtbot.keyClicks(panel.passphrase, passphrase)
    if by == "click":
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel._job is None and not panel._finishing, timeout=10000)


def test_right_passphrase_opens_the_queue(qtbot, queue_vault, make_main):
    w = make_main(queue_vault)
    assert w.stack.currentWidget() is w.unlock
    assert not w.actions["lock"].isEnabled()
    unlock(qtbot, w, "rita", PASS["rita"])
    assert w.stack.currentWidget() is w.workspace
    assert w.holder.session.user == "rita" and w.holder.session.role == "reviewer"
    assert w.who.text() == "rita (reviewer)"
    assert w.queue.model.rowCount() == 6
    assert w.unlock.passphrase.text() == ""          # not kept in the field behind the workspace
    actions = [e["action"] for e in __import__("triage_app.audit", fromlist=["x"]).entries(w.holder.session.conn)]
    assert actions[-1] == "unlock"


def test_wrong_passphrase_says_one_sentence_and_stays_locked(qtbot, queue_vault, make_main):
    w = make_main(queue_vault)
    unlock(qtbot, w, "rita", "not the passphrase at all", by="enter")
    assert w.stack.currentWidget() is w.unlock
    assert w.holder.session is None
    assert w.unlock.error.isVisible()
    text = w.unlock.error.text()
    assert text == "The user name or passphrase is not right."
    # Unknown user: the same sentence, so the screen can't be used to find user names.
    unlock(qtbot, w, "nobody", PASS["rita"])
    assert w.unlock.error.text() == text
    # And then the right one still works.
    unlock(qtbot, w, "rita", PASS["rita"])
    assert w.stack.currentWidget() is w.workspace
    assert not w.unlock.error.isVisible()


def test_enter_in_the_name_field_moves_on_to_the_passphrase(qtbot, queue_vault, make_main):
    w = make_main(queue_vault)
    w.unlock.user.setFocus()
    qtbot.keyClicks(w.unlock.user, "rita")
    qtbot.keyClick(w.unlock.user, Qt.Key.Key_Return)
    assert w.focusWidget() is w.unlock.passphrase
    assert not w.unlock.error.isVisible() and w.unlock._job is None
    qtbot.keyClicks(w.unlock.passphrase, PASS["rita"])
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.holder.session is not None, timeout=10000)


def test_empty_fields_are_named(qtbot, queue_vault, make_main):
    w = make_main(queue_vault)
    w.unlock.user.clear()
    qtbot.mouseClick(w.unlock.button, Qt.MouseButton.LeftButton)
    assert w.unlock.error.text() == "Enter a user name."
    qtbot.keyClicks(w.unlock.user, "rita")
    qtbot.mouseClick(w.unlock.button, Qt.MouseButton.LeftButton)
    assert w.unlock.error.text() == "Enter the passphrase."
    assert w.holder.session is None


def test_caps_lock_warning_stays_while_letters_say_it_is_on(qtbot, queue_vault, make_main):
    w = make_main(queue_vault)
    field, caps = w.unlock.passphrase, w.unlock.caps
    qtbot.keyClicks(field, "abc")
    assert not caps.isVisible()
    qtbot.keyClicks(field, "DEF")                       # capitals without Shift: Caps Lock is on
    assert caps.isVisible()
    qtbot.keyClicks(field, "123 ")                      # digits and spaces say nothing either way
    assert caps.isVisible()
    qtbot.keyClick(field, "g", Qt.KeyboardModifier.ShiftModifier)  # lower case with Shift: still on
    assert caps.isVisible()
    qtbot.keyClicks(field, "h")
    assert not caps.isVisible()


def test_first_run_creates_a_vault_with_a_strength_meter(qtbot, tmp_path, make_main, monkeypatch, gui_settings):
    from triage_app import vault
    from triage_app.gui import settings as S
    from triage_app.vault.keyslots import CHEAP_KDF
    monkeypatch.setattr(vault, "benchmark_kdf", lambda: CHEAP_KDF)   # the real one takes ~0.5 s per slot
    gui_settings.set(S.LAST_USER, "rita")        # remembered from another vault
    path = tmp_path / "new" / "vault.db"
    w = make_main(path)
    panel = w.unlock
    assert panel.creating and panel.button.text() == "Create vault"
    assert panel.user.text() == "" and w.focusWidget() is panel.user
    assert panel.repeat.isVisible() and panel.strength.isVisible()
    qtbot.keyClicks(panel.user, "ada")
    qtbot.keyClicks(panel.passphrase, "short")
    weak = panel.strength.value()
    assert "at least 12 characters" in panel.strength_note.text()
    panel.passphrase.clear()
    qtbot.keyClicks(panel.passphrase, "kestrel violin harbour 47")
    assert panel.strength.value() > weak
    assert panel.strength_note.text() == "Strong enough."
    qtbot.keyClicks(panel.repeat, "kestrel violin harbour 4")
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert panel.error.text() == "The two passphrases differ."
    assert not path.exists()
    qtbot.keyClicks(panel.repeat, "7")
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.holder.session is not None, timeout=10000)
    assert path.exists()
    assert w.holder.session.role == "admin"
    assert w.stack.currentWidget() is w.workspace
    assert w.queue.model.rowCount() == 0 and w.queue.count.text() == "0 cases"


def test_a_weak_first_passphrase_is_refused_with_the_core_sentence(qtbot, tmp_path, make_main):
    path = tmp_path / "vault.db"
    w = make_main(path)
    qtbot.keyClicks(w.unlock.user, "ada")
    qtbot.keyClicks(w.unlock.passphrase, "password")
    qtbot.keyClicks(w.unlock.repeat, "password")
    qtbot.keyClick(w.unlock.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.unlock._job is None and not w.unlock._finishing, timeout=10000)
    assert "at least 12 characters" in w.unlock.error.text()
    assert not path.exists() and w.holder.session is None
