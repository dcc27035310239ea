"""The linker's columns of an import's new people, worked out as the check writes them (linking/ahead.py),
are exactly what features.load reads and works out itself: every array and every vocabulary, in the
same order (vocabulary ids feed blocking and scoring). Each link an import makes below loads the
columns twice, with and without the import's builder, and the two are compared field by field."""
from dataclasses import replace

import numpy as np
import pytest

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.linking import ahead as ahead_mod
from triage_app.linking import features

from .conftest import add_nominal


@pytest.fixture
def loads(monkeypatch):
    """[(load without the builder, load with it, whether its columns were used, the builder)], one per link."""
    seen, used = [], []
    real_load, real_columns_in = features.load, ahead_mod.Worked.columns_in

    def columns_in(self, vocabs):
        used.append(len(self))
        return real_columns_in(self, vocabs)

    def load(conn, touched=None, *, cached=True, ahead=None):
        plain = real_load(conn, touched, cached=cached)
        before = len(used)
        got = real_load(conn, touched, cached=cached, ahead=ahead)
        seen.append((plain, got, len(used) > before, ahead))
        return got
    monkeypatch.setattr(ahead_mod.Worked, "columns_in", columns_in)
    monkeypatch.setattr(features, "load", load)
    return seen


def _identical(a, b) -> None:
    for k in (*features.ARRAYS, "house", "has_phone", "has_vehicle"):
        x, y = getattr(a, k), getattr(b, k)
        assert x.dtype == y.dtype and np.array_equal(x, y), k
    for name in features.VOCABULARIES:
        assert getattr(a, name).values == getattr(b, name).values, name
        assert getattr(a, name).ids == getattr(b, name).ids, name
    assert a.shared.keys() == b.shared.keys()
    for kind in a.shared:
        assert all(np.array_equal(x, y) for x, y in zip(a.shared[kind], b.shared[kind], strict=True)), kind
    assert a.changed == b.changed


def _part(data, refs, keep=True):
    return replace(data, cases=[c for c in data.cases if (c["crime_ref"] in refs) == keep],
                   nominals=[n for n in data.nominals if (n["crime_ref"] in refs) == keep])


def _checked(seen, used=True) -> None:
    plain, got, was_used, builder = seen.pop()
    assert was_used == used
    _identical(plain, got)
    assert builder._work is None and not builder._parts and not builder.vocabs   # its lists and look-ups let go


def test_first_import_takes_every_person_from_the_builder(login, tmp_path, loads):
    s = login("sam")
    importing.run(s, *generate(200, seed=4).write_csv(tmp_path / "one"))
    assert len(loads) == 1
    _checked(loads)


@pytest.mark.parametrize("kept", [True, False], ids=["columns-cache", "no-cache"])
def test_import_into_a_vault_holding_cases(login, tmp_path, loads, kept):
    s = login("sam")
    data = generate(300, seed=11)
    first = {c["crime_ref"] for c in data.cases[:150]}
    importing.run(s, *_part(data, first).write_csv(tmp_path / "one"))
    loads.clear()
    if not kept:
        s.conn.execute("DELETE FROM link_features")
    assert s.one("SELECT count(*) FROM link_features")[0] == int(kept)
    importing.run(s, *_part(data, first, keep=False).write_csv(tmp_path / "two"))
    _checked(loads)


def test_reimport_with_changed_and_added_people(login, tmp_path, loads):
    s = login("sam")
    data = generate(240, seed=5)
    importing.run(s, *data.write_csv(tmp_path / "one"))
    loads.clear()
    noms = [dict(n) for n in data.nominals]
    for n in noms[::7]:    # changed in place: read again from the vault, not from the builder
        n.update(surname="Quarrington", address="9 Quince Row", postcode="LS1 4AB")
    cases = data.cases[:40]
    added = [{**noms[i], "surname": f"Xylander{i}", "forenames": "Zebedee", "dob": "1981-02-03",
              "role": "witness", "address": f"{i} Yarrow Lane"} for i in range(0, 200, 5)]
    added = [n for n in added if n["crime_ref"] in {c["crime_ref"] for c in cases}]
    assert added
    more = generate(60, seed=99)     # new cases too, many of their names already in the vault
    again = replace(data, cases=data.cases + more.cases, nominals=noms + added + more.nominals)
    result = importing.run(s, *again.write_csv(tmp_path / "two"))
    assert result["nominals_updated"] and result["nominals_added"] > len(more.nominals)
    _checked(loads)


def test_people_added_outside_an_import_since_the_last_link_are_read_again(login, tmp_path, loads):
    s = login("sam")
    data = generate(200, seed=8)
    first = {c["crime_ref"] for c in data.cases[:100]}
    importing.run(s, *_part(data, first).write_csv(tmp_path / "one"))
    loads.clear()
    case_id = s.one("SELECT min(id) FROM cases")[0]
    add_nominal(s.conn, case_id, "witness", "Ottoline", "Pemberton-Quaile", "1975-05-06", address="3 Sorrel Close")
    importing.run(s, *_part(data, first, keep=False).write_csv(tmp_path / "two"))
    _checked(loads, used=False)    # the builder does not hold every nominal above the kept copy's


def _rows(n, start=1):
    return [(start + i, 1 + i // 3, "victim", f"Amy{i % 5}", f"Example{i % 7}", None, "1990-01-02", "F",
             f"{i % 4} Mill Road", "LS1 4AB") for i in range(n)]


def test_chunks_through_the_builder_are_one_pass():
    rows = _rows(50)
    builder = ahead_mod.Ahead(features.READ)
    for i in range(0, 50, 8):
        builder.add(rows[i:i + 8])
        # names and addresses are mostly met once: their look-ups are not kept from chunk to chunk
        assert not builder._work.parsed and not builder._work.places
    worked = builder.take()
    vocabs = {k: features.Vocabulary() for k in features.VOCABULARIES}
    whole = features._columns(rows, vocabs)
    assert all(np.array_equal(worked.arrays[k], whole[k]) for k in features.ARRAYS)
    assert all(worked.vocabs[k].values == vocabs[k].values for k in features.VOCABULARIES)


def test_rows_out_of_id_order_are_not_handed_over():
    builder = ahead_mod.Ahead(features.READ)
    builder.add(_rows(10))
    builder.add(_rows(10, start=12))     # a gap: ids 11 missing
    assert builder.take() is None
    builder = ahead_mod.Ahead(features.READ)
    builder.add(_rows(10)[::-1])
    assert builder.take() is None


def test_the_builder_covers_only_the_very_nominals_above(conn):
    from .conftest import add_case
    case = add_case(conn, "CR/2014/100001")
    ids = [add_nominal(conn, case, "victim", f"Amy{i}", "Example") for i in range(4)]
    worked = ahead_mod.Worked({"id": np.array(ids, dtype=np.int64)}, {})
    assert worked.covers(conn, ids[0] - 1)
    assert not worked.covers(conn, ids[0])            # its first id is not above
    fewer = ahead_mod.Worked({"id": np.array(ids[1:], dtype=np.int64)}, {})
    assert not fewer.covers(conn, ids[0] - 1)         # the vault holds one more above
    elsewhere = ahead_mod.Worked({"id": np.arange(ids[-1] + 10, ids[-1] + 14, dtype=np.int64)}, {})
    assert not elsewhere.covers(conn, ids[0] - 1)     # as many, but other ids
