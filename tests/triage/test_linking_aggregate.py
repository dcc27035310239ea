"""The shortcuts of a relink's evidence and rows (resolve.aggregate) give exactly what the plain
way gave: waterfalls read a column at a time, kinds of waterfall told apart by a digest, items
written to JSON once each, a link's digests folded with numpy."""
import dataclasses
import json
import types

import numpy as np
import pytest

from triage_app import linking
from triage_app.linking import _compared, digests, explain, features, model as fs, resolve
from triage_app.linking.compare import COMPARISONS, LEVELS
from triage_app.linking.resolve import Evidence, Nominal
from tests.triage.conftest import imported_vault


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("aggregate"), 400, 7)
    t = features.load(s.conn, None, cached=False)
    model = fs.current(s.conn)
    ia, ib, lv, swapped = _compared(t, None, False)
    yield model, fs.score(model, t, ia, ib, lv, swapped)
    s.close()
    linking.names.forget()


def _items_pair_by_pair(model, s, ks):
    """model.items_of as it was written first: each pair's waterfall made item by item."""
    prior = round(model.prior_weight(), 2)
    cols = []
    for c in COMPARISONS:
        tf = s.tf(c, ks).tolist() if c in fs.TF_COMPARISONS else None
        cols.append((c, LEVELS[c], s.levels[c][ks].tolist(), s.parts(c, ks).tolist(), tf))
    full = s.fullname(ks).tolist()
    swapped = s.swapped[ks].tolist()
    notes = s.notes[ks].tolist()
    out = []
    for j in range(len(ks)):
        row = [["prior", "chance", prior]]
        if swapped[j]:
            row.append(["names", "swapped", 0.0])
        for c, words, lv, w, tf in cols:
            if lv[j] < 0:
                row.append([c, "missing", 0.0])
                continue
            row.append([c, words[lv[j]], round(w[j], 2)])
            if tf is not None and tf[j] != 0:
                row.append([c, "rare" if tf[j] > 0 else "common", round(tf[j], 2)])
            if c == "surname" and full[j] != 0:
                row.append(["fullname", "common", round(full[j], 2)])
        if notes[j]:
            row.append([*fs.NOTES[notes[j]], None])
        out.append(row)
    return out


def test_waterfalls_read_a_column_at_a_time_are_those_made_pair_by_pair(scored):
    model, scores = scored
    ks = np.arange(len(scores.probability))
    # every note too (this vault's pairs were held by none)
    scores = dataclasses.replace(scores, notes=(ks % len(fs.NOTES)).astype(np.int8))
    got = fs.items_of(model, scores, ks)
    want = _items_pair_by_pair(model, scores, ks)
    assert got == want
    assert [json.dumps(g) for g in got] == [json.dumps(w) for w in want]    # 0.0 and -0.0 kept apart too
    # the vault's pairs have every kind of item in them
    kinds = {(c, lv) for row in got for c, lv, _ in row}
    assert {("names", "swapped"), ("surname", "rare"), ("fullname", "common")} <= kinds
    assert any(w is None for row in got for _, _, w in row)                  # a note


def _stub(weights: dict[str, list[float]]):
    """Scores of pairs whose comparisons' weights are given (level 0 each), no term frequencies."""
    n = len(next(iter(weights.values())))
    zero = np.zeros(n)
    return types.SimpleNamespace(
        levels={c: np.zeros(n, dtype=np.int8) for c in COMPARISONS}, swapped=np.zeros(n, dtype=bool),
        notes=np.zeros(n, dtype=np.int8), tf=lambda c, ks: zero[ks], fullname=lambda ks: zero[ks],
        parts=lambda c, ks: np.array(weights.get(c, [1.5] * n))[ks])


def test_a_shared_item_is_one_for_weights_that_write_alike_only():
    """Items are shared between waterfalls by their weight's bits: 0.0 and -0.0 are equal floats
    (one dict key) but JSON writes them apart."""
    model = fs.Model(1, {"lambda": 0.5})
    got = fs.items_of(model, _stub({"dob": [0.0, -0.0, 0.0]}), np.arange(3))
    dob = [next(it for it in row if it[0] == "dob") for row in got]
    assert [json.dumps(it[2]) for it in dob] == ["0.0", "-0.0", "0.0"]
    assert dob[0] is dob[2]


@pytest.mark.parametrize("items", [
    [["prior", "chance", -18.39], ["dob", "missing", 0.0], ["dob", "x", -0.0], ["dob", "years_apart_cap", None]],
    [["surname", "rare", 1e-05], ["surname", "common", 123456789.125], ["a\u00e9\"", "b\\", 2]],
    [["phone", "shared", float("inf")], ["phone", "shared", float("nan")], ["phone", "x", -float("inf")]],
    [],
])
def test_a_waterfall_written_item_by_item_reads_as_the_encoder_wrote_it(items):
    written: dict = {}
    assert resolve._waterfall_json(items, written) == resolve._COMPACT.encode(items)
    assert resolve._waterfall_json(items + items, written) == resolve._COMPACT.encode(items + items)


def test_kinds_of_waterfall_told_apart_when_their_digests_are_alike(scored, monkeypatch):
    """The digest that groups pairs into kinds is checked against their columns: were two kinds'
    digests alike, the pairs are grouped by their columns instead."""
    model, scores = scored
    ks = np.flatnonzero(scores.probability >= model.thresholds["possible"])
    first, which, _ = resolve._alike(scores, ks)
    real = digests.of_columns
    monkeypatch.setattr(resolve.digests, "of_columns", lambda *cols: real(*cols) & np.uint64(1))   # 2 digests only
    alike_first, alike_which, _ = resolve._alike(scores, ks)
    assert len(first) > 10 and len(alike_first) == len(first)
    # the same grouping: pairs of one kind before are of one kind still, and of no other
    assert len(set(zip(which.tolist(), alike_which.tolist()))) == len(first)


def _top_reasons_as_first_written(items, k):
    ranked = sorted((it for it in items if it[0] not in ("prior",) and it[2] is not None and it[2] > 0),
                    key=lambda it: -it[2])[:k]
    words = [explain.sentence(c, lv, w) for c, lv, w in ranked]
    words += [explain.sentence(c, lv, None) for c, lv, w in items if w is None and c == "dob"]
    if any(it[0] == "names" for it in items):
        words.append("forename and surname swapped")
    return "; ".join(words) or "little evidence either way"


def test_top_reasons_in_one_pass_are_those_sorted_out_first(scored):
    model, scores = scored
    waterfalls = fs.items_of(model, scores, np.arange(len(scores.probability)))
    waterfalls += [
        [["prior", "chance", 5.0], ["dob", "exact", 2.0], ["surname", "exact", 2.0], ["postcode", "exact", 2.0],
         ["forename", "exact", 2.0], ["names", "swapped", 3.0], ["dob", "years_apart_cap", None]],   # ties, in order
        [["prior", "chance", -9.0], ["address", "different", -1.0], ["names", "swapped", 0.0]],
        [["prior", "chance", -9.0], ["phone", "missing", 0.0]],
    ]
    for items in waterfalls:
        assert explain.top_reasons(items, 3) == _top_reasons_as_first_written(items, 3)


def test_a_row_of_one_pair_of_nominals_reads_as_the_encoders_wrote_it(monkeypatch):
    """Most links are one pair of nominals sharing a person match and an identifier or two: their
    rows are put together in an order known beforehand (_row_of_one_pair), exactly as sorted."""
    from tests.triage.test_linking_row_json import _oracle, _person
    s1, s2, v3 = Nominal(12, 1, "suspect"), Nominal(28, 2, "witness"), Nominal(5, 3, "victim")
    refs = {1: "CR/2015/0001", 2: "CR/2016/0002 \u2018north\u2019", 3: "CR/2019/\"3\""}
    items = [["prior", "chance", -9.5], ["dob", "exact", 6.0000001], ["surname", "rare", 1e-05]]
    one_pair = [
        [Evidence(s1, s2, "phone", "07700 900123", "strong", None)],
        [_person(s1, s2, 0.912345678, items, "possible")],
        [Evidence(s1, s2, "vehicle", "\u00c6B12 \"CDE\"\\", "strong", None), _person(s1, s2, 0.99999, items),
         Evidence(s1, s2, "address", "12 mill road ls1 4ab", "strong", None),
         Evidence(s1, s2, "phone", "07700 900999", "strong", None)],
        [Evidence(s2, v3, "phone", "07700 900123", "strong", None), _person(s2, v3, 0.5, items, "possible")],
        [_person(s1, v3, 1.0, items), Evidence(s1, v3, "address", "1 a st ls1 4ab", "possible", None)],
        [_person(s2, v3, 0.75, items, "possible", words='surname "Bo\\b" agrees\t'),
         Evidence(s2, v3, "vehicle", "AB12 CDE", "strong", None)],
    ]
    other = [
        [Evidence(s2, s1, "phone", "07700 900123", "strong", None)],                          # ends reversed
        [Evidence(s1, s2, "phone", "07700 900123", "strong", None),
         Evidence(s1, s2, "phone", "07700 900999", "strong", None)],                          # two of a kind
        [Evidence(s1, s2, "phone", "07700 900123", "strong", None),
         Evidence(s1, v3, "phone", "07700 900123", "strong", None)],
        [_person(s1, s2, 0.9, items, "possible"),
         Evidence(Nominal(13, 1, "witness"), s2, "vehicle", "AB12 CDE", "strong", None)],      # two pairs
        [Evidence(s1, s2, "phone", "07700 900123", "strong", "worded before")],               # its own words
    ]
    used = []
    real = resolve._row_of_one_pair
    monkeypatch.setattr(resolve, "_row_of_one_pair", lambda *a: used.append(1) or real(*a))
    for evs in one_pair + other:
        assert resolve._row(evs, 7, refs, {}) == _oracle(evs, 7, refs)
    assert len(used) == len(one_pair)


def test_a_probability_worded_once_per_relink_is_worded_as_itself():
    said: dict = {}
    for p in (0.0, -0.0, 0.912345678, 0.0, 1.0, -0.0, 0.912345678):
        words, written, rounded = resolve._said_of(p, said)
        assert (words, written) == (explain.percent(p), json.dumps(round(p, 6)))
        assert json.dumps(rounded) == json.dumps(round(p, 6))


def test_the_basis_texts_of_one_pair_are_ordered_by_their_first_words():
    """Each kind's basis text begins with words that tell it from every other kind's before either
    ends: ordering by those words (_BASIS_ORDER) is ordering by the texts."""
    a, b = Nominal(1, 1, "suspect"), Nominal(2, 2, "victim")
    refs = {1: "CR/1", 2: "CR/2"}
    texts = {kind: resolve.text_of(Evidence(a, b, kind, "x ls1 4ab", "strong", None), refs)
             for kind in resolve.IDENTIFIER_WORDS}
    for strong in (True, False):
        ev = Evidence(a, b, "person", None, "strong" if strong else "possible", None, 0.5)
        ev.words = "reasons"
        texts[strong] = resolve.text_of(ev, refs)
    assert sorted(texts, key=texts.get) == sorted(texts, key=resolve._BASIS_ORDER.get)
    assert len(set(resolve._BASIS_ORDER.values())) == len(texts)
