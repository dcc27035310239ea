"""Commands of importing and reading cases: `import`, `case show`, `search`."""
from __future__ import annotations

import sys

from triage_app.errors import BadInput


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common],
                       help="import cases.csv and nominals.csv from a records export (supervisor, admin)",
                       example=["triage-app import cases.csv nominals.csv --dry-run",
                                "triage-app import rms-cases.csv rms-people.csv --profile example-rms"])
    p.add_argument("cases_csv", metavar="CASES.csv", help="one row per case (columns: docs/IMPORT_FORMAT.md)")
    p.add_argument("nominals_csv", metavar="NOMINALS.csv", help="one row per person on a case")
    p.add_argument("--profile", metavar="FILE",
                   help="import profile (TOML file, or the name of a shipped profile)")
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=import_files)

    p = sub.add_parser("case", parents=[common], help="one case",
                       example='triage-app case show CR/2012/104233 --reason "case review"')
    csub = p.add_subparsers(dest="case_command", metavar="show", required=True)
    s = csub.add_parser("show", parents=[common], help="show a case with its nominals (a consultation)",
                        example=['triage-app case show CR/2012/104233 --reason "case review"',
                                 "triage-app case show CR/2012/104233 --json"])
    s.add_argument("ref", metavar="REF", help="the case's crime reference")
    s.add_argument("--json", action="store_true", help="print one JSON document")
    s.add_argument("--reason", help="why you are opening it (kept in the audit log)")
    s.set_defaults(func=case_show)

    p = sub.add_parser("search", parents=[common], help="full text over summaries and NFA rationales",
                       example="triage-app search taxi takeaway")
    p.add_argument("text", metavar="TEXT", nargs="+", help="words to find (all of them)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--limit", type=int, default=50, help="at most N cases (default 50)")
    p.set_defaults(func=search)


class _ProgressLine:
    """On a terminal: one line on stderr, redrawn in place, naming the phase, its counts and the
    time left (also between reports, so a long phase still counts down). Nothing when stderr is
    not a terminal (a pipe or a log keeps only the result)."""

    def __init__(self, stream):
        import threading
        self.stream = stream
        self.step = None
        self.at = 0.0
        self.shown = ""
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.ticker.start()

    def __call__(self, step) -> None:
        import time
        with self.lock:
            self.step, self.at = step, time.monotonic()
        self._draw()

    def _tick(self) -> None:
        while not self.stopped.wait(0.5):
            self._draw()

    def _draw(self) -> None:
        import dataclasses
        import shutil
        import time
        with self.lock:
            step = self.step
            if step is None or self.stopped.is_set():
                return
            if step.left is not None:
                step = dataclasses.replace(step, left=max(0.0, step.left - (time.monotonic() - self.at)))
            width = max(20, shutil.get_terminal_size((100, 20)).columns - 1)
            text = step.words()[:width]
            if text != self.shown:
                self.stream.write("\r" + text + "\x1b[K")
                self.stream.flush()
                self.shown = text

    def close(self) -> None:
        """Stop redrawing and clear the line, so what follows starts at the left margin."""
        with self.lock:
            self.stopped.set()
            if self.shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.shown = ""


def _progress_line():
    return _ProgressLine(sys.stderr) if sys.stderr is not None and sys.stderr.isatty() else None


def import_files(ctx) -> int:
    from triage_app import importing
    a = ctx.args
    s = ctx.open()
    s.require("import")
    try:
        if a.dry_run:
            plan = importing.preview(a.cases_csv, a.nominals_csv, a.profile, session=s)
            if not plan.ok:
                raise importing.refusal(plan)
            result = plan.as_json(dry_run=True)
        else:
            line = _progress_line()
            try:
                result = importing.run(s, a.cases_csv, a.nominals_csv, a.profile, steps=line)
            finally:
                if line is not None:
                    line.close()
    except BadInput as e:
        if a.json:
            ctx.print_json({"cases_added": 0, "cases_updated": 0, "nominals_added": 0, "warnings": [],
                            "errors": e.problems or [{"file": None, "line": None, "column": None,
                                                      "message": e.message}]})
        raise
    if a.json:
        result.pop("changed", None)
        ctx.print_json(result)
        return 0
    for w in result["warnings"]:
        ctx.warn(_where(w) + "warning: " + w["message"])
    verb = "Would import" if a.dry_run else "Imported"
    ctx.say(f"{verb}: {result['cases_added']} cases added, {result['cases_updated']} updated, "
            f"{result['cases_unchanged']} unchanged; {result['nominals_added']} nominals added, "
            f"{result['nominals_updated']} updated, {result['nominals_unchanged']} unchanged.")
    return 0


def _where(p: dict) -> str:
    parts = [str(x) for x in (p.get("file"), p.get("line"), p.get("column")) if x not in (None, "")]
    return ":".join(parts) + ": " if parts else ""


def case_show(ctx) -> int:
    from triage_app.casefile import case_detail
    s = ctx.open()
    d = case_detail(s, ctx.args.ref, ctx.args.reason)
    if ctx.args.json:
        ctx.print_json(d)
        return 0
    ctx.say(f"{d['crime_ref']}  {d['offence_code'] or ''} {d['offence_description'] or ''}".rstrip())
    for key in ("offence_date", "reported_date", "nfa_date", "outcome_code", "officer_in_case", "location",
                "exhibits_retained", "status", "priority"):
        if d.get(key) not in (None, ""):
            ctx.say(f"  {key.replace('_', ' ')}: {d[key]}")
    for key in ("summary", "nfa_rationale"):
        if d.get(key):
            ctx.say(f"  {key.replace('_', ' ')}:")
            for line in d[key].splitlines():
                ctx.say(f"    {line}")
    if d["other_recorded_fields"]:
        ctx.say("  other recorded fields:")
        for k, v in d["other_recorded_fields"].items():
            ctx.say(f"    {k}: {v}")
    ctx.say(f"  nominals ({len(d['nominals'])}):")
    for n in d["nominals"]:
        name = " ".join(x for x in (n["forenames"], n["surname"]) if x) or "(no name)"
        bits = [n["role"], name, f"dob {n['dob']}" if n["dob"] else "", 
                f"age {n['age_at_offence']} at offence" if n["age_at_offence"] is not None else ""]
        ctx.say("    " + ", ".join(b for b in bits if b))
    return 0


def search(ctx) -> int:
    from triage_app.casefile import search as find
    s = ctx.open()
    hits = find(s, " ".join(ctx.args.text), ctx.args.limit)
    if ctx.args.json:
        ctx.print_json(hits)
        return 0
    for h in hits:
        ctx.say(f"{h['ref']}  NFA {h['nfa_date']}  {h['offence_code'] or ''}")
        ctx.say(f"    {' '.join(h['snippet'].split())}")
    if not hits:
        ctx.say("No case matches.")
    return 0
