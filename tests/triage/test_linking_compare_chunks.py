"""Comparisons made a chunk of pairs at a time, with the levels of distinct value pairs remembered
across chunks, give the very levels of one pass; dates of birth compared digit by digit give the
levels of the digit matrix they replaced; shared phones found by a sorted search as by np.isin."""
import numpy as np
import pytest

from triage_app.linking import blocking, compare, features
from tests.triage.conftest import imported_vault


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("compare"), 400, 11)
    t = features.load(s.conn, None, cached=False)
    ia, ib, _ = blocking.candidates(t)
    yield t, ia, ib
    s.close()


def _fresh_levels(t, ia, ib):
    compare.forget()
    try:
        return compare._levels(t, ia, ib)
    finally:
        compare.forget()


def test_levels_in_small_chunks_remembered_are_those_of_one_pass(table, monkeypatch):
    t, ia, ib = table
    want, want_swapped = _fresh_levels(t, ia, ib)
    asked = []
    real = compare._levels_of
    monkeypatch.setattr(compare, "_levels_of", lambda words, uniq: asked.append(uniq) or real(words, uniq))
    monkeypatch.setattr(compare, "CHUNK", 29)
    compare.forget()
    got, swapped = compare.levels(t, ia, ib)
    assert len(ia) > 10 * 29
    assert (swapped == want_swapped).all()
    for c in compare.COMPARISONS:
        assert (got[c] == want[c]).all(), c
    # every distinct pair of names was worked out once, however many chunks it came up in
    codes = np.concatenate(asked)
    assert len(codes) == len(np.unique(codes))
    compare.forget()


def test_levels_remembered_belong_to_their_vocabulary(table):
    t, ia, ib = table
    compare.forget()
    compare.levels(t, ia, ib)
    other = features.Vocabulary()
    assert compare._memo("names", other)["held"][0].size == 0
    compare.forget()


def _dob_matrix(da, db):
    """The digit-matrix reading of two dates of birth that dob_levels replaced (same levels)."""
    pw = 10 ** np.arange(7, -1, -1, dtype=np.int64)
    da, db = da.astype(np.int64), db.astype(np.int64)
    out = np.full(len(da), -1, dtype=np.int8)
    known = (da > 0) & (db > 0)
    a, b = da[known], db[known]
    xa, xb = (a[:, None] // pw) % 10, (b[:, None] // pw) % 10
    diff = xa != xb
    nd = diff.sum(axis=1)
    tr = np.zeros(len(a), dtype=bool)
    for k in range(7):
        tr |= diff[:, k] & diff[:, k + 1] & (xa[:, k] == xb[:, k + 1]) & (xa[:, k + 1] == xb[:, k])
    tr &= nd == 2
    ya, yb, ma, mb, sa, sb = a // 10000, b // 10000, (a // 100) % 100, (b // 100) % 100, a % 100, b % 100
    lv = np.where(np.abs(ya - yb) >= 2, 6, 5)
    lv = np.where(ya == yb, 4, lv)
    lv = np.where((ya == yb) & (ma == sb) & (sa == mb), 3, lv)
    lv = np.where(nd == 1, 2, lv)
    lv = np.where(tr, 1, lv)
    lv = np.where(nd == 0, 0, lv)
    out[known] = lv
    return out


def test_dob_levels_digit_by_digit_are_those_of_the_digit_matrix(monkeypatch):
    rng = np.random.default_rng(3)
    n = 20_000
    a = (rng.integers(1940, 2010, n) * 10000 + rng.integers(1, 13, n) * 100 + rng.integers(1, 29, n)).astype(np.int32)
    b = a.copy()
    kind = rng.integers(0, 5, n)
    b[kind == 1] += rng.integers(-9, 10, int((kind == 1).sum())).astype(np.int32)     # a digit slips
    sw = kind == 2                                                                      # day and month swapped
    b[sw] = (a[sw] // 10000) * 10000 + (a[sw] % 100) * 100 + (a[sw] // 100) % 100
    b[kind == 3] = rng.permutation(a)[kind == 3]                                        # someone else
    s = np.array([str(x) for x in a[kind == 4]])                                        # two digits swapped
    pos = rng.integers(0, 7, len(s))
    b[kind == 4] = [int(x[:p] + x[p + 1] + x[p] + x[p + 2:]) for x, p in zip(s, pos)]
    a[rng.random(n) < 0.05] = 0
    monkeypatch.setattr(compare, "CHUNK", 1000)
    got = compare.dob_levels(a, b)
    assert (got == _dob_matrix(a, b)).all()
    assert set(np.unique(got).tolist()) == {-1, 0, 1, 2, 3, 4, 5, 6}


def test_shared_phones_found_by_sorted_search_as_by_isin(table):
    t, ia, ib = table
    for kind in ("phone", "vehicle"):
        codes = compare._shared_codes(t, kind)
        n = np.int64(len(t))
        want = np.isin(np.minimum(ia, ib) * n + np.maximum(ia, ib), codes)
        assert (compare._shared(t, kind, ia, ib) == want).all()
    assert want.any() or compare._shared(t, "phone", ia, ib).any()


@pytest.mark.parametrize("n", [0, 1, 2, 1000])
def test_distinct_values_by_sorting_are_those_of_np_unique(n):
    from triage_app.linking.arrays import distinct, distinct_inverse
    a = np.random.default_rng(n).integers(0, max(n // 3, 1), n).astype(np.int64) << 32
    assert np.array_equal(distinct(a), np.unique(a))
    got, inverse = distinct_inverse(a)
    want, want_inverse = np.unique(a, return_inverse=True)
    assert np.array_equal(got, want) and np.array_equal(inverse, want_inverse.reshape(-1))
    assert np.array_equal(got[inverse], a)


def test_identifier_evidence_of_every_case_grouped_by_sqlite_is_that_of_the_rows(tmp_path):
    """A full relink reads shared identifiers grouped in SQL; the touched cases' rows read one by
    one must give the same evidence when every case is touched."""
    from triage_app.linking import resolve
    s = imported_vault(tmp_path, 400, 11)
    try:
        t = features.load(s.conn, None, cached=False)
        refs = dict(s.conn.execute("SELECT id, ref FROM cases"))

        def key(p):
            return sorted(zip(p.a.tolist(), p.b.tolist(), p.kind.tolist(), [p.values[v] for v in p.value.tolist()],
                              p.digest.tolist()))
        grouped = key(resolve.identifier_pieces(s.conn, t, None))
        rows = key(resolve.identifier_pieces(s.conn, t, set(refs)))
        assert grouped == rows
        assert {resolve.KINDS[k[2]] for k in grouped} >= {"phone", "address"}
    finally:
        s.close()


def test_name_levels_in_numpy_are_those_of_name_level_pair_by_pair(table):
    """Variants of first tokens and a token of one name meeting a token of the other (middle
    names, double surnames) are found over arrays of pairs: the levels are name_level's."""
    t, ia, ib = table
    words = features.Vocabulary()
    made = [("mohammed",), ("muhammad",), ("mohammed", "ali"), ("ali", "muhammad"), ("bob",), ("robert", "james"),
            ("james", "bob"), ("mc", "donald"), ("mcdonald",), ("donald",), ("anne", "marie"), ("marie",),
            ("annie",), ("ann", "smith"), ("smith", "jones"), ("jones",), ("jonas",), ("smyth",)]
    for w in made + list(t.words.values[:300]):
        words.id(w)
    n = len(words.values)
    li, ri = np.triu_indices(n, 1)
    uniq = li.astype(np.int64) << 32 | ri.astype(np.int64)
    compare.forget()
    got = compare._levels_of(words, uniq)
    compare.forget()
    want = np.array([compare.name_level(words.values[a], words.values[b]) for a, b in zip(li.tolist(), ri.tolist())])
    assert (np.bincount(want, minlength=6)[[1, 4]] > 3).all()   # variants and shared tokens both come up
    np.testing.assert_array_equal(got, want)
