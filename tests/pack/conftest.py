"""A case with people, a triage result and an approved review, all synthetic, for pack tests."""
import json

import pytest

from triage_app.review import checklist, workflow

REF = "CR/2012/555001"
UNAPPROVED = "CR/2013/555002"
VICTIM = ("Keeley", "Ashworth")          # synthetic (Faker en_GB style); never a real person
SUSPECT = ("Imran", "Dalton")
LINKED_VICTIM = ("Tamsin", "Oakridge")


def add_case(session, ref: str, *, rationale: str, victim=VICTIM) -> int:
    with session.change("import", "test.case", kind="collection", case=ref):
        conn = session.conn
        cid = conn.execute(
            "INSERT INTO cases(ref, offence_code, offence_description, offence_date, nfa_date, outcome_code, "
            "nfa_rationale, summary, exhibits_retained, imported_at, updated_at, priority, priority_factors, "
            "beaconport, csarp, eligibility_why) VALUES (?, '19D', 'Rape of a female child under 16', '2011-09-14', "
            "'2012-05-02', '16', ?, ?, 'yes', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 71, ?, 1, 1, ?)",
            (ref, rationale, f"{victim[0]} was picked up from school by a man in a silver car.",
             json.dumps([{"reason": "Victim under 16 at the offence", "points": 30}]),
             json.dumps(["NFA decided 2012-05-02, inside the Beaconport window"]))).lastrowid
        for role, (fore, sur), dob, age in (("victim", victim, "1997-02-11", 14), ("suspect", SUSPECT, "1980-07-30", None)):
            conn.execute("INSERT INTO nominals(case_id, role, surname, forenames, name_norm, dob, age_at_offence, "
                         "natural_key) VALUES (?,?,?,?,?,?,?,?)",
                         (cid, role, sur, fore, f"{fore} {sur}".lower(), dob, age, f"{role}|{fore}|{dob}"))
    return cid


def review_to(login, ref: str, *, approve: bool, comment: str = "Agreed; refer to the Taskforce.") -> None:
    rita, sam = login("rita"), login("sam")
    workflow.start_review(rita, ref)
    for item_id in checklist.current().mandatory_ids:
        workflow.answer_item(rita, ref, item_id, "no", note=f"Not done at the time; {VICTIM[1]} was never re-contacted.")
    workflow.raise_inquiry(rita, ref, title="Re-submit clothing for DNA", category="forensic", priority="high",
                           rationale=f"Exhibits retained; {VICTIM[0]} {VICTIM[1]}'s account names the car.", owner="rita")
    workflow.raise_inquiry(rita, ref, title="Trace silver car <VRM unknown> & owner", category="digital",
                           priority="medium", rationale="ANPR & taxi records.")
    workflow.record_contact(rita, ref, contact_date="2026-10-01", method="visit", outcome="Willing to talk",
                            wishes=f"{VICTIM[0].upper()} wants letters, not calls.", support=["isva"])
    workflow.recommend(rita, ref, "refer", f"Lines never followed; {VICTIM[1]} has re-engaged.")
    workflow.submit(rita, ref)
    if approve:
        workflow.decide(sam, ref, "approve", comment)


@pytest.fixture
def approved_case(login):
    sam = login("sam")
    add_case(sam, REF, rationale=f"{VICTIM[0]} {VICTIM[1]} withdrew support. ASHWORTH was judged not credible "
                                 f"<missing episodes> & the suspect denied it.\n\nNFA.")
    review_to(login, REF, approve=True)
    return REF


@pytest.fixture
def submitted_case(login):
    add_case(login("sam"), UNAPPROVED, rationale="No further action.")
    review_to(login, UNAPPROVED, approve=False)
    return UNAPPROVED


@pytest.fixture
def outdir(tmp_path):
    """A folder of its own for packs (the vault sits in tmp_path)."""
    d = tmp_path / "out"
    d.mkdir()
    return d


LINKED = "CR/2010/555003"


@pytest.fixture
def linked_case(login, approved_case):
    """Another NFA case with the same suspect (same name and date of birth): a strong link."""
    from triage_app.linking import relink
    sam = login("sam")
    add_case(sam, LINKED, rationale="No further action.", victim=LINKED_VICTIM)
    with sam.change("import", "test.relink", kind="combination"):
        relink(sam.conn)
    return LINKED
