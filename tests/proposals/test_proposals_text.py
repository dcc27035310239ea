"""The free-text rules on single sentences: negation, hedging, whose action, several actions in
one sentence. Each test is one reviewer's reading of one sentence."""
import pytest

from triage_app.review import checklist
from triage_app.review.proposals import rules as rules_mod
from triage_app.review.proposals.engine import propose
from triage_app.review.proposals.facts import CaseFacts, Nominal


def proposals(summary="", rationale="", age=14, suspects=(("Imran", "Shah", "1975-02-03"),), **kw):
    cl = checklist.current()
    rules = rules_mod.for_checklist(cl.id, cl.version)
    facts = CaseFacts(summary=summary, nfa_rationale=rationale, victims=[Nominal("Lucy", "Hartley", None, age)],
                      suspects=[Nominal(*s) for s in suspects], **kw)
    return {p.item: p for p in propose(facts, rules).proposals}


def answer(item, summary="", **kw):
    p = proposals(summary, **kw).get(item)
    return p.answer if p else None


@pytest.mark.parametrize("sentence, expected", [
    ("An ABE interview was conducted on 03/04/2012.", "yes"),
    ("No ABE was conducted.", "no"),
    ("Lucy declined an ABE interview.", "no"),
    ("ABE not completed; Lucy gave a written account.", "no"),
    ("It is unclear whether an ABE interview took place.", None),
    ("An ABE may have been arranged.", None),
    ("ABE to be considered if Lucy re-engages.", None),
    ("The suspect was not interviewed but Lucy was ABE interviewed on 4 May 2012.", "yes"),
    ("Imran has never held a passport and ABE completed on 19 April 2018.", "yes"),
])
def test_abe_negation_and_hedging(sentence, expected):
    assert answer("abe_interview", sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Imran was arrested and interviewed under caution; he made no comment.", "yes"),
    ("Suspect not interviewed.", "no"),
    ("Lucy was interviewed by DC 1234 PATEL at her home address.", None),            # the victim's interview
    ("The taxi driver was interviewed as a witness.", None),
    ("The suspect was not interviewed but Lucy was ABE interviewed on 4 May 2012.", "no"),
    ("Suspect left the country before he could be interviewed.", "no"),
    ("Only Imran was interviewed; the second male was never located.", "no"),
    ("It is not clear whether Imran was ever interviewed.", None),
    ("Following a VRI, Imran was arrested, interviewed and released with no further action.", "yes"),
])
def test_suspects_interviewed_whose_action(sentence, expected):
    assert answer("suspects_interviewed", sentence) == expected


def test_several_actions_in_one_sentence():
    got = proposals("No ABE was conducted, the phone was not seized and the suspects were not interviewed.")
    assert (got["abe_interview"].answer, got["phones_examined"].answer, got["suspects_interviewed"].answer) == \
        ("no", "no", "no")
    got = proposals("ANPR was checked but taxi records and social media were not.")
    assert got["wider_digital"].answer == "yes"     # any of them sought: the item's guidance


def test_victim_criminalised_is_the_victims_own_arrest():
    assert answer("victim_criminalised", "Lucy received a caution for shoplifting in 2011.") == "yes"
    assert answer("victim_criminalised", "Imran was arrested on suspicion of rape and bailed.") is None
    assert answer("victim_criminalised", "Lucy has no convictions or cautions.") == "no"


def test_consent_depends_on_age_and_leads_to_cps():
    got = proposals(rationale="Lucy appears to have consented to the activity.", age=14)
    assert got["under16_consent"].answer == "yes" and got["cps_guidance"].answer == "no"
    assert got["victim_blaming"].answer == "yes"
    got = proposals(rationale="Lucy appears to have consented to the activity.", age=16)
    assert got["under16_consent"].answer == "na" and "cps_guidance" not in got
    assert "under16_consent" not in proposals(rationale="Health records obtained with the girl's consent.")


def test_highlight_marks_the_deciding_words():
    p = proposals("Filed. No ABE was conducted.")["abe_interview"]
    e = p.evidence[0]
    assert e.source == "summary" and e.text == "No ABE was conducted."
    assert e.text[e.highlight[0]:e.highlight[1]] == "No ABE"
    assert p.rule == "abe.text"


def test_fields_dates_and_suspects():
    got = proposals(offence_date="2013-05-01", nfa_date="2014-01-01", exhibits_retained="Y")
    assert got["modern_slavery"].answer == "na" and got["modern_slavery"].evidence[0].source == "offence_date"
    assert got["exhibits_retained"].answer == "yes"
    got = proposals(suspects=(("Taz", "", None),), offence_date="2016-05-01")
    assert got["suspects_identified"].answer == "no" and "modern_slavery" not in got
    assert "suspects_identified" not in proposals(suspects=())


def test_no_proposal_from_silence():
    got = proposals("Report received via 101. Strategy meeting held with partner agencies.", suspects=())
    assert set(got) <= {"modern_slavery"}
