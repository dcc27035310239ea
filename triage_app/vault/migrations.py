"""Forward-only schema migrations, keyed by number; each runs in one transaction.

Capabilities keep their own ranges (1–9 foundation and cases, 10–19 import, 20–29 triage/linking,
30–39 review, 40–49 pack, 50–59 operations, 60–69 desktop), so numbers leave gaps and a new one may
land below the highest applied: the `schema_migrations` ledger records which ran. A vault holding a
number this version doesn't know (or a higher `user_version`) was written by a newer version and is
refused.
"""
from __future__ import annotations

from triage_app.errors import VaultUnavailable

MIGRATIONS: dict[int, str] = {}


def migration(number: int, sql: str) -> None:
    if number in MIGRATIONS:
        raise RuntimeError(f"migration {number} defined twice")
    MIGRATIONS[number] = sql


migration(1, """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('reviewer', 'supervisor', 'admin')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_ref TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_case ON audit(case_ref);
-- Append-only in normal use. An insider with the key can drop these; the hash chain and the
-- authenticated head outside the database are what catch that.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
""")

migration(2, """
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    offence_code TEXT,
    offence_description TEXT,
    offence_date TEXT,
    reported_date TEXT,
    nfa_date TEXT NOT NULL,
    outcome_code TEXT,
    nfa_rationale TEXT,
    officer_in_case TEXT,
    location TEXT,
    exhibits_retained TEXT CHECK (exhibits_retained IN ('yes', 'no', 'unknown')),
    summary TEXT,
    previously_reviewed INTEGER,            -- 1 / 0 / NULL (unknown)
    extra TEXT NOT NULL DEFAULT '{}',       -- other recorded fields, JSON object, kept as given
    source_hash TEXT,                       -- of the imported row, for idempotent re-import
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- maintained by the core, never by an import:
    victim_age INTEGER,                     -- youngest victim's age at the offence
    priority INTEGER NOT NULL DEFAULT 0,
    priority_factors TEXT NOT NULL DEFAULT '[]',
    beaconport INTEGER,                     -- 1 / 0 / NULL
    csarp INTEGER,
    eligibility_why TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'not_started',
    assigned_to TEXT
);
CREATE INDEX cases_queue ON cases(priority DESC, nfa_date, ref);
CREATE INDEX cases_status ON cases(status, priority DESC);
CREATE INDEX cases_assigned ON cases(assigned_to);

CREATE TABLE nominals (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    nominal_id TEXT,                        -- the records system's person id, when given
    role TEXT NOT NULL CHECK (role IN ('victim', 'suspect', 'witness', 'other')),
    surname TEXT,
    forenames TEXT,
    name_norm TEXT,                         -- normalised 'forenames surname', lower case
    dob TEXT,
    gender TEXT,
    ethnicity TEXT,
    address TEXT,
    postcode TEXT,
    phones TEXT,                            -- as recorded
    vehicles TEXT,                          -- as recorded
    age_at_offence INTEGER,
    extra TEXT NOT NULL DEFAULT '{}',
    source_hash TEXT,
    natural_key TEXT NOT NULL               -- nominal_id, or role|name_norm|dob: known on re-import
);
CREATE INDEX nominals_case ON nominals(case_id);
CREATE UNIQUE INDEX nominals_key ON nominals(case_id, natural_key);

-- Normalised identifiers for linking: kind is 'phone' (+44…), 'vehicle' (upper, no spaces),
-- 'address' (normalised address + postcode).
CREATE TABLE identifiers (
    nominal INTEGER NOT NULL REFERENCES nominals(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (nominal, kind, value)
) WITHOUT ROWID;
CREATE INDEX identifiers_value ON identifiers(kind, value);

CREATE VIRTUAL TABLE case_text USING fts5(summary, nfa_rationale, content='cases', content_rowid='id',
                                          tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER cases_ai AFTER INSERT ON cases BEGIN
  INSERT INTO case_text(rowid, summary, nfa_rationale) VALUES (new.id, new.summary, new.nfa_rationale);
END;
CREATE TRIGGER cases_ad AFTER DELETE ON cases BEGIN
  INSERT INTO case_text(case_text, rowid, summary, nfa_rationale) VALUES ('delete', old.id, old.summary, old.nfa_rationale);
END;
CREATE TRIGGER cases_au AFTER UPDATE OF summary, nfa_rationale ON cases BEGIN
  INSERT INTO case_text(case_text, rowid, summary, nfa_rationale) VALUES ('delete', old.id, old.summary, old.nfa_rationale);
  INSERT INTO case_text(rowid, summary, nfa_rationale) VALUES (new.id, new.summary, new.nfa_rationale);
END;
""")

# Search-as-you-type asks for word prefixes ("lifest*"); prefix indexes of 2–4 characters answer
# them from the index instead of scanning every term.
migration(3, """
DROP TABLE case_text;
CREATE VIRTUAL TABLE case_text USING fts5(summary, nfa_rationale, content='cases', content_rowid='id',
                                          tokenize='unicode61 remove_diacritics 2', prefix='2 3 4');
INSERT INTO case_text(case_text) VALUES ('rebuild');
""")

# Key slots (issue 13): each user's public half is recorded inside the encrypted database, so a
# re-key seals the new key only to slots that match it; a key-file change commits a journal row
# with its audit entry before the file is renamed into place (vault/keychange.py).
migration(4, """
ALTER TABLE users ADD COLUMN public_key TEXT;
CREATE TABLE pending_keyfiles (
    token TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
""")


def _load_capability_migrations() -> None:
    # Capabilities register their own migrations on import; import them here so every opening of
    # a vault sees the whole schema, whichever face opened it.
    import importlib
    for name in ("triage_app.importing.schema", "triage_app.linking.schema", "triage_app.review.schema",
                 "triage_app.pack.schema", "triage_app.ops.schema", "triage_app.gui.schema",
                 "triage_app.chronology.schema", "triage_app.material.schema"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise


def latest() -> int:
    _load_capability_migrations()
    return max(MIGRATIONS)


def migrate(conn, path) -> int:
    """Bring the schema up to date; refuse a vault written by a newer version."""
    top = latest()
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    applied = _ledger(conn, current)
    unknown = applied - set(MIGRATIONS)
    if current > top or unknown:
        raise VaultUnavailable(f"The vault {path} was written by a newer version of triage-app; "
                               "install that version to open it.")
    for number in sorted(set(MIGRATIONS) - applied):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Checked again inside the lock: another process may have just applied it.
            if conn.execute("SELECT 1 FROM schema_migrations WHERE number = ?", (number,)).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations(number, applied_at) VALUES (?, datetime('now'))", (number,))
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {max(version, number)}")
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
    return top


# The migrations that existed when the ledger came in (user_version alone decided then); later ones,
# even when numbered lower, are applied to such a vault.
BEFORE_LEDGER = frozenset({1, 2, 20, 21, 30, 40, 50, 60, 61})


def _ledger(conn, current: int) -> set[int]:
    """The numbers applied so far. Capabilities number in ranges, so a later release may add a
    migration below the highest applied one: the ledger, not user_version alone, says what ran.
    A vault from before the ledger ran those of `BEFORE_LEDGER` up to its user_version."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if not exists:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            conn.executemany("INSERT OR IGNORE INTO schema_migrations(number, applied_at) VALUES (?, 'before the ledger')",
                             [(n,) for n in BEFORE_LEDGER if n <= current])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
    return {r[0] for r in conn.execute("SELECT number FROM schema_migrations")}


def _statements(sql: str):
    """Split a migration into statements (triggers hold ';' inside BEGIN … END)."""
    import sqlite3
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()
