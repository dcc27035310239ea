"""Preferences (Vault → Preferences…): the non-secret settings a reviewer may change.

Only what the typed registry declares; the idle lock applies at once. The shortest lock a force
may want is a minute; the registry refuses anything outside its declared bounds.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout

from triage_app.gui import settings as S
from triage_app.gui.banner import Banner


class PreferencesDialog(QDialog):
    def __init__(self, settings: S.Settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences — OFFICIAL-SENSITIVE")
        self.idle = QSpinBox()
        self.idle.setRange(S.IDLE_LOCK_MINUTES.minimum, S.IDLE_LOCK_MINUTES.maximum)
        self.idle.setSuffix(" minutes")
        self.idle.setValue(settings.get(S.IDLE_LOCK_MINUTES))
        self.reason = QLineEdit(settings.get(S.CONSULTATION_REASON))
        self.reason.setMaxLength(200)
        self.reason.setMinimumWidth(self.reason.fontMetrics().averageCharWidth() * 40)  # the whole default reads
        form = QFormLayout()
        form.addRow("Lock after &idle for", self.idle)
        form.addRow("Default &reason for opening a case", self.reason)
        hint = QLabel("The reason is written to the audit log with every case you open (DPA 2018 s62).")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(Banner())
        body = QVBoxLayout()
        body.setContentsMargins(16, 12, 16, 12)
        body.addLayout(form)
        body.addWidget(hint)
        body.addWidget(buttons)
        layout.addLayout(body)
        layout.addWidget(Banner())

    def accept(self) -> None:
        self.settings.set(S.IDLE_LOCK_MINUTES, int(self.idle.value()))
        reason = " ".join(self.reason.text().split())
        if reason:
            self.settings.set(S.CONSULTATION_REASON, reason)
        super().accept()
