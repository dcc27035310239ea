"""checklist show; review start|answer|inquiry|inquiry-status|contact|recommend|submit|decide
(design.md §3), plus review show|inbox|suggestions|changes. Parse, call the workflow, print."""
from __future__ import annotations

from triage_app.review import checklist, workflow


def _lower(value: str) -> str:
    return value.strip().lower().replace("n/a", "na")


def register(sub, common) -> None:
    c = sub.add_parser("checklist", parents=[common], help="the review checklist")
    cs = c.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    show = cs.add_parser("show", parents=[common], help="list the current checklist's items")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_checklist_show)

    r = sub.add_parser("review", parents=[common], help="work on a case review")
    rs = r.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    p = rs.add_parser("start", parents=[common], help="start (or resume a returned) review; assigns you")
    p.add_argument("ref")
    p.set_defaults(func=cmd_start)

    p = rs.add_parser("answer", parents=[common], help="answer a checklist item")
    p.add_argument("ref")
    p.add_argument("item_id")
    p.add_argument("answer", type=_lower, choices=checklist.ANSWERS)
    p.add_argument("--note")
    p.set_defaults(func=cmd_answer)

    p = rs.add_parser("inquiry", parents=[common], help="raise a line of inquiry")
    p.add_argument("ref")
    p.add_argument("--title", help="required unless --from-item gives it")
    p.add_argument("--category")
    p.add_argument("--priority", type=_lower, choices=("high", "medium", "low"))
    p.add_argument("--rationale")
    p.add_argument("--owner")
    p.add_argument("--from-item", metavar="ITEM_ID", help="raise what this item's answer suggests")
    p.set_defaults(func=cmd_inquiry)

    p = rs.add_parser("inquiry-status", parents=[common], help="set a line of inquiry's status")
    p.add_argument("ref")
    p.add_argument("number", type=int)
    p.add_argument("status", type=_lower, choices=workflow.INQUIRY_STATUSES)
    p.set_defaults(func=cmd_inquiry_status)

    p = rs.add_parser("contact", parents=[common], help="record a contact with the victim")
    p.add_argument("ref")
    p.add_argument("--date", required=True, help="YYYY-MM-DD or DD/MM/YYYY")
    p.add_argument("--method", required=True)
    p.add_argument("--outcome", required=True)
    p.add_argument("--wishes")
    p.add_argument("--support", action="append", type=_lower, choices=workflow.SUPPORT, default=[],
                   help="support offered: isva, ictg (repeat for both)")
    p.set_defaults(func=cmd_contact)

    p = rs.add_parser("recommend", parents=[common], help="recommend reopen, refer or confirm-nfa")
    p.add_argument("ref")
    p.add_argument("recommendation", type=_lower, choices=workflow.RECOMMENDATIONS)
    p.add_argument("--rationale", required=True)
    p.set_defaults(func=cmd_recommend)

    p = rs.add_parser("submit", parents=[common], help="submit for a supervisor's decision")
    p.add_argument("ref")
    p.set_defaults(func=cmd_submit)

    p = rs.add_parser("decide", parents=[common], help="approve or return a submitted review (supervisor)")
    p.add_argument("ref")
    p.add_argument("decision", type=_lower, choices=workflow.DECISIONS)
    p.add_argument("--comment")
    p.set_defaults(func=cmd_decide)

    p = rs.add_parser("show", parents=[common], help="show a case's latest review")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = rs.add_parser("inbox", parents=[common], help="submitted reviews waiting for you to decide")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_inbox)

    p = rs.add_parser("suggestions", parents=[common], help="lines of inquiry the answers suggest")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_suggestions)

    p = rs.add_parser("changes", parents=[common], help="what changed since the review was returned")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
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
    workflow.answer_item(ctx.open(), a.ref, a.item_id, a.answer, a.note)
    ctx.say(f"Answered {a.item_id}: {a.answer}.")
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
