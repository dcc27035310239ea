"""The keyboard shortcuts, declared once: the main window makes its actions from this list and the
help dialog (F1) shows the same list, so they can't drift apart."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QHeaderView, QAbstractItemView

from triage_app.gui.banner import mark_dialog

# name → (key sequence, what it does)
SHORTCUTS = {
    "search": ("Ctrl+F", "Search the queue (summaries, rationales, crime refs)"),
    "open": ("Enter", "Open the selected case (also a double-click)"),
    "queue": ("Ctrl+1", "Back to the triage queue"),
    "close_case": ("Ctrl+W", "Close the case tab"),
    "next_tab": ("Ctrl+Tab", "Next tab (in the window or the case)"),
    "copy_ref": ("Ctrl+Shift+C", "Copy the crime reference (cleared from the clipboard on lock)"),
    "refresh": ("F5", "Refresh the queue"),
    "import": ("Ctrl+I", "Import cases (supervisors and admins)"),
    "lock": ("Ctrl+L", "Lock now"),
    "preferences": ("Ctrl+,", "Preferences (idle lock, reason for opening cases)"),
    "help": ("F1", "This list of shortcuts"),
    "guide": ("Shift+F1", "The user guide, inside the app (also Help → User guide)"),
    "quit": ("Ctrl+Q", "Quit"),
}


class HelpDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — triage-app")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Everything can be done from the keyboard. In the queue, arrows move "
                                "between cases; Esc in the search box clears it.\nThe whole guide, with "
                                "pictures: Help → User guide (Shift+F1)."))
        table = QTableWidget(len(SHORTCUTS), 2)
        table.setObjectName("shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, (keys, does) in enumerate(SHORTCUTS.values()):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(does))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        mark_dialog(self)
        self.resize(620, 560)  # every shortcut in view without scrolling
