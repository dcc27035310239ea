"""New cases go straight into `cases` during the check instead of waiting in a TEMP table (stage.py):
in memory a TEMP table's pages stay until the transaction ends, and at 100,000 cases the staged case
text sat under the link and the score. What the load did for them must still happen exactly: every
new case in the full-text index, the trigger and the queue's indexes back, and nothing at all
written when the import is refused or fails."""
from __future__ import annotations

import pytest

from triage_app import importing, linking
from triage_app.demo.synthetic import generate
from triage_app.errors import BadInput


def _schema(s) -> list[tuple]:
    return [tuple(r) for r in s.conn.execute("SELECT type, name, sql FROM sqlite_master "
                                             "WHERE tbl_name IN ('cases', 'case_text') ORDER BY type, name")]


def _people_schema(s) -> list[tuple]:
    return [tuple(r) for r in s.conn.execute("SELECT type, name, sql FROM sqlite_master "
                                             "WHERE tbl_name IN ('nominals', 'identifiers') ORDER BY type, name")]


def _indexed(s) -> int:
    return s.conn.execute("SELECT count(*) FROM case_text_docsize").fetchone()[0]


def _a_word_of_each(s) -> list[tuple[int, str]]:
    return [(cid, summary.split()[0].strip(".,;:'\"")) for cid, summary in
            s.conn.execute("SELECT id, summary FROM cases WHERE summary IS NOT NULL ORDER BY id")]


@pytest.mark.parametrize("n", [300, 40])     # bulk (trigger and indexes set aside) and per-row
def test_new_cases_are_written_during_the_check_and_indexed_whole(login, tmp_path, n):
    s = login("sam")
    before = _schema(s)
    at_load = []

    def steps(step):
        if step.phase == "load" and not at_load:
            at_load.append((s.conn.execute("SELECT count(*) FROM cases").fetchone()[0],
                            s.conn.execute("SELECT count(*) FROM temp.import_cases").fetchone()[0]))
    importing.run(s, *generate(n, seed=8).write_csv(tmp_path), steps=steps)
    assert at_load == [(n, 0)]                      # in the vault's table already, nothing staged
    assert _schema(s) == before                     # trigger and indexes as they were
    assert _indexed(s) == n                         # every new case in the full-text index
    for cid, word in _a_word_of_each(s)[:: max(1, n // 25)] + _a_word_of_each(s)[:1] + _a_word_of_each(s)[-1:]:
        hits = {r[0] for r in s.conn.execute("SELECT rowid FROM case_text WHERE case_text MATCH ?", (f'"{word}"',))}
        assert cid in hits, (cid, word)


def test_a_refused_import_leaves_no_case_and_the_schema_whole(login, tmp_path):
    s = login("sam")
    before = _schema(s)
    cases, nominals = generate(300, seed=8).write_csv(tmp_path)
    with open(cases, "a", encoding="utf-8") as f:     # a bad last row: the 300 before it were written
        f.write("CR/2099/999999,19D,x,not a date,2011-04-02,2012-01-15,NFA,r,DC 1,loc,Y,s\n")
    with pytest.raises(BadInput):
        importing.run(s, cases, nominals)
    assert s.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    assert _schema(s) == before and _indexed(s) == 0


def test_a_failed_import_after_the_check_leaves_no_case_and_no_person(login, tmp_path, monkeypatch):
    """Also for the new people written during the check (test_import_new_people_direct.py): 500 cases
    bring ~1,250 people, enough for their indexes to be set aside too."""
    s = login("sam")
    before, people_before = _schema(s), _people_schema(s)

    def fail(*a, **k):
        raise RuntimeError("the disk went away")
    monkeypatch.setattr(linking, "relink", fail)
    with pytest.raises(RuntimeError):
        importing.run(s, *generate(500, seed=8).write_csv(tmp_path))
    assert [s.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("cases", "nominals", "identifiers")] == [0, 0, 0]
    assert _schema(s) == before and _indexed(s) == 0
    assert _people_schema(s) == people_before


def test_a_second_import_adds_new_cases_beside_ones_it_had(login, tmp_path):
    s = login("sam")
    first = tmp_path / "first"
    importing.run(s, *generate(300, seed=8).write_csv(first))
    bigger = tmp_path / "bigger"
    second = importing.run(s, *generate(600, seed=8).write_csv(bigger))   # some refs again, many new
    total = s.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert second["cases_added"] == total - 300 > 300 and second["cases_updated"] + second["cases_unchanged"] > 0
    assert _indexed(s) == total
