"""Outside review (h24): the one door (session.py) checks the permission of a read it records."""
import pytest

from triage_app.errors import Refused


def test_a_recorded_read_checks_its_permission_and_writes_nothing_when_refused(login):
    # `record` passed the permission through `change`; recording every read as "self" passed every
    # test, because the commands check `require` before they record.
    rita = login("rita")
    before = rita.head()
    with pytest.raises(Refused):
        rita.record("audit_read", "audit.view")
    assert rita.head() == before
    rita.record("read", "case.view", case="CR/2012/100001")
    assert rita.head().seq == before.seq + 1
