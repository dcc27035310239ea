from datetime import date

from triage_app.triage import rescore

TODAY = date(2026, 1, 1)


def _gang_case(b, ref="CR/2012/100001", **fields):
    cid = b.case(ref, nfa_date=fields.pop("nfa_date", "2012-03-04"), offence_code=fields.pop("offence_code", "19D"),
                 offence_date="2011-10-01", outcome_code=fields.pop("outcome_code", "16"),
                 nfa_rationale=fields.pop("nfa_rationale", "Victim is said to have consented and her lifestyle "
                                          "makes her account unreliable. She later withdrew support."),
                 exhibits_retained="yes", **fields)
    b.nominal(cid, "victim", "Chloe", "Marsh", dob="1998-06-15")
    b.nominal(cid, "suspect", "Gareth", "Pryce", dob="1980-02-02")
    b.nominal(cid, "suspect", "Declan", "Hurst")
    return cid


def test_factors_add_up_and_read_plainly(build):
    _gang_case(build)
    rescore(build.conn, today=TODAY)
    s = build.scored("CR/2012/100001")
    assert s["victim_age"] == 13
    assert sum(f["points"] for f in s["factors"]) == s["priority"] > 0
    reasons = [f["reason"] for f in s["factors"]]
    assert "victim aged 13 at the offence" in reasons
    assert any("19D" in r for r in reasons)
    assert any("'consent'" in r for r in reasons)
    assert any("lifestyle" in r for r in reasons)
    assert any("credibility" in r for r in reasons)
    assert any("withdrawing" in r for r in reasons)
    assert any("exhibits retained" in r for r in reasons)
    assert "2 suspects on the case" in reasons
    # The reason never carries its own points.
    assert not any(r.rstrip().endswith(("+30", "+20", "+10")) for r in reasons)


def test_consent_language_only_counts_for_a_child_under_16(build):
    cid = build.case("CR/2012/100002", offence_date="2011-10-01", nfa_rationale="The complainant consented.")
    build.nominal(cid, "victim", "Amy", "Hale", dob="1994-01-01")  # 17 at the offence
    rescore(build.conn, today=TODAY)
    assert not any("consent" in f["reason"] for f in build.scored("CR/2012/100002")["factors"])


def test_one_rationale_on_many_cases_is_read_for_each_case_by_its_own_victim(build):
    # A rescore reads the cues in each distinct rationale once; the under-16 rule is still each case's.
    text = "The complainant consented. Her lifestyle was noted."
    refs = {"CR/2012/200001": "1994-01-01", "CR/2012/200002": "1999-01-01", "CR/2012/200003": "1994-06-01",
            "CR/2012/200004": "2000-01-01"}     # 17, 12, 17, 11 at the offence
    for ref, dob in refs.items():
        cid = build.case(ref, offence_date="2011-10-01", nfa_rationale=text)
        build.nominal(cid, "victim", "Amy", "Hale", dob=dob)
    rescore(build.conn, today=TODAY)
    consent = {ref: any("consent" in f["reason"] for f in build.scored(ref)["factors"]) for ref in refs}
    lifestyle = {ref: any("lifestyle" in f["reason"] for f in build.scored(ref)["factors"]) for ref in refs}
    assert consent == {"CR/2012/200001": False, "CR/2012/200002": True, "CR/2012/200003": False,
                       "CR/2012/200004": True}
    assert all(lifestyle.values())


def test_younger_victim_and_named_suspect_outrank(build):
    a = build.case("CR/2014/1", offence_date="2013-01-01", outcome_code="18")
    build.nominal(a, "victim", "Ella", "Ward", dob="1996-01-01")  # 17
    b = build.case("CR/2014/2", offence_date="2013-01-01", outcome_code="15")
    build.nominal(b, "victim", "Ruby", "Ford", dob="2001-01-01")  # 12
    rescore(build.conn, today=TODAY)
    assert build.scored("CR/2014/2")["priority"] > build.scored("CR/2014/1")["priority"]


def test_reviewed_before_lowers_and_weights_are_data(build, tmp_path):
    cid = _gang_case(build, previously_reviewed=1)
    rescore(build.conn, today=TODAY)
    s = build.scored("CR/2012/100001")
    assert {"reason": "reviewed before (recorded in the import)", "points": -20} in s["factors"]
    # Another weights file changes the score without code: the victim-age factor doubled.
    from triage_app.paths import resource
    from triage_app.triage.weights import load
    text = resource("triage", "weights.toml").read_text().replace("max_age = 15\npoints = 20", "max_age = 15\npoints = 40")
    (tmp_path / "w.toml").write_text(text)
    rescore(build.conn, [cid], today=TODAY, weights=load(tmp_path / "w.toml"))
    assert build.scored("CR/2012/100001")["priority"] == s["priority"] + 20


def test_rescore_only_touches_the_given_cases(build):
    a = _gang_case(build, "CR/2012/1")
    _gang_case(build, "CR/2012/2")
    rescore(build.conn, [a], today=TODAY)
    assert build.scored("CR/2012/1")["priority"] > 0
    assert build.scored("CR/2012/2")["priority"] == 0


def test_the_stored_factors_and_reasons_are_the_json_the_encoder_writes(build):
    # rescore writes these texts itself (triage._factors_json/_texts_json): they must stay exactly
    # what json.dumps(..., ensure_ascii=False) gives, as the vault has always held them.
    import json
    _gang_case(build)
    rescore(build.conn, today=TODAY)
    factors, why = build.conn.execute("SELECT priority_factors, eligibility_why FROM cases").fetchone()
    assert json.loads(factors) and json.loads(why) and "–" in why
    assert factors == json.dumps(json.loads(factors), ensure_ascii=False)
    assert why == json.dumps(json.loads(why), ensure_ascii=False)
