"""Suspect lanes: one lane per suspect as the linker resolves people, victims never named.

Suspect records are one person when they carry the same normalised name and date of birth, or when
the linker matched them as one person (`linking.people`: a strong person match, or any person match
on a confirmed link) despite a spelling variant. A lane's label lists every spelling recorded.

A suspect who is the same person as a victim of the cluster (a victim drawn into recruiting others:
the linker's match, or the same name and date of birth) is a victim too: shown by initials, in the
lane and on every event, unless full identity was chosen.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from triage_app.chronology.minimise import named
from triage_app.chronology.model import ALSO_VICTIM
from triage_app.importing.dates import BadDate, parse
from triage_app.linking import normalise, people
from triage_app.pack.identity import initials


def _born(value) -> str | None:
    try:
        d = parse(str(value)) if value else None
    except BadDate:
        return None
    return d.isoformat() if d else None


def _same(n) -> str:
    return f"{normalise.full_name(n['forenames'], n['surname'])}|{_born(n['dob']) or ''}"


@dataclass
class Suspects:
    keys: dict[int, str] = field(default_factory=dict)      # suspect nominal id -> lane key
    labels: dict[str, str] = field(default_factory=dict)    # lane key -> label
    victims_too: set[int] = field(default_factory=set)      # suspect nominal ids to show as victims


def resolve(conn, nominals: list, identity: str) -> Suspects:
    """Lanes of the named suspects among `nominals` (rows of the cluster's cases)."""
    named_rows = [n for n in nominals if n["role"] in ("suspect", "victim")
                  and normalise.full_name(n["forenames"], n["surname"])]
    by_id = {n["id"]: n for n in named_rows}
    pairs = [(a, b) for a, b in people.person_pairs(conn, sorted({n["case_id"] for n in nominals}))
             if a in by_id and b in by_id]
    first: dict[str, int] = {}
    for n in named_rows:                # the same name and date of birth: one person, linked or not
        pairs.append((first.setdefault(_same(n), n["id"]), n["id"]))
    person = people.groups(pairs)
    groups: dict[int, list] = {}
    for n in named_rows:
        groups.setdefault(person.get(n["id"], n["id"]), []).append(n)
    out = Suspects()
    for group in groups.values():
        suspects = [n for n in group if n["role"] == "suspect"]
        if not suspects:
            continue
        key = _same(suspects[0])
        hidden = identity != "full" and any(n["role"] == "victim" for n in group)
        if hidden:
            out.victims_too.update(n["id"] for n in suspects)
            label = " / ".join(dict.fromkeys(initials(n["forenames"], n["surname"]) for n in suspects))
            label += f" ({ALSO_VICTIM})"
        else:
            names: dict[str, str] = {}      # one spelling per name as the linker compares them (case aside)
            for n in suspects:
                names.setdefault(normalise.full_name(n["forenames"], n["surname"]), named(n["forenames"], n["surname"]))
            years = dict.fromkeys(b[:4] for n in suspects if (b := _born(n["dob"])))
            label = " / ".join(names.values()) + (f" (b. {' / '.join(years)})" if years else "")
        out.labels[key] = label
        out.keys.update((n["id"], key) for n in suspects)
    return out
