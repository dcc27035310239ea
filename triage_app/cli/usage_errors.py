"""argparse's own error messages, with every value the user typed taken out.

A value in the wrong place may be a passphrase, a name or case text (design.md §3: never echoed).
argparse repeats values in five messages; each is rewritten to name the argument and the rule only:
  unrecognized arguments: X Y       → the stray options' names, and "values (not repeated here)"
  invalid choice: 'X' (choose …)    → invalid choice (choose …)
  invalid int value: 'X'            → invalid int value
  ignored explicit argument 'X'     → ignored explicit argument
  ambiguous option: --o=X could …   → ambiguous option: --o could …
"""
from __future__ import annotations

import re

_TYPED_VALUE = re.compile(r"(invalid \S+ value): .*\Z", re.S)
_IGNORED = re.compile(r"(ignored explicit argument) .*\Z", re.S)


def without_values(message: str) -> str:
    head, sep, rest = message.partition("unrecognized arguments: ")
    if sep:
        return head + sep + _stray(rest)
    head, sep, rest = message.partition("invalid choice: ")
    if sep:
        _, found, choices = rest.rpartition(" (choose from ")
        return head + "invalid choice" + (f" (choose from {choices}" if found else "")
    head, sep, rest = message.partition("ambiguous option: ")
    if sep:
        option, found, matches = rest.rpartition(" could match ")
        return head + sep + option.split("=", 1)[0] + (found + matches if found else "")
    message = _TYPED_VALUE.sub(r"\1", message)
    return _IGNORED.sub(r"\1", message)


def _stray(rest: str) -> str:
    words = rest.split()
    options = [w.split("=", 1)[0] for w in words if w.startswith("-")]
    shown = " ".join(options)
    if len(options) < len(words) or any("=" in w for w in words):
        shown += f"{' and ' if shown else ''}values (not repeated here)"
    return shown
