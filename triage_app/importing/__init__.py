"""Importing historic NFA cases from records-system exports (docs/IMPORT_FORMAT.md, issue 3).

Service API (the command line and the desktop import wizard both use it):

    plan = importing.preview(cases_path, nominals_path, profile=None, session=None)
        Reads and validates both files without writing anything. `profile` is a path, a shipped
        profile's name, or a `Profile`. With a session it also reads the vault (existing crime
        references, for nominals whose case is already there, and what would change); it writes
        no audit entry, because nothing is read from any case's content.
        → Plan: .ok, .problems / .warnings ([{file, line, column, message}]), .counts
          (cases_added, cases_updated, cases_unchanged, nominals_added, nominals_updated,
          nominals_unchanged), .files ([{name, sha256, rows, encoding}]), .as_json(dry_run=True).

    result = importing.run(session, cases_path, nominals_path, profile=None,
                           progress=None, cancel=None, steps=None)
        Four phases in ONE audited transaction (kind "collection": files' names, SHA-256 and
        counts): check (read and validate every row, for large files in a child process, apart.py;
        new cases and people are written, changed ones staged in TEMP tables, stage.py; any problem
        → BadInput with .problems, nothing written), load (a few INSERT … SELECT statements, load.py), link (linking.relink of the
        touched cases; the new cases' full-text fill runs beside it in a thread, beside.py) and score
        (triage.rescore). `steps(Step)` hears each phase's counts and the estimated time left
        (progress.py); `progress(done, total)` the overall fraction in thousandths. `cancel` is a
        callable or a threading.Event: once true the import stops in whatever phase it is in and
        rolls back whole (Cancelled, a TriageError), inside a long SQL statement too.
        → dict in the shape of `import --json` (docs/IMPORT_FORMAT.md) plus unchanged/updated counts,
          "changed" ([{case, fields}]), "timings" and "cpu" (seconds per phase).
        Each file is parsed once as it streams (reader.py). Only new and changed rows are staged, so a re-import of the same
        files costs about as much as the check.

Supervisors and admins may import (permission "import"). Re-import of the same files changes
nothing; a changed row updates its case and writes an alteration entry naming the changed fields.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from triage_app.errors import BadInput
from triage_app.importing import apart, load
from triage_app.importing.beside import Beside
from triage_app.importing import profile as profiles
from triage_app.importing.profile import Profile
from triage_app.importing.progress import Cancelled, Step, Tracker
from triage_app.importing.stage import NEW_NOMINAL, Staging
from triage_app.importing.reader import read_table
from triage_app.importing.validate import MAX_LISTED, Checked, Keys, check
from triage_app.vault import checkpoint, indexes
from triage_app.vault.connection import release_temp

__all__ = ["preview", "run", "Plan", "Profile", "Cancelled", "Step"]


@dataclass
class Plan:
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    profile: str = "canonical"
    problem_count: int = 0
    checked: Checked | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self, dry_run: bool = False) -> dict:
        c = self.counts
        return {"cases_added": c.get("cases_added", 0), "cases_updated": c.get("cases_updated", 0),
                "nominals_added": c.get("nominals_added", 0), "warnings": self.warnings, "errors": self.problems,
                "cases_unchanged": c.get("cases_unchanged", 0), "nominals_updated": c.get("nominals_updated", 0),
                "nominals_unchanged": c.get("nominals_unchanged", 0), "dry_run": dry_run,
                "files": self.files, "profile": self.profile}


def _profile(spec) -> Profile:
    return spec if isinstance(spec, Profile) else profiles.load(spec)


def _vault_cases(conn) -> dict:
    if conn is None:
        return {}
    return {r[0]: (r[1], r[2], r[3]) for r in conn.execute("SELECT ref, id, offence_date, reported_date FROM cases")}


def _counts(conn, keys: Keys) -> dict:
    existing, noms = {}, {}
    if conn is not None:
        existing = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT ref, id, source_hash FROM cases")}
        noms = {(r[0], r[1]): r[2] for r in conn.execute("SELECT case_id, natural_key, source_hash FROM nominals")}
    added = sum(1 for ref, _ in keys.cases if ref not in existing)
    updated = sum(1 for ref, h in keys.cases if ref in existing and existing[ref][1] != h)
    n_added = n_updated = 0
    for ref, key, h in keys.nominals:
        cid = existing.get(ref, (None,))[0]
        old = noms.get((cid, key)) if cid is not None else None
        if old is None:
            n_added += 1
        elif old != h:
            n_updated += 1
    return {"cases_added": added, "cases_updated": updated, "cases_unchanged": len(keys.cases) - added - updated,
            "nominals_added": n_added, "nominals_updated": n_updated,
            "nominals_unchanged": len(keys.nominals) - n_added - n_updated}


def _files(*tables) -> list:
    return [{"name": t.label, "sha256": t.sha256, "rows": t.rows, "encoding": t.encoding}
            for t in tables if t is not None]


def _check(cases_path, nominals_path, prof: Profile, conn, today: date | None = None, sink=None,
           vault_cases: dict | None = None, tracker: Tracker | None = None) -> Plan:
    problems: list = []
    cases = read_table(Path(cases_path), problems, prof.encoding)
    nominals = read_table(Path(nominals_path), problems, prof.encoding)
    plan = Plan(problems=problems, profile=prof.name)
    if cases is None or nominals is None:
        plan.files = _files(cases, nominals)
        plan.problem_count = len(problems)
        return plan
    if tracker is not None:
        _report_reading(tracker, cases, nominals)
    if vault_cases is None:
        vault_cases = _vault_cases(conn)
    checked = check(cases, nominals, prof, vault_cases, today or date.today(), sink)
    plan.files = _files(cases, nominals)
    # A malformed stretch found while reading (an unclosed quote) is a problem like any other.
    checked.problems.extend(p for p in problems if p not in checked.problems)
    order = {cases.label: 0, nominals.label: 1}
    checked.problems.sort(key=lambda p: (order.get(p["file"], 2), p["line"] or 0))
    plan.problems, plan.warnings, plan.checked = checked.problems, checked.warnings, checked
    plan.problem_count = max(checked.problem_count, len(checked.problems))
    if len(plan.problems) >= MAX_LISTED and plan.problem_count > len(plan.problems):
        plan.problems.append({"file": None, "line": None, "column": None,
                              "message": f"and {plan.problem_count - len(plan.problems)} more problems not listed"})
    return plan


def _check_staging(cases_path, nominals_path, prof: Profile, today, stage: Staging, tracker: Tracker) -> Plan:
    """The import's check into `stage`: for large files in a child process while this one writes
    (apart.py), else here; the same Plan and the same rows either way."""
    today = today or date.today()
    if apart.worth_it(cases_path, nominals_path):
        found = apart.check(cases_path, nominals_path, prof, stage.vault_cases, today, stage, tracker)
        if found is not None:
            checked = Checked(stage, found.problems, found.warnings, found.problem_count) if found.checked else None
            return Plan(problems=found.problems, warnings=found.warnings, files=found.files, profile=prof.name,
                        problem_count=found.problem_count, checked=checked)
    # small files, or the child could not start (nothing was written): the check here
    return _check(cases_path, nominals_path, prof, None, today, sink=stage, vault_cases=stage.vault_cases,
                  tracker=tracker)


def _report_reading(tracker: Tracker, cases, nominals, every: int = 500) -> None:
    """Report the check's progress in rows as both files are read; the total is estimated from
    the characters read so far, as a record's length is known only once it is read."""
    size = max(1, cases.size + nominals.size)

    def counted(table, records, before: int):
        n = 0
        for record in records:
            yield record
            n += 1
            if n % every == 0:
                done = cases.rows + nominals.rows
                read = before + table.where()
                tracker.advance(done, max(done, round(done * size / max(read, 1))))
    cases.records = counted(cases, cases.records, 0)
    nominals.records = counted(nominals, nominals.records, cases.size)


def preview(cases_path, nominals_path, profile=None, session=None, today: date | None = None) -> Plan:
    """Validate and count what an import would do; writes nothing."""
    conn = session.conn if session is not None else None
    with _no_cycle_collector():     # the same check as an import's (see _no_cycle_collector)
        plan = _check(cases_path, nominals_path, _profile(profile), conn, today)
    if plan.ok:
        plan.counts = _counts(conn, plan.checked.sink)
    return plan


def refusal(plan: Plan) -> BadInput:
    n = plan.problem_count or len(plan.problems)
    return BadInput(f"The import was refused: {n} problem{'s' if n != 1 else ''} in the files; nothing was written.",
                    plan.problems)


def run(session, cases_path, nominals_path, profile=None, progress=None, cancel=None,
        today: date | None = None, steps=None) -> dict:
    """Check, load, link and score in one audited transaction; see the module docstring."""
    from triage_app.linking import heap

    session.require("import")
    tracker = Tracker(steps, progress, cancel)
    prof = _profile(profile)
    conn = session.conn
    try:
        # Its COMMIT writes every page to the WAL; copying them into the vault file (~60 % of a first
        # import's COMMIT) follows in the background, with nobody waiting (vault/checkpoint.py).
        with checkpoint.deferred(conn):
            out = _run(session, conn, cases_path, nominals_path, prof, tracker, today)
        session.checkpoint_later()
        return out
    finally:
        # The staging's TEMP pages (dropped, but held by the connection until handed back: ~170 MB at
        # 100,000 cases) go back once the transaction has ended, committed or not, and so does what
        # the import's work freed in the C heap: the desktop goes on with the vault open.
        release_temp(conn)
        heap.trim()


def _run(session, conn, cases_path, nominals_path, prof: Profile, tracker: Tracker, today) -> dict:
    from triage_app import linking, triage
    from triage_app.linking import heap
    from triage_app.linking.ahead import Ahead

    with session.change("import", "import", kind="collection", detail={"profile": prof.name}) as entry:
        stage = None
        try:
            with tracker.watching(conn), _roomy_cache(conn), _no_cycle_collector():
                tracker.begin("check", 0)
                # the new people's linker columns worked out as the check writes them (linking/ahead.py)
                stage = Staging(conn, ahead=Ahead(NEW_NOMINAL))
                plan = _check_staging(cases_path, nominals_path, prof, today, stage, tracker)
                if not plan.ok:
                    raise refusal(plan)
                stage.flush()
                tracker.advance(sum(f["rows"] for f in plan.files), sum(f["rows"] for f in plan.files))
                tracker.end()
                entry["files"] = [{"name": f["name"], "sha256": f["sha256"], "rows": f["rows"]} for f in plan.files]
                entry["profile"] = plan.profile
                c = stage.counts
                touched = c["cases_added"] + c["cases_updated"] + len(stage.added_to)
                tracker.expect(load=stage.staged, link=c["nominals_added"] + c["nominals_updated"] or touched,
                               score=touched)
                tracker.begin("load", stage.staged)
                # A vault the import more than doubles: the cases' indexes (the queue's, most of them on
                # the score's columns) were set aside as the new cases were written (stage.py), and are
                # made once, after the score, rather than row by row twice.
                held = stage.case_indexes
                # The new cases' full-text fill waits for the link, and runs beside its arithmetic (beside.py).
                meanwhile = Beside(conn, tracker)
                result = load.apply(conn, stage, session.user, tracker, meanwhile) if stage.staged else \
                    {**c, "case_ids": [], "changed": []}
                tracker.end()
                stage.drop()
                case_ids = result.pop("case_ids")
                changed = result.pop("changed")
                tracker.begin("link", len(case_ids), "cases")
                try:
                    if case_ids:
                        linking.relink(conn, case_ids,   # its stages as a share of the cases; cancel heard there
                                       progress=lambda i, n: tracker.advance(len(case_ids) * i // n),
                                       meanwhile=meanwhile, ahead=stage.ahead)
                    meanwhile.wait()     # here and now, if the link never started it
                finally:
                    meanwhile.stop()     # a failure or a cancel: stopped before the transaction rolls back
                tracker.end()
                tracker.begin("score", len(case_ids), "cases")
                # The score rewrites every touched case row, and each index is then built by reading every
                # (wide) case row: with the table out of the page cache each build decrypts it again (16
                # builds: ~16 CPU s at 100,000 cases). The link's memory is free by now (see SCORE_CACHE_KIB).
                with _roomy_cache(conn, SCORE_CACHE_KIB):
                    if case_ids:
                        # Most of the vault rescored: rescore sets the queue's indexes aside itself.
                        triage.rescore(conn, case_ids, today=today, progress=tracker.advance)
                    indexes.make(conn, held)
                # what the score and the index builds freed goes back before the commit, which
                # otherwise peaks on top of it (linking/heap.py; 100k: the import's peak, 1005 MB)
                heap.trim()
                tracker.end()
        finally:
            if stage is not None:
                stage.drop()
        entry.update(result)
        entry["warnings"] = len(plan.warnings)
        entry["changed"] = changed[:MAX_LISTED]
    plan.counts = result
    out = plan.as_json()
    out["changed"] = changed
    out["timings"] = tracker.timings     # wall seconds per phase, for the benchmark and the wizard's log
    out["cpu"] = tracker.cpu             # CPU seconds per phase
    return out


# The page cache an import may use while its transaction is open (KiB): a large import otherwise
# spills pages to the WAL and reads them back many times over. Restored when the import ends.
# The pages the cache holds from the check and the load stay (dirty) under the link, where the
# import's memory peaks; the score, after the link's memory is handed back, has a larger one
# (SCORE_CACHE_KIB): it rewrites every touched case row, and each of the cases' indexes is then built
# by reading every (wide) case row, which out of the cache is decrypted again for each build.
# Measured at 100k cases, this and main side by side (one process per core, three pairs, same data,
# CPU s; peak MB), once new people were written during the check (stage.py) and no longer staged:
#   main (128 MB throughout)          63.0 / 59.4 / 65.5   peak 831-847
#   192 MB, then 256 for the score    56.8 / 59.4 / 61.8   peak 835-851   (kept)
#   128 MB, then 256 for the score    60.8 / 55.3 / 57.6 vs main 62.2 / 54.5 / 59.4, peak 822-823
#   256 MB throughout                 59.7 / 57.0 / 67.0 vs main 60.8 / 58.6 / 67.0, peak 927-945
# (with new cases still staged in TEMP, 256 MB throughout had peaked at 967-980 MB).
# The score's, again at 100k (score phase CPU s, whole-import peak RSS; back to back, once the score's
# Python had been cut down, d08487b): at 256 MB the rewritten case rows (~55k pages) and the 16 new
# indexes outgrow the cache, the oldest dirty pages (case rows) are spilled and each later index build
# reads and decrypts them again; the UPDATE alone took 1.6 s.
#   256 MB for the score   6.93 / 7.35   UPDATE 1.60 / 1.60   peak 898 / 849 MB   (kept)
#   384 MB for the score   5.75 / 6.45   UPDATE 0.78 / 0.82   peak 970 / 970 MB
#   512 MB for the score   5.83 / 6.34 vs 256: 7.90 / 8.53 (before d08487b), peak 1094 MB
# 256 MB was kept then: with main as of c2333a8 (two linker threads, 64b1ee2) 384 MB peaked at 1003 and 1025 MB.
# Again at 100k with main as of 7f9aa80 (link's peak 752 MB; score phase wall s, UPDATE and index builds s
# (stages.py), whole-import peak MB; a shared, busy machine, so each figure +-1 s):
#   256 MB for the score   7.4 / 7.1         UPDATE 1.90 / 1.52   builds 2.86 / 2.79   peak 748 / 772
#   384 MB for the score   7.0 / 6.6         UPDATE 0.85 / 0.80   builds 2.76 / 3.06   peak 875 / 928
#   512 MB for the score   5.4 / 7.2         UPDATE 0.49 / 0.50   builds 2.12 / 3.14   peak 943 / 962
# 512 MB taken once the rescore let go of each case's facts and each row as it went (triage.rescore): the
# score's peak 885 / 887 / 933 / 876 / 872 MB. Pairs of whole imports, 256 MB before and 512 after:
# score phase 9.4 -> 6.3, 10.5 -> 8.3, 8.6 -> 7.2 s (the machine busy with others' tests throughout).
IMPORT_CACHE_KIB = 196608
SCORE_CACHE_KIB = 524288


@contextmanager
def _no_cycle_collector():
    """Python's cycle collector paused while the import runs. The import makes millions of small
    objects (rows, keys, the linker's pairs) and hardly any cycles, yet each full collection walks
    every object alive, and the heap grows all the way through: at 20,000 cases the collector took
    ~2.3 of 26 CPU s (9 %, most of it in the link), and an import with it paused left 317 objects
    in cycles for the collection when it is resumed, with the same peak memory. Reference counting
    frees everything else as usual. Left paused if the caller had paused it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def _roomy_cache(conn, kib: int | None = None):
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{kib or IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")
