"""attach add|list|export|remove, intel add|list|sanitise: material on a case."""
from __future__ import annotations

from pathlib import Path


def register(sub, common) -> None:
    a = sub.add_parser("attach", parents=[common], help="encrypted attachments on a case (PDFs, images, text, Office)",
                       example=['triage-app attach add CR/2012/104233 statement.pdf --description "ABE transcript"',
                                "triage-app attach list CR/2012/104233"])
    acts = a.add_subparsers(dest="attach_command", metavar="ACTION", required=True)
    add = acts.add_parser("add", parents=[common], help="attach a file to a case (stored encrypted in the vault)",
                          example='triage-app attach add CR/2012/104233 nfa-letter.pdf --description "NFA letter, 2012"')
    add.add_argument("ref", metavar="REF", help="the case's crime reference")
    add.add_argument("file", metavar="FILE", help="the file to attach (PDF, image, text or Office document)")
    add.add_argument("--description", metavar="D", required=True, help="what the file is (shown in the pack schedule)")
    add.add_argument("--name", metavar="NAME", help="keep it under this name instead of the file's own (e.g. "
                                                    "a name without a victim's name in it)")
    add.add_argument("--json", action="store_true", help="print the new attachment as JSON")
    add.set_defaults(func=cmd_add)

    ls = acts.add_parser("list", parents=[common], help="the attachments on a case (a consultation)",
                         example="triage-app attach list CR/2012/104233 --json")
    ls.add_argument("ref", metavar="REF", help="the case's crime reference")
    ls.add_argument("--json", action="store_true", help="print a JSON list")
    ls.set_defaults(func=cmd_list)

    ex = acts.add_parser("export", parents=[common], help="write an attachment out, hash-checked (a disclosure)",
                         example='triage-app attach export CR/2012/104233 3 --out referral.docx --reason "CPS advice file"')
    ex.add_argument("ref", metavar="REF", help="the case's crime reference")
    ex.add_argument("id", metavar="ID", help="the attachment's number (attach list)")
    ex.add_argument("--out", metavar="FILE", required=True, help="the file to write (must not exist yet)")
    ex.add_argument("--reason", metavar="R", required=True, help="why it leaves the vault (kept in the audit log)")
    ex.add_argument("--json", action="store_true", help="print the result as JSON")
    ex.set_defaults(func=cmd_export)

    rm = acts.add_parser("remove", parents=[common], help="erase an attachment (its hash is kept)",
                         example='triage-app attach remove CR/2012/104233 3 --reason "attached to the wrong case"')
    rm.add_argument("ref", metavar="REF", help="the case's crime reference")
    rm.add_argument("id", metavar="ID", help="the attachment's number (attach list)")
    rm.add_argument("--reason", metavar="R", required=True, help="why it is erased (kept in the audit log)")
    rm.add_argument("--json", action="store_true", help="print the result as JSON")
    rm.set_defaults(func=cmd_remove)

    i = sub.add_parser("intel", parents=[common], help="intelligence on a case or a nominal, graded 3x5x2",
                       example=['triage-app intel add CR/2012/104233 --text "Seen with two girls" --source "IR 2011/0093" '
                                '--grade 1B-P', "triage-app intel list CR/2012/104233"])
    iacts = i.add_subparsers(dest="intel_command", metavar="ACTION", required=True)
    ia = iacts.add_parser("add", parents=[common], help="record a graded intelligence item",
                          example='triage-app intel add CR/2012/104233 --text "Uses a second phone" --source '
                                  '"IR 2011/0107" --grade 2A-C --conditions "Police only" --nominal 412')
    ia.add_argument("ref", metavar="REF", help="the case's crime reference")
    ia.add_argument("--text", metavar="T", required=True, help="the intelligence as reported")
    ia.add_argument("--source", metavar="S", required=True, help="where it came from (e.g. an intelligence report number)")
    ia.add_argument("--grade", metavar="1A-P", required=True,
                    help="source 1-3, intelligence A-E, handling P or C, e.g. 2B-C")
    ia.add_argument("--conditions", metavar="C", help="handling conditions (required with handling code C)")
    ia.add_argument("--nominal", metavar="ID", help="the nominal it is about: records-system id or the id in "
                                                   "'case show --json'")
    ia.add_argument("--date", metavar="D", help="the date of the intelligence (YYYY-MM-DD or DD/MM/YYYY; default today)")
    ia.add_argument("--json", action="store_true", help="print the new item as JSON")
    ia.set_defaults(func=cmd_intel_add)

    il = iacts.add_parser("list", parents=[common], help="the intelligence on a case, with its grading",
                          example="triage-app intel list CR/2012/104233 --json")
    il.add_argument("ref", metavar="REF", help="the case's crime reference")
    il.add_argument("--json", action="store_true", help="print a JSON list")
    il.set_defaults(func=cmd_intel_list)

    isz = iacts.add_parser("sanitise", parents=[common],
                           help="record the decision that a C-coded item may go into a pack, and its wording",
                           example='triage-app intel sanitise CR/2012/104233 2 --reason "Originator agreed" --text '
                                   '"A relative is believed to use a flat nearby"')
    isz.add_argument("ref", metavar="REF", help="the case's crime reference")
    isz.add_argument("id", metavar="ID", help="the item's number (intel list)")
    isz.add_argument("--reason", metavar="R", required=True, help="the basis of the decision (kept in the audit log)")
    isz.add_argument("--text", metavar="T", help="the sanitised wording the pack carries (default: the item's text)")
    isz.add_argument("--json", action="store_true", help="print the item as JSON")
    isz.set_defaults(func=cmd_intel_sanitise)


def cmd_add(ctx) -> int:
    from triage_app.material import attachments
    a = ctx.args
    row = attachments.add(ctx.open(), a.ref, Path(a.file), a.description, name=a.name)
    if a.json:
        ctx.print_json(row)
    else:
        ctx.say(f"Attachment {row['id']} added to case {a.ref}: {row['kind']}, {row['size']} bytes, "
                f"SHA-256 {row['sha256']}.")
    return 0


def cmd_list(ctx) -> int:
    from triage_app.material import attachments
    from triage_app.material.intake import human_size
    rows = attachments.listing(ctx.open(), ctx.args.ref)
    if ctx.args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        ctx.say(f"Case {ctx.args.ref} has no attachments.")
    for r in rows:
        ctx.say(f"{r['id']:>4}  {r['name']}  ({r['kind']}, {human_size(r['size'])})  added {r['added_at'][:10]} by "
                f"{r['added_by']}\n      {r['description']}\n      SHA-256 {r['sha256']}")
    return 0


def cmd_export(ctx) -> int:
    from triage_app.material import attachments
    a = ctx.args
    done = attachments.export(ctx.open(), a.ref, a.id, Path(a.out), a.reason)
    if a.json:
        ctx.print_json(done)
    else:
        ctx.say(f"Attachment {done['id']} written to {done['file']}; its SHA-256 {done['sha256']} was checked.")
    return 0


def cmd_remove(ctx) -> int:
    from triage_app.material import attachments
    a = ctx.args
    done = attachments.remove(ctx.open(), a.ref, a.id, a.reason)
    if a.json:
        ctx.print_json(done)
    else:
        ctx.say(f"Attachment {done['id']} of case {a.ref} erased; its SHA-256 {done['sha256']} is kept in the audit log.")
    return 0


def cmd_intel_add(ctx) -> int:
    from triage_app.material import intel
    a = ctx.args
    item = intel.add(ctx.open(), a.ref, text=a.text, source=a.source, grade=a.grade, conditions=a.conditions,
                     nominal=a.nominal, item_date=a.date)
    if a.json:
        ctx.print_json(item)
    else:
        ctx.say(f"Intelligence item {item['id']} added to case {a.ref}, graded {item['grade']}.")
    return 0


def cmd_intel_list(ctx) -> int:
    from triage_app.material import intel
    items = intel.listing(ctx.open(), ctx.args.ref)
    if ctx.args.json:
        ctx.print_json(items)
        return 0
    if not items:
        ctx.say(f"Case {ctx.args.ref} has no intelligence items.")
    for it in items:
        about = f" about {it['nominal']['role']} {it['nominal']['name']}" if it["nominal"] else ""
        pack = "" if it["handling"] == "P" else ("  [sanitised for a pack]" if it["sanitisation"] else "  [kept out of packs]")
        ctx.say(f"{it['id']:>4}  {it['date']}  {it['grade_words']}{about}{pack}\n      source: {it['source']}\n"
                f"      {it['text']}")
    return 0


def cmd_intel_sanitise(ctx) -> int:
    from triage_app.material import intel
    a = ctx.args
    item = intel.sanitise(ctx.open(), a.ref, a.id, reason=a.reason, text=a.text)
    if a.json:
        ctx.print_json(item)
    else:
        ctx.say(f"Sanitisation decision recorded: intelligence item {item['id']} may now go into a pack of case {a.ref}.")
    return 0
