"""The audit chain's edges that the wider tests step over: the smallest cut, the head's binding."""
from triage_app import audit


def _make_entries(session, n=4):
    for i in range(n):
        session.record("read", "case.view", case=f"CR/2012/20{i:04d}", detail={"reason": f"edge {i}"})


def _tamper(session, *sql):
    c = session.conn
    c.execute("DROP TRIGGER audit_no_update")
    c.execute("DROP TRIGGER audit_no_delete")
    for s in sql:
        c.execute(s)


def test_the_last_entry_alone_cut_off_is_caught(login):
    # the smallest cut: one entry off the end leaves a valid chain one short of the head outside
    s = login("sam")
    _make_entries(s)
    top = s.head().seq
    _tamper(s, f"DELETE FROM audit WHERE seq = {top}")
    v = s.verify_audit()
    assert not v.ok and "cut off" in v.problem and v.first_bad_seq == top
