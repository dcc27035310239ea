"""audit verify | audit log [--case REF] [--by USER] [--action T] [--since D] [--until D] [--json | --csv --out FILE]"""
from __future__ import annotations

from triage_app import audit
from triage_app.errors import BadInput


def register(sub, common) -> None:
    a = sub.add_parser("audit", parents=[common], help="the audit log", example="triage-app audit verify")
    s = a.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = s.add_parser("verify", parents=[common], help="recompute the hash chain (anyone)",
                     example="triage-app audit verify")
    v.set_defaults(func=cmd_verify)
    l = s.add_parser("log", parents=[common], help="list entries, or export them as CSV (supervisor, admin)",
                     example=["triage-app audit log --case CR/2012/104233",
                              "triage-app audit log --since 2026-01-01 --csv --out audit.csv"])
    l.add_argument("--case", metavar="REF", help="only the entries on this case")
    l.add_argument("--by", metavar="USER", help="only the entries of this user")
    l.add_argument("--action", metavar="TEXT", help="only actions containing this text, e.g. pack or export")
    l.add_argument("--since", metavar="DATE", help="only entries on or after this day (YYYY-MM-DD)")
    l.add_argument("--until", metavar="DATE", help="only entries on or before this day (YYYY-MM-DD)")
    f = l.add_mutually_exclusive_group()
    f.add_argument("--json", action="store_true", help="print one JSON document")
    f.add_argument("--csv", action="store_true", help="write the entries as CSV to --out (an audited disclosure)")
    l.add_argument("--out", metavar="FILE", help="the CSV file to write (with --csv)")
    l.set_defaults(func=cmd_log)


def cmd_verify(ctx) -> int:
    s = ctx.open()
    verdict = s.verify_audit()
    if verdict.ok:
        ctx.say(f"The audit log is intact: {verdict.entries} entries, head {verdict.head.seq} {verdict.head.hash[:16]}….")
        return 0
    ctx.warn(verdict.problem)
    return 1


def cmd_log(ctx) -> int:
    from triage_app import audit_log
    a = ctx.args
    if bool(a.csv) != bool(a.out):
        raise BadInput("An export of the audit log needs both --csv and --out FILE.")
    since, until = audit_log.check_day(a.since, "since"), audit_log.check_day(a.until, "until")
    s = ctx.open()
    if a.csv:
        done = audit_log.export_csv(s, a.out, case_ref=a.case, user=a.by or "", action=a.action or "",
                                    since=since, until=until)
        ctx.say(f"{done['entries']} audit entries written to {done['file']}.")
        return 0
    s.require("audit_read")
    rows = audit_log.filter_entries(audit.entries(s.conn, a.case), a.by or "", a.action or "", "", since, until)
    s.record("audit_read", "audit.read", kind="consultation", case=a.case,
             detail={"entries": len(rows)})
    if a.json:
        ctx.print_json([{k: r[k] for k in ("seq", "at", "user", "action", "case", "detail", "kind")} for r in rows])
    else:
        for r in rows:
            ctx.say(f"{r['seq']:>6}  {r['at'][:19]}Z  {r['user']:<14} {r['action']:<22} {r['case'] or ''}")
    return 0
