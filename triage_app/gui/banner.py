"""The OFFICIAL-SENSITIVE marking, top and bottom of every window (Government Security Classifications)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

MARKING = "OFFICIAL-SENSITIVE"


class Banner(QLabel):
    """One band of the marking; styled by the sheet (objectName 'banner') so it reads in light and dark."""

    def __init__(self, parent=None):
        super().__init__(MARKING, parent)
        self.setObjectName("banner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName("Security marking: " + MARKING)


class Marked(QWidget):
    """Wraps any content between two banners; use it as the central widget of each window or dialog."""

    def __init__(self, content: QWidget, parent=None):
        super().__init__(parent)
        self.content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.top = Banner(self)
        self.bottom = Banner(self)
        layout.addWidget(self.top)
        layout.addWidget(content, 1)
        layout.addWidget(self.bottom)


def mark_dialog(dialog: QWidget) -> None:
    """Put the banners on a dialog that built its own layout: top and bottom of that layout."""
    layout = dialog.layout()
    layout.insertWidget(0, Banner(dialog))
    layout.addWidget(Banner(dialog))
