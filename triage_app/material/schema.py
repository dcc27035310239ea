"""Material tables (migrations 80–89): attachments with their content, intelligence items, and the
sanitisation decisions that let a C-coded item into a referral pack."""
from __future__ import annotations

from triage_app.vault.migrations import migration

# An attachment row outlives its content: removal deletes the content (secure_delete is on, so the
# freed pages are overwritten) and blanks the name and description, but keeps the hash, size and
# who added and removed it, so the record of what was held stays whole (the erasure entry keeps
# the hash too).
# Idempotent (IF NOT EXISTS): a vault from before the migration ledger runs every migration not in
# BEFORE_LEDGER again.
migration(80, """
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL,                     -- the file's name as given ('' once removed)
    description TEXT NOT NULL,              -- '' once removed
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'image', 'text', 'office')),
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    pages INTEGER,                          -- PDFs: pages at intake; images: 1
    chunks INTEGER NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    removed_by TEXT,
    removed_at TEXT
);
CREATE INDEX IF NOT EXISTS attachments_case ON attachments(case_id, removed_at);
CREATE TABLE IF NOT EXISTS attachment_content (
    attachment INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,                     -- chunk number from 0
    data BLOB NOT NULL,
    PRIMARY KEY (attachment, n)
);

-- Intelligence graded 3x5x2: source evaluation 1-3, intelligence assessment A-E, handling code
-- P (lawful sharing permitted) or C (lawful sharing permitted with conditions, which are required).
CREATE TABLE IF NOT EXISTS intel_items (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    nominal INTEGER REFERENCES nominals(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    item_date TEXT NOT NULL,
    source_grade TEXT NOT NULL CHECK (source_grade IN ('1', '2', '3')),
    intel_grade TEXT NOT NULL CHECK (intel_grade IN ('A', 'B', 'C', 'D', 'E')),
    handling TEXT NOT NULL CHECK (handling IN ('P', 'C')),
    conditions TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    CHECK ((handling = 'C') = (coalesce(conditions, '') <> ''))
);
CREATE INDEX IF NOT EXISTS intel_items_case ON intel_items(case_id);
CREATE INDEX IF NOT EXISTS intel_items_nominal ON intel_items(nominal);
CREATE TABLE IF NOT EXISTS intel_sanitisations (
    id INTEGER PRIMARY KEY,
    item INTEGER NOT NULL REFERENCES intel_items(id) ON DELETE CASCADE,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    text TEXT NOT NULL                      -- the wording a pack may carry
);
CREATE INDEX IF NOT EXISTS intel_sanitisations_item ON intel_sanitisations(item);
""")
