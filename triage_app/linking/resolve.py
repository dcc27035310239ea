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
from dataclasses import dataclass
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
    waterfall: tuple | None = None   # a person match's (Waterfalls, kind): its items, made when needed
    items_json: str | None = None    # its items as the explanation stores them (compact JSON), made once per kind


def nominal_index(t: Nominals) -> dict[int, Nominal]:
    roles = {i: r for i, r in enumerate(ROLES)}
    return {nid: Nominal(nid, cid, roles[r]) for nid, cid, r in zip(t.id.tolist(), t.case.tolist(), t.role.tolist())}


# --- people ------------------------------------------------------------------------------------

def person_evidence(t: Nominals, noms: dict[int, Nominal], refs, ia, ib, model, scores):
    """Evidence for each scored pair at or above the possible threshold, strongest first.

    A pair's waterfall (model.items) and its words follow from its levels, names swapped or not,
    note and term-frequency adjustments alone: they are made once per distinct combination of
    those (a relink explains thousands of pairs, most of them alike) and shared."""
    strong, possible = model.thresholds["strong"], model.thresholds["possible"]
    p = scores.probability
    ks = np.flatnonzero(p >= possible)
    if not len(ks):
        return
    # each pair the way round its link's row has it: the lower case id first
    ra, rb = ia[ks], ib[ks]
    flip = t.case[ra] > t.case[rb]
    ra, rb = np.where(flip, rb, ra), np.where(flip, ra, rb)
    first, which, kinds = _alike(scores, ks)
    falls = Waterfalls(model, scores, ks[first])
    is_strong = p[ks] >= strong
    dig = digests.of_columns(_PERSON, t.id[ra], t.id[rb], t.role[ra], t.role[rb], t.case[ra], t.case[rb], is_strong,
                             p[ks], kinds[which]).tolist()
    shared = [(falls, u) for u in range(len(first))]   # one (Waterfalls, kind) per kind, not per pair
    strength = ("possible", "strong")
    for na, nb, prob, s, u, d in zip(t.id[ra].tolist(), t.id[rb].tolist(), p[ks].tolist(), is_strong.tolist(),
                                     which.tolist(), dig):
        yield Evidence(noms[na], noms[nb], "person", None, strength[s], None, prob, None, None, d, shared[u])


class Waterfalls:
    """The waterfalls (model.items) of a relink's distinct kinds of person match, with their words,
    made when a link that shows one is built, all such at once."""

    def __init__(self, model, scores, pairs: np.ndarray):
        self.model, self.scores, self.pairs = model, scores, pairs
        self.made: dict[int, tuple] = {}

    def fill(self, evs: list[Evidence]) -> None:
        """Give each person match in evs its waterfall, date-of-birth phrase and words."""
        from triage_app.linking.model import items_of
        todo = sorted({ev.waterfall[1] for ev in evs} - self.made.keys())
        if todo:
            written: dict = {}   # items_of shares its items between waterfalls: each written once
            for u, items in zip(todo, items_of(self.model, self.scores, self.pairs[todo])):
                self.made[u] = (items, explain.dob_phrase(items), explain.top_reasons(items, 3),
                                _waterfall_json(items, written))
        for ev in evs:
            ev.items, ev.value, ev.words, ev.items_json = self.made[ev.waterfall[1]]


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


def _worded(evs: list[Evidence]) -> None:
    """Fill in the waterfalls and words of the person matches among evs that have none yet."""
    by: dict = {}
    for ev in evs:
        if ev.waterfall is not None and ev.items is None:
            by.setdefault(id(ev.waterfall[0]), (ev.waterfall[0], []))[1].append(ev)
    for falls, some in by.values():
        falls.fill(some)


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

def identifier_evidence(conn, noms: dict[int, Nominal], refs: dict[int, str], touched: set[int] | None):
    groups: dict[tuple[str, str], list[Nominal]] = defaultdict(list)
    if touched is None:
        # only values held by more than one nominal can link anything: SQLite groups them along
        # the (kind, value) index, members in nominal order (at 30k cases 6.5k of 75k values)
        for kind, value, members in conn.execute(
                f"SELECT kind, value, group_concat(nominal) FROM identifiers WHERE kind IN ({_KINDS}) "
                "GROUP BY kind, value HAVING count(*) > 1"):
            got = [noms[n] for n in sorted(map(int, members.split(","))) if n in noms]
            if got:
                groups[(kind, value)] = got
    else:
        for nid, kind, value in _touched_identifier_rows(conn, touched):
            n = noms.get(nid)
            if n is not None and kind in IDENTIFIER_WORDS:
                groups[(kind, value)].append(n)
    found, cols = [], []
    roles = {r: i for i, r in enumerate(ROLES)}
    for (kind, value), members in groups.items():
        cases = {n.case_id for n in members}
        if len(cases) < 2:
            continue
        value_digest = digests.of(repr((kind, value)))
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
            found.append(Evidence(a, b, kind, value, "strong", None))
            cols.append((value_digest, a.id, b.id, roles[a.role], roles[b.role], a.case_id, b.case_id))
    if not found:
        return
    # digests of every piece at once (of_columns), each identifier's value digested once
    m = np.array(cols, dtype=np.uint64)
    for ev, d in zip(found, digests.of_columns(_IDENTIFIER, *m.T).tolist()):
        ev.digest = d
        yield ev


def _pairs_in(block: list[Nominal], touched: set[int] | None):
    for i, a in enumerate(block):
        for b in block[i + 1:]:
            if a.case_id != b.case_id:
                yield a, b


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


def aggregate(evidence, rejected: set[tuple[int, int]], model_version: int | None, refs: dict[int, str],
              old: dict | None = None, kept: dict | None = None) -> dict[tuple[int, int], tuple]:
    """Case pairs (a < b) → the links row (LINK_COLUMNS order).

    With `old` (the stored rows, `existing`) and `kept` (digests.read): a link whose evidence digest
    and stored row are those kept is given its stored row, unbuilt; `kept` is brought up to date
    for every link returned (the caller writes it back)."""
    acc: dict[tuple[int, int], list[Evidence]] = {}
    for ev in evidence:
        ca, cb = ev.a.case_id, ev.b.case_id
        key = (ca, cb) if ca <= cb else (cb, ca)
        link = acc.get(key)
        if link is None:
            acc[key] = [ev]
        else:
            link.append(ev)
    for key in rejected:
        acc.pop(key, None)
    out, build = {}, []
    if kept is None:
        build = [(key, None) for key in acc]
    else:
        from triage_app.linking import model
        code = digests.code(explain.__file__, model.__file__, __file__)
        old = old or {}
        for key, digest in zip(acc, _link_digests(acc, refs, model_version, code)):
            stored = old.get(key)
            if stored is not None and kept.get(key, (None,))[0] == digest and kept[key][1] == digests.of_row(stored):
                out[key] = stored
            else:
                build.append((key, digest))
    _worded([ev for key, _ in build for ev in acc[key]])
    said: dict = {}
    for key, digest in build:   # each pair's working data goes as its row is made, so both never peak together
        out[key] = _row(acc.pop(key), model_version, refs, said)
        if kept is not None:
            kept[key] = (digest, digests.of_row(out[key]))
    return out


def _link_digests(acc: dict[tuple[int, int], list[Evidence]], refs: dict[int, str], model_version: int | None,
                  code: str) -> list[int]:
    """Per link of acc: its pieces' digests combined (digests.combine: summed modulo 2^64, which
    uint64 arrays do by themselves), and combined with `_refs_digests`'."""
    if not acc:
        return []
    sizes = np.fromiter(map(len, acc.values()), dtype=np.int64, count=len(acc))
    each = np.fromiter((ev.digest for evs in acc.values() for ev in evs), dtype=np.uint64, count=int(sizes.sum()))
    starts = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return (np.add.reduceat(each, starts) + _refs_digests(list(acc), refs, model_version, code)).tolist()


def _refs_digests(keys: list[tuple[int, int]], refs: dict[int, str], model_version: int | None,
                  code: str) -> np.ndarray:
    """Per case pair: a digest of both cases' refs, the model's version and the code's digest."""
    pairs = np.array(keys, dtype=np.int64)
    cases = np.unique(pairs)
    per_case = np.array([digests.of(refs[c]) for c in cases.tolist()], dtype=np.uint64)
    at = np.searchsorted(cases, pairs)
    return digests.of_columns(per_case[at[:, 0]], per_case[at[:, 1]], -1 if model_version is None else model_version,
                              digests.of(code))


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
        return _row_of_one_pair(evs, model_version, refs, said)
    basis, rows, ident, people = {}, set(), set(), {}
    strong = sa = sb = False
    prob = 0.0
    for ev in evs:
        a, b = ev.a, ev.b
        kind, value, strength, p = ev.kind, ev.value, ev.strength, ev.probability
        text = ev.text
        if text is None:   # text_of(ev, refs)
            roles = f"({a.role} on {refs[a.case_id]}, {b.role} on {refs[b.case_id]})"
            if kind == "person":
                text = f"{_SAME[strength == 'strong']}, probability {_said_of(p, said)[0]}: {ev.words} {roles}"
            else:
                text = f"{_identifier_said(kind, value, said)[0]} {roles}"
        if text not in basis:
            basis[text] = strength
        if a.case_id > b.case_id:
            a, b = b, a
        if strength == "strong":
            strong = True
        if a.role == "suspect":
            sa = True
        if b.role == "suspect":
            sb = True
        if p > prob:
            prob = p
        rows.add((a.id, b.id, kind, value, strength))
        if kind == "person":
            if people.get((a.id, b.id), _NONE)[0] < p:
                people[a.id, b.id] = (p, ev.items_json or _COMPACT.encode(ev.items), a.role, b.role)
        else:
            ident.add((kind, a.id, b.id, a.role, b.role))
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


def _row_of_one_pair(evs: list[Evidence], model_version: int | None, refs, said: dict) -> tuple:
    """`_row` of evidence `_one_pair` accepts, without sorting or sets. With one piece per kind,
    the evidence column's rows (sorted by nominals, kind, value) and the explanation's identifier
    entries (sorted by their JSON, where only the kind differs) come in the kinds' order; the basis
    texts begin with words of their kind and strength (`_BASIS_ORDER`), so they are ordered by
    those and written as JSON piece by piece (JSON escapes a text character by character), each
    piece once: the link's roles once for all its texts, a person match's words once per relink."""
    a, b = evs[0].a, evs[0].b
    roles = _STR(f"({a.role} on {refs[a.case_id]}, {b.role} on {refs[b.case_id]})")[1:-1]
    ends = f"[{a.id}, {b.id}, "
    texts, rows, explanation, strong, prob, person = [], [], [], False, 0.0, None
    for ev in sorted(evs, key=_KIND) if len(evs) > 1 else evs:
        kind, value, strength, p = ev.kind, ev.value, ev.strength, ev.probability
        if strength == "strong":
            strong = True
        if p > prob:
            prob = p
        if kind == "person":
            person = ev
            words = said.get(ev.words)
            if words is None:
                words = said[ev.words] = _STR(ev.words)[1:-1]
            texts.append((strength != "strong", _BASIS_ORDER[strength == "strong"],
                          f'"{_SAME[strength == "strong"]}, probability {_said_of(p, said)[0]}: {words} {roles}"'))
        else:
            texts.append((strength != "strong", _BASIS_ORDER[kind], f'"{_identifier_said(kind, value, said)[1]} {roles}"'))
            explanation.append(_identifier_compact(kind, a.id, b.id, a.role, b.role))
        rows.append(f"{ends}{_JSON[kind]}, {_STR(value) if value is not None else 'null'}, "
                    f"{_JSON.get(strength) or _STR(strength)}]")
    people = "[]"
    if person is not None:
        p = _said_of(person.probability, said)[1]
        explanation.append(f'{{"nominals":[{a.id},{b.id}],"roles":[{_ASCII(a.role)},{_ASCII(b.role)}],'
                           f'"probability":{p},"items":{person.items_json or _COMPACT.encode(person.items)}}}')
        people = f"[[{a.id}, {b.id}, {p}]]"
    texts.sort()
    return ("strong" if strong else "possible", "[" + ", ".join([t for _, _, t in texts]) + "]",
            int(a.role == "suspect"), int(b.role == "suspect"), "[" + ", ".join(rows) + "]",
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
