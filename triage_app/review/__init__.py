"""The review workflow (issue 4): checklists as versioned data, reviews with answers, lines of
inquiry, victim contacts and a recommendation, and four-eyes sign-off.

- `checklist`: load `resources/checklists/*.toml` (`current()`, `load(id, version)`).
- `workflow`: the service functions (each takes the Session, checks role and state, makes one
  audited change): start_review, answer_item, raise_inquiry, set_inquiry_status, record_contact,
  recommend, submit, decide, open_review.
- `summary`: readers over a connection for other capabilities (also re-exported by `workflow`):
  review_summary, approved_review, suspects_alive_answer, missing_for_submit, suggestions,
  changes_since_return, inbox.
- `schema`: migration 30 (reviews, answers, inquiries, contacts, decisions).

Kept free of imports so `triage` can read `summary` without a cycle.
"""
