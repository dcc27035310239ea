"""Where things live: shipped resources and the user's data directory."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "triage-app"


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder bundle
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def docs_dir() -> Path:
    """The user documentation (docs/*.md and docs/screenshots/), shipped in the bundle as docs/."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "docs"
    return Path(__file__).resolve().parent.parent / "docs"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_vault_path() -> Path:
    env = os.environ.get("TRIAGE_VAULT")
    return Path(env) if env else data_dir() / "vault.db"


def demo_vault_path() -> Path:
    return data_dir() / "demo-vault.db"
