"""The unlock screen: user and passphrase; on first run, making the vault and its first admin.

Shown at start-up and after every lock, inside the main window (so work behind it is kept, hidden).
Key derivation takes about half a second on purpose, so it runs in a worker thread.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from triage_app.gui.worker import Job
from triage_app.session import create_vault
from triage_app.vault.keyslots import passphrase_problem, passphrase_strength

STRENGTH_WORDS = ("very weak", "weak", "fair", "strong", "very strong")
CAPS_WARNING = "Caps Lock is on."


class PassphraseField(QLineEdit):
    """A hidden-text field that works out from the letters typed whether Caps Lock is on.

    Qt has no portable way to ask for the Caps Lock state; a letter whose case disagrees with the
    Shift key is the reliable sign, and the warning stays until a letter says otherwise.
    """
    caps_lock_changed = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.caps_lock = False

    def keyPressEvent(self, event: QKeyEvent):  # noqa: N802
        text = event.text()
        if len(text) == 1 and text.isalpha() and text.lower() != text.upper():
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            caps = text.isupper() != shift
            if caps != self.caps_lock:
                self.caps_lock = caps
                self.caps_lock_changed.emit(caps)
        elif event.key() == Qt.Key.Key_CapsLock:
            # Pressing Caps Lock flips it, as far as we know.
            self.caps_lock = not self.caps_lock
            self.caps_lock_changed.emit(self.caps_lock)
        super().keyPressEvent(event)


class UnlockPanel(QWidget):
    """Emits `opened(session)` once the vault is unlocked or created."""
    opened = Signal(object)

    def __init__(self, vault_path: Path, last_user: str = "", demo_credentials: dict | None = None, parent=None):
        super().__init__(parent)
        self.vault_path = Path(vault_path)
        self._job: Job | None = None
        self._finishing: set[Job] = set()
        self.setObjectName("unlockPanel")

        self.title = QLabel("Unlock the vault")
        self.title.setObjectName("title")
        self.where = QLabel(str(self.vault_path))
        self.where.setObjectName("muted")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.user = QLineEdit(last_user)
        self.user.setObjectName("user")
        self.passphrase = PassphraseField()
        self.passphrase.setObjectName("passphrase")
        self.repeat = PassphraseField()
        self.repeat.setObjectName("repeat")
        self.caps = QLabel(CAPS_WARNING)
        self.caps.setObjectName("warning")
        self.caps.setVisible(False)
        for field in (self.passphrase, self.repeat):
            field.caps_lock_changed.connect(self._caps_changed)

        self.strength = QProgressBar()
        self.strength.setRange(0, 4)
        self.strength.setTextVisible(True)
        self.strength_note = QLabel()
        self.strength_note.setObjectName("muted")
        self.strength_note.setWordWrap(True)
        self.passphrase.textChanged.connect(self._update_strength)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setAccessibleName("Problem")

        self.button = QPushButton("Unlock")
        self.button.setObjectName("unlockButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        # Enter in the name field goes on to the passphrase (as a reviewer expects), then unlocks.
        self.user.returnPressed.connect(lambda: self.submit() if self.passphrase.text() else self.passphrase.setFocus())
        for field in (self.passphrase, self.repeat):
            field.returnPressed.connect(self.submit)

        form = QFormLayout()
        self.user_label = QLabel("&User")
        self.user_label.setBuddy(self.user)
        form.addRow(self.user_label, self.user)
        pass_label = QLabel("&Passphrase")
        pass_label.setBuddy(self.passphrase)
        form.addRow(pass_label, self.passphrase)
        self.repeat_label = QLabel("&Again")
        self.repeat_label.setBuddy(self.repeat)
        form.addRow(self.repeat_label, self.repeat)
        form.addRow("", self.strength)
        form.addRow("", self.strength_note)
        form.addRow("", self.caps)

        self.demo = QLabel()
        self.demo.setObjectName("demoNotice")
        self.demo.setWordWrap(True)
        self.demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo.setVisible(bool(demo_credentials))
        if demo_credentials:
            self.demo.setText("DEMO — synthetic data. Demo users and passphrases:\n" +
                              "\n".join(f"{u}: {p}" for u, p in demo_credentials.items()))

        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(520)
        inner = QVBoxLayout(card)
        inner.addWidget(self.title)
        inner.addWidget(self.where)
        inner.addLayout(form)
        inner.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        inner.addLayout(row)
        inner.addWidget(self.demo)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card, 2)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        self.refresh_mode()

    # --- modes ------------------------------------------------------------------------------
    @property
    def creating(self) -> bool:
        """First run: no vault at the path yet, so offer to make one."""
        return not self.vault_path.exists()

    def refresh_mode(self) -> None:
        creating = self.creating
        self.title.setText("Create a vault" if creating else "Unlock the vault")
        self.user_label.setText("&Admin name" if creating else "&User")
        self.button.setText("Create vault" if creating else "Unlock")
        for w in (self.repeat, self.repeat_label, self.strength, self.strength_note):
            w.setVisible(creating)
        self._update_strength(self.passphrase.text())

    def reset(self) -> None:
        """After a lock: forget the passphrase, keep the user name."""
        self.passphrase.clear()
        self.repeat.clear()
        self.show_error("")
        self.refresh_mode()
        if self.creating:
            self.user.clear()  # a remembered user of some other vault is no admin of a new one
        (self.passphrase if self.user.text() else self.user).setFocus()

    # --- feedback ---------------------------------------------------------------------------
    def _caps_changed(self, on: bool) -> None:
        self.caps.setVisible(on)

    def _update_strength(self, text: str) -> None:
        score = passphrase_strength(text) if text else 0
        self.strength.setValue(score)
        self.strength.setFormat(STRENGTH_WORDS[score] if text else "")
        self.strength.setProperty("score", score)
        self.strength.style().unpolish(self.strength)
        self.strength.style().polish(self.strength)
        self.strength_note.setText((passphrase_problem(text) or "Strong enough.") if text else
                                   "Several unrelated words make a strong passphrase.")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- actions ----------------------------------------------------------------------------
    def submit(self) -> None:
        if self._job is not None:
            return
        user, passphrase = self.user.text().strip(), self.passphrase.text()
        if not user:
            self.show_error("Enter a user name.")
            self.user.setFocus()
            return
        if not passphrase:
            self.show_error("Enter the passphrase.")
            self.passphrase.setFocus()
            return
        if self.creating:
            if self.repeat.text() != passphrase:
                self.show_error("The two passphrases differ.")
                self.repeat.setFocus()
                return
            path = self.vault_path
            work = lambda progress, cancelled: create_vault(path, user, passphrase)  # noqa: E731
        else:
            path = self.vault_path
            from triage_app.session import open_vault
            work = lambda progress, cancelled: open_vault(path, user, passphrase)  # noqa: E731
        self.show_error("")
        self._set_busy(True)
        self._job = Job(work)
        self._job.succeeded.connect(self._succeeded)
        self._job.failed.connect(self._failed)
        self._job.start()

    def _set_busy(self, busy: bool) -> None:
        for w in (self.user, self.passphrase, self.repeat, self.button):
            w.setEnabled(not busy)
        self.button.setText("Working…" if busy else ("Create vault" if self.creating else "Unlock"))
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _release(self) -> None:
        # The answer arrives before the thread has quite finished: accept new input now, but keep
        # the job referenced until its thread ends so it is never destroyed while running.
        job, self._job = self._job, None
        self._finishing.add(job)
        job.ended.connect(lambda: self._finishing.discard(job))
        self._set_busy(False)
        self.refresh_mode()

    def _succeeded(self, session) -> None:
        self._release()
        self.passphrase.clear()
        self.repeat.clear()
        self.opened.emit(session)

    def _failed(self, message: str) -> None:
        self._release()
        self.show_error(message)
        self.passphrase.setFocus()
        self.passphrase.selectAll()
