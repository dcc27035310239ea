"""How the app starts its short-lived child processes (the attachment checker, material/check.py; the
import's check, importing/apart.py): the same interpreter, isolated, with an environment that holds
no secret.

From source a child is `python -I -m MODULE ARGS…` (-I: no current folder and no PYTHON* variables
on its path). The frozen bundle has no `-m`: it runs itself with a first argument that
packaging/entry.py routes to the module's main.
"""
from __future__ import annotations

import os
import sys

# The variables a child keeps: where programs are, the language, and (Windows) the system folder.
# Nothing else: not TRIAGE_PASSPHRASE and its kin (docs/SECURITY.md §2, removed at start-up anyway),
# nor anything a later variable might carry.
KEPT = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")


def command(module: str, frozen_flag: str, *args: str) -> list[str]:
    if getattr(sys, "frozen", False):      # the PyInstaller bundle: packaging/entry.py routes the flag
        return [sys.executable, frozen_flag, *args]
    return [sys.executable, "-I", "-m", module, *args]


def env() -> dict:
    return {k: os.environ[k] for k in KEPT if k in os.environ}
