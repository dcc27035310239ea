"""The triage weights, read from resources/triage/weights.toml (versioned data, not code)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from triage_app.paths import resource


@dataclass(frozen=True)
class LanguageCue:
    name: str
    pattern: re.Pattern
    points: int
    reason: str
    under_16_only: bool


@dataclass(frozen=True)
class Weights:
    version: str
    victim_age: tuple          # ((max_age, points, reason), ...) youngest band first
    offences: dict             # code -> (points, label)
    offence_words: dict        # word -> (points, label)
    outcomes: dict             # code -> (points, label)
    language: tuple            # LanguageCue, ...
    exhibits: tuple            # (points, reason)
    suspects: tuple            # ((min, points, reason), ...) highest band first
    links: dict
    time_since_nfa: dict
    reviewed_before: dict


def parse(data: dict) -> Weights:
    return Weights(
        version=str(data["weights"]["version"]),
        victim_age=tuple(sorted((b["max_age"], b["points"], b["reason"]) for b in data["victim_age"])),
        offences={k.upper(): (v["points"], v["label"]) for k, v in data["offences"].items()},
        offence_words={k.lower(): (v["points"], v["label"]) for k, v in data["offence_words"].items()},
        outcomes={k: (v["points"], v["label"]) for k, v in data["outcomes"].items()},
        language=tuple(LanguageCue(c["name"], re.compile(c["pattern"], re.IGNORECASE), c["points"], c["reason"],
                                   bool(c.get("under_16_only", False))) for c in data["language"]),
        exhibits=(data["exhibits"]["points"], data["exhibits"]["reason"]),
        suspects=tuple(sorted(((b["min"], b["points"], b["reason"]) for b in data["suspects"]), reverse=True)),
        links=dict(data["links"]),
        time_since_nfa=dict(data["time_since_nfa"]),
        reviewed_before=dict(data["reviewed_before"]),
    )


def load(path: Path | None = None) -> Weights:
    if path is None:
        return _shipped()
    with open(path, "rb") as f:
        return parse(tomllib.load(f))


@lru_cache(maxsize=1)
def _shipped() -> Weights:
    with open(resource("triage", "weights.toml"), "rb") as f:
        return parse(tomllib.load(f))
