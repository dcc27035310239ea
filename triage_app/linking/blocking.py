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


# name → function of the table returning the key columns. Names are what the docs and bench show.
RULES = {
    "date of birth + forename sound": lambda t: (_dob(t), t.fsound),
    "date of birth + surname sound": lambda t: (_dob(t), t.ssound),
    "date of birth + both name sounds, either order": lambda t: _swapped(t),
    "surname sound + birth year": lambda t: (t.ssound, _year(t)),
    "forename sound + birth day and month": lambda t: (t.fsound, _monthday(t)),
    "surname sound + birth day and month": lambda t: (t.ssound, _monthday(t)),
    "date of birth + forename initial": lambda t: (_dob(t), np.where(t.finit > 0, t.finit, -1)),
    "date of birth + surname initial": lambda t: (_dob(t), np.where(t.sinit > 0, t.sinit, -1)),
    "date of birth + postcode district": lambda t: (_dob(t), t.district),
    "postcode + forename initial": lambda t: (t.postcode, np.where(t.finit > 0, t.finit, -1)),
    "postcode + surname initial": lambda t: (t.postcode, np.where(t.sinit > 0, t.sinit, -1)),
    "address + surname initial": lambda t: (t.address, np.where(t.sinit > 0, t.sinit, -1)),
    "forename sound + surname sound": lambda t: (t.fsound, t.ssound),
}


def _keys(cols) -> tuple[np.ndarray, np.ndarray]:
    """Rows with every column known, and one int64 key per row for them."""
    ok = _or_none(*cols)
    rows = np.nonzero(ok)[0]
    key = np.zeros(len(rows), dtype=np.int64)
    for c in cols:
        c = c[rows].astype(np.int64)
        key = key * np.int64(1_000_003) + c  # wraps around on overflow: a clash only adds a pair to compare
    return rows, key


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
    keep = t.case[ia] != t.case[ib]
    if touched is not None:
        keep &= touched[ia] | touched[ib]
    return ia[keep], ib[keep], counts


def _swapped(t: Nominals):
    """Date of birth + the unordered pair of name sounds: a forename/surname swap lands in one block."""
    lo, hi = np.minimum(t.fsound, t.ssound), np.maximum(t.fsound, t.ssound)
    return _dob(t), np.where(t.fsound >= 0, lo, -1), np.where(t.ssound >= 0, hi, -1)
