"""The unlocked vault the windows share, and the lock that takes it away.

Windows never keep the Session: they ask `holder.session` each time, so after a lock nothing can
read through a closed connection. `about_to_lock` fires before the connection closes so editors
save the text being typed (docs/USER_GUIDE.md, Locking: an idle lock loses nothing).

Windows other than the main one (dialogs, separate windows) that show case data **join** the lock
with `holder.guard(window)`: on lock they are hidden, and they come back only when the same user
unlocks again; another user's unlock closes them. A guarded window also gets the lock key
(Ctrl+L), since a modal dialog shadows the main window's shortcuts. As a safety net, any other
window opened over the main window (a message box, a file chooser, a print dialog) is closed on
lock, so nothing is ever left on screen over the unlock panel; a question it asked must be asked
again after unlock.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from triage_app.session import open_vault

LOCK_KEYS = "Ctrl+L"


class VaultHolder(QObject):
    about_to_lock = Signal()
    locked = Signal()
    unlocked = Signal(object)   # the Session

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.session = None
        self.busy = False       # long work (an import) owns the connection; no lock mid-way
        self.last_user: str | None = None
        self._guarded: list[QWidget] = []
        self._hidden: list[QWidget] = []

    @property
    def is_unlocked(self) -> bool:
        return self.session is not None

    def unlock(self, user: str, passphrase: str):
        """Open the vault (raises AuthFailed / VaultUnavailable with one sentence)."""
        session = open_vault(self.path, user, passphrase)
        self.adopt(session)
        return session

    def adopt(self, session) -> None:
        """Take an already opened Session (a new vault, the demo)."""
        same = session.user == self.last_user
        self.path = Path(session.path)
        self.session = session
        self.last_user = session.user
        hidden, self._hidden = self._hidden, []
        self.unlocked.emit(session)
        for w in hidden:
            if not _alive(w):
                continue
            if same:
                w.show()
                w.raise_()
            else:
                self._drop(w)
                w.close()

    def lock(self) -> bool:
        """Lock now; False when long work is running (the caller locks once it finishes)."""
        if self.session is None:
            return True
        if self.busy:
            return False
        self.about_to_lock.emit()
        self._hide_windows()
        session, self.session = self.session, None
        session.close()
        self.locked.emit()
        return True

    # --- windows that show case data ----------------------------------------------------------
    def guard(self, window: QWidget) -> QWidget:
        """Join `window` to the lock: hidden on lock, back after the same user's unlock."""
        if window not in self._guarded:
            self._guarded.append(window)
            window.destroyed.connect(lambda *_a, w=window: self._drop(w))
            keys = QShortcut(QKeySequence(LOCK_KEYS), window)
            keys.setContext(Qt.ShortcutContext.WindowShortcut)
            keys.activated.connect(self.lock)
        return window

    def guarded(self) -> list[QWidget]:
        return [w for w in self._guarded if _alive(w)]

    def _drop(self, window) -> None:
        self._guarded = [w for w in self._guarded if w is not window]
        self._hidden = [w for w in self._hidden if w is not window]

    def _hide_windows(self) -> None:
        home = self.parent() if isinstance(self.parent(), QWidget) else None
        guarded = self.guarded()
        for w in guarded:
            if w.isVisible():
                self._hidden.append(w)
                w.hide()
        if home is None:
            return
        for w in QApplication.topLevelWidgets():
            if w is home or w in guarded or not w.isVisible() or not _over(w, home):
                continue
            # Not joined (a message box, a file or print dialog): closed, never left over the lock.
            if isinstance(w, QDialog):
                w.reject()
            w.close()
            w.hide()


def _over(window: QWidget, home: QWidget) -> bool:
    """Whether a top-level window was opened over `home` (its parent chain reaches it)."""
    p = window.parentWidget()
    while p is not None:
        if p is home:
            return True
        p = p.parentWidget()
    return False


def _alive(w) -> bool:
    try:
        w.objectName()
        return True
    except RuntimeError:   # the C++ side was deleted
        return False
