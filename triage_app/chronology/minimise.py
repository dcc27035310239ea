"""Victim identity in a chronology: people shown by role, victims minimised, free text cleaned.

Uses the pack's rules (`pack.identity`): a victim is shown by initials and age at the offence, and
every victim's name (of any case in the cluster) is replaced by initials inside free text. A
chronology also quotes sentences from the record, so the victims' other identifiers — date of
birth, address, postcode, phone, vehicle mark — are replaced by a word in brackets too.
Full identity is an explicit choice (`identity="full"`), recorded in the audit entry by the caller.
"""
from __future__ import annotations

import re
from datetime import date

from triage_app.chronology.model import ALSO_VICTIM, Person
from triage_app.chronology.textdates import PATTERNS, to_date
from triage_app.linking import normalise
from triage_app.pack import redaction
from triage_app.pack.identity import check_level, initials, redact_text

_SEP = "\ue000"     # joins many texts for one pass of the name rules: neither a word nor a space


def _tokens(text) -> list[str]:
    return [t for t in re.split(r"\s+", (text or "").strip()) if t]


def named(forenames, surname) -> str:
    return " ".join(_tokens(forenames) + [s.upper() for s in _tokens(surname)])


def shown_as(row, identity: str) -> str:
    """How a nominal row (role, forenames, surname, age_at_offence) is shown."""
    role = row["role"]
    if role != "victim":
        return named(row["forenames"], row["surname"]) or f"Unnamed {role}"
    age = row["age_at_offence"]
    age_text = f" (aged {age})" if age is not None else ""
    name = named(row["forenames"], row["surname"]) if identity == "full" else initials(row["forenames"], row["surname"])
    return (name or "Unnamed") + age_text


def _spaced(chars: str) -> str:
    """A pattern for `chars` with any spaces or hyphens between them."""
    return r"[\s-]*".join(re.escape(c) for c in chars)


# Candidates found by shape, then compared with the victims' own values once normalised: one pass
# over the text whatever the number of victims.
_DIGITS = re.compile(r"(?<![\w+])\+?\d[\d \-()]{6,24}\d(?!\w)")
_POSTCODE = re.compile(r"(?<!\w)[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?!\w)", re.IGNORECASE)


class Cleaner:
    """Minimises many free texts at once against the victims of a cluster."""

    def __init__(self, victims: list, identity: str):
        self.identity = check_level(identity)
        self.names = [(v["forenames"], v["surname"]) for v in victims if v["forenames"] or v["surname"]]
        self.phones = {p for v in victims for p in normalise.phones(v["phones"])}
        self.postcodes = {normalise.postcode(v["postcode"]) for v in victims} - {None}
        self.dobs: set[str] = set()
        literal: dict[str, str] = {}
        for v in victims:
            try:
                self.dobs.add(date.fromisoformat((v["dob"] or "")[:10]).isoformat())
            except ValueError:
                pass
            for mark in normalise.vehicles(v["vehicles"]):
                literal[_spaced(mark)] = "[victim's vehicle]"
            # The pack's address finders: the whole address, the house with its street, the street on
            # its own (a named house's too), street words abbreviated or not.
            for street in [v["address"]] + redaction.streets_named(v["address"]):
                for pattern in redaction.address_patterns(street):
                    literal[pattern] = "[victim's address]"
        self.literal = [(re.compile(rf"(?<!\w)(?:{pat})(?!\w)", re.IGNORECASE), word) for pat, word in literal.items()]

    def _phone(self, m: re.Match) -> str:
        text = m.group(0)
        groups = list(re.finditer(r"\+?\d+", text))
        for i in range(len(groups)):            # a phone may sit among other numbers: try each run of groups
            for j in range(len(groups), i, -1):
                a, b = groups[i].start(), groups[j - 1].end()
                if normalise.phone(text[a:b]) in self.phones:
                    return text[:a] + "[victim's phone]" + self._phone_rest(text[b:])
        return text

    def _phone_rest(self, rest: str) -> str:
        m = _DIGITS.search(rest)
        return rest if m is None else rest[:m.start()] + self._phone(m) + rest[m.end():]

    def _date(self, m: re.Match, kind: str) -> str:
        d = to_date(kind, m)
        return "[victim's date of birth]" if d is not None and d.isoformat() in self.dobs else m.group(0)

    def clean_all(self, texts: list[str | None]) -> list[str | None]:
        if self.identity == "full" or not texts:
            return list(texts)
        joined = _SEP.join(t or "" for t in texts)
        if self.dobs:
            for kind, pattern in PATTERNS:
                joined = pattern.sub(lambda m, k=kind: self._date(m, k), joined)
        if self.phones:
            joined = _DIGITS.sub(self._phone, joined)
        if self.postcodes:
            joined = _POSTCODE.sub(lambda m: "[victim's postcode]" if normalise.postcode(m.group(0)) in self.postcodes
                                   else m.group(0), joined)
        for pattern, word in self.literal:
            joined = pattern.sub(word, joined)
        if self.names:
            joined = redact_text(joined, self.names)
        out = joined.split(_SEP)
        return [o if t is not None else None for o, t in zip(out, texts)]

    def clean(self, text: str | None) -> str | None:
        return self.clean_all([text])[0]


def person(row, identity: str, key: str | None = None, victim_too: bool = False,
           cleaner: Cleaner | None = None) -> Person:
    """A nominal as an event shows it. `victim_too`: a suspect who is the same person as a victim of
    the cluster (`suspects.resolve`), shown by initials as a victim is. With `cleaner`, anyone else's
    name keeps no word that is a victim's (a mother's surname: "Linda S."), as in a pack."""
    if victim_too and identity != "full":
        return Person(row["role"], f"{initials(row['forenames'], row['surname'])} ({ALSO_VICTIM})", key)
    shown = shown_as(row, identity)
    if cleaner is not None and row["role"] != "victim" and identity == "initials" and cleaner.names:
        shown = redact_text(shown, cleaner.names)
    return Person(row["role"], shown, key)
