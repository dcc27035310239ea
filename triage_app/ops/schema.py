"""Operations tables (migrations 50–59): MoPI retention, and audit trails received in case bundles."""
from __future__ import annotations

from triage_app.vault.migrations import migration

# Every case in this tool is a child sexual offence: MoPI group 1 (certain public protection
# matters), reviewed every 10 years from the NFA date. A trigger gives each new case its first
# review date, so no importer has to remember to; existing cases are filled in here.
migration(50, """
CREATE TABLE retention (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    mopi_group INTEGER NOT NULL DEFAULT 1,
    review_due TEXT,                        -- ISO date; NULL when the NFA date can't be read
    state TEXT NOT NULL DEFAULT 'retain' CHECK (state IN ('retain', 'disposal_pending'))
);
CREATE INDEX retention_due ON retention(review_due);
CREATE TABLE retention_decisions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    decision TEXT NOT NULL CHECK (decision IN ('retain', 'dispose')),
    decided_on TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    next_review TEXT
);
CREATE INDEX retention_decisions_case ON retention_decisions(case_id);
CREATE TRIGGER retention_new_case AFTER INSERT ON cases BEGIN
  INSERT INTO retention(case_id, review_due) VALUES (new.id, date(new.nfa_date, '+10 years'));
END;
-- A corrected NFA date moves the first review, but never one a person has already decided.
CREATE TRIGGER retention_nfa_changed AFTER UPDATE OF nfa_date ON cases
  WHEN NOT EXISTS (SELECT 1 FROM retention_decisions WHERE case_id = new.id) BEGIN
  UPDATE retention SET review_due = date(new.nfa_date, '+10 years') WHERE case_id = new.id;
END;
INSERT INTO retention(case_id, review_due) SELECT id, date(nfa_date, '+10 years') FROM cases;

-- Audit entries that came with a case bundle: the other vault's chain can't join ours, so they
-- are kept beside it, as received, and never edited.
CREATE TABLE bundles_received (
    id TEXT PRIMARY KEY,                    -- the bundle's own random id
    source_vault TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    exported_by TEXT NOT NULL,
    source_head_seq INTEGER NOT NULL,
    source_head_hash TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    cases_added INTEGER NOT NULL,
    conflicts TEXT NOT NULL DEFAULT '[]'    -- JSON list of {ref, what}
);
CREATE TABLE bundle_audit (
    bundle TEXT NOT NULL REFERENCES bundles_received(id),
    source_vault TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_ref TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (source_vault, seq)
);
CREATE INDEX bundle_audit_case ON bundle_audit(case_ref);
CREATE TRIGGER bundle_audit_no_update BEFORE UPDATE ON bundle_audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER bundle_audit_no_delete BEFORE DELETE ON bundle_audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
""")

# A backup is audited and journalled in one commit, then renamed into place; a kill between the two
# leaves a row here that the next unlock finishes (see ops/backup.py).
migration(51, """
CREATE TABLE IF NOT EXISTS pending_backups (
    partial TEXT PRIMARY KEY,
    final TEXT NOT NULL,
    created_at TEXT NOT NULL
);
""")


def _finish_backups(session) -> None:
    from triage_app.ops.backup import finish_pending_backups
    finish_pending_backups(session)


from triage_app.vault import on_open  # noqa: E402  (the vault package is loaded before its migrations)

on_open(_finish_backups)
