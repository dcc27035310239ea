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


def test_an_exported_file_is_readable_by_its_owner_only(login, tmp_path):
    # write_disclosure's temporary file is made 0600 and renamed into place; making the placed file
    # readable by others passed every test.
    import stat

    from triage_app import audit_log
    sam = login("sam")
    sam.record("read", "case.view", case="CR/2012/100001", detail={"reason": "a first entry"})
    out = tmp_path / "audit.csv"
    audit_log.export_csv(sam, out)
    assert out.exists() and stat.S_IMODE(out.stat().st_mode) & 0o077 == 0


def test_a_link_without_structured_evidence_shows_no_basis_at_initials(login):
    # The linker's own sentences carry victims' values; at 'initials' a pair with no structured
    # evidence prints no basis rather than them (printing them passed every test).
    from triage_app.pack.identity import VictimIdentity
    from triage_app.pack.links_section import minimised_pairs
    s = login("rita")
    pairs = [{"a": "CR/1", "b": "CR/2", "_ids": (998, 999),
              "basis": ["same phone 07700 900461 (victim on CR/1, suspect on CR/2)"]}]
    [p] = minimised_pairs(s.conn, pairs, "initials", VictimIdentity([]))
    assert p["basis"] == []
    [p] = minimised_pairs(s.conn, pairs, "full", VictimIdentity([]))
    assert p["basis"] == pairs[0]["basis"]


def test_a_file_that_cannot_be_placed_leaves_no_temporary_file_and_no_entry(login, tmp_path, monkeypatch):
    import os

    from triage_app import audit_log
    from triage_app.errors import TriageError
    sam = login("sam")
    sam.record("read", "case.view", case="CR/2012/100001", detail={"reason": "a first entry"})
    before = sam.head()

    def refuse(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", refuse)
    outdir = tmp_path / "out"
    outdir.mkdir()
    with pytest.raises(TriageError, match="could not be written"):
        audit_log.export_csv(sam, outdir / "audit.csv")
    assert list(outdir.iterdir()) == [] and sam.head() == before
