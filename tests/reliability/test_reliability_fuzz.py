"""Hostile and broken input: property-based fuzzing of the CSV reader, import profiles, review command
arguments and backup/bundle files being restored. Always a plain sentence (a TriageError or a listed
problem), never another exception, never a partial write. Counts go to the end-of-run summary."""
from __future__ import annotations

import io
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import PASS, ROLES
from tests.reliability import tally
from triage_app import importing, users
from triage_app.errors import TriageError
from triage_app.session import create_vault, open_vault
from triage_app.vault.keyslots import CHEAP_KDF

MARK = "FREETEXTMARKER"  # placed in cells: messages must never quote it
FUZZ = settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], database=None)


class Counter:
    def __init__(self, area: str):
        self.area = area

    def tried(self):
        tally.add("fuzz", "examples", 1)
        tally.add(f"fuzz[{self.area}]", "examples", 1)


class World(dict):
    def __repr__(self):  # keeps hypothesis' failure reports readable
        return "<fuzz world>"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A vault with the usual users and a few synthetic cases, plus valid sample files to mutate."""
    from triage_app.demo.synthetic import generate
    from triage_app.ops.backup import make_backup
    root = tmp_path_factory.mktemp("fuzz")
    vault = root / "vault.db"
    s = create_vault(vault, "ada", PASS["ada"], kdf=CHEAP_KDF)
    for name, role in ROLES.items():
        if name != "ada":
            users.add_user(s, name, role, PASS[name])
    s.close()
    data = generate(6, seed=3)
    cases_csv, nominals_csv = data.write_csv(root / "valid")
    s = open_vault(vault, "sam", PASS["sam"])
    importing.run(s, cases_csv, nominals_csv)
    refs = [r[0] for r in s.query("SELECT ref FROM cases ORDER BY ref")]
    backup = root / "backup.zip"
    make_backup(s, backup)
    s.close()
    work = root / "work"
    work.mkdir()
    return World({"root": root, "vault": vault, "cases": cases_csv.read_bytes(), "nominals": nominals_csv.read_bytes(),
            "refs": refs, "backup": backup.read_bytes(), "work": work})


def _counts(vault: Path) -> tuple:
    s = open_vault(vault, "ada", PASS["ada"])
    try:
        return tuple(s.one(f"SELECT count(*) FROM {t}")[0] for t in ("cases", "nominals", "identifiers"))
    finally:
        s.close()


def _plain_problem(p: dict) -> None:
    assert set(p) >= {"file", "line", "column", "message"}, p
    assert isinstance(p["message"], str) and "\n" not in p["message"] and MARK not in p["message"], p


def _mutate(data: bytes, ops: list) -> bytes:
    b = bytearray(data)
    for kind, pos, value in ops:
        if not b:
            break
        i = pos % len(b)
        if kind == "flip":
            b[i] ^= value or 1
        elif kind == "insert":
            b[i:i] = bytes([value])
        elif kind == "delete":
            del b[i]
        elif kind == "truncate":
            del b[i:]
        elif kind == "quote":
            b[i:i] = b'"'
    return bytes(b)


MUTATIONS = st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate", "quote"]),
                               st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8)

HOSTILE_CELLS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\x00", "\ufeff", "\r", '"', '""',
                     "\u202e", "CR/2012/1\x00", "2012-02-30", "31/12/1899", "99/99/9999", MARK * 3]),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")))


def _preview(world, cases: bytes, nominals: bytes, counter: Counter):
    counter.tried()
    d = world["work"]
    (d / "cases.csv").write_bytes(cases)
    (d / "nominals.csv").write_bytes(nominals)
    try:
        plan = importing.preview(d / "cases.csv", d / "nominals.csv")
    except TriageError as e:
        assert "\n" not in e.message and MARK not in e.message
        return None
    for p in plan.problems + plan.warnings:
        _plain_problem(p)
    return plan


# --- the CSV reader ----------------------------------------------------------------------------

@FUZZ
@given(cases=st.binary(max_size=2000), nominals=st.binary(max_size=2000))
def test_random_bytes_as_import_files(world, cases, nominals):
    _preview(world, cases, nominals, Counter("csv random bytes"))


@FUZZ
@given(which=st.sampled_from(["cases", "nominals"]), ops=MUTATIONS)
def test_mutated_valid_import_files(world, which, ops):
    files = {"cases": world["cases"], "nominals": world["nominals"]}
    files[which] = _mutate(files[which], ops)
    _preview(world, files["cases"], files["nominals"], Counter("csv mutated"))


@FUZZ
@given(cells=st.lists(HOSTILE_CELLS, min_size=12, max_size=12),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_hostile_cells_in_a_well_formed_file(world, cells, encoding):
    import csv
    from triage_app.demo.synthetic import CASE_COLUMNS
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CASE_COLUMNS[:12])
    w.writerow(cells)
    data = buf.getvalue().encode(encoding, errors="replace")
    _preview(world, data, world["nominals"], Counter("csv hostile cells"))


def test_a_ten_megabyte_cell_is_read_whole(world, tmp_path):
    from triage_app.demo.synthetic import generate
    data = generate(1, seed=5)
    data.cases[0]["summary"] = "synthetic narrative " * (10 * 1024 * 1024 // 20)
    cases, nominals = data.write_csv(tmp_path)
    plan = importing.preview(cases, nominals)
    assert plan.ok, plan.problems[:2]
    tally.add("fuzz[csv big]", "ten_megabyte_cell", 1)


def test_a_million_columns_is_refused_or_read_plainly(world, tmp_path):
    header = ",".join(["crime_ref", "nfa_date"] + [f"c{i}" for i in range(1_000_000)])
    (tmp_path / "cases.csv").write_text(header + "\nCR/2012/1,2012-01-01\n")
    (tmp_path / "nominals.csv").write_bytes(world["nominals"])
    try:
        plan = importing.preview(tmp_path / "cases.csv", tmp_path / "nominals.csv")
    except TriageError as e:
        assert "\n" not in e.message
    else:
        for p in plan.problems:
            _plain_problem(p)
    tally.add("fuzz[csv big]", "million_columns", 1)


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(which=st.sampled_from(["cases", "nominals"]), ops=MUTATIONS)
def test_a_refused_import_writes_nothing(world, which, ops):
    """The real import on a real vault: whole or nothing, and a refusal is plain."""
    counter = Counter("csv import into vault")
    counter.tried()
    files = {"cases": world["cases"], "nominals": world["nominals"]}
    files[which] = _mutate(files[which], ops)
    d = world["work"]
    (d / "cases.csv").write_bytes(files["cases"])
    (d / "nominals.csv").write_bytes(files["nominals"])
    before = _counts(world["vault"])
    s = open_vault(world["vault"], "sam", PASS["sam"])
    audit_before = s.one("SELECT count(*) FROM audit")[0]
    try:
        importing.run(s, d / "cases.csv", d / "nominals.csv")
    except TriageError as e:
        assert "\n" not in e.message and MARK not in e.message
        assert s.one("SELECT count(*) FROM audit")[0] == audit_before
        s.close()
        assert _counts(world["vault"]) == before
        return
    s.close()


# --- import profiles -----------------------------------------------------------------------------

TOML_VALUES = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.just([1, "a"]), st.just({"x": 1}))


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"


@FUZZ
@given(tables=st.dictionaries(st.sampled_from(["profile", "cases", "nominals", "values.role", "values.gender", "x"]),
                              st.dictionaries(st.sampled_from(["name", "encoding", "date_format", "crime_ref", "role",
                                                               "nfa_date", "Aggrieved", "surname", "zzz"]),
                                              TOML_VALUES, max_size=4), max_size=5))
def test_structured_hostile_profiles(world, tables):
    counter = Counter("profile toml")
    counter.tried()
    text = "".join(f"[{t}]\n" + "".join(f'"{k}" = {_toml(v)}\n' for k, v in kv.items()) for t, kv in tables.items())
    path = world["work"] / "profile.toml"
    path.write_text(text, encoding="utf-8")
    try:
        importing.profile.load(path)
    except TriageError as e:
        assert "\n" not in e.message


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes_as_a_profile(world, data):
    Counter("profile bytes").tried()
    path = world["work"] / "profile.toml"
    path.write_bytes(data)
    try:
        importing.profile.load(path)
    except TriageError as e:
        assert "\n" not in e.message


# --- review command arguments ---------------------------------------------------------------------

ARG = st.one_of(st.text(max_size=30).filter(lambda t: "\x00" not in t),
                st.sampled_from(["", "-", "--", "=cmd|' /C calc'!A0", "\udcff", "x" * 5000, "CR/2012/1", "yes", "no",
                                 "na", "2024-02-30", "31/12/2024", "1/1/1", "approve", "return", "99999999999999999999"]))


def _main(vault: Path, user: str, argv: list[str]) -> tuple[int, str]:
    import os
    from triage_app.cli.main import main
    os.environ["TRIAGE_PASSPHRASE"] = PASS[user]
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        try:
            code = main(["--vault", str(vault), "--user", user, *argv])
        except SystemExit as e:  # argparse: usage, exit 2
            code = e.code
    return code, err.getvalue()


@FUZZ
@given(user=st.sampled_from(["rita", "sam"]),
       command=st.sampled_from([["answer", 2], ["inquiry", 1], ["inquiry-status", 3], ["contact", 1],
                                ["recommend", 2], ["submit", 1], ["decide", 2], ["start", 1], ["show", 1]]),
       args=st.lists(ARG, min_size=0, max_size=4),
       options=st.lists(st.tuples(st.sampled_from(["--note", "--title", "--category", "--priority", "--rationale",
                                                   "--date", "--method", "--outcome", "--wishes", "--comment",
                                                   "--owner"]), ARG), max_size=4),
       real_ref=st.booleans())
def test_review_commands_with_hostile_arguments(world, user, command, args, options, real_ref):
    Counter("review arguments").tried()
    name, _ = command
    if real_ref and args:
        args = [world["refs"][0], *args[1:]]
    argv = ["review", name, *args]
    for opt, value in options:
        argv += [opt, value]
    code, err = _main(world["vault"], user, argv)
    assert code in (0, 1, 2, 3), (code, err)
    assert "Traceback" not in err and "An unexpected" not in err, err
    if code in (1, 3):
        assert err.strip(), "a refusal must say why"


# --- backup and bundle files being restored -----------------------------------------------------------

@FUZZ
@given(data=st.one_of(st.binary(max_size=3000).map(lambda b: ("random", b)),
                      MUTATIONS.map(lambda ops: ("mutated", ops)),
                      st.integers(0, 1 << 20).map(lambda n: ("truncated", n))))
def test_a_hostile_backup_is_refused_and_restores_nothing(world, data):
    from triage_app.ops.backup import restore_backup
    kind, value = data
    Counter(f"backup {kind}").tried()
    good = world["backup"]
    blob = value if kind == "random" else _mutate(good, value) if kind == "mutated" else good[: value % len(good)]
    target_dir = world["work"] / "restore"
    shutil.rmtree(target_dir, ignore_errors=True)
    target_dir.mkdir()
    file = world["work"] / "in.zip"
    file.write_bytes(blob)
    try:
        s = restore_backup(file, target_dir / "restored.db", "ada", PASS["ada"])
    except TriageError as e:
        assert "\n" not in e.message
        assert list(target_dir.iterdir()) == [], "a refused restore left files behind"
        return
    # a harmless mutation (zip padding, a timestamp): then the restored vault must be whole
    try:
        assert s.verify_audit().ok
        assert s.one("PRAGMA integrity_check")[0] == "ok"
    finally:
        s.close()


@FUZZ
@given(data=st.one_of(st.binary(max_size=3000).map(lambda b: ("random", b)),
                      MUTATIONS.map(lambda ops: ("mutated", ops))))
def test_a_hostile_bundle_is_refused_and_changes_nothing(world, data, tmp_path_factory):
    from triage_app.ops.bundle import export_bundle, import_bundle
    bundle = world["root"] / "bundle.tab"
    if not bundle.exists():
        s = open_vault(world["vault"], "sam", PASS["sam"])
        try:
            export_bundle(s, world["refs"][:2], bundle, "bundle passphrase seven words", kdf=CHEAP_KDF)
        except TypeError:
            export_bundle(s, world["refs"][:2], bundle, "bundle passphrase seven words")
        s.close()
    kind, value = data
    Counter(f"bundle {kind}").tried()
    blob = value if kind == "random" else _mutate(bundle.read_bytes(), value)
    file = world["work"] / "in.bundle"
    file.write_bytes(blob)
    before = _counts(world["vault"])
    s = open_vault(world["vault"], "sam", PASS["sam"])
    try:
        import_bundle(s, file, "bundle passphrase seven words")
    except TriageError as e:
        assert "\n" not in e.message
        s.close()
        assert _counts(world["vault"]) == before
        return
    s.close()
