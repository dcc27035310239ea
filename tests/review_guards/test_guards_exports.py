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


def test_a_chart_png_that_is_not_a_png_is_refused_before_anything_is_written(tmp_path):
    from triage_app.link_exports import export_png
    out = tmp_path / "chart.png"
    for junk in (b"", b"GIF89a....", b"<svg/>", "\x89PNG\r\n\x1a\n"):
        with pytest.raises(BadInput, match="PNG"):
            export_png(None, "CR/2013/700101", out, junk)
    assert not out.exists() and list(tmp_path.iterdir()) == []
