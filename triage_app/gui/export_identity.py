"""Before an export that can show victims (the link chart): which identity level, and why if full.

Initials are the default and need nothing more; full identity needs a justification, which the
core keeps in the export's audit entry (the same rule as a referral pack and as
`triage-app chart --victim-identity full --justification TEXT`).
"""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

CHOICES = (("initials", "Victims by initials; their phones, addresses, dates of birth and vehicles withheld "
                        "(recommended)"),
           ("full", "Victims' full identity (recorded in the audit log with your justification)"))


class ExportIdentityDialog(QDialog):
    def __init__(self, what: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Export {what}")
        self.level = QComboBox()
        self.level.setObjectName("exportIdentity")
        for key, words in CHOICES:
            self.level.addItem(words, key)
        self.justification = QLineEdit()
        self.justification.setObjectName("exportJustification")
        self.justification.setPlaceholderText("Why full identity is needed (required for full identity)")
        self.note = QLabel("This export is a disclosure: it is recorded in the audit log.")
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Victims:", self.level)
        form.addRow("&Justification:", self.justification)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.level.currentIndexChanged.connect(self._changed)
        self.justification.textChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        full = self.level.currentData() == "full"
        self.justification.setEnabled(full)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            not full or bool(self.justification.text().strip()))

    def choice(self) -> tuple[str, str | None]:
        level = self.level.currentData()
        return level, (self.justification.text().strip() or None) if level == "full" else None


def ask(what: str, parent=None) -> tuple[str, str | None] | None:
    """(level, justification), or None when the user cancels."""
    dialog = ExportIdentityDialog(what, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
