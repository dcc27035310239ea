"""A synthetic PackData (Faker en_GB) for tests, the benchmark and previews. Never real people."""
from __future__ import annotations

from faker import Faker

from triage_app.pack.model import (Contact, DocumentControl, Factor, Finding, Inquiry, LinkedCase, LinkEnd,
                                   LinkEvidence, PackData, Person, SignOff, VictimRecord)

CATEGORIES = ("forensic", "digital", "linking", "witnesses", "third-party", "law", "victim", "suspect")


def sample_pack(*, inquiries: int = 6, linked: int = 3, long_text: bool = False, seed: int = 7) -> PackData:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    victim = Person("victim", fake.first_name_female(), fake.last_name(), "1996-04-12", 14, "F", "W1")
    suspects = [Person("suspect", fake.first_name_male(), fake.last_name(), f"19{70 + i}-0{i + 1}-1{i}", None, "M",
                       "not stated") for i in range(2)]
    vname = f"{victim.forenames} {victim.surname}"
    repeat = 12 if long_text else 1
    rationale = (f"{vname} gave an account on 3 March 2011 but later declined to support a prosecution. "
                 f"Officers judged that {victim.surname.upper()} was not a credible witness because of missing episodes "
                 f"& the suspects' denials <no ABE interview>. ") * repeat
    rationale += f"\n\nNo further action. {victim.forenames}'s mother was informed."
    summary = (f"{victim.forenames} (14) was reported missing 6 times in 2010. A male known as 'Taz' drove her "
               f"to a flat above a takeaway on {fake.street_name()}. {fake.paragraph(nb_sentences=5)}\n") * repeat
    return PackData(
        ref="CR/2011/104233", force="Westshire Police", prepared_by="rita",
        signoff=SignOff("sam", "supervisor", "2026-11-20", "Agreed. Priority to the phone work; see inquiry 1.", "approve"),
        control=DocumentControl("PK-0A1B2C3D4E5F", 1, "rita", "2026-11-25T10:00:00Z", 42, "ab" * 32),
        case={"offence_code": "19D", "offence_description": "Rape of a female child under 16",
              "offence_date": "2010-11-02", "reported_date": "2011-01-15", "nfa_date": "2011-06-30",
              "outcome_code": "16", "nfa_rationale": rationale, "officer_in_case": "DC " + fake.last_name(),
              "location": fake.street_address().replace("\n", ", "), "exhibits_retained": "yes", "summary": summary},
        people=[victim, *suspects, Person("witness", fake.first_name(), fake.last_name())],
        priority=87, factors=[Factor("Victim under 16 at the offence", 30), Factor("Two or more suspects", 20),
                              Factor("Exhibits retained", 15), Factor("Linked to another NFA case", 22)],
        beaconport=True, csarp=True,
        eligibility_why=["NFA decided 2011-06-30, inside the Beaconport window",
                         "Victim aged 14 at the offence", "Suspects believed alive: not recorded"],
        checklist_id="nfa-review", checklist_version="1",
        findings=[Finding("F1", "yes", f"Clothing retained; re-submit for DNA. {vname} consented to examination then.",
                          "Forensic", "Were exhibits retained that could be re-examined with current techniques?"),
                  Finding("D2", "no", "Phones never seized. " + fake.sentence() * repeat, "Digital",
                          "Were the phones of the victim and suspects seized and examined?"),
                  Finding("L1", "na", None, "Law", "Does the Modern Slavery Act 2015 s2 apply?")],
        inquiries=[Inquiry(n + 1, ("high", "medium", "low")[n % 3], CATEGORIES[n % len(CATEGORIES)],
                           f"Action {n + 1}: {fake.sentence(nb_words=6)}",
                           (f"Because {victim.surname} said " + fake.paragraph(nb_sentences=3) + " ") * (2 if long_text else 1),
                           ("rita", "DS Taskforce", None)[n % 3], "open") for n in range(inquiries)],
        linked=[_linked(n) for n in range(linked)],
        contacts=[Contact("2026-10-02", "Visit with ISVA", "Willing to talk again",
                          f"{victim.forenames} wants to be kept informed by letter, not phone.")],
        support=["ISVA referral made (2026-10-02)", "Counselling information given"],
        recommendation="refer",
        recommendation_rationale=(f"Lines of inquiry were never followed. {vname} has re-engaged. " * repeat
                                  + "Two suspects identified by vehicle."),
        other_victim_names=[("Keira", "Wolstenholme")],
        victims=[VictimRecord(victim.forenames, victim.surname, victim.dob, "14 Holly Bank Road", "LS6 2QF",
                              ["07700 900461"])],
    )


def _linked(n: int) -> LinkedCase:
    """A linked case: the victim's phone used by a suspect there (withheld at 'initials'), and for
    every other one a vehicle the two cases' suspects share (printed: a suspect's detail)."""
    here, there = "CR/2011/104233", f"CR/20{10 + n % 9}/{200000 + n}"
    evidence = [LinkEvidence("phone", "+447700900461", "strong", (LinkEnd("victim", here), LinkEnd("suspect", there)))]
    if n % 2:
        evidence.append(LinkEvidence("vehicle", "AB12CDE", "strong",
                                     (LinkEnd("suspect", here), LinkEnd("suspect", there))))
    return LinkedCase(there, ("strong", "possible")[n % 2], [], "confirmed" if n % 3 == 0 else None, evidence)
