"""Environment faults on demand: a small or read-only filesystem (tmpfs when we may mount), checks
that a vault came through whole."""
from __future__ import annotations

import shutil
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import PASS
from triage_app.session import open_vault
from triage_app.vault import connection


def vault_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}.keys"), Path(f"{path}.audit-head")]


def copy_vault(src: Path, dest_dir: Path) -> Path:
    for f in vault_files(src):
        shutil.copy2(f, dest_dir / f.name)
    return dest_dir / src.name


@contextmanager
def small_fs(where: Path, size: str):
    """A tmpfs of `size` at `where`; unmounted afterwards. Raises PermissionError where we can't mount."""
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", f"triage-{uuid.uuid4().hex[:6]}",
                        str(where)], capture_output=True, text=True)
    if r.returncode != 0:
        raise PermissionError(r.stderr.strip())
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount_readonly(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def check_whole(path: Path, user: str = "ada") -> dict:
    """Opens, both integrity checks clean, audit chain verifies; returns a few counts."""
    s = open_vault(path, user, PASS[user])
    try:
        assert s.one("PRAGMA integrity_check")[0] == "ok"
        assert s.query("PRAGMA cipher_integrity_check") == []  # no rows = every page's HMAC is good
        verdict = s.verify_audit()
        assert verdict.ok, verdict.problem
        return {"cases": s.one("SELECT count(*) FROM cases")[0],
                "nominals": s.one("SELECT count(*) FROM nominals")[0],
                "audit": s.one("SELECT count(*) FROM audit")[0]}
    finally:
        s.close()


__all__ = ["connection", "copy_vault", "small_fs", "remount_readonly", "check_whole", "vault_files"]
