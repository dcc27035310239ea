"""A vault whose links were made before the second-generation linker is relinked once, audited."""
import json

from faker import Faker

from tests.conftest import PASS
from triage_app.session import open_vault


def _old_vault(login, vault_path):
    """Links as the previous linker wrote them (no probability, explanation or model), and the vault
    as it was before migration 24."""
    from tests.triage.conftest import Builder
    s = login("sam")
    b = Builder(s.conn)
    fake = Faker("en_GB")
    fake.seed_instance(24)
    forename, surname, dob = fake.first_name(), fake.last_name(), fake.date_of_birth().isoformat()
    one, two = b.case("CR/U/1"), b.case("CR/U/2")
    b.nominal(one, "suspect", forename, surname, dob=dob)
    b.nominal(two, "suspect", forename, surname, dob=dob)
    s.conn.execute("INSERT INTO links(case_a, case_b, strength, basis, evidence) VALUES (?, ?, 'possible', ?, '[]')",
                   (one, two, json.dumps(["names match, same date of birth"])))
    s.conn.execute("DROP TABLE link_relink_due")
    s.conn.execute("DELETE FROM schema_migrations WHERE number = 24")
    s.close()
    return one, two


def _row(s, one, two):
    return s.conn.execute("SELECT strength, probability, model, explanation FROM links WHERE case_a = ? AND case_b = ?",
                          (one, two)).fetchone()


def test_an_upgrade_relinks_old_links_once_with_an_audit_entry(login, vault_path):
    one, two = _old_vault(login, vault_path)
    s = open_vault(vault_path, "sam", PASS["sam"])     # migration 24 marks it; the unlock relinks
    try:
        strength, probability, model, explanation = _row(s, one, two)
        assert model is not None and probability > 0.95 and strength == "strong"
        assert json.loads(explanation)[0]["items"][0][0] == "prior"
        entries = s.conn.execute("SELECT action, detail FROM audit WHERE action = 'relink'").fetchall()
        assert len(entries) == 1 and json.loads(entries[0][1])["links_without_probability"] == 1
    finally:
        s.close()
    s = open_vault(vault_path, "sam", PASS["sam"])     # once only
    try:
        assert s.conn.execute("SELECT count(*) FROM audit WHERE action = 'relink'").fetchone()[0] == 1
    finally:
        s.close()


def test_a_reviewer_unlock_leaves_the_mark_and_the_next_import_relinks_everything(login, vault_path):
    one, two = _old_vault(login, vault_path)
    s = open_vault(vault_path, "rita", PASS["rita"])   # may not import: nothing relinked yet
    try:
        assert _row(s, one, two)[2] is None
        assert s.conn.execute("SELECT count(*) FROM link_relink_due").fetchone()[0] == 1
    finally:
        s.close()
    s = open_vault(vault_path, "sam", PASS["sam"])
    try:
        assert _row(s, one, two)[2] is not None
        assert s.conn.execute("SELECT count(*) FROM link_relink_due").fetchone()[0] == 0
    finally:
        s.close()


def test_an_import_relinks_every_case_while_the_mark_is_there(login, vault_path):
    from triage_app.linking import relink
    from tests.triage.conftest import Builder
    one, two = _old_vault(login, vault_path)
    s = open_vault(vault_path, "rita", PASS["rita"])
    s.close()
    s = login("rita")
    s.conn.execute("BEGIN IMMEDIATE")
    three = Builder(s.conn).case("CR/U/3")
    relink(s.conn, [three])          # as an import of one new case does: the old link is redone too
    assert _row(s, one, two)[2] is not None
    assert s.conn.execute("SELECT count(*) FROM link_relink_due").fetchone()[0] == 0
    s.conn.execute("ROLLBACK")
