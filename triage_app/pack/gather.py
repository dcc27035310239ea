"""Fill a PackData from the vault: the case, its people, the triage result, the approved review and
the linked cases. Reads only; the caller (issue.py) holds the transaction and writes the audit.
"""
from __future__ import annotations

import json

from triage_app.chronology import build as build_chronology
from triage_app.errors import NotFound, Refused
from triage_app.linking.graph import all_pairs
from triage_app.pack import proposal_evidence
from triage_app.pack.identity import check_level, minimise, victim_records
from triage_app.pack.links_section import evidence_for
from triage_app.pack.material import gather as gather_material
from triage_app.pack.model import (Contact, DocumentControl, Factor, Finding, Inquiry, LinkedCase, PackData, Person,
                                   SignOff)
from triage_app.review import checklist as checklists
from triage_app.review.summary import approved_review

CASE_FIELDS = ("offence_code", "offence_description", "offence_date", "reported_date", "nfa_date", "outcome_code",
               "nfa_rationale", "officer_in_case", "location", "exhibits_retained", "summary")
SUPPORT_WORDS = {"isva": "Independent Sexual Violence Adviser (ISVA) offered",
                 "ictg": "Independent Child Trafficking Guardian (ICTG) offered"}
FORCE_UNKNOWN = "Not recorded in this vault"


def case_row(conn, ref: str):
    row = conn.execute("SELECT * FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {ref} in this vault.")
    return row


def approved(conn, case_id: int, ref: str) -> dict:
    review = approved_review(conn, case_id)
    if review is None or not review.get("decision"):
        raise Refused(f"Case {ref} has no approved review; a referral pack is made only from a review "
                      "a supervisor has approved.")
    return review


def _json_list(text) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _flag(value) -> bool | None:
    return None if value is None else bool(value)


def _links(conn, case_id: int, ref: str) -> list[LinkedCase]:
    """This case's links (rejected ones left out), each with the structured evidence behind it;
    the printed basis is made from that evidence by `identity.minimise`, never copied from the
    linker's sentences (which quote victims' phones, addresses and dates of birth)."""
    pairs = [p for p in all_pairs(conn, case_id) if ref in (p["a"], p["b"])]
    evidence = evidence_for(conn, [p["_ids"] for p in pairs])
    return [LinkedCase(p["b"] if p["a"] == ref else p["a"], p.get("strength"), [], p.get("judgement"),
                       evidence.get(tuple(sorted(p["_ids"])), []))
            for p in pairs]


def _linked_ids(conn, links: list[LinkedCase]) -> list[int]:
    refs = [l.ref for l in links]
    ids = []
    for i in range(0, len(refs), 500):
        part = refs[i:i + 500]
        ids += [r[0] for r in conn.execute(f"SELECT id FROM cases WHERE ref IN ({','.join('?' * len(part))})", part)]
    return ids


def _findings(conn, review: dict) -> list[Finding]:
    cl_id, cl_version = review["checklist"]["id"], review["checklist"]["version"]
    try:
        cl = checklists.load(cl_id, cl_version)
    except Exception:   # a checklist file gone from this install: print the answers without questions
        cl = None
    out = []
    for a in review.get("answers", []):
        item = next((it for it in cl.items if it.id == a["item"]), None) if cl else None
        out.append(Finding(a["item"], a["answer"], a.get("note"),
                           cl.section_title(item.section) if item else None, item.text if item else None))
    proposal_evidence.attach(conn, review, out)     # answers confirmed from a proposal: rule and evidence
    return out


def _support(contacts: list[dict]) -> list[str]:
    out = []
    for c in contacts:
        for s in c.get("support_offered") or []:
            line = f"{SUPPORT_WORDS.get(s, s)} ({c.get('date')})"
            if line not in out:
                out.append(line)
    return out


def gather(conn, case_ref: str, identity: str = "initials", control: DocumentControl | None = None,
           append_attachments=None) -> PackData:
    """The pack's content for an approved review, minimised to `identity`; Refused otherwise."""
    check_level(identity)
    case = case_row(conn, case_ref)
    review = approved(conn, case["id"], case_ref)
    decision = review["decision"]
    # The triage result as the review found it: the approval being packed does not make the case
    # "reviewed before" in its own referral (it would read as failing the Beaconport intake).
    from triage_app.triage import assess
    triage = assess(conn, case["id"], exclude_review=review["review_id"])
    force = conn.execute("SELECT value FROM meta WHERE key = 'force_name'").fetchone()
    links = _links(conn, case["id"], case_ref)
    people = [Person(r["role"], r["forenames"], r["surname"], r["dob"], r["age_at_offence"], r["gender"], r["ethnicity"])
              for r in conn.execute("SELECT * FROM nominals WHERE case_id = ? ORDER BY id", (case["id"],))]
    control = control or DocumentControl("PREVIEW", 0, review["author"], "", 0, "", identity)
    control.review_version = review["version"]
    data = PackData(
        ref=case_ref, force=force[0] if force else FORCE_UNKNOWN, prepared_by=review["author"],
        signoff=SignOff(decision["by"], decision.get("role"), decision.get("date"), decision.get("comment"),
                        decision.get("decision", "approve")),
        control=control,
        case={k: case[k] for k in CASE_FIELDS},
        people=people,
        priority=triage["priority"],
        factors=[Factor(f.get("reason", ""), f.get("points")) for f in triage["factors"] if isinstance(f, dict)],
        beaconport=_flag(triage["beaconport"]), csarp=_flag(triage["csarp"]),
        eligibility_why=[str(w) for w in triage["eligibility_why"]],
        checklist_id=review["checklist"]["id"], checklist_version=str(review["checklist"]["version"]),
        findings=_findings(conn, review),
        inquiries=[Inquiry(i["number"], i["priority"], i["category"], i["title"], i.get("rationale"), i.get("owner"),
                           i.get("status")) for i in review.get("inquiries", [])],
        linked=links,
        contacts=[Contact(c.get("date"), c.get("method"), c.get("outcome"), c.get("wishes"))
                  for c in review.get("contacts", [])],
        support=_support(review.get("contacts", [])),
        recommendation=review.get("recommendation"),
        recommendation_rationale=review.get("rationale"),
        chronology=build_chronology(conn, case_ref, identity=identity),
        material=gather_material(conn, case["id"], identity, append_attachments),
        victims=victim_records(conn, [case["id"]] + _linked_ids(conn, links)),
    )
    return minimise(data, identity)
