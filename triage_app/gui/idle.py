"""App-wide inactivity timer: any key, click or wheel in any window restarts it; when it runs out,
the app locks.

An event filter on the QApplication sees input for every window and dialog, so a reviewer typing
in a modal dialog is not "idle". Mouse moves alone don't count: a mouse nudged by a passer-by should
not keep a case on screen.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, app: QApplication, timeout_ms: int, parent=None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_timeout(timeout_ms)
        app.installEventFilter(self)

    def set_timeout(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(1, int(timeout_ms)))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
