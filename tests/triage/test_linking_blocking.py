"""Blocking made in chunks of blocks and merged gives the very pairs of one pass; an anchored rule
gives exactly its unanchored pairs that have an anchored row at one end."""
import numpy as np
import pytest

from triage_app.linking import blocking, features
from tests.triage.conftest import imported_vault


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("blocking"), 400, 11)
    yield features.load(s.conn, None, cached=False)
    s.close()


def _one_pass(t, touched=None):
    """The candidates as one pass makes them: every rule's pairs at once, one np.unique."""
    n = np.int64(len(t))
    codes = []
    for name, rule in blocking.RULES.items():
        rows, key = blocking._keys(rule(t))
        anchor = blocking.ANCHORS[name](t)[rows] if name in blocking.ANCHORS else None
        if touched is not None:
            sel = np.isin(key, np.unique(key[touched[rows]]))
            rows, key = rows[sel], key[sel]
            anchor = None if anchor is None else anchor[sel]
        a, b = blocking.block_pairs(rows, key, anchor=anchor)
        codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    code = np.unique(np.concatenate(codes))
    ia, ib = code // n, code % n
    keep = (t.case[ia] != t.case[ib]) & (ia != ib)
    if touched is not None:
        keep &= touched[ia] | touched[ib]
    return ia[keep], ib[keep]


@pytest.mark.parametrize("some", [False, True])
def test_pairs_made_in_small_chunks_are_the_pairs_of_one_pass(table, monkeypatch, some):
    t = table
    touched = np.isin(t.case, np.unique(t.case)[::7]) if some else None
    whole = _one_pass(t, touched)
    monkeypatch.setattr(blocking, "CHUNK", 5)
    ia, ib, counts = blocking.candidates(t, touched)
    assert len(ia) > 5 * 10
    assert np.array_equal(ia, whole[0]) and np.array_equal(ib, whole[1])
    assert (ia < ib).all() and (t.case[ia] != t.case[ib]).all()


def test_an_anchored_rule_keeps_only_its_pairs_with_an_undated_record_at_one_end(table):
    t = table
    name = next(iter(blocking.ANCHORS))
    rows, key = blocking._keys(blocking.RULES[name](t))
    a, b = blocking.block_pairs(rows, key)
    undated = t.dob <= 0
    keep = undated[a] | undated[b]
    want = set(zip(np.minimum(a, b)[keep].tolist(), np.maximum(a, b)[keep].tolist()))
    ga, gb = blocking.block_pairs(rows, key, anchor=undated[rows])
    got = list(zip(np.minimum(ga, gb).tolist(), np.maximum(ga, gb).tolist()))
    assert set(got) == want
    assert 0 < len(want) < len(a)


def test_block_pairs_leaves_out_blocks_too_big_and_pairs_with_no_anchor():
    rows = np.arange(9, dtype=np.int64)
    key = np.array([1, 1, 1, 2, 2, 3, 3, 3, 3], dtype=np.int64)
    anchor = np.array([False, True, False, False, False, True, True, False, False])
    a, b = blocking.block_pairs(rows, key, max_block=3, anchor=anchor)
    assert sorted(zip(a.tolist(), b.tolist())) == [(1, 0), (1, 2)]
    a, b = blocking.block_pairs(rows, key, max_block=4)
    assert len(a) == 3 + 1 + 6


def test_the_union_of_chunks_is_every_code_once_sorted_and_its_runs_at_least_double():
    """blocking._Union merges as a merge sort does: whatever the chunks' sizes, the runs it holds
    grow at least twofold down the stack (each code copied O(log k) times), and their union is
    np.unique of every chunk's codes."""
    rng = np.random.default_rng(17)
    union, chunks = blocking._Union(), []
    for size in [0, 5, 300, 2, 2, 2, 40, 1000, 1, 0, 64, 64, 64, 64, 7, 500, 3]:
        chunk = np.unique(rng.integers(0, 2000, size))
        chunks.append(chunk)
        union.add(chunk)
        sizes = [len(r) for r in union.runs]
        assert all(big >= 2 * small for big, small in zip(sizes, sizes[1:])), sizes
    assert union.codes().tolist() == np.unique(np.concatenate(chunks)).tolist()
    assert union.runs == []
    assert blocking._Union().codes().tolist() == []
