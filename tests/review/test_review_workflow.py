"""Every transition and every refusal, through the service functions."""
import json

import pytest

from triage_app import audit, triage
from triage_app.errors import BadInput, NotFound, Refused
from triage_app.review import checklist, workflow as w
from triage_app.vault.connection import DatabaseError

from .conftest import add_case, complete

RATIONALE = "Retained exhibits and linked cases give new lines of inquiry."


def state(session, ref):
    return tuple(session.one("SELECT status, assigned_to FROM cases WHERE ref = ?", (ref,)))


def entries(session, ref):
    return [e for e in audit.entries(session.conn, ref) if e["action"].startswith("review.")]


def submitted(login, case, author="rita"):
    s = login(author)
    w.start_review(s, case)
    complete(s, case, w)
    w.submit(s, case)
    return s


# --- start ----------------------------------------------------------------------------------

def test_start_assigns_the_reviewer_and_records_the_checklist(login, case):
    rita = login("rita")
    assert state(rita, case) == ("not_started", None)
    got = w.start_review(rita, case)
    assert got["version"] == 1 and got["state"] == "in_review"
    assert state(rita, case) == ("in_review", "rita")
    summary = w.review_summary(rita.conn, rita.one("SELECT id FROM cases WHERE ref=?", (case,))[0])
    assert summary["checklist"] == {"id": "nfa-cse-review", "version": 1}
    assert summary["victim_contact"] == "not_yet_contacted"
    [e] = entries(rita, case)
    assert (e["action"], e["kind"], e["user"], e["detail"]["version"]) == ("review.start", "alteration", "rita", 1)


def test_start_refusals(login, case):
    w.start_review(login("rita"), case)
    with pytest.raises(Refused, match="already under review by another user"):
        w.start_review(login("rob"), case)
    with pytest.raises(Refused, match="already in review"):
        w.start_review(login("rita"), case)
    with pytest.raises(Refused, match="An admin may not work on reviews"):
        w.start_review(login("ada"), case)
    with pytest.raises(NotFound):
        w.start_review(login("rob"), "CR/1999/000000")
    assert len(entries(login("sam"), case)) == 1


def test_a_supervisor_may_author_a_review(login, case):
    sue = login("sue")
    w.start_review(sue, case)
    assert state(sue, case) == ("in_review", "sue")


# --- editing --------------------------------------------------------------------------------

def test_answers_notes_and_refusals(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    w.answer_item(rita, case, "abe_interview", "no", note="Written statement only; no ABE offered.")
    w.answer_item(rita, case, "abe_interview", "YES")          # an answer can be changed while in review
    with pytest.raises(BadInput, match="has no item 'no_such_item'"):
        w.answer_item(rita, case, "no_such_item", "yes")
    with pytest.raises(BadInput, match="yes, no or na"):
        w.answer_item(rita, case, "abe_interview", "maybe")
    with pytest.raises(Refused, match="Only the review's author"):
        w.answer_item(login("rob"), case, "abe_interview", "no")
    with pytest.raises(Refused, match="Only the review's author"):
        w.answer_item(login("sam"), case, "abe_interview", "no")
    rows = rita.query("SELECT item_id, answer, note FROM review_answers")
    assert [tuple(r) for r in rows] == [("abe_interview", "yes", None)]
    acts = entries(rita, case)
    assert [e["action"] for e in acts] == ["review.start", "review.answer", "review.answer"]
    # the audit names what changed, never the note's text
    assert acts[1]["detail"] == {"item": "abe_interview", "answer": "no", "source": "typed", "version": 1, "note": True}
    assert "statement" not in json.dumps(acts)


def test_answer_before_start_is_refused(login, case):
    with pytest.raises(Refused, match="has no review yet"):
        w.answer_item(login("rita"), case, "abe_interview", "yes")


def test_inquiries_by_hand_from_suggestion_and_status(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    w.answer_item(rita, case, "exhibits_retained", "yes")
    w.answer_item(rita, case, "abe_interview", "yes")       # 'yes' suggests nothing for this item
    rid = rita.one("SELECT id FROM reviews")[0]
    [sug] = w.suggestions(rita.conn, rid)
    assert (sug["item"], sug["category"], sug["priority"]) == ("exhibits_retained", "forensic", "high")
    n1 = w.raise_inquiry(rita, case, from_item="exhibits_retained", owner="Forensic unit")
    assert w.suggestions(rita.conn, rid) == []
    with pytest.raises(BadInput, match="already raised"):
        w.raise_inquiry(rita, case, from_item="exhibits_retained")
    n2 = w.raise_inquiry(rita, case, title="Trace the taxi firm named in the summary", category="Digital",
                         priority="medium", rationale="Named but never approached.")
    assert (n1, n2) == (1, 2)
    with pytest.raises(BadInput, match="title"):
        w.raise_inquiry(rita, case, title="  ", category="digital", priority="low")
    with pytest.raises(BadInput, match="priority"):
        w.raise_inquiry(rita, case, title="x", category="digital", priority="urgent")
    w.set_inquiry_status(rita, case, 2, "in-progress")
    with pytest.raises(NotFound):
        w.set_inquiry_status(rita, case, 9, "done")
    with pytest.raises(BadInput):
        w.set_inquiry_status(rita, case, 2, "finished")
    got = {q["number"]: q for q in w.review_summary(rita.conn, rita.one("SELECT id FROM cases")[0])["inquiries"]}
    assert got[1]["title"].startswith("Re-submit retained exhibits") and got[1]["from_item"] == "exhibits_retained"
    assert (got[2]["category"], got[2]["status"]) == ("digital", "in-progress")


def test_victim_contact_record(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    case_id = rita.one("SELECT id FROM cases")[0]
    w.record_contact(rita, case, contact_date="3/2/2025", method="phone", outcome="Spoke; wants time to think",
                     wishes="Would consider a fresh ABE interview", support=["ISVA", "ictg"])
    s = w.review_summary(rita.conn, case_id)
    assert s["victim_contact"] == "contacted"
    [c] = s["contacts"]
    assert (c["date"], c["method"], c["support_offered"]) == ("2025-02-03", "phone", ["ictg", "isva"])
    with pytest.raises(BadInput, match="in the future"):
        w.record_contact(rita, case, contact_date="2999-01-01", method="letter", outcome="x")
    with pytest.raises(BadInput, match="not a date"):
        w.record_contact(rita, case, contact_date="02/31/2025", method="letter", outcome="x")
    with pytest.raises(BadInput, match="isva"):
        w.record_contact(rita, case, contact_date="2025-01-01", method="letter", outcome="x", support=["gp"])
    with pytest.raises(BadInput, match="outcome"):
        w.record_contact(rita, case, contact_date="2025-01-01", method="letter", outcome=" ")
    assert len(w.review_summary(rita.conn, case_id)["contacts"]) == 1


def test_recommendation_needs_a_known_choice_and_rationale(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    with pytest.raises(BadInput, match="reopen, refer or confirm-nfa"):
        w.recommend(rita, case, "close", RATIONALE)
    with pytest.raises(BadInput, match="rationale"):
        w.recommend(rita, case, "refer", "   ")
    w.recommend(rita, case, "Confirm-NFA", RATIONALE)
    assert tuple(rita.one("SELECT recommendation, rationale FROM reviews")) == ("confirm-nfa", RATIONALE)


# --- submit -----------------------------------------------------------------------------------

def test_submit_lists_what_is_missing_in_one_sentence_and_changes_nothing(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    w.answer_item(rita, case, "abe_interview", "no")
    before = len(audit.entries(rita.conn))
    with pytest.raises(Refused) as e:
        w.submit(rita, case)
    msg = str(e.value)
    rest = [i for i in checklist.current().mandatory_ids if i != "abe_interview"]
    assert msg == (f"The review of case {case} can't be submitted yet; still missing: "
                   f"{', '.join(rest)}, recommendation, rationale.")
    assert msg.count(".") == 1 + msg.count("v1.")
    assert state(rita, case) == ("in_review", "rita")
    assert len(audit.entries(rita.conn)) == before
    rid = rita.one("SELECT id FROM reviews")[0]
    assert w.missing_for_submit(rita.conn, rid) == rest + ["recommendation", "rationale"]


def test_submit_refused_for_others_and_when_not_in_review(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    complete(rita, case, w)
    with pytest.raises(Refused, match="Only the review's author may submit"):
        w.submit(login("rob"), case)
    w.submit(rita, case)
    assert state(rita, case) == ("submitted", "rita")
    with pytest.raises(Refused, match="is submitted"):
        w.submit(rita, case)


@pytest.mark.parametrize("who", ["rita", "rob", "sam"])
def test_nobody_edits_a_submitted_review(login, case, who):
    submitted(login, case)
    s = login(who)
    for act in (lambda: w.answer_item(s, case, "flight_risk", "no"),
                lambda: w.raise_inquiry(s, case, title="x", category="digital", priority="low"),
                lambda: w.set_inquiry_status(s, case, 1, "done"),
                lambda: w.record_contact(s, case, contact_date="2025-01-01", method="phone", outcome="x"),
                lambda: w.recommend(s, case, "refer", RATIONALE),
                lambda: w.start_review(s, case)):
        with pytest.raises(Refused):
            act()
    assert state(s, case) == ("submitted", "rita")


# --- decide -----------------------------------------------------------------------------------

def test_reviewer_may_not_decide(login, case):
    submitted(login, case)
    for name in ("rob", "rita"):
        with pytest.raises(Refused, match="A reviewer may not sign off reviews"):
            w.decide(login(name), case, "approve")
    with pytest.raises(Refused, match="An admin may not sign off"):
        w.decide(login("ada"), case, "approve")
    assert state(login("sam"), case)[0] == "submitted"


def test_no_own_sign_off_whatever_the_role(login, case):
    submitted(login, case, author="sue")
    sue = login("sue")
    with pytest.raises(Refused, match="Nobody may sign off their own review"):
        w.decide(sue, case, "approve")
    assert w.inbox(sue.conn, "sue") == []
    assert [r["ref"] for r in w.inbox(sue.conn, "sam")] == [case]
    w.decide(login("sam"), case, "approve")
    assert state(sue, case) == ("approved", "sue")


def test_return_needs_a_comment(login, case):
    submitted(login, case)
    sam = login("sam")
    for comment in (None, "", "   "):
        with pytest.raises(BadInput, match="A return needs a comment"):
            w.decide(sam, case, "return", comment)
    assert state(sam, case)[0] == "submitted"
    assert sam.one("SELECT count(*) FROM review_decisions")[0] == 0


def test_decide_only_a_submitted_review(login, case):
    sam = login("sam")
    with pytest.raises(Refused, match="is not started"):
        w.decide(sam, case, "approve")
    w.start_review(login("rita"), case)
    with pytest.raises(Refused, match="is in review"):
        w.decide(sam, case, "approve")
    with pytest.raises(BadInput):
        w.decide(sam, case, "maybe")


def test_return_then_edit_then_resubmit_shows_the_changes(login, case):
    rita = submitted(login, case)
    sam = login("sam")
    rid = rita.one("SELECT id FROM reviews")[0]
    assert w.inbox(sam.conn, "sam")[0]["resubmission"] is False
    w.decide(sam, case, "return", "Say why the phones were not examined.")
    assert state(rita, case) == ("returned", "rita")
    assert w.changes_since_return(rita.conn, rid) == []
    with pytest.raises(Refused, match="Only the review's author"):
        w.answer_item(login("rob"), case, "phones_examined", "no")
    assert state(rita, case)[0] == "returned"
    w.answer_item(rita, case, "phones_examined", "no")        # the author's edit puts it back in review
    assert state(rita, case) == ("in_review", "rita")
    w.recommend(rita, case, "refer", "Refer: linked cases across two forces.")
    changes = w.changes_since_return(rita.conn, rid)
    assert [(c["what"], c["key"]) for c in changes] == [("answer", "phones_examined"), ("recommendation", None),
                                                        ("rationale", None)]
    assert changes[1]["before"] == "reopen" and changes[1]["after"] == "refer"
    w.submit(rita, case)
    [waiting] = w.inbox(sam.conn, "sam")
    assert waiting["resubmission"] is True
    w.decide(sam, case, "approve", "Agreed.")
    decisions = w.review_summary(rita.conn, rita.one("SELECT id FROM cases")[0])["decisions"]
    assert [(d["decision"], d["by"], d["role"]) for d in decisions] == [("return", "sam", "supervisor"),
                                                                        ("approve", "sam", "supervisor")]


def test_start_resumes_a_returned_review_for_its_author_only(login, case):
    rita = submitted(login, case)
    w.decide(login("sam"), case, "return", "Record the victim's wishes.")
    with pytest.raises(Refused, match="another user"):
        w.start_review(login("rob"), case)
    got = w.start_review(rita, case)
    assert (got["version"], got["state"]) == (1, "in_review")
    assert state(rita, case) == ("in_review", "rita")
    w.submit(rita, case)      # nothing had to change: the author may resubmit as it stands


def test_approval_rescores_and_freezes_the_review(login, case, monkeypatch):
    calls = []
    monkeypatch.setattr(triage, "rescore", lambda conn, ids=None: calls.append(ids))
    rita = submitted(login, case)
    case_id = rita.one("SELECT id FROM cases")[0]
    w.decide(login("sam"), case, "approve", "Agreed: refer.")
    assert calls == [[case_id]]
    assert state(rita, case) == ("approved", "rita")
    approved = w.approved_review(rita.conn, case_id)
    d = approved["decision"]
    assert (d["decision"], d["by"], d["role"], d["comment"]) == ("approve", "sam", "supervisor", "Agreed: refer.")
    assert len(d["date"]) == 10
    for who in ("rita", "sam"):
        with pytest.raises(Refused, match="approved and is never edited"):
            w.answer_item(login(who), case, "flight_risk", "yes")
    with pytest.raises(Refused, match="can be decided"):
        w.decide(login("sue"), case, "return", "Again.")
    # and the database itself refuses, whatever the code path
    with pytest.raises(DatabaseError):
        rita.conn.execute("UPDATE reviews SET rationale = 'changed' WHERE case_id = ?", (case_id,))
    with pytest.raises(DatabaseError):
        rita.conn.execute("DELETE FROM review_answers")


def test_a_later_change_is_a_new_version_keeping_the_old_whole(login, case):
    rita = submitted(login, case)
    case_id = rita.one("SELECT id FROM cases")[0]
    w.decide(login("sam"), case, "approve")
    old = w.approved_review(rita.conn, case_id)
    got = w.start_review(login("rob"), case)        # any reviewer may start the next version
    assert got["version"] == 2
    assert state(rita, case) == ("in_review", "rob")
    w.answer_item(login("rob"), case, "suspects_alive", "no")
    now = w.review_summary(rita.conn, case_id)
    assert (now["version"], now["author"], now["earlier_versions"]) == (2, "rob", [1])
    assert len(now["answers"]) == len(old["answers"])          # started from the approved content
    again = w.approved_review(rita.conn, case_id)
    assert again == old                                          # version 1 untouched
    assert w.suspects_alive_answer(rita.conn, case_id) is False  # the newest answer counts


def test_suspects_alive_answer(login, case):
    rita = login("rita")
    case_id = rita.one("SELECT id FROM cases")[0]
    assert w.suspects_alive_answer(rita.conn, case_id) is None
    w.start_review(rita, case)
    assert w.suspects_alive_answer(rita.conn, case_id) is None
    for answer, expected in (("yes", True), ("no", False), ("na", None)):
        w.answer_item(rita, case, "suspects_alive", answer)
        assert w.suspects_alive_answer(rita.conn, case_id) is expected


def test_open_review_is_an_audited_consultation(login, case):
    rita = login("rita")
    assert w.open_review(rita, case) is None
    w.start_review(rita, case)
    summary = w.open_review(rita, case)
    assert summary["state"] == "in_review"
    opens = [e for e in audit.entries(rita.conn, case) if e["action"] == "review.open"]
    assert [e["kind"] for e in opens] == ["consultation", "consultation"]
    assert opens[1]["detail"]["justification"] == "review" and opens[1]["detail"]["version"] == 1


def test_every_successful_change_is_one_audit_entry_and_refusals_none(login, case):
    rita, sam = login("rita"), login("sam")
    before = len(audit.entries(sam.conn))
    w.start_review(rita, case)
    complete(rita, case, w)                     # 12 answers + 1 recommendation
    n = w.raise_inquiry(rita, case, title="Re-interview", category="victim", priority="high")
    w.set_inquiry_status(rita, case, n, "open")
    w.record_contact(rita, case, contact_date="2025-01-02", method="letter", outcome="No reply")
    w.submit(rita, case)
    for bad in (lambda: w.decide(rita, case, "approve"), lambda: w.decide(sam, case, "return"),
                lambda: w.answer_item(rita, case, "flight_risk", "no")):
        with pytest.raises((Refused, BadInput)):
            bad()
    w.decide(sam, case, "approve")
    successes = 1 + len(checklist.current().mandatory_ids) + 1 + 1 + 1 + 1 + 1 + 1
    got = audit.entries(sam.conn)[before:]
    assert len(got) == successes
    assert all(e["kind"] == "alteration" and e["case"] == case for e in got)
    assert sam.verify_audit().ok


def test_a_failing_change_rolls_back_whole(login, case, monkeypatch):
    rita = submitted(login, case)
    def broken(conn, ids=None):
        raise RuntimeError("rescore failed")
    monkeypatch.setattr(triage, "rescore", broken)
    sam = login("sam")
    before = len(audit.entries(rita.conn))
    with pytest.raises(RuntimeError):
        w.decide(sam, case, "approve")
    assert state(rita, case) == ("submitted", "rita")
    assert rita.one("SELECT count(*) FROM review_decisions")[0] == 0
    assert len(audit.entries(rita.conn)) == before


def test_bulk_suspects_alive_matches_the_single_reader(login, case):
    rita = login("rita")
    other = add_case(login("sam"), "CR/2014/000102")
    case_id = rita.one("SELECT id FROM cases WHERE ref = ?", (case,))[0]
    w.start_review(rita, case)
    w.answer_item(rita, case, "suspects_alive", "no")
    assert w.suspects_alive_answers(rita.conn, [case_id, other]) == {case_id: False, other: None}
    assert w.suspects_alive_answers(rita.conn, [case_id])[case_id] == w.suspects_alive_answer(rita.conn, case_id)


def test_a_review_on_a_checklist_version_not_shipped_still_shows(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    w.answer_item(rita, case, "abe_interview", "no")
    rita.conn.execute("UPDATE reviews SET checklist_version = 99")   # as if from a newer build's bundle
    summary = w.review_summary(rita.conn, rita.one("SELECT id FROM cases")[0])
    assert summary["checklist"]["version"] == 99 and summary["answers"][0]["item"] == "abe_interview"
    with pytest.raises(NotFound, match="no checklist nfa-cse-review v99"):
        w.answer_item(rita, case, "abe_interview", "yes")
