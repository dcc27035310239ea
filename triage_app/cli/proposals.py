"""review proposals REF [--json]; review answer REF ITEM --accept-proposal (design.md §3).
Registered by cli/review.py under `review`; parse, call review.proposals.service, print."""
from __future__ import annotations

from triage_app.errors import BadInput
from triage_app.review import checklist
from triage_app.review.proposals import service

ANSWER_WORDS = {"yes": "yes", "no": "no", "na": "n/a"}


def register(rs, common, ref_help: str, json_help: str) -> None:
    p = rs.add_parser("proposals", parents=[common],
                      help="proposed answers for a case's checklist, each with its evidence and rule",
                      example=["triage-app review proposals CR/2012/104233",
                               "triage-app review proposals CR/2012/104233 --json"])
    p.add_argument("ref", metavar="REF", help=ref_help)
    p.add_argument("--json", action="store_true", help=json_help)
    p.set_defaults(func=cmd_proposals)


def _marked(evidence: dict) -> str:
    """The evidence sentence with its deciding words between » «, for a terminal."""
    t, (a, b) = evidence["text"], evidence["highlight"]
    return f"{t[:a]}»{t[a:b]}«{t[b:]}"


def cmd_proposals(ctx) -> int:
    out = service.proposals_for(ctx.open(), ctx.args.ref)
    if ctx.args.json:
        ctx.print_json(out)
        return 0
    if out["rules"] is None:
        ctx.say(f"No proposal rules exist for checklist {out['checklist']} v{out['checklist_version']}.")
        return 0
    cl = checklist.load(out["checklist"], out["checklist_version"])
    ctx.say(f"Proposed answers for case {ctx.args.ref} (rules {out['rules']} v{out['rules_version']}, checklist "
            f"{cl.id} v{cl.version}). Proposals are not answers: confirm each with "
            f"'review answer {ctx.args.ref} ITEM --accept-proposal'.")
    by_item = {p["item"]: p for p in out["proposals"]}
    for it in cl.items:
        p = by_item.get(it.id)
        if p is None:
            continue
        ctx.say(f"\n  {it.id:<22} proposed: {ANSWER_WORDS[p['answer']]}   (rule {p['rule']})")
        for e in p["evidence"]:
            ctx.say(f"      {e['source']}: {_marked(e)}")
    if out["no_evidence"]:
        ctx.say(f"\n  No evidence in the record for: {', '.join(out['no_evidence'])}")
    return 0


def accept(ctx) -> int:
    a = ctx.args
    if a.answer is not None or a.note:
        raise BadInput("--accept-proposal takes no answer or note of its own: it confirms the proposed answer.")
    got = service.accept(ctx.open(), a.ref, a.item_id)
    ctx.say(f"Answered {a.item_id}: {got['answer']} (proposed by rule {got['rule']}, confirmed by you).")
    return 0
