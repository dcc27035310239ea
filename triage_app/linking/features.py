"""The nominals as columns of numbers, ready to block and compare (numpy).

One pass over the nominals table turns each person on a case into small integer codes: the
case, the role, ids of the forename and surname strings, their sounds, the date of birth as
year/month/day, postcode (whole, sector, district), address, gender, and which phones and vehicles
they carry. Equal strings share one id, so comparing two people is mostly comparing integers;
only distinct pairs of distinct strings ever reach the (slower) fuzzy comparisons.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import jellyfish
import numpy as np

from triage_app.linking import cache, names, normalise

ROLES = ("victim", "suspect", "witness", "other")
GENDERS = {"m": 1, "male": 1, "f": 2, "female": 2}


class Vocabulary:
    """Strings ↔ ids; id -1 is 'nothing recorded'."""

    def __init__(self):
        self.ids: dict = {}
        self.values: list = []

    def id(self, value) -> int:
        if not value:
            return -1
        i = self.ids.get(value)
        if i is None:
            i = self.ids[value] = len(self.values)
            self.values.append(value)
        return i


@dataclass
class Nominals:
    """Column arrays, one row per nominal (index i), plus the vocabularies behind the ids."""
    id: np.ndarray          # nominal ids (int64)
    case: np.ndarray        # case ids (int64)
    role: np.ndarray        # index into ROLES (int8)
    fore: np.ndarray        # id of the forename tokens (a tuple) in `words`
    sur: np.ndarray         # id of the surname tokens
    fore1: np.ndarray       # id of the first forename token (as a 1-tuple) in `words`
    sur1: np.ndarray        # id of the first surname token
    fsound: np.ndarray      # id of the first forename token's sound (a variant group's head's)
    ssound: np.ndarray
    finit: np.ndarray       # first letter of the forename, as a code (0: none)
    sinit: np.ndarray
    dob: np.ndarray         # yyyymmdd, 0 when unknown
    postcode: np.ndarray    # id in `postcodes`
    sector: np.ndarray      # id of "LS1 4"
    district: np.ndarray    # id of "LS1"
    address: np.ndarray     # id in `addresses` (normalised, without the postcode)
    street: np.ndarray      # id in `addresses` of the address's first word that is not a number
    house: np.ndarray       # per address id (not per row): id of its numbers ("12", "4a")
    gender: np.ndarray      # 0 unknown, 1 M, 2 F
    has_phone: np.ndarray   # bool
    has_vehicle: np.ndarray
    words: Vocabulary       # name token tuples
    sounds: Vocabulary
    postcodes: Vocabulary
    addresses: Vocabulary
    shared: dict = field(default_factory=dict)   # kind → list of index arrays sharing one value
    changed: bool = True    # some columns were worked out afresh (the vault's copy is out of date)
    pair_codes: dict = field(default_factory=dict)   # kind → codes of row pairs sharing one (compare.py)

    def __len__(self) -> int:
        return len(self.id)

    def index_of(self) -> dict[int, int]:
        return {int(n): i for i, n in enumerate(self.id)}


def _sound(token: str | None, sounds: Vocabulary) -> int:
    if not token:
        return -1
    groups = names.canon(token)             # the token and its variant groups' heads
    head = min(groups - {token} or groups)  # a variant group's members share one sound
    return sounds.id(jellyfish.metaphone(head) or head)


# The nominals' columns the linker reads (ahead.py takes the same from the rows an import writes).
READ = ("id", "case_id", "role", "forenames", "surname", "name_norm", "dob", "gender", "address", "postcode")
_SELECT = f"SELECT {', '.join(READ)} FROM nominals"
ARRAYS = ("id", "case", "role", "fore", "sur", "fore1", "sur1", "fsound", "ssound", "finit", "sinit", "dob",
          "postcode", "sector", "district", "address", "street", "gender")
VOCABULARIES = ("words", "sounds", "postcodes", "addresses")


def load(conn, touched: set[int] | None = None, *, cached: bool = True, ahead=None) -> Nominals:
    """Every nominal as columns. The columns of the last relink are kept in the vault (cache.py):
    then only the nominals of the `touched` cases and those added since are read and worked out
    again; without a usable copy (or cached=False), every nominal is. `ahead` (ahead.Ahead): the
    columns of the nominals an import wrote, worked out as it wrote them; used for the newest
    nominals when they are exactly its rows, with the same result as reading them."""
    worked = ahead.take() if ahead is not None else None    # its look-ups let go, whichever path
    got = cache.read(conn, ARRAYS) if cached else None
    if got is not None:
        values, arrays, upto = got
        vocabs = {name: _vocabulary(values[name], tuples=name == "words") for name in VOCABULARIES}
        # the nominals added since, then the touched cases' (worked out in that order)
        ready = worked is not None and worked.covers(conn, upto)
        parts = [worked.columns_in(vocabs)] if ready else []
        rows = [] if ready else list(conn.execute(_SELECT + " WHERE id > ?", (upto,)))
        ids = sorted(touched or ())
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            rows += conn.execute(_SELECT + f" WHERE case_id IN ({','.join('?' * len(part))}) AND id <= ?",
                                 [*part, upto]).fetchall()
        fresh = _joined([*parts, _columns(rows, vocabs)])
        keep = ~np.isin(arrays["id"], fresh["id"])
        arrays = {k: np.concatenate([arrays[k][keep], fresh[k]]) for k in ARRAYS}
        order = np.argsort(arrays["id"], kind="stable")
        arrays = {k: v[order] for k, v in arrays.items()}
        count = conn.execute("SELECT count(*) FROM nominals").fetchone()[0]
        if count == len(arrays["id"]):
            return _table(conn, arrays, vocabs, changed=bool(rows) or ready)
    vocabs = {k: Vocabulary() for k in VOCABULARIES}
    if worked is not None and worked.covers(conn, worked.first - 1):
        # every nominal in id order: those before the import's, then its own
        before = _columns(conn.execute(_SELECT + " WHERE id < ?", (worked.first,)), vocabs)
        return _table(conn, _joined([before, worked.columns_in(vocabs)]), vocabs, changed=True)
    return _table(conn, _columns(conn.execute(_SELECT), vocabs), vocabs, changed=True)


def _joined(parts: list[dict]) -> dict[str, np.ndarray]:
    return parts[0] if len(parts) == 1 else {k: np.concatenate([p[k] for p in parts]) for k in ARRAYS}


def _vocabulary(values: list, tuples: bool) -> Vocabulary:
    v = Vocabulary()
    v.values = [tuple(x) for x in values] if tuples else list(values)
    v.ids = {x: i for i, x in enumerate(v.values)}
    return v


def save(conn, t: Nominals) -> None:
    """Keep t's columns in the vault for the next relink (only when some were worked out afresh)."""
    if t.changed:
        cache.write(conn, {k: getattr(t, k) for k in ARRAYS}, {name: getattr(t, name).values for name in VOCABULARIES},
                    len(t), int(t.id.max()) if len(t) else 0)


def _table(conn, arrays: dict, vocabs: dict, changed: bool) -> Nominals:
    n = len(arrays["id"])
    out = Nominals(**arrays, house=_houses(vocabs["addresses"]), has_phone=np.zeros(n, dtype=bool),
                   has_vehicle=np.zeros(n, dtype=bool), **vocabs)
    out.changed = changed
    _identifiers(conn, out)
    return out


def _columns(rows, vocabs: dict) -> dict[str, np.ndarray]:
    return Columns(vocabs)(rows)


class Columns:
    """Works nominal rows (as `_SELECT` reads them) out into columns, numbering their strings in
    `vocabs`. Called chunk after chunk, the vocabularies and look-ups carry over: the chunks' columns
    joined are what one call over all the rows gives (ahead.py works an import's people out so)."""

    def __init__(self, vocabs: dict):
        self.vocabs = vocabs
        # Each distinct name, date of birth, postcode, address and gender is worked out once (the same
        # values recur across a collection); the loop itself only looks them up and appends.
        self.parsed: dict = {}
        self.dobs: dict = {}
        self.pcs: dict = {}
        self.places: dict = {}
        self.genders: dict = {}
        # a first token's sound id: the sound of a name's first token is looked up, not worked out
        # again, for each distinct name (at 100k cases ~490k of 4k distinct tokens)
        self.sound_of: dict = {}

    def forget_names_and_places(self) -> None:
        """Let go of the names' and addresses' look-ups (the later chunks' columns stay the same)."""
        self.parsed, self.places = {}, {}

    def __call__(self, rows) -> dict[str, np.ndarray]:
        words, sounds, postcodes, addresses = (self.vocabs[k] for k in VOCABULARIES)
        parsed, dobs, pcs, places, genders = self.parsed, self.dobs, self.pcs, self.places, self.genders
        sound_of = self.sound_of
        role_code = {r: i for i, r in enumerate(ROLES)}
        ids, cases, roles, nms, dobcol, pccol, addrcol, streetcol, gendercol = ([] for _ in range(9))
        for nid, case_id, role, forenames, surname, name_norm, dob, gender, address, postcode in rows:
            key = (forenames, surname, name_norm)
            nm = parsed.get(key)
            if nm is None:
                n = names.parse(forenames, surname, name_norm)
                f, s = n.forenames, n.surnames
                f0, s0 = (f[0] if f else None), (s[0] if s else None)
                fs = sound_of.get(f0)
                if fs is None:
                    fs = sound_of[f0] = _sound(f0, sounds)
                ss = sound_of.get(s0)
                if ss is None:
                    ss = sound_of[s0] = _sound(s0, sounds)
                nm = parsed[key] = (words.id(f), words.id(s), words.id(f[:1]), words.id(s[:1]), fs, ss,
                                    ord(f0[0]) if f else 0, ord(s0[0]) if s else 0)
            nms.append(nm)
            ids.append(nid)
            cases.append(case_id)
            roles.append(role_code.get(role, 3))
            d = dobs.get(dob)
            if d is None:
                d = normalise.dob(dob)
                d = dobs[dob] = int(d.replace("-", "")) if d else 0
            dobcol.append(d)
            pc = pcs.get(postcode)
            if pc is None:
                pc = pcs[postcode] = _postcode_ids(normalise.postcode(postcode), postcodes)
            pccol.append(pc)
            place = places.get(address)
            if place is None:
                addr = normalise.address(address)
                place = places[address] = (addresses.id(addr), addresses.id(_street(addr)))
            addrcol.append(place[0])
            streetcol.append(place[1])
            g = genders.get(gender)
            if g is None:
                g = genders[gender] = GENDERS.get((gender or "").strip().casefold(), 0)
            gendercol.append(g)
        name = np.array(nms or np.zeros((0, 8)), dtype=np.int32).reshape(-1, 8)
        pc = np.array(pccol or np.zeros((0, 3)), dtype=np.int32).reshape(-1, 3)
        return {"id": np.array(ids, dtype=np.int64), "case": np.array(cases, dtype=np.int64),
                "role": np.array(roles, dtype=np.int8), "fore": name[:, 0].copy(), "sur": name[:, 1].copy(),
                "fore1": name[:, 2].copy(), "sur1": name[:, 3].copy(), "fsound": name[:, 4].copy(),
                "ssound": name[:, 5].copy(), "finit": name[:, 6].copy(), "sinit": name[:, 7].copy(),
                "dob": np.array(dobcol, dtype=np.int32), "postcode": pc[:, 0].copy(), "sector": pc[:, 1].copy(),
                "district": pc[:, 2].copy(), "address": np.array(addrcol, dtype=np.int32),
                "street": np.array(streetcol, dtype=np.int32), "gender": np.array(gendercol, dtype=np.int8)}


def _houses(addresses: Vocabulary) -> np.ndarray:
    numbers = Vocabulary()
    numbers.id("-")       # id 0: no number in the address
    return np.array([numbers.id(" ".join(w for w in a.split() if w[:1].isdigit()) or "-")
                     if not a.startswith("street:") else -1 for a in addresses.values] or [0], dtype=np.int32)


def _street(addr: str | None) -> str | None:
    for w in (addr or "").split():
        if len(w) >= 3 and w.isalpha():
            return "street:" + w
    return None


def _postcode_ids(pc: str | None, postcodes: Vocabulary) -> tuple[int, int, int]:
    if not pc:
        return (-1, -1, -1)
    outward, inward = pc.split(" ")
    return (postcodes.id(pc), postcodes.id(f"{outward} {inward[0]}"), postcodes.id(outward))


def _identifiers(conn, t: Nominals) -> None:
    """Phones and vehicles: who has one, and the groups of nominals that share one (each group's
    rows sorted, the groups in the order their values are first read)."""
    where = dict(zip(t.id.tolist(), range(len(t))))
    group_of: dict = {}
    rows, groups, phones = [], [], []
    for nid, kind, value in conn.execute("SELECT nominal, kind, value FROM identifiers WHERE kind IN ('phone', 'vehicle')"):
        i = where.get(nid)
        if i is None:
            continue
        key = (kind, value)
        g = group_of.get(key)
        if g is None:
            g = group_of[key] = len(group_of)
        rows.append(i)
        groups.append(g)
        phones.append(kind == "phone")
    if not rows:
        return
    # the groups a row at a time were ~0.4 s at 100k cases (63k phones and vehicles): now by numpy
    rows, groups, phones = np.array(rows, dtype=np.int64), np.array(groups, dtype=np.int64), np.array(phones)
    t.has_phone[rows[phones]] = True
    t.has_vehicle[rows[~phones]] = True
    order = np.lexsort((rows, groups))
    rows, groups = rows[order], groups[order]
    first = np.r_[True, (groups[1:] != groups[:-1]) | (rows[1:] != rows[:-1])]   # a row twice in a group: once
    rows, groups = rows[first], groups[first]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    ends = np.r_[starts[1:], len(groups)]
    kinds = [kind for kind, _ in group_of]
    for g, lo, hi in zip(groups[starts].tolist(), starts.tolist(), ends.tolist()):
        if hi - lo > 1:
            t.shared.setdefault(kinds[g], []).append(rows[lo:hi])
