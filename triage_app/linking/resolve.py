"""Find the cases that share a person, phone, vehicle or address (docs/USER_GUIDE.md, Linked cases).

Blocking keeps the cost near-linear: nominals are only compared inside blocks that share a
normalised identifier, a date of birth plus a name sound, or a forename+surname sound pair.
Nothing is compared all-pairs across the vault.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from triage_app.linking import bulk, names, normalise

# An identifier shared by more cases than this (a hostel, a taxi office's number) links each case
# to the first one only: the cluster is the same, without thousands of pairs.
STAR_LIMIT = 30
# Name blocks larger than this compare only pairs whose dates of birth could be one person's.
BIG_BLOCK = 64
MAX_BASIS = 20
IDENTIFIER_WORDS = {"phone": "phone", "vehicle": "vehicle", "address": "address"}


@dataclass(slots=True)
class Nominal:
    id: int
    case_id: int
    role: str
    dob: str | None
    name: names.Name


@dataclass(slots=True)
class Evidence:
    a: Nominal
    b: Nominal
    kind: str          # phone / vehicle / address / person
    value: str
    strength: str      # strong / possible
    text: str


def load_nominals(conn) -> dict[int, Nominal]:
    # A full relink holds every nominal at once: equal values (roles, dates, case ids, names) are
    # kept as one shared object each rather than one copy per row.
    parsed: dict[tuple, names.Name] = {}
    shared: dict = {}
    out: dict[int, Nominal] = {}
    for nid, case_id, role, dob, forenames, surname, name_norm in conn.execute(
            "SELECT id, case_id, role, dob, forenames, surname, name_norm FROM nominals"):
        k = (forenames, surname, name_norm)
        nm = parsed.get(k)
        if nm is None:
            nm = parsed[k] = names.parse(forenames, surname, name_norm)
        dob = _iso(dob)
        out[nid] = Nominal(nid, shared.setdefault(case_id, case_id), shared.setdefault(role, role),
                           shared.setdefault(dob, dob), nm)
    return out


def _iso(dob: str | None) -> str | None:
    return normalise.dob(dob)


# --- dates of birth ------------------------------------------------------------------------

def dob_relation(a: str | None, b: str | None) -> str | None:
    """'same', 'missing', 'swap' (day/month), 'digit' (one digit differs), or None (different people)."""
    if a is None or b is None:
        return "missing"
    if a == b:
        return "same"
    if a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return "swap"
    if sum(x != y for x, y in zip(a, b)) == 1:
        return "digit"
    return None


def _dob_masks(d: str) -> list[str]:
    """Keys two dates share when they differ by one digit or by a day/month swap."""
    digits = [i for i, ch in enumerate(d) if ch != "-"]
    masks = [d[:i] + "?" + d[i + 1:] for i in digits]
    lo, hi = sorted((d[5:7], d[8:10]))
    masks.append(f"{d[:4]}~{lo}~{hi}")
    return masks


# --- candidate pairs -----------------------------------------------------------------------

def _wanted(noms: dict[int, Nominal], touched: set[int]) -> tuple[set, set]:
    """The blocks a touched nominal falls in: (dob, name sound) keys and (forename, surname) sound keys."""
    wanted_dob, wanted_name = set(), set()
    for n in noms.values():
        if n.case_id in touched and n.name.usable:
            if n.dob:
                wanted_dob.update((n.dob, p) for p in n.name.token_keys())
            wanted_name.update(n.name.keys())
    return wanted_dob, wanted_name


def _dob_blocks(noms: dict[int, Nominal], wanted: set | None):
    """Blocks by (date of birth, a name sound), one date at a time: only one date's blocks are held."""
    dated = sorted((n for n in noms.values() if n.dob and n.name.usable), key=lambda n: n.dob)
    i = 0
    while i < len(dated):
        dob = dated[i].dob
        j = i
        while j < len(dated) and dated[j].dob == dob:
            j += 1
        if j - i > 1:
            blocks: dict[str, list[Nominal]] = defaultdict(list)
            for n in dated[i:j]:
                for p in n.name.token_keys():
                    if wanted is None or (dob, p) in wanted:
                        blocks[p].append(n)
            yield from blocks.values()
        i = j


def _name_blocks(noms: dict[int, Nominal], wanted: set | None) -> dict[tuple, list[Nominal]]:
    """Blocks by (forename sound, surname sound)."""
    by_name: dict[tuple, list[Nominal]] = defaultdict(list)
    for n in noms.values():
        if n.name.usable:
            for k in n.name.keys():
                if wanted is None or k in wanted:
                    by_name[k].append(n)
    return by_name


def _pairs_in(block: list[Nominal], touched: set[int] | None):
    if len(block) < 2:
        return
    if touched is None:
        for i in range(len(block)):
            a = block[i]
            for b in block[i + 1:]:
                if a.case_id != b.case_id:
                    yield a, b
    else:
        for a in block:
            if a.case_id in touched:
                for b in block:
                    if b.case_id != a.case_id and (b.case_id not in touched or a.id < b.id):
                        yield a, b


def _name_block_pairs(block: list[Nominal], touched: set[int] | None):
    """Pairs in a name block that could be one person: a date missing, or near (exact is by DOB block).

    In a block this big the name is a common one: without a date of birth it says nothing about
    who a person is, and suggesting every namesake would bury the reviewer (quadratic, too), so
    only dates a slip apart are suggested there.
    """
    if len(block) <= BIG_BLOCK:
        yield from _pairs_in(block, touched)
        return
    by_mask: dict[str, list[Nominal]] = defaultdict(list)
    for n in block:
        if n.dob is not None:
            for k in _dob_masks(n.dob):
                by_mask[k].append(n)
    for sub in by_mask.values():
        yield from _pairs_in(sub, touched)


def person_evidence(noms: dict[int, Nominal], refs: dict[int, str], touched: set[int] | None):
    wanted_dob, wanted_name = (None, None) if touched is None else _wanted(noms, touched)
    # One int per pair rather than a tuple: a full relink of 100k cases considers millions of pairs.
    seen: set[int] = set()

    def consider(a: Nominal, b: Nominal):
        key = (a.id << 63 | b.id) if a.id < b.id else (b.id << 63 | a.id)  # rowids < 2**63
        if key in seen:
            return None
        seen.add(key)
        rel = dob_relation(a.dob, b.dob)
        if rel is None:
            return None
        how = names.agree(a.name, b.name)
        if how is None:
            return None
        return _person(a, b, rel, how, refs)

    for block in _dob_blocks(noms, wanted_dob):
        for a, b in _pairs_in(block, touched):
            ev = consider(a, b)
            if ev:
                yield ev
    for block in _name_blocks(noms, wanted_name).values():
        for a, b in _name_block_pairs(block, touched):
            ev = consider(a, b)
            if ev:
                yield ev


def _person(a: Nominal, b: Nominal, rel: str, how: str, refs) -> Evidence:
    if a.case_id > b.case_id:  # one wording for a pair, whichever way it was found
        a, b = b, a
    roles = f"({a.role} on {refs[a.case_id]}, {b.role} on {refs[b.case_id]})"
    if rel == "same":
        return Evidence(a, b, "person", a.dob, "strong",
                        f"same person: {how} and the same date of birth {a.dob} {roles}")
    if rel == "missing":
        where = refs[a.case_id] if a.dob is None else refs[b.case_id]
        return Evidence(a, b, "person", "dob missing", "possible",
                        f"possibly the same person: {how}, date of birth missing on {where} {roles}")
    what = "a day/month swap" if rel == "swap" else "one digit"
    return Evidence(a, b, "person", f"{a.dob} / {b.dob}", "possible",
                    f"possibly the same person: {how}, dates of birth {a.dob} and {b.dob} differ by {what} {roles}")


def identifier_evidence(conn, noms: dict[int, Nominal], refs: dict[int, str], touched: set[int] | None):
    groups: dict[tuple[str, str], list[Nominal]] = defaultdict(list)
    if touched is None:
        rows = conn.execute("SELECT nominal, kind, value FROM identifiers")
    else:
        rows = _touched_identifier_rows(conn, touched)
    for nid, kind, value in rows:
        n = noms.get(nid)
        if n is not None and kind in IDENTIFIER_WORDS:
            groups[(kind, value)].append(n)
    for (kind, value), members in groups.items():
        cases = {n.case_id for n in members}
        if len(cases) < 2:
            continue
        if len(cases) > STAR_LIMIT:
            hub_case = min(cases)
            hub = min((n for n in members if n.case_id == hub_case), key=lambda n: n.id)
            pairs = ((hub, n) for n in members if n.case_id != hub_case)
        else:
            pairs = _pairs_in(members, touched)
        for a, b in pairs:
            if touched is not None and a.case_id not in touched and b.case_id not in touched:
                continue
            if a.case_id > b.case_id:
                a, b = b, a
            yield Evidence(a, b, kind, value, "strong",
                           f"same {IDENTIFIER_WORDS[kind]} {_shown(kind, value)} ({a.role} on {refs[a.case_id]}, "
                           f"{b.role} on {refs[b.case_id]})")


def _shown(kind: str, value: str) -> str:
    """An identifier as a reader expects it in a basis: a normalised address is all lower case, so
    its words are capitalised again ("12 Mill Road LS1 4AB"); phones and marks read as they are."""
    if kind != "address":
        return value
    words = value.split()
    return " ".join([w.capitalize() for w in words[:-2]] + words[-2:])


def _touched_identifier_rows(conn, touched: set[int]):
    ids = sorted(touched)
    rows = set()
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        rows.update(conn.execute(
            "SELECT DISTINCT o.nominal, o.kind, o.value FROM nominals n JOIN identifiers t ON t.nominal = n.id "
            "JOIN identifiers o ON o.kind = t.kind AND o.value = t.value "
            f"WHERE n.case_id IN ({','.join('?' * len(part))})", part).fetchall())
    return [tuple(r) for r in rows]


# --- from evidence to case links -------------------------------------------------------------

def aggregate(evidence, rejected: set[tuple[int, int]]) -> dict[tuple[int, int], tuple]:
    """Case pairs (a < b) → the links row: (strength, basis JSON, suspect_a, suspect_b, evidence JSON)."""
    acc: dict[tuple[int, int], list] = {}
    for ev in evidence:
        a, b = ev.a, ev.b
        if a.case_id > b.case_id:
            a, b = b, a
        key = (a.case_id, b.case_id)
        if key in rejected:
            continue
        link = acc.get(key)
        if link is None:
            link = acc[key] = [False, {}, False, False, []]
        link[0] |= ev.strength == "strong"
        link[1].setdefault(ev.text, ev.strength)
        link[2] |= a.role == "suspect"
        link[3] |= b.role == "suspect"
        link[4].append((a.id, b.id, ev.kind, ev.value, ev.strength))
    out = {}
    for key in list(acc):   # each pair's working data goes as its row is made, so both never peak together
        strong, basis, sa, sb, rows = acc.pop(key)
        out[key] = ("strong" if strong else "possible", json.dumps(basis_list(basis), ensure_ascii=False),
                    int(sa), int(sb), json.dumps(sorted(set(rows)), ensure_ascii=False))
    return out


def basis_list(basis: dict[str, str]) -> list[str]:
    texts = sorted(basis, key=lambda t: (basis[t] != "strong", t))
    if len(texts) > MAX_BASIS:
        texts = texts[:MAX_BASIS] + [f"and {len(texts) - MAX_BASIS} more shared details"]
    return texts


LINK_COLUMNS = "strength, basis, suspect_a, suspect_b, evidence"


def existing(conn, touched: set[int] | None) -> dict[tuple[int, int], tuple]:
    sql = f"SELECT case_a, case_b, {LINK_COLUMNS} FROM links"
    if touched is None:
        return {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(sql)}
    out = {}
    ids = sorted(touched)
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        marks = ",".join("?" * len(part))
        out.update({(r[0], r[1]): tuple(r[2:]) for r in conn.execute(
            f"{sql} WHERE case_a IN ({marks}) UNION ALL {sql} WHERE case_b IN ({marks})", part + part)})
    return out


def write_changes(conn, old: dict, new: dict) -> set[tuple[int, int]]:
    """Write only what changed (each row written is costly); returns the pairs that changed."""
    gone = [k for k in old if k not in new]
    changed = [(*k, *v) for k, v in new.items() if old.get(k) != v]
    conn.executemany("DELETE FROM links WHERE case_a = ? AND case_b = ?", gone)
    bulk.insert_many(conn, f"INSERT OR REPLACE INTO links(case_a, case_b, {LINK_COLUMNS})", changed, 7)
    return set(gone) | {(r[0], r[1]) for r in changed}
