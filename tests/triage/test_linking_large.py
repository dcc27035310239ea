"""A large vault's linker: EM on a seeded sample of the blocked pairs, scoring in chunks.
Run on a small generated vault with the cap and the chunk made small."""
import numpy as np
import pytest

from triage_app import linking
from triage_app.linking import _compared, blocking, features, model as fs
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


def _scored_at_once(model, t):
    """The pairs a relink scores, all at once as the linker did before batches: every blocked pair
    the namesake rule leaves, compared and scored in one go."""
    from triage_app.linking import compare
    ia, ib, _ = blocking.candidates(t)
    keep = ~compare.ruled_out(t, ia, ib)
    ia, ib = ia[keep], ib[keep]
    lv, swapped = compare.levels(t, ia, ib)
    return fs.score(model, t, ia, ib, lv, swapped)


def test_scoring_a_batch_at_a_time_keeps_every_possible_pair_with_its_score_and_explanation(compared, monkeypatch):
    t = compared[0]
    model = fs.estimate(t, compared[3])
    whole = _scored_at_once(model, t)
    ks = np.flatnonzero(whole.probability >= model.thresholds["possible"])
    monkeypatch.setattr(linking, "BATCH", 13)
    batched = linking._scored(model, t, *linking._blocked(t, None))
    assert np.array_equal(batched.ia, whole.ia[ks]) and np.array_equal(batched.ib, whole.ib[ks])
    assert np.array_equal(batched.probability, whole.probability[ks])
    assert np.array_equal(batched.weight, whole.weight[ks])
    assert np.array_equal(batched.notes, whole.notes[ks])   # test_linking_namesakes: the note over batches
    assert fs.items_of(model, batched, np.arange(len(ks))) == fs.items_of(model, whole, ks)


def test_an_estimate_compares_only_the_pairs_em_learns_on_and_gives_the_model_of_all_of_them(compared, monkeypatch):
    t, ia, ib, lv, _ = compared
    monkeypatch.setitem(fs.settings()["model"], "min_nominals", 50)   # so the prior is estimated
    monkeypatch.setitem(fs.settings()["model"], "em_sample", len(ia) // 4)
    from triage_app.linking import compare
    asked = []
    levels = compare.levels
    monkeypatch.setattr(compare, "levels", lambda t, a, b, **kw: asked.append(len(a)) or levels(t, a, b, **kw))
    model, known = linking._estimate(t, ia, ib)
    assert known is None
    assert asked[0] == len(ia) // 4 and len(asked) == 2       # the sample, then u's random pairs
    assert model.params == fs.estimate(t, lv).params          # as if every pair had been compared


@pytest.mark.parametrize("sample", [40, None])
def test_a_link_compares_and_scores_a_batch_of_pairs_at_a_time_and_makes_the_same_links(tmp_path, monkeypatch, sample):
    """EM on a sample of 40 pairs, the rest compared batch by batch; or (None) a vault small enough
    for EM to compare every pair, those levels then scored batch by batch."""
    from triage_app.linking import compare
    s = imported_vault(tmp_path, 300, 11)
    rows = "SELECT * FROM links ORDER BY case_a, case_b"
    asked = []
    levels = compare.levels
    monkeypatch.setattr(compare, "levels", lambda t, a, b, **kw: asked.append(len(a)) or levels(t, a, b, **kw))
    if sample:
        monkeypatch.setitem(fs.settings()["model"], "em_sample", sample)
    monkeypatch.setitem(fs.settings()["model"], "u_sample", 30)

    def afresh(batch):   # estimated afresh, then every pair scored
        monkeypatch.setattr(linking, "BATCH", batch)
        s.conn.execute("DELETE FROM links")
        s.conn.execute("DELETE FROM link_models")
        asked.clear()
        linking.relink(s.conn)
        return s.conn.execute(rows).fetchall()
    s.conn.execute("BEGIN IMMEDIATE")
    try:
        whole = afresh(1 << 20)
        assert max(asked) > 100
        batched = afresh(20)
        if sample:
            assert max(asked) <= 40 and len(asked) > 10
        some = s.conn.execute("SELECT id FROM cases ORDER BY id LIMIT 40").fetchall()
        asked.clear()
        linking.relink(s.conn, {r[0] for r in some})                 # and an incremental relink
        assert max(asked) <= 40 and len(asked) > 2
        again = s.conn.execute(rows).fetchall()
    finally:
        s.conn.execute("ROLLBACK")
        s.close()
    assert len(whole) > 50
    assert batched == whole
    assert again == whole


def test_em_over_slots_sums_what_em_over_masks_summed(compared, monkeypatch):
    """EM indexes each comparison's weights by a slot per pair (an extra slot weighing 0 and never
    counted for a pair the comparison does not count for) instead of masking each round: the same
    sums in the same order, so the very same model."""
    from triage_app.linking.compare import COMPARISONS, LEVELS
    t, ia, ib, lv, _ = compared
    monkeypatch.setitem(fs.settings()["model"], "min_nominals", 50)   # so the prior is estimated too
    cfg, mc = fs.settings(), fs.settings()["model"]
    u = fs._estimate_u(t, cfg)
    lam = mc["matches_per_record"] / (len(t) - 1)
    m = {c: list(cfg["m"][c]) for c in COMPARISONS}
    for _ in range(mc["em_iterations"]):   # EM as it was written before the slots
        p = fs._posterior(lam, m, u, lv)
        for c in COMPARISONS:
            known = lv[c] >= 0
            got = np.bincount(lv[c][known], weights=p[known], minlength=len(LEVELS[c]))
            prior = np.array(cfg["m"][c])
            m[c] = ((got + mc["m_weight"] * prior) / (got.sum() + mc["m_weight"])).tolist()
    n = len(t)
    per_record = fs._posterior(lam, m, u, lv).sum() / (n * (n - 1) / 2) * (n - 1)
    lo, hi = mc["matches_per_record_range"]
    model = fs.estimate(t, lv)
    assert model.params["m"] == m
    assert model.params["lambda"] == float(min(max(per_record, lo), hi) / (n - 1))
    assert (lv["gender"] >= 0).sum() > (fs._slots(lv["gender"], (lv["gender"] >= 0) & fs.gender_counts(lv)) < 2).sum()
