"""New people go straight into `nominals`, and their phones and vehicles into `identifiers`, during the
check (stage.py), as new cases do: staged in TEMP they sat in memory under the link (a TEMP table's
pages stay until the transaction ends). Only changed people wait in TEMP, for the load to name the
changed fields. What the load did for the new ones must still happen exactly: the tables' indexes
back and consistent, every row there once, and nothing at all written when the import is refused or
fails (a failure after the check: test_import_new_cases_direct.py)."""
from __future__ import annotations

import csv

import pytest

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.errors import BadInput


def _schema(s) -> list[tuple]:
    return [tuple(r) for r in s.conn.execute("SELECT type, name, sql FROM sqlite_master "
                                             "WHERE tbl_name IN ('nominals', 'identifiers') ORDER BY type, name")]


def _count(s, table: str) -> int:
    return s.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _rows(path) -> int:
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


@pytest.mark.parametrize("n", [500, 40])     # bulk (~1,250 people: indexes set aside) and row by row
def test_new_people_are_written_during_the_check_with_their_identifiers(login, tmp_path, n):
    s = login("sam")
    before = _schema(s)
    at_load = []
    cases, nominals = generate(n, seed=8).write_csv(tmp_path)

    def steps(step):
        if step.phase == "load" and not at_load:
            at_load.append((_count(s, "nominals"), _count(s, "identifiers"),
                            _count(s, "temp.import_nominals"), _count(s, "temp.import_identifiers")))
    got = importing.run(s, cases, nominals, steps=steps)
    people = _rows(nominals)
    assert got["nominals_added"] == people == _count(s, "nominals")
    held = _count(s, "identifiers")
    assert held > n // 4                                       # phones and vehicles recorded
    assert at_load == [(people, held, 0, 0)]                   # in the vault's tables already, nothing staged
    assert _schema(s) == before                                # their indexes as they were
    assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"   # and holding every row
    assert s.conn.execute("SELECT count(*) FROM identifiers i LEFT JOIN nominals n ON n.id = i.nominal "
                          "WHERE n.id IS NULL").fetchone()[0] == 0
    # the people by their case and key, through the index the linker and the screens use
    for cid, key in s.conn.execute("SELECT case_id, natural_key FROM nominals ORDER BY id").fetchall()[::7]:
        assert s.conn.execute("SELECT count(*) FROM nominals INDEXED BY nominals_key WHERE case_id = ? AND natural_key = ?",
                              (cid, key)).fetchone()[0] == 1
    again = importing.run(s, cases, nominals)                  # the same files: nothing new or changed
    assert again["nominals_unchanged"] == people and again["nominals_added"] == again["nominals_updated"] == 0
    assert _count(s, "identifiers") == held


def test_people_added_to_cases_already_in_the_vault_go_in_directly_too(login, tmp_path):
    s = login("sam")
    cases, nominals = generate(300, seed=8).write_csv(tmp_path)
    importing.run(s, cases, nominals)
    with open(nominals, encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    with open(nominals, "a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow([first["crime_ref"], "", "suspect", "Newcombe", "Tobias", "1981-02-03", "M", "",
                                "4 Quarry Lane", "LS6 2QT", "07700 900987", "YX19 KLM"])
    before = _count(s, "nominals")
    got = importing.run(s, cases, nominals)
    assert got["nominals_added"] == 1 and got["cases_updated"] == 0
    nid, cid = s.conn.execute("SELECT id, case_id FROM nominals WHERE surname = 'Newcombe'").fetchone()
    assert _count(s, "nominals") == before + 1
    assert {r[0] for r in s.conn.execute("SELECT kind FROM identifiers WHERE nominal = ?", (nid,))} == {"phone", "vehicle", "address"}
    ref = s.conn.execute("SELECT ref FROM cases WHERE id = ?", (cid,)).fetchone()[0]
    assert ref == first["crime_ref"]
    assert s.conn.execute("SELECT count(*) FROM audit WHERE action = 'import.update' AND case_ref = ?",
                          (ref,)).fetchone()[0] == 1          # the case's change is audited as before


def test_a_refused_import_leaves_no_person_and_the_schema_whole(login, tmp_path):
    s = login("sam")
    before = _schema(s)
    cases, nominals = generate(500, seed=8).write_csv(tmp_path)
    with open(nominals, "a", encoding="utf-8") as f:     # a bad last row: the ~1,250 before it were written
        f.write("CR/2099/999999,,victim,Nobody,Anne,1990-01-01,F,,,,,\n")
    with pytest.raises(BadInput):
        importing.run(s, cases, nominals)
    assert _count(s, "nominals") == _count(s, "identifiers") == _count(s, "cases") == 0
    assert _schema(s) == before

