"""Run the real `triage-app` as a child process, the way a reviewer's shell would."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).with_name("triage-app")

EXIT_CODES = {0, 1, 2, 3}


def env_for(passphrase: str | None = None, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env["PYTHONPATH"] = str(ROOT)
    if passphrase is not None:
        env["TRIAGE_PASSPHRASE"] = passphrase
    env.update(extra)
    return env


def run(vault, user, *argv, passphrase=None, timeout=120, env_extra=None, **popen) -> subprocess.CompletedProcess:
    cmd = [str(EXE)]
    if vault is not None:
        cmd += ["--vault", str(vault)]
    if user is not None:
        cmd += ["--user", user]
    cmd += [str(a) for a in argv]
    return subprocess.run(cmd, env=env_for(passphrase, **(env_extra or {})), capture_output=True, text=True,
                          timeout=timeout, **popen)


def assert_plain(result: subprocess.CompletedProcess, *codes: int) -> None:
    """Exactly one of the documented exit codes, no traceback, and each stderr line a plain sentence."""
    err = result.stderr
    assert "Traceback" not in err, err
    assert result.returncode in (codes or EXIT_CODES), (result.returncode, err)
    if result.returncode not in (0, 2):
        lines = [l for l in err.splitlines() if l.strip()]
        assert lines, "a refusal must say why"
        for line in lines:
            assert "Error:" not in line and 'File "' not in line, line
