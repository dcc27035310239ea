import pytest

from triage_app.review import checklist

# Synthetic case references only; no people's data is needed to exercise the workflow.


def add_case(session, ref: str) -> int:
    with session.change("import", "test.case", kind="collection", case=ref):
        cur = session.conn.execute(
            "INSERT INTO cases(ref, nfa_date, imported_at, updated_at) VALUES (?, '2014-03-02', "
            "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')", (ref,))
    return cur.lastrowid


def complete(session, ref: str, workflow) -> None:
    """Answer every mandatory item and recommend, so the review can be submitted."""
    for item_id in checklist.current().mandatory_ids:
        # a "yes" that needs a contact record is answered "no": no contact is recorded here
        workflow.answer_item(session, ref, item_id, "no" if checklist.current().item(item_id).yes_needs else "yes")
    workflow.recommend(session, ref, "reopen", "Linked cases and retained exhibits give new lines of inquiry.")


@pytest.fixture
def case(login):
    """A case CR/2014/000101 in the vault (added by supervisor sam); returns its ref."""
    s = login("sam")
    add_case(s, "CR/2014/000101")
    return "CR/2014/000101"


ROLES_BY_NAME = {"ada": "admin", "rita": "reviewer", "rob": "reviewer", "sam": "supervisor", "sue": "supervisor"}


@pytest.fixture
def sessions(login):
    """One open Session per test user, kept for the whole test (hypothesis runs many examples)."""
    return {name: login(name) for name in ROLES_BY_NAME}
