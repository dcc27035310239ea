"""Nothing in plaintext on disk; migrations; damaged, foreign and newer vaults."""
import os

import pytest

from tests.conftest import PASS
from triage_app.errors import VaultUnavailable
from triage_app.session import open_vault
from triage_app.vault import connection, migrations
from triage_app.vault.keyslots import KeyFile

MARKER = "ZQXJMARKER-case-text-7731"


def _insert_case(session, summary):
    with session.change("read", "test.insert", case="CR/2011/000001"):
        session.conn.execute(
            "INSERT INTO cases(ref, nfa_date, summary, nfa_rationale, imported_at, updated_at) "
            "VALUES ('CR/2011/000001', '2011-03-04', ?, ?, 'now', 'now')", (summary, summary))


def _scan(paths):
    found = []
    for p in paths:
        if p.exists():
            data = p.read_bytes()
            for enc in ("utf-8", "utf-16-le"):
                if MARKER.encode(enc) in data:
                    found.append((p.name, enc))
    return found


def test_no_case_text_in_plaintext_in_the_vault_or_its_wal(vault_path, login):
    s = login("sam")
    _insert_case(s, f"{MARKER} summary text " * 50)
    wal = vault_path.with_name(vault_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the change is in the WAL right now
    siblings = list(vault_path.parent.iterdir())
    assert _scan(siblings) == []
    # FTS finds it, so the marker really is in there, encrypted.
    assert s.conn.execute("SELECT count(*) FROM case_text WHERE case_text MATCH ?", (MARKER.split("-")[0],)).fetchone()[0] == 1
    s.close()
    assert _scan(list(vault_path.parent.iterdir())) == []


def test_memory_security_is_off_and_temp_store_in_memory(login):
    s = login("sam")        # memory security: docs/SECURITY.md §1, "Memory, core dumps and swap"
    assert str(s.conn.execute("PRAGMA cipher_memory_security").fetchone()[0]) == "0"
    assert s.conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_vault_from_an_older_schema_is_migrated_with_its_data(tmp_path):
    """Build a vault at schema 1 by hand, as an older version would have, then open it now."""
    from triage_app import audit
    from triage_app.vault.keyslots import CHEAP_KDF
    import secrets
    path = tmp_path / "old.db"
    key = bytearray(secrets.token_bytes(32))
    kf = KeyFile.new(path, CHEAP_KDF)
    kf.add_slot("ada", PASS["ada"], bytes(key), CHEAP_KDF)
    kf.save()
    conn = connection.connect(path, key, create=True)
    conn.execute("BEGIN")
    for stmt in migrations._statements(migrations.MIGRATIONS[1]):
        conn.execute(stmt)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta VALUES ('vault_id', ?)", (kf.vault_id,))
    conn.execute("INSERT INTO users VALUES ('ada', 'admin', 0, '2024-01-01', NULL)")
    head = audit.append(conn, "ada", "vault.create", "administration", None, {})
    conn.execute("COMMIT")
    conn.close()
    audit.write_head(path, key, kf.vault_id, head)

    s = open_vault(path, "ada", PASS["ada"])
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.latest()
    assert s.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0  # table now exists
    assert s.conn.execute("SELECT name FROM users").fetchall()[0][0] == "ada"
    assert s.verify_audit().ok
    s.close()


def test_a_vault_from_a_newer_version_is_refused_plainly(vault_path, login):
    s = login("ada")
    s.conn.execute(f"PRAGMA user_version = {migrations.latest() + 5}")
    s.close()
    with pytest.raises(VaultUnavailable, match="newer version"):
        open_vault(vault_path, "ada", PASS["ada"])


def test_flipped_bytes_are_reported_as_damage(vault_path):
    data = bytearray(vault_path.read_bytes())
    for i in range(0, len(data), 997):
        data[i] ^= 0xFF
    vault_path.write_bytes(bytes(data))
    with pytest.raises(VaultUnavailable, match="restore it from a backup"):
        open_vault(vault_path, "ada", PASS["ada"])


def test_a_foreign_file_is_refused(vault_path):
    vault_path.write_bytes(os.urandom(8192))
    with pytest.raises(VaultUnavailable):
        open_vault(vault_path, "ada", PASS["ada"])


def test_a_missing_vault_is_one_sentence(tmp_path):
    with pytest.raises(VaultUnavailable, match="There is no vault"):
        open_vault(tmp_path / "nope.db", "ada", PASS["ada"])


def test_a_damaged_key_file_is_one_sentence(vault_path):
    KeyFile.for_vault(vault_path).write_text("{not json")
    with pytest.raises(VaultUnavailable, match="key file"):
        open_vault(vault_path, "ada", PASS["ada"])


def test_a_migration_numbered_below_the_highest_applied_still_runs(vault_path, login, monkeypatch):
    """Capabilities number migrations in ranges, so a later release can add one below the top."""
    s = login("ada")
    top = s.conn.execute("PRAGMA user_version").fetchone()[0]
    s.close()
    monkeypatch.setitem(migrations.MIGRATIONS, 9, "CREATE TABLE late_arrival (x INTEGER);")
    s = open_vault(vault_path, "ada", PASS["ada"])
    assert s.conn.execute("SELECT count(*) FROM late_arrival").fetchone()[0] == 0
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == top
    assert s.conn.execute("SELECT 1 FROM schema_migrations WHERE number = 9").fetchone()
    s.close()


def test_a_vault_holding_an_unknown_migration_is_refused(vault_path, login):
    s = login("ada")
    s.conn.execute("INSERT INTO schema_migrations(number, applied_at) VALUES (8, 'future')")
    s.close()
    with pytest.raises(VaultUnavailable, match="newer version"):
        open_vault(vault_path, "ada", PASS["ada"])


def test_a_vault_from_before_the_ledger_gets_the_migrations_added_since(vault_path, login):
    """A vault whose schema was decided by user_version alone: migrations added later below its top
    (e.g. the FTS prefix index, 3) still run."""
    s = login("ada")
    s.conn.execute("DROP TABLE schema_migrations")
    s.conn.execute("DROP TABLE pending_backups")  # added after the ledger, like 3
    s.conn.execute("DROP TABLE link_models")      # and 22, 23 (linking, second generation)
    s.conn.execute("DROP TABLE link_features")
    for column in ("probability", "explanation", "model", "people"):
        s.conn.execute(f"ALTER TABLE links DROP COLUMN {column}")
    s.conn.execute("DROP TABLE pending_keyfiles")  # and 4 (key slots)
    s.conn.execute("ALTER TABLE users DROP COLUMN public_key")
    s.conn.execute("DROP TABLE case_text")
    s.conn.execute("CREATE VIRTUAL TABLE case_text USING fts5(summary, nfa_rationale, content='cases', content_rowid='id')")
    s.close()
    s = open_vault(vault_path, "ada", PASS["ada"])
    sql = s.one("SELECT sql FROM sqlite_master WHERE name = 'case_text'")[0]
    assert "prefix" in sql
    assert s.one("SELECT 1 FROM schema_migrations WHERE number = 3")
    assert s.one("SELECT count(*) FROM pending_backups")[0] == 0
    assert s.one("SELECT count(*) FROM link_models")[0] == 0
    assert s.one("SELECT count(*) FROM users WHERE public_key IS NULL")[0] == 0  # recorded again
    s.close()


def test_none_bytes_and_bool_are_bound_without_the_adapter_search(login):
    """None, bytes and bool have adapters of their own (vault/connection.py): the module's search for
    one (two failed attribute lookups, each an AttributeError made and dropped) is skipped, and what
    is stored is what it was without them: NULL, the same BLOB, 1 and 0."""
    import sqlcipher3
    proto = sqlcipher3.PrepareProtocol
    for kind in (type(None), bytes, bool):
        assert (kind, proto) in sqlcipher3.adapters, kind
    s = login("sam")
    conn = s.conn
    conn.execute("CREATE TEMP TABLE bound (v)")
    blob = b"\x00ab\xffc"
    conn.executemany("INSERT INTO bound VALUES (?)", [(None,), (blob,), (True,), (False,), ("text",), (7,)])
    got = conn.execute("SELECT typeof(v), v FROM bound ORDER BY rowid").fetchall()
    assert [tuple(r) for r in got] == [("null", None), ("blob", blob), ("integer", 1), ("integer", 0),
                                       ("text", "text"), ("integer", 7)]
    # str, int and float keep the direct path: no adapter is registered for a base type
    for kind in (str, int, float):
        assert (kind, proto) not in sqlcipher3.adapters
