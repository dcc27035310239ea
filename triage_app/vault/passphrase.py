"""How strong a passphrase is: the one-sentence refusal and the meter's 0–4."""
from __future__ import annotations

import math

COMMON = {"password", "passphrase", "letmein", "qwerty", "123456", "police", "welcome", "changeme"}


def passphrase_problem(p: str) -> str | None:
    """None when strong enough, else one sentence saying what is missing."""
    if len(p) < 12:
        return "A passphrase needs at least 12 characters (several words are easiest to remember)."
    if len(set(p)) < 6:
        return "A passphrase needs more variety than a few repeated characters."
    rest = p.lower()
    for w in COMMON:
        rest = rest.replace(w, "")
    if rest != p.lower() and len(set(c for c in rest if not c.isdigit())) < 6:
        return "That passphrase is too common; choose several unrelated words."
    return None


def passphrase_strength(p: str) -> int:
    """0–4 for a strength meter: rough entropy from length and character classes."""
    classes = sum([any(c.islower() for c in p), any(c.isupper() for c in p),
                   any(c.isdigit() for c in p), any(not c.isalnum() for c in p)])
    pool = {0: 1, 1: 26, 2: 52, 3: 62, 4: 94}[classes]
    bits = len(p) * math.log2(max(pool, 2)) * min(1.0, len(set(p)) / max(len(p) * 0.5, 1))
    if passphrase_problem(p):
        return min(1, int(bits // 40))
    return max(2, min(4, int(bits // 30)))
