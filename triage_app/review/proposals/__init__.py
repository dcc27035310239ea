"""Proposed answers (issue 16): the checklist reads the file first.

For each checklist item with evidence in the record the tool proposes an answer (yes / no / na),
the evidence it rests on (a field, the links, or a sentence of the summary or NFA rationale with
the deciding words highlighted) and the rule that made it. A proposal is never an answer: the
reviewer confirms it with one key (an audited answer that says "proposed by rule R (checklist vN,
rules vM), confirmed by user") or answers otherwise; nothing is submitted on a proposal alone.

- `rules`: versioned rule files in resources/proposals/ (one per checklist version).
- `text`: sentences, clauses, ConText-style negation and hedging, whose action a clause describes.
- `fields`: proposals from the structured record, the links and the review's contact record.
- `engine.propose(facts, rules)` → `Result` (proposals + items with no evidence).
- `facts`: `CaseFacts`, plain data (the vault fills it in `service`; the corpus fills it directly).
- `service`: `proposals_for(session, ref)` (an audited read), `accept(session, ref, item)`,
  `provenance(conn, review_id)`.
- `schema`: migration 31, where an answer confirmed from a proposal keeps its rule and evidence.
"""
