"""Migration 31 (review's proposals range 31–34): where an answer confirmed from a proposal keeps
the rule that proposed it, the rules and checklist versions, and the evidence as the reviewer saw it.

The answer itself stays in `review_answers`, like any answer. A later change of that answer (typed
otherwise, withdrawn) drops its provenance row by trigger, so a row here always describes the
answer that stands; accepting a proposal writes the answer first, then the row.

Idempotent (IF NOT EXISTS): a vault from before the migration ledger runs every migration added
since, this one included, whatever it already holds.
"""
from triage_app.vault.migrations import migration

migration(31, """
CREATE TABLE IF NOT EXISTS review_answer_proposals (
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    item_id TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'na')),
    rule TEXT NOT NULL,
    rules_id TEXT NOT NULL,
    rules_version INTEGER NOT NULL,
    checklist_id TEXT NOT NULL,
    checklist_version INTEGER NOT NULL,
    evidence TEXT NOT NULL,                 -- JSON [{source, text, highlight}] as shown when confirmed
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (review_id, item_id)
);

CREATE TRIGGER IF NOT EXISTS answer_proposal_live_ins BEFORE INSERT ON review_answer_proposals
WHEN (SELECT state FROM reviews WHERE id = NEW.review_id) NOT IN ('in_review')
BEGIN SELECT RAISE(ABORT, 'only a review in progress is edited'); END;
CREATE TRIGGER IF NOT EXISTS answer_proposal_matches BEFORE INSERT ON review_answer_proposals
WHEN NOT EXISTS (SELECT 1 FROM review_answers WHERE review_id = NEW.review_id AND item_id = NEW.item_id
                 AND answer = NEW.answer)
BEGIN SELECT RAISE(ABORT, 'a proposal is recorded only with the answer it proposed'); END;
CREATE TRIGGER IF NOT EXISTS answer_proposal_no_update BEFORE UPDATE ON review_answer_proposals
BEGIN SELECT RAISE(ABORT, 'a confirmed proposal is never edited'); END;

-- A new or changed answer ends its provenance (a note edited beside it does not); accepting a
-- proposal writes the row after the answer.
CREATE TRIGGER IF NOT EXISTS answer_written_ins AFTER INSERT ON review_answers
BEGIN DELETE FROM review_answer_proposals WHERE review_id = NEW.review_id AND item_id = NEW.item_id; END;
CREATE TRIGGER IF NOT EXISTS answer_written_upd AFTER UPDATE OF answer ON review_answers WHEN OLD.answer != NEW.answer
BEGIN DELETE FROM review_answer_proposals WHERE review_id = NEW.review_id AND item_id = NEW.item_id; END;
CREATE TRIGGER IF NOT EXISTS answer_written_del AFTER DELETE ON review_answers
BEGIN DELETE FROM review_answer_proposals WHERE review_id = OLD.review_id AND item_id = OLD.item_id; END;
""")
