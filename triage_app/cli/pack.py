"""`pack REF --out FILE.pdf` and `verify-pack FILE.pdf`."""
from __future__ import annotations

from triage_app.pack.identity import IDENTITY_LEVELS


def register(sub, common) -> None:
    p = sub.add_parser("pack", parents=[common], help="write the referral pack of an approved review",
                       example='triage-app pack CR/2012/104233 --out pack.pdf --recipient "CSE Taskforce" '
                               '--justification "referral"')
    p.add_argument("ref", metavar="REF", help="the case's crime reference")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
    p.add_argument("--victim-identity", choices=IDENTITY_LEVELS, default="initials",
                   help="initials (default: initials and age at the offence) or full (recorded in the audit)")
    p.add_argument("--recipient", metavar="TEXT", help="who receives the pack (recorded in the audit)")
    p.add_argument("--justification", metavar="TEXT", help="why it is disclosed (recorded in the audit)")
    p.add_argument("--append-attachment", metavar="ID", action="append", dest="append_attachments",
                   help="append this attachment (a PDF or image; repeat, or 'all') as pages after the schedule; "
                        "appended pages are reproduced as held, not minimised")
    p.add_argument("--json", action="store_true", help="print one JSON document (pack id, version, SHA-256)")
    p.set_defaults(func=make_pack)

    v = sub.add_parser("verify-pack", parents=[common], help="did this vault issue exactly this file?",
                       example="triage-app verify-pack pack.pdf")
    v.add_argument("file", metavar="FILE.pdf", help="the pack to check")
    v.add_argument("--json", action="store_true", help="print one JSON document")
    v.set_defaults(func=verify)


def make_pack(ctx) -> int:
    from triage_app.pack.issue import issue_pack
    a = ctx.args
    done = issue_pack(ctx.open(), a.ref, a.out, identity=a.victim_identity, recipient=a.recipient,
                      justification=a.justification, append_attachments=a.append_attachments)
    if a.json:
        ctx.print_json(done)
    else:
        ctx.say(f"Pack {done['pack_id']} (version {done['version']}) of case {a.ref} written to {done['path']}; "
                f"SHA-256 {done['sha256']}.")
    return 0


def verify(ctx) -> int:
    from triage_app.pack.verify import sentence, verify_pack
    v = verify_pack(ctx.open(), ctx.args.file)
    if ctx.args.json:
        ctx.print_json(v)
    elif v["ok"]:
        ctx.say(sentence(v))
    else:
        ctx.warn(sentence(v))
    return 0 if v["ok"] else 1
