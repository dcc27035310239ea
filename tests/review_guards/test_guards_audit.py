"""Outside review (h24): audit-chain guards that a deliberate break left unnoticed.

Each test here was written after a mutation of `triage_app/audit.py` passed every existing test;
it fails on that mutation and passes on main (see /work/team/notes/h24.md).
"""
from triage_app import audit


def _entries(session, n=6):
    for i in range(n):
        session.record("read", "case.view", case=f"CR/2012/20{i:04d}", detail={"reason": f"check {i}"})


def _tamper(session, *sql):
    c = session.conn
    c.execute("DROP TRIGGER audit_no_update")
    c.execute("DROP TRIGGER audit_no_delete")
    for s in sql:
        c.execute(s)


def test_an_entry_whose_recorded_link_to_the_previous_one_was_changed_is_caught(login):
    # Only the stored prev_hash column changes: the entry's own hash still matches its content
    # chained from the real previous entry, so only the link check can see it.
    s = login("sam")
    _entries(s)
    _tamper(s, "UPDATE audit SET prev_hash = '" + "f" * 64 + "' WHERE seq = 8")
    v = s.verify_audit()
    assert not v.ok and v.first_bad_seq == 8 and "8" in v.problem


def test_an_unknown_kind_is_refused_and_writes_nothing(login):
    s = login("sam")
    before = s.head()
    try:
        with s.conn:
            audit.append(s.conn, "sam", "case.view", "gossip", None, {})
        raised = False
    except ValueError:
        raised = True
    assert raised and s.head() == before
