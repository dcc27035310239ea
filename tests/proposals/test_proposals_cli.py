"""`review proposals REF [--json]` and `review answer REF ITEM --accept-proposal` through the command
line; the audit log tells a confirmed proposal from a typed answer."""
import json

from triage_app.review import checklist
from triage_app.review.proposals import service

from .conftest import add_case


def ok(result):
    code, out, err = result
    assert code == 0, err
    return out


def audit(cli, ref):
    return [e for e in json.loads(ok(cli("sam", "audit", "log", "--case", ref, "--json")))
            if e["action"] == "review.answer"]


def test_proposals_json_shape(cli, case):
    out = json.loads(ok(cli("rita", "review", "proposals", case, "--json")))
    assert set(out) >= {"proposals", "no_evidence"}
    items = {it.id for it in checklist.current().items}
    got = {p["item"]: p for p in out["proposals"]}
    assert set(got) | set(out["no_evidence"]) == items and not set(got) & set(out["no_evidence"])
    for p in out["proposals"]:
        assert p["answer"] in ("yes", "no", "na") and p["rule"] and p["rules_version"] == 1
        for e in p["evidence"]:
            a, b = e["highlight"]
            assert 0 <= a < b <= len(e["text"]) and e["source"]
    assert got["abe_interview"]["answer"] == "no"
    e = got["abe_interview"]["evidence"][0]
    assert e["source"] == "summary" and e["text"][e["highlight"][0]:e["highlight"][1]] == "No ABE"
    assert got["suspects_interviewed"]["answer"] == "yes"
    assert got["phones_examined"]["answer"] == "no"
    assert got["under16_consent"]["answer"] == "yes" and got["cps_guidance"]["answer"] == "no"
    assert got["modern_slavery"]["answer"] == "na"
    assert "warnings_history" in out["no_evidence"]          # hedged: "it is unclear whether a CAWN…"
    assert "victim_wishes" in got                            # no contact recorded yet: a no


def test_victims_minimised_in_evidence(cli, case):
    out = ok(cli("rita", "review", "proposals", case, "--json"))
    assert "Lucy" not in out and "Hartley" not in out
    assert "L. appears to have consented" in out
    text = ok(cli("rita", "review", "proposals", case))
    assert "Lucy" not in text and "»No ABE«" in text


def test_accept_proposal_is_audited_apart_from_typed(cli, case, login):
    ok(cli("rita", "review", "start", case))
    out = ok(cli("rita", "review", "answer", case, "abe_interview", "--accept-proposal"))
    assert "abe_interview: no" in out and "proposed by rule abe.text" in out
    ok(cli("rita", "review", "answer", case, "exhibits_retained", "yes"))
    entries = audit(cli, case)
    confirmed, typed = entries[-2]["detail"], entries[-1]["detail"]
    assert confirmed["source"] == "proposal" and confirmed["answer"] == "no" and confirmed["rule"] == "abe.text"
    assert confirmed["proposed_by"] == "proposed by rule abe.text (checklist v1, rules v1), confirmed by rita"
    assert typed["source"] == "typed" and "rule" not in typed
    s = login("rita")
    review_id = s.one("SELECT id FROM reviews")[0]
    prov = service.provenance(s.conn, review_id)
    assert set(prov) == {"abe_interview"} and prov["abe_interview"]["evidence"][0]["text"] == "No ABE was conducted."


def test_changing_a_confirmed_answer_drops_its_provenance(cli, case, login):
    ok(cli("rita", "review", "start", case))
    ok(cli("rita", "review", "answer", case, "abe_interview", "--accept-proposal"))
    ok(cli("rita", "review", "answer", case, "abe_interview", "yes", "--note", "DVD found in property"))
    s = login("rita")
    assert service.provenance(s.conn, s.one("SELECT id FROM reviews")[0]) == {}


def test_nothing_is_submitted_on_proposals_alone(cli, case):
    ok(cli("rita", "review", "start", case))
    ok(cli("rita", "review", "proposals", case))
    code, out, err = cli("rita", "review", "submit", case)
    assert code == 1 and "still missing" in err
    show = json.loads(ok(cli("rita", "review", "show", case, "--json")))
    assert show["answers"] == []


def test_accept_without_a_proposal_is_one_sentence(cli, case):
    ok(cli("rita", "review", "start", case))
    code, out, err = cli("rita", "review", "answer", case, "warnings_history", "--accept-proposal")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "no proposed answer" in err
    code, out, err = cli("rita", "review", "answer", case, "abe_interview", "yes", "--accept-proposal")
    assert code == 1 and "takes no answer" in err
    code, out, err = cli("rita", "review", "answer", case, "abe_interview")
    assert code == 1 and "Give an answer" in err
    assert audit(cli, case) == []


def test_accept_refused_for_another_users_review(cli, case):
    ok(cli("rita", "review", "start", case))
    code, out, err = cli("rob", "review", "answer", case, "abe_interview", "--accept-proposal")
    assert code == 1 and "author" in err


def test_links_give_linked_cases_and_other_victims(login, cli):
    s = login("sam")
    add_case(s, "CR/2013/000301", phone="07700 900123")
    add_case(s, "CR/2014/000302", phone="07700900123", suspect=("Imran", "Shah", "1975-02-03"))
    out = json.loads(ok(cli("rita", "review", "proposals", "CR/2013/000301", "--json")))
    got = {p["item"]: p for p in out["proposals"]}
    assert got["linked_cases"]["answer"] == "yes"
    assert "CR/2014/000302" in got["linked_cases"]["evidence"][0]["text"]
    assert "900123" not in json.dumps(got["linked_cases"])      # a shared phone named, never quoted
    assert got["other_victims"]["answer"] == "yes"


def test_proposals_read_is_audited(cli, case):
    ok(cli("rita", "review", "proposals", case))
    log = json.loads(ok(cli("sam", "audit", "log", "--case", case, "--json")))
    assert any(e["action"] == "review.proposals" and e["user"] == "rita" for e in log)


def test_accept_section_accepts_only_unanswered(login, case):
    s = login("rita")
    from triage_app.review import workflow
    workflow.start_review(s, case)
    workflow.answer_item(s, case, "abe_interview", "yes")
    done = service.accept_section(s, case, "original")
    assert "abe_interview" not in done and "suspects_interviewed" in done
    answers = {a["item"]: a["answer"] for a in workflow.review_summary(s.conn, 1)["answers"]}
    assert answers["abe_interview"] == "yes" and answers["suspects_interviewed"] == "yes"


def test_pack_prints_the_confirmed_proposal_and_its_evidence(cli, case, tmp_path):
    from pypdf import PdfReader
    ok(cli("rita", "review", "start", case))
    ok(cli("rita", "review", "answer", case, "under16_consent", "--accept-proposal"))
    for item_id in checklist.current().mandatory_ids:
        if item_id != "under16_consent":
            ok(cli("rita", "review", "answer", case, item_id, "--accept-proposal")
               if item_id in ("victim_wishes", "support_offered") else
               cli("rita", "review", "answer", case, item_id, "yes"))
    ok(cli("rita", "review", "recommend", case, "refer", "--rationale", "Consent relied on for a child of 14."))
    ok(cli("rita", "review", "submit", case))
    ok(cli("sam", "review", "decide", case, "approve"))
    out = tmp_path / "pack.pdf"
    ok(cli("rita", "pack", case, "--out", str(out)))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(out)).pages).split())
    assert "Proposed by rule consent.rationale (checklist v1, rules v1), confirmed by rita" in text
    assert "Evidence (NFA rationale): “L. appears to have consented to the activity.”" in text
    assert "Lucy" not in text and "Hartley" not in text
    assert "Proposed by rule abe.text" not in text          # typed answers carry no proposal


def _approved(cli, case):
    """rita's review of `case`: abe_interview confirmed from its proposal, the rest typed; approved by sam."""
    ok(cli("rita", "review", "start", case))
    ok(cli("rita", "review", "answer", case, "abe_interview", "--accept-proposal"))
    for item_id in checklist.current().mandatory_ids:
        if item_id != "abe_interview":
            ok(cli("rita", "review", "answer", case, item_id, "--accept-proposal")
               if item_id in ("victim_wishes", "support_offered") else
               cli("rita", "review", "answer", case, item_id, "yes"))
    ok(cli("rita", "review", "recommend", case, "refer", "--rationale", "Synthetic rationale for the test."))
    ok(cli("rita", "review", "submit", case))
    ok(cli("sam", "review", "decide", case, "approve"))


def test_a_new_version_keeps_the_record_of_answers_confirmed_from_proposals(cli, case, login):
    """A new version of an approved review starts from its answers; one confirmed from a proposal
    stays so (rule, versions, evidence, who confirmed it), and changing it there ends the record."""
    _approved(cli, case)
    s = login("rita")
    first = s.one("SELECT id FROM reviews WHERE version = 1")[0]
    before = service.provenance(s.conn, first)
    assert "abe_interview" in before
    ok(cli("rita", "review", "start", case))                      # version 2, copied forward
    second = s.one("SELECT id FROM reviews WHERE version = 2")[0]
    after = service.provenance(s.conn, second)
    assert after == before                                        # same rule, evidence, confirmer, time
    show = json.loads(ok(cli("rita", "review", "show", case, "--json")))
    assert show["version"] == 2
    assert {a["item"]: a["source"] for a in show["answers"]}["abe_interview"] == "proposal"
    ok(cli("rita", "review", "answer", case, "abe_interview", "yes", "--note", "DVD found in property"))
    assert "abe_interview" not in service.provenance(s.conn, second)
    assert "abe_interview" in service.provenance(s.conn, first)   # the approved version's record stands


def test_review_and_case_show_json_carry_each_answers_source(cli, case):
    ok(cli("rita", "review", "start", case))
    ok(cli("rita", "review", "answer", case, "abe_interview", "--accept-proposal"))
    ok(cli("rita", "review", "answer", case, "exhibits_retained", "yes"))
    review = json.loads(ok(cli("rita", "review", "show", case, "--json")))
    shown = json.loads(ok(cli("rita", "case", "show", case, "--json", "--reason", "review")))["review"]
    for summary in (review, shown):
        got = {a["item"]: a for a in summary["answers"]}
        typed, confirmed = got["exhibits_retained"], got["abe_interview"]
        assert typed["source"] == "typed" and typed["proposal"] is None and typed["answer"] == "yes"
        assert confirmed["source"] == "proposal" and confirmed["answer"] == "no"
        p = confirmed["proposal"]
        assert (p["rule"], p["rules"], p["rules_version"], p["checklist_version"], p["confirmed_by"]) == \
            ("abe.text", "nfa-cse-proposals", 1, 1, "rita")
        assert p["evidence"][0]["text"] == "No ABE was conducted." and p["confirmed_at"]
    assert "Lucy" not in json.dumps(review) and "Hartley" not in json.dumps(review)
