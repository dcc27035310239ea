"""Commands of triage and linking: `cases`, `links`, `link confirm|reject`."""
from __future__ import annotations

from triage_app.errors import BadInput


def register(sub, common) -> None:
    p = sub.add_parser("cases", parents=[common], help="the triage queue, highest priority first",
                       example=["triage-app cases --limit 20", "triage-app cases --status submitted --json"])
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--status", metavar="STATE",
                   help="only cases in this review state: not_started, in_review, submitted, returned, approved")
    p.add_argument("--limit", type=int, metavar="N", help="at most N cases")
    p.set_defaults(func=cases)

    p = sub.add_parser("links", parents=[common], help="case-to-case links, or export them",
                       example=["triage-app links", "triage-app links --format graphml --out links.graphml"])
    g = p.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="print one JSON document")
    g.add_argument("--format", choices=("csv", "graphml"), help="export format (with --out)")
    p.add_argument("--out", metavar="FILE", help="file to export to (with --format; an audited disclosure)")
    p.add_argument("--victim-identity", choices=("initials", "full"), default="initials",
                   help="initials (default: victims' phones, addresses, dates of birth and vehicles "
                        "withheld from the basis, on screen and in an export) or full (needs --justification; "
                        "recorded in the audit log)")
    p.add_argument("--justification", metavar="TEXT", help="why full identity is needed (kept in the audit log)")
    p.set_defaults(func=links)

    p = sub.add_parser("link", parents=[common], help="judge a suggested link",
                       example='triage-app link confirm CR/2012/104233 OC/2011/772476 --reason "same nickname and car"')
    p.add_argument("verb", metavar="confirm|reject", choices=("confirm", "reject"),
                   help="confirm: the same people; reject: not the same")
    p.add_argument("ref_a", metavar="REF_A", help="one case's crime reference")
    p.add_argument("ref_b", metavar="REF_B", help="the other case's crime reference")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the audit log)")
    p.set_defaults(func=judge)


def cases(ctx) -> int:
    from triage_app.triage.queue import queue
    s = ctx.open()
    s.require("read")
    rows = queue(s.conn, ctx.args.status, ctx.args.limit)
    s.record("read", "queue.view", detail={"cases": len(rows), "status": ctx.args.status})
    if ctx.args.json:
        ctx.print_json([{k: r[k] for k in ("ref", "priority", "status", "reasons", "factors", "eligibility")}
                        for r in rows])
        return 0
    for r in rows:
        e = r["eligibility"]
        flags = " ".join(f"{name}:{'yes' if v else 'no' if v is False else '?'}"
                         for name, v in (("Beaconport", e["beaconport"]), ("CSARP", e["csarp"])))
        ctx.say(f"{r['priority']:>4}  {r['ref']}  {r['status']}  {flags}")
        for reason in r["reasons"]:
            ctx.say(f"        {reason}")
    return 0


def links(ctx) -> int:
    from triage_app.linking import graph
    a = ctx.args
    if a.format and not a.out:
        raise BadInput("Give the file to export to with --out FILE.")
    if a.out and not a.format:
        raise BadInput("Say which export format with --format csv or --format graphml.")
    if a.format:
        from triage_app.link_exports import check_choice, export_links
        check_choice(a.victim_identity, a.justification)      # before the vault is opened
        done = export_links(ctx.open(), a.format, a.out, a.victim_identity, a.justification)
        ctx.say(f"{done['detail']['pairs']} links written to {done['file']} (victims: {a.victim_identity}).")
        return 0
    from triage_app.link_exports import check_choice
    justification = check_choice(a.victim_identity, a.justification)
    s = ctx.open()
    s.require("read")
    pairs = graph.all_pairs(s.conn)
    cl = graph.clusters(s.conn, pairs)
    if a.victim_identity == "initials":
        # On screen as in an export: the linker's sentences carry victims' phones, addresses and
        # dates of birth, so the basis is made from the structured evidence (pack.links_section).
        from triage_app.pack.identity import VictimIdentity
        from triage_app.pack.links_section import minimised_pairs
        victims = VictimIdentity.from_vault(s.conn, {i for p in pairs for i in p["_ids"]})
        pairs = minimised_pairs(s.conn, pairs, "initials", victims)
    detail = {"pairs": len(pairs), "clusters": len(cl), "identity": a.victim_identity}
    if justification:
        detail["justification"] = justification
    s.record("read", "links.view", detail=detail)
    if a.json:
        ctx.print_json({"pairs": graph.public(pairs), "clusters": cl})
        return 0
    for p in pairs:
        mark = f" [{p['judgement']}]" if p["judgement"] else ""
        ctx.say(f"{p['a']} — {p['b']}  {p['strength']}{mark}")
        for b in p["basis"]:
            ctx.say(f"    {b}")
    ctx.say(f"{len(pairs)} links, {len(cl)} clusters.")
    return 0


def judge(ctx) -> int:
    from triage_app.linking.judgements import judge as record_judgement
    a = ctx.args
    s = ctx.open()
    judgement = record_judgement(s, a.ref_a, a.ref_b, a.verb, a.reason)
    ctx.say(f"The link between {a.ref_a} and {a.ref_b} is {judgement}.")
    return 0
