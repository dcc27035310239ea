"""Issue 19 item 9, the rules in the core: a review never says two contradictory things.

- "wishes recorded: yes" (and "support offered: yes") stand only on a contact record that holds
  them; a yes whose contact is withdrawn is missing again before submission.
- A returned review can go back to the supervisor as it is: what the screen says ("nothing is
  missing") is what Submit does.
"""
import pytest

from triage_app.errors import Refused
from triage_app.review import workflow as w
from triage_app.review.withdraw import withdraw

from .conftest import complete


def test_wishes_yes_needs_a_contact_that_holds_the_wishes(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    with pytest.raises(Refused, match="victim's wishes"):
        w.answer_item(rita, case, "victim_wishes", "yes")
    w.record_contact(rita, case, contact_date="2025-01-02", method="letter", outcome="No reply yet")
    with pytest.raises(Refused):          # a contact without wishes is not a record of the wishes
        w.answer_item(rita, case, "victim_wishes", "yes")
    w.record_contact(rita, case, contact_date="2025-01-09", method="phone", outcome="Spoke",
                     wishes="Wants the case looked at again.")
    w.answer_item(rita, case, "victim_wishes", "yes")
    with pytest.raises(Refused, match="support offered"):
        w.answer_item(rita, case, "support_offered", "yes")
    w.answer_item(rita, case, "support_offered", "no")     # a no needs nothing


def test_a_yes_whose_contact_was_withdrawn_is_missing_again(login, case):
    rita = login("rita")
    w.start_review(rita, case)
    complete(rita, case, w)
    w.record_contact(rita, case, contact_date="2025-01-09", method="phone", outcome="Spoke",
                     wishes="Wants the case looked at again.", support=["isva"])
    w.answer_item(rita, case, "victim_wishes", "yes")
    w.answer_item(rita, case, "support_offered", "yes")
    rid = rita.one("SELECT id FROM reviews")[0]
    assert w.missing_for_submit(rita.conn, rid) == []
    withdraw(rita, case, "contact")
    assert w.missing_for_submit(rita.conn, rid) == ["victim_wishes", "support_offered"]
    with pytest.raises(Refused, match="victim_wishes"):
        w.submit(rita, case)


def test_a_returned_review_can_be_resubmitted_without_an_edit(login, case):
    rita, sam = login("rita"), login("sam")
    w.start_review(rita, case)
    complete(rita, case, w)
    w.submit(rita, case)
    w.decide(sam, case, "return", "Say whether the exhibits were checked.")
    summary = w.review_summary(rita.conn, rita.one("SELECT id FROM cases")[0])
    assert summary["state"] == "returned" and summary["missing_for_submit"] == []
    w.submit(rita, case)                      # the author stands by it: back to the supervisor
    assert w.latest_review(rita.conn, 1)["state"] == "submitted"
    with pytest.raises(Refused):
        w.submit(login("rob"), case)          # still only the author
