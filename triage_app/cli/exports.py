"""`dashboard [--json | --csv --out FILE]` and `chart REF --out FILE.graphml`: the desktop's
dashboard and link-chart exports as commands. Each export writes its file and its disclosure entry
together (`triage_app.disclosure`)."""
from __future__ import annotations

from triage_app.errors import BadInput
from triage_app.pack.identity import IDENTITY_LEVELS

IDENTITY_HELP = ("initials (default: victims by initials, their phones, addresses, dates of birth and vehicles "
                 "withheld) or full (needs --justification; recorded in the audit log)")


def register(sub, common) -> None:
    p = sub.add_parser("dashboard", parents=[common], help="where the team's work stands, or export it as CSV",
                       example=["triage-app dashboard", "triage-app dashboard --csv --out dashboard.csv"])
    g = p.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="print one JSON document")
    g.add_argument("--csv", action="store_true", help="write the counts as CSV to --out (an audited disclosure)")
    p.add_argument("--out", metavar="FILE", help="the CSV file to write (with --csv)")
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser("chart", parents=[common], help="export the link chart of a case's cluster as GraphML",
                       example=["triage-app chart CR/2012/104233 --out chart.graphml",
                                'triage-app chart CR/2012/104233 --out chart.graphml --victim-identity full '
                                '--justification "Taskforce analyst, Op Example"'])
    p.add_argument("ref", metavar="REF", help="the case whose cluster to export")
    p.add_argument("--out", required=True, metavar="FILE.graphml", help="the GraphML file to write (an audited disclosure)")
    p.add_argument("--victim-identity", choices=IDENTITY_LEVELS, default="initials", help=IDENTITY_HELP)
    p.add_argument("--justification", metavar="TEXT", help="why this export is made (needed for full identity)")
    p.set_defaults(func=cmd_chart)


def cmd_dashboard(ctx) -> int:
    from triage_app import dashboard
    a = ctx.args
    if bool(a.csv) != bool(a.out):
        raise BadInput("An export of the dashboard needs both --csv and --out FILE.")
    s = ctx.open()
    if a.csv:
        done = dashboard.export_csv(s, a.out)
        ctx.say(f"Dashboard written to {done['file']}.")
        return 0
    data = dashboard.counts(s)
    s.record("read", "dashboard.view", detail={"format": "json" if a.json else "text"})
    if a.json:
        ctx.print_json({section: [{"category": c, "count": n} for c, n in rows] for section, rows in data.items()})
        return 0
    for section, rows in data.items():
        ctx.say(section)
        for category, n in rows:
            ctx.say(f"    {category:<34} {n:>6}")
    return 0


def cmd_chart(ctx) -> int:
    from triage_app.link_exports import check_choice, export_graphml
    a = ctx.args
    check_choice(a.victim_identity, a.justification)     # before the vault is opened
    done = export_graphml(ctx.open(), a.ref, a.out, a.victim_identity, a.justification)
    ctx.say(f"The link chart of {a.ref} written to {done['file']} (victims: {a.victim_identity}).")
    return 0
