"""Placeholder until the desktop issue lands: a window that says where the vault is."""
from __future__ import annotations

import sys


def run(vault_path=None, user=None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel(f"OFFICIAL-SENSITIVE\n\ntriage-app\nVault: {vault_path}")
    label.resize(480, 200)
    label.show()
    return app.exec()


def run_demo(vault_path=None, cases: int = 3000) -> int:
    return run(vault_path=vault_path)
