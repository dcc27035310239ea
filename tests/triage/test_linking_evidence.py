"""A relink words each distinct waterfall once and shares it: every pair's evidence is still the
very evidence worked out pair by pair."""
import numpy as np
import pytest

from triage_app import linking
from triage_app.linking import _compared, explain, features, model as fs, resolve
from tests.triage.conftest import imported_vault


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("evidence"), 400, 7)
    t = features.load(s.conn, None, cached=False)
    model = fs.current(s.conn)
    ia, ib, lv, swapped = _compared(t, None, False)
    refs = dict(s.conn.execute("SELECT id, ref FROM cases"))
    yield t, model, ia, ib, fs.score(model, t, ia, ib, lv, swapped), refs
    s.close()
    linking.names.forget()


def test_each_pair_gets_the_waterfall_and_words_of_its_own(scored):
    t, model, ia, ib, scores, refs = scored
    noms = resolve.nominal_index(t)
    got = list(resolve.person_evidence(t, noms, refs, ia, ib, model, scores))
    assert all(ev.items is None for ev in got)     # made only for the links built
    resolve._worded(got)
    ks = np.flatnonzero(scores.probability >= model.thresholds["possible"])
    first, which, kinds = resolve._alike(scores, ks)
    assert len(set(kinds)) == len(first)
    assert len(got) == len(ks) > len(first) > 10    # some pairs share a waterfall, not all
    for ev, k, items in zip(got, ks.tolist(), fs.items_of(model, scores, ks)):
        assert ev.items == items
        assert ev.value == explain.dob_phrase(items)
        assert explain.top_reasons(items, 3) in resolve.text_of(ev, refs)
        assert {ev.a.id, ev.b.id} == {int(t.id[ia[k]]), int(t.id[ib[k]])}
        assert ev.probability == float(scores.probability[k])
