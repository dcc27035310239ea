"""The kill harness: start a real `triage-app` process, SIGKILL it at a random moment, then prove the
vault came through whole and the operation is wholly there or wholly absent.

    base = build_base(folder)                        # a vault with users, cases, a review in each state
    runs = kill_many(base, OPERATIONS["sign-off"], n=12, workdir=..., rng=random.Random(seed))

Each run copies the base vault, starts the operation, sleeps a random fraction of the time the
operation takes when left alone (measured first, in the same run), kills it, and inspects:
the vault opens, PRAGMA integrity_check and cipher_integrity_check are clean, `audit verify`
passes, and the operation's own judge says "present" or "absent" (anything in between fails).
KILL_RUNS (env) sets runs per operation; the default keeps the whole test near a minute.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tests.conftest import PASS, ROLES
from tests.reliability import clirun
from triage_app.session import create_vault, open_vault
from triage_app.vault.keyslots import CHEAP_KDF

DEFAULT_RUNS = int(os.environ.get("KILL_RUNS", "10"))
IMPORT_CASES = int(os.environ.get("KILL_IMPORT_CASES", "800"))

# A case in each review state, fixed in the base vault.
IN_REVIEW, SUBMITTED = "IN_REVIEW", "SUBMITTED"


@dataclass
class Base:
    folder: Path
    vault: Path
    refs: dict                      # role of a case in the scenarios → its ref
    item: str                       # a checklist item left unanswered on the in-review case
    cases_csv: Path
    nominals_csv: Path
    import_refs: list[str]


@dataclass
class Operation:
    name: str
    user: str
    argv: Callable[[Base, Path], list[str]]           # (base, run folder) → arguments
    judge: Callable[[object, Base, Path], str]         # (session, base, run folder) → "present" | "absent"
    env: dict = field(default_factory=dict)


@dataclass
class Outcome:
    operation: str
    delay: float
    killed: bool                     # still running when the signal came
    state: str                       # present | absent
    exit_code: int | None


# --- the base vault -------------------------------------------------------------------------

def build_base(folder: Path) -> Base:
    from triage_app import importing
    from triage_app import users
    from triage_app.demo.synthetic import generate
    from triage_app.review import checklist, workflow

    folder.mkdir(parents=True, exist_ok=True)
    vault = folder / "vault.db"
    s = create_vault(vault, "ada", PASS["ada"], kdf=CHEAP_KDF)
    for name, role in ROLES.items():
        if name != "ada":
            users.add_user(s, name, role, PASS[name])
    s.close()

    seed_dir, big_dir = folder / "seed", folder / "big"
    seed_dir.mkdir()
    big_dir.mkdir()
    seed = generate(20, seed=11)
    seed_cases, seed_nominals = seed.write_csv(seed_dir)
    big = generate(IMPORT_CASES, seed=12)
    # The big import's refs must be new to the vault: give them their own year-prefix.
    for row in big.cases:
        row["crime_ref"] = "K" + row["crime_ref"]
    for row in big.nominals:
        row["crime_ref"] = "K" + row["crime_ref"]
    cases_csv, nominals_csv = big.write_csv(big_dir)

    s = open_vault(vault, "sam", PASS["sam"])
    importing.run(s, seed_cases, seed_nominals)
    refs = [r[0] for r in s.query("SELECT ref FROM cases ORDER BY ref")]
    s.close()

    cl = checklist.current()
    mandatory = cl.mandatory_ids
    rita = open_vault(vault, "rita", PASS["rita"])
    try:
        for ref in refs[:2]:
            workflow.start_review(rita, ref)
        # the submitted one: every mandatory item, a recommendation, submitted
        for item in mandatory:
            workflow.answer_item(rita, refs[1], item, "na")
        workflow.recommend(rita, refs[1], "confirm-nfa", "Synthetic rationale for the harness.")
        workflow.submit(rita, refs[1])
    finally:
        rita.close()
    return Base(folder, vault, {IN_REVIEW: refs[0], SUBMITTED: refs[1]}, mandatory[0], cases_csv, nominals_csv,
                [r["crime_ref"] for r in big.cases])


def copy_base(base: Base, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".keys", ".audit-head"):
        shutil.copy2(f"{base.vault}{suffix}", dest / f"vault.db{suffix}")
    return dest / "vault.db"


# --- judges: wholly there or wholly absent -------------------------------------------------

def _audit_count(s, action: str, case: str | None = None) -> int:
    if case is None:
        return s.one("SELECT count(*) FROM audit WHERE action = ?", (action,))[0]
    return s.one("SELECT count(*) FROM audit WHERE action = ? AND case_ref = ?", (action, case))[0]


def judge_import(s, base: Base, run: Path) -> str:
    marks = ",".join("?" * len(base.import_refs))
    found = s.one(f"SELECT count(*) FROM cases WHERE ref IN ({marks})", base.import_refs)[0]
    nominals = s.one(f"SELECT count(*) FROM nominals WHERE case_id IN (SELECT id FROM cases WHERE ref IN ({marks}))",
                     base.import_refs)[0]
    entries = _audit_count(s, "import") - 1  # the base vault's own seed import
    if found == 0 and nominals == 0 and entries == 0:
        return "absent"
    assert found == len(base.import_refs) and entries == 1 and nominals > 0, \
        f"partial import: {found} of {len(base.import_refs)} cases, {nominals} nominals, {entries} entries"
    return "present"


def judge_answer(s, base: Base, run: Path) -> str:
    ref = base.refs[IN_REVIEW]
    row = s.one("SELECT a.answer FROM review_answers a JOIN reviews r ON r.id = a.review_id "
                "JOIN cases c ON c.id = r.case_id WHERE c.ref = ? AND a.item_id = ?", (ref, base.item))
    entries = _audit_count(s, "review.answer", ref)
    if row is None and entries == 0:
        return "absent"
    assert row is not None and row[0] == "yes" and entries == 1, f"partial save: answer {row and row[0]}, {entries} entries"
    return "present"


def judge_sign_off(s, base: Base, run: Path) -> str:
    ref = base.refs[SUBMITTED]
    state = s.one("SELECT r.state FROM reviews r JOIN cases c ON c.id = r.case_id WHERE c.ref = ? "
                  "ORDER BY r.version DESC LIMIT 1", (ref,))[0]
    decisions = s.one("SELECT count(*) FROM review_decisions d JOIN reviews r ON r.id = d.review_id "
                      "JOIN cases c ON c.id = r.case_id WHERE c.ref = ?", (ref,))[0]
    status = s.one("SELECT status FROM cases WHERE ref = ?", (ref,))[0]
    entries = _audit_count(s, "review.decide", ref)
    if state == "submitted" and decisions == 0 and entries == 0 and status == "submitted":
        return "absent"
    assert (state, decisions, entries, status) == ("approved", 1, 1, "approved"), \
        f"partial sign-off: state {state}, {decisions} decisions, {entries} entries, status {status}"
    return "present"


def judge_backup(s, base: Base, run: Path) -> str:
    from triage_app.ops.backup import verify_backup
    out = run / "backup.zip"
    entries = _audit_count(s, "backup.write")
    if not out.exists() and entries == 0:
        return "absent"
    assert out.exists(), "the log records a backup that is not there"
    verify_backup(out, "sam", PASS["sam"])  # raises on a damaged file
    assert entries == 1, "a backup file exists with no audit entry for it"
    return "present"


NEW_PASSPHRASE = "rita chose new words in the harness"


def judge_passwd(s, base: Base, run: Path) -> str:
    """The key file and the audit log agree: the new passphrase opens rita's slot exactly when the
    change's entry is there, and the old one exactly when it is not (inspect's unlock finished any
    rename the kill cut off)."""
    from triage_app.errors import AuthFailed
    from triage_app.vault.keyslots import KeyFile

    def opens(passphrase: str) -> bool:
        try:
            KeyFile.load(s.path).unlock("rita", passphrase)
            return True
        except AuthFailed:
            return False
    entries = _audit_count(s, "user.passwd")
    new, old = opens(NEW_PASSPHRASE), opens(PASS["rita"])
    assert new != old, f"rita's slot opens with {'both' if new else 'neither'} passphrase"
    if not new and entries == 0:
        return "absent"
    assert new and entries == 1, f"key file and log disagree: new passphrase {new}, {entries} entries"
    return "present"


def _cli_has(command: str) -> bool:
    import argparse
    from triage_app.cli.main import build_parser
    subs = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return any(command in a.choices for a in subs)


def _import_argv(base: Base, run: Path) -> list[str]:
    if _cli_has("import"):
        return ["import", str(base.cases_csv), str(base.nominals_csv)]
    return []  # not on the command line yet: `_command` drives the same service in a real process


OPERATIONS = {
    "import": Operation("import", "sam", _import_argv, judge_import),
    "review save": Operation("review save", "rita",
                             lambda b, r: ["review", "answer", b.refs[IN_REVIEW], b.item, "yes", "--note", "harness"],
                             judge_answer),
    "sign-off": Operation("sign-off", "sam", lambda b, r: ["review", "decide", b.refs[SUBMITTED], "approve"],
                          judge_sign_off),
    "backup": Operation("backup", "sam", lambda b, r: ["backup", "--out", str(r / "backup.zip")], judge_backup),
    "passwd": Operation("passwd", "rita", lambda b, r: ["passwd"], judge_passwd,
                        env={"TRIAGE_NEW_PASSPHRASE": NEW_PASSPHRASE}),
}


# --- running and killing ---------------------------------------------------------------------

def _command(op: Operation, base: Base, run: Path, vault: Path) -> list[str]:
    argv = op.argv(base, run)
    if argv:
        return [str(clirun.EXE), "--vault", str(vault), "--user", op.user, *argv]
    code = ("import sys; from triage_app.cli.context import take_env_secrets, _PASSPHRASE; "
            "from triage_app.session import open_vault; from triage_app import importing; "
            f"s = open_vault({str(vault)!r}, {op.user!r}, {PASS[op.user]!r}); "
            f"importing.run(s, {str(base.cases_csv)!r}, {str(base.nominals_csv)!r}); s.close()")
    return [sys.executable, "-c", code]


def start(op: Operation, base: Base, run: Path, vault: Path) -> subprocess.Popen:
    env = clirun.env_for(PASS[op.user], **op.env)
    return subprocess.Popen(_command(op, base, run, vault), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def timed(op: Operation, base: Base, run: Path) -> float:
    """How long the operation takes when nobody kills it (and that it succeeds then)."""
    vault = copy_base(base, run)
    t0 = time.perf_counter()
    p = start(op, base, run, vault)
    _, err = p.communicate(timeout=300)
    took = time.perf_counter() - t0
    assert p.returncode == 0, f"{op.name} failed unkilled: {err}"
    inspect(op, base, run, vault)
    return took


def inspect(op: Operation, base: Base, run: Path, vault: Path) -> str:
    s = open_vault(vault, "ada", PASS["ada"])
    try:
        assert s.one("PRAGMA integrity_check")[0] == "ok"
        assert s.query("PRAGMA cipher_integrity_check") == []
        verdict = s.verify_audit()
        assert verdict.ok, verdict.problem
        return op.judge(s, base, run)
    finally:
        s.close()


def kill_once(op: Operation, base: Base, run: Path, delay: float) -> Outcome:
    vault = copy_base(base, run)
    p = start(op, base, run, vault)
    time.sleep(delay)
    killed = p.poll() is None
    if killed:
        p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    err = p.stderr.read() if p.stderr else ""
    assert "Traceback" not in err, err
    state = inspect(op, base, run, vault)
    return Outcome(op.name, delay, killed, state, None if killed else p.returncode)


def kill_many(op: Operation, base: Base, workdir: Path, n: int, rng: random.Random) -> list[Outcome]:
    # The first run pays for cold caches; the second is what a killed run will look like.
    took = min(timed(op, base, workdir / f"unkilled{i}") for i in range(2))
    outcomes = []
    for i in range(n):
        run = workdir / f"run{i}"
        # Half the kills anywhere, half in the last third, where the commit and the audit head are.
        share = rng.uniform(0, 1.1) if i % 2 == 0 else rng.uniform(0.65, 1.05)
        outcomes.append(kill_once(op, base, run, took * share))
        shutil.rmtree(run, ignore_errors=True)
    return outcomes
