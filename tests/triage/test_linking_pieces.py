"""A relink's evidence as columns (resolve.Pieces): the pairs of nominals that share an identifier
are those the plain way finds, and the rows put together from the columns (a link's pieces sorted
together, one pair of nominals written without Evidence objects) are the rows the encoders wrote
from each link's Evidence (test_linking_row_json._oracle)."""
import json
import types
from collections import defaultdict

import numpy as np
import pytest

from triage_app import linking
from triage_app.linking import _compared, digests, explain, features, model as fs, resolve
from triage_app.linking.features import ROLES
from triage_app.linking.resolve import Evidence, Nominal
from tests.triage.conftest import imported_vault
from tests.triage.test_linking_row_json import _oracle, _person

STAR = "07700 900000"


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("pieces"), 400, 7)
    # one phone on a nominal of more cases than STAR_LIMIT (a taxi office's number): a star
    hubs = s.conn.execute("SELECT min(id) FROM nominals GROUP BY case_id ORDER BY case_id LIMIT ?",
                          (resolve.STAR_LIMIT + 5,)).fetchall()
    s.conn.executemany("INSERT INTO identifiers(nominal, kind, value) VALUES (?, 'phone', ?)",
                       [(n, STAR) for (n,) in hubs])
    t = features.load(s.conn, None, cached=False)
    model = fs.current(s.conn)
    ia, ib, lv, swapped = _compared(t, None, False)
    refs = dict(s.conn.execute("SELECT id, ref FROM cases"))
    yield s.conn, t, model, ia, ib, fs.score(model, t, ia, ib, lv, swapped), refs
    s.close()
    linking.names.forget()


def _shared_plainly(conn, t, touched) -> list[tuple]:
    """(nominal, nominal, kind, value) of every pair an identifier links, found one value at a time."""
    case = dict(zip(t.id.tolist(), t.case.tolist()))
    groups = defaultdict(list)
    for n, kind, value in conn.execute("SELECT nominal, kind, value FROM identifiers ORDER BY nominal"):
        if n in case and kind in resolve.IDENTIFIER_WORDS:
            groups[kind, value].append(n)
    out = []
    for (kind, value), ns in groups.items():
        cases = {case[n] for n in ns}
        if len(cases) > resolve.STAR_LIMIT:
            hub = min(n for n in ns if case[n] == min(cases))
            pairs = [(hub, n) for n in ns if case[n] != case[hub]]
        else:
            pairs = [(x, y) for i, x in enumerate(ns) for y in ns[i + 1:] if case[x] != case[y]]
        for x, y in pairs:
            if touched is None or case[x] in touched or case[y] in touched:
                out.append((x, y, kind, value) if case[x] <= case[y] else (y, x, kind, value))
    return sorted(out)


def _shared(p: resolve.Pieces) -> list[tuple]:
    return sorted(zip(p.a.tolist(), p.b.tolist(), [resolve.KINDS[k] for k in p.kind.tolist()],
                      [p.values[v][1] for v in p.value.tolist()]))


@pytest.mark.parametrize("touched", [None, "some"])
def test_identifier_pieces_are_the_pairs_found_one_value_at_a_time(vault, touched):
    conn, t, *_ = vault
    if touched == "some":
        touched = set(t.case[::7].tolist())
    got = resolve.identifier_pieces(conn, t, touched)
    want = _shared_plainly(conn, t, touched)
    assert _shared(got) == want
    assert sum(v == STAR for *_, v in want) == resolve.STAR_LIMIT + 4 or touched    # the star: to its hub only
    assert (got.case_a < got.case_b).all() and got.strong.all() and (got.p == 1.0).all() and (got.fall < 0).all()
    # each end's case and role are its own
    at = {n: i for i, n in enumerate(t.id.tolist())}
    for col, case, role in ((got.a, got.case_a, got.role_a), (got.b, got.case_b, got.role_b)):
        rows = np.array([at[n] for n in col.tolist()], dtype=np.int64)
        assert (t.case[rows] == case).all() and (t.role[rows] == role).all()


def test_person_pieces_are_each_pair_with_the_waterfall_and_words_of_its_own(vault):
    conn, t, model, ia, ib, scores, refs = vault
    got = resolve.person_pieces(t, ia, ib, model, scores)
    assert not got.falls.made       # waterfalls are made only for the links built
    got.falls.make(got.fall.tolist())
    ks = np.flatnonzero(scores.probability >= model.thresholds["possible"])
    assert len(got) == len(ks) > len(got.falls.made) > 10     # some pairs share a waterfall, not all
    assert (got.case_a <= got.case_b).all()
    parts = resolve._parts(got)
    for i, (k, items) in enumerate(zip(ks.tolist(), fs.items_of(model, scores, ks))):
        kind, value, strength, p, words, items_json, text = parts[i]
        assert (kind, text) == ("person", None)
        assert (value, words) == (explain.dob_phrase(items), explain.top_reasons(items, 3))
        assert items_json == json.dumps(items, separators=(",", ":"))
        assert {got.a[i], got.b[i]} == {t.id[ia[k]], t.id[ib[k]]}
        assert p == float(scores.probability[k])
        assert (strength == "strong") == (p >= model.thresholds["strong"])


def _evidence_of(p: resolve.Pieces) -> dict[tuple[int, int], list[Evidence]]:
    """The pieces as Evidence, grouped by link in Python (as the relink did before the columns)."""
    p.falls.make(p.fall[p.fall >= 0].tolist())
    out = defaultdict(list)
    for i, (kind, value, strength, prob, words, items_json, _) in enumerate(resolve._parts(p)):
        a = Nominal(int(p.a[i]), int(p.case_a[i]), ROLES[p.role_a[i]])
        b = Nominal(int(p.b[i]), int(p.case_b[i]), ROLES[p.role_b[i]])
        ev = Evidence(a, b, kind, value, strength, None, prob, digest=int(p.digest[i]))
        if kind == "person":
            ev.items, ev.words = json.loads(items_json), words
        out[a.case_id, b.case_id].append(ev)
    return out


def test_a_relinks_rows_from_the_columns_are_those_of_each_links_evidence(vault, monkeypatch):
    conn, t, model, ia, ib, scores, refs = vault
    pieces = resolve.joined(resolve.identifier_pieces(conn, t, None), resolve.person_pieces(t, ia, ib, model, scores))
    links = _evidence_of(pieces)
    rejected = set(list(links)[::9])
    calls = {"one": 0, "many": 0}
    for name, what in (("_row_of_one_pair", "one"), ("_row_of_many", "many")):
        real = getattr(resolve, name)
        monkeypatch.setattr(resolve, name, lambda *a, real=real, what=what: calls.__setitem__(what, calls[what] + 1)
                            or real(*a))
    got = resolve.aggregate(pieces, rejected, 5, refs)
    want = {key: _oracle(evs, 5, refs) for key, evs in links.items() if key not in rejected}
    assert got == want
    assert calls["one"] > 100 and calls["many"] > 10                        # both ways taken
    assert any(len(evs) > 1 for evs in links.values() if len({(e.a.id, e.b.id) for e in evs}) == 1)


def _shapes():
    """Links of every shape (one pair of nominals or more, kinds alone or twice…), each between
    cases of its own."""
    items = [["prior", "chance", -9.5], ["dob", "exact", 6.0000001], ["surname", "rare", 1e-05]]
    out = []
    for k, shape in enumerate((
            "phone", "person", "vehicle person address phone", "phone person-possible", "person address-possible",
            "person-words vehicle", "phone phone", "phone phone-other", "person vehicle-other", "person person-other",
            "person vehicle-theirs")):
        c1, c2 = 10 * k + 1, 10 * k + 2
        s1, s2 = Nominal(100 * k + 1, c1, "suspect"), Nominal(100 * k + 2, c2, "witness")
        o1, o2 = Nominal(100 * k + 3, c1, "victim"), Nominal(100 * k + 4, c2, "other")
        evs = []
        for n, word in enumerate(shape.split()):
            kind, _, how = word.partition("-")
            a, b = o1 if how == "other" else s1, o2 if how == "theirs" else s2   # another nominal at one end
            if kind == "person":
                words = 'surname "Bo\\b" agrees\t' if how == "words" else "date of birth exact"
                evs.append(_person(a, b, 0.5 + n / 10, items, "possible" if how == "possible" else "strong", words))
            else:
                strength = "possible" if how == "possible" else "strong"
                evs.append(Evidence(a, b, kind, f"\u00c6B12 \"{n}\"\\ ls1 4ab", strength, None, digest=k + n))
        out.append(evs)
    return out


def _as_pieces(links: list[list[Evidence]]) -> resolve.Pieces:
    values, made, cols = [], {}, []
    for evs in links:
        for ev in evs:
            v = f = -1
            if ev.kind == "person":
                f = len(made)
                made[f] = (ev.items, ev.value, ev.words, ev.items_json)
            else:
                v = len(values)
                values.append((ev.kind, ev.value))
            cols.append((ev.a.id, ev.b.id, ev.a.case_id, ev.b.case_id, ROLES.index(ev.a.role), ROLES.index(ev.b.role),
                         resolve.KINDS.index(ev.kind), v, ev.probability, ev.strength == "strong", f, ev.digest))
    types_ = (np.int64,) * 4 + (np.int8, np.int8, np.int8, np.int64, np.float64, bool, np.int64, np.uint64)
    arrays = [np.array(c, dtype=d) for c, d in zip(zip(*cols), types_)]
    return resolve.Pieces(*arrays, values=values, falls=types.SimpleNamespace(made=made, make=lambda kinds: None))


def test_every_shape_of_link_from_the_columns_reads_as_the_encoders_wrote_it():
    links = _shapes()
    refs = {10 * k + c: f"CR/{k}/\u2018{c}\u2019" for k in range(len(links)) for c in (1, 2)}
    pieces = _as_pieces(links)
    order = np.random.default_rng(1).permutation(len(pieces))    # in any order
    kept: dict = {}
    got = resolve.aggregate(pieces.taken(order), {(21, 22)}, 7, refs, {}, kept)
    want = {(evs[0].a.case_id, evs[0].b.case_id): _oracle(evs, 7, refs) for evs in links}
    del want[21, 22]
    assert got == want
    # a link's digest: its pieces' digests summed, with its refs'
    extra = resolve._refs_digests(np.array([1, 31]), np.array([2, 32]), refs, 7, digests.code(
        resolve.explain.__file__, fs.__file__, resolve.__file__)).tolist()
    assert kept[1, 2][0] == digests.combine(0, extra[0])
    assert kept[31, 32][0] == digests.combine(digests.combine(3, 0), extra[1])     # a phone's 3, a person's 0
    assert kept[1, 2][1] == digests.of_row(got[1, 2]) and set(kept) == set(want)
    # no rows: nothing
    assert resolve.aggregate(pieces.taken(np.zeros(0, dtype=np.int64)), set(), 7, refs, {}, {}) == {}
