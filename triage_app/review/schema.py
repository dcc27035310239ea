"""Review tables (migrations 30–39).

The workflow enforces the rules; the triggers here are a second line, so that no code path (a
future screen, a slip in a helper) can edit a submitted or approved review or open two live
reviews of one case.
"""
from triage_app.vault.migrations import migration

migration(30, """
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    state TEXT NOT NULL CHECK (state IN ('in_review', 'submitted', 'returned', 'approved')),
    author TEXT NOT NULL,
    checklist_id TEXT NOT NULL,
    checklist_version INTEGER NOT NULL,
    recommendation TEXT CHECK (recommendation IN ('reopen', 'refer', 'confirm-nfa')),
    rationale TEXT,
    started_at TEXT NOT NULL,
    submitted_at TEXT,
    decided_at TEXT,
    UNIQUE (case_id, version)
);
-- At most one review of a case is still being worked on; earlier versions are all approved.
CREATE UNIQUE INDEX reviews_one_live ON reviews(case_id) WHERE state != 'approved';
CREATE INDEX reviews_state ON reviews(state);

CREATE TABLE review_answers (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    item_id TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'na')),
    note TEXT,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (review_id, item_id)
);

CREATE TABLE review_inquiries (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    rationale TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in-progress', 'done', 'dropped')),
    owner TEXT,
    from_item TEXT,                          -- the checklist item whose answer suggested it
    raised_at TEXT NOT NULL,
    PRIMARY KEY (review_id, number)
);

CREATE TABLE review_contacts (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    contact_date TEXT NOT NULL,
    method TEXT NOT NULL,
    outcome TEXT NOT NULL,
    wishes TEXT,
    support_offered TEXT NOT NULL DEFAULT '[]',   -- JSON list: 'isva', 'ictg'
    recorded_at TEXT NOT NULL
);
CREATE INDEX review_contacts_review ON review_contacts(review_id);

CREATE TABLE review_decisions (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'return')),
    by_user TEXT NOT NULL,
    by_role TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    comment TEXT,
    snapshot TEXT NOT NULL,                  -- JSON of the review as decided, for the diff on resubmission
    CHECK (decision = 'approve' OR length(trim(coalesce(comment, ''))) > 0)
);
CREATE INDEX review_decisions_review ON review_decisions(review_id);

CREATE TRIGGER reviews_approved_frozen BEFORE UPDATE ON reviews WHEN OLD.state = 'approved'
BEGIN SELECT RAISE(ABORT, 'an approved review is never edited'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are never deleted'); END;

CREATE TRIGGER answers_live_ins BEFORE INSERT ON review_answers
WHEN (SELECT state FROM reviews WHERE id = NEW.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;
CREATE TRIGGER answers_live_upd BEFORE UPDATE ON review_answers
WHEN (SELECT state FROM reviews WHERE id = OLD.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;
CREATE TRIGGER answers_live_del BEFORE DELETE ON review_answers
WHEN (SELECT state FROM reviews WHERE id = OLD.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;

CREATE TRIGGER inquiries_live_ins BEFORE INSERT ON review_inquiries
WHEN (SELECT state FROM reviews WHERE id = NEW.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;
CREATE TRIGGER inquiries_live_upd BEFORE UPDATE ON review_inquiries
WHEN (SELECT state FROM reviews WHERE id = OLD.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;
CREATE TRIGGER inquiries_live_del BEFORE DELETE ON review_inquiries
WHEN (SELECT state FROM reviews WHERE id = OLD.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;

CREATE TRIGGER contacts_live_ins BEFORE INSERT ON review_contacts
WHEN (SELECT state FROM reviews WHERE id = NEW.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;
CREATE TRIGGER contacts_live_upd BEFORE UPDATE ON review_contacts
WHEN (SELECT state FROM reviews WHERE id = OLD.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;
CREATE TRIGGER contacts_live_del BEFORE DELETE ON review_contacts
WHEN (SELECT state FROM reviews WHERE id = OLD.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are never edited'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;
""")

# Proposed answers keep their provenance (migration 31, the proposals range 31–34).
import triage_app.review.proposals.schema  # noqa: E402,F401
