"""The words that say why two cases are linked, built from STRUCTURED link data, never from the
linker's own sentences (which quote the shared phone, address or date of birth as they are).

The interface, small on purpose so the linker can change underneath it:

- `evidence_for(conn, pairs)` reads `links.evidence` (JSON `[[nominal_a, nominal_b, kind, value,
  strength]]`; for a person the value says how the dates of birth compare) and `links.people`
  (`[[nominal_a, nominal_b, probability]]`) for case-id pairs and joins each nominal's role, case
  reference, name and date of birth → `{(case_a, case_b): [LinkEvidence]}`. This is the one function to adapt when the linker's
  stored evidence changes shape.
- `basis_lines(evidence, victims, identity, here=None)` → the printed lines, e.g.
  "same phone (victim on CR/2013/…; suspect on CR/2012/…)" or, between suspects,
  "same vehicle BD51SMR (suspect on …; suspect on …)". At the "initials" level a value is printed
  only when no end is a victim and the value is no victim's (`VictimIdentity.withholds`).
- `minimised_pairs(conn, pairs, identity, victims)` gives `linking.graph.all_pairs` rows their basis at that
  level (for exports of links and charts).

Guarded by tests/pack/test_pack_victim_identity.py (no victim identifier in any written form).
"""
from __future__ import annotations

import json

import phonenumbers

from triage_app.linking import names
from triage_app.linking.explain import percent
from triage_app.pack.model import LinkEnd, LinkEvidence

MAX_LINES = 20
KIND_ORDER = {"phone": 0, "vehicle": 1, "address": 2, "person": 3}
WORDS = {"phone": "phone", "vehicle": "vehicle", "address": "address"}


def evidence_for(conn, pairs) -> dict[tuple[int, int], list[LinkEvidence]]:
    wanted = {(min(a, b), max(a, b)) for a, b in pairs}
    raw: dict[tuple[int, int], list] = {}
    probability: dict[tuple, float] = {}
    if len(wanted) > 50:
        rows = ((a, b, ev, pp) for a, b, ev, pp in conn.execute("SELECT case_a, case_b, evidence, people FROM links")
                if (a, b) in wanted)
    else:
        rows = [(a, b, r[0], r[1]) for a, b in sorted(wanted)
                for r in [conn.execute("SELECT evidence, people FROM links WHERE case_a = ? AND case_b = ?",
                                       (a, b)).fetchone()]
                if r is not None]
    for a, b, ev, people in rows:
        raw[(a, b)] = [tuple(i) for i in _json_list(ev) if isinstance(i, (list, tuple)) and len(i) >= 5]
        for item in _json_list(people):      # [[nominal_a, nominal_b, probability]] (second-generation linker)
            if isinstance(item, (list, tuple)) and len(item) >= 3:
                probability[(item[0], item[1])] = item[2]
    ends = _nominals(conn, {n for items in raw.values() for i in items for n in i[:2]})
    unknown = LinkEnd("unknown", "another case")
    return {key: [LinkEvidence(str(kind), str(value), str(strength), (ends.get(na, unknown), ends.get(nb, unknown)),
                               probability.get((na, nb)) if kind == "person" else None)
                  for na, nb, kind, value, strength, *_ in items]
            for key, items in raw.items()}


def _json_list(text) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _nominals(conn, ids: set) -> dict[int, LinkEnd]:
    out = {}
    ids = sorted(i for i in ids if isinstance(i, int))
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for nid, role, ref, fore, sur, dob in conn.execute(
                "SELECT n.id, n.role, c.ref, n.forenames, n.surname, n.dob FROM nominals n "
                f"JOIN cases c ON c.id = n.case_id WHERE n.id IN ({','.join('?' * len(part))})", part):
            out[nid] = LinkEnd(role, ref, fore, sur, dob)
    return out


def basis_lines(evidence: list[LinkEvidence], victims, identity: str, here: str | None = None) -> list[str]:
    """The lines of a link's basis at `identity`, strongest first, without repeats."""
    lines: dict[str, None] = {}
    for ev in sorted(evidence, key=lambda e: (e.strength != "strong", KIND_ORDER.get(e.kind, 9), e.kind)):
        lines.setdefault(_line(ev, victims, identity, here), None)
    out = list(lines)
    if len(out) > MAX_LINES:
        out = out[:MAX_LINES] + [f"and {len(out) - MAX_LINES} more shared details"]
    return out


def _ends(ev: LinkEvidence, here: str | None) -> tuple[LinkEnd, LinkEnd]:
    a, b = ev.ends
    return (b, a) if here is not None and b.ref == here and a.ref != here else (a, b)


def _roles(a: LinkEnd, b: LinkEnd) -> str:
    return f"({a.role} on {a.ref}; {b.role} on {b.ref})"


def _shows(ev: LinkEvidence, victims, identity: str, kind: str, values: list[str]) -> bool:
    """May the shared value be printed? At 'full', yes; otherwise only between non-victims whose
    value is no victim's."""
    if identity == "full":
        return True
    if any(e.role not in ("suspect", "witness", "other") for e in ev.ends):
        return False
    return not any(victims.withholds(kind, v) for v in values)


def _shown_value(kind: str, value: str) -> str:
    if kind == "phone":
        try:
            return phonenumbers.format_number(phonenumbers.parse(value, "GB"),
                                              phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            return value
    if kind == "address":         # "12 mill road LS1 4AB" → "12 Mill Road LS1 4AB"
        words = value.split()
        return " ".join([w.capitalize() for w in words[:-2]] + words[-2:])
    return value


def _line(ev: LinkEvidence, victims, identity: str, here: str | None) -> str:
    a, b = _ends(ev, here)
    if ev.kind != "person":
        word = WORDS.get(ev.kind, ev.kind)
        shown = f" {_shown_value(ev.kind, ev.value)}" if _shows(ev, victims, identity, ev.kind, [ev.value]) else ""
        return f"same {word}{shown} {_roles(a, b)}"
    how = _how(a, b)
    dobs = [d for d in (a.dob, b.dob) if d]
    show = _shows(ev, victims, identity, "dob", dobs)
    if ev.value.startswith("date of birth"):
        # The second-generation linker: a probability, and how the dates compare in words
        # ("date of birth the same", "… one digit differs"); the dates only where they may be shown.
        head = "same person" if ev.strength == "strong" else "possibly the same person"
        if ev.probability is not None:
            head += f", probability {percent(ev.probability)}"
        dates = f" ({' and '.join(dict.fromkeys(dobs))})" if show and dobs else ""
        return f"{head}: {how}, {ev.value}{dates} {_roles(a, b)}"
    if ev.strength == "strong":
        dob = f" {dobs[0]}" if show and dobs else ""
        return f"same person: {how} and the same date of birth{dob} {_roles(a, b)}"
    if not a.dob or not b.dob:
        missing = a.ref if not a.dob else b.ref
        return f"possibly the same person: {how}, date of birth missing on {missing} {_roles(a, b)}"
    what = _dob_difference(a.dob, b.dob)
    dates = f" {a.dob} and {b.dob}" if show else ""
    return f"possibly the same person: {how}, dates of birth{dates} differ by {what} {_roles(a, b)}"


def _how(a: LinkEnd, b: LinkEnd) -> str:
    try:
        return names.agree(names.parse(a.forenames, a.surname), names.parse(b.forenames, b.surname)) or \
            "names do not match"       # the linker matched them on other evidence
    except Exception:   # a linker that words names differently: say only what is certain
        return "names compared"


def _dob_difference(x: str, y: str) -> str:
    if x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]:
        return "a day/month swap"
    return "one digit" if sum(p != q for p, q in zip(x, y)) == 1 else "a few digits"


def minimised_pairs(conn, pairs: list[dict], identity: str, victims) -> list[dict]:
    """`linking.graph.all_pairs` rows (with their `_ids`) with the basis at `identity`; `victims`:
    a `pack.identity.VictimIdentity` of every case the pairs touch."""
    ids = [p["_ids"] for p in pairs if p.get("_ids")]
    evidence = evidence_for(conn, ids)
    out = []
    for p in pairs:
        key = tuple(sorted(p["_ids"])) if p.get("_ids") else None
        ev = evidence.get(key, []) if key else []
        basis = basis_lines(ev, victims, identity) if ev else ([] if identity == "initials" else list(p.get("basis") or []))
        out.append({**p, "basis": basis})
    return out
