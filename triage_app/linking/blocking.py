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
    "a name sound + the other name's initial": lambda t: [
        (t.fsound, np.where(t.sinit > 0, t.sinit, -1)), (t.ssound, np.where(t.finit > 0, t.finit, -1))],
}


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


def block_pairs(rows: np.ndarray, key: np.ndarray, max_block: int = MAX_BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i, j) of rows sharing a key, blocks of at most max_block rows."""
    if len(rows) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    k, r = key[order], rows[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    keep = (sizes >= 2) & (sizes <= max_block)
    starts, sizes = starts[keep], sizes[keep]
    if not len(starts):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # every position p in a block pairs with the positions after it in that block
    heads = np.cumsum(sizes) - sizes
    pos = np.repeat(starts, sizes) + (np.arange(int(sizes.sum())) - np.repeat(heads, sizes))
    end = np.repeat(starts + sizes, sizes)
    count = end - pos - 1
    left = np.repeat(pos, count)
    first = np.repeat(np.cumsum(count) - count, count)
    right = left + 1 + (np.arange(len(left)) - first)
    return r[left], r[right]


def candidates(t: Nominals, touched: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, dict]:
    """Pairs of nominal rows (a < b, on different cases) that some rule brings together.

    touched: bool per row, or None for all; then only pairs with at least one touched row are kept.
    Returns (ia, ib, {rule: pairs it brought}).
    """
    n = np.int64(max(len(t), 1))
    codes, counts = [], {}
    for name, rule in RULES.items():
        rows, key = _keys(rule(t))
        if touched is not None:
            wanted = np.unique(key[touched[rows]])
            sel = np.isin(key, wanted)
            rows, key = rows[sel], key[sel]
        a, b = block_pairs(rows, key)
        c = np.minimum(a, b) * n + np.maximum(a, b)
        counts[name] = len(c)
        codes.append(c)
    code = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    ia, ib = code // n, code % n
    keep = (t.case[ia] != t.case[ib]) & (ia != ib)
    if touched is not None:
        keep &= touched[ia] | touched[ib]
    return ia[keep], ib[keep], counts
