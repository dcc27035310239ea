"""Case data the program keeps outside the vault for speed (caches of normal forms of names,
addresses, phones and dates of birth, the linker's name tables), forgotten when the vault locks.

A module that keeps such a cache registers the function that empties it; `Session.close` (lock)
calls `forget()`, so a workstation left locked holds none of it in memory any more.
"""
from __future__ import annotations

from typing import Callable

_FORGETTERS: list[Callable[[], None]] = []


def register(forget_fn: Callable[[], None]) -> Callable[[], None]:
    """Have `forget_fn` called when the vault locks (usable as a decorator)."""
    if forget_fn not in _FORGETTERS:
        _FORGETTERS.append(forget_fn)
    return forget_fn


def forget() -> None:
    """Empty every registered cache."""
    for f in list(_FORGETTERS):
        f()
