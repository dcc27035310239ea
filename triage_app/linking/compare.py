"""Comparison levels for pairs of nominals (the Fellegi–Sunter comparison vector).

`levels(t, ia, ib)` gives, for each comparison, one level per pair (index into that comparison's
`LEVELS`, best first; -1 when either side recorded nothing, which weighs nothing). Integers are
compared with numpy; strings only once per distinct pair of distinct strings.
"""
from __future__ import annotations

import threading

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from triage_app.linking import names
from triage_app.linking.arrays import distinct, distinct_inverse
from triage_app.linking.features import Nominals
from triage_app.vault import residue

# comparison → its levels, best first. The words are what a reviewer reads in a link's explanation.
LEVELS: dict[str, tuple[str, ...]] = {
    "forename": ("exact", "variant", "slip", "similar", "other_name", "different"),
    "surname": ("exact", "variant", "slip", "similar", "other_name", "different"),
    "dob": ("exact", "transposed", "one_digit", "day_month", "same_year", "different", "years_apart"),
    "address": ("exact", "close", "similar", "different"),
    "postcode": ("exact", "one_char", "sector", "district", "different"),
    "phone": ("shared", "different"),
    "vehicle": ("shared", "different"),
    "gender": ("same", "different"),
}
COMPARISONS = tuple(LEVELS)
# A person's two records never have dates of birth years apart (beyond a keying slip): such a pair
# is not one person whatever the names (design.md §4).
VETO = ("dob", LEVELS["dob"].index("years_apart"))
SIMILAR = 0.88          # Jaro–Winkler at or above: "similar" names
ADDRESS_CLOSE = 88      # token-sort ratio (0–100) of two addresses
ADDRESS_SIMILAR = 60
SHARED_LIMIT = 30       # a phone or vehicle on more people than this (a taxi office) says nothing of who


# Pairs compared at a time: the working arrays of tens of millions of pairs never all exist at once.
CHUNK = 1 << 20


def levels(t: Nominals, ia: np.ndarray, ib: np.ndarray,
           address: bool = True) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Levels per comparison for pairs (ia[k], ib[k]), and whether each pair's names were swapped.
    address=False: every pair's address level is -1 (missing), for `address_levels` to fill in
    where it may matter (reach.py)."""
    if len(ia) <= CHUNK:
        return _levels(t, ia, ib, address)
    out, swapped = {}, np.zeros(len(ia), dtype=bool)
    for lo in range(0, len(ia), CHUNK):
        k = slice(lo, lo + CHUNK)
        lv, swapped[k] = _levels(t, ia[k], ib[k], address)
        for c, v in lv.items():
            out.setdefault(c, np.full(len(ia), -1, dtype=np.int8))[k] = v
    return out, swapped


def address_levels(t: Nominals, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """The address levels of pairs (ia[k], ib[k]), as `levels` gives them."""
    out = np.full(len(ia), -1, dtype=np.int8)
    for lo in range(0, len(ia), CHUNK):
        out[lo:lo + CHUNK] = _address(t, ia[lo:lo + CHUNK], ib[lo:lo + CHUNK])
    return out


def _levels(t: Nominals, ia: np.ndarray, ib: np.ndarray,
            address: bool = True) -> tuple[dict[str, np.ndarray], np.ndarray]:
    out = {}
    fore, sur, swapped = _names(t, ia, ib)
    out["forename"], out["surname"] = fore, sur
    out["dob"] = dob_levels(t.dob[ia], t.dob[ib])
    out["address"] = _address(t, ia, ib) if address else np.full(len(ia), -1, dtype=np.int8)
    out["postcode"] = _postcode(t, ia, ib)
    for kind, has in (("phone", t.has_phone), ("vehicle", t.has_vehicle)):
        lv = np.full(len(ia), -1, dtype=np.int8)
        both = np.flatnonzero(has[ia] & has[ib])
        lv[both] = 1
        lv[both[_shared(t, kind, ia[both], ib[both])]] = 0   # only pairs where both have one may share one
        out[kind] = lv
    g = np.full(len(ia), -1, dtype=np.int8)
    ga, gb = t.gender[ia], t.gender[ib]
    known = (ga > 0) & (gb > 0)
    g[known] = np.where(ga[known] == gb[known], 0, 1)
    out["gender"] = g
    return out, swapped


def ruled_out(t: Nominals, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Pairs the namesake rule rules out before any name is compared: dates of birth years apart
    and neither the very same postcode or address, nor a phone or vehicle in common (model.score
    gives them probability 0). Only integers are compared, so a relink drops them cheaply."""
    apart = dob_levels(t.dob[ia], t.dob[ib]) == VETO[1]
    if not apart.any():
        return apart
    k = np.flatnonzero(apart)
    ka, kb = ia[k], ib[k]
    place = ((t.postcode[ka] >= 0) & (t.postcode[ka] == t.postcode[kb])) | \
            ((t.address[ka] >= 0) & (t.address[ka] == t.address[kb]))
    for kind, has in (("phone", t.has_phone), ("vehicle", t.has_vehicle)):
        both = np.flatnonzero(has[ka] & has[kb] & ~place)
        if len(both):
            place[both] |= _shared(t, kind, ka[both], kb[both])
    apart[k[place]] = False
    return apart


# --- names --------------------------------------------------------------------------------

def name_level(a: tuple, b: tuple) -> int:
    """Level of two recorded name fields (tuples of clean tokens); -1 when either is empty."""
    if not a or not b:
        return -1
    a1, b1 = a[0], b[0]
    ja, jb = "".join(a), "".join(b)            # "micha el" / "michael", "mc donald" / "mcdonald"
    if a1 == b1 or ja == jb:
        return 0
    if names.canon(a1) & names.canon(b1):
        return 1
    if _slip(a1, b1) or _slip(ja, jb):
        return 2
    if JaroWinkler.similarity(a1, b1) >= SIMILAR or JaroWinkler.similarity(ja, jb) >= SIMILAR:
        return 3
    if any(x == y or names.canon(x) & names.canon(y) for x in a for y in b):
        return 4                                 # a middle name, or the second of two surnames
    return 5


def _slip(a: str, b: str) -> bool:
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    slips = 2 if shorter >= 8 else 1
    return DamerauLevenshtein.distance(a, b, score_cutoff=slips) <= slips


class _Words:
    """Per name (a tuple of tokens in `words`): its first token and the tokens joined, as ids and
    lengths, whether it has more than one token and whether its first token is in the variants
    table, so most of a name comparison is integer work in numpy."""

    def __init__(self, values: list):
        ids: dict = {}
        groups = names.variant_tokens()
        self.first = np.array([w[0] for w in values] or [""], dtype=object)
        self.joined = np.array(["".join(w) for w in values] or [""], dtype=object)
        self.first_id = np.array([ids.setdefault(x, len(ids)) for x in self.first.tolist()], dtype=np.int64)
        self.joined_id = np.array([ids.setdefault(x, len(ids)) for x in self.joined.tolist()], dtype=np.int64)
        self.first_len = np.fromiter(map(len, self.first.tolist()), dtype=np.int32, count=len(self.first))
        self.joined_len = np.fromiter(map(len, self.joined.tolist()), dtype=np.int32, count=len(self.joined))
        self.multi = np.array([len(w) > 1 for w in values] or [False])
        self.variant = np.array([w[0] in groups for w in values] or [False])
        self.count = len(values)
        self._values = values
        self._forms: dict = {}   # "first"/"all" → the canonical forms per name (_Forms), made when needed

    def forms(self, which: str) -> "_Forms":
        """Per name: the canonical forms (names.canon) of its first token ("first") or of every
        token ("all")."""
        got = self._forms.get(which)
        if got is None:
            got = self._forms[which] = _Forms(self._values, first=which == "first")
        return got


class _Forms:
    """Sets of canonical forms per name as one flat array of form ids (`ids[start[i]:start[i + 1]]`
    for name i, sorted and distinct), so whether two names' sets meet is worked out in numpy for
    many pairs at once (`meet`)."""

    def __init__(self, values: list, first: bool):
        forms: dict = {}
        sizes, ids = [], []
        for w in values:
            got = sorted({forms.setdefault(f, len(forms)) for tok in (w[:1] if first else w) for f in names.canon(tok)})
            sizes.append(len(got))
            ids.extend(got)
        self.start = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.start[1:])
        self.ids = np.array(ids, dtype=np.int64)
        self.count = max(len(forms), 1)

    def meet(self, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
        """Per pair of names (li[k], ri[k]): whether their sets of forms share one."""
        out = np.zeros(len(li), dtype=bool)
        if not len(li):
            return out
        codes = []
        for side in (li, ri):
            n = self.start[side + 1] - self.start[side]
            pair = np.repeat(np.arange(len(side), dtype=np.int64), n)
            at = np.repeat(self.start[side] - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
            codes.append(pair * self.count + self.ids[at])
        both = np.concatenate(codes)   # each side's codes are distinct: a code twice is a form shared
        both.sort()
        out[both[1:][both[1:] == both[:-1]] // self.count] = True
        return out


_WORDS: dict = {}


def _words(words) -> _Words:
    """The _Words of a vocabulary, made once per relink (the vocabulary only grows)."""
    held, got = _WORDS.get("words", (None, None))
    if held is not words or got.count != len(words.values):
        got = _Words(words.values)
        _WORDS["words"] = (words, got)
    return got


def _pair_levels(words, xa: np.ndarray, xb: np.ndarray) -> np.ndarray:
    """name_level for id pairs, once per distinct pair of ids; the string distances for all of
    them at once (rapidfuzz's cpdist), Python only for the few pairs that need the variants table
    or hold more than one token."""
    return _per_distinct_pair(xa, xb, lambda uniq: _levels_of(words, uniq), memo=_memo("names", words))


# Levels already worked out in this relink, per kind of value: {kind: (source, codes, levels)}.
# Pairs are compared a chunk at a time (CHUNK), and at 100k cases most distinct name and address
# pairs of a chunk were already in an earlier one (7.5M blocked pairs: every distinct pair of names
# was compared ~7 times, ~60 % of the comparisons' CPU). A level depends on the two values alone.
_MEMO: dict = {}
_MERGING = threading.Lock()


def _memo(kind: str, source) -> dict:
    """The memo of `kind` for values of `source` (a vocabulary or table: ids only ever added)."""
    got = _MEMO.get(kind)
    if got is None or got["source"] is not source:
        got = _MEMO[kind] = {"source": source, "held": (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8))}
    return got


def _per_distinct_pair(xa: np.ndarray, xb: np.ndarray, levels_of, memo: dict | None = None) -> np.ndarray:
    """Levels for pairs of value ids: -1 when either is unknown, 0 when the ids are the same, else
    `levels_of(codes)` called once with each distinct unordered pair (code = low id << 32 | high id)
    not already in `memo` (then kept there)."""
    out = np.full(len(xa), -1, dtype=np.int8)
    known = (xa >= 0) & (xb >= 0)
    same = known & (xa == xb)
    out[same] = 0
    todo = known & ~same
    if todo.any():
        lo, hi = np.minimum(xa[todo], xb[todo]), np.maximum(xa[todo], xb[todo])
        code = lo.astype(np.int64) << 32 | hi.astype(np.int64)
        uniq, inverse = distinct_inverse(code)
        out[todo] = (levels_of(uniq) if memo is None else _remembered(uniq, levels_of, memo))[inverse]
    return out


def _remembered(uniq: np.ndarray, levels_of, memo: dict) -> np.ndarray:
    """levels_of(uniq) (uniq sorted and distinct), asking it only for the codes memo lacks.
    A linker's batches may run in two threads (linking/__init__.py): the memo's codes and levels are
    read and replaced as one, and what a batch adds is merged into the memo as it is by then."""
    codes, known = memo["held"]
    got = np.empty(len(uniq), dtype=np.int8)
    if len(codes):
        at = np.minimum(np.searchsorted(codes, uniq), len(codes) - 1)
        hit = codes[at] == uniq
        got[hit] = known[at[hit]]
        new = np.flatnonzero(~hit)
    else:
        new = np.arange(len(uniq))
    if len(new):
        got[new] = levels_of(uniq[new])
        with _MERGING:
            codes, known = memo["held"]
            add, lv = uniq[new], got[new]       # sorted: uniq is
            at = np.searchsorted(codes, add)
            if len(codes):                      # another thread's batch may have added some meanwhile
                absent = codes[np.minimum(at, len(codes) - 1)] != add
                add, lv, at = add[absent], lv[absent], at[absent]
            # slotted in where they sort (one pass over the memo, no sort of it: 100k cases, 2M codes)
            memo["held"] = (np.insert(codes, at, add), np.insert(known, at, lv))
    return got


def _levels_of(words, uniq: np.ndarray) -> np.ndarray:
    w = _words(words)
    li, ri = uniq >> 32, uniq & 0xFFFFFFFF
    lv = np.full(len(uniq), 5, dtype=np.int8)
    if not len(uniq):
        return lv
    exact = (w.first_id[li] == w.first_id[ri]) | (w.joined_id[li] == w.joined_id[ri])
    rest = np.flatnonzero(~exact)
    if len(rest):
        la, ra = li[rest], ri[rest]
        sub = np.full(len(rest), 5, dtype=np.int8)
        # a name of one token is its tokens joined: the joined reading is compared only where
        # either name has more than one token (the same strings would give the same figures)
        multi = np.flatnonzero(w.multi[la] | w.multi[ra])
        for left, right, lens, k in ((w.first[la], w.first[ra], w.first_len, slice(None)),
                                     (w.joined[la[multi]], w.joined[ra[multi]], w.joined_len, multi)):
            jw = process.cpdist(left, right, scorer=JaroWinkler.similarity, workers=1)
            d = process.cpdist(left, right, scorer=DamerauLevenshtein.distance, workers=1)
            shorter = np.minimum(lens[la[k]], lens[ra[k]])
            slip = (shorter >= 4) & (d <= np.where(shorter >= 8, 2, 1))
            got = sub[k]
            got[jw >= SIMILAR] = 3
            got[slip] = 2
            sub[k] = np.minimum(sub[k], got)
        lv[rest] = sub
    lv[exact] = 0
    k = np.flatnonzero((w.variant[li] | w.variant[ri]) & (lv > 1))
    lv[k[w.forms("first").meet(li[k], ri[k])]] = 1          # first tokens are variants
    # some token of one agrees with some token of the other (the same, or variants): their
    # tokens' canonical forms meet
    k = np.flatnonzero((w.multi[li] | w.multi[ri]) & (lv > 4))
    lv[k[w.forms("all").meet(li[k], ri[k])]] = 4               # a middle name, or the second of two surnames
    return lv


def _names(t: Nominals, ia, ib):
    f = _pair_levels(t.words, t.fore[ia], t.fore[ib])
    s = _pair_levels(t.words, t.sur[ia], t.sur[ib])
    # The crossed reading (forename against surname) only counts when a crossed name truly agrees
    # (the same or a variant): it is worked out only for the pairs where one may.
    x1 = np.full(len(ia), -1, dtype=np.int8)
    x2 = np.full(len(ia), -1, dtype=np.int8)
    may = _may_agree(t, t.fore[ia], t.sur[ib]) | _may_agree(t, t.sur[ia], t.fore[ib])
    if may.any():
        ka, kb = ia[may], ib[may]
        x1[may] = _pair_levels(t.words, t.fore[ka], t.sur[kb])
        x2[may] = _pair_levels(t.words, t.sur[ka], t.fore[kb])
    rank = lambda lv: np.where(lv < 0, 6, lv)  # noqa: E731  (missing ranks worst)
    # swapped when the crossed reading is better and at least one crossed name truly agrees
    crossed = np.minimum(rank(x1), rank(x2))
    swapped = (rank(x1) + rank(x2) < rank(f) + rank(s)) & (crossed <= 1) & may
    return np.where(swapped, x1, f).astype(np.int8), np.where(swapped, x2, s).astype(np.int8), swapped


def _may_agree(t: Nominals, xa: np.ndarray, xb: np.ndarray) -> np.ndarray:
    """Pairs whose names may be the same or variants (level 0 or 1): the same first token or the
    same tokens joined, or both first tokens in the variants table. Every other pair is neither."""
    w = _words(t.words)
    known = (xa >= 0) & (xb >= 0)
    a, b = np.maximum(xa, 0), np.maximum(xb, 0)
    return known & ((w.first_id[a] == w.first_id[b]) | (w.joined_id[a] == w.joined_id[b])
                    | (w.variant[a] & w.variant[b]))


@residue.register
def forget() -> None:
    _WORDS.clear()
    _MEMO.clear()


# --- dates of birth ------------------------------------------------------------------------

def dob_levels(da: np.ndarray, db: np.ndarray) -> np.ndarray:
    """Dates as yyyymmdd ints (0 unknown) → dob levels.

    Digit by digit over 1-D arrays (a relink compares millions of pairs at 100k cases: a pairs × 8
    matrix of digits per side held ~1 GB there), a chunk of pairs at a time."""
    out = np.full(len(da), -1, dtype=np.int8)
    for lo in range(0, len(da), CHUNK):
        out[lo:lo + CHUNK] = _dob_levels(da[lo:lo + CHUNK], db[lo:lo + CHUNK])
    return out


def _dob_levels(da: np.ndarray, db: np.ndarray) -> np.ndarray:
    out = np.full(len(da), -1, dtype=np.int8)
    known = (da > 0) & (db > 0)
    if not known.any():
        return out
    a, b = da[known].astype(np.int64), db[known].astype(np.int64)
    nd = np.zeros(len(a), dtype=np.int8)
    transposed = np.zeros(len(a), dtype=bool)
    prev = None
    for p in (10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1):   # digits, left to right
        xa, xb = (a // p) % 10, (b // p) % 10
        diff = xa != xb
        nd += diff
        if prev is not None:   # this digit and the one before swapped
            pa, pb, pdiff = prev
            transposed |= pdiff & diff & (pa == xb) & (xa == pb)
        prev = (xa, xb, diff)
    transposed &= nd == 2
    ya, yb = a // 10000, b // 10000
    ma, mb, dd_a, dd_b = (a // 100) % 100, (b // 100) % 100, a % 100, b % 100
    day_month = (ya == yb) & (ma == dd_b) & (dd_a == mb)
    lv = np.where(np.abs(ya - yb) >= 2, 6, 5)
    lv = np.where(ya == yb, 4, lv)
    lv = np.where(day_month, 3, lv)
    lv = np.where(nd == 1, 2, lv)
    lv = np.where(transposed, 1, lv)
    lv = np.where(nd == 0, 0, lv)
    out[known] = lv
    return out


# --- places ----------------------------------------------------------------------------------

def _address(t: Nominals, ia, ib) -> np.ndarray:
    def levels_of(uniq: np.ndarray) -> np.ndarray:
        vals = t.addresses.values
        left = [vals[c] for c in (uniq >> 32).tolist()]
        right = [vals[c] for c in (uniq & 0xFFFFFFFF).tolist()]
        from rapidfuzz import fuzz
        # words in another order, or one address a part of the other ("11 Preston" / "11 Ogden Close Preston")
        score = np.maximum(process.cpdist(left, right, scorer=fuzz.token_sort_ratio, workers=1),
                           process.cpdist(left, right, scorer=fuzz.token_set_ratio, workers=1) * 0.95)
        ha, hb = t.house[uniq >> 32], t.house[uniq & 0xFFFFFFFF]
        nums_same = (ha == hb) & (ha > 0)      # id 0 is "no number recorded"
        return np.where(score >= ADDRESS_CLOSE, np.where(nums_same, 1, 2),
                        np.where((score >= ADDRESS_SIMILAR) & nums_same, 2, 3)).astype(np.int8)
    return _per_distinct_pair(t.address[ia], t.address[ib], levels_of, memo=_memo("address", t))


def _postcode(t: Nominals, ia, ib) -> np.ndarray:
    def levels_of(uniq: np.ndarray) -> np.ndarray:
        left, right = uniq >> 32, uniq & 0xFFFFFFFF
        sector, district = _postcode_parts(t)
        lv = np.full(len(uniq), 4, dtype=np.int8)
        lv[district[left] == district[right]] = 3
        lv[sector[left] == sector[right]] = 2
        # without the space, so digits swapped across it ("BD14 3AB" / "BD13 4AB") are one slip
        bare = np.array([v.replace(" ", "") for v in t.postcodes.values] or [""], dtype=object)
        d = process.cpdist(bare[left], bare[right], scorer=DamerauLevenshtein.distance, workers=1)
        lv[d <= 1] = 1
        return lv
    return _per_distinct_pair(t.postcode[ia], t.postcode[ib], levels_of, memo=_memo("postcode", t))


def _postcode_parts(t: Nominals) -> tuple[np.ndarray, np.ndarray]:
    """Per postcode id: the ids of its sector and district (every row of one postcode has the same)."""
    sector = np.full(len(t.postcodes.values) or 1, -1, dtype=np.int64)
    district = sector.copy()
    known = t.postcode >= 0
    sector[t.postcode[known]] = t.sector[known]
    district[t.postcode[known]] = t.district[known]
    return sector, district


def _shared(t: Nominals, kind: str, ia, ib) -> np.ndarray:
    """Which pairs share a phone (or vehicle) held by few enough people to say who they are."""
    shared = _shared_codes(t, kind)
    if not len(shared):
        return np.zeros(len(ia), dtype=bool)
    n = np.int64(len(t))
    code = np.minimum(ia, ib) * n + np.maximum(ia, ib)
    at = np.minimum(np.searchsorted(shared, code), len(shared) - 1)   # shared is sorted and distinct
    return shared[at] == code


def _shared_codes(t: Nominals, kind: str) -> np.ndarray:
    """Codes (lo * n + hi) of every pair of rows sharing a `kind`, worked out once per table."""
    got = t.pair_codes.get(kind)
    if got is not None:
        return got
    groups = [g for g in t.shared.get(kind, []) if len(g) <= SHARED_LIMIT]
    n = np.int64(len(t))
    codes = []
    by_size: dict = {}
    for g in groups:
        by_size.setdefault(len(g), []).append(g)
    for size, gs in by_size.items():   # one triangle per group size, all its groups at once
        x, y = np.triu_indices(size, 1)
        m = np.stack(gs)
        codes.append((m[:, x] * n + m[:, y]).ravel())
    got = t.pair_codes[kind] = distinct(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    return got
