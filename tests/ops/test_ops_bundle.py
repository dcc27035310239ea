import pytest

from tests.conftest import PASS
from tests.ops.conftest import add_cases
from triage_app import audit
from triage_app.errors import AuthFailed, BadInput, NotFound, Refused
from triage_app.ops.bundle import export_bundle, import_bundle
from triage_app.users import add_user
from triage_app.session import create_vault
from triage_app.vault.keyslots import CHEAP_KDF

BUNDLE_PASS = "taskforce bundle passphrase seven"


@pytest.fixture
def other_vault(tmp_path):
    """A second workstation's vault, with its own supervisor."""
    s = create_vault(tmp_path / "other" / "vault.db", "olga", PASS["ada"], kdf=CHEAP_KDF)
    add_user(s, "otto", "supervisor", PASS["sam"])
    s.close()
    from triage_app.session import open_vault
    s = open_vault(tmp_path / "other" / "vault.db", "otto", PASS["sam"])
    yield s
    s.close()


def _case(session, ref):
    return dict(session.one("SELECT ref, nfa_date, summary, outcome_code FROM cases WHERE ref = ?", (ref,)))


def test_export_import_round_trip_with_a_conflict(login, other_vault, tmp_path):
    sam = login("sam")
    refs = add_cases(sam, 4)
    # The other workstation already holds one of these cases unchanged, and one with a different summary.
    add_cases(other_vault, 4)
    with other_vault.change("import", "test.edit", case=refs[1]):
        other_vault.conn.execute("UPDATE cases SET summary = 'edited on the other workstation' WHERE ref = ?", (refs[1],))
    with other_vault.change("import", "test.drop"):
        other_vault.conn.execute("DELETE FROM identifiers")
        other_vault.conn.execute("DELETE FROM nominals WHERE case_id IN (SELECT id FROM cases WHERE ref IN (?, ?))", (refs[2], refs[3]))
        other_vault.conn.execute("DELETE FROM cases WHERE ref IN (?, ?)", (refs[2], refs[3]))
    edited_before = _case(other_vault, refs[1])
    sam.record("read", "case.read", case=refs[2], detail={"reason": "bundle test"})

    out = tmp_path / "cases.bundle"
    info = export_bundle(sam, refs, out, BUNDLE_PASS, recipient="CSE Taskforce", kdf=CHEAP_KDF)
    assert info["cases"] == 4 and out.exists()
    data = out.read_bytes()
    for ref in refs:
        assert ref.encode() not in data  # encrypted: no reference in the clear
    exported = [e for e in audit.entries(sam.conn) if e["action"].startswith("bundle.export")]
    assert {e["case"] for e in exported if e["case"]} == set(refs)
    assert all(e["kind"] == "disclosure" for e in exported)

    result = import_bundle(other_vault, out, BUNDLE_PASS)
    assert result["added"] == [refs[2], refs[3]]
    assert result["already_present"] == [refs[0]]
    assert result["conflicts"] == [{"ref": refs[1], "what": "the case details differ"}]
    assert _case(other_vault, refs[1]) == edited_before          # never overwritten
    assert _case(other_vault, refs[2]) == _case(sam, refs[2])
    n_src = sam.one("SELECT count(*) FROM nominals n JOIN cases c ON c.id = n.case_id WHERE c.ref = ?", (refs[2],))[0]
    n_dst = other_vault.one("SELECT count(*) FROM nominals n JOIN cases c ON c.id = n.case_id WHERE c.ref = ?", (refs[2],))[0]
    assert n_src == n_dst == 3
    # The source's audit trail on those cases came along, beside our own chain.
    got = other_vault.query("SELECT action FROM bundle_audit WHERE case_ref = ? ORDER BY seq", (refs[2],))
    assert "case.read" in [r[0] for r in got]
    assert result["audit_entries_failing_hash"] == 0
    imported = [e for e in audit.entries(other_vault.conn) if e["action"].startswith("bundle.import")]
    assert all(e["kind"] == "collection" for e in imported)
    assert {e["case"] for e in imported if e["case"]} == {refs[2], refs[3]}
    assert other_vault.verify_audit().ok
    # The same bundle twice is refused and changes nothing.
    with pytest.raises(BadInput, match="imported into this vault before"):
        import_bundle(other_vault, out, BUNDLE_PASS)


def test_wrong_passphrase_weak_passphrase_and_refusals(login, other_vault, tmp_path):
    sam = login("sam")
    refs = add_cases(sam, 2)
    out = tmp_path / "b.bundle"
    with pytest.raises(BadInput, match="too weak"):
        export_bundle(sam, refs, out, "short", kdf=CHEAP_KDF)
    with pytest.raises(Refused):
        export_bundle(login("rita"), refs, out, BUNDLE_PASS, kdf=CHEAP_KDF)
    head = sam.head()
    with pytest.raises(NotFound):
        export_bundle(sam, [refs[0], "CR/NOPE/1"], out, BUNDLE_PASS, kdf=CHEAP_KDF)
    assert not out.exists() and sam.head() == head  # nothing written, nothing audited
    export_bundle(sam, refs, out, BUNDLE_PASS, kdf=CHEAP_KDF)
    before = other_vault.head()
    with pytest.raises(AuthFailed):
        import_bundle(other_vault, out, "a different long passphrase")
    tampered = tmp_path / "t.bundle"
    data = bytearray(out.read_bytes())
    data[-5] ^= 1
    tampered.write_bytes(bytes(data))
    with pytest.raises(AuthFailed):
        import_bundle(other_vault, tampered, BUNDLE_PASS)
    assert other_vault.head() == before
    assert other_vault.one("SELECT count(*) FROM cases")[0] == 0


def test_an_approved_review_and_its_answers_travel_whole(login, other_vault, tmp_path):
    from triage_app.review import checklist, workflow
    sam = login("sam")
    refs = add_cases(sam, 2)
    rita = login("rita")
    workflow.start_review(rita, refs[0])
    for item in checklist.current().mandatory_ids:
        workflow.answer_item(rita, refs[0], item, "no" if checklist.current().item(item).yes_needs else "yes",
                             note="synthetic note")
    workflow.raise_inquiry(rita, refs[0], title="Re-submit exhibits for DNA", category="forensic", priority="high")
    workflow.recommend(rita, refs[0], "reopen", "new forensic opportunity")
    workflow.submit(rita, refs[0])
    workflow.decide(sam, refs[0], "approve")
    out = tmp_path / "reviewed.bundle"
    export_bundle(sam, refs, out, BUNDLE_PASS, kdf=CHEAP_KDF)
    result = import_bundle(other_vault, out, BUNDLE_PASS)
    assert result["added"] == refs and result["conflicts"] == []

    def review(session):
        r = session.one("SELECT r.id, r.version, r.state, r.author, r.recommendation, r.rationale FROM reviews r "
                        "JOIN cases c ON c.id = r.case_id WHERE c.ref = ?", (refs[0],))
        answers = session.query("SELECT item_id, answer, note FROM review_answers WHERE review_id = ? ORDER BY item_id", (r[0],))
        inquiries = session.query("SELECT number, title, priority FROM review_inquiries WHERE review_id = ?", (r[0],))
        decisions = session.query("SELECT decision, by_user FROM review_decisions WHERE review_id = ?", (r[0],))
        return (tuple(r)[1:], [tuple(a) for a in answers], [tuple(i) for i in inquiries], [tuple(d) for d in decisions])

    assert review(other_vault) == review(sam)
    assert review(other_vault)[0][1] == "approved"
    assert other_vault.one("SELECT status FROM cases WHERE ref = ?", (refs[0],))[0] == "approved"
    # The signed-off review stays frozen in its new home too.
    with pytest.raises(Exception):
        with other_vault.change("review", "test.tamper"):
            other_vault.conn.execute("UPDATE reviews SET rationale = 'changed'")
