"""Tables of the chronology (migrations 70–79).

`chronology_events` holds the events a reviewer put on a case's chronology: added by hand (origin
'added': date, what happened, source) or confirmed from a date found in the case's free text (origin
'text': which field and where, so the same proposal is not offered again). Rows are never edited.
`chronology_dismissed` remembers proposals a reviewer turned down, so they are not offered again.
Events drawn from the crime record and the review (offence, report, NFA, review steps) are read
where they live and never copied here. Statements say IF NOT EXISTS: a vault from before the
migration ledger (numbered by user_version alone) may run this migration again.
"""
from triage_app.vault.migrations import migration

migration(70, """
CREATE TABLE IF NOT EXISTS chronology_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    event_date TEXT NOT NULL,               -- ISO YYYY-MM-DD
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('added', 'text')),
    field TEXT,                             -- origin 'text': the case field the date was found in
    start INTEGER,                          -- and where in it
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    CHECK (origin = 'added' OR (field IS NOT NULL AND start IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS chronology_events_case ON chronology_events(case_id, event_date);
CREATE TRIGGER IF NOT EXISTS chronology_events_frozen BEFORE UPDATE ON chronology_events
BEGIN SELECT RAISE(ABORT, 'a chronology event is never edited'); END;

CREATE TABLE IF NOT EXISTS chronology_dismissed (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    start INTEGER NOT NULL,
    event_date TEXT NOT NULL,
    dismissed_by TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (case_id, field, start, event_date)
) WITHOUT ROWID;
""")
