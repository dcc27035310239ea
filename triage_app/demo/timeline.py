"""Dated sentences for the demo's case summaries, so the chronology has dates in the text to propose
(issue 17): missing episodes before the offence, the first account, a strategy meeting after the
report, the file sent for advice before the NFA decision.

Each date falls where it would in a real case (missing episodes before the offence, the meeting
after the report, the advice before the decision), written in the forms a UK record uses and the
chronology reads (`chronology.textdates`: 12/03/2011, 3/2/2011, 12 March 2011, 3rd of Feb 2011,
2011-03-12). The sentences avoid the words the review's proposal rules and the triage weights
look for, so the queue and the proposals stay as they were. Drawn from an RNG of its own, seeded
from the generator's seed, so the rest of the synthetic data is exactly what it was.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MISSING = ["{V} was reported missing from home on {d} and found the next morning.",
           "{V} was reported missing on {d} and returned two days later.",
           "A missing person report was made for {V} on {d}."]
SEEN = ["{V} was seen getting into a car with {S} on {d}.",
        "On {d} {V} was seen with {S} near the bus station late at night."]
FIRST_ACCOUNT = ["{V} first told a teacher what had happened on {d}.",
                 "The first account was given to the school nurse on {d}."]
MEETING = ["A strategy meeting was held on {d}.",
           "A multi-agency strategy meeting took place on {d}."]
ADVICE = ["The file was sent to the CPS for advice on {d}.",
          "Early investigative advice was requested on {d}."]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


class Timeline:
    def __init__(self, seed: int):
        self.rng = random.Random(f"triage-demo-timeline-{seed}")

    def written(self, d: date) -> str:
        """`d` in one of the forms UK records use (never month first)."""
        r = self.rng
        form = r.choices(("dmy", "short", "long", "ordinal", "iso"), (45, 15, 20, 10, 10))[0]
        if form == "dmy":
            return d.strftime("%d/%m/%Y")
        if form == "short":
            return f"{d.day}/{d.month}/{d.year}"
        if form == "long":
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if form == "ordinal":
            return f"{_ordinal(d.day)} of {MONTHS[d.month - 1][:3]} {d.year}"
        return d.isoformat()

    def case(self, victim_first: str, suspect: str, offence: date, reported: date, nfa: date) -> str:
        """Dated sentences of one case, in date order; '' for about one case in five."""
        r = self.rng
        if r.random() < 0.2:
            return ""
        events: list[tuple[date, str]] = []
        if r.random() < 0.6:
            for _ in range(r.randint(1, 3)):
                events.append((offence - timedelta(days=r.randint(3, 240)), r.choice(MISSING)))
        if r.random() < 0.35:
            events.append((offence - timedelta(days=r.randint(1, 60)), r.choice(SEEN)))
        if r.random() < 0.5:
            events.append((reported - timedelta(days=r.randint(0, 10)), r.choice(FIRST_ACCOUNT)))
        if r.random() < 0.5:
            events.append((reported + timedelta(days=r.randint(1, max(1, min(30, (nfa - reported).days - 1)))),
                           r.choice(MEETING)))
        if r.random() < 0.35 and (nfa - reported).days > 20:
            events.append((nfa - timedelta(days=r.randint(5, 20)), r.choice(ADVICE)))
        victim = [victim_first, "the victim", "the IP"]
        out = []
        for d, text in sorted(events, key=lambda e: e[0]):
            out.append(text.format(V=r.choice(victim), S=suspect, d=self.written(d)))
        return " ".join(s[0].upper() + s[1:] for s in out)
