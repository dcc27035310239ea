"""Dates written in a case's free text ("reported missing on 12/03/2011"), proposed as events.

Only forms a UK record uses are read: DD/MM/YYYY (D/M too, or dots), YYYY-MM-DD, and "12 March
2011" / "12th of Mar 2011"; never MM/DD. A proposal is the sentence around the date; a reviewer
confirms it (as written or reworded) or dismisses it, and either is audited (`store`).
A small reader of our own: the forms are few and a reviewer checks every date it proposes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {m: i for i, ms in enumerate((("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
                                        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
                                        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
                                        ("dec", "december")), start=1) for m in ms}
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
PATTERNS = (
    ("dmy", re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/])")),
    ("iso", re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")),
    ("long", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_WORDS})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)),
)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


@dataclass
class Found:
    field: str
    start: int
    end: int
    date: str       # ISO
    text: str       # the sentence around it (not yet minimised)

    @property
    def id(self) -> str:
        return f"{self.field}:{self.start}"


def to_date(kind: str, m: re.Match) -> date | None:
    a, b, c = m.groups()
    try:
        if kind == "dmy":
            return date(int(c), int(b), int(a))
        if kind == "iso":
            return date(int(a), int(b), int(c))
        return date(int(c), _MONTHS[b.lower()], int(a))
    except (ValueError, KeyError):
        return None


def _sentence(text: str, start: int, end: int, limit: int) -> str:
    left = max(0, start - limit)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right = min(len(text), end + limit)
    m = _SENTENCE_END.search(text, end, right)
    if m:
        right = m.end()
    out = " ".join(text[left:right].split())
    if left > 0 and text[left - 1] not in ".!?\n" and not text[left - 1].isspace():
        out = "… " + out
    elif left > 0 and start - left >= limit:
        out = "… " + out
    if right < len(text) and not m:
        out += " …"
    return out


def find(field: str, text: str | None, limit: int = 90, today: date | None = None) -> list[Found]:
    """Every date in `text` that could be an event: real, not in the future, not before 1900."""
    if not text:
        return []
    today = today or date.today()
    out: dict[int, Found] = {}
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            d = to_date(kind, m)
            if d is None or d > today or d.year < 1900 or m.start() in out:
                continue
            out[m.start()] = Found(field, m.start(), m.end(), d.isoformat(), _sentence(text, m.start(), m.end(), limit))
    return [out[k] for k in sorted(out)]
