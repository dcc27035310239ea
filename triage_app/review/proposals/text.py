"""Reading free text for proposals: sentences, clauses, and what a clause says of a concept.

ConText (Harkema et al., 2009) in the small: a concept found in a clause is *hedged* when an
uncertainty trigger reaches it, else *negated* when a negation trigger does, else *affirmed*.
Triggers reach a few words forward (before the concept) or backward (after it) and never past a
terminator ("but", "however", ";"), so one sentence can affirm one action and negate another.
Pseudo-triggers ("no further action", "no comment") are blanked out before triggers are looked
for. Every span is kept as offsets into the original text, so evidence can highlight its words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PRE_WORDS = 6       # how far a trigger before the concept reaches, in words
POST_WORDS = 3      # how far a trigger after it reaches (short: "consensual and she does not dispute…")
HEDGE_POST_WORDS = 6


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Found:
    """A concept (or a phrase) found in a sentence and what the clause says of it."""
    polarity: str           # affirmed / negated / hedged
    sentence: Span
    words: Span             # the deciding words: the concept and its trigger together


def sentences(text: str, abbreviations: re.Pattern) -> list[Span]:
    """Sentence spans: a full stop, ? or ! followed by space and a capital, digit or quote, or a line
    break; a full stop after a known abbreviation ("DC", "approx.", "No.") does not end one."""
    out, start = [], 0
    for m in re.finditer(r"[.!?](?=\s+[\"“'(A-Z0-9])|\n+", text):
        end = m.end()
        if m.group().startswith(".") and abbreviations.search(text[max(0, m.start() - 12):m.start() + 1]):
            continue
        _add(out, text, start, end)
        start = end
    _add(out, text, start, len(text))
    return out


def _add(out: list, text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


def clauses(text: str, sentence: Span, terminators: re.Pattern) -> list[Span]:
    out, start = [], sentence.start
    for m in terminators.finditer(text, sentence.start, sentence.end):
        _add(out, text, start, m.start())
        start = m.end()
    _add(out, text, start, sentence.end)
    return out


def _blank(text: str, pattern: re.Pattern) -> str:
    """The text with pseudo-triggers overwritten by spaces (offsets unchanged)."""
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _word_gap(text: str, a: int, b: int) -> int:
    return len(re.findall(r"\S+", text[a:b]))


class Context:
    """The trigger sets of one rules file, compiled."""

    def __init__(self, cfg: dict):
        def alt(items):
            return re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE) if items else None
        self.abbreviations = re.compile(r"(?<![\w.])(?:" + "|".join(cfg["abbreviations"]) + r")\.$", re.IGNORECASE)
        self.terminators = alt(cfg["terminators"])
        self.neg_before = alt(cfg["negation_before"])
        self.neg_after = alt(cfg["negation_after"])
        self.hedge_before = alt(cfg["hedge_before"])
        self.hedge_after = alt(cfg["hedge_after"])
        self.pseudo = alt(cfg["pseudo"])
        blocked = cfg.get("negation_blocked_by")
        self.neg_blocked = re.compile(blocked, re.IGNORECASE) if blocked else None

    def sentences(self, text: str) -> list[Span]:
        return sentences(text, self.abbreviations)

    def clauses(self, text: str, sentence: Span) -> list[Span]:
        return clauses(text, sentence, self.terminators)

    def judge(self, text: str, clause: Span, concept: Span, negation: bool = True,
              inside: bool = False) -> tuple[str, Span]:
        """What the clause says of the concept, and the deciding words (concept plus trigger).
        A hedge inside a long concept counts ("exhibits may still be held"); a negation inside it
        only when `inside` (a concept such as "not credible" carries its own "not")."""
        plain = _blank(text[:clause.end], self.pseudo)
        for pattern in (self.hedge_before, self.hedge_after):
            if pattern is not None and pattern.search(plain, concept.start, concept.end):
                return "hedged", concept
        for pattern, before, reach in ((self.hedge_before, True, PRE_WORDS + 2), (self.hedge_after, False, HEDGE_POST_WORDS)):
            hit = self._reach(plain, clause, concept, pattern, before, reach)
            if hit:
                return "hedged", hit
        if negation:
            if inside:
                for pattern in (self.neg_before, self.neg_after):
                    if pattern.search(plain, concept.start + 1, concept.end):
                        return "negated", concept
            for pattern, before, reach in ((self.neg_before, True, PRE_WORDS), (self.neg_after, False, POST_WORDS)):
                hit = self._reach(plain, clause, concept, pattern, before, reach,
                                  self.neg_blocked if before else None)
                if hit:
                    return "negated", hit
        return "affirmed", concept

    @staticmethod
    def _reach(plain: str, clause: Span, concept: Span, pattern, before: bool, reach: int,
               blocked: re.Pattern | None = None) -> Span | None:
        if pattern is None:
            return None
        if before:
            hits = [m for m in pattern.finditer(plain, clause.start, concept.start)
                    if _word_gap(plain, m.end(), concept.start) < reach
                    and not (blocked and blocked.search(plain[m.end():concept.start]))]
            if hits:
                m = hits[-1]
                return Span(m.start(), concept.end)
        else:
            for m in pattern.finditer(plain, concept.end, clause.end):
                if _word_gap(plain, concept.end, m.start()) < reach:
                    return Span(concept.start, m.end())
        return None


def actor(text: str, clause: Span, at: int, refs: dict[str, re.Pattern]) -> str | None:
    """Whose action: the person named nearest before `at` in the clause, else the first after it."""
    found = []
    for who, pattern in refs.items():
        for m in pattern.finditer(text, clause.start, clause.end):
            found.append((m.start(), m.end(), who))
    before = [f for f in found if f[1] <= at]
    if before:
        return max(before, key=lambda f: (f[1], -f[0]))[2]
    after = sorted(f for f in found if f[0] >= at)
    return after[0][2] if after else None
