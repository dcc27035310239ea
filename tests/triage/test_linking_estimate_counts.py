"""The estimate's name counts (model._tf, _namesakes, _records) read distinct rows through one int64
key per row (model._distinct_rows): the same rows, sorted the same, as numpy's row-wise unique, and
its row-wise unique where the key would not fit in an int64. Synthetic integer columns only."""
from collections import Counter

import numpy as np
import pytest

from triage_app.linking import model


def _rowwise(cols):
    rows, counts = np.unique(np.stack([c.astype(np.int64) for c in cols], axis=1), axis=0, return_counts=True)
    return [rows[:, j] for j in range(len(cols))], counts


def _same(cols):
    got, counts = model._distinct_rows(cols)
    want, want_counts = _rowwise(cols)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.tolist() == w.tolist()
    assert counts.tolist() == want_counts.tolist()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_distinct_rows_are_numpys_rowwise_unique(seed):
    rng = np.random.default_rng(seed)
    n = 5000
    _same([rng.integers(0, 40, n).astype(np.int32), rng.integers(0, 50, n).astype(np.int32),
           rng.integers(19000101, 20201231, n).astype(np.int32)])
    _same([rng.integers(0, 7, n).astype(np.int32), rng.integers(0, 3, n).astype(np.int32)])


def test_distinct_rows_too_wide_for_one_key_are_still_right():
    """Columns whose widths multiply past 2**63 (the key would wrap) fall back to row-wise unique."""
    rng = np.random.default_rng(9)
    n = 3000
    big = [rng.integers(0, 2 ** 22, n) * 1000 + rng.integers(0, 3, n) for _ in range(3)]
    for c in big:
        c[:5] = 2 ** 40    # each width past 2**40: three of them past 2**63
    assert model._rows_in_order(big) is None
    _same(big)


class _Words:
    def __init__(self, values):
        self.values = values


class _Table:
    """The columns of model.Nominals the name counts read."""
    def __init__(self, fore1, sur1, dob, words):
        self.fore1, self.sur1, self.dob, self.words = fore1, sur1, dob, _Words(words)


def _table(seed, n=4000):
    rng = np.random.default_rng(seed)
    words = [(w,) for w in ["fay", "bob", "jo", "dan", "ann", "eve", "cat", "hal", "ida", "gus"]]   # ids not in their order
    fore1 = rng.integers(-1, 10, n).astype(np.int32)
    sur1 = rng.integers(-1, 10, n).astype(np.int32)
    dob = np.where(rng.random(n) < 0.2, 0, rng.integers(19500101, 19500131, n)).astype(np.int32)
    return _Table(fore1, sur1, dob, words)


@pytest.mark.parametrize("seed", [4, 5])
def test_name_counts_are_the_counts_of_every_row(seed):
    """Counted from the rows one by one, in the order a name is first met (the dicts' order too)."""
    t = _table(seed)
    words = t.words.values
    for comparison, col in (("forename", t.fore1), ("surname", t.sur1)):
        counts = Counter(words[i][0] for i in col.tolist() if i >= 0)
        assert list(model._tf(t, comparison).items()) == [(w, k) for w, k in counts.items() if k >= 2]
    triples = sorted({(f, s, d) for f, s, d in zip(t.fore1.tolist(), t.sur1.tolist(), t.dob.tolist())
                      if f >= 0 and s >= 0 and d > 0})
    dates = Counter(model._fullname(words, f, s) for f, s, _ in triples)
    assert list(model._namesakes(t).items()) == [(k, v - 1) for k, v in dates.items() if v >= 2]
    records = Counter()
    for f, s in sorted((f, s) for f, s in zip(t.fore1.tolist(), t.sur1.tolist()) if f >= 0 and s >= 0):
        records[model._fullname(words, f, s)] += 1
    assert list(model._records(t, 3).items()) == [(k, v) for k, v in records.items() if v >= 3]
