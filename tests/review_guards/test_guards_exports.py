"""Outside review (h24): export guards that a deliberate break left unnoticed."""
import pytest

from triage_app.errors import BadInput
from triage_app.link_exports import MAX_JUSTIFICATION, check_choice


def test_a_justification_longer_than_the_limit_is_refused_in_one_sentence():
    assert check_choice("full", "x" * MAX_JUSTIFICATION) == "x" * MAX_JUSTIFICATION
    with pytest.raises(BadInput, match=f"longer than {MAX_JUSTIFICATION}"):
        check_choice("full", "x" * (MAX_JUSTIFICATION + 1))


def test_full_identity_needs_a_justification_and_initials_do_not():
    assert check_choice("initials", None) is None
    with pytest.raises(BadInput, match="justification"):
        check_choice("full", "   ")
