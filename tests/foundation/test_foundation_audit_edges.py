"""The audit chain's edges that the wider tests step over: the smallest cut, the head's binding."""
import pytest

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


def test_an_entry_moved_to_another_case_is_caught(login):
    # which case an entry is about is part of what it says (a consultation of one case filed under another)
    s = login("sam")
    _make_entries(s)
    top = s.head().seq
    _tamper(s, f"UPDATE audit SET case_ref = 'CR/2012/209999' WHERE seq = {top - 1}")
    v = s.verify_audit()
    assert not v.ok and v.first_bad_seq == top - 1


def test_an_entry_with_its_case_cleared_is_caught(login):
    s = login("sam")
    _make_entries(s)
    top = s.head().seq
    assert s.conn.execute("SELECT case_ref FROM audit WHERE seq = ?", (top,)).fetchone()[0] == "CR/2012/200003"
    _tamper(s, f"UPDATE audit SET case_ref = NULL WHERE seq = {top}")
    assert s.verify_audit().first_bad_seq == top


def test_a_head_written_for_another_vault_is_refused_even_under_the_same_key(tmp_path):
    # a vault copied with its key (a restore beside the original) must not accept the other's head
    key = bytes(range(32))
    path = tmp_path / "v.db"
    audit.write_head(path, key, "vault-one", audit.Head(7, "ab" * 32))
    head, problem = audit.read_head(path, key, "vault-one")
    assert head == audit.Head(7, "ab" * 32) and problem is None
    head, problem = audit.read_head(path, key, "vault-two")
    assert head is None and "authentication" in problem


def test_a_change_whose_entry_cannot_be_written_is_not_made(login, monkeypatch):
    """The entry is written inside the change's transaction: when writing it fails, the change
    itself is rolled back (no change without its entry)."""
    from triage_app import users
    ada = login("ada")
    before = ada.head()

    def broken(*a, **k):
        raise OSError("the entry could not be written")
    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(Exception):
        users.set_role(ada, "rita", "supervisor")
    monkeypatch.undo()
    assert ada.conn.execute("SELECT role FROM users WHERE name = 'rita'").fetchone()[0] == "reviewer"
    assert ada.head() == before
