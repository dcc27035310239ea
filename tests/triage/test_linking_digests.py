"""A relink reuses a stored link row only when what the row is made of is unchanged: after each
change to the vault, the links are exactly those of a relink that rebuilds every row."""
import json

from triage_app import importing, linking
from triage_app.demo.synthetic import generate

_ALL = "SELECT case_a, case_b, strength, basis, suspect_a, suspect_b, evidence, probability, explanation, model, " \
       "people FROM links ORDER BY case_a, case_b"


def _links(conn):
    return [tuple(r) for r in conn.execute(_ALL)]


def _relink(conn, cases=None):
    conn.execute("BEGIN IMMEDIATE")
    linking.relink(conn, cases)
    conn.execute("COMMIT")


def _rebuilt(conn, cases=None):
    """The links after the same relink with no row reused (digests dropped); left unchanged."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM link_digests")
        linking.relink(conn, cases)
        return _links(conn)
    finally:
        conn.execute("ROLLBACK")


def _case_of_a_person_link(conn) -> tuple[int, int]:
    """A case with a link made by a person match alone, and its nominal in that match."""
    for a, evidence in conn.execute("SELECT case_a, evidence FROM links ORDER BY case_a, case_b"):
        rows = json.loads(evidence)
        if {r[2] for r in rows} == {"person"}:
            return a, rows[0][0]
    raise AssertionError("no person link")


def test_a_relink_reuses_unchanged_rows_and_rebuilds_changed_ones_exactly(login, tmp_path, monkeypatch):
    s = login("sam")
    conn = s.conn
    importing.run(s, *generate(300, seed=4).write_csv(tmp_path))
    first = _links(conn)
    assert len(first) > 30 and conn.execute("SELECT count(*) FROM link_digests").fetchone()[0] == 1

    built = []
    for name in ("_row_of_one_pair", "_row_of_many"):    # a row is built by one or the other
        real = getattr(linking.resolve, name)
        monkeypatch.setattr(linking.resolve, name, lambda *a, real=real: built.append(1) or real(*a))
    _relink(conn)                                    # nothing changed: every row reused
    assert _links(conn) == first and not built

    # a nominal's role changes: its links' words change ("witness on …")
    case, nominal = _case_of_a_person_link(conn)
    role = conn.execute("SELECT role FROM nominals WHERE id = ?", (nominal,)).fetchone()[0]
    conn.execute("UPDATE nominals SET role = ? WHERE id = ?", ("other" if role != "other" else "witness", nominal))
    want = _rebuilt(conn, [case])
    _relink(conn, [case])
    assert _links(conn) == want != first and 0 < len(built) < len(first)

    # a row changed behind the linker's back is written again
    a, b = want[0][:2]
    conn.execute("UPDATE links SET basis = '[]' WHERE case_a = ? AND case_b = ?", (a, b))
    built.clear()
    _relink(conn)
    assert _links(conn) == want and len(built) == 1

    # a case's reference changes: its links' words name it
    conn.execute("UPDATE cases SET ref = ref || '-B' WHERE id = ?", (a,))
    want = _rebuilt(conn)
    _relink(conn)
    assert _links(conn) == want and any("-B" in r[3] for r in want)

    # a link rejected is gone after the next relink, and its kept digest with it (one per link kept)
    from triage_app.linking import digests, judgements
    a, b = want[1][:2]
    ref_a, ref_b = (conn.execute("SELECT ref FROM cases WHERE id = ?", (i,)).fetchone()[0] for i in (a, b))
    judgements.judge(s, ref_a, ref_b, "reject", "not the same man")
    _relink(conn)
    now = {r[:2] for r in _links(conn)}
    assert (a, b) not in now and len(now) == len(want) - 1
    assert set(digests.read(conn)) == now


def test_digests_of_columns_tell_rows_apart():
    """A piece of evidence's digest (digests.of_columns) changes with any of its columns, their
    order, a float's last bit; a column given once counts for every row."""
    import numpy as np
    from triage_app.linking import digests
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 1000, 200_000), rng.integers(0, 50, 200_000)
    rows = np.unique(np.stack([a, b], axis=1), axis=0)
    got = digests.of_columns(7, rows[:, 0], rows[:, 1])
    assert len(np.unique(got)) == len(rows)                       # no two distinct rows alike
    np.testing.assert_array_equal(got, digests.of_columns(np.full(len(rows), 7), rows[:, 0], rows[:, 1]))
    apart = rows[:, 0] != rows[:, 1]
    assert (got != digests.of_columns(7, rows[:, 1], rows[:, 0]))[apart].all()     # order counts
    assert (got != digests.of_columns(8, rows[:, 0], rows[:, 1])).all()
    p = np.array([0.1 + 0.2, 0.3, 0.95, 0.95])
    d = digests.of_columns(p).tolist()
    assert d[0] != d[1] and d[2] == d[3]
    assert digests.of_columns(np.array([2 ** 64 - 1], dtype=np.uint64)).tolist() != digests.of_columns(0).tolist()
    # one bit of input moves about half the digest's bits (no two near rows near alike)
    x = np.arange(10_000, dtype=np.int64)
    flipped = digests.of_columns(x) ^ digests.of_columns(x ^ 1)
    bits = np.unpackbits(flipped.view(np.uint8)).reshape(len(x), 64).sum(axis=1)
    assert 30 < bits.mean() < 34 and bits.min() > 8


def test_a_stored_rows_digest_tells_apart_rows_whose_columns_join_alike():
    """A row changed behind the linker's back is rebuilt when its digest (of_row) differs: text moved
    from one column to the next, or a column split, is a different row."""
    from triage_app.linking import digests
    row = ("strong", '["same phone"]', 3, 4, "[]", 0.5, "text", 2, "[]")
    moved = ("stron", 'g["same phone"]', 3, 4, "[]", 0.5, "text", 2, "[]")
    assert digests.of_row(row) != digests.of_row(moved)
    assert digests.of_row(("ab", "c")) != digests.of_row(("a", "bc"))
    assert digests.of_row(("a", "")) != digests.of_row(("", "a"))
    assert digests.of_row(row) == digests.of_row(tuple(row))
