"""The check writes its rows a hundred to a statement (stage.py, `_Insert`): every row must land once,
in order, whatever the count, and a row the table refuses must still fail the write."""
from __future__ import annotations

import pytest
import sqlcipher3

from triage_app.importing import stage


def _table():
    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT CHECK (b IN ('x', 'y')), c)")
    return conn


@pytest.mark.parametrize("n", [0, 1, 99, 100, 101, 250, 2000])
def test_every_row_lands_once_in_order(n):
    conn = _table()
    rows = [(i + 1, f"row {i}", "xy"[i % 2], None if i % 3 else i * 1.5) for i in range(n)]
    stage._Insert("INSERT INTO t (id, a, b, c)", 4)(conn, rows)
    assert conn.execute("SELECT id, a, b, c FROM t ORDER BY rowid").fetchall() == rows


def test_or_ignore_still_skips_each_repeated_row_alone():
    conn = _table()
    rows = [(i % 150 + 1, f"row {i % 150}", "x", i % 150) for i in range(300)]     # each id twice
    stage._Insert("INSERT OR IGNORE INTO t (id, a, b, c)", 4)(conn, rows)
    assert conn.execute("SELECT id, a, b, c FROM t ORDER BY id").fetchall() == rows[:150]


@pytest.mark.parametrize("bad", [5, 250])       # in a statement of a hundred, and in the rest
def test_a_refused_row_fails_the_write(bad):
    conn = _table()
    rows = [(i + 1, "r", "z" if i == bad else "x", 0) for i in range(260)]
    with pytest.raises(sqlcipher3.IntegrityError):
        stage._Insert("INSERT INTO t (id, a, b, c)", 4)(conn, rows)
