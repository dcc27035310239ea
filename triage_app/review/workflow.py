"""The review workflow: states and four eyes, in the core.

States (docs/USER_GUIDE.md): not_started → in_review → submitted → approved, or submitted → returned →
(the author edits) in_review, or the author resubmits it unchanged (returned → submitted). Only
the author edits, and only in_review (an edit of a returned review puts it back in_review); a submitted review is edited by nobody, only decided; an approved
review is never edited: `start_review` on an approved case begins version + 1, a copy to work on,
and keeps the old one whole.

Every service function takes the Session, checks role and state itself and makes exactly one
audited change (`session.change`), so the desktop app and the command line share them. The state
checks run inside the change's transaction, so two users can't race past them; a refusal raises
before anything is written, and the whole change rolls back.

Readers for other capabilities live in `triage_app.review.summary` and are re-exported here:
- `review_summary(conn, case_id)` → dict|None for `case show --json` "review": state, version,
  author, checklist {id, version}, answers [{item, answer, note, at, source ("typed" | "proposal"), proposal (None, or how it was
  confirmed: rule, rules, rules_version, checklist_version, evidence, confirmed_by, confirmed_at)}], inquiries, contacts,
  victim_contact ("not_yet_contacted" | "contacted"), recommendation, rationale, decisions
  [{decision, by, role, at, date, comment}], missing_for_submit, earlier_versions.
- `approved_review(conn, case_id)` → the latest approved version's summary plus "decision"
  (who, role, date, comment), for the referral pack; None if none is approved.
- `suspects_alive_answer(conn, case_id)` → True/False/None (and `suspects_alive_answers(conn,
  case_ids)` → {case_id: …} for many), for the Beaconport screen.
- `missing_for_submit(conn, review_id)` → item ids, then "recommendation"/"rationale".
- `suggestions(conn, review_id)` → lines of inquiry suggested by answers, not yet raised.
- `changes_since_return(conn, review_id)` → [{what, key, before, after}] since the last return.
- `inbox(conn, user)` → submitted reviews waiting, excluding the user's own.
"""
from __future__ import annotations

import json
from datetime import date, datetime

from triage_app import triage
from triage_app.audit import utc_now
from triage_app.errors import BadInput, NotFound, Refused
from triage_app.review import checklist as checklists
from triage_app.review.checklist import code
from triage_app.review.summary import (approved_review, changes_since_return, content, inbox,  # noqa: F401
                                       latest_review, missing_for_submit, need_met, review_summary,
                                       suggestions, suspects_alive_answer, suspects_alive_answers)

RECOMMENDATIONS = ("reopen", "refer", "confirm-nfa")
INQUIRY_STATUSES = ("open", "in-progress", "done", "dropped")
SUPPORT = ("isva", "ictg")
DECISIONS = ("approve", "return")
MAX_SHORT = 200          # titles, methods, categories, owners: one line each


# --- helpers (run inside the caller's transaction) --------------------------------------------

def _case(conn, ref: str):
    row = conn.execute("SELECT id, ref FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {code(ref)} in the vault.")
    return row[0]


def _set_state(conn, review: dict, state: str, **stamps) -> None:
    sets = ", ".join(["state = ?"] + [f"{k} = ?" for k in stamps])
    conn.execute(f"UPDATE reviews SET {sets} WHERE id = ?", (state, *stamps.values(), review["id"]))
    review["state"] = state
    # The case shows its latest review version's state; only the latest version ever changes.
    conn.execute("UPDATE cases SET status = ?, assigned_to = ? WHERE id = ?",
                 (state, review["author"], review["case_id"]))


def _editable(session, case_id: int, ref: str) -> dict:
    """The review the acting user may edit now, moving a returned review back to in_review."""
    r = latest_review(session.conn, case_id)
    if r is None:
        raise Refused(f"Case {ref} has no review yet; start one with 'review start'.")
    if r["state"] == "approved":
        raise Refused(f"The review of case {ref} is approved and is never edited; 'review start' begins a new version.")
    if r["state"] == "submitted":
        raise Refused(f"The review of case {ref} is submitted: nobody may edit it until a supervisor decides.")
    if r["author"] != session.user:
        raise Refused(f"Only the review's author may edit the review of case {ref}.")
    if r["state"] == "returned":
        _set_state(session.conn, r, "in_review")
    return r


def _text(value, what: str, *, required: bool, limit: int | None = None) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise BadInput(f"The {what} is empty; give it some text.")
        return None
    if limit and (len(value) > limit or "\n" in value):
        raise BadInput(f"The {what} must be one line of at most {limit} characters.")
    return value


def _date(value: str) -> str:
    value = (value or "").strip()
    parsed = None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(value, fmt).date()
            break
        except ValueError:
            continue
    if parsed is None:
        raise BadInput("The contact date is not a date in the form YYYY-MM-DD or DD/MM/YYYY.")
    if parsed > date.today():
        raise BadInput(f"The contact date {parsed.isoformat()} is in the future.")
    return parsed.isoformat()


# --- the reviewer's actions ------------------------------------------------------------------

def start_review(session, ref: str) -> dict:
    """Start (or resume) the review of a case and assign it to the acting user.

    No review → version 1. Approved → version + 1, copied from the approved one. Returned, by its
    author → back in_review. Anything else is refused: one live review per case.
    """
    with session.change("review", "review.start", case=ref) as entry:
        conn = session.conn
        case_id = _case(conn, ref)
        r = latest_review(conn, case_id)
        if r is not None and r["state"] != "approved":
            if r["author"] != session.user:
                raise Refused(f"Case {ref} is already under review by another user.")
            if r["state"] != "returned":
                raise Refused(f"Your review of case {ref} is already {r['state'].replace('_', ' ')}.")
            _set_state(conn, r, "in_review")
            entry.update(version=r["version"], resumed=True)
            return {"review_id": r["id"], "version": r["version"], "state": "in_review"}
        cl = checklists.current()
        version = 1 if r is None else r["version"] + 1
        cur = conn.execute("INSERT INTO reviews(case_id, version, state, author, checklist_id, checklist_version, "
                           "started_at) VALUES (?,?,?,?,?,?,?)",
                           (case_id, version, "in_review", session.user, cl.id, cl.version, utc_now()))
        new = latest_review(conn, case_id)
        if r is not None:
            _copy_forward(conn, r["id"], cur.lastrowid, cl)
        _set_state(conn, new, "in_review")
        entry.update(version=version, checklist=cl.id, checklist_version=cl.version)
        if r is not None:
            entry["copied_from_version"] = r["version"]
        return {"review_id": new["id"], "version": version, "state": "in_review"}


def _copy_forward(conn, old_id: int, new_id: int, cl) -> None:
    """A new version starts from the approved one (items the current checklist still has)."""
    known = {it.id for it in cl.items}
    now = utc_now()
    for item, answer, note in conn.execute("SELECT item_id, answer, note FROM review_answers WHERE review_id = ?",
                                           (old_id,)).fetchall():
        if item in known:
            conn.execute("INSERT INTO review_answers VALUES (?,?,?,?,?)", (new_id, item, answer, note, now))
    # An answer confirmed from a proposal keeps its record (rule, versions, evidence, who confirmed it
    # and when) in the new version: after its answer, as migration 31's triggers require.
    marks = ",".join("?" * len(known))
    conn.execute("INSERT INTO review_answer_proposals(review_id, item_id, answer, rule, rules_id, rules_version, "
                 "checklist_id, checklist_version, evidence, confirmed_by, confirmed_at) SELECT ?, item_id, answer, "
                 "rule, rules_id, rules_version, checklist_id, checklist_version, evidence, confirmed_by, confirmed_at "
                 f"FROM review_answer_proposals WHERE review_id = ? AND item_id IN ({marks})",
                 (new_id, old_id, *sorted(known)))
    conn.execute("INSERT INTO review_inquiries(review_id, number, title, category, priority, rationale, status, "
                 "owner, from_item, raised_at) SELECT ?, number, title, category, priority, rationale, status, "
                 "owner, from_item, raised_at FROM review_inquiries WHERE review_id = ?", (new_id, old_id))
    conn.execute("INSERT INTO review_contacts(review_id, contact_date, method, outcome, wishes, support_offered, "
                 "recorded_at) SELECT ?, contact_date, method, outcome, wishes, support_offered, recorded_at "
                 "FROM review_contacts WHERE review_id = ? ORDER BY id", (new_id, old_id))
    conn.execute("UPDATE reviews SET recommendation = (SELECT recommendation FROM reviews WHERE id = ?), "
                 "rationale = (SELECT rationale FROM reviews WHERE id = ?) WHERE id = ?", (old_id, old_id, new_id))


def answer_item(session, ref: str, item_id: str, answer: str, note: str | None = None) -> None:
    answer = (answer or "").strip().lower().replace("n/a", "na")
    if answer not in checklists.ANSWERS:
        raise BadInput("An answer is yes, no or na.")
    with session.change("review", "review.answer", case=ref,
                        detail={"item": item_id, "answer": answer, "source": "typed"}) as entry:
        r = _editable(session, _case(session.conn, ref), ref)
        item = checklists.load(r["checklist_id"], r["checklist_version"]).item(item_id)
        if answer == "yes" and item.yes_needs and not need_met(session.conn, r["id"], item.yes_needs):
            raise Refused(f"Item {code(item_id)} can't be answered yes yet: {checklists.NEEDS[item.yes_needs]}.")
        note = _text(note, "note", required=False)
        session.conn.execute("INSERT INTO review_answers(review_id, item_id, answer, note, answered_at) "
                             "VALUES (?,?,?,?,?) ON CONFLICT(review_id, item_id) DO UPDATE SET "
                             "answer = excluded.answer, note = excluded.note, answered_at = excluded.answered_at",
                             (r["id"], item_id, answer, note, utc_now()))
        entry.update(version=r["version"], note=note is not None)


def raise_inquiry(session, ref: str, *, title: str | None = None, category: str | None = None,
                  priority: str | None = None, rationale: str | None = None, owner: str | None = None,
                  from_item: str | None = None) -> int:
    """Raise a line of inquiry by hand, or from an item's suggestion (its title, category and
    priority are the defaults). Returns the inquiry's number within the review."""
    with session.change("review", "review.inquiry", case=ref) as entry:
        conn = session.conn
        r = _editable(session, _case(conn, ref), ref)
        if from_item:
            offered = {s["item"]: s for s in suggestions(conn, r["id"])}
            if from_item not in offered:
                raise BadInput(f"No answer so far suggests a line of inquiry from item {code(from_item)}, "
                               "or it was already raised.")
            s = offered[from_item]
            title, category, priority = title or s["title"], category or s["category"], priority or s["priority"]
        title = _text(title, "title of the line of inquiry", required=True, limit=MAX_SHORT)
        category = _text(category, "category", required=True, limit=60).lower()
        priority = (priority or "").strip().lower()
        if priority not in ("high", "medium", "low"):
            raise BadInput("A priority is high, medium or low.")
        rationale = _text(rationale, "rationale", required=False)
        owner = _text(owner, "owner", required=False, limit=MAX_SHORT)
        number = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM review_inquiries WHERE review_id = ?",
                              (r["id"],)).fetchone()[0]
        conn.execute("INSERT INTO review_inquiries(review_id, number, title, category, priority, rationale, owner, "
                     "from_item, raised_at) VALUES (?,?,?,?,?,?,?,?,?)",
                     (r["id"], number, title, category, priority, rationale, owner, from_item, utc_now()))
        entry.update(version=r["version"], number=number, category=category, priority=priority,
                     from_item=from_item)
        return number


def set_inquiry_status(session, ref: str, number: int, status: str) -> None:
    status = (status or "").strip().lower()
    if status not in INQUIRY_STATUSES:
        raise BadInput("A line of inquiry's status is open, in-progress, done or dropped.")
    with session.change("review", "review.inquiry_status", case=ref,
                        detail={"number": number, "status": status}) as entry:
        r = _editable(session, _case(session.conn, ref), ref)
        cur = session.conn.execute("UPDATE review_inquiries SET status = ? WHERE review_id = ? AND number = ?",
                                   (status, r["id"], number))
        if cur.rowcount != 1:
            raise NotFound(f"The review of case {ref} has no line of inquiry number {number}.")
        entry["version"] = r["version"]


def record_contact(session, ref: str, *, contact_date: str, method: str, outcome: str,
                   wishes: str | None = None, support: list[str] | tuple = ()) -> None:
    """A contact with the victim. No contact rows means 'not yet contacted'."""
    support = sorted({s.strip().lower() for s in support if s.strip()})
    bad = [s for s in support if s not in SUPPORT]
    if bad:
        raise BadInput("Support offered is isva and/or ictg.")
    when = _date(contact_date)
    with session.change("review", "review.contact", case=ref) as entry:
        r = _editable(session, _case(session.conn, ref), ref)
        method = _text(method, "contact method", required=True, limit=60)
        outcome = _text(outcome, "contact outcome", required=True)
        wishes = _text(wishes, "victim's wishes", required=False)
        session.conn.execute("INSERT INTO review_contacts(review_id, contact_date, method, outcome, wishes, "
                             "support_offered, recorded_at) VALUES (?,?,?,?,?,?,?)",
                             (r["id"], when, method, outcome, wishes, json.dumps(support), utc_now()))
        entry.update(version=r["version"], date=when, wishes=wishes is not None, support_offered=support)


def recommend(session, ref: str, recommendation: str, rationale: str) -> None:
    recommendation = (recommendation or "").strip().lower()
    if recommendation not in RECOMMENDATIONS:
        raise BadInput("A recommendation is reopen, refer or confirm-nfa.")
    rationale = _text(rationale, "rationale", required=True)
    with session.change("review", "review.recommend", case=ref,
                        detail={"recommendation": recommendation}) as entry:
        r = _editable(session, _case(session.conn, ref), ref)
        session.conn.execute("UPDATE reviews SET recommendation = ?, rationale = ? WHERE id = ?",
                             (recommendation, rationale, r["id"]))
        entry["version"] = r["version"]


def submit(session, ref: str) -> None:
    with session.change("review", "review.submit", case=ref) as entry:
        conn = session.conn
        r = latest_review(conn, _case(conn, ref))
        if r is None:
            raise Refused(f"Case {ref} has no review to submit.")
        if r["author"] != session.user:
            raise Refused(f"Only the review's author may submit the review of case {ref}.")
        # A returned review may go back as it is: the author may answer a return by resubmitting
        # unchanged (the supervisor's inbox then says "resubmitted with no change").
        if r["state"] not in ("in_review", "returned"):
            raise Refused(f"Only a review in progress can be submitted; the review of case {ref} is "
                          f"{r['state'].replace('_', ' ')}.")
        missing = missing_for_submit(conn, r["id"])
        if missing:
            raise Refused(f"The review of case {ref} can't be submitted yet; still missing: {', '.join(missing)}.")
        resubmission = conn.execute("SELECT 1 FROM review_decisions WHERE review_id = ?",
                                    (r["id"],)).fetchone() is not None
        _set_state(conn, r, "submitted", submitted_at=utc_now())
        entry.update(version=r["version"], resubmission=resubmission)


# --- the supervisor's decision ---------------------------------------------------------------

def decide(session, ref: str, decision: str, comment: str | None = None) -> None:
    """Four eyes: a supervisor, never the review's author, approves or returns a submitted review.
    A return needs a comment. An approval re-scores the case (an approved review counts as
    'reviewed before')."""
    decision = (decision or "").strip().lower()
    if decision not in DECISIONS:
        raise BadInput("A decision is approve or return.")
    with session.change("decide", "review.decide", case=ref, detail={"decision": decision}) as entry:
        conn = session.conn
        case_id = _case(conn, ref)
        r = latest_review(conn, case_id)
        if r is None or r["state"] != "submitted":
            state = "not started" if r is None else r["state"].replace("_", " ")
            raise Refused(f"Only a submitted review can be decided; the review of case {ref} is {state}.")
        if r["author"] == session.user:
            raise Refused("Nobody may sign off their own review: another supervisor must decide it.")
        comment = _text(comment, "comment", required=False)
        if decision == "return" and comment is None:
            raise BadInput("A return needs a comment saying what the author should change.")
        now = utc_now()
        conn.execute("INSERT INTO review_decisions(review_id, decision, by_user, by_role, decided_at, comment, "
                     "snapshot) VALUES (?,?,?,?,?,?,?)",
                     (r["id"], decision, session.user, session.role, now, comment,
                      json.dumps(content(conn, r["id"]), sort_keys=True)))
        _set_state(conn, r, "approved" if decision == "approve" else "returned", decided_at=now)
        if decision == "approve":
            triage.rescore(conn, [case_id])
        entry.update(version=r["version"], comment=comment is not None)


# --- opening a review (a consultation) ------------------------------------------------------

def open_review(session, ref: str, view: str = "review") -> dict | None:
    """The latest review of a case for display; the opening is an audited consultation whose
    justification is the review it belongs to (`view` says which part was shown)."""
    session.require("read")
    case_id = _case(session.conn, ref)
    summary = review_summary(session.conn, case_id)
    session.record("read", "review.open", case=ref,
                   detail={"justification": "review" if summary else "review not started",
                           "version": summary["version"] if summary else None, "view": view})
    return summary
