"""The proposal rules: versioned data in resources/proposals/*.toml, loaded and compiled once.

A rules file names the checklist (id and version) it proposes answers for; a checklist without a
rules file gets no proposals. Loading checks the file's shape and that every item it names is in
that checklist, so a proposal can never name an item the review can't answer.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from triage_app.errors import BadInput
from triage_app.paths import resource
from triage_app.review import checklist as checklists
from triage_app.review.proposals.text import Context

ANSWERS = checklists.ANSWERS
SOURCES = ("nfa_rationale", "summary")
FAMILY = r"(?!['’]s (mother|father|friend|sister|brother|grandfather|grandmother|school|carer|family|phone|handset))"


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    pattern: re.Pattern
    answer: str
    needs: str | None = None


@dataclass(frozen=True)
class TextRule:
    id: str
    item: str
    concept: re.Pattern | None
    affirmed: str | None = None
    negated: str | None = None
    actor: str | None = None
    exclude: tuple[re.Pattern, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    on_conflict: str = "none"
    sources: tuple[str, ...] = SOURCES
    needs: str | None = None
    negation_applies: bool = True
    negation_inside: bool = False
    affirmed_only_if: re.Pattern | None = None
    affirmed_needs: re.Pattern | None = None


@dataclass(frozen=True, eq=False)     # one object per file: hashed by identity
class Rules:
    id: str
    version: int
    checklist_id: str
    checklist_version: int
    context: Context
    actors: dict[str, tuple[str, ...]]
    text: tuple[TextRule, ...]
    fields: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"


def _text_rule(raw: dict, items: set[str]) -> TextRule:
    if raw["item"] not in items:
        raise ValueError(f"rule {raw['id']} names an item the checklist does not have")
    for key in ("affirmed", "negated"):
        if raw.get(key) not in (None, *ANSWERS):
            raise ValueError(f"rule {raw['id']} proposes an answer that is not yes, no or na")
    if raw.get("on_conflict", "none") not in ("none", *ANSWERS):
        raise ValueError(f"rule {raw['id']} has a bad on_conflict")
    phrases = tuple(Phrase(_rx(p["pattern"]), p["answer"], p.get("needs")) for p in raw.get("phrases", []))
    if any(p.answer not in ANSWERS for p in phrases):
        raise ValueError(f"rule {raw['id']} has a phrase whose answer is not yes, no or na")
    sources = tuple(raw.get("sources", SOURCES))
    if set(sources) - set(SOURCES):
        raise ValueError(f"rule {raw['id']} reads a source that is not free text")
    return TextRule(
        id=raw["id"], item=raw["item"], concept=_rx(raw["concept"]) if raw.get("concept") else None,
        affirmed=raw.get("affirmed"), negated=raw.get("negated"), actor=raw.get("actor"),
        exclude=tuple(_rx(p) for p in raw.get("exclude", [])), phrases=phrases,
        on_conflict=raw.get("on_conflict", "none"), sources=sources, needs=raw.get("needs"),
        negation_applies=bool(raw.get("negation_applies", True)),
        negation_inside=bool(raw.get("negation_inside", False)),
        affirmed_only_if=_rx(raw["affirmed_only_if"]) if raw.get("affirmed_only_if") else None,
        affirmed_needs=_rx(raw["affirmed_needs"]) if raw.get("affirmed_needs") else None)


def _parse(path: Path) -> Rules:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
        head = data["rules"]
        cl = checklists.load(head["checklist"], int(head["checklist_version"]))
        items = {it.id for it in cl.items}
        text = tuple(_text_rule(r, items) for r in data.get("text", []))
        if len({r.id for r in text}) != len(text):
            raise ValueError("two rules share an id")
        actors = {k: tuple(v) for k, v in data["actors"].items()}
        rules = Rules(str(head["id"]), int(head["version"]), cl.id, cl.version, Context(data["context"]), actors,
                      text, dict(data.get("fields", {})))
        actor_patterns(rules, (), ())       # a bad actor pattern is found at load, not mid-proposal
        return rules
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error) as e:
        raise BadInput(f"The proposal rules file {path.name} is not valid ({type(e).__name__}).")


@lru_cache(maxsize=None)
def _all(folder: str) -> tuple[Rules, ...]:
    return tuple(_parse(p) for p in sorted(Path(folder).glob("*.toml")))


def for_checklist(checklist_id: str, checklist_version: int) -> Rules | None:
    """The highest version of the rules written for exactly this checklist version, or None."""
    found = [r for r in _all(str(resource("proposals")))
             if r.checklist_id == checklist_id and r.checklist_version == checklist_version]
    return max(found, key=lambda r: r.version) if found else None


@lru_cache(maxsize=256)
def actor_patterns(rules: Rules, victims: tuple[str, ...], suspects: tuple[str, ...]) -> dict[str, re.Pattern]:
    """The actor patterns with this case's recorded names put in for {victim} and {suspect}."""
    def names(words: tuple[str, ...]) -> str:
        words = sorted({w for w in words if len(w) > 1}, key=len, reverse=True)
        return r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b" + FAMILY if words else r"(?!x)x"
    out = {}
    for who, patterns in rules.actors.items():
        filled = [p.replace("{victim}", names(victims)).replace("{suspect}", names(suspects)) for p in patterns]
        out[who] = _rx("|".join(f"(?:{p})" for p in filled))
    return out
