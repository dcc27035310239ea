"""The bulk write path (staging, INSERT … SELECT, FTS after the rows) leaves the vault exactly as
writing each checked row with its own INSERT would: the same rows, text index, links and scores."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from triage_app import audit, importing, linking, triage
from triage_app.demo.synthetic import generate
from triage_app.importing import profile as profiles
from triage_app.importing.reader import read_table
from triage_app.importing.validate import CASE_FIELDS, NOMINAL_FIELDS, check


class _RowByRow:
    """A sink for the check that writes each row as it comes, with nothing clever."""

    def __init__(self, conn):
        self.conn, self.ids, self.now = conn, {}, audit.utc_now()

    def case(self, row) -> None:
        cur = self.conn.execute(f"INSERT INTO cases ({', '.join(CASE_FIELDS)}, source_hash, imported_at, updated_at) "
                                f"VALUES ({', '.join('?' * (len(CASE_FIELDS) + 3))})",
                                (*row.values, row.source_hash, self.now, self.now))
        self.ids[row.ref] = cur.lastrowid

    def nominal(self, row) -> None:
        cur = self.conn.execute(f"INSERT INTO nominals (case_id, {', '.join(NOMINAL_FIELDS)}, source_hash) "
                                f"VALUES ({', '.join('?' * (len(NOMINAL_FIELDS) + 2))})",
                                (self.ids[row.ref], *row.values, row.source_hash))
        for kind, value in row.identifiers:
            self.conn.execute("INSERT OR IGNORE INTO identifiers (nominal, kind, value) VALUES (?, ?, ?)",
                              (cur.lastrowid, kind, value))


def _sorted(rows) -> list:
    return sorted(rows, key=repr)


def _by_ref(s) -> dict:
    ref = dict(s.conn.execute("SELECT id, ref FROM cases"))
    nominal = {i: (ref[c], k) for i, c, k in s.conn.execute("SELECT id, case_id, natural_key FROM nominals")}
    return {
        "cases": _sorted(tuple(r) for r in s.conn.execute(
            f"SELECT {', '.join(CASE_FIELDS)}, source_hash, victim_age, priority, priority_factors, beaconport, "
            "csarp, eligibility_why FROM cases")),
        "nominals": _sorted((ref[r[0]], *r[1:]) for r in s.conn.execute(
            f"SELECT case_id, {', '.join(NOMINAL_FIELDS)}, source_hash FROM nominals")),
        "identifiers": _sorted((*nominal[n], k, v) for n, k, v in s.conn.execute(
            "SELECT nominal, kind, value FROM identifiers")),
        "text": _sorted((ref[r], ) for (r,) in s.conn.execute(
            "SELECT rowid FROM case_text WHERE case_text MATCH 'victim OR suspect OR car OR flat'")),
        "links": _sorted((ref[a], ref[b], *rest) for a, b, *rest in s.conn.execute(
            "SELECT case_a, case_b, strength, basis, evidence FROM links")),
    }


def test_bulk_import_gives_the_rows_links_and_scores_of_a_row_by_row_write(login, tmp_path):
    s = login("sam")
    files = generate(300, seed=5).write_csv(tmp_path / "export")
    today = date(2026, 1, 1)
    # First the plain way, in a transaction rolled back after: each checked row its own INSERT,
    # then a full relink and rescore.
    s.conn.execute("BEGIN IMMEDIATE")
    try:
        problems: list = []
        tables = [read_table(Path(p), problems) for p in files]
        checked = check(*tables, profiles.load(None), {}, today, _RowByRow(s.conn))
        assert not checked.problems and not problems
        linking.relink(s.conn)
        triage.rescore(s.conn, today=today)
        expected = _by_ref(s)
    finally:
        s.conn.execute("ROLLBACK")
    assert s.one("SELECT count(*) FROM cases")[0] == 0
    assert len(expected["links"]) > 20 and len(expected["identifiers"]) > 100 and len(expected["text"]) > 50
    # Then the import as it is.
    importing.run(s, *files, today=today)
    got = _by_ref(s)
    for part in expected:
        assert got[part] == expected[part], part
