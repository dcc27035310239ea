"""What the case view shows, read through the core (no Qt): the case itself, its links, its audit.

`triage_app.casefile.case_detail` writes the consultation entry (DPA 2018 s62) with the reason;
linked cases and audit history come from their own capabilities. Until a capability is installed
its part is simply empty, never guessed.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from triage_app.paths import resource


def case_detail(session, ref: str, reason: str) -> dict:
    from triage_app.casefile import case_detail as detail
    return detail(session, ref, reason)


def linked_cases(session, case_id: int | None, ref: str) -> list[dict]:
    """[{ref, strength, basis: [text], judgement}] for the other end of each link of this case."""
    try:
        from triage_app.linking import links_for_case
    except ImportError:
        return []
    if case_id is None:
        return []
    out = []
    for link in links_for_case(session.conn, case_id, explained=False):
        link = dict(link)
        other = link.get("ref") or link.get("other") or (link.get("b") if link.get("a") == ref else link.get("a"))
        basis = link.get("basis") or []
        out.append({"ref": other, "strength": link.get("strength", ""),
                    "basis": [basis] if isinstance(basis, str) else list(basis),
                    "judgement": link.get("judgement")})
    return out


def audit_history(session, ref: str) -> tuple[list[dict], str]:
    """The case's audit entries the user may see, and a note saying which they are."""
    from triage_app import audit
    entries = audit.entries(session.conn, ref)
    if session.can("audit_read"):
        return entries, "Every entry for this case."
    return [e for e in entries if e["user"] == session.user], "Your own entries for this case (the full log needs a supervisor or admin)."


@lru_cache(maxsize=1)
def blaming_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Victim-blaming patterns from the triage weights (resources/triage/weights.toml, [[language]])."""
    try:
        with open(resource("triage", "weights.toml"), "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return ()
    out = []
    for item in data.get("language", []):
        try:
            out.append((item.get("name", ""), re.compile(item["pattern"], re.IGNORECASE)))
        except (KeyError, re.error):
            continue
    return tuple(out)
