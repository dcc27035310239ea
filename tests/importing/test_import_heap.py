"""An import hands the C heap's free pages back (linking/heap.py) once the score and the index builds
are done, before its transaction commits: the commit's writing otherwise peaks on top of all the
score freed (100k cases: the import's peak memory). After the transaction, the staging's TEMP pages
and the heap's free pages go back again (vault/connection.py release_temp)."""
from __future__ import annotations

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.linking import heap
from triage_app.vault import indexes


def test_the_heap_is_trimmed_after_the_score_and_before_the_commit(login, tmp_path, monkeypatch):
    files = generate(40, seed=7).write_csv(tmp_path)
    s = login("sam")
    phases: list[str] = []
    trims: list[tuple] = []

    def steps(step):
        phases.append(f"{step.phase} ended" if step.ended else step.phase)

    make = indexes.make
    monkeypatch.setattr(heap, "trim", lambda: trims.append(("trim", phases[-1], s.conn.in_transaction)) or True)
    monkeypatch.setattr(indexes, "make", lambda *a, **k: trims.append(("make", phases[-1], True)) or make(*a, **k))
    importing.run(s, *files, steps=steps)
    # last of the transaction's work: in the score phase, after the index builds, the transaction open
    inside = [t for t in trims if t[2]]
    assert inside[-1] == ("trim", "score", True)
    assert any(t[0] == "make" for t in trims)
    # and once more after the commit, with the staging's pages handed back (below)
    assert trims[-1] == ("trim", "score ended", False)


def _temp_pages(s) -> int:
    return s.conn.execute("PRAGMA temp.page_count").fetchone()[0]


def _changed(path, column: str, value: str):
    """The CSV at `path` rewritten with every row's `column` set to `value` (each row then changes)."""
    import csv
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows({**r, column: value} for r in rows)


def test_the_staging_pages_go_back_after_the_import(login, tmp_path):
    """A dropped TEMP table's pages stay with an in-memory connection until it closes unless the
    temp database is vacuumed (100k cases: ~170 MB held by the desktop after its import). A first
    import stages next to nothing (new cases and people go straight to their tables); a re-import
    whose every person changed stages them all."""
    cases, nominals = generate(300, seed=7).write_csv(tmp_path)
    s = login("sam")
    assert s.conn.execute("PRAGMA temp.auto_vacuum").fetchone()[0] == 2   # incremental, from the start
    during = []
    importing.run(s, cases, nominals, steps=lambda step: step.phase == "link" and during.append(_temp_pages(s)))
    assert during and during[0] <= 8                 # nothing staged but the empty tables
    _changed(nominals, "ethnicity", "W9")
    during.clear()
    got = importing.run(s, cases, nominals, steps=lambda step: step.phase == "link" and during.append(_temp_pages(s)))
    assert got["nominals_updated"] > 500
    assert during and during[0] > 20                # the staging (the changed nominals) was there while it ran
    assert _temp_pages(s) <= 2                       # and is handed back: nothing but the temp schema
    assert s.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 300
    assert s.conn.execute("SELECT count(DISTINCT ethnicity) FROM nominals").fetchone()[0] == 1


def test_the_pages_go_back_after_a_failed_import_too(login, tmp_path, monkeypatch):
    import pytest
    from triage_app import linking
    files = generate(300, seed=7).write_csv(tmp_path)
    s = login("sam")
    released = []
    release = importing.release_temp
    monkeypatch.setattr(importing, "release_temp", lambda conn: released.append(conn.in_transaction) or release(conn))

    def fail(*a, **k):
        raise RuntimeError("the disk went away")
    monkeypatch.setattr(linking, "relink", fail)
    with pytest.raises(RuntimeError, match="the disk went away"):
        importing.run(s, *files)
    assert released == [False]                       # once, after the roll-back
    assert _temp_pages(s) <= 2
    assert s.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
