"""Importing historic NFA cases from records-system exports (design.md §2, issue 3).

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
        → dict in the shape of `import --json` (design.md §3) plus unchanged/updated counts.

Supervisors and admins may import (permission "import"). Re-import of the same files changes
nothing; a changed row updates its case and writes an alteration entry naming the changed fields.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from triage_app.errors import BadInput
from triage_app.importing import profile as profiles
from triage_app.importing.load import Cancelled, load
from triage_app.importing.profile import Profile
from triage_app.importing.reader import read_table
from triage_app.importing.validate import MAX_LISTED, Checked, check

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


def _counts(conn, checked: Checked) -> dict:
    existing = {}
    noms = {}
    if conn is not None:
        existing = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT ref, id, source_hash FROM cases")}
        noms = {(r[0], r[1]): r[2] for r in conn.execute("SELECT case_id, natural_key, source_hash FROM nominals")}
    added = sum(1 for r in checked.cases if r.ref not in existing)
    updated = sum(1 for r in checked.cases if r.ref in existing and existing[r.ref][1] != r.source_hash)
    n_added = n_updated = 0
    for r in checked.nominals:
        cid = existing.get(r.ref, (None,))[0]
        old = noms.get((cid, r.values[-1])) if cid is not None else None
        if old is None:
            n_added += 1
        elif old != r.source_hash:
            n_updated += 1
    return {"cases_added": added, "cases_updated": updated, "cases_unchanged": len(checked.cases) - added - updated,
            "nominals_added": n_added, "nominals_updated": n_updated,
            "nominals_unchanged": len(checked.nominals) - n_added - n_updated}


def _check(cases_path, nominals_path, profile, conn, today: date | None = None) -> Plan:
    prof = _profile(profile)
    problems: list = []
    cases = read_table(Path(cases_path), problems, prof.encoding)
    nominals = read_table(Path(nominals_path), problems, prof.encoding)
    files = [{"name": t.label, "sha256": t.sha256, "rows": len(t.records), "encoding": t.encoding}
             for t in (cases, nominals) if t is not None]
    plan = Plan(problems=problems, files=files, profile=prof.name)
    if cases is None or nominals is None:
        plan.problem_count = len(problems)
        return plan
    checked = check(cases, nominals, prof, _vault_cases(conn), today or date.today())
    plan.problems, plan.warnings, plan.checked = checked.problems, checked.warnings, checked
    plan.problem_count = checked.problem_count
    if len(plan.problems) >= MAX_LISTED and plan.problem_count > len(plan.problems):
        plan.problems.append({"file": None, "line": None, "column": None,
                              "message": f"and {plan.problem_count - len(plan.problems)} more problems not listed"})
    return plan


def preview(cases_path, nominals_path, profile=None, session=None, today: date | None = None) -> Plan:
    """Validate and count what an import would do; writes nothing."""
    conn = session.conn if session is not None else None
    plan = _check(cases_path, nominals_path, profile, conn, today)
    if plan.ok:
        plan.counts = _counts(conn, plan.checked)
    return plan


def refusal(plan: Plan) -> BadInput:
    n = plan.problem_count or len(plan.problems)
    return BadInput(f"The import was refused: {n} problem{'s' if n != 1 else ''} in the files; nothing was written.",
                    plan.problems)


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
    plan = _check(cases_path, nominals_path, profile, session.conn, today)
    lap("read_and_validate")
    if not plan.ok:
        raise refusal(plan)
    detail = {"files": [{"name": f["name"], "sha256": f["sha256"], "rows": f["rows"]} for f in plan.files],
              "profile": plan.profile}
    with session.change("import", "import", kind="collection", detail=detail) as entry:
        result = load(session.conn, plan.checked, session.user, progress, cancel)
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
    plan.counts = result
    out = plan.as_json()
    lap("commit")
    out["changed"] = changed
    out["timings"] = timings        # seconds per phase, for the benchmark and the wizard's log
    return out
