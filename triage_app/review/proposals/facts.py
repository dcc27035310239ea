"""What the proposal rules read about one case: plain data, so the rules run the same on the vault
and on the labelled corpus (tests/review/corpus) without one."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Nominal:
    forenames: str | None = None
    surname: str | None = None
    dob: str | None = None              # ISO
    age_at_offence: int | None = None


@dataclass(frozen=True)
class Link:
    other: str                          # the linked case's ref
    strength: str                       # strong / possible
    judgement: str | None               # confirmed / None
    kinds: tuple[str, ...] = ()         # what is shared: phone, vehicle, address, person


@dataclass
class CaseFacts:
    ref: str | None = None
    summary: str = ""
    nfa_rationale: str = ""
    exhibits_retained: str | None = None
    offence_date: str | None = None     # ISO
    nfa_date: str | None = None         # ISO
    location: str | None = None
    victims: list[Nominal] = field(default_factory=list)
    suspects: list[Nominal] = field(default_factory=list)
    links: list[Link] | None = None             # None: the links were not read (the corpus)
    cluster_victims: dict[str, int] = field(default_factory=dict)   # linked case ref -> victims on it
    contacts: list[dict] | None = None          # the review's victim contacts; None: no review read
    today: date | None = None

    @property
    def youngest_victim_age(self) -> int | None:
        ages = [v.age_at_offence for v in self.victims if v.age_at_offence is not None]
        return min(ages) if ages else None

    def text(self, source: str) -> str:
        return getattr(self, source) or ""

    def names(self, role: str) -> tuple[str, ...]:
        people = self.victims if role == "victim" else self.suspects
        return tuple(sorted({w for p in people for part in (p.forenames, p.surname) for w in (part or "").split()}))
