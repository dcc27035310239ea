"""The import's check run in a child process (importing/apart.py) gives what the check in this
process gives: the same problems, warnings, counts, files and rows written; a cancel, a child that
cannot start, dies or sends garbage each leave the vault as it was and no child behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from triage_app import children, importing
from triage_app.demo.synthetic import generate
from triage_app.errors import BadInput, TriageError
from triage_app.importing import Cancelled, apart
from triage_app.importing.progress import Tracker
from triage_app.importing.stage import Staging

from .conftest import everything as _everything

ENTRY = Path(__file__).resolve().parents[2] / "packaging" / "entry.py"


@pytest.fixture
def spawned(monkeypatch):
    """Every child the check starts, with apart's threshold at 0 (any file is checked apart) and
    frames of a few rows (so the small exports here still cross the pipe in many frames)."""
    procs = []
    real = subprocess.Popen

    def popen(*a, **k):
        procs.append(real(*a, **k))
        return procs[-1]
    monkeypatch.setattr(apart.subprocess, "Popen", popen)
    monkeypatch.setattr(apart, "APART_FROM_BYTES", 0)
    monkeypatch.setattr(apart, "FRAME_ROWS", 7)
    return procs


def _here(monkeypatch):
    monkeypatch.setattr(apart, "APART_FROM_BYTES", 1 << 62)


def _spoilt(folder: Path, n: int = 60, seed: int = 21, refused: bool = True) -> tuple[str, str]:
    """A synthetic export with warnings (a partial postcode, an impossible date of birth) and, when
    `refused`, problems in both files (a date that is not one, a repeated case, a person of no case)."""
    data = generate(n, seed=seed)
    cases = [dict(c) for c in data.cases]
    nominals = [dict(p) for p in data.nominals]
    nominals[3]["postcode"] = "LS1"
    nominals[5]["dob"] = "31/02/1990"
    if refused:
        cases[4]["offence_date"] = "2011-02-30"
        cases[9]["crime_ref"] = cases[8]["crime_ref"]
        nominals[11]["crime_ref"] = "CR/2099/999999"
        nominals[12]["role"] = "bystander"
    data.cases, data.nominals = cases, nominals
    c, p = data.write_csv(folder)
    return str(c), str(p)


def _staged(conn, temp: bool = True) -> dict:
    """What a check wrote inside the transaction: the staging's TEMP tables and the rows written straight."""
    out = {}
    for t in ("temp.import_cases", "temp.import_nominals", "temp.import_identifiers")[:3 if temp else 0] + \
            ("nominals", "identifiers"):
        order = "nominal, kind, value" if t == "identifiers" else "rowid"      # identifiers: WITHOUT ROWID
        out[t] = [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY {order}")]
    cols = [r[1] for r in conn.execute("PRAGMA table_info(cases)") if r[1] not in ("imported_at", "updated_at")]
    out["cases"] = [tuple(r) for r in conn.execute(f"SELECT {', '.join(cols)} FROM cases ORDER BY id")]
    return out


def _check_once(session, files) -> tuple:
    """The import's check (into a Staging, in a transaction rolled back after): plan, counts, rows, steps."""
    conn, steps = session.conn, []
    conn.execute("BEGIN IMMEDIATE")
    try:
        tracker = Tracker(steps.append)
        tracker.begin("check", 0)
        stage = Staging(conn)
        plan = importing._check_staging(*files, importing._profile(None), None, stage, tracker)
        stage.flush()
        rows = _staged(conn)
        counts = dict(stage.counts)
        stage.drop()
    finally:
        conn.execute("ROLLBACK")
    checked = plan.checked
    return ((plan.problems, plan.warnings, plan.problem_count, plan.files, plan.profile, plan.ok),
            (checked.problems, checked.warnings, checked.problem_count, checked.sink is stage) if checked else None,
            counts, rows, steps)


@pytest.mark.parametrize("refused", [True, False], ids=["problems", "warnings only"])
def test_the_check_apart_gives_what_the_check_here_gives(login, tmp_path, monkeypatch, spawned, refused):
    s = login("sam")
    files = _spoilt(tmp_path / "export", n=250, refused=refused)     # past 500 rows: progress reported
    monkeypatch.setattr(apart, "PROGRESS_EVERY", 0.0)        # frames of progress alone as well
    monkeypatch.setattr(importing.progress, "EVERY", 0.0)
    plan, checked, counts, rows, steps = _check_once(s, files)
    assert len(spawned) == 1 and spawned[0].returncode == 0
    _here(monkeypatch)
    plan_here, checked_here, counts_here, rows_here, steps_here = _check_once(s, files)
    assert len(spawned) == 1
    assert plan == plan_here and checked == checked_here
    assert counts == counts_here and rows == rows_here
    assert bool(plan[0]) is refused and plan[1]
    assert counts["nominals_added"] > 500 and rows["nominals"]
    # the progress the child read reached the tracker, as the check here reports it
    assert [x.done for x in steps][-1] == [x.done for x in steps_here][-1] > 0


def test_an_import_apart_and_one_here_write_the_same_vault(login, tmp_path, monkeypatch, spawned):
    files = _spoilt(tmp_path / "export", refused=False)
    apart_ = login("sam")
    result = importing.run(apart_, *files, today=None)
    assert len(spawned) == 1
    _here(monkeypatch)
    from triage_app.session import create_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    here = create_vault(tmp_path / "here.db", "ada", "a passphrase for the second vault", kdf=CHEAP_KDF)
    try:
        result_here = importing.run(here, *files)
        assert len(spawned) == 1
        for r in (result, result_here):
            r.pop("timings"), r.pop("cpu")
        assert result == result_here
        assert _staged(apart_.conn, temp=False) == _staged(here.conn, temp=False)
        links = "SELECT case_a, case_b, strength, basis, evidence FROM links ORDER BY case_a, case_b"
        assert [tuple(r) for r in apart_.conn.execute(links)] == [tuple(r) for r in here.conn.execute(links)]
    finally:
        here.close()


def test_a_refused_import_apart_names_the_same_problems_and_writes_nothing(login, tmp_path, monkeypatch, spawned):
    s = login("sam")
    files = _spoilt(tmp_path / "export")
    before = s.one("SELECT count(*) FROM audit")[0]
    with pytest.raises(BadInput) as apart_:
        importing.run(s, *files)
    _here(monkeypatch)
    with pytest.raises(BadInput) as here:
        importing.run(s, *files)
    assert apart_.value.problems == here.value.problems and str(apart_.value) == str(here.value)
    assert s.one("SELECT count(*) FROM cases")[0] == 0 and s.one("SELECT count(*) FROM audit")[0] == before
    assert len(spawned) == 1 and spawned[0].returncode == 0


def test_unreadable_files_apart_give_the_same_plan(login, tmp_path, spawned, monkeypatch):
    s = login("sam")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "cases.csv").write_bytes(b"crime_ref\x00,nfa_date\n")
    (folder / "nominals.csv").write_text("crime_ref,role\n", "utf-8")
    files = (str(folder / "cases.csv"), str(folder / "nominals.csv"))
    apart_ = _check_once(s, files)
    _here(monkeypatch)
    assert apart_[:4] == _check_once(s, files)[:4] and apart_[0][0] and apart_[1] is None
    assert len(spawned) == 1


def test_a_cancel_while_the_child_checks_stops_it_writes_nothing_and_leaves_no_child(login, tmp_path, monkeypatch,
                                                                                      spawned):
    s = login("sam")
    files = _spoilt(tmp_path / "export", n=200, refused=False)
    before = _everything(s)
    fed, stop = [0], threading.Event()
    real = Staging.nominal

    def nominal(self, row):      # the cancel comes once the child's rows are being written
        fed[0] += 1
        if fed[0] == 30:
            stop.set()
        return real(self, row)
    monkeypatch.setattr(Staging, "nominal", nominal)
    with pytest.raises(Cancelled):
        importing.run(s, *files, cancel=stop)
    assert 30 <= fed[0] < 30 + apart.FRAME_ROWS          # heard at the next frame
    assert _everything(s) == before and s.verify_audit().ok
    assert len(spawned) == 1 and spawned[0].poll() is not None       # killed and waited for
    if os.name == "posix":      # killed, not left to find the pipe closed at its next frame
        assert spawned[0].returncode == -signal.SIGKILL


def _child_that(code: str) -> list[str]:
    """A child that runs `code` (with sys, apart, child and send: the real frame writer, imported)."""
    return [sys.executable, "-I", "-c",
            "import sys\nfrom triage_app.importing import apart, child\nsend = apart.send\n" + code]


# A child that sends its first frames of rows, then …
# (s.close(): what the child's writer thread holds is written first)
DIES = "n = [0]\ndef sending(s, f):\n    send(s, f)\n    n[0] += 1\n    if n[0] == 3:\n        s.close()\n        sys.exit(3)\n" \
       "apart.send = sending\nchild.main()"
GARBAGE = "sys.stdin.buffer.read()\nout = sys.stdout.buffer\nsend(out, ('ready',))\n" \
          "send(out, ('cases', [], None))\nout.write(b'\\x10' + bytes(range(200)))\nout.flush()"
# a frame that, unpickled as it stands, would run code here (it would set APART_RAN in this process)
A_CLASS = "import pickle, struct\nsys.stdin.buffer.read()\nout = sys.stdout.buffer\nsend(out, ('ready',))\n" \
          "class Runs:\n    def __reduce__(self):\n        return exec, (\"import os; os.environ['APART_RAN'] = '1'\",)\n" \
          "data = pickle.dumps(('cases', [], Runs()))\n" \
          "out.write(struct.pack('<Q', len(data)) + data)\nout.flush()"
NOT_A_FRAME = "sys.stdin.buffer.read()\nout = sys.stdout.buffer\nsend(out, ('ready',))\n" \
              "send(out, ('cases', [(1, 2)], None))"
NO_END = "apart.Frames.end = lambda self, plan: self._send()\nchild.main()"
FAILS_AFTER_END = "child.main()\nsys.exit(3)"


@pytest.mark.parametrize("code", [DIES, GARBAGE, A_CLASS, NOT_A_FRAME, NO_END, FAILS_AFTER_END],
                         ids=["dies after two frames", "garbage", "a class in a frame", "not a frame", "no end",
                              "fails after its end"])
def test_a_child_that_stops_or_sends_garbage_mid_way_rolls_the_import_back(login, tmp_path, monkeypatch, spawned,
                                                                         code):
    s = login("sam")
    files = _spoilt(tmp_path / "export", refused=False)
    before = _everything(s)
    monkeypatch.setattr(apart, "command", lambda: _child_that(code))
    monkeypatch.delenv("APART_RAN", raising=False)
    with pytest.raises(TriageError) as e:
        importing.run(s, *files)
    assert "APART_RAN" not in os.environ          # no frame's pickle ran anything here
    assert type(e.value) is apart.Stopped
    assert str(e.value) == "The import's check stopped before it finished; nothing was written."
    assert _everything(s) == before and s.verify_audit().ok
    assert len(spawned) == 1 and spawned[0].poll() is not None


@pytest.mark.parametrize("command", [["/nonexistent/python"], [sys.executable, "-I", "-m", "triage_app.no_such"],
                                     [sys.executable, "-I", "-c", "import sys; sys.stdin.buffer.read()"]],
                         ids=["no interpreter", "no module", "never ready"])
def test_a_child_that_cannot_start_leaves_the_check_to_this_process(login, tmp_path, monkeypatch, spawned, command):
    s = login("sam")
    files = _spoilt(tmp_path / "export", refused=False)
    monkeypatch.setattr(apart, "command", lambda: command)
    result = importing.run(s, *files)
    assert result["cases_added"] == 60 and result["errors"] == []
    assert all(p.poll() is not None for p in spawned)
    assert len(spawned) == (0 if command[0].startswith("/nonexistent") else 1)


def test_only_files_past_the_threshold_are_checked_apart(login, tmp_path, monkeypatch, spawned):
    s = login("sam")
    files = _spoilt(tmp_path / "export", refused=False)
    size = sum(Path(f).stat().st_size for f in files)
    monkeypatch.setattr(apart, "APART_FROM_BYTES", size + 1)
    importing.run(s, *files)
    assert spawned == []
    monkeypatch.setattr(apart, "APART_FROM_BYTES", size)
    importing.run(s, *files)
    assert len(spawned) == 1
    assert not apart.worth_it(tmp_path / "none.csv", files[1])


def test_the_bundle_routes_the_import_check_to_the_child(login, tmp_path, monkeypatch, spawned):
    """The frozen program's command, and packaging/entry.py running the child from it."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert apart.command() == [sys.executable, "--import-check"]
    monkeypatch.setattr(sys, "frozen", False)
    assert apart.command() == [sys.executable, "-I", "-m", "triage_app.importing.child"]
    monkeypatch.setattr(apart, "command", lambda: [sys.executable, "-I", str(ENTRY), "--import-check"])
    s = login("sam")
    result = importing.run(s, *_spoilt(tmp_path / "export", refused=False))
    assert result["cases_added"] == 60
    assert len(spawned) == 1 and spawned[0].returncode == 0


def test_a_child_gets_no_secret_in_its_environment(monkeypatch):
    for name in ("TRIAGE_PASSPHRASE", "TRIAGE_NEW_PASSPHRASE", "TRIAGE_BUNDLE_PASSPHRASE", "PYTHONPATH"):
        monkeypatch.setenv(name, "secret words here")
    monkeypatch.setenv("PATH", "/usr/bin")
    assert children.env() == {k: v for k, v in children.env().items() if k in children.KEPT}
    assert "secret words here" not in children.env().values() and children.env()["PATH"] == "/usr/bin"
