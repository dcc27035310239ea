"""The backup reminder: a button in the status line for roles that may back up, shown while the
last backup is older than the set age (or there has never been one). Clicking it makes a backup
through the same core call as `triage-app backup --out FILE`."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QPushButton

from triage_app.errors import TriageError
from triage_app.gui import messages
from triage_app.ops.backup import backup_reminder, make_backup


class BackupNotice(QPushButton):
    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.setObjectName("backupNotice")
        # White on dark amber reads in light and dark palettes and in greyscale; a border is what
        # makes Qt paint a styled button's background at all.
        self.setStyleSheet("QPushButton#backupNotice { color: #ffffff; background-color: #8a4b00;"
                           " border: 1px solid #5c3200; padding: 2px 10px; font-weight: bold; }")
        self.clicked.connect(self.back_up)
        self.hide()

    def refresh(self) -> None:
        session = self.holder.session
        text = backup_reminder(session) if session is not None else None
        self.setText(f"⚠ {text}  Back up now…" if text else "")
        self.setToolTip(text or "")
        self.setVisible(bool(text))

    def back_up(self) -> None:
        session = self.holder.session
        if session is None:
            return
        suggested = str(Path.home() / f"triage-backup-{datetime.now():%Y%m%d-%H%M}.tbak")
        out, _ = QFileDialog.getSaveFileName(self, "Back up the vault", suggested, "Vault backups (*.tbak)")
        if not out:
            return
        try:
            result = make_backup(session, Path(out))
        except TriageError as e:
            messages.tell(self, "Backup not made", e.message)
            return
        messages.tell(self, "Backup made",
                                f"Backed up {result['cases']} cases to {result['file']}. Keep it somewhere safe: "
                                "it opens with the same users' passphrases.")
        self.refresh()
