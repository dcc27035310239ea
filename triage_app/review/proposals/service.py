"""Proposals against the vault: read a case's facts, propose, accept. The faces call these.

- `proposals_for(session, ref)` → the `review proposals --json` shape (design.md §3), victims
  minimised in the evidence; an audited consultation.
- `accept(session, ref, item)` → one audited change: the proposed answer becomes the item's answer
  and its provenance (rule, rules and checklist versions, evidence) is kept beside it. The audit
  entry says "proposed by rule R (checklist vN, rules vM), confirmed by USER"; a typed answer's
  entry says source "typed".
- `accept_section(session, ref, section)` → accepts the proposals of a section's unanswered items
  (never overwrites an answer the reviewer gave), one audited change per item.
- `provenance(conn, review_id)` → {item: {...}} for the screen and the pack.
"""
from __future__ import annotations

import json

from triage_app.audit import utc_now
from triage_app.errors import BadInput, NotFound
from triage_app.pack.identity import redact_text
from triage_app.review import checklist as checklists
from triage_app.review.checklist import code
from triage_app.review.proposals import rules as rules_mod
from triage_app.review.proposals.engine import propose
from triage_app.review.proposals.facts import CaseFacts, Link, Nominal
from triage_app.review.summary import contacts as review_contacts
from triage_app.review.summary import latest_review, proposal_records

LINK_KINDS = (("phone", "phone"), ("vehicle", "vehicle"), ("address", "address"), ("person", "person"))


def _case(conn, ref: str):
    row = conn.execute("SELECT * FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {code(ref)} in the vault.")
    return row


def _kinds(basis: list[str]) -> tuple[str, ...]:
    """What a link shares, in words without values (a basis may quote a victim's phone)."""
    text = " ".join(str(b) for b in basis).lower()
    return tuple(word for key, word in LINK_KINDS if f"same {key}" in text or f"possibly the same {key}" in text)


def _links(conn, case_id: int, ref: str) -> tuple[list[Link], dict[str, int]]:
    from triage_app.linking import cluster_for_case, links_for_case
    links = []
    for p in links_for_case(conn, case_id, explained=False):
        other = p["b"] if p["a"] == ref else p["a"]
        links.append(Link(other, p["strength"], p.get("judgement"), _kinds(p.get("basis") or [])))
    # The cluster: cases reached from this one over strong or confirmed links only.
    chart = cluster_for_case(conn, case_id)
    labels = {n["id"]: n["label"] for n in chart["nodes"] if n["type"] == "case"}
    firm = [(e["source"], e["target"]) for e in chart["edges"]
            if e["type"] == "link" and (e.get("strength") == "strong" or e.get("judgement") == "confirmed")]
    seen, todo = {f"case:{case_id}"}, [f"case:{case_id}"]
    while todo:
        node = todo.pop()
        for a, b in firm:
            other = b if a == node else a if b == node else None
            if other and other not in seen:
                seen.add(other)
                todo.append(other)
    cluster = sorted(labels[n] for n in seen if n in labels and labels[n] != ref)
    victims = {}
    if cluster:
        marks = ",".join("?" * len(cluster))
        for other, n in conn.execute(
                f"SELECT c.ref, count(*) FROM nominals n JOIN cases c ON c.id = n.case_id "
                f"WHERE n.role = 'victim' AND c.ref IN ({marks}) GROUP BY c.ref", cluster):
            victims[other] = n
    return links, victims


def case_facts(conn, ref: str, review: dict | None = None) -> CaseFacts:
    case = _case(conn, ref)
    people = conn.execute("SELECT role, forenames, surname, dob, age_at_offence FROM nominals WHERE case_id = ? "
                          "ORDER BY id", (case["id"],)).fetchall()
    victims = [Nominal(r[1], r[2], r[3], r[4]) for r in people if r[0] == "victim"]
    suspects = [Nominal(r[1], r[2], r[3], r[4]) for r in people if r[0] == "suspect"]
    links, cluster_victims = _links(conn, case["id"], ref)
    return CaseFacts(
        ref=ref, summary=case["summary"] or "", nfa_rationale=case["nfa_rationale"] or "",
        exhibits_retained=case["exhibits_retained"], offence_date=case["offence_date"], nfa_date=case["nfa_date"],
        location=case["location"], victims=victims, suspects=suspects, links=links,
        cluster_victims=cluster_victims,
        contacts=review_contacts(conn, review["id"]) if review else [])


def _victim_names(conn, ref: str, facts: CaseFacts) -> list[tuple[str | None, str | None]]:
    refs = [ref] + [l.other for l in facts.links or []]
    marks = ",".join("?" * len(refs))
    return [(r[0], r[1]) for r in conn.execute(
        f"SELECT n.forenames, n.surname FROM nominals n JOIN cases c ON c.id = n.case_id "
        f"WHERE n.role = 'victim' AND c.ref IN ({marks})", refs)]


SEP = "\x00"     # never in a name; a non-word character, so name boundaries hold across it


def minimise_evidence(evidence: list[dict], names) -> list[dict]:
    """Victims' names in evidence sentences become initials, each highlight moved to match. One
    pass over all the pieces (before, deciding words, after), so the names are compiled once."""
    pieces = []
    for e in evidence:
        t, (a, b) = e["text"], e["highlight"]
        pieces += [t[:a], t[a:b], t[b:]]
    if not names or not pieces:
        return evidence
    out_pieces = (redact_text(SEP.join(pieces), names) or "").split(SEP)
    out = []
    for i, e in enumerate(evidence):
        before, words, after = out_pieces[3 * i:3 * i + 3]
        out.append({**e, "text": before + words + after, "highlight": [len(before), len(before) + len(words)]})
    return out


def _checklist_for(review: dict | None):
    if review:
        return checklists.load(review["checklist_id"], review["checklist_version"])
    return checklists.current()


def _result(conn, ref: str):
    case = _case(conn, ref)
    review = latest_review(conn, case["id"])
    cl = _checklist_for(review)
    rules = rules_mod.for_checklist(cl.id, cl.version)
    facts = case_facts(conn, ref, review)
    if rules is None:
        return review, cl, None, facts
    return review, cl, propose(facts, rules), facts


def compute(conn, ref: str) -> dict:
    """The proposals of a case as design.md §3 shapes them, minimised; no audit (the caller's)."""
    review, cl, result, facts = _result(conn, ref)
    if result is None:
        return {"proposals": [], "no_evidence": [it.id for it in cl.items], "rules": None, "rules_version": None,
                "checklist": cl.id, "checklist_version": cl.version}
    out = result.as_dict()
    names = _victim_names(conn, ref, facts)
    flat = minimise_evidence([e for p in out["proposals"] for e in p["evidence"]], names)
    for p in out["proposals"]:
        p["evidence"], flat = flat[:len(p["evidence"])], flat[len(p["evidence"]):]
    return out


def proposals_for(session, ref: str) -> dict:
    """Proposed answers for the case's review (or the current checklist when none is started)."""
    session.require("read")
    out = compute(session.conn, ref)
    session.record("read", "review.proposals", case=ref,
                   detail={"justification": "proposed answers for the review", "rules": out["rules"],
                           "rules_version": out["rules_version"], "proposals": len(out["proposals"])})
    return out


def proposed_by(rule: str, checklist_version: int, rules_version: int) -> str:
    return f"proposed by rule {rule} (checklist v{checklist_version}, rules v{rules_version})"


def accept(session, ref: str, item_id: str) -> dict:
    """Confirm the proposal for one item: its answer becomes the item's answer. Refused when the
    review isn't the user's to edit; BadInput when there is no proposal for the item now."""
    from triage_app.review.workflow import _case as case_id_of, _editable
    with session.change("review", "review.answer", case=ref, detail={"item": item_id, "source": "proposal"}) as entry:
        conn = session.conn
        review = _editable(session, case_id_of(conn, ref), ref)
        cl = checklists.load(review["checklist_id"], review["checklist_version"])
        cl.item(item_id)
        out = compute(conn, ref)
        p = next((x for x in out["proposals"] if x["item"] == item_id), None)
        if p is None:
            raise BadInput(f"There is no proposed answer for item {code(item_id)} on case {code(ref)}; "
                           "answer it yourself.")
        now = utc_now()
        conn.execute("INSERT INTO review_answers(review_id, item_id, answer, note, answered_at) VALUES (?,?,?,NULL,?) "
                     "ON CONFLICT(review_id, item_id) DO UPDATE SET answer = excluded.answer, "
                     "answered_at = excluded.answered_at", (review["id"], item_id, p["answer"], now))
        conn.execute("DELETE FROM review_answer_proposals WHERE review_id = ? AND item_id = ?", (review["id"], item_id))
        conn.execute("INSERT INTO review_answer_proposals(review_id, item_id, answer, rule, rules_id, rules_version, "
                     "checklist_id, checklist_version, evidence, confirmed_by, confirmed_at) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     (review["id"], item_id, p["answer"], p["rule"], out["rules"], out["rules_version"], cl.id,
                      cl.version, json.dumps(p["evidence"], ensure_ascii=False), session.user, now))
        entry.update(answer=p["answer"], version=review["version"], rule=p["rule"], rules=out["rules"],
                     rules_version=out["rules_version"], checklist=cl.id, checklist_version=cl.version,
                     confirmed_by=session.user,
                     proposed_by=proposed_by(p["rule"], cl.version, out["rules_version"]) + f", confirmed by {session.user}")
        return p


def accept_section(session, ref: str, section_id: str) -> list[str]:
    """Accept every proposal of a section whose item has no answer yet; returns the items accepted."""
    conn = session.conn
    case = _case(conn, ref)
    review = latest_review(conn, case["id"])
    cl = _checklist_for(review)
    if section_id not in dict(cl.sections):
        raise BadInput(f"The checklist has no section {code(section_id)}.")
    answered = {r[0] for r in conn.execute("SELECT item_id FROM review_answers WHERE review_id = ?",
                                           (review["id"],))} if review else set()
    items = {it.id for it in cl.items if it.section == section_id}
    wanted = [p["item"] for p in compute(conn, ref)["proposals"] if p["item"] in items and p["item"] not in answered]
    done = []
    for item_id in wanted:
        accept(session, ref, item_id)
        done.append(item_id)
    return done


def provenance(conn, review_id: int) -> dict[str, dict]:
    return {item: {**rec, "proposed_by": proposed_by(rec["rule"], rec["checklist_version"], rec["rules_version"])}
            for item, rec in proposal_records(conn, review_id).items()}
