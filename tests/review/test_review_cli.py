"""The same transitions and refusals through the command line (design.md §3)."""
import json

import pytest

from triage_app.review import checklist

RATIONALE = "Linked cases and retained exhibits give new lines of inquiry."


def ok(result):
    code, out, err = result
    assert code == 0, err
    return out


def refused(result, *fragments):
    code, out, err = result
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for f in fragments:
        assert f in lines[0]
    return lines[0]


def complete(cli, user, ref):
    for item_id in checklist.current().mandatory_ids:
        ok(cli(user, "review", "answer", ref, item_id, "no" if checklist.current().item(item_id).yes_needs else "yes"))
    ok(cli(user, "review", "recommend", ref, "refer", "--rationale", RATIONALE))


def show(cli, ref, user="sam"):
    return json.loads(ok(cli(user, "review", "show", ref, "--json")))


def test_checklist_show_json_and_text(cli):
    rows = json.loads(ok(cli("rita", "checklist", "show", "--json")))
    assert len(rows) >= 15 and sum(r["mandatory"] for r in rows) >= 5
    assert {"id", "section", "text", "mandatory"} <= set(rows[0])
    text = ok(cli("rita", "checklist", "show"))
    assert "* suspects_alive" in text


def test_whole_flow_with_return_and_approval(cli, case):
    assert show(cli, case) is None
    assert "assigned to you" in ok(cli("rita", "review", "start", case))
    ok(cli("rita", "review", "answer", case, "exhibits_retained", "yes", "--note", "Bedding held at property store"))
    sug = json.loads(ok(cli("rita", "review", "suggestions", case, "--json")))
    assert [s["item"] for s in sug] == ["exhibits_retained"]
    ok(cli("rita", "review", "inquiry", case, "--from-item", "exhibits_retained"))
    assert "inquiry 2" in ok(cli("rita", "review", "inquiry", case, "--title", "Trace the recruiter",
                                  "--category", "witness", "--priority", "high", "--owner", "DC team 3"))
    ok(cli("rita", "review", "inquiry-status", case, "2", "in-progress"))
    ok(cli("rita", "review", "contact", case, "--date", "2025-02-03", "--method", "visit",
           "--outcome", "Met at home", "--wishes", "Wants the case looked at again", "--support", "isva"))
    complete(cli, "rita", case)
    ok(cli("rita", "review", "submit", case))
    assert show(cli, case)["state"] == "submitted"
    inbox = json.loads(ok(cli("sam", "review", "inbox", "--json")))
    assert [r["ref"] for r in inbox] == [case]
    ok(cli("sam", "review", "decide", case, "return", "--comment", "Add the phone examination gap."))
    assert show(cli, case)["state"] == "returned"
    ok(cli("rita", "review", "answer", case, "phones_examined", "no"))
    changes = json.loads(ok(cli("sam", "review", "changes", case, "--json")))
    assert [(c["what"], c["key"]) for c in changes] == [("answer", "phones_examined")]
    ok(cli("rita", "review", "submit", case))
    ok(cli("sam", "review", "decide", case, "approve"))
    s = show(cli, case)
    assert (s["state"], s["recommendation"], s["author"]) == ("approved", "refer", "rita")
    assert [q["number"] for q in s["inquiries"]] == [1, 2]
    assert s["contacts"][0]["support_offered"] == ["isva"]
    assert [d["decision"] for d in s["decisions"]] == ["return", "approve"]
    # a later change is a new version
    refused(cli("rita", "review", "answer", case, "flight_risk", "yes"), "approved", "never edited")
    ok(cli("rob", "review", "start", case))
    assert (show(cli, case)["version"], show(cli, case)["author"]) == (2, "rob")
    log = json.loads(ok(cli("sam", "audit", "log", "--case", case, "--json")))
    actions = [e["action"] for e in log]
    assert actions.count("review.submit") == 2 and actions.count("review.decide") == 2
    assert "Bedding" not in json.dumps(log)


def test_refusals_through_the_cli(cli, case):
    refused(cli("rita", "review", "answer", case, "abe_interview", "yes"), "no review yet")
    refused(cli("ada", "review", "start", case), "An admin may not work on reviews")
    ok(cli("rita", "review", "start", case))
    refused(cli("rob", "review", "start", case), "already under review")
    refused(cli("rob", "review", "answer", case, "abe_interview", "yes"), "Only the review's author")
    refused(cli("rita", "review", "answer", case, "nope", "yes"), "has no item 'nope'")
    msg = refused(cli("rita", "review", "submit", case), "still missing", "abe_interview", "recommendation",
                  "rationale")
    assert msg.endswith(".")
    refused(cli("sam", "review", "decide", case, "approve"), "Only a submitted review")
    complete(cli, "rita", case)
    ok(cli("rita", "review", "submit", case))
    refused(cli("rita", "review", "answer", case, "flight_risk", "no"), "submitted")
    refused(cli("rita", "review", "recommend", case, "reopen", "--rationale", "x"), "submitted")
    refused(cli("rita", "review", "decide", case, "approve"), "A reviewer may not sign off")
    refused(cli("rob", "review", "decide", case, "approve"), "A reviewer may not sign off")
    refused(cli("sam", "review", "decide", case, "return"), "A return needs a comment")
    refused(cli("sam", "review", "decide", case, "return", "--comment", "  "), "A return needs a comment")
    refused(cli("rita", "review", "contact", case, "--date", "2025-01-01", "--method", "phone",
                "--outcome", "x"), "submitted")
    assert show(cli, case)["state"] == "submitted"


def test_own_sign_off_refused_for_a_supervisor_author(cli, case):
    ok(cli("sue", "review", "start", case))
    complete(cli, "sue", case)
    ok(cli("sue", "review", "submit", case))
    refused(cli("sue", "review", "decide", case, "approve"), "Nobody may sign off their own review")
    assert json.loads(ok(cli("sue", "review", "inbox", "--json"))) == []
    ok(cli("sam", "review", "decide", case, "approve", "--comment", "Agreed."))


def test_bad_arguments_are_usage_errors(cli, case, capsys):
    for argv in (("answer", case, "abe_interview", "maybe"), ("recommend", case, "close", "--rationale", "x"),
                 ("decide", case, "sign")):
        with pytest.raises(SystemExit) as e:
            cli("rita", "review", *argv)
        assert e.value.code == 2
        assert "invalid choice" in capsys.readouterr().err
    code, _, err = cli("rita", "review", "start", "CR/1999/000000")
    assert code == 1 and "There is no case" in err


def test_bad_contact_date_is_one_sentence(cli, case):
    ok(cli("rita", "review", "start", case))
    refused(cli("rita", "review", "contact", case, "--date", "13/13/2025", "--method", "phone",
                "--outcome", "x"), "not a date")


def test_case_show_json_carries_the_review(cli, case):
    code, out, err = cli("rita", "case", "show", case, "--json", "--reason", "review")
    assert code == 0, err
    assert json.loads(out)["review"] is None
    ok(cli("rita", "review", "start", case))
    ok(cli("rita", "review", "answer", case, "suspects_alive", "yes"))
    ok(cli("rita", "review", "inquiry", case, "--title", "Trace the taxi firm", "--category", "digital",
           "--priority", "medium"))
    ok(cli("rita", "review", "recommend", case, "reopen", "--rationale", RATIONALE))
    detail = json.loads(ok(cli("rita", "case", "show", case, "--json", "--reason", "review")))
    review = detail["review"]
    assert detail["status"] == review["state"] == "in_review"
    assert [(a["item"], a["answer"]) for a in review["answers"]] == [("suspects_alive", "yes")]
    assert review["inquiries"][0]["title"] == "Trace the taxi firm"
    assert (review["recommendation"], review["contacts"], review["decisions"]) == ("reopen", [], [])


def test_messages_never_echo_free_text(cli, case):
    marker = "Jane Doe lives at 1 High St"
    ok(cli("rita", "review", "start", case))
    for argv in (("answer", case, marker, "yes"),
                 ("contact", case, "--date", marker, "--method", "phone", "--outcome", "x"),
                 ("inquiry", case, "--from-item", marker),
                 ("start", marker)):
        code, out, err = cli("rita", "review", *argv)
        assert code == 1 and err.count("\n") == 1
        assert "Jane" not in err and "High St" not in err
    code, _, err = cli("rita", "review", "answer", case, "suspects_alive", "N/A")
    assert code == 0, err
