"""What every command shares: the passphrase, the acting user, opening the vault, printing."""
from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from triage_app.errors import BadInput
from triage_app.paths import default_vault_path


def _take(name: str) -> str | None:
    """Remove a secret from the environment so no child process inherits it (docs/CLI.md, Environment variables).

    Removing it from os.environ is not enough: /proc/PID/environ still shows the block the process
    started with, so its bytes are overwritten in place first (Linux and macOS; elsewhere a no-op).
    """
    value = os.environ.get(name)
    if value is not None:
        try:
            import ctypes
            libc = ctypes.CDLL(None)
            libc.getenv.restype = ctypes.c_void_p
            at = libc.getenv(name.encode("ascii"))
            if at:
                ctypes.memset(at, 0, len(ctypes.string_at(at)))
        except (OSError, AttributeError, TypeError, ValueError):
            pass
    return os.environ.pop(name, None)


_PASSPHRASE = _take("TRIAGE_PASSPHRASE")
_NEW_PASSPHRASE = _take("TRIAGE_NEW_PASSPHRASE")
_BUNDLE_PASSPHRASE = _take("TRIAGE_BUNDLE_PASSPHRASE")


def take_env_secrets() -> None:
    """Re-read secrets from the environment (for in-process callers such as tests) and remove them."""
    global _PASSPHRASE, _NEW_PASSPHRASE, _BUNDLE_PASSPHRASE
    for name in ("TRIAGE_PASSPHRASE", "TRIAGE_NEW_PASSPHRASE", "TRIAGE_BUNDLE_PASSPHRASE"):
        value = _take(name)
        if value is not None:
            globals()["_" + name[len("TRIAGE_"):]] = value


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


class Context:
    def __init__(self, args):
        self.args = args
        self.session = None

    # --- who and where ----------------------------------------------------------------------
    @property
    def vault_path(self) -> Path:
        v = getattr(self.args, "vault", None)
        return Path(v) if v else default_vault_path()

    @property
    def user(self) -> str:
        u = getattr(self.args, "user", None) or os.environ.get("TRIAGE_USER")
        if u:
            return u
        if _interactive():
            return input("User: ").strip()
        raise BadInput("Say who you are with --user NAME or the TRIAGE_USER environment variable.")

    # --- secrets ----------------------------------------------------------------------------
    def passphrase(self, confirm: bool = False) -> str:
        """The acting user's passphrase; `confirm` (a passphrase being chosen, as at init) asks twice."""
        if _PASSPHRASE is not None:
            return _PASSPHRASE
        if _interactive():
            first = getpass.getpass("Passphrase: ")
            if confirm and getpass.getpass("Passphrase again: ") != first:
                raise BadInput("The two passphrases differ; nothing was changed.")
            return first
        raise BadInput("Give the passphrase in the TRIAGE_PASSPHRASE environment variable, or run in a terminal to be asked for it.")

    def new_passphrase(self, env_value: str | None = None, what: str = "New passphrase") -> str:
        value = env_value if env_value is not None else _NEW_PASSPHRASE
        if value is not None:
            return value
        if _interactive():
            first = getpass.getpass(f"{what}: ")
            if getpass.getpass(f"{what} again: ") != first:
                raise BadInput("The two passphrases differ; nothing was changed.")
            return first
        raise BadInput("Give the new passphrase in TRIAGE_NEW_PASSPHRASE, or run in a terminal to be asked for it twice.")

    def bundle_passphrase(self, confirm: bool) -> str:
        if _BUNDLE_PASSPHRASE is not None:
            return _BUNDLE_PASSPHRASE
        if _interactive():
            first = getpass.getpass("Bundle passphrase: ")
            if confirm and getpass.getpass("Bundle passphrase again: ") != first:
                raise BadInput("The two passphrases differ; nothing was written.")
            return first
        raise BadInput("Give the bundle passphrase in TRIAGE_BUNDLE_PASSPHRASE, or run in a terminal to be asked for it.")

    # --- the vault --------------------------------------------------------------------------
    def open(self):
        from triage_app.session import open_vault
        if self.session is None:
            self.session = open_vault(self.vault_path, self.user, self.passphrase())
            if self.session.audit_warning:
                print(self.session.audit_warning, file=sys.stderr)
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    # --- output -----------------------------------------------------------------------------
    @staticmethod
    def print_json(obj) -> None:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")

    @staticmethod
    def say(text: str = "") -> None:
        print(text)

    @staticmethod
    def warn(text: str) -> None:
        print(text, file=sys.stderr)
