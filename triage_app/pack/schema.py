"""The packs table (migrations 40–49): every referral pack this vault issued, by the SHA-256 of its
bytes, so `verify-pack` can say whether a file is exactly one of them.

Issued packs are never edited or deleted (a later pack is a new version); the triggers hold that
even against a slip in some future code path.
"""
from triage_app.vault.migrations import migration

migration(40, """
CREATE TABLE packs (
    pack_id TEXT PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    case_ref TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    review_id INTEGER NOT NULL,
    review_version INTEGER NOT NULL,
    identity TEXT NOT NULL CHECK (identity IN ('initials', 'full')),
    recipient TEXT NOT NULL,
    justification TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    audit_seq INTEGER NOT NULL,             -- the disclosure entry that records this issue
    head_seq INTEGER NOT NULL,              -- the audit chain head printed in the pack
    head_hash TEXT NOT NULL,
    UNIQUE (case_id, version)
);
CREATE INDEX packs_sha256 ON packs(sha256);
CREATE TRIGGER packs_no_update BEFORE UPDATE ON packs BEGIN SELECT RAISE(ABORT, 'issued packs are never edited'); END;
CREATE TRIGGER packs_no_delete BEFORE DELETE ON packs BEGIN SELECT RAISE(ABORT, 'issued packs are never deleted'); END;
""")
