"""Which pairs of nominals are compared at all: the union of blocking rules (never all pairs).

Each rule puts nominals that agree exactly on a few codes in one block; pairs are only made inside
blocks. The rules are chosen so that their union still brings a person's two records together when
any one field carries a slip: a date of birth with a slip still shares its surname's sound and year,
a surname with a slip still shares the date of birth, an alias still shares date of birth and postcode.
Cost: the sum of squared block sizes, near-linear for real names; a block larger than `MAX_BLOCK`
(a name-only block of a very common name) is left out — its pairs say nothing without more evidence
and other rules still bring a real match together.
"""
from __future__ import annotations

import numpy as np

from triage_app.linking.arrays import distinct
from triage_app.linking.features import Nominals

MAX_BLOCK = 400


def _year(t):
    return np.where(t.dob > 0, t.dob // 10000, -1)


def _monthday(t):
    return np.where(t.dob > 0, t.dob % 10000, -1)


def _dob(t):
    return np.where(t.dob > 0, t.dob, -1)


def _or_none(*cols):
    """Rows where every column is known (>= 0)."""
    ok = np.ones(len(cols[0]), dtype=bool)
    for c in cols:
        ok &= c >= 0
    return ok


def _either_initial(t):
    return [np.where(t.finit > 0, t.finit, -1), np.where(t.sinit > 0, t.sinit, -1)]


def _sounds_unordered(t):
    lo, hi = np.minimum(t.fsound, t.ssound), np.maximum(t.fsound, t.ssound)
    known = (t.fsound >= 0) & (t.ssound >= 0)
    return np.where(known, lo, -1), np.where(known, hi, -1)


def _undated(t):
    return t.dob <= 0


# name → function of the table giving one or more emissions (tuples of key columns); a row falls
# in a block when all columns of an emission are known; emissions of one rule share the key space
# (so "either initial" meets a forename initial with a surname initial: a swap).
RULES = {
    "date of birth + forename sound": lambda t: [(_dob(t), t.fsound)],
    "date of birth + surname sound": lambda t: [(_dob(t), t.ssound)],
    "date of birth + both name sounds, either order": lambda t: [(_dob(t), *_sounds_unordered(t))],
    "date of birth + either initial": lambda t: [(_dob(t), i) for i in _either_initial(t)],
    "date of birth + postcode district": lambda t: [(_dob(t), t.district)],
    "date of birth + street": lambda t: [(_dob(t), t.street)],
    "surname sound + birth year": lambda t: [(t.ssound, _year(t))],
    "forename sound + birth day and month": lambda t: [(t.fsound, _monthday(t))],
    "surname sound + birth day and month": lambda t: [(t.ssound, _monthday(t))],
    "postcode + either initial": lambda t: [(t.postcode, i) for i in _either_initial(t)],
    "address + either initial": lambda t: [(t.address, i) for i in _either_initial(t)],
    "both name sounds, either order": lambda t: [_sounds_unordered(t)],
    "a name sound + the other name's initial, one of the two without a date of birth": lambda t: [
        (t.fsound, np.where(t.sinit > 0, t.sinit, -1)), (t.ssound, np.where(t.finit > 0, t.finit, -1))],
}
# rule → which rows anchor it: its pairs are only those with an anchored row at one end at least.
# A name sound and an initial alone make ~90 % of all blocked pairs, nearly all of them two people
# born years apart (ruled out unseen): when both records carry a date of birth, the rules with a
# date of birth bring a slipped name together already; without one, only this rule may.
ANCHORS = {
    "a name sound + the other name's initial, one of the two without a date of birth": _undated,
}

# Pairs made at a time: a rule's pairs are made block by block in chunks of about this many, and
# only the codes of pairs on different cases are kept, so no rule's whole pair list exists at once.
CHUNK = 1 << 20


def _keys(emissions) -> tuple[np.ndarray, np.ndarray]:
    """Rows with every column of an emission known, and one int64 key per such row and emission."""
    rows_out, keys_out = [], []
    for cols in emissions:
        ok = _or_none(*cols)
        rows = np.nonzero(ok)[0]
        key = np.zeros(len(rows), dtype=np.int64)
        for c in cols:
            key = key * np.int64(1_000_003) + c[rows].astype(np.int64)  # wraps on overflow: a clash only adds a pair
        rows_out.append(rows)
        keys_out.append(key)
    return np.concatenate(rows_out), np.concatenate(keys_out)


def block_pairs(rows: np.ndarray, key: np.ndarray, max_block: int = MAX_BLOCK,
                anchor: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i, j) of rows sharing a key, blocks of at most max_block rows; with `anchor`
    (bool per entry of rows) only the pairs with an anchored row at one end at least."""
    got = list(_block_pair_chunks(rows, key, max_block, anchor, chunk=None))
    if not got:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate([a for a, _ in got]), np.concatenate([b for _, b in got])


def _block_pair_chunks(rows, key, max_block: int, anchor, chunk: int | None):
    """block_pairs in pieces of whole blocks, each of about `chunk` pairs (None: one piece)."""
    if len(rows) < 2:
        return
    if anchor is None:
        order = np.argsort(key, kind="stable")
    else:   # anchored rows first in each block: an anchored row pairs with every row after it
        order = np.lexsort((~anchor, key))
    k, r = key[order], rows[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    if anchor is None:
        leads = sizes - 1
    else:   # anchored rows per block; the last row of a block has no row after it
        leads = np.minimum(np.add.reduceat(anchor[order].astype(np.int64), starts), sizes - 1)
    keep = (sizes >= 2) & (sizes <= max_block) & (leads > 0)
    starts, sizes, leads = starts[keep], sizes[keep], leads[keep]
    per_block = leads * sizes - leads * (leads + 1) // 2
    if not len(starts):
        return
    if chunk is None:
        cuts = [0, len(starts)]
    else:
        group = np.cumsum(per_block) // max(chunk, 1)
        cuts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1, len(starts)].tolist()
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        yield _pairs_of_blocks(r, starts[lo:hi], sizes[lo:hi], leads[lo:hi])


def _pairs_of_blocks(r, starts, sizes, leads):
    """Pairs of the blocks (start, size): each of a block's first `leads` positions pairs with
    every position after it in the block."""
    heads = np.cumsum(leads) - leads
    pos = np.repeat(starts, leads) + (np.arange(int(leads.sum())) - np.repeat(heads, leads))
    end = np.repeat(starts + sizes, leads)
    count = end - pos - 1
    left = np.repeat(pos, count)
    first = np.repeat(np.cumsum(count) - count, count)
    right = left + 1 + (np.arange(len(left)) - first)
    return r[left], r[right]


def _merge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Union of two sorted arrays of distinct codes, sorted. Both one after the other, sorted in place
    by numpy's stable sort (a timsort: two sorted runs are merged in one linear pass), and each code
    kept once: ~3x faster than inserting the codes of one into the other (np.insert, at 3.5M + 1.5M
    codes 0.14 s against 0.04 s). The caller lets go of a and b (_Union) so the two are held once."""
    if not len(a) or not len(b):
        return a if len(a) else b
    s = np.concatenate([a, b])
    del a, b
    s.sort(kind="stable")
    first = np.empty(len(s), dtype=bool)
    first[0] = True
    np.not_equal(s[1:], s[:-1], out=first[1:])
    return s[first]


class _Union:
    """The union of sorted arrays of distinct codes added one after another, as a merge sort makes
    it: a stack of runs, each at least twice the size of the one above it; a run added merges with
    the runs above any that is not, pairwise. Each code is copied O(log k) times for k arrays, not
    once per array added (at 100k cases 17 chunks merged one by one into a growing union of 7.5M
    codes took 0.6-1.0 s), and the runs held are about one union (codes brought by several rules
    aside)."""

    def __init__(self):
        self.runs: list[np.ndarray] = []

    def add(self, codes: np.ndarray) -> None:
        self.runs.append(codes)
        while len(self.runs) >= 2 and len(self.runs[-2]) < 2 * len(self.runs[-1]):
            self._merge_top()

    def codes(self) -> np.ndarray:
        """The union, sorted (the runs are let go)."""
        while len(self.runs) >= 2:
            self._merge_top()
        return self.runs.pop() if self.runs else np.zeros(0, dtype=np.int64)

    def _merge_top(self) -> None:
        self.runs.append(_merge(self.runs.pop(), self.runs.pop()))   # held by _merge alone


def _split(code: np.ndarray, n: np.int64) -> tuple[np.ndarray, np.ndarray]:
    """Codes a * n + b as the rows (a, b), int32 when they fit, a piece at a time (no whole-length
    int64 quotient and remainder beside the codes)."""
    dtype = np.int32 if n < 2 ** 31 else np.int64
    ia, ib = np.empty(len(code), dtype=dtype), np.empty(len(code), dtype=dtype)
    for lo in range(0, len(code), CHUNK):
        q, r = np.divmod(code[lo:lo + CHUNK], n)
        ia[lo:lo + CHUNK], ib[lo:lo + CHUNK] = q, r
    return ia, ib


def candidates(t: Nominals, touched: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, dict]:
    """Pairs of nominal rows (a < b, on different cases) that some rule brings together.

    touched: bool per row, or None for all; then only pairs with at least one touched row are kept.
    Returns (ia, ib, {rule: pairs it brought}), pairs in order of (a, b), as int32 when the rows
    fit. Pairs are made a chunk of blocks at a time and only their codes (a * n + b) kept, merged
    into one sorted array (_Union).
    """
    n = np.int64(max(len(t), 1))
    union, counts = _Union(), {}
    for name, rule in RULES.items():
        rows, key = _keys(rule(t))
        anchor = ANCHORS[name](t)[rows] if name in ANCHORS else None
        if touched is not None:
            wanted = distinct(key[touched[rows]])
            sel = np.isin(key, wanted)
            rows, key = rows[sel], key[sel]
            anchor = None if anchor is None else anchor[sel]
        counts[name] = 0
        for a, b in _block_pair_chunks(rows, key, MAX_BLOCK, anchor, CHUNK):
            counts[name] += len(a)
            keep = (t.case[a] != t.case[b]) & (a != b)
            if touched is not None:
                keep &= touched[a] | touched[b]
            a, b = a[keep], b[keep]
            union.add(distinct(np.minimum(a, b) * n + np.maximum(a, b)))
            del a, b, keep
    code = union.codes()
    ia, ib = _split(code, n)
    del code
    return ia, ib, counts
