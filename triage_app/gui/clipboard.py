"""Copying to the clipboard, and clearing on lock only what this app put there.

A crime reference copied by the reviewer should not outlive the unlocked session, but anything
they copied from another program is theirs: leave it alone.
"""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication


class Clipboard:
    def __init__(self):
        self._ours: str | None = None

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self._ours = text

    def clear_own(self) -> bool:
        """Clear the clipboard if it still holds what we set; True when it did."""
        board = QGuiApplication.clipboard()
        ours, self._ours = self._ours, None
        if ours is not None and board.text() == ours:
            board.clear()
            return True
        return False
