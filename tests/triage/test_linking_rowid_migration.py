"""Migration 26: `links` becomes a rowid table (its ~1 KB rows spilled into overflow pages as a
WITHOUT ROWID table). A vault that had the old table opens with every row as it was, its index on
case_b, and its links still going with their case (ON DELETE CASCADE)."""
from tests.conftest import PASS
from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.session import open_vault

_COLUMNS = "case_a, case_b, strength, basis, suspect_a, suspect_b, evidence, probability, explanation, model, people"
_OLD = """CREATE TABLE links (
    case_a INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    case_b INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    strength TEXT NOT NULL CHECK (strength IN ('strong', 'possible')),
    basis TEXT NOT NULL, suspect_a INTEGER NOT NULL DEFAULT 0, suspect_b INTEGER NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL DEFAULT '[]', probability REAL, explanation TEXT NOT NULL DEFAULT '[]', model INTEGER,
    people TEXT NOT NULL DEFAULT '[]', PRIMARY KEY (case_a, case_b), CHECK (case_a < case_b)) WITHOUT ROWID"""


def _links(s):
    return [tuple(r) for r in s.conn.execute(f"SELECT {_COLUMNS} FROM links ORDER BY case_a, case_b")]


def _table_sql(s) -> str:
    return s.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'links'").fetchone()[0]


def test_an_old_vaults_links_move_to_a_rowid_table_whole(login, vault_path, tmp_path):
    s = login("sam")
    importing.run(s, *generate(120, seed=6).write_csv(tmp_path))
    before = _links(s)
    assert len(before) > 10 and "WITHOUT ROWID" not in _table_sql(s)      # a new vault has it already
    # the vault as it was before migration 26
    s.conn.execute("BEGIN IMMEDIATE")
    s.conn.execute("ALTER TABLE links RENAME TO links_new")
    s.conn.execute(_OLD)
    s.conn.execute(f"INSERT INTO links SELECT {_COLUMNS} FROM links_new")
    s.conn.execute("DROP TABLE links_new")
    s.conn.execute("CREATE INDEX links_b ON links(case_b)")
    s.conn.execute("DELETE FROM schema_migrations WHERE number = 26")
    s.conn.execute("COMMIT")
    assert "WITHOUT ROWID" in _table_sql(s)
    s.close()

    s = open_vault(vault_path, "sam", PASS["sam"])
    try:
        assert "WITHOUT ROWID" not in _table_sql(s)
        assert _links(s) == before
        assert s.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'links_b'").fetchone()
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = {(r["from"], r["table"], r["to"], r["on_delete"]) for r in s.conn.execute("PRAGMA foreign_key_list(links)")}
        assert fks == {("case_a", "cases", "id", "CASCADE"), ("case_b", "cases", "id", "CASCADE")}
    finally:
        s.close()
