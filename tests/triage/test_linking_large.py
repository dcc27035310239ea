"""A large vault's linker: EM on a seeded sample of the blocked pairs, scoring in chunks.
Run on a small generated vault with the cap and the chunk made small."""
import numpy as np
import pytest

from triage_app.linking import _compared, features, model as fs
from tests.triage.conftest import imported_vault


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("large"), 400, 7)
    t = features.load(s.conn, None, cached=False)
    yield t, *_compared(t, None, True)
    s.close()


def test_scoring_in_chunks_gives_every_pair_the_same_weight_probability_and_explanation(compared, monkeypatch):
    t, ia, ib, lv, swapped = compared
    model = fs.estimate(t, lv)
    whole = fs.score(model, t, ia, ib, lv, swapped)
    monkeypatch.setattr(fs, "CHUNK", 7)
    chunked = fs.score(model, t, ia, ib, lv, swapped)
    assert len(ia) > 7 * 3
    assert np.array_equal(whole.weight, chunked.weight)
    assert np.array_equal(whole.probability, chunked.probability)
    assert np.array_equal(whole.notes, chunked.notes)
    ks = np.flatnonzero(whole.probability >= 0.5)
    assert len(ks) and fs.items_of(model, whole, ks) == fs.items_of(model, chunked, ks)


def test_em_learns_on_a_sample_of_the_blocked_pairs_and_the_prior_still_counts_them_all(compared, monkeypatch):
    t, ia, ib, lv, swapped = compared
    monkeypatch.setitem(fs.settings()["model"], "min_nominals", 50)   # so the prior is estimated
    full = fs.estimate(t, lv)
    monkeypatch.setitem(fs.settings()["model"], "em_sample", len(ia) // 4)
    sampled = fs.estimate(t, lv)
    again = fs.estimate(t, lv)
    assert sampled.params == again.params                      # seeded: the same sample each time
    assert sampled.params["m"] != full.params["m"]             # it learnt on fewer pairs
    # the prior is matches among all pairs: the sample's matches count for the pairs not drawn
    assert 0.7 < sampled.params["lambda"] / full.params["lambda"] < 1.4


def test_comparing_in_chunks_gives_every_pair_the_same_levels(compared, monkeypatch):
    from triage_app.linking import compare
    t, ia, ib, lv, swapped = compared
    monkeypatch.setattr(compare, "CHUNK", 7)
    chunked, sw = compare.levels(t, ia, ib)
    assert len(ia) > 7 * 3 and sw.any()
    assert np.array_equal(sw, swapped)
    assert lv.keys() == chunked.keys() and all(np.array_equal(lv[c], chunked[c]) for c in lv)
    assert all(v.dtype == np.int8 for v in chunked.values())
