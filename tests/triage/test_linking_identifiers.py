"""features._identifiers, grouped by numpy: who has a phone or a vehicle, and the groups of rows
that share one, exactly as grouping row by row gives them (each group's rows sorted, the groups in
the order their values are first read, a group of one left out). Synthetic vault (demo.synthetic)."""
from collections import defaultdict

import numpy as np
import pytest

from triage_app.linking import features
from tests.triage.conftest import imported_vault

_READ = "SELECT nominal, kind, value FROM identifiers WHERE kind IN ('phone', 'vehicle')"


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("identifiers"), 300, 23)
    yield s
    s.close()


def _row_by_row(conn, t):
    where = t.index_of()
    phone, vehicle = np.zeros(len(t), dtype=bool), np.zeros(len(t), dtype=bool)
    groups = defaultdict(list)
    for nid, kind, value in conn.execute(_READ):
        i = where.get(nid)
        if i is None:
            continue
        (phone if kind == "phone" else vehicle)[i] = True
        groups[(kind, value)].append(i)
    shared = {}
    for (kind, _), members in groups.items():
        if len(set(members)) > 1:
            shared.setdefault(kind, []).append(sorted(set(members)))
    return phone, vehicle, shared


def test_identifiers_are_those_grouped_row_by_row(vault):
    conn = vault.conn
    t = features.load(conn, None, cached=False)
    phone, vehicle, shared = _row_by_row(conn, t)
    assert phone.any() and vehicle.any() and shared.get("phone") and shared.get("vehicle")
    assert t.has_phone.tolist() == phone.tolist() and t.has_vehicle.tolist() == vehicle.tolist()
    assert {k: [g.tolist() for g in v] for k, v in t.shared.items()} == shared


def test_a_nominal_not_in_the_table_and_a_phone_of_one_are_left_out(vault):
    """Rows of nominals the table does not hold are skipped; a phone shared with them only is no group."""
    conn = vault.conn
    t = features.load(conn, None, cached=False)
    keep = np.arange(len(t)) % 3 != 0                  # a table of two rows in three
    part = features.Nominals(**{k: getattr(t, k)[keep] for k in features.ARRAYS}, house=t.house,
                             has_phone=np.zeros(int(keep.sum()), dtype=bool),
                             has_vehicle=np.zeros(int(keep.sum()), dtype=bool),
                             **{k: getattr(t, k) for k in features.VOCABULARIES})
    features._identifiers(conn, part)
    phone, vehicle, shared = _row_by_row(conn, part)
    assert part.has_phone.tolist() == phone.tolist() and part.has_vehicle.tolist() == vehicle.tolist()
    assert {k: [g.tolist() for g in v] for k, v in part.shared.items()} == shared
    assert sum(map(len, shared.values())) < sum(map(len, t.shared.values()))
