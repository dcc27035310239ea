"""What a proposal is: an answer, the evidence it rests on (with the deciding words), the rule."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    source: str                     # a field name, "summary", "nfa_rationale" or "links"
    text: str
    highlight: tuple[int, int]      # [start, end) of the deciding words within text

    def as_dict(self) -> dict:
        return {"source": self.source, "text": self.text, "highlight": list(self.highlight)}


@dataclass(frozen=True)
class Candidate:
    item: str
    answer: str
    evidence: Evidence
    rule: str
    rank: int = 1


@dataclass
class Proposal:
    item: str
    answer: str
    rule: str
    rules_version: int
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"item": self.item, "answer": self.answer, "evidence": [e.as_dict() for e in self.evidence],
                "rule": self.rule, "rules_version": self.rules_version}


@dataclass
class Result:
    rules: object
    proposals: list[Proposal]
    no_evidence: list[str]

    def get(self, item: str) -> Proposal | None:
        return next((p for p in self.proposals if p.item == item), None)

    def as_dict(self) -> dict:
        return {"proposals": [p.as_dict() for p in self.proposals], "no_evidence": list(self.no_evidence),
                "rules": self.rules.id, "rules_version": self.rules.version,
                "checklist": self.rules.checklist_id, "checklist_version": self.rules.checklist_version}
