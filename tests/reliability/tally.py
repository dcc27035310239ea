"""Counts the reliability tests report at the end of the run (kills, fuzz examples, failures).

One module shared by every test file so the numbers add up across them; conftest prints them.
"""
from __future__ import annotations

from collections import defaultdict

COUNTS: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


def add(group: str, what: str, n: int = 1) -> None:
    COUNTS[group][what] += n


def lines() -> list[str]:
    out = []
    for group in sorted(COUNTS):
        parts = ", ".join(f"{k}={v}" for k, v in sorted(COUNTS[group].items()))
        out.append(f"{group}: {parts}")
    return out
