"""A relink compares addresses only for the pairs an address could lift to a suggestion: every pair
it drops scores below the possible threshold compared in full, and every pair it keeps has the very
levels and probability the full comparison gives it."""
import numpy as np
import pytest

from triage_app import linking
from triage_app.linking import _compared, compare, features, model as fs, reach
from tests.triage.conftest import imported_vault


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("reach"), 600, 11)
    t = features.load(s.conn, None, cached=False)
    model = fs.current(s.conn)
    full = _compared(t, None, False)            # every pair, every address compared
    pruned = _compared(t, None, False, model)   # as a relink does
    yield t, model, full, pruned
    s.close()
    linking.names.forget()
    compare.forget()


def _codes(t, ia, ib):
    return ia * len(t) + ib


def test_pairs_dropped_score_below_possible_and_pairs_kept_score_the_same(both):
    t, model, (ia, ib, lv, sw), (ra, rb, rlv, rsw) = both
    possible = model.thresholds["possible"]
    p = fs.score(model, t, ia, ib, lv, sw).probability
    rp = fs.score(model, t, ra, rb, rlv, rsw).probability
    full, kept = _codes(t, ia, ib), _codes(t, ra, rb)
    assert len(kept) < len(full)                # some pairs never have their address compared
    at = np.searchsorted(full, kept)            # pairs come in order of (a, b)
    assert (full[at] == kept).all()
    dropped = np.ones(len(full), dtype=bool)
    dropped[at] = False
    assert p[dropped].max() < possible
    assert (p >= possible).sum() == (rp >= possible).sum() > 20
    np.testing.assert_array_equal(rp, p[at])
    for c in compare.COMPARISONS:
        np.testing.assert_array_equal(rlv[c], lv[c][at], err_msg=c)
    np.testing.assert_array_equal(rsw, sw[at])


def test_a_pair_an_address_lifts_to_a_suggestion_is_kept(both):
    t, model, (ia, ib, lv, sw), (ra, rb, rlv, rsw) = both
    possible = model.thresholds["possible"]
    without = dict(lv, address=np.full(len(ia), -1, dtype=np.int8))
    lifted = (fs.score(model, t, ia, ib, without, sw).probability < possible) & \
             (fs.score(model, t, ia, ib, lv, sw).probability >= possible)
    assert lifted.sum() > 0                     # the vault holds such pairs: the address decides them
    assert np.isin(_codes(t, ia[lifted], ib[lifted]), _codes(t, ra, rb)).all()


def test_the_bound_keeps_everything_at_a_threshold_of_zero_and_nothing_at_one(both):
    t, model, (ia, ib, lv, sw), _ = both
    nothing = dict(lv, address=np.full(len(ia), -1, dtype=np.int8))
    for possible, expect in ((0.0, True), (1.0, False)):
        m = fs.Model(model.version, dict(model.params, thresholds=dict(model.thresholds, possible=possible)))
        assert (reach.may_reach(m, t, ia, ib, nothing, sw) == expect).all()


def test_the_looser_bound_is_never_below_the_score(both):
    t, model, (ia, ib, lv, sw), _ = both
    w = fs.score(model, t, ia, ib, lv, sw).weight
    loose = reach._loose(model, t, lv)
    assert (loose >= w - 1e-9).all()
    assert (loose > w + 0.5).any() and (abs(loose - w) < 1e-9).any()   # looser somewhere, exact elsewhere


def test_two_different_addresses_add_at_most_the_best_weight_below_exact(both):
    t, model, (ia, ib, lv, sw), _ = both
    w = fs.score(model, t, ia, ib, lv, sw).weight
    aa, ab = t.address[ia], t.address[ib]
    todo = (aa >= 0) & (ab >= 0) & (aa != ab)
    assert (lv["address"][todo] > 0).all() and np.isin(lv["address"][todo], [1, 2]).sum() > 0
    cheap = dict(lv, address=np.where(todo, -1, lv["address"]).astype(np.int8))
    assert (fs.score(model, t, ia, ib, cheap, sw).weight + reach._best(model, todo) >= w - 1e-9).all()


def test_a_pair_right_at_the_possible_threshold_is_kept(both):
    """The bound is loosened by MARGIN, never tightened: with the threshold set at a pair's own
    probability (its address known without comparing text, so no address weight to spare), the
    pair is still compared and scores at the threshold."""
    t, model, (ia, ib, lv, sw), _ = both
    s = fs.score(model, t, ia, ib, lv, sw)
    aa, ab = t.address[ia], t.address[ib]
    known = ~((aa >= 0) & (ab >= 0) & (aa != ab))
    p = s.probability
    picks = np.flatnonzero(known & (p > 0.02) & (p < 0.98))
    assert len(picks) >= 3
    for i in picks[[0, len(picks) // 2, -1]]:
        m = fs.Model(model.version, dict(model.params, thresholds=dict(model.thresholds, possible=float(p[i]))))
        ra, rb, rlv, rsw = reach.compared(m, t, ia, ib)
        at = np.flatnonzero((ra == ia[i]) & (rb == ib[i]))
        assert len(at) == 1, (i, float(p[i]))
        assert fs.score(m, t, ra[at], rb[at], {c: v[at] for c, v in rlv.items()}, rsw[at]).probability[0] == p[i]


def test_a_pair_right_at_the_possible_threshold_makes_the_cut(both):
    """A relink keeps the pairs at or above possible: one scoring exactly the threshold is kept."""
    t, model, (ia, ib, lv, sw), _ = both
    s = fs.score(model, t, ia, ib, lv, sw)
    p = s.probability
    top = np.flatnonzero((p > 0.02) & (p < 0.98))
    assert len(top) >= 3
    for i in top[[0, len(top) // 2, -1]]:
        m = fs.Model(model.version, dict(model.params, thresholds=dict(model.thresholds, possible=float(p[i]))))
        got = linking._scored(m, t, ia, ib)
        at = np.flatnonzero((got.ia == ia[i]) & (got.ib == ib[i]))
        assert len(at) == 1, (i, float(p[i]))


def test_only_pairs_of_two_different_addresses_are_compared_as_text(both, monkeypatch):
    """The speed promise of reach.py: the same address is 'exact' and a missing one weighs nothing
    without any text compared; the fuzzy comparison sees only two different addresses."""
    t, model, (ia, ib, lv, sw), (ra, rb, rlv, rsw) = both
    asked = []
    real = compare.address_levels
    monkeypatch.setattr(compare, "address_levels", lambda t_, a, b: asked.append((a.copy(), b.copy())) or real(t_, a, b))
    ga, gb, glv, _ = reach.compared(model, t, ia, ib)
    a = np.concatenate([x for x, _ in asked]) if asked else np.zeros(0, dtype=np.int64)
    b = np.concatenate([y for _, y in asked]) if asked else np.zeros(0, dtype=np.int64)
    assert len(a) > 0
    assert ((t.address[a] >= 0) & (t.address[b] >= 0) & (t.address[a] != t.address[b])).all()
    np.testing.assert_array_equal(glv["address"], rlv["address"])
