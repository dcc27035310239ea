"""The demo vault: synthetic cases only, in its own file (never the real vault), with demo users
whose passphrases are printed on the unlock screen. No Qt here: tests and the CLI call it too.

Demo passphrases are public by design, so their key slots use modest Argon2id settings: making and
re-opening the demo stays quick, while real vaults keep the benchmarked ones.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from triage_app.paths import demo_vault_path
from triage_app.session import create_vault, open_vault
from triage_app.vault.keyslots import KdfParams, KeyFile

DEMO_KDF = KdfParams(iterations=2, lanes=1, memory_kib=16 * 1024)
ADMIN, REVIEWER, SUPERVISOR = "demo-admin", "demo-reviewer", "demo-supervisor"
ROLES = {ADMIN: "admin", REVIEWER: "reviewer", SUPERVISOR: "supervisor"}
CREDENTIALS = {REVIEWER: "demo reviewer passphrase", SUPERVISOR: "demo supervisor passphrase",
               ADMIN: "demo admin passphrase"}
SEED = 2025


def demo_vault_exists(path: Path) -> bool:
    return Path(path).exists() and KeyFile.for_vault(Path(path)).exists()


def ensure_demo_vault(path: Path | None = None, cases: int = 3000, progress=None) -> Path:
    """Make the demo vault at `path` (default: demo-vault.db in the user data dir) unless it exists."""
    from triage_app import users
    path = Path(path) if path else demo_vault_path()
    if demo_vault_exists(path):
        return path
    session = create_vault(path, ADMIN, CREDENTIALS[ADMIN], kdf=DEMO_KDF)
    try:
        for name in (REVIEWER, SUPERVISOR):
            users.add_user(session, name, ROLES[name], CREDENTIALS[name])
        _load_cases(session, cases, progress)
        _load_material(session)
        _confirm_dates(session)
    except BaseException:
        session.close()
        _remove(path)
        raise
    session.close()
    return path


def _load_cases(session, cases: int, progress) -> None:
    from triage_app import importing
    from triage_app.demo.synthetic import generate
    data = generate(cases, seed=SEED)
    with tempfile.TemporaryDirectory(prefix="triage-demo-") as folder:
        cases_csv, nominals_csv = data.write_csv(Path(folder))
        importing.run(session, cases_csv, nominals_csv, progress=progress)


def _load_material(session) -> None:
    from triage_app.material.demo import add_demo_material
    reviewer = open_vault(session.path, REVIEWER, CREDENTIALS[REVIEWER])   # attachments are a reviewer's work
    try:
        add_demo_material(reviewer)
    finally:
        reviewer.close()


def _confirm_dates(session) -> None:
    from triage_app.demo.chronology import confirm_dates
    reviewer = open_vault(session.path, REVIEWER, CREDENTIALS[REVIEWER])   # confirming dates is a reviewer's work
    try:
        confirm_dates(reviewer)
    finally:
        reviewer.close()


def _remove(path: Path) -> None:
    from triage_app import audit
    for p in (path, KeyFile.for_vault(path), audit.head_path(path), Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        try:
            p.unlink()
        except OSError:
            pass


def open_as(path: Path, user: str):
    return open_vault(path, user, CREDENTIALS[user])


def open_as_reviewer(path: Path):
    return open_as(path, REVIEWER)
