"""Long work off the GUI thread, with progress and cancel, so the window never freezes.

`Job(fn)` runs `fn(progress, cancelled)` on a QThread: `progress(done, total)` may be called from
the work; `cancelled()` returns True once the user pressed Cancel, and the work is expected to stop
and roll back (the core's changes are all-or-nothing). Results and errors come back as signals on
the GUI thread. A TriageError's one sentence is passed on; anything else becomes a plain sentence
without its text (which could quote case data).
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

    def __init__(self, fn, parent=None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._runner = _Runner(fn, self._cancel)
        self._runner.progressed.connect(self.progressed)
        self._runner.succeeded.connect(self.succeeded)
        self._runner.failed.connect(self.failed)
        self._runner.finished.connect(self._finished)

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
