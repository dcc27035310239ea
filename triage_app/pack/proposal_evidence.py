"""Answers confirmed from a proposal, in the pack: the rule that proposed them and the evidence
the reviewer confirmed, with the deciding words in bold (issue 16).

`attach(conn, review, findings)` fills each Finding whose answer was confirmed from a proposal;
`question_cell(finding)` is the findings table's question cell with that evidence beneath the
question. Evidence is kept as (source, before, words, after) so identity minimisation redacts
each piece and the bold stays on the right words.
"""
from __future__ import annotations

from reportlab.platypus import Paragraph

from triage_app.pack.model import Finding
from triage_app.pack.styles import markup, styles

SOURCE_WORDS = {"summary": "summary", "nfa_rationale": "NFA rationale", "links": "links",
                "exhibits_retained": "exhibits retained field", "nominals": "nominals",
                "age_at_offence": "victim's age at the offence", "offence_date": "offence date",
                "nfa_date": "NFA date", "contacts": "contact record", "location": "location field"}


def attach(conn, review: dict, findings: list[Finding]) -> None:
    from triage_app.review.proposals.service import provenance
    prov = provenance(conn, review["review_id"])
    for f in findings:
        p = prov.get(f.item_id)
        if not p or p["answer"] != f.answer:
            continue
        f.proposed_by = f"{p['proposed_by'][0].upper()}{p['proposed_by'][1:]}, confirmed by {p['confirmed_by']}"
        f.evidence = []
        for e in p["evidence"]:
            t, (a, b) = e["text"], e["highlight"]
            f.evidence.append((SOURCE_WORDS.get(e["source"], e["source"]), t[:a], t[a:b], t[b:]))


def question_cell(f: Finding) -> Paragraph:
    head = (f"<b>{markup(f.section)}</b><br/>" if f.section else "") + markup(f.text or f.item_id)
    if f.proposed_by:
        head += f"<br/><i>{markup(f.proposed_by)}.</i>"
        for source, before, words, after in f.evidence:
            head += f"<br/>Evidence ({markup(source)}): “{markup(before)}<b>{markup(words)}</b>{markup(after)}”"
    return Paragraph(head, styles()["cell"])
