"""Long work off the GUI thread, with progress and cancel, so the window never freezes.

`Job(fn)` runs `fn(progress, cancelled)` on a QThread: `progress(done, total)` may be called from
the work; `cancelled()` returns True once the user pressed Cancel (or the vault is locking), and the
work is expected to stop and roll back (the core's changes are all-or-nothing). Results and errors
come back as signals on the GUI thread. A TriageError's one sentence is passed on; anything else
becomes a plain sentence without its text (which could quote case data).

Work that touches the unlocked vault never makes a Job itself: it asks the holder,
`holder.run(work, parent)` (gui/vault_lock.py), which passes the session in, refuses to start on a
locked vault, and on lock stops the job (cancel, then `interrupt()` of the running query) and waits
for its thread BEFORE the connection closes; results arriving after a lock are dropped. Only work
with no session (unlocking, making the demo vault) makes a Job directly.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal

from triage_app.errors import TriageError


class _Runner(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, fn, cancel: threading.Event):
        super().__init__()
        self._fn = fn
        self._cancel = cancel

    def run(self):
        try:
            result = self._fn(lambda done, total=0: self.progressed.emit(int(done), int(total or 0)),
                              self._cancel.is_set)
        except TriageError as e:
            self.failed.emit(e.message)
        except Exception as e:  # never a traceback or a data-bearing message to the user
            self.failed.emit(f"An unexpected {type(e).__name__} stopped the work; nothing was changed.")
        else:
            self.succeeded.emit(result)


class Job(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    ended = Signal()

    def __init__(self, fn, parent=None, *, live=None):
        """`live()` (the holder's): False once the vault locked after the job started, so its
        progress, result or error is dropped instead of reaching a screen."""
        super().__init__(parent)
        self._cancel = threading.Event()
        self._live = live or (lambda: True)
        self._runner = _Runner(fn, self._cancel)
        self._runner.progressed.connect(self._progressed)
        self._runner.succeeded.connect(self._succeeded)
        self._runner.failed.connect(self._failed)
        self._runner.finished.connect(self._finished)

    def _progressed(self, done: int, total: int) -> None:
        if self._live():
            self.progressed.emit(done, total)

    def _succeeded(self, result) -> None:
        if self._live():
            self.succeeded.emit(result)

    def _failed(self, sentence: str) -> None:
        if self._live():
            self.failed.emit(sentence)

    def _finished(self) -> None:
        # `finished` comes just before the thread really exits: join it so the QThread is never
        # destroyed while running when the caller drops this Job.
        self._runner.wait()
        self.ended.emit()

    def start(self) -> None:
        self._runner.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._runner.isRunning()

    def wait(self, ms: int = 30000) -> bool:
        return self._runner.wait(ms)
