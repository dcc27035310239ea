"""The audit hash chain: edits, deletions, reordering and a cut-off tail are all caught."""
import json

import pytest

from tests.conftest import PASS
from triage_app import audit
from triage_app.session import open_vault


def _make_entries(session, n=6):
    for i in range(n):
        session.record("read", "case.view", case=f"CR/2012/10{i:04d}", detail={"reason": f"check {i}"})


def _tamper(session, *sql):
    c = session.conn
    c.execute("DROP TRIGGER audit_no_update")
    c.execute("DROP TRIGGER audit_no_delete")
    for s in sql:
        c.execute(s)


def test_untouched_chain_verifies(login):
    s = login("sam")
    _make_entries(s)
    v = s.verify_audit()
    assert v.ok and v.entries >= 6 and v.head == s.head()


def test_the_log_is_append_only_in_normal_use(login):
    s = login("sam")
    with pytest.raises(Exception, match="append-only"):
        s.conn.execute("UPDATE audit SET user = 'x' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        s.conn.execute("DELETE FROM audit WHERE seq = 1")


def test_an_edited_entry_is_named(login):
    s = login("sam")
    _make_entries(s)
    _tamper(s, "UPDATE audit SET detail = '{\"reason\": \"other\"}' WHERE seq = 9")
    v = s.verify_audit()
    assert not v.ok and v.first_bad_seq == 9 and "9" in v.problem


def test_an_edited_user_is_caught(login):
    s = login("sam")
    _make_entries(s)
    _tamper(s, "UPDATE audit SET user = 'rita' WHERE seq = 8")
    assert s.verify_audit().first_bad_seq == 8


def test_an_edited_link_to_the_previous_entry_is_caught(login):
    # The stored prev_hash is part of what an entry says: an edit of it alone is still an edit.
    s = login("sam")
    _make_entries(s)
    _tamper(s, "UPDATE audit SET prev_hash = hash WHERE seq = 7")
    v = s.verify_audit()
    assert not v.ok and v.first_bad_seq == 7


def test_a_deleted_entry_is_named(login):
    s = login("sam")
    _make_entries(s)
    _tamper(s, "DELETE FROM audit WHERE seq = 7")
    v = s.verify_audit()
    assert not v.ok and v.first_bad_seq == 7 and "missing" in v.problem


def test_reordered_entries_are_caught(login):
    s = login("sam")
    _make_entries(s)
    # Swap the contents of 8 and 9 but keep the sequence numbers in place.
    rows = {r[0]: r for r in s.conn.execute("SELECT seq, at, user, action, kind, case_ref, detail, prev_hash, hash FROM audit WHERE seq IN (8, 9)")}
    _tamper(s)
    for seq, other in ((8, 9), (9, 8)):
        r = rows[other]
        s.conn.execute("UPDATE audit SET at=?, user=?, action=?, kind=?, case_ref=?, detail=?, prev_hash=?, hash=? WHERE seq=?",
                       (*r[1:], seq))
    v = s.verify_audit()
    assert not v.ok and v.first_bad_seq == 8


def test_a_cut_off_tail_is_caught_by_the_outside_head(login):
    s = login("sam")
    _make_entries(s)
    top = s.head().seq
    _tamper(s, f"DELETE FROM audit WHERE seq > {top - 2}")
    v = s.verify_audit()
    assert not v.ok and "cut off" in v.problem and v.first_bad_seq == top - 1


def test_a_rewritten_chain_with_valid_hashes_is_caught_by_the_outside_head(login):
    """An insider with the key rebuilds a whole consistent chain without one entry: the head outside
    the database (authenticated with a key derived from the vault key) no longer matches."""
    s = login("sam")
    _make_entries(s)
    rows = s.conn.execute("SELECT seq, at, user, action, kind, case_ref, detail FROM audit ORDER BY seq").fetchall()
    _tamper(s, "DELETE FROM audit")
    prev, seq = audit.GENESIS, 0
    for r in rows:
        if r[0] == 5:
            continue
        seq += 1
        d = json.loads(r[6])
        h = audit.entry_hash(prev, audit.canonical(seq, r[1], r[2], r[3], r[4], r[5], d))
        s.conn.execute("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?)", (seq, r[1], r[2], r[3], r[4], r[5], r[6], prev, h))
        prev = h
    v = s.verify_audit()
    assert not v.ok


def test_a_forged_outside_head_is_refused(vault_path, login):
    s = login("sam")
    head_file = vault_path.with_name(vault_path.name + ".audit-head")
    body = json.loads(head_file.read_text())
    body["seq"] = 1
    head_file.write_text(json.dumps(body))
    v = s.verify_audit()
    assert not v.ok and "authentication" in v.problem


def test_unlock_is_audited_and_entries_are_listed(login):
    s = login("rita")
    last = audit.entries(s.conn)[-1]
    assert last["action"] == "unlock" and last["user"] == "rita" and last["kind"] == "access"


def test_clock_set_back_keeps_time_order(login, monkeypatch):
    s = login("sam")
    monkeypatch.setattr(audit, "utc_now", lambda: "2001-01-01T00:00:00.000000Z")
    s.record("read", "case.view", case="CR/2010/1")
    e = audit.entries(s.conn)
    assert e[-1]["at"] >= e[-2]["at"]
    assert e[-1]["detail"]["clock_behind_by_entry"] is True
    assert s.verify_audit().ok


def test_change_and_entry_roll_back_together(login):
    s = login("sam")
    before = s.head()
    with pytest.raises(ZeroDivisionError):
        with s.change("read", "test.change"):
            s.conn.execute("INSERT INTO meta(key, value) VALUES ('probe', 'x')")
            1 / 0
    assert s.head() == before
    assert s.conn.execute("SELECT count(*) FROM meta WHERE key = 'probe'").fetchone()[0] == 0


def _rewrite(session, rows):
    """Insert `rows` (seq, at, user, action, kind, case_ref, detail) as a freshly hashed chain."""
    prev = audit.GENESIS
    for r in rows:
        h = audit.entry_hash(prev, audit.canonical(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])))
        session.conn.execute("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?)", (*r[:7], prev, h))
        prev = h


def test_an_entry_edited_with_its_own_hash_recomputed_is_caught_by_the_next_link(login):
    """No key is needed to recompute one entry's hash after editing it; what gives it away is that
    the next entry still points at the old hash."""
    s = login("sam")
    _make_entries(s)
    seq, at, user, action, kind, case_ref, detail, prev_hash, _ = s.conn.execute(
        "SELECT seq, at, user, action, kind, case_ref, detail, prev_hash, hash FROM audit WHERE seq = 5").fetchone()
    forged = {"reason": "routine check"}
    h = audit.entry_hash(prev_hash, audit.canonical(seq, at, user, action, kind, case_ref, forged))
    _tamper(s, f"UPDATE audit SET detail = '{json.dumps(forged)}', hash = '{h}' WHERE seq = 5")
    v = s.verify_audit()
    assert not v.ok and v.first_bad_seq == 6 and "chain breaks" in v.problem


def test_a_consistent_rewrite_of_the_same_length_is_caught_by_the_outside_head(login):
    """An insider with the key rewrites one entry and re-hashes the whole chain: same length, every
    link valid, so only the outside head (its hash at that seq) can tell."""
    s = login("sam")
    _make_entries(s)
    rows = [list(r) for r in s.conn.execute("SELECT seq, at, user, action, kind, case_ref, detail FROM audit ORDER BY seq")]
    rows[4][6] = json.dumps({"reason": "routine check"})
    _tamper(s, "DELETE FROM audit")
    _rewrite(s, rows)
    assert s.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == len(rows)
    v = s.verify_audit()
    assert not v.ok and "rewritten" in v.problem and v.first_bad_seq == len(rows)
