"""Do two recorded names belong to the same person? Variants, nicknames, middle names, slips, swaps.

A name is split into forename tokens and surname tokens. Two tokens agree when they are equal,
when the variants table (resources/linking/name_variants.toml) puts them in one group
(Mohammed / Muhammad, Bob / Robert), or when they differ by one keying slip (an insertion,
deletion, substitution or transposition; two for long names). Two names agree when a forename
agrees with a forename and a surname with a surname (middle names may be present on one side
only), or the same across a forename/surname swap.
"""
from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import DamerauLevenshtein

from triage_app.linking import normalise
from triage_app.paths import resource
from triage_app.vault import residue


@lru_cache(maxsize=100_000)
def clean_tokens(text: str | None) -> tuple[str, ...]:
    """Lower-case ASCII tokens; accents, apostrophes and hyphens don't separate two spellings."""
    t = normalise.name(text)
    if not t:
        return ()
    t = unicodedata.normalize("NFKD", t)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).replace("'", "").replace("-", " ")
    # Single letters (initials) say too little to match on.
    return tuple(w for w in t.split() if len(w) > 1)


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[str]]:
    with open(resource("linking", "name_variants.toml"), "rb") as f:
        data = tomllib.load(f)["variants"]
    out: dict[str, set[str]] = {}
    for group in [*data["transliterations"], *data["nicknames"]]:
        members = [t for g in group for t in clean_tokens(g)][:len(group)]
        head = members[0]
        for m in members:
            out.setdefault(m, {m}).add(head)
    return {k: frozenset(v) for k, v in out.items()}


def variant_tokens() -> dict[str, frozenset[str]]:
    """Every token the variants table knows (the rest are their own only variant)."""
    return _groups()


@lru_cache(maxsize=200_000)
def canon(token: str) -> frozenset[str]:
    """The token and the head of every variant group that holds it."""
    return _groups().get(token, frozenset((token,)))


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> frozenset[str]:
    """Blocking keys of a token: the Metaphone code of each of its canonical forms."""
    return frozenset(jellyfish.metaphone(c) or c for c in canon(token))


def tokens_agree(a: str, b: str) -> bool:
    if a == b or canon(a) & canon(b):
        return True
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    slips = 2 if shorter >= 8 else 1
    return DamerauLevenshtein.distance(a, b, score_cutoff=slips) <= slips


def _any(xs, ys) -> bool:
    return any(tokens_agree(x, y) for x in xs for y in ys)


@dataclass(frozen=True, slots=True)   # slots: a full relink holds one per nominal (250k)
class Name:
    forenames: tuple[str, ...]
    surnames: tuple[str, ...]

    @property
    def usable(self) -> bool:
        # A forename alone, or a surname alone, is not enough to say two records are one person.
        return bool(self.forenames and self.surnames)

    def keys(self) -> set[tuple[str, str]]:
        """Unordered (forename, surname) phonetic pairs: a swap lands in the same block."""
        out = set()
        for f in self.forenames:
            for pf in phonetic(f):
                for s in self.surnames:
                    for ps in phonetic(s):
                        out.add((pf, ps) if pf <= ps else (ps, pf))
        return out

    def token_keys(self) -> set[str]:
        return {p for t in (*self.forenames, *self.surnames) for p in phonetic(t)}


@residue.register
def forget() -> None:
    """Drop the token caches (a full relink fills them with every name in the vault)."""
    clean_tokens.cache_clear()
    canon.cache_clear()
    phonetic.cache_clear()


def parse(forenames: str | None, surname: str | None, name_norm: str | None = None) -> Name:
    f, s = clean_tokens(forenames), clean_tokens(surname)
    if not (f or s) and name_norm:
        t = clean_tokens(name_norm)
        f, s = t[:-1], t[-1:]
    return Name(f, s)


def agree(a: Name, b: Name) -> str | None:
    """How two names agree ("names match", "names match, forename and surname swapped"), or None."""
    if not (a.usable and b.usable):
        return None
    if _any(a.surnames, b.surnames) and _any(a.forenames, b.forenames):
        return "names match"
    if _any(a.surnames, b.forenames) and _any(a.forenames, b.surnames):
        return "names match, forename and surname swapped"
    return None
