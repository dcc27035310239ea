"""backup | backup verify | restore | bundle export/import | retention due/decide | stats"""
from __future__ import annotations

import sys
from pathlib import Path

from triage_app.errors import BadInput


def register(sub, common) -> None:
    b = sub.add_parser("backup", parents=[common], help="an encrypted backup of the vault (supervisor, admin)",
                       example=["triage-app backup --out /media/usb/triage-2026-11-25.backup",
                                "triage-app backup verify /media/usb/triage-2026-11-25.backup"])
    b.add_argument("--out", metavar="FILE", help="the backup file to write (must not exist yet)")
    bs = b.add_subparsers(dest="backup_command", metavar="ACTION")
    v = bs.add_parser("verify", parents=[common], help="check a backup opens and is intact, without restoring",
                      example="triage-app backup verify /media/usb/triage-2026-11-25.backup")
    v.add_argument("file", metavar="FILE", help="the backup file")
    v.add_argument("--json", action="store_true", help="print one JSON document")
    v.set_defaults(func=cmd_backup_verify)
    b.set_defaults(func=cmd_backup)

    r = sub.add_parser("restore", parents=[common], help="restore a backup into a new vault (--vault, must not exist)",
                       example="triage-app restore /media/usb/triage-2026-11-25.backup --vault ~/restored/vault.db")
    r.add_argument("file", metavar="FILE", help="the backup file")
    r.set_defaults(func=cmd_restore)

    bu = sub.add_parser("bundle", parents=[common], help="move cases between workstations (supervisor, admin)",
                        example="triage-app bundle export CR/2012/104233 --out cases.tbundle")
    bus = bu.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    e = bus.add_parser("export", parents=[common], help="write chosen cases to an encrypted bundle",
                       example='triage-app bundle export CR/2012/104233 OC/2011/772476 --out cases.tbundle '
                               '--recipient "Northshire MASH" --justification "joint review"')
    e.add_argument("refs", nargs="+", metavar="REF", help="the cases' crime references")
    e.add_argument("--out", metavar="FILE", required=True, help="the bundle file to write")
    e.add_argument("--recipient", metavar="TEXT", help="who receives it (kept in the audit log)")
    e.add_argument("--justification", metavar="TEXT", help="why it is disclosed (kept in the audit log)")
    e.add_argument("--json", action="store_true", help="print one JSON document")
    e.set_defaults(func=cmd_bundle_export)
    i = bus.add_parser("import", parents=[common], help="merge a bundle; conflicts are reported, never overwritten",
                       example="triage-app bundle import cases.tbundle")
    i.add_argument("file", metavar="FILE", help="the bundle file")
    i.add_argument("--json", action="store_true", help="print one JSON document")
    i.set_defaults(func=cmd_bundle_import)

    rt = sub.add_parser("retention", parents=[common], help="MoPI retention reviews (supervisor, admin)",
                        example="triage-app retention due")
    rts = rt.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    d = rts.add_parser("due", parents=[common], help="cases whose retention review is due",
                       example="triage-app retention due --as-of 2026-12-31")
    d.add_argument("--json", action="store_true", help="print one JSON document")
    d.add_argument("--as-of", metavar="DATE", help="list what is due on this date (YYYY-MM-DD; default today)")
    d.set_defaults(func=cmd_retention_due)
    dc = rts.add_parser("decide", parents=[common], help="record a retention decision",
                        example='triage-app retention decide CR/2012/104233 retain --reason "linked to an open review"')
    dc.add_argument("ref", metavar="REF", help="the case's crime reference")
    dc.add_argument("decision", metavar="retain|dispose", choices=("retain", "dispose"),
                    help="retain (next review in 10 years) or dispose (marks it for the records manager; "
                         "deletes nothing)")
    dc.add_argument("--reason", metavar="TEXT", required=True, help="why (kept with the decision)")
    dc.add_argument("--date", metavar="DATE", help="the date of the decision (default today)")
    dc.add_argument("--json", action="store_true", help="print one JSON document")
    dc.set_defaults(func=cmd_retention_decide)

    st = sub.add_parser("stats", parents=[common], help="the statistics return (counts only; 1-4 shown as <5)",
                        example=["triage-app stats", "triage-app stats --pdf return-2026-q4.pdf"])
    fmt = st.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print one JSON document")
    fmt.add_argument("--csv", action="store_true", help="print CSV (section, category, count)")
    fmt.add_argument("--pdf", metavar="FILE", help="write a one-page PDF of the return")
    st.set_defaults(func=cmd_stats)


# --- backup and restore ----------------------------------------------------------------------

def cmd_backup(ctx) -> int:
    from triage_app.ops.backup import make_backup
    if not ctx.args.out:
        raise BadInput("Say where to write the backup with --out FILE.")
    info = make_backup(ctx.open(), Path(ctx.args.out))
    ctx.say(f"Backup written to {info['file']}: {info['cases']} cases, audit head {info['audit_head']['seq']}, "
            f"{info['bytes']} bytes.")
    return 0


def cmd_backup_verify(ctx) -> int:
    from triage_app.ops.backup import verify_backup
    # Checked against the users inside the backup: the live vault may be the thing that was lost.
    report = verify_backup(Path(ctx.args.file), ctx.user, ctx.passphrase())
    if ctx.args.json:
        ctx.print_json(report)
    elif report["ok"]:
        ctx.say(f"The backup is sound: {report['cases']} cases, {report['audit_entries']} audit entries, "
                f"made {report['created_at'][:19]}Z; its audit log matches the head it recorded.")
    for p in report["problems"]:
        ctx.warn(f"The backup {Path(ctx.args.file).name} fails a check: {p}.")
    return 0 if report["ok"] else 1


def cmd_restore(ctx) -> int:
    from triage_app.ops.backup import restore_backup
    session = restore_backup(Path(ctx.args.file), ctx.vault_path, ctx.user, ctx.passphrase())
    try:
        verdict = session.verify_audit()
        ctx.say(f"Restored into {ctx.vault_path}; the audit log is intact ({verdict.entries} entries).")
    finally:
        session.close()
    return 0


# --- bundles ---------------------------------------------------------------------------------

def cmd_bundle_export(ctx) -> int:
    from triage_app.ops.bundle import export_bundle
    session = ctx.open()
    session.require("bundle")  # before asking for a passphrase the user can't use
    info = export_bundle(session, ctx.args.refs, Path(ctx.args.out), ctx.bundle_passphrase(confirm=True),
                         recipient=ctx.args.recipient, justification=ctx.args.justification)
    if ctx.args.json:
        ctx.print_json(info)
    else:
        ctx.say(f"Bundle of {info['cases']} cases written to {info['file']}; give its passphrase to the "
                "recipient by another route.")
    return 0


def cmd_bundle_import(ctx) -> int:
    from triage_app.ops.bundle import import_bundle
    session = ctx.open()
    session.require("bundle")
    result = import_bundle(session, Path(ctx.args.file), ctx.bundle_passphrase(confirm=False))
    if ctx.args.json:
        ctx.print_json(result)
    else:
        ctx.say(f"{result['cases_added']} cases added, {len(result['already_present'])} already here unchanged, "
                f"{len(result['conflicts'])} conflicts.")
        for c in result["conflicts"]:
            ctx.say(f"  conflict on {c['ref']}: {c['what']}; this vault's copy was kept.")
    if result["audit_entries_failing_hash"]:
        ctx.warn(f"{result['audit_entries_failing_hash']} audit entries in the bundle fail their hash check; "
                 "they were kept as received.")
    return 0


# --- retention -------------------------------------------------------------------------------

def cmd_retention_due(ctx) -> int:
    from triage_app.ops.retention import due
    rows = due(ctx.open(), ctx.args.as_of)
    if ctx.args.json:
        ctx.print_json(rows)
    else:
        if not rows:
            ctx.say("No retention reviews are due.")
        for r in rows:
            ctx.say(f"{r['ref']:<24} NFA {r['nfa_date'] or '?':<10}  review due {r['review_due'] or 'now (no NFA date)'}")
    return 0


def cmd_retention_decide(ctx) -> int:
    from triage_app.ops.retention import decide
    result = decide(ctx.open(), ctx.args.ref, ctx.args.decision, ctx.args.reason, ctx.args.date)
    if ctx.args.json:
        ctx.print_json(result)
    elif result["decision"] == "retain":
        ctx.say(f"Recorded: retain {result['ref']}; next review {result['next_review']}.")
    else:
        ctx.say(f"Recorded: {result['ref']} marked for disposal; nothing was deleted.")
    return 0


# --- statistics ------------------------------------------------------------------------------

def cmd_stats(ctx) -> int:
    from triage_app.ops.stats import statistics, to_csv
    session = ctx.open()
    if ctx.args.pdf:        # the file and its disclosure entry together
        from triage_app.ops.stats_pdf import export_pdf
        done = export_pdf(session, ctx.args.pdf)
        ctx.say(f"Statistics return written to {done['file']}.")
        return 0
    session.require("read")
    stats = statistics(session.conn)
    fmt = "csv" if ctx.args.csv else "json" if ctx.args.json else "text"
    session.record("read", "stats.return", kind="disclosure", detail={"format": fmt})
    if ctx.args.json:
        ctx.print_json(stats)
    elif ctx.args.csv:
        sys.stdout.write(to_csv(stats))
    else:
        from triage_app.ops.stats import rows
        for section, category, value in rows(stats):
            ctx.say(f"{section:<22} {category:<22} {value}")
    return 0
