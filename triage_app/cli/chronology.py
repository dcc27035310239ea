"""`chronology REF [--json | --csv --out FILE]` and `event add|proposals|confirm|dismiss`."""
from __future__ import annotations

from triage_app.errors import BadInput
from triage_app.pack.identity import IDENTITY_LEVELS


def register(sub, common) -> None:
    p = sub.add_parser("chronology", parents=[common],
                       help="the events of a case and its linked cluster in date order, or an i2 timeline CSV",
                       example=["triage-app chronology CR/2012/104233",
                                "triage-app chronology CR/2012/104233 --csv --out timeline.csv --lanes suspect"])
    p.add_argument("ref", metavar="REF", help="crime reference of the case")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="print one JSON document")
    g.add_argument("--csv", action="store_true", help="write a CSV for i2 Analyst's Notebook's timeline import "
                                                      "(with --out; an audited disclosure)")
    p.add_argument("--out", metavar="FILE", help="file to write the CSV to")
    p.add_argument("--lanes", choices=("case", "suspect"), default="case",
                   help="theme lines in the CSV: one per case (default) or one per suspect")
    p.add_argument("--min-probability", type=float, metavar="P",
                   help="bring in suggested links at or above this match probability (0 to 1; default from "
                        "resources/chronology/settings.toml); confirmed links always count")
    p.add_argument("--victim-identity", choices=IDENTITY_LEVELS, default="initials",
                   help="initials (default: initials and age at the offence) or full (recorded in the audit)")
    p.add_argument("--reason", metavar="TEXT", help="why the chronology is read or exported (recorded in the audit)")
    p.set_defaults(func=chronology)

    e = sub.add_parser("event", parents=[common], help="events a reviewer puts on a case's chronology",
                       example="triage-app event proposals CR/2012/104233")
    esub = e.add_subparsers(dest="event_command", metavar="ACTION", required=True)
    a = esub.add_parser("add", parents=[common], help="add an event by hand (audited)",
                        example='triage-app event add CR/2012/104233 --date 12/03/2011 --text "Reported missing from '
                                'the home" --source "Home log, entry 57"')
    a.add_argument("ref", metavar="REF", help="crime reference of the case")
    a.add_argument("--date", required=True, metavar="D", help="when it happened: YYYY-MM-DD or DD/MM/YYYY")
    a.add_argument("--text", required=True, metavar="T", help="what happened, one line")
    a.add_argument("--source", required=True, metavar="S",
                   help="where it is recorded (a document, a statement, a system and its reference)")
    a.set_defaults(func=add)
    pr = esub.add_parser("proposals", parents=[common], help="dates found in the case's free text, to confirm or dismiss",
                         example="triage-app event proposals CR/2012/104233 --json")
    pr.add_argument("ref", metavar="REF", help="crime reference of the case")
    pr.add_argument("--json", action="store_true", help="print one JSON document")
    pr.set_defaults(func=proposals)
    c = esub.add_parser("confirm", parents=[common], help="put a proposed date on the chronology (audited)",
                        example="triage-app event confirm CR/2012/104233 summary:118")
    c.add_argument("ref", metavar="REF", help="crime reference of the case")
    c.add_argument("proposal", metavar="PROPOSAL", help="the proposal's id from 'event proposals' (e.g. summary:118)")
    c.add_argument("--text", metavar="T", help="the event's wording, if not the proposed sentence")
    c.set_defaults(func=confirm)
    d = esub.add_parser("dismiss", parents=[common], help="turn a proposed date down so it is not offered again (audited)",
                        example="triage-app event dismiss CR/2012/104233 summary:118")
    d.add_argument("ref", metavar="REF", help="crime reference of the case")
    d.add_argument("proposal", metavar="PROPOSAL", help="the proposal's id from 'event proposals'")
    d.set_defaults(func=dismiss)


def _people(e) -> str:
    return "; ".join(f"{p.role}: {p.shown_as}" for p in e.people)


def chronology(ctx) -> int:
    from triage_app import chronology as chron
    a = ctx.args
    if a.csv and not a.out:
        raise BadInput("Give the file to write with --out FILE.")
    if a.out and not a.csv:
        raise BadInput("--out goes with --csv (the i2 timeline file); add --csv or leave --out out.")
    s = ctx.open()
    if a.csv:
        c, rows = chron.export_csv(s, a.ref, a.out, a.lanes, a.min_probability, a.victim_identity, a.reason)
        ctx.say(f"{len(c.events)} events of {len(c.members)} cases written to {a.out} ({rows} rows, one per "
                f"{a.lanes} theme line).")
        return 0
    c = chron.view(s, a.ref, a.min_probability, a.victim_identity, a.reason)
    if a.json:
        ctx.print_json(c.public())
        return 0
    probability = {m.ref: m.probability for m in c.members}
    for e in c.events:
        link = f"  [{e.link} link, p={probability[e.case]:.2f}]" if e.link else ""
        ctx.say(f"{e.date}  {e.case}  {chron.KIND_WORDS.get(e.kind, e.kind)}: {e.text}{link}")
        ctx.say(f"            source: {e.source}" + (f"; people: {_people(e)}" if e.people else ""))
    for b in c.bursts:
        ctx.say(f"Burst: offences on {len(b.cases)} cases at {b.place} between {b.start} and {b.end}.")
    for g in c.gaps:
        ctx.say(f"Gap: nothing recorded between {g.start} and {g.end} ({g.days} days).")
    ctx.say(f"{len(c.events)} events across {len(c.members)} cases (suggested links from p={c.min_probability:g}).")
    return 0


def add(ctx) -> int:
    from triage_app.chronology import add_event
    a = ctx.args
    done = add_event(ctx.open(), a.ref, a.date, a.text, a.source)
    ctx.say(f"Event {done['id']} of {done['date']} added to the chronology of case {a.ref}.")
    return 0


def proposals(ctx) -> int:
    from triage_app.chronology import proposals as found
    items = found(ctx.open(), ctx.args.ref)
    if ctx.args.json:
        ctx.print_json({"proposals": items})
        return 0
    for p in items:
        ctx.say(f"{p['id']:<20} {p['date']}  {p['text']}")
    ctx.say(f"{len(items)} dates in the text of case {ctx.args.ref} wait to be confirmed or dismissed.")
    return 0


def confirm(ctx) -> int:
    from triage_app.chronology import confirm as put
    a = ctx.args
    done = put(ctx.open(), a.ref, a.proposal, a.text)
    ctx.say(f"The date {done['date']} is on the chronology of case {a.ref} (event {done['id']}).")
    return 0


def dismiss(ctx) -> int:
    from triage_app.chronology import dismiss as drop
    a = ctx.args
    done = drop(ctx.open(), a.ref, a.proposal)
    ctx.say(f"The date {done['date']} in case {a.ref} was dismissed and will not be proposed again.")
    return 0
