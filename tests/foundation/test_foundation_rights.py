"""Rights are those of now, not of the unlock: a session opened before an admin demoted or disabled
its user can no longer do what the user may no longer do (the role and the disabled flag are read
again inside every change's transaction)."""
import pytest

from tests.conftest import PASS
from triage_app import audit, users
from triage_app.errors import Refused


def _probe(session, permission):
    with session.change(permission, "test.probe"):
        session.conn.execute("INSERT INTO meta(key, value) VALUES ('probe', 'x')")


def _nothing_written(session, head_before):
    assert session.head() == head_before
    assert session.one("SELECT count(*) FROM meta WHERE key = 'probe'")[0] == 0


def test_a_demoted_supervisor_loses_the_supervisors_rights_in_an_open_session(login):
    sam = login("sam")
    users.set_role(login("ada"), "sam", "reviewer")
    before = sam.head()
    with pytest.raises(Refused, match="reviewer may not import"):
        _probe(sam, "import")
    _nothing_written(sam, before)
    assert sam.role == "reviewer"


def test_a_disabled_user_can_change_nothing_in_an_open_session(login):
    rita = login("rita")
    users.disable_user(login("ada"), "rita")
    before = rita.head()
    with pytest.raises(Refused, match="disabled"):
        _probe(rita, "review")
    with pytest.raises(Refused, match="disabled"):
        rita.record("read", "case.view", case="CR/2012/1")  # an audited read is refused too
    with pytest.raises(Refused, match="disabled"):
        users.change_own_passphrase(rita, PASS["rita"], "a passphrase for a leaver")
    _nothing_written(rita, before)


def test_a_demoted_admin_cannot_manage_users_from_an_open_session(login):
    ada = login("ada")
    users.add_user(ada, "alf", "admin", "second admin passphrase")
    alf = login_as(ada, "alf", "second admin passphrase")
    users.set_role(ada, "alf", "reviewer")
    with pytest.raises(Refused, match="may not manage users"):
        users.add_user(alf, "eve", "reviewer", "eve has a long passphrase")
    assert ada.one("SELECT count(*) FROM users WHERE name = 'eve'")[0] == 0
    assert [e["action"] for e in audit.entries(ada.conn)][-1] == "user.role"
    alf.close()


def login_as(session, name, passphrase):
    from triage_app.session import open_vault
    return open_vault(session.path, name, passphrase)
