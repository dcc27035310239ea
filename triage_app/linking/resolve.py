"""Find the cases that share a person, phone, vehicle or address (docs/USER_GUIDE.md, Linked cases).

A shared identifier (the same normalised phone, vehicle mark, or address with postcode) links two
cases strongly, whatever the names. People are matched by the Fellegi–Sunter model (model.py):
every pair of nominals a blocking rule brings together (blocking.py) is compared (compare.py)
and gets a probability; at or above the strong threshold it is a strong link, at or above the
possible threshold a suggestion for a reviewer. Nothing is compared all-pairs.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter

import numpy as np

from triage_app.linking import bulk, digests, explain
from triage_app.linking.features import ROLES, Nominals

# An identifier shared by more cases than this (a hostel, a taxi office's number) links each case
# to the first one only: the cluster is the same, without thousands of pairs.
STAR_LIMIT = 30
MAX_BASIS = 20
IDENTIFIER_WORDS = {"phone": "phone", "vehicle": "vehicle", "address": "address"}
_KINDS = ",".join(f"'{k}'" for k in IDENTIFIER_WORDS)
_PERSON, _IDENTIFIER = 1, 2   # the first column of a piece of evidence's digest (digests.of_columns)


@dataclass(slots=True)
class Nominal:
    id: int
    case_id: int
    role: str


@dataclass(slots=True)
class Evidence:
    """One piece of evidence as an object: `_row` builds a link's row from a list of them, the
    plain form of what `aggregate` builds from a relink's Pieces."""
    a: Nominal
    b: Nominal
    kind: str          # phone / vehicle / address / person
    value: str         # the shared identifier, or for a person the date-of-birth level
    strength: str      # strong / possible
    text: str | None   # None: worded when its link's row is built (text_of)
    probability: float = 1.0
    items: list | None = None   # a person match's waterfall (model.items)
    words: str | None = None    # a person match's top reasons in words
    digest: int = 0             # of everything its text and its part of the row are made from
    items_json: str | None = None    # its items as the explanation stores them (compact JSON)


# The kinds of evidence by their codes in Pieces, in the order of their names: a link's pieces
# sorted by code are in the order its evidence column sorts them (by nominals, then kind).
KINDS = ("address", "person", "phone", "vehicle")
_PERSON_KIND = KINDS.index("person")


@dataclass(slots=True)
class Pieces:
    """A relink's evidence as columns, a row per piece: its two nominals (ids, cases, ROLES codes),
    the lower case first; its kind (a KINDS code); what it shares (an index into `values`, a
    (kind, value); -1 for a person match); its probability, whether strong; a person match's kind
    of waterfall (an index for `falls`; -1 otherwise); its digest (digests.of_columns).
    At 100k cases a relink has ~200k pieces in ~75k links: as objects, one each, made and grouped
    in Python, they cost more than wording the links."""
    a: np.ndarray
    b: np.ndarray
    case_a: np.ndarray
    case_b: np.ndarray
    role_a: np.ndarray
    role_b: np.ndarray
    kind: np.ndarray
    value: np.ndarray
    p: np.ndarray
    strong: np.ndarray
    fall: np.ndarray
    digest: np.ndarray
    values: list = field(default_factory=list)
    falls: "Waterfalls | None" = None

    def __len__(self) -> int:
        return len(self.a)

    def taken(self, at: np.ndarray) -> "Pieces":
        """The pieces at `at`, in its order."""
        cols = {f: getattr(self, f)[at] for f in _COLUMNS}
        return Pieces(**cols, values=self.values, falls=self.falls)


_COLUMNS = ("a", "b", "case_a", "case_b", "role_a", "role_b", "kind", "value", "p", "strong", "fall", "digest")


def _pieces(t: Nominals, ra: np.ndarray, rb: np.ndarray, kind, value, p, strong, fall, digest, values=None,
            falls=None) -> Pieces:
    """Pieces between the nominals at rows ra, rb of t (turned round where rb's case is lower)."""
    flip = t.case[ra] > t.case[rb]
    ra, rb = np.where(flip, rb, ra), np.where(flip, ra, rb)
    n = len(ra)
    col = lambda x, dtype: np.broadcast_to(np.asarray(x, dtype=dtype), (n,)).copy()   # noqa: E731
    return Pieces(t.id[ra], t.id[rb], t.case[ra], t.case[rb], t.role[ra], t.role[rb], col(kind, np.int8),
                  col(value, np.int64), col(p, np.float64), col(strong, bool), col(fall, np.int64),
                  col(digest, np.uint64), values if values is not None else [], falls)


def joined(identifiers: Pieces, people: Pieces) -> Pieces:
    """A relink's pieces: its shared identifiers' (with their values) and its person matches'
    (with their waterfalls)."""
    cols = {f: np.concatenate([getattr(identifiers, f), getattr(people, f)]) for f in _COLUMNS}
    return Pieces(**cols, values=identifiers.values, falls=people.falls)


def _none(t: Nominals) -> Pieces:
    empty = np.zeros(0, dtype=np.int64)
    return _pieces(t, empty, empty, 0, -1, 1.0, True, -1, 0)


# --- people ------------------------------------------------------------------------------------

def person_pieces(t: Nominals, ia, ib, model, scores) -> Pieces:
    """A piece for each scored pair at or above the possible threshold.

    A pair's waterfall (model.items) and its words follow from its levels, names swapped or not,
    note and term-frequency adjustments alone: they are made once per distinct combination of
    those (a relink explains thousands of pairs, most of them alike), when a link shows them."""
    strong, possible = model.thresholds["strong"], model.thresholds["possible"]
    p = scores.probability
    ks = np.flatnonzero(p >= possible)
    if not len(ks):
        return _none(t)
    first, which, kinds = _alike(scores, ks)
    is_strong = p[ks] >= strong
    got = _pieces(t, ia[ks], ib[ks], _PERSON_KIND, -1, p[ks], is_strong, which, 0,
                  falls=Waterfalls(model, scores, ks[first]))
    got.digest = digests.of_columns(_PERSON, got.a, got.b, got.role_a, got.role_b, got.case_a, got.case_b,
                                    is_strong, got.p, kinds[which])
    return got


class Waterfalls:
    """The waterfalls (model.items) of a relink's distinct kinds of person match, with their words,
    made when a link that shows one is built, all such at once."""

    def __init__(self, model, scores, pairs: np.ndarray):
        self.model, self.scores, self.pairs = model, scores, pairs
        self.made: dict[int, tuple] = {}   # kind → (items, date-of-birth phrase, words, items as JSON)

    def make(self, kinds) -> None:
        """Make the waterfalls of the given kinds not made yet."""
        from triage_app.linking.model import items_of
        todo = sorted(set(kinds) - self.made.keys())
        if todo:
            written: dict = {}   # items_of shares its items between waterfalls: each written once
            for u, items in zip(todo, items_of(self.model, self.scores, self.pairs[todo])):
                self.made[u] = (items, explain.dob_phrase(items), explain.top_reasons(items, 3),
                                _waterfall_json(items, written))


def _waterfall_json(items: list, written: dict) -> str:
    """A waterfall as `_COMPACT` encodes it, each item written once (`written`: an item's JSON by its
    id, every item alive meanwhile): the encoder's own set-up per call cost ~40 % of wording the
    person matches (100k cases, 37,725 waterfalls)."""
    return "[" + ",".join([written.get(id(item)) or _item_json(item, written) for item in items]) + "]"


def _item_json(item: list, written: dict) -> str:
    c, level, w = item
    if w is None:
        text = f"[{_ASCII(c)},{_ASCII(level)},null]"
    elif type(w) is float and w - w == 0.0:   # a finite float, written as the encoder writes it
        text = f"[{_ASCII(c)},{_ASCII(level)},{_float(w)}]"
    else:
        text = _COMPACT.encode(item)
    written[id(item)] = text
    return text


def text_of(ev: Evidence, refs) -> str:
    """A piece of evidence in words, as its link's basis shows it."""
    if ev.text is not None:
        return ev.text
    roles = f"({ev.a.role} on {refs[ev.a.case_id]}, {ev.b.role} on {refs[ev.b.case_id]})"
    if ev.kind != "person":
        return f"same {IDENTIFIER_WORDS[ev.kind]} {_shown(ev.kind, ev.value)} {roles}"
    if ev.strength == "strong":
        return f"same person, probability {explain.percent(ev.probability)}: {ev.words} {roles}"
    return f"possibly the same person, probability {explain.percent(ev.probability)}: {ev.words} {roles}"


def _alike(scores, ks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of ks whose waterfalls are the same: (one pair of each kind, the kind of each pair, a
    digest of each kind).
    A waterfall is made of the comparison levels, swapped names, the note and the exact
    term-frequency adjustments (their float bits), nothing else of the pair: whatever else
    `model.items_of` comes to read per pair belongs here too (test_linking_evidence fails if not)."""
    from triage_app.linking.model import TF_COMPARISONS
    cols = [scores.levels[c][ks].astype(np.int64) for c in scores.levels]
    cols += [scores.swapped[ks].astype(np.int64),
             scores.notes[ks].astype(np.int64) if scores.notes is not None else np.zeros(len(ks), dtype=np.int64)]
    adjust = [scores.tf(c, ks) for c in TF_COMPARISONS]
    if hasattr(scores, "fullname"):   # a full name's own adjustment (model 2026.2)
        adjust.append(scores.fullname(ks))
    cols += [np.ascontiguousarray(a, dtype=np.float64).view(np.int64) for a in adjust]
    # pairs told apart by a digest of their columns, then checked column by column: np.unique of
    # the rows (axis=0) took ~0.3 s for 87k pairs (100k cases), the digest's ~0.01 s
    of_pair = digests.of_columns(*cols)
    _, first, which = np.unique(of_pair, return_index=True, return_inverse=True)
    rows = np.stack(cols, axis=1)
    if not np.array_equal(rows[first][which.reshape(-1)], rows):   # two kinds' digests alike: sort the rows
        _, first, which = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    return first, which.reshape(-1), of_pair[first]


# --- identifiers -------------------------------------------------------------------------------

def identifier_pieces(conn, t: Nominals, touched: set[int] | None) -> Pieces:
    """A piece for each pair of nominals of two cases that share a phone, vehicle or address (of
    the touched cases, None: all)."""
    row_of = dict(zip(t.id.tolist(), range(len(t))))
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)   # (kind, value) → rows of t
    if touched is None:
        # only values held by more than one nominal can link anything: SQLite groups them along
        # the (kind, value) index, members in nominal order (at 30k cases 6.5k of 75k values)
        for kind, value, members in conn.execute(
                f"SELECT kind, value, group_concat(nominal) FROM identifiers WHERE kind IN ({_KINDS}) "
                "GROUP BY kind, value HAVING count(*) > 1"):
            got = [row_of[n] for n in sorted(map(int, members.split(","))) if n in row_of]
            if got:
                groups[(kind, value)] = got
    else:
        for nid, kind, value in _touched_identifier_rows(conn, touched):
            r = row_of.get(nid)
            if r is not None and kind in IDENTIFIER_WORDS:
                groups[(kind, value)].append(r)
    case, ids = t.case.tolist(), t.id.tolist()
    ra, rb, at, values = [], [], [], []
    for (kind, value), members in groups.items():
        cases = {case[r] for r in members}
        if len(cases) < 2:
            continue
        v = len(values)
        values.append((kind, value))
        if len(cases) > STAR_LIMIT:
            hub_case = min(cases)
            hub = min((r for r in members if case[r] == hub_case), key=ids.__getitem__)
            others = [r for r in members if case[r] != hub_case]
            ra += [hub] * len(others)
            rb += others
            at += [v] * len(others)
        else:
            for i, x in enumerate(members):
                cx = case[x]
                for y in members[i + 1:]:
                    if case[y] != cx:
                        ra.append(x)
                        rb.append(y)
                        at.append(v)
    ra, rb, at = (np.array(x, dtype=np.int64) for x in (ra, rb, at))
    if touched is not None and len(ra):
        near = np.fromiter(touched, dtype=np.int64, count=len(touched))
        keep = np.isin(t.case[ra], near) | np.isin(t.case[rb], near)
        ra, rb, at = ra[keep], rb[keep], at[keep]
    if not len(ra):
        return _none(t)
    code = {k: KINDS.index(k) for k in IDENTIFIER_WORDS}
    kinds = np.array([code[k] for k, _ in values], dtype=np.int8)
    # each value digested once, every piece at once (of_columns)
    per_value = np.array([digests.of(repr(kv)) for kv in values], dtype=np.uint64)
    got = _pieces(t, ra, rb, kinds[at], at, 1.0, True, -1, 0, values=values)
    got.digest = digests.of_columns(_IDENTIFIER, per_value[at], got.a, got.b, got.role_a, got.role_b, got.case_a,
                                    got.case_b)
    return got


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

# one encoder each, made once (json.dumps with options makes a new one per call: thousands per relink)
_TEXT = json.JSONEncoder(ensure_ascii=False)
_COMPACT = json.JSONEncoder(separators=(",", ":"))
_PLAIN = json.JSONEncoder()


def aggregate(pieces: Pieces, rejected: set[tuple[int, int]], model_version: int | None, refs: dict[int, str],
              old: dict | None = None, kept: dict | None = None) -> dict[tuple[int, int], tuple]:
    """Case pairs (a < b) → the links row (LINK_COLUMNS order).

    With `old` (the stored rows, `existing`) and `kept` (digests.read): a link whose evidence digest
    and stored row are those kept is given its stored row, unbuilt; `kept` is brought up to date
    for every link returned (the caller writes it back)."""
    pieces, sizes = _by_link(pieces)
    starts = _starts(sizes)
    keys = list(zip(pieces.case_a[starts].tolist(), pieces.case_b[starts].tolist()))
    if rejected:
        pieces, sizes, (keys,) = _only(pieces, sizes, [key not in rejected for key in keys], keys)
    out = {}
    of_link = [None] * len(keys)
    if kept is not None:
        of_link = _link_digests(pieces, sizes, refs, model_version)
        if old:
            stored = [old.get(key) for key in keys]
            new = [row is None or kept.get(key, (None,))[0] != d or kept[key][1] != digests.of_row(row)
                   for key, d, row in zip(keys, of_link, stored)]
            out.update((key, row) for key, row, n in zip(keys, stored, new) if not n)
            pieces, sizes, (keys, of_link) = _only(pieces, sizes, new, keys, of_link)
    if pieces.falls is not None:
        pieces.falls.make(np.unique(pieces.fall[pieces.fall >= 0]).tolist())
    parts = _parts(pieces)
    ends = list(zip(pieces.a.tolist(), pieces.b.tolist(), [ROLES[r] for r in pieces.role_a.tolist()],
                    [ROLES[r] for r in pieces.role_b.tolist()], pieces.case_a.tolist(), pieces.case_b.tolist()))
    said: dict = {}
    lo = 0
    for key, size, single, digest in zip(keys, sizes.tolist(), _of_one_pair(pieces, sizes).tolist(), of_link):
        hi = lo + size
        if single:
            row = _row_of_one_pair(ends[lo], parts[lo:hi], model_version, refs, said)
        else:
            row = _row_of_many([ends[i] + parts[i] for i in range(lo, hi)], model_version, refs, said)
        out[key] = row
        if kept is not None:
            kept[key] = (digest, digests.of_row(row))
        lo = hi
    return out


def _by_link(pieces: Pieces) -> tuple[Pieces, np.ndarray]:
    """The pieces with each link's together (by its cases), in the order of their kinds and
    nominals; and how many pieces each link has."""
    pieces = pieces.taken(np.lexsort((pieces.b, pieces.a, pieces.kind, pieces.case_b, pieces.case_a)))
    ca, cb = pieces.case_a, pieces.case_b
    if not len(ca):
        return pieces, np.zeros(0, dtype=np.int64)
    return pieces, np.diff(np.append(np.flatnonzero(np.append(True, (ca[1:] != ca[:-1]) | (cb[1:] != cb[:-1]))),
                                     len(ca)))


def _starts(sizes: np.ndarray) -> np.ndarray:
    """Where each link's pieces start, from how many each has."""
    starts = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return starts


def _only(pieces: Pieces, sizes: np.ndarray, wanted: list[bool], *per_link: list):
    """The pieces, sizes and lists per link of the links `wanted`."""
    wanted = np.array(wanted, dtype=bool).reshape(-1)
    return (pieces.taken(np.flatnonzero(np.repeat(wanted, sizes))), sizes[wanted],
            [list(compress(each, wanted)) for each in per_link])


def _link_digests(pieces: Pieces, sizes: np.ndarray, refs: dict[int, str], model_version: int | None) -> list[int]:
    """Per link: its pieces' digests combined (digests.combine: summed modulo 2^64, which uint64
    arrays do by themselves), and combined with `_refs_digests`'."""
    if not len(sizes):
        return []
    from triage_app.linking import model
    code = digests.code(explain.__file__, model.__file__, __file__)
    starts = _starts(sizes)
    return (np.add.reduceat(pieces.digest, starts) + _refs_digests(pieces.case_a[starts], pieces.case_b[starts], refs,
                                                                   model_version, code)).tolist()


def _of_one_pair(pieces: Pieces, sizes: np.ndarray) -> np.ndarray:
    """Per link: whether its pieces are all between the same two nominals, one of each kind
    (`_one_pair`, for pieces `_by_link` put together)."""
    if not len(sizes):
        return np.zeros(0, dtype=bool)
    starts = _starts(sizes)
    first = np.repeat(starts, sizes)
    odd = (pieces.a != pieces.a[first]) | (pieces.b != pieces.b[first])
    odd[1:] |= pieces.kind[1:] == pieces.kind[:-1]
    odd[starts] = False
    return np.add.reduceat(odd.astype(np.int64), starts) == 0


_STRENGTH = ("possible", "strong")


def _parts(pieces: Pieces) -> list[tuple]:
    """Each piece's (kind, value, strength, probability, words, items as JSON, text) as the rows are
    built from them: a person match's value is its date-of-birth phrase, its words its top reasons
    (its waterfall made already); no piece is worded before (text None: `text_of`)."""
    made = pieces.falls.made if pieces.falls is not None else {}
    values = pieces.values
    return [(KINDS[k], values[v][1], _STRENGTH[s], p, None, None, None) if f < 0 else
            ("person", made[f][1], _STRENGTH[s], p, made[f][2], made[f][3], None)
            for k, v, s, p, f in zip(pieces.kind.tolist(), pieces.value.tolist(), pieces.strong.tolist(),
                                     pieces.p.tolist(), pieces.fall.tolist())]


def _refs_digests(case_a: np.ndarray, case_b: np.ndarray, refs: dict[int, str], model_version: int | None,
                  code: str) -> np.ndarray:
    """Per case pair: a digest of both cases' refs, the model's version and the code's digest."""
    cases = np.unique(np.concatenate([case_a, case_b]))
    per_case = np.array([digests.of(refs[c]) for c in cases.tolist()], dtype=np.uint64)
    return digests.of_columns(per_case[np.searchsorted(cases, case_a)], per_case[np.searchsorted(cases, case_b)],
                              -1 if model_version is None else model_version, digests.of(code))


def _row(evs: list[Evidence], model_version: int | None, refs, said: dict | None = None) -> tuple:
    """One link's row from its evidence. Its JSON columns are written out directly, exactly as the
    encoders `_TEXT`, `_COMPACT` and `_PLAIN` write them (test_linking_digests checks it on every
    shape of row): the encoders' general path cost ~40 % of building the rows (a waterfall encoded
    again per link; 100k cases, 74,696 links). Each piece's words are those of `text_of`, written
    here without a call per piece; `said` keeps what many links say alike, worded once: a shared
    identifier's words ("same phone …", by (kind, value)) and a probability's (`_said_of`). A
    relink passes one for all its links."""
    if said is None:
        said = {}
    if _one_pair(evs):
        return _row_of_one_pair(_ends(evs[0]), [_part(ev) for ev in (sorted(evs, key=_KIND) if len(evs) > 1 else evs)],
                                model_version, refs, said)
    return _row_of_many([_ends(ev) + _part(ev) for ev in evs], model_version, refs, said)


def _ends(ev: Evidence) -> tuple:
    """A piece of evidence's nominals as the rows are built from them: (id, id, role, role, case, case)."""
    return ev.a.id, ev.b.id, ev.a.role, ev.b.role, ev.a.case_id, ev.b.case_id


def _part(ev: Evidence) -> tuple:
    """The rest of a piece of evidence as the rows are built from them (`_parts`)."""
    items = (ev.items_json or _COMPACT.encode(ev.items)) if ev.kind == "person" else None
    return ev.kind, ev.value, ev.strength, ev.probability, ev.words, items, ev.text


def _row_of_many(pieces: list[tuple], model_version: int | None, refs, said: dict) -> tuple:
    """`_row` of any evidence: `pieces`, each piece's `_ends` and `_part` (in any order)."""
    basis, rows, ident, people = {}, set(), set(), {}
    strong = sa = sb = False
    prob = 0.0
    for na, nb, ra, rb, ca, cb, kind, value, strength, p, words, items, text in pieces:
        if text is None:   # text_of
            roles = f"({ra} on {refs[ca]}, {rb} on {refs[cb]})"
            if kind == "person":
                text = f"{_SAME[strength == 'strong']}, probability {_said_of(p, said)[0]}: {words} {roles}"
            else:
                text = f"{_identifier_said(kind, value, said)[0]} {roles}"
        if text not in basis:
            basis[text] = strength
        if ca > cb:
            na, nb, ra, rb = nb, na, rb, ra
        if strength == "strong":
            strong = True
        if ra == "suspect":
            sa = True
        if rb == "suspect":
            sb = True
        if p > prob:
            prob = p
        rows.add((na, nb, kind, value, strength))
        if kind == "person":
            if people.get((na, nb), _NONE)[0] < p:
                people[na, nb] = (p, items, ra, rb)
        else:
            ident.add((kind, na, nb, ra, rb))
    ranked = sorted(people.items(), key=_most_likely) if len(people) > 1 else list(people.items())
    # one entry per shared identifier, in the order of their sorted JSON (json.dumps(sort_keys=True))
    if len(ident) > 1:
        explanation = [compact for _, compact in sorted(_identifier_entry(*e) for e in ident)]
    else:
        explanation = [_identifier_compact(*e) for e in ident]
    shown = [(na, nb, _said_of(p, said)[1]) for (na, nb), (p, *_) in ranked]
    if ranked:
        na, nb, p = shown[0]
        _, items, ra, rb = ranked[0][1]
        explanation.append(f'{{"nominals":[{na},{nb}],"roles":[{_ASCII(ra)},{_ASCII(rb)}],'
                           f'"probability":{p},"items":{items}}}')
    return ("strong" if strong else "possible",
            _text_list(basis_list(basis) if len(basis) > 1 else basis),
            int(sa), int(sb),
            "[" + ", ".join([f"[{x}, {y}, {_JSON.get(k) or _STR(k)}, {_STR(v) if v is not None else 'null'}, "
                             f"{_JSON.get(st) or _STR(st)}]" for x, y, k, v, st in sorted(rows)]) + "]",
            round(prob, 6), "[" + ",".join(explanation) + "]", model_version,
            "[" + ", ".join([f"[{na}, {nb}, {p}]" for na, nb, p in shown]) + "]")



_KIND = attrgetter("kind")


def _said_of(p: float, said: dict) -> tuple[str, str, float]:
    """A probability as a basis words it, as a row's JSON writes it, and rounded for the row, made
    once per relink (`said`, by the probability itself: 24k distinct among 87k matches at 100k)."""
    got = said.get(p) if p else None    # 0.0 and -0.0 are one key but are written apart
    if got is None:
        rounded = round(p, 6)
        got = said[p] = (explain.percent(p), _float(rounded), rounded)
    return got


def _one_pair(evs: list[Evidence]) -> bool:
    """Whether every piece of evidence is between the same two nominals, the lower case first, of
    a kind of its own and worded by text_of: 82 % of the links at 100k cases (a person match and
    the phone or address the two share). Such a row's parts come in an order known beforehand."""
    a, b = evs[0].a, evs[0].b
    if a.case_id > b.case_id:
        return False
    for ev in evs:
        if ev.a is not a or ev.b is not b or ev.text is not None:
            return False
    return len({ev.kind for ev in evs}) == len(evs)


def _row_of_one_pair(ends: tuple, parts: list[tuple], model_version: int | None, refs, said: dict) -> tuple:
    """`_row` of evidence `_one_pair` accepts, without sorting or sets: `ends`, its two nominals'
    (id, id, role, role, case, case); `parts`, its pieces (`_part`) in the order of their kinds.
    With one piece per kind, the evidence column's rows (sorted by nominals, kind, value) and the
    explanation's identifier entries (sorted by their JSON, where only the kind differs) come in
    the kinds' order; the basis texts begin with words of their kind and strength
    (`_BASIS_ORDER`), so they are ordered by those and written as JSON piece by piece (JSON escapes
    a text character by character), each piece once: the link's roles once for all its texts, a
    person match's words once per relink."""
    na, nb, ra, rb, ca, cb = ends
    roles = _STR(f"({ra} on {refs[ca]}, {rb} on {refs[cb]})")[1:-1]
    head = f"[{na}, {nb}, "
    texts, rows, explanation, strong, prob, person = [], [], [], False, 0.0, None
    for kind, value, strength, p, words, items, _ in parts:
        if strength == "strong":
            strong = True
        if p > prob:
            prob = p
        if kind == "person":
            person = (p, items)
            shown = said.get(words)
            if shown is None:
                shown = said[words] = _STR(words)[1:-1]
            texts.append((strength != "strong", _BASIS_ORDER[strength == "strong"],
                          f'"{_SAME[strength == "strong"]}, probability {_said_of(p, said)[0]}: {shown} {roles}"'))
        else:
            texts.append((strength != "strong", _BASIS_ORDER[kind], f'"{_identifier_said(kind, value, said)[1]} {roles}"'))
            explanation.append(_identifier_compact(kind, na, nb, ra, rb))
        rows.append(f"{head}{_JSON[kind]}, {_STR(value) if value is not None else 'null'}, "
                    f"{_JSON.get(strength) or _STR(strength)}]")
    people = "[]"
    if person is not None:
        p = _said_of(person[0], said)[1]
        explanation.append(f'{{"nominals":[{na},{nb}],"roles":[{_ASCII(ra)},{_ASCII(rb)}],'
                           f'"probability":{p},"items":{person[1]}}}')
        people = f"[[{na}, {nb}, {p}]]"
    texts.sort()
    return ("strong" if strong else "possible", "[" + ", ".join([t for _, _, t in texts]) + "]",
            int(ra == "suspect"), int(rb == "suspect"), "[" + ", ".join(rows) + "]",
            _said_of(prob, said)[2], "[" + ",".join(explanation) + "]", model_version, people)


def _identifier_said(kind: str, value: str, said: dict) -> tuple[str, str]:
    """A shared identifier's words in a basis ("same phone 07700 900123") and as JSON writes them,
    made once per relink (`said`, by (kind, value)) for every link it is in."""
    got = said.get((kind, value))
    if got is None:
        words = f"same {IDENTIFIER_WORDS[kind]} {_shown(kind, value)}"
        got = said[kind, value] = (words, _STR(words)[1:-1])
    return got


def _basis_order() -> dict:
    """How the basis texts of one pair's evidence sort (basis_list: by text within a strength):
    each kind's text begins with words of its own that tell it from every other kind's before
    either ends (test_linking_aggregate checks it), so those words order the texts. Keys: an
    identifier's kind; True / False for a person match, strong or not."""
    begins = {kind: f"same {word} " for kind, word in IDENTIFIER_WORDS.items()}
    begins.update({True: f"{_SAME[True]}, ", False: f"{_SAME[False]}, "})
    return {key: i for i, key in enumerate(sorted(begins, key=begins.get))}


# the JSON of the words every piece of evidence has (kinds, strengths), written once
_JSON = {w: json.encoder.encode_basestring(w) for w in ("person", *IDENTIFIER_WORDS, "strong", "possible")}
_SAME = {True: "same person", False: "possibly the same person"}
_BASIS_ORDER = _basis_order()
_NONE = (-1,)


def _most_likely(person):
    """People's pairs most likely first, then by their nominals."""
    (pair, (p, *_)) = person
    return -p, pair


# The encoders' own string and float writers (json.encoder): what _TEXT (ensure_ascii=False) and
# _COMPACT / _PLAIN (ensure_ascii=True) write for a str, and what all three write for a float.
_STR = json.encoder.encode_basestring
_ASCII = json.encoder.encode_basestring_ascii
_float = float.__repr__


def _text_list(texts: list[str]) -> str:
    return "[" + ", ".join([_STR(t) for t in texts]) + "]"


def _identifier_entry(kind: str, na: int, nb: int, ra: str, rb: str) -> tuple[str, str]:
    """A shared identifier's explanation entry: (its json.dumps(sort_keys=True) text, to order and
    tell entries apart as before, and its compact JSON as stored)."""
    k, ra, rb = _ASCII(kind), _ASCII(ra), _ASCII(rb)
    return (f'{{"items": [[{k}, "shared", null]], "nominals": [{na}, {nb}], "probability": 1.0, "roles": [{ra}, {rb}]}}',
            f'{{"items":[[{k},"shared",null]],"nominals":[{na},{nb}],"probability":1.0,"roles":[{ra},{rb}]}}')


def _identifier_compact(kind: str, na: int, nb: int, ra: str, rb: str) -> str:
    """`_identifier_entry`'s compact JSON alone (a link with one shared identifier orders nothing)."""
    return (f'{{"items":[[{_ASCII(kind)},"shared",null]],"nominals":[{na},{nb}],"probability":1.0,'
            f'"roles":[{_ASCII(ra)},{_ASCII(rb)}]}}')


def basis_list(basis: dict[str, str]) -> list[str]:
    texts = sorted(basis, key=lambda t: (basis[t] != "strong", t))
    if len(texts) > MAX_BASIS:
        texts = texts[:MAX_BASIS] + [f"and {len(texts) - MAX_BASIS} more shared details"]
    return texts


LINK_COLUMNS = "strength, basis, suspect_a, suspect_b, evidence, probability, explanation, model, people"
_WIDTH = 2 + len(LINK_COLUMNS.split(","))


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


def write_changes(conn, old: dict, new: dict, confirmed: set[tuple[int, int]] = frozenset()) -> set[tuple[int, int]]:
    """Write only what changed (each row written is costly); returns the pairs that changed.

    A confirmed pair keeps its row even when the model no longer suggests it: a re-estimation never
    silently takes away a reviewer's judgement."""
    # In key order: rows written in the key's order fill its index's pages one after
    # another; in the evidence's order each lands on a random page (100k cases, 74,696 new links:
    # 4.9 -> 1.9 CPU s to write).
    gone = sorted(k for k in old if k not in new and k not in confirmed)
    changed = sorted((*k, *v) for k, v in new.items() if old.get(k) != v)
    conn.executemany("DELETE FROM links WHERE case_a = ? AND case_b = ?", gone)
    bulk.insert_many(conn, f"INSERT OR REPLACE INTO links(case_a, case_b, {LINK_COLUMNS})", changed, _WIDTH)
    return set(gone) | {(r[0], r[1]) for r in changed}
