"""What a chronology is, as plain data: events in date order across a case and its linked cluster."""
from __future__ import annotations

from dataclasses import dataclass, field

# The order of events that share a date: what happened, then what was reported, decided, reviewed.
KINDS = ("offence", "text", "added", "report", "nfa", "review-started", "review-submitted",
         "review-returned", "review-approved")
KIND_WORDS = {"offence": "Offence", "text": "From the record's text", "added": "Added by a reviewer",
              "report": "Reported", "nfa": "NFA decision", "review-started": "Review started",
              "review-submitted": "Review submitted", "review-returned": "Review returned",
              "review-approved": "Review approved"}
NO_SUSPECT = "No named suspect"
ALSO_VICTIM = "also recorded as a victim"   # a suspect who is a victim of the cluster too


@dataclass
class Person:
    role: str                   # victim / suspect / witness / other
    shown_as: str               # victims minimised unless full identity was chosen
    key: str | None = None      # suspects: the same person across cases (the suspect lane)


@dataclass
class Event:
    id: str                     # stable within a vault: case ref + where the event comes from
    date: str                   # ISO YYYY-MM-DD
    case: str
    kind: str
    text: str
    source: str
    people: list[Person] = field(default_factory=list)
    link: str | None = None     # None: the case asked for; "confirmed" / "suggested": how it is linked
    time: str | None = None     # ISO 8601 UTC, for events the vault itself timed (review steps)
    place: str | None = None    # offences: where, minimised
    added_by: str | None = None

    def suspects(self) -> list[Person]:
        """The named suspects (an unnamed suspect has no key and no lane of their own)."""
        return [p for p in self.people if p.role == "suspect" and p.key]

    def public(self) -> dict:
        """The event as `chronology --json` gives it (docs/CLI.md), plus a few keys of our own."""
        out = {"date": self.date, "case": self.case, "kind": self.kind, "text": self.text, "source": self.source,
               "people": [{"role": p.role, "shown_as": p.shown_as} for p in self.people], "link": self.link,
               "id": self.id}
        if self.time:
            out["time"] = self.time
        if self.place:
            out["place"] = self.place
        if self.added_by:
            out["added_by"] = self.added_by
        return out


@dataclass
class Member:
    """A case of the chronology and how it is tied to the case asked for."""
    ref: str
    id: int
    link: str | None            # None (the case itself), "confirmed" or "suggested"
    probability: float | None   # the weakest link on the best path to the case asked for
    via: str | None = None      # the case it is linked through


@dataclass
class Burst:
    place: str
    start: str
    end: str
    cases: list[str]
    events: list[str]           # event ids


@dataclass
class Gap:
    start: str                  # the last event before the gap
    end: str                    # the first after it
    days: int


@dataclass
class Chronology:
    ref: str
    identity: str
    min_probability: float
    settings_version: str
    members: list[Member]
    events: list[Event]
    suspects: dict[str, str] = field(default_factory=dict)     # suspect key -> name shown
    bursts: list[Burst] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    def lanes(self, by: str = "case") -> list[tuple[str, str]]:
        """(lane key, label) in drawing order: the case asked for first, then by first event; or
        each suspect (by first event), then the events with no named suspect."""
        first: dict[str, str] = {}
        if by == "case":
            for e in self.events:
                first.setdefault(e.case, e.date)
            order = sorted((m for m in self.members), key=lambda m: (m.link is not None, first.get(m.ref, "9999"), m.ref))
            return [(m.ref, m.ref) for m in order]
        if by != "suspect":
            raise ValueError(by)
        for e in self.events:
            for p in e.suspects():
                first.setdefault(p.key, e.date)
        keys = sorted(self.suspects, key=lambda k: (first.get(k, "9999"), self.suspects[k]))
        out = [(k, self.suspects[k]) for k in keys]
        if any(not e.suspects() for e in self.events):
            out.append((NO_SUSPECT, NO_SUSPECT))
        return out

    def lane_keys(self, event: Event, by: str = "case") -> list[str]:
        """The lanes an event is drawn on: its case; or each of its suspects (or 'no named suspect')."""
        if by == "case":
            return [event.case]
        keys = []
        for p in event.suspects():
            if p.key not in keys:
                keys.append(p.key)
        return keys or [NO_SUSPECT]

    def public(self) -> dict:
        return {"case": self.ref, "events": [e.public() for e in self.events],
                "cases": [{"ref": m.ref, "link": m.link, "probability": m.probability, "via": m.via}
                          for m in self.members],
                "min_probability": self.min_probability, "identity": self.identity,
                "settings_version": self.settings_version,
                "bursts": [vars(b) for b in self.bursts], "gaps": [vars(g) for g in self.gaps]}
