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
                           progress=None, cancel=None)
        Validates (any problem → BadInput with .problems, nothing written), then loads everything in
        ONE audited transaction (kind "collection": files' names, SHA-256 and counts), then calls
        linking.relink and triage.rescore for the touched cases inside that same transaction.
        progress(done, total) is called as rows are written; cancel is a callable or a
        threading.Event: once true the import stops and rolls back whole (Cancelled, a TriageError).
        → dict in the shape of `import --json` (docs/IMPORT_FORMAT.md) plus unchanged/updated counts,
          "changed" ([{case, fields}]) and "timings" (seconds per phase).
        The files are read twice: a check that keeps only keys and hashes, then, inside the
        transaction, a second pass that writes in chunks as it reads, so a large export is never
        held in memory whole. A file that changes between the passes stops the import unchanged.

Supervisors and admins may import (permission "import"). Re-import of the same files changes
nothing; a changed row updates its case and writes an alteration entry naming the changed fields.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from triage_app.errors import BadInput, TriageError
from triage_app.importing import profile as profiles
from triage_app.importing.load import Cancelled, Loader
from triage_app.importing.profile import Profile
from triage_app.importing.reader import read_table
from triage_app.importing.validate import MAX_LISTED, Checked, Keys, check

__all__ = ["preview", "run", "Plan", "Profile", "Cancelled"]


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


def _check(cases_path, nominals_path, prof: Profile, conn, today: date | None = None, sink=None) -> Plan:
    problems: list = []
    cases = read_table(Path(cases_path), problems, prof.encoding)
    nominals = read_table(Path(nominals_path), problems, prof.encoding)
    plan = Plan(problems=problems, profile=prof.name)
    if cases is None or nominals is None:
        plan.files = _files(cases, nominals)
        plan.problem_count = len(problems)
        return plan
    checked = check(cases, nominals, prof, _vault_cases(conn), today or date.today(), sink)
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


def preview(cases_path, nominals_path, profile=None, session=None, today: date | None = None) -> Plan:
    """Validate and count what an import would do; writes nothing."""
    conn = session.conn if session is not None else None
    plan = _check(cases_path, nominals_path, _profile(profile), conn, today)
    if plan.ok:
        plan.counts = _counts(conn, plan.checked.sink)
    return plan


def refusal(plan: Plan) -> BadInput:
    n = plan.problem_count or len(plan.problems)
    return BadInput(f"The import was refused: {n} problem{'s' if n != 1 else ''} in the files; nothing was written.",
                    plan.problems)


def _load(session, cases_path, nominals_path, prof: Profile, plan: Plan, counts: dict, progress, cancel,
          today: date | None) -> dict:
    """The writing pass. Its own function so the loader's key maps (a row per nominal) are gone
    before relink and rescore, which hold the vault's nominals at once themselves."""
    loader = Loader(session.conn, session.user, sum(f["rows"] for f in plan.files), counts["cases_added"],
                    progress, cancel)
    again = _check(cases_path, nominals_path, prof, session.conn, today, sink=loader)
    if [f["sha256"] for f in again.files] != [f["sha256"] for f in plan.files] or not again.ok:
        raise TriageError("The files changed while they were being imported; nothing was changed. "
                          "Import them again.")
    return loader.finish()


def run(session, cases_path, nominals_path, profile=None, progress=None, cancel=None,
        today: date | None = None) -> dict:
    """Validate, then import in one audited transaction; see the module docstring."""
    from triage_app import linking, triage

    session.require("import")
    clock = [time.perf_counter()]
    timings = {}

    def lap(name):
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now
    prof = _profile(profile)
    plan = _check(cases_path, nominals_path, prof, session.conn, today)
    if not plan.ok:
        raise refusal(plan)
    counts = _counts(session.conn, plan.checked.sink)
    plan.checked = None
    lap("validate")
    detail = {"files": [{"name": f["name"], "sha256": f["sha256"], "rows": f["rows"]} for f in plan.files],
              "profile": plan.profile}
    with session.change("import", "import", kind="collection", detail=detail) as entry:
        # The second pass reads the files again and writes as it goes, so a large export is
        # never held in memory whole; the files must be the ones just checked.
        if any(counts[k] for k in ("cases_added", "cases_updated", "nominals_added", "nominals_updated")):
            result = _load(session, cases_path, nominals_path, prof, plan, counts, progress, cancel, today)
        else:       # the same files again: nothing to write but the collection entry
            result = {**counts, "case_ids": [], "changed": []}
        lap("load")
        case_ids = result.pop("case_ids")
        changed = result.pop("changed")
        if case_ids:
            linking.relink(session.conn, case_ids)
            lap("relink")
            triage.rescore(session.conn, case_ids)
            lap("rescore")
        entry.update(result)
        entry["warnings"] = len(plan.warnings)
        entry["changed"] = changed[:MAX_LISTED]
    lap("commit")
    plan.counts = result
    out = plan.as_json()
    out["changed"] = changed
    out["timings"] = timings        # seconds per phase, for the benchmark and the wizard's log
    return out
