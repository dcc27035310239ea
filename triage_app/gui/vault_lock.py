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

Background work that touches the vault goes through the holder, never round it: `run(work, parent)`
starts `work(session, progress, cancelled)` on a worker thread (gui/worker.py) and refuses (None)
on a locked vault. Closing a connection another thread is using is undefined behaviour in SQLite
(it crashed the app), so `lock` first stops the running reads (cancel, then `interrupt()` of the
query until the thread lets go) and only then closes the connection; whatever such a job returns
after the lock is dropped. Work that changes the vault (`exclusive`: an import, a pack, a users
change) is never stopped half-way by a lock: while it runs `busy` is True, the rest of the window
keeps off the connection, and a lock asked for meanwhile happens as soon as it ends. `close()`
(the app quitting) stops even that work, which rolls back whole.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from triage_app.gui.worker import Job
from triage_app.session import open_vault

LOCK_KEYS = "Ctrl+L"
INTERRUPT_EVERY_S = 0.02   # while a lock waits for a job, its running query is interrupted this often


@dataclass
class _Work:
    """A job the holder started: `done` is set on its thread once the work has returned (from
    then on it never touches the connection again); `thread` is kept until it has exited."""
    thread: object
    cancel: threading.Event
    done: threading.Event
    exclusive: bool
    interrupt: object = None    # stops its running query (a job on a connection of its own)


class VaultHolder(QObject):
    about_to_lock = Signal()
    locked = Signal()
    unlocked = Signal(object)   # the Session

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.session = None
        self.last_user: str | None = None
        self._work: list[_Work] = []
        self._epoch = 0             # +1 at each lock: a job started before it delivers nothing
        self._locking = False
        self._lock_pending = False  # a lock asked for while exclusive work ran: done when it ends
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

    @property
    def busy(self) -> bool:
        """Exclusive work (an import, a pack being written, a users change) owns the connection."""
        return any(w.exclusive and not w.done.is_set() for w in self._work)

    @property
    def working(self) -> bool:
        """Any job started here has not yet returned."""
        return any(not w.done.is_set() for w in self._work)

    # --- background work ----------------------------------------------------------------------
    def run(self, work, parent=None, *, exclusive: bool = False, interrupt=None) -> Job | None:
        """Start `work(session, progress, cancelled)` on a worker thread: the one way a screen's
        background job reaches the vault. Returns the started Job (connect to its signals at once:
        they arrive through the event loop), or None when nothing was started: the vault is locked
        or locking, or exclusive work owns the connection. `exclusive` work changes the vault: a
        lock waits for it instead of stopping it, and no other job starts meanwhile. `interrupt()`: how
        a lock stops the work's running query when the work reads on a connection of its own (by
        default the session's connection is interrupted)."""
        session = self.session
        if session is None or self._locking or self.busy:
            return None
        epoch = self._epoch
        record = _Work(None, None, threading.Event(), exclusive, interrupt)

        def body(progress, cancelled):
            try:
                return work(session, progress, cancelled)
            finally:
                record.done.set()

        job = Job(body, parent, live=lambda: self._epoch == epoch and _alive(self))
        record.thread, record.cancel = job._runner, job._cancel
        self._work.append(record)
        job._runner.finished.connect(self._reap)
        job.start()
        return job

    def _reap(self) -> None:
        # `finished` is emitted just before the thread exits: a job whose work has returned is
        # joined here (a moment at most), never left in the list because it had not quite exited.
        ended = [w for w in self._work if w.done.is_set()]
        for w in ended:
            w.thread.wait()
        self._work = [w for w in self._work if w not in ended]
        if self._lock_pending and not self.busy:
            self.lock()

    def _stop_work(self, session, *, everything: bool = False) -> None:
        """Stop the running jobs and wait until none touches the connection any more: each is
        cancelled, then its running query interrupted until its work has returned."""
        stopping = [w for w in self._work if not w.done.is_set() and (everything or not w.exclusive)]
        for w in stopping:
            w.cancel.set()
        for w in stopping:
            while not w.done.wait(INTERRUPT_EVERY_S):
                if w.interrupt is not None:
                    w.interrupt()
                elif session.conn is not None:
                    session.conn.interrupt()

    # --- locking --------------------------------------------------------------------------------
    def lock(self) -> bool:
        """Lock now; False when exclusive work is running: the vault then locks when it ends."""
        if self.session is None:
            self._lock_pending = False
            return True
        if self.busy:
            self._lock_pending = True
            return False
        if self._locking:
            return False
        self._locking = True
        try:
            self.about_to_lock.emit()
            self._hide_windows()
            session, self.session = self.session, None
            self._epoch += 1
            self._lock_pending = False
            self._stop_work(session)   # BEFORE the connection closes: no thread may be in it
            session.close()
        finally:
            self._locking = False
        self.locked.emit()
        return True

    def close(self) -> None:
        """The app is quitting: stop every job, even exclusive work (it rolls back whole), then lock."""
        if self.session is not None:
            self._stop_work(self.session, everything=True)
        self.lock()

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
