"""What a reader should notice in a chronology: bursts (offences on several cases at one place
within weeks of each other) and gaps (long spells with nothing recorded anywhere in the cluster).

`history_span` gives the dates of what happened before the review: the review's own steps usually
come many years later, and a drawing that spans both squashes the history into a sliver.
"""
from __future__ import annotations

import re
from datetime import date

from triage_app.chronology.model import Burst, Event, Gap

_PUNCT = re.compile(r"[^\w\s]")


def place_key(place: str | None) -> str | None:
    """Places compared loosely: case, punctuation and spacing ignored ("Flat above takeaway, Mill St")."""
    if not place:
        return None
    key = " ".join(_PUNCT.sub(" ", place.casefold()).split())
    return key or None


def bursts(events: list[Event], window_days: int, min_cases: int) -> list[Burst]:
    by_place: dict[str, list[Event]] = {}
    for e in events:
        if e.kind == "offence":
            key = place_key(e.place)
            if key:
                by_place.setdefault(key, []).append(e)
    out = []
    for group in by_place.values():
        group.sort(key=lambda e: e.date)
        run = [group[0]]
        for e in group[1:] + [None]:
            if e is not None and (date.fromisoformat(e.date) - date.fromisoformat(run[-1].date)).days <= window_days:
                run.append(e)
                continue
            cases = sorted({x.case for x in run})
            if len(cases) >= min_cases:
                out.append(Burst(run[0].place, run[0].date, run[-1].date, cases, [x.id for x in run]))
            if e is not None:
                run = [e]
    out.sort(key=lambda b: (b.start, b.place))
    return out


def gaps(events: list[Event], min_days: int) -> list[Gap]:
    """Spells with nothing recorded; the review's own steps (years later, in the vault) don't count."""
    days = sorted({e.date for e in events if not e.kind.startswith("review")})
    out = []
    for a, b in zip(days, days[1:]):
        n = (date.fromisoformat(b) - date.fromisoformat(a)).days
        if n >= min_days:
            out.append(Gap(a, b, n))
    return out


FAR_DAYS = 730


def history_span(events: list[Event]) -> tuple[str, str, str | None, str | None]:
    """(first, last) of the historic events and (first, last) of the review steps when those come more
    than two years after the history (drawn apart, beyond a break in the time axis), else None, None."""
    past = [e.date for e in events if not e.kind.startswith("review")]
    review = [e.date for e in events if e.kind.startswith("review")]
    if not past:
        return events[0].date, events[-1].date, None, None
    first, last = min(past), max(past)
    if review and (date.fromisoformat(min(review)) - date.fromisoformat(last)).days > FAR_DAYS:
        return first, last, min(review), max(review)
    return first, max(last, max(review, default=last)), None, None
