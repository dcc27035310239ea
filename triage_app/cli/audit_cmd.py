"""audit verify | audit log [--case REF] [--json]"""
from __future__ import annotations

from triage_app import audit


def register(sub, common) -> None:
    a = sub.add_parser("audit", parents=[common], help="the audit log", example="triage-app audit verify")
    s = a.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = s.add_parser("verify", parents=[common], help="recompute the hash chain (anyone)",
                     example="triage-app audit verify")
    v.set_defaults(func=cmd_verify)
    l = s.add_parser("log", parents=[common], help="list entries (supervisor, admin)",
                     example="triage-app audit log --case CR/2012/104233")
    l.add_argument("--case", metavar="REF", help="only the entries on this case")
    l.add_argument("--json", action="store_true", help="print one JSON document")
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
    s = ctx.open()
    s.require("audit_read")
    rows = audit.entries(s.conn, ctx.args.case)
    s.record("audit_read", "audit.read", kind="consultation", case=ctx.args.case,
             detail={"entries": len(rows)})
    if ctx.args.json:
        ctx.print_json([{k: r[k] for k in ("seq", "at", "user", "action", "case", "detail", "kind")} for r in rows])
    else:
        for r in rows:
            ctx.say(f"{r['seq']:>6}  {r['at'][:19]}Z  {r['user']:<14} {r['action']:<22} {r['case'] or ''}")
    return 0
