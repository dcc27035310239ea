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

from triage_app.chronology.model import Person
from triage_app.linking import normalise
from triage_app.pack.identity import check_level, initials, redact_text

_SEP = "\ue000"     # joins many texts for one pass of the name rules: neither a word nor a space
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


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


def _dob_patterns(iso: str) -> list[str]:
    try:
        d = date.fromisoformat(iso[:10])
    except (TypeError, ValueError):
        return []
    month = _MONTHS[d.month - 1]
    return [re.escape(d.isoformat()), rf"0?{d.day}[/.]0?{d.month}[/.]{d.year}",
            rf"{d.day}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{month}|{month[:3]})\.?,?\s+{d.year}"]


class Cleaner:
    """Minimises many free texts at once against the victims of a cluster."""

    def __init__(self, victims: list, identity: str):
        self.identity = check_level(identity)
        self.names = [(v["forenames"], v["surname"]) for v in victims if v["forenames"] or v["surname"]]
        rules: list[tuple[str, str]] = []
        for v in victims:
            rules += [(p, "[victim's date of birth]") for p in _dob_patterns(v["dob"] or "")]
            for ph in normalise.phones(v["phones"]):
                national = "0" + ph[3:] if ph.startswith("+44") else ph
                rules.append((rf"(?:\+?44\s*\(?0?\)?\s*|0\s*){_spaced(national[1:])}" if national.startswith("0")
                              else _spaced(national), "[victim's phone]"))
            for mark in normalise.vehicles(v["vehicles"]):
                rules.append((_spaced(mark), "[victim's vehicle]"))
            code = normalise.postcode(v["postcode"])
            if code:
                rules.append((_spaced(code.replace(" ", "")), "[victim's postcode]"))
            street = (v["address"] or "").split(",")[0].strip()
            if len(street.split()) >= 2:
                rules.append((r"\s+".join(re.escape(w) for w in street.split()), "[victim's address]"))
        self.rules = [(re.compile(rf"(?<![\w]){pat}(?![\w])", re.IGNORECASE), word) for pat, word in rules]

    def clean_all(self, texts: list[str | None]) -> list[str | None]:
        if self.identity == "full" or not texts:
            return list(texts)
        joined = _SEP.join(t or "" for t in texts)
        for pattern, word in self.rules:
            joined = pattern.sub(word, joined)
        if self.names:
            joined = redact_text(joined, self.names)
        out = joined.split(_SEP)
        return [o if t is not None else None for o, t in zip(out, texts)]

    def clean(self, text: str | None) -> str | None:
        return self.clean_all([text])[0]


def person(row, identity: str, key: str | None = None) -> Person:
    return Person(row["role"], shown_as(row, identity), key)
