"""Victim identity minimisation: what leaves the vault names a victim by initials and age only.

By default every victim is shown as initials plus age at the offence, and every known victim name
(on this case or a linked one) is replaced by initials inside all free text the pack quotes: the NFA
rationale, the summary, notes, inquiries, wishes, comments. Matching is case-insensitive on whole
words, so "CLARKE's" is caught and "Clarkeson" is not. Full identity is an explicit choice.
"""
from __future__ import annotations

import copy
import dataclasses
import re

from triage_app.errors import BadInput
from triage_app.pack.model import PackData, Person

IDENTITY_LEVELS = ("initials", "full")

# Structured fields that name staff or the document, never a victim: left as they are.
_NOT_FREE_TEXT = {"ref", "force", "marking", "prepared_by", "control", "other_victim_names", "people", "signoff"}


def check_level(identity: str) -> str:
    if identity not in IDENTITY_LEVELS:
        raise BadInput(f"The victim identity level must be 'initials' or 'full', not '{identity[:20]}'.")
    return identity


def _tokens(text: str | None) -> list[str]:
    return [t for t in re.split(r"\s+", (text or "").strip()) if t]


def initials(forenames: str | None, surname: str | None) -> str:
    letters = [t[0].upper() for t in _tokens(forenames) + _tokens(surname) if t[0].isalpha()]
    return ".".join(letters) + "." if letters else "Unnamed"


def _word(token: str) -> str:
    return r"(?<![\w'’-])" + re.escape(token) + r"(?![\w-])"


_WORDS = re.compile(r"\w+")


class _Rules(list):
    """The substitution passes, plus every word of every name: a text sharing no word with any name
    (most texts) is left alone without running the passes."""

    def __init__(self, rules, words: set[str]):
        super().__init__(rules)
        self.words = words

    def apply(self, text: str) -> str:
        if not self.words.isdisjoint(_WORDS.findall(text.lower())):
            for pattern, repl in self:
                text = pattern.sub(repl, text)
        return text


def _replacements(names: list[tuple[str | None, str | None]]) -> _Rules:
    """Two passes: whole names first (so 'Amelia Jane Clarke' becomes 'A.J.C.'), then each name on
    its own. Each pass is one alternation, so a long text is scanned twice, not once per name."""
    whole: dict[str, tuple[str, str]] = {}     # group name -> (pattern, initials)
    single: dict[str, str] = {}                # lower-case name -> initial
    for forenames, surname in names:
        fs, ss = _tokens(forenames), _tokens(surname)
        if not fs and not ss:
            continue
        full_initials = initials(forenames, surname)
        if fs and ss:
            whole[f"w{len(whole)}"] = (r"\s+".join(_word(t) for t in fs + ss), full_initials)
            whole[f"w{len(whole)}"] = (_word(ss[-1]) + r",?\s+" + _word(fs[0]), full_initials)
        for t in fs + ss:
            for p in [t] + [p for p in re.split(r"[-’']", t) if p != t]:
                if len(p) > 1 and p[0].isalpha():
                    single.setdefault(p.lower(), p[0].upper() + ".")
    rules: list[tuple[re.Pattern, object]] = []
    if whole:
        pattern = re.compile("|".join(f"(?P<{g}>{pat})" for g, (pat, _) in whole.items()), re.IGNORECASE)
        rules.append((pattern, lambda m: whole[m.lastgroup][1]))
    if single:
        # Longer names first so 'Anne-Marie' is replaced before 'Anne'.
        alternation = "|".join(re.escape(k) for k in sorted(single, key=len, reverse=True))
        pattern = re.compile(r"(?<![\w'’-])(?:" + alternation + r")(?![\w-])", re.IGNORECASE)
        rules.append((pattern, lambda m: single[m.group(0).lower()]))
    words = {w for f, sn in names for w in _WORDS.findall(f"{f or ''} {sn or ''}".lower())}
    return _Rules(rules, words)


def redact_text(text: str | None, names: list[tuple[str | None, str | None]]) -> str | None:
    if not text:
        return text
    return _replacements(names).apply(text)


def _redact_value(value, rules):
    if isinstance(value, str):
        return rules.apply(value)
    if isinstance(value, list):
        return [_redact_value(v, rules) for v in value]
    if isinstance(value, tuple):
        return tuple(_redact_value(v, rules) for v in value)
    if isinstance(value, dict):
        return {k: _redact_value(v, rules) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            setattr(value, f.name, _redact_value(getattr(value, f.name), rules))
        return value
    return value


def _show(p: Person, identity: str) -> Person:
    if p.role != "victim":
        name = " ".join(_tokens(p.forenames) + [s.upper() for s in _tokens(p.surname)])
        p.shown_as = name or "Unnamed"
        return p
    age = f", aged {p.age_at_offence} at the offence" if p.age_at_offence is not None else ", age at the offence unknown"
    if identity == "full":
        name = " ".join(_tokens(p.forenames) + [s.upper() for s in _tokens(p.surname)]) or "Unnamed"
        p.shown_as = name + age
    else:
        p.shown_as = initials(p.forenames, p.surname) + age
        p.forenames = p.surname = p.dob = None  # nothing left for a careless renderer to print
    return p


def minimise(data: PackData, identity: str = "initials") -> PackData:
    """A copy of `data` fit to leave the vault at the chosen identity level."""
    check_level(identity)
    out = copy.deepcopy(data)
    out.control.identity = identity
    names = [(p.forenames, p.surname) for p in out.people if p.role == "victim"]
    names += list(out.other_victim_names)
    if identity == "initials" and names:
        rules = _replacements(names)
        for f in dataclasses.fields(out):
            if f.name not in _NOT_FREE_TEXT:
                setattr(out, f.name, _redact_value(getattr(out, f.name), rules))
        out.signoff.comment = _redact_value(out.signoff.comment, rules)
    out.people = [_show(p, identity) for p in out.people]
    out.other_victim_names = []
    return out
