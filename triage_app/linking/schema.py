"""Tables of the linking capability (migrations 20–29; 20–26 used).

`links` holds one row per pair of cases (case_a < case_b by id) that share a phone, vehicle,
address or person, with the nominal pairs behind it (`evidence`, for the link chart);
`link_judgements` a reviewer's confirmation or rejection of a pair, kept apart so that recomputing
links never loses a judgement and a rejected pair is never suggested again.
"""
from triage_app.vault.migrations import migration

migration(20, """
CREATE TABLE links (
    case_a INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    case_b INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    strength TEXT NOT NULL CHECK (strength IN ('strong', 'possible')),
    basis TEXT NOT NULL,                    -- JSON list of text
    suspect_a INTEGER NOT NULL DEFAULT 0,   -- a suspect on case_a is part of the link
    suspect_b INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_a, case_b),
    CHECK (case_a < case_b)
) WITHOUT ROWID;
CREATE INDEX links_b ON links(case_b);

CREATE TABLE link_evidence (
    case_a INTEGER NOT NULL,
    case_b INTEGER NOT NULL,
    nominal_a INTEGER NOT NULL REFERENCES nominals(id) ON DELETE CASCADE,
    nominal_b INTEGER NOT NULL REFERENCES nominals(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('phone', 'vehicle', 'address', 'person')),
    value TEXT NOT NULL,                    -- the shared identifier, or the basis of a person match
    strength TEXT NOT NULL CHECK (strength IN ('strong', 'possible'))
);
CREATE INDEX link_evidence_pair ON link_evidence(case_a, case_b);
CREATE INDEX link_evidence_b ON link_evidence(case_b);
CREATE INDEX link_evidence_na ON link_evidence(nominal_a);
CREATE INDEX link_evidence_nb ON link_evidence(nominal_b);

CREATE TABLE link_judgements (
    case_a INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    case_b INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    judgement TEXT NOT NULL CHECK (judgement IN ('confirmed', 'rejected')),
    reason TEXT NOT NULL,
    judged_by TEXT NOT NULL,
    judged_at TEXT NOT NULL,
    PRIMARY KEY (case_a, case_b),
    CHECK (case_a < case_b)
) WITHOUT ROWID;
""")

# Evidence moves into its link's row: one row written per link instead of one per nominal pair
# (every row written costs dearly under SQLCipher's memory security).
migration(21, """
ALTER TABLE links ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';  -- JSON [[nominal_a, nominal_b, kind, value, strength]]
DROP TABLE link_evidence;
""")

# Links of the second generation (issue 14): each link keeps its match probability (the best pair
# of nominals behind it; 1 for a shared identifier), its explanation (every comparison's level and
# weight, structured: [{"nominals", "roles", "probability", "items": [[comparison, level, weight]]}]
# — display values are never stored, so every output can minimise), the version of the model that
# scored it, and the probability of each pair of nominals behind it ([[nominal_a, nominal_b, p]]).
# `link_models` keeps every estimate of the model's parameters, so a probability can be reproduced.
migration(22, """
ALTER TABLE links ADD COLUMN probability REAL;
ALTER TABLE links ADD COLUMN explanation TEXT NOT NULL DEFAULT '[]';
ALTER TABLE links ADD COLUMN model INTEGER;
ALTER TABLE links ADD COLUMN people TEXT NOT NULL DEFAULT '[]';
CREATE TABLE link_models (
    version INTEGER PRIMARY KEY,
    estimated_at TEXT NOT NULL,
    nominals INTEGER NOT NULL,
    params TEXT NOT NULL              -- JSON: lambda, m, u, tf, thresholds, levels
);
""")

# The linker's columns of every nominal, kept between relinks (linking/cache.py): one row.
migration(23, """
CREATE TABLE link_features (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format INTEGER NOT NULL,
    nominals INTEGER NOT NULL,
    max_id INTEGER NOT NULL,
    vocabularies TEXT NOT NULL,       -- JSON: words, sounds, postcodes, addresses
    arrays BLOB NOT NULL              -- numpy .npz (no pickles), one array per column
);
""")

# Links made before the second-generation linker (migration 22) have no probability, explanation or
# model: they would read as probability 1 (strong) or 0.5 (possible) until the next import. An
# upgrade marks them for one full relink, done at the next unlock by someone who may import
# (`relink_if_due`, audited), or by the next import, whichever comes first.
migration(24, """
CREATE TABLE IF NOT EXISTS link_relink_due (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    reason TEXT NOT NULL,
    marked_at TEXT NOT NULL
);
INSERT OR IGNORE INTO link_relink_due(id, reason, marked_at)
    SELECT 1, 'links made before the second-generation linker', datetime('now')
    WHERE EXISTS (SELECT 1 FROM links WHERE model IS NULL);
""")


# A digest per link of what its row was built from (linking/digests.py): a relink reuses a row whose
# digest and stored text are unchanged instead of wording it again. Only a cache: one row.
migration(25, """
CREATE TABLE IF NOT EXISTS link_digests (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format INTEGER NOT NULL,
    arrays BLOB NOT NULL              -- numpy .npz (no pickles): case_a, case_b, digest, row
);
""")

# `links` becomes an ordinary (rowid) table. A link's row is ~1 KB of text (its basis, evidence and
# explanation; 100k cases: 74,696 rows, mean 1,069 bytes, 33,294 over 1,000): in a WITHOUT ROWID
# table a row over ~1/4 of a page spills into an overflow page of its own, so the table took 50,129
# pages, and 24,696 as a rowid table, with its key in a small index beside it. Inserting the rows of
# a first link: 1.7 -> 0.95 CPU s; a link read by its cases 2-3x faster (/tmp bench in the commit).
migration(26, """
CREATE TABLE links_by_rowid (
    case_a INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    case_b INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    strength TEXT NOT NULL CHECK (strength IN ('strong', 'possible')),
    basis TEXT NOT NULL,                    -- JSON list of text
    suspect_a INTEGER NOT NULL DEFAULT 0,   -- a suspect on case_a is part of the link
    suspect_b INTEGER NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL DEFAULT '[]',    -- JSON [[nominal_a, nominal_b, kind, value, strength]]
    probability REAL,
    explanation TEXT NOT NULL DEFAULT '[]',
    model INTEGER,
    people TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (case_a, case_b),
    CHECK (case_a < case_b)
);
INSERT INTO links_by_rowid (case_a, case_b, strength, basis, suspect_a, suspect_b, evidence, probability,
                            explanation, model, people)
    SELECT case_a, case_b, strength, basis, suspect_a, suspect_b, evidence, probability, explanation, model, people
    FROM links ORDER BY case_a, case_b;
DROP TABLE links;
ALTER TABLE links_by_rowid RENAME TO links;
CREATE INDEX links_b ON links(case_b);
""")


def _relink_if_due(session) -> None:
    from triage_app.linking.upgrade import relink_if_due
    relink_if_due(session)


from triage_app.vault import on_open  # noqa: E402  (the vault package is loaded before its migrations)

on_open(_relink_if_due)
