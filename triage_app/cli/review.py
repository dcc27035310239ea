"""checklist show; review start|answer|inquiry|inquiry-status|contact|recommend|submit|decide
(docs/CLI.md), plus review show|inbox|suggestions|changes. Parse, call the workflow, print."""
from __future__ import annotations

from triage_app.cli import proposals as proposals_cli
from triage_app.errors import BadInput
from triage_app.review import checklist, workflow


def _lower(value: str) -> str:
    return value.strip().lower().replace("n/a", "na")


REF_HELP = "the case's crime reference"
JSON_HELP = "print one JSON document"


def register(sub, common) -> None:
    c = sub.add_parser("checklist", parents=[common], help="the review checklist",
                       example="triage-app checklist show")
    cs = c.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    show = cs.add_parser("show", parents=[common], help="list the current checklist's items",
                         example="triage-app checklist show --json")
    show.add_argument("--json", action="store_true", help=JSON_HELP)
    show.set_defaults(func=cmd_checklist_show)

    r = sub.add_parser("review", parents=[common], help="work on a case review",
                       example="triage-app review start CR/2012/104233")
    rs = r.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    p = rs.add_parser("start", parents=[common], help="start (or resume a returned) review; assigns you",
                      example="triage-app review start CR/2012/104233")
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.set_defaults(func=cmd_start)

    p = rs.add_parser("answer", parents=[common], help="answer a checklist item (or confirm its proposed answer)",
                      example=['triage-app review answer CR/2012/104233 exhibits_retained no --note "none listed"',
                               "triage-app review answer CR/2012/104233 abe_interview --accept-proposal"])
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("item_id", metavar="ITEM_ID", help="the item's id (triage-app checklist show)")
    p.add_argument("answer", metavar="yes|no|na", nargs="?", type=_lower, choices=checklist.ANSWERS,
                   help="the answer (n/a is taken as na); left out with --accept-proposal")
    p.add_argument("--note", metavar="TEXT", help="what the answer rests on")
    p.add_argument("--accept-proposal", action="store_true",
                   help="confirm the answer 'review proposals' proposes for this item (audited as proposed "
                        "and confirmed, apart from typed answers)")
    p.set_defaults(func=cmd_answer)

    proposals_cli.register(rs, common, REF_HELP, JSON_HELP)

    p = rs.add_parser("withdraw", parents=[common],
                      help="take back an answer, a line of inquiry, a contact or the recommendation (the desktop's undo)",
                      example=["triage-app review withdraw CR/2012/104233 exhibits_retained",
                               "triage-app review withdraw CR/2012/104233 --inquiry 2"])
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("item_id", metavar="ITEM_ID", nargs="?", help="the checklist item whose answer to withdraw")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--inquiry", metavar="N", type=int, help="withdraw line of inquiry number N instead")
    g.add_argument("--contact", metavar="ID", type=int, help="withdraw the contact record with this id instead")
    g.add_argument("--last-contact", action="store_true", help="withdraw the contact recorded last instead")
    g.add_argument("--recommendation", action="store_true", help="withdraw the recommendation and its rationale instead")
    p.set_defaults(func=cmd_withdraw)

    p = rs.add_parser("inquiry", parents=[common], help="raise a line of inquiry",
                      example=['triage-app review inquiry CR/2012/104233 --title "Re-examine the phones" '
                               '--category digital --priority high',
                               "triage-app review inquiry CR/2012/104233 --from-item exhibits_retained"])
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("--title", metavar="TEXT", help="what to do; required unless --from-item gives it")
    p.add_argument("--category", metavar="WORD",
                   help="e.g. forensic, digital, linking, witness, third-party, suspect, victim, safeguarding")
    p.add_argument("--priority", type=_lower, choices=("high", "medium", "low"), help="how soon")
    p.add_argument("--rationale", metavar="TEXT", help="why this line of inquiry")
    p.add_argument("--owner", metavar="TEXT", help="who should take it on")
    p.add_argument("--from-item", metavar="ITEM_ID", help="raise what this item's answer suggests")
    p.set_defaults(func=cmd_inquiry)

    p = rs.add_parser("inquiry-status", parents=[common], help="set a line of inquiry's status",
                      example="triage-app review inquiry-status CR/2012/104233 1 in-progress")
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("number", metavar="N", type=int, help="the line of inquiry's number in this review")
    p.add_argument("status", metavar="STATUS", type=_lower, choices=workflow.INQUIRY_STATUSES,
                   help="open, in-progress, done or dropped")
    p.set_defaults(func=cmd_inquiry_status)

    p = rs.add_parser("contact", parents=[common], help="record a contact with the victim",
                      example='triage-app review contact CR/2012/104233 --date 2026-03-02 --method "home visit" '
                              '--outcome "willing to talk again" --wishes "wants the case looked at" --support isva')
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("--date", required=True, help="YYYY-MM-DD or DD/MM/YYYY")
    p.add_argument("--method", required=True, metavar="TEXT", help="how: letter, phone, visit, through an ISVA …")
    p.add_argument("--outcome", required=True, metavar="TEXT", help="what came of it")
    p.add_argument("--wishes", metavar="TEXT", help="the victim's wishes about the case, in their words")
    p.add_argument("--support", action="append", type=_lower, choices=workflow.SUPPORT, default=[],
                   help="support offered: isva, ictg (repeat for both)")
    p.set_defaults(func=cmd_contact)

    p = rs.add_parser("recommend", parents=[common], help="recommend reopen, refer or confirm-nfa",
                      example='triage-app review recommend CR/2012/104233 refer --rationale "phones never examined"')
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("recommendation", metavar="reopen|refer|confirm-nfa", type=_lower,
                   choices=workflow.RECOMMENDATIONS,
                   help="reopen the investigation, refer to the CSE Taskforce, or confirm the NFA decision")
    p.add_argument("--rationale", required=True, metavar="TEXT", help="why (shown to the supervisor and in the pack)")
    p.set_defaults(func=cmd_recommend)

    p = rs.add_parser("submit", parents=[common], help="submit for a supervisor's decision",
                      example="triage-app review submit CR/2012/104233")
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.set_defaults(func=cmd_submit)

    p = rs.add_parser("decide", parents=[common], help="approve or return a submitted review (supervisor)",
                      example=["triage-app review decide CR/2012/104233 approve",
                               'triage-app review decide CR/2012/104233 return --comment "answer the digital items"'])
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("decision", metavar="approve|return", type=_lower, choices=workflow.DECISIONS,
                   help="approve (sign off) or return it to the author")
    p.add_argument("--comment", metavar="TEXT", help="what the author should change (a return needs one)")
    p.set_defaults(func=cmd_decide)

    p = rs.add_parser("show", parents=[common], help="show a case's latest review",
                      example="triage-app review show CR/2012/104233")
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_show)

    p = rs.add_parser("inbox", parents=[common], help="submitted reviews waiting for you to decide",
                      example="triage-app review inbox")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_inbox)

    p = rs.add_parser("suggestions", parents=[common], help="lines of inquiry the answers suggest",
                      example="triage-app review suggestions CR/2012/104233")
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_suggestions)

    p = rs.add_parser("changes", parents=[common], help="what changed since the review was returned",
                      example="triage-app review changes CR/2012/104233")
    p.add_argument("ref", metavar="REF", help=REF_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_changes)


# --- checklist ---------------------------------------------------------------------------------

def cmd_checklist_show(ctx) -> int:
    cl = checklist.current()   # data shipped with the program: no vault, nothing to audit
    rows = cl.as_rows()
    if ctx.args.json:
        ctx.print_json(rows)
        return 0
    ctx.say(f"{cl.title} ({cl.id} v{cl.version}); * = mandatory")
    section = None
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            ctx.say(f"\n{row['section_title']}")
        ctx.say(f"  {'*' if row['mandatory'] else ' '} {row['id']:<22} {row['text']}")
    return 0


# --- the reviewer -----------------------------------------------------------------------------

def cmd_start(ctx) -> int:
    got = workflow.start_review(ctx.open(), ctx.args.ref)
    ctx.say(f"Review version {got['version']} of case {ctx.args.ref} is in review and assigned to you.")
    return 0


def cmd_answer(ctx) -> int:
    a = ctx.args
    if a.accept_proposal:
        return proposals_cli.accept(ctx)
    if a.answer is None:
        raise BadInput("Give an answer (yes, no or na), or --accept-proposal to confirm the proposed one.")
    workflow.answer_item(ctx.open(), a.ref, a.item_id, a.answer, a.note)
    ctx.say(f"Answered {a.item_id}: {a.answer}.")
    return 0


def cmd_withdraw(ctx) -> int:
    from triage_app.review.withdraw import withdraw
    a = ctx.args
    chosen = [(what, key) for what, key, given in (
        ("answer", a.item_id, a.item_id is not None), ("inquiry", a.inquiry, a.inquiry is not None),
        ("contact", a.contact, a.contact is not None), ("contact", None, a.last_contact),
        ("recommendation", None, a.recommendation)) if given]
    if len(chosen) != 1:
        raise BadInput("Say what to withdraw: an ITEM_ID, or one of --inquiry N, --contact ID, --last-contact, "
                       "--recommendation.")
    what, key = chosen[0]
    withdraw(ctx.open(), a.ref, what, key)
    ctx.say(f"Withdrawn from the review of {a.ref}: the {what}" + (f" {key}." if key is not None else "."))
    return 0


def cmd_inquiry(ctx) -> int:
    a = ctx.args
    n = workflow.raise_inquiry(ctx.open(), a.ref, title=a.title, category=a.category, priority=a.priority,
                               rationale=a.rationale, owner=a.owner, from_item=a.from_item)
    ctx.say(f"Raised line of inquiry {n} on case {a.ref}.")
    return 0


def cmd_inquiry_status(ctx) -> int:
    a = ctx.args
    workflow.set_inquiry_status(ctx.open(), a.ref, a.number, a.status)
    ctx.say(f"Line of inquiry {a.number} is {a.status}.")
    return 0


def cmd_contact(ctx) -> int:
    a = ctx.args
    workflow.record_contact(ctx.open(), a.ref, contact_date=a.date, method=a.method, outcome=a.outcome,
                            wishes=a.wishes, support=a.support)
    ctx.say(f"Recorded a contact with the victim on case {a.ref}.")
    return 0


def cmd_recommend(ctx) -> int:
    a = ctx.args
    workflow.recommend(ctx.open(), a.ref, a.recommendation, a.rationale)
    ctx.say(f"Recommended {a.recommendation} on case {a.ref}.")
    return 0


def cmd_submit(ctx) -> int:
    workflow.submit(ctx.open(), ctx.args.ref)
    ctx.say(f"Submitted the review of case {ctx.args.ref} for a supervisor's decision.")
    return 0


def cmd_decide(ctx) -> int:
    a = ctx.args
    workflow.decide(ctx.open(), a.ref, a.decision, a.comment)
    ctx.say(f"{'Approved' if a.decision == 'approve' else 'Returned'} the review of case {a.ref}.")
    return 0


# --- reading -----------------------------------------------------------------------------------

def cmd_show(ctx) -> int:
    summary = workflow.open_review(ctx.open(), ctx.args.ref)
    if ctx.args.json:
        ctx.print_json(summary)
        return 0
    if summary is None:
        ctx.say(f"Case {ctx.args.ref}: review not started.")
        return 0
    ctx.say(f"Case {ctx.args.ref}: review version {summary['version']}, {summary['state'].replace('_', ' ')}, "
            f"by {summary['author']} (checklist {summary['checklist']['id']} v{summary['checklist']['version']}).")
    for ans in summary["answers"]:
        ctx.say(f"  {ans['item']:<22} {ans['answer']}")
    for q in summary["inquiries"]:
        ctx.say(f"  inquiry {q['number']}: [{q['priority']}] {q['category']} — {q['title']} ({q['status']})")
    ctx.say(f"  victim contact: {len(summary['contacts'])} recorded" if summary["contacts"]
            else "  victim contact: not yet contacted")
    ctx.say(f"  recommendation: {summary['recommendation'] or 'none yet'}")
    if summary["missing_for_submit"]:
        ctx.say(f"  still missing for submission: {', '.join(summary['missing_for_submit'])}")
    return 0


def _listing(ctx, rows: list, line, empty: str) -> int:
    """--json prints the rows; otherwise one line per row, or a sentence when there are none."""
    if ctx.args.json:
        ctx.print_json(rows)
    else:
        for r in rows:
            ctx.say(line(r))
        if not rows:
            ctx.say(empty)
    return 0


def cmd_inbox(ctx) -> int:
    s = ctx.open()
    s.require("decide")
    return _listing(ctx, workflow.inbox(s.conn, s.user),
                    lambda r: f"{r['ref']:<20} v{r['version']}  {r['author']:<14} {r['submitted_at'][:10]}"
                              f"{'  resubmitted' if r['resubmission'] else ''}",
                    "No reviews are waiting for your decision.")


def cmd_suggestions(ctx) -> int:
    summary = workflow.open_review(ctx.open(), ctx.args.ref, view="suggestions")
    rows = workflow.suggestions(ctx.session.conn, summary["review_id"]) if summary else []
    return _listing(ctx, rows, lambda r: f"{r['item']:<22} [{r['priority']}] {r['category']} — {r['title']}",
                    "No suggested lines of inquiry are waiting to be raised.")


def cmd_changes(ctx) -> int:
    summary = workflow.open_review(ctx.open(), ctx.args.ref, view="changes since return")
    rows = workflow.changes_since_return(ctx.session.conn, summary["review_id"]) if summary else []
    return _listing(ctx, rows, lambda r: f"{r['what']} {r['key'] or ''}: {r['before']} → {r['after']}",
                    "Nothing changed since a return (or the review was never returned).")
