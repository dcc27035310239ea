"""Indexes set aside while a bulk write runs and built again after it, inside the same transaction.

Writing 100,000 rows into a table with five indexes updates each index once per row, in random
order; building the same index after the rows is one sort. So when an import writes at least as
many rows as a table already holds (a first import, or a large collection into a small vault),
its indexes are dropped for the write and re-made from their own stored SQL straight after (the
import's load, and triage.rescore when half the cases or more change). DDL
is transactional: a failure or a cancel restores them with everything else, and a reader in
another process sees the indexes as before (WAL: it reads the last committed schema).

An index that enforces a constraint written in the table (PRIMARY KEY, UNIQUE: SQLite's
autoindexes) is never touched; a CREATE UNIQUE INDEX made again still refuses duplicates.
"""
from __future__ import annotations

from contextlib import contextmanager


def on(conn, table: str, columns: set[str] | None = None) -> list[tuple[str, str]]:
    """(name, SQL) of the indexes on `table` that can be set aside; with `columns`, only those
    that hold one of them (an UPDATE of other columns leaves the rest alone anyway)."""
    out = []
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                  "AND sql IS NOT NULL ORDER BY name", (table,)).fetchall():
        if columns is not None:
            held = {r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')}
            if not held & columns:
                continue
        out.append((name, sql))
    return out


# Below this many rows the indexes are kept: the write is quick either way.
FROM_ROWS = 1000


def worth_it(conn, table: str, rows: int, share: float = 1.0) -> bool:
    """Whether writing `rows` rows is cheaper with the table's indexes built after: when they are
    at least `share` of the rows it holds (after an insert: of the rows it will hold)."""
    return rows >= FROM_ROWS and rows >= share * conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def drop(conn, indexes: list[tuple[str, str]]) -> None:
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')


def make(conn, indexes: list[tuple[str, str]]) -> None:
    for _, sql in indexes:
        conn.execute(sql)


@contextmanager
def set_aside(conn, indexes: list[tuple[str, str]]):
    """Drop `indexes` for the block, then make each again from its SQL. When the block fails the
    caller rolls back, which restores them (a CREATE then could itself be stopped by the cancel)."""
    drop(conn, indexes)
    yield
    make(conn, indexes)
