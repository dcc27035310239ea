"""Random sequences of review actions by random users never reach an invalid state or make an
unaudited change: each step is checked against the rules of design.md §4 and against a small
model of who should have succeeded."""
import itertools
import json

from hypothesis import HealthCheck, event, given, settings, strategies as st

from triage_app import audit
from triage_app.errors import TriageError
from triage_app.review import checklist, workflow as w
from triage_app.review.summary import content

from .conftest import ROLES_BY_NAME, add_case

MANDATORY = checklist.current().mandatory_ids
ITEMS = MANDATORY[:3] + ["flight_risk", "exhibits_retained", "no_such_item"]
USERS = list(ROLES_BY_NAME)
_refs = itertools.count(1)

ARGS = {
    "start": st.tuples(),
    "answer": st.tuples(st.sampled_from(ITEMS), st.sampled_from(["yes", "no", "na"])),
    "fill": st.tuples(),
    "inquiry": st.tuples(st.sampled_from([None, "exhibits_retained"]), st.sampled_from(["", "Trace the car"])),
    "status": st.tuples(st.integers(1, 3), st.sampled_from(["open", "done", "dropped"])),
    "contact": st.tuples(st.sampled_from(["2025-01-02", "2999-01-01"])),
    "recommend": st.tuples(st.sampled_from(["reopen", "refer", "confirm-nfa"]), st.sampled_from(["", "Why.", "Why."])),
    "submit": st.tuples(),
    "decide": st.tuples(st.sampled_from(["approve", "return"]), st.sampled_from([None, "", "Fix it.", "Fix it."])),
}
# Weighted so runs get past submission and decisions often: most steps by one reviewer, decisions
# mostly attempted by the supervisors, but every user tries every action.
KINDS = ["start", "answer", "fill", "inquiry", "status", "contact", "recommend", "submit", "submit",
         "decide", "decide", "decide"]
people = st.sampled_from(["rita", "rita", "rita", "rob", "sam", "sue", "ada"])
deciders = st.sampled_from(["sam", "sam", "sue", "sue", "rita", "rob", "ada"])
step = st.sampled_from(KINDS).flatmap(
    lambda kind: st.tuples(deciders if kind == "decide" else people, ARGS[kind].map(lambda a: (kind, *a))))
steps = st.lists(step, min_size=4, max_size=25)
# Hypothesis favours short, simple scripts, so each run may begin from a state deep in the
# workflow (nothing, submitted, returned, approved) and explore onwards from there at random.
def submitted_by(author):
    return [(author, ("start",)), (author, ("fill",)), (author, ("recommend", "refer", "Why.")),
            (author, ("submit",))]


# A supervisor's own review is among them, so "never one's own sign-off" is really exercised.
PREFIXES = [[], submitted_by("rita"), submitted_by("sue"),
            submitted_by("rita") + [("sam", ("decide", "return", "Fix it."))],
            submitted_by("sue") + [("sam", ("decide", "return", "Fix it."))],
            submitted_by("rita") + [("sue", ("decide", "approve", None))]]


def run(session, ref, action) -> int:
    """Do one action; the number of service calls that succeeded (each must be one audit entry)."""
    kind, *args = action
    if kind == "fill":                       # lets random runs reach submission often enough
        done = 0
        for item in MANDATORY:
            done += run(session, ref, ("answer", item, "no" if checklist.current().item(item).yes_needs else "yes"))
        return done
    call = {
        "start": lambda: w.start_review(session, ref),
        "answer": lambda: w.answer_item(session, ref, args[0], args[1]),
        "inquiry": lambda: w.raise_inquiry(session, ref, title=args[1], category="digital", priority="low",
                                           from_item=args[0]),
        "status": lambda: w.set_inquiry_status(session, ref, args[0], args[1]),
        "contact": lambda: w.record_contact(session, ref, contact_date=args[0], method="phone", outcome="Spoke"),
        "recommend": lambda: w.recommend(session, ref, args[0], args[1]),
        "submit": lambda: w.submit(session, ref),
        "decide": lambda: w.decide(session, ref, args[0], args[1]),
    }[kind]
    try:
        call()
        return 1
    except TriageError:
        return 0


def expected(conn, case_id, user, action) -> bool | None:
    """Whether the rules say this action must succeed (None: depends on details not modelled)."""
    kind, *args = action
    r = w.latest_review(conn, case_id)
    role = ROLES_BY_NAME[user]
    may_review = role in ("reviewer", "supervisor")
    if kind == "start":
        return may_review and (r is None or r["state"] == "approved"
                               or (r["state"] == "returned" and r["author"] == user))
    if kind == "submit":
        return (may_review and r is not None and r["author"] == user and r["state"] in ("in_review", "returned")
                and not w.missing_for_submit(conn, r["id"]))
    if kind == "decide":
        return (role == "supervisor" and r is not None and r["state"] == "submitted" and r["author"] != user
                and (args[0] == "approve" or bool(args[1])))
    if kind == "answer" and args[0] != "no_such_item":
        if args[1] == "yes" and checklist.current().item(args[0]).yes_needs:
            return None     # depends on the contact record (tests/review/test_review_consistency.py)
        return may_review and r is not None and r["author"] == user and r["state"] in ("in_review", "returned")
    return None


def check_invariants(conn, case_id, ref, frozen: dict) -> None:
    case = conn.execute("SELECT status, assigned_to FROM cases WHERE id = ?", (case_id,)).fetchone()
    reviews = conn.execute("SELECT id, version, state, author FROM reviews WHERE case_id = ? ORDER BY version",
                           (case_id,)).fetchall()
    if not reviews:
        assert tuple(case) == ("not_started", None)
        return
    assert [r[1] for r in reviews] == list(range(1, len(reviews) + 1))
    assert all(r[2] == "approved" for r in reviews[:-1])          # only the latest is live
    assert tuple(case) == (reviews[-1][2], reviews[-1][3])
    for rid, _, state, author in reviews:
        decisions = conn.execute("SELECT decision, by_user, by_role, comment, snapshot FROM review_decisions "
                                 "WHERE review_id = ? ORDER BY id", (rid,)).fetchall()
        for d in decisions:
            assert d[1] != author and d[2] == "supervisor"          # four eyes
            assert d[0] == "approve" or (d[3] or "").strip()        # a return has its comment
        if state in ("submitted", "approved"):
            assert w.missing_for_submit(conn, rid) == []
        if state == "approved":
            assert decisions[-1][0] == "approve"
            assert content(conn, rid) == json.loads(decisions[-1][4])   # nothing edited since approval
        if state == "returned":
            assert decisions[-1][0] == "return"
        if state == "submitted":
            assert content(conn, rid) == frozen[rid]                # nothing edited since submission


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PREFIXES), steps)
def test_random_actions_keep_the_rules_and_the_audit(sessions, prefix, script):
    script = prefix + script
    sam = sessions["sam"]
    ref = f"CR/2013/{next(_refs):06d}"
    case_id = add_case(sam, ref)
    conn = sam.conn
    successes = 0
    frozen: dict = {}
    reached: set = set()
    for user, action in script:
        should = expected(conn, case_id, user, action)
        done = run(sessions[user], ref, action)
        if should is not None:
            assert bool(done) == should, (user, action)
        successes += done
        latest = w.latest_review(conn, case_id)
        reached.add(latest["state"] if latest else "not_started")
        reached.add(f"version {latest['version']}" if latest else "version 0")
        if action[0] == "submit" and done:
            frozen[latest["id"]] = content(conn, latest["id"])
        check_invariants(conn, case_id, ref, frozen)
        logged = [e for e in audit.entries(conn, ref) if e["action"] != "test.case"]
        assert len(logged) == successes                                   # no unaudited change
        assert all(e["kind"] == "alteration" and e["action"].startswith("review.") for e in logged)
    for state in sorted(reached):
        event(f"reached {state}")      # shown by --hypothesis-show-statistics: the runs do get far
    assert sam.verify_audit().ok

