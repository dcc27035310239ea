"""Questions and notices in a small dialog that carries the OFFICIAL-SENSITIVE marking (a plain
QMessageBox has no place for it). Call them through the module (`messages.ask(...)`) so tests can
answer for the user.

A lock closes any of these that is open (see `vault_lock`): `ask` then answers False, so a
decision interrupted by a lock is never taken; it must be asked again after unlock.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from triage_app.gui.banner import MARKING, mark_dialog


class MarkedMessage(QDialog):
    def __init__(self, parent, title: str, text: str, buttons: list[tuple[str, bool]]):
        super().__init__(parent)
        self.setObjectName("markedMessage")
        self.setWindowTitle(f"{title} — {MARKING}")
        self.choice: bool | None = None
        layout = QVBoxLayout(self)
        self.text = QLabel(text)
        self.text.setObjectName("messageText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(420)
        layout.addWidget(self.text)
        box = QDialogButtonBox()
        self.buttons: dict[bool, QPushButton] = {}
        for label, value in buttons:
            b = box.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole if value
                              else QDialogButtonBox.ButtonRole.RejectRole)
            self.buttons[value] = b
            b.clicked.connect(lambda _c=False, v=value: self._chose(v))
        layout.addWidget(box)
        mark_dialog(self)
        first = self.buttons.get(True) or self.buttons.get(False)
        first.setDefault(True)
        first.setFocus()

    def _chose(self, value: bool) -> None:
        self.choice = value
        self.accept() if value else self.reject()


def ask(parent, title: str, text: str, *, yes: str = "&Yes", no: str = "&No", holder=None) -> bool:
    """A yes/no question; True only for an explicit yes while the vault stayed unlocked."""
    session = holder.session if holder is not None else None
    dialog = MarkedMessage(parent, title, text, [(yes, True), (no, False)])
    dialog.exec()
    if holder is not None and holder.session is not session:
        return False     # locked meanwhile: the question is void
    return dialog.choice is True


def tell(parent, title: str, text: str) -> None:
    """A notice with one OK button."""
    MarkedMessage(parent, title, text, [("OK", True)]).exec()
