"""The keyboard shortcuts, declared once: the main window makes its actions from this list and the
help dialog (F1) shows the same list, so they can't drift apart."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

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
    "help": ("F1", "The workflow and this list of shortcuts"),
    "guide": ("Shift+F1", "The user guide, inside the app (also Help → User guide)"),
    "quit": ("Ctrl+Q", "Quit"),
}


# The work, step by step, as F1 shows it beside the keys.
WORKFLOW = (
    ("Reviewer", "1. In the triage queue (Ctrl+1) choose a case with the arrows and press Enter. "
                 "2. Alt+W: the Review tab; Alt+S starts the review. "
                 "3. Alt+O: record each contact with the victim, with their wishes and the support offered (Tab moves "
                 "from field to field, Ctrl+Enter records). "
                 "4. Alt+C: the checklist; Y, N or A answers the item and moves to the next one. "
                 "5. Alt+I: lines of inquiry; Enter raises the one your answers suggest. "
                 "6. Alt+M: the recommendation and its rationale. "
                 "7. Alt+B: submit for sign-off (you are asked first)."),
    ("Supervisor", "1. On unlocking you are told how many reviews wait. Ctrl+Shift+I: the inbox. "
                   "2. Enter reads the review; Page Down scrolls it. "
                   "3. Alt+A approves, or write a comment (Alt+M) and Alt+R returns it to its author; "
                   "either asks first, naming the case, the author and the recommendation. "
                   "4. Alt+O opens the case; Alt+W then Alt+F writes the referral pack of an approved review."),
)


class HelpDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — triage-app")
        # Two columns, so the workflow and every shortcut are in view at once on a 1366×768 screen:
        # the steps on the left, the keys on the right, the table as tall as its rows.
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        steps = QVBoxLayout()
        columns.addLayout(steps, 2)
        for who, text in WORKFLOW:
            label = QLabel(f"<b>{who}</b>: {text}")
            label.setObjectName("workflow")
            label.setWordWrap(True)
            steps.addWidget(label)
        intro = QLabel("Everything can be done from the keyboard. In the queue, arrows move "
                       "between cases; Esc in the search box clears it. Alt with an underlined letter "
                       "presses that button or goes to that field.\nThe whole guide, with "
                       "pictures: Help → User guide (Shift+F1).")
        intro.setWordWrap(True)
        steps.addWidget(intro)
        steps.addStretch(1)
        table = QTableWidget(len(SHORTCUTS), 2)
        table.setObjectName("shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        for row, (keys, does) in enumerate(SHORTCUTS.values()):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(does))
            table.item(row, 1).setToolTip(does)   # a long row ends in … on a narrow screen
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        rows = table.verticalHeader().defaultSectionSize() * table.rowCount()
        table.setMinimumHeight(rows + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth())
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        columns.addWidget(table, 3)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        mark_dialog(self)
        self.resize(1240, self.sizeHint().height())  # fits 1366×768 with every row in view (test)
