"""The unlocked vault the windows share, and the lock that takes it away.

Windows never keep the Session: they ask `holder.session` each time, so after a lock nothing can
read through a closed connection. `about_to_lock` fires before the connection closes so editors
save the text being typed (docs/USER_GUIDE.md, Locking: an idle lock loses nothing).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from triage_app.session import open_vault


class VaultHolder(QObject):
    about_to_lock = Signal()
    locked = Signal()
    unlocked = Signal(object)   # the Session

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.session = None
        self.busy = False       # long work (an import) owns the connection; no lock mid-way

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
        self.path = Path(session.path)
        self.session = session
        self.unlocked.emit(session)

    def lock(self) -> bool:
        """Lock now; False when long work is running (the caller locks once it finishes)."""
        if self.session is None:
            return True
        if self.busy:
            return False
        self.about_to_lock.emit()
        session, self.session = self.session, None
        session.close()
        self.locked.emit()
        return True
