"""What a reader should notice in a chronology: bursts (offences on several cases at one place
within weeks of each other) and gaps (long spells with nothing recorded anywhere in the cluster)."""
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
    days = sorted({e.date for e in events})
    out = []
    for a, b in zip(days, days[1:]):
        n = (date.fromisoformat(b) - date.fromisoformat(a)).days
        if n >= min_days:
            out.append(Gap(a, b, n))
    return out
