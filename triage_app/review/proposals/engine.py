"""From a case's facts to proposed answers: run the text rules and the field rules, then settle
each item.

Each rule gives candidates (an answer, its evidence, the rule's id, a rank). Per item the lowest
rank present decides: rank 0 are decisive fields (the exhibits field, dates before the Modern
Slavery Act, a victim of 16 or over), rank 1 the free text, rank 2 weaker fields (every suspect
nominal complete). When candidates of one rank disagree the rule's `on_conflict` decides, and
"none" leaves the item for the reviewer to read. Items with no candidate are listed as having no
evidence: a proposal is never made from the absence of words.
"""
from __future__ import annotations

import re

from triage_app.review import checklist as checklists
from triage_app.review.proposals import fields
from triage_app.review.proposals.facts import CaseFacts
from triage_app.review.proposals.model import Candidate, Evidence, Proposal, Result
from triage_app.review.proposals.rules import Rules, TextRule, actor_patterns
from triage_app.review.proposals.text import Span, actor

MAX_EVIDENCE = 3


# --- free text -----------------------------------------------------------------------------------

def _evidence(text: str, source: str, sentence: Span, words: Span) -> Evidence:
    return Evidence(source, text[sentence.start:sentence.end],
                    (words.start - sentence.start, words.end - sentence.start))


def _needs(need: str | None, facts: CaseFacts, rules: Rules, sentence_text: str = "") -> bool:
    if need is None:
        return True
    if need == "victim_under_16":
        age = facts.youngest_victim_age
        return age is not None and age < int(rules.fields.get("under_16", 16))
    if need == "after_modern_slavery_act":
        return fields.after_modern_slavery_act(facts, rules) is True
    if need == "one_suspect_or_all":
        return len(facts.suspects) <= 1 or re.search(r"\b(all|both|every|each)\b", sentence_text, re.I) is not None
    raise ValueError(f"unknown condition {need}")


def _in_clause(rules: Rules, text: str, sentence: Span, at: int) -> Span:
    for c in rules.context.clauses(text, sentence):
        if c.start <= at < c.end:
            return c
    return sentence


def _excluded(rule: TextRule, text: str, clause: Span, m) -> bool:
    """An exclusion is a longer phrase that covers the concept ("ABE interview", "with the girl's
    consent", "prospect of conviction"): the concept is then not what it seems."""
    lo, hi = max(clause.start, m.start() - 40), min(clause.end, m.end() + 40)
    return any(e.start() <= m.start() and e.end() >= m.end() for x in rule.exclude for e in x.finditer(text, lo, hi))


def _rule_sentence(rule: TextRule, rules: Rules, facts: CaseFacts, text: str, source: str, sentence: Span,
                   refs: dict) -> list[Candidate]:
    ctx = rules.context
    whole = text[sentence.start:sentence.end]
    if rule.concept is not None and not rule.concept.search(whole):
        return []
    out = []
    for phrase in rule.phrases:
        m = phrase.pattern.search(text, sentence.start, sentence.end)
        if not m or not _needs(phrase.needs, facts, rules, whole):
            continue
        clause = _in_clause(rules, text, sentence, m.start())
        if rule.actor and actor(text, clause, m.start(), refs) != rule.actor:
            continue
        polarity, _ = ctx.judge(text, clause, Span(m.start(), m.end()), negation=False)
        if polarity == "hedged":
            continue
        out.append(Candidate(rule.item, phrase.answer, _evidence(text, source, sentence, Span(m.start(), m.end())),
                             rule.id))
        return out          # a phrase says it all for this sentence
    if rule.concept is None:
        return out
    for clause in ctx.clauses(text, sentence):
        for m in rule.concept.finditer(text, clause.start, clause.end):
            if _excluded(rule, text, clause, m):
                continue
            if rule.actor and actor(text, clause, m.start(), refs) != rule.actor:
                continue
            polarity, words = ctx.judge(text, clause, Span(m.start(), m.end()), negation=rule.negation_applies,
                                        inside=rule.negation_inside)
            if polarity == "hedged":
                break
            answer = rule.affirmed if polarity == "affirmed" else rule.negated
            if polarity == "affirmed" and answer:
                part = text[clause.start:clause.end]
                if rule.affirmed_only_if and not rule.affirmed_only_if.search(part):
                    continue
                if rule.affirmed_needs and not rule.affirmed_needs.search(part):
                    continue
            if answer:
                out.append(Candidate(rule.item, answer, _evidence(text, source, sentence, words), rule.id))
                break
    return out


def text_candidates(facts: CaseFacts, rules: Rules) -> list[Candidate]:
    refs = actor_patterns(rules, facts.names("victim"), facts.names("suspect"))
    out = []
    split = {}
    for rule in rules.text:
        if not _needs(rule.needs, facts, rules):
            continue
        for source in rule.sources:
            text = facts.text(source)
            if not text:
                continue
            if source not in split:
                split[source] = rules.context.sentences(text)
            for sentence in split[source]:
                out += _rule_sentence(rule, rules, facts, text, source, sentence, refs)
    return out


# --- settling each item ----------------------------------------------------------------------------

def _settle(cands: list[Candidate], on_conflict: dict[str, str]) -> tuple[str, list[Candidate]] | None:
    top = min(c.rank for c in cands)
    cands = [c for c in cands if c.rank == top]
    answers = {c.answer for c in cands}
    if len(answers) == 1:
        answer = answers.pop()
    else:
        answer = on_conflict.get(cands[0].item, "none")
        if answer not in answers:
            return None
    return answer, [c for c in cands if c.answer == answer]


def propose(facts: CaseFacts, rules: Rules) -> Result:
    checklist = checklists.load(rules.checklist_id, rules.checklist_version)
    cands = text_candidates(facts, rules) + fields.candidates(facts, rules)
    on_conflict = {r.item: r.on_conflict for r in rules.text}
    by_item: dict[str, list[Candidate]] = {}
    for c in cands:
        by_item.setdefault(c.item, []).append(c)
    settled = {item: _settle(cs, on_conflict) for item, cs in by_item.items()}
    # What follows from another item's answer (the CPS test of a decision that rested on consent).
    for c in fields.derived(settled, rules):
        settled.setdefault(c.item, (c.answer, [c]))
    proposals = []
    for it in checklist.items:
        got = settled.get(it.id)
        if not got:
            continue
        answer, chosen = got
        seen, evidence = set(), []
        for c in chosen:
            key = (c.evidence.source, c.evidence.text)
            if key not in seen:
                seen.add(key)
                evidence.append(c.evidence)
        proposals.append(Proposal(it.id, answer, chosen[0].rule, rules.version, evidence[:MAX_EVIDENCE]))
    answered = {p.item for p in proposals}
    return Result(rules, proposals, [it.id for it in checklist.items if it.id not in answered])
