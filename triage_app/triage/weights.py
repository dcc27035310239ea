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
    ascii: re.Pattern | None = None    # the same search for a text all in ASCII, when it can be had (_ascii_twin)

    def search(self, text: str):
        if self.ascii is not None and text.isascii():
            return self.ascii.search(text)
        return self.pattern.search(text)


# A cue's ASCII twin: the pattern compiled with re.ASCII as well, which matches case-insensitively by
# ASCII's rules rather than Unicode's (at 100k, the cues over 31k distinct rationales: 0.84 -> 0.46
# CPU s). On a text all in ASCII the two find the same whenever the pattern itself is plain ASCII with
# no escape but \b \B \w \W \d \D or an escaped sign, and sets no flags inline: those classes agree on
# ASCII characters, and Unicode's extra case matches (the Kelvin sign for k, long s for s, dotless i)
# are never in such a text. \s is left out: Unicode counts \x1c-\x1f as space, ASCII does not.
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]")


def _ascii_twin(pattern: str) -> re.Pattern | None:
    if not pattern.isascii() or _INLINE_FLAGS.search(pattern):
        return None
    if any(c.isalnum() and c not in "bBwWdD" for c in _ESCAPE.findall(pattern)):
        return None
    try:
        return re.compile(pattern, re.IGNORECASE | re.ASCII)
    except re.error:
        return None


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
                                   bool(c.get("under_16_only", False)), _ascii_twin(c["pattern"]))
                       for c in data["language"]),
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
