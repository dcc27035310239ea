"""Issuing from the vault: only an approved review, audited as a disclosure, file and record together."""
import hashlib
import io
import json

import pytest
from pypdf import PdfReader

from triage_app import audit
from triage_app.errors import BadInput, Refused, TriageError
from triage_app.pack.issue import issue_pack, pack_history
from triage_app.pack.verify import verify_pack
from triage_app.vault import connection

from tests.conftest import digest
from .conftest import LINKED_VICTIM, SUSPECT, VICTIM


def _text(path) -> str:
    # Whitespace folded: table cells wrap lines wherever the column width falls.
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def _disclosures(session):
    return [e for e in audit.entries(session.conn) if e["action"] == "pack.issue"]


def test_issue_writes_pack_row_and_disclosure_entry(login, approved_case, outdir):
    rita = login("rita")
    head_before = rita.head()
    out = outdir / "pack.pdf"
    done = issue_pack(rita, approved_case, out, recipient="DS Example, CSE Taskforce",
                      justification="Beaconport referral")
    data = out.read_bytes()
    assert done["sha256"] == hashlib.sha256(data).hexdigest() and done["path"] == str(out)
    [entry] = _disclosures(rita)
    assert entry["kind"] == "disclosure" and entry["case"] == approved_case and entry["user"] == "rita"
    d = entry["detail"]
    assert (d["recipient"], d["justification"], d["identity"]) == ("DS Example, CSE Taskforce", "Beaconport referral", "initials")
    assert (d["sha256"], d["pack_id"], d["version"]) == (done["sha256"], done["pack_id"], 1)
    assert entry["seq"] == head_before.seq + 1
    text = _text(out)
    assert done["pack_id"] in text and head_before.hash in text.replace(" ", "")   # the chain head it carries
    assert PdfReader(io.BytesIO(data)).metadata.subject.find(done["pack_id"]) >= 0
    assert [h["pack_id"] for h in pack_history(rita, approved_case)] == [done["pack_id"]]
    assert [p.name for p in outdir.iterdir()] == ["pack.pdf"]              # no temporary file left


def test_no_victim_name_by_default_anywhere(login, approved_case, outdir):
    out = outdir / "pack.pdf"
    issue_pack(login("rita"), approved_case, out)
    text = _text(out)
    for name in VICTIM:
        assert name not in text and name.upper() not in text
    assert "K.A. withdrew support. A. was judged not credible" in text       # inside the quoted rationale
    assert "K.A., aged 14 at the offence" in text
    assert SUSPECT[1].upper() in text                                        # suspects stay named
    assert "Trace silver car <VRM unknown> & owner" in text


def test_full_identity_is_explicit_and_audited(login, approved_case, outdir):
    rita = login("rita")
    out = outdir / "full.pdf"
    done = issue_pack(rita, approved_case, out, identity="full")
    assert VICTIM[1].upper() in _text(out)
    assert _disclosures(rita)[-1]["detail"]["identity"] == "full" and done["version"] == 1


def test_second_pack_is_a_new_version(login, approved_case, outdir):
    rita = login("rita")
    first = issue_pack(rita, approved_case, outdir / "a.pdf")
    second = issue_pack(rita, approved_case, outdir / "b.pdf")
    assert (first["version"], second["version"]) == (1, 2) and first["pack_id"] != second["pack_id"]


def test_unapproved_review_refused_nothing_written(login, submitted_case, outdir):
    rita = login("rita")
    entries_before = len(audit.entries(rita.conn))
    with pytest.raises(Refused, match="no approved review"):
        issue_pack(rita, submitted_case, outdir / "pack.pdf")
    assert list(outdir.iterdir()) == []
    assert len(audit.entries(rita.conn)) == entries_before
    assert rita.one("SELECT count(*) FROM packs")[0] == 0


def test_admin_may_not_make_packs(login, approved_case, outdir):
    with pytest.raises(Refused):
        issue_pack(login("ada"), approved_case, outdir / "pack.pdf")
    assert list(outdir.iterdir()) == []


def test_file_removed_when_audit_cannot_be_written(login, approved_case, outdir, monkeypatch):
    rita = login("rita")

    def broken_append(*a, **k):
        raise connection.OperationalError("disk I/O error")

    monkeypatch.setattr(audit, "append", broken_append)
    with pytest.raises(TriageError):
        issue_pack(rita, approved_case, outdir / "pack.pdf")
    monkeypatch.undo()
    assert list(outdir.iterdir()) == []
    assert rita.one("SELECT count(*) FROM packs")[0] == 0 and _disclosures(rita) == []


def test_file_removed_when_the_commit_fails_after_it_is_placed(login, approved_case, outdir, monkeypatch):
    """The rename is the last step before COMMIT (disclosure.placing): a failed COMMIT takes the
    placed pack away again, with its packs row and its entry."""
    rita = login("rita")
    real = rita.conn
    placed = []

    class FailingCommit:
        def execute(self, sql, *args):
            if sql == "COMMIT":
                placed.append(sorted(p.name for p in outdir.iterdir()))
                raise connection.OperationalError("database or disk is full")
            return real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(rita, "conn", FailingCommit())
    with pytest.raises(TriageError):
        issue_pack(rita, approved_case, outdir / "pack.pdf")
    monkeypatch.undo()
    assert placed == [["pack.pdf"]]                      # it was in place when the commit failed
    assert list(outdir.iterdir()) == []
    assert rita.one("SELECT count(*) FROM packs")[0] == 0 and _disclosures(rita) == []


def test_a_pack_that_cannot_be_placed_leaves_no_temporary_file_no_row_and_no_entry(login, approved_case, outdir,
                                                                                   monkeypatch):
    import os
    rita = login("rita")
    before = rita.head()

    def refuse(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(TriageError, match="could not be written .*nothing was issued"):
        issue_pack(rita, approved_case, outdir / "pack.pdf")
    monkeypatch.undo()
    assert list(outdir.iterdir()) == [] and rita.head() == before
    assert rita.one("SELECT count(*) FROM packs")[0] == 0


def test_the_pack_row_carries_its_own_entrys_sequence_number(login, approved_case, outdir):
    rita = login("rita")
    done = issue_pack(rita, approved_case, outdir / "pack.pdf")
    [entry] = _disclosures(rita)
    assert tuple(rita.one("SELECT audit_seq, head_seq FROM packs WHERE pack_id = ?", (done["pack_id"],))) == \
        (entry["seq"], entry["seq"] - 1)


def test_verify_issued_altered_and_foreign(login, approved_case, outdir):
    rita, sam = login("rita"), login("sam")
    out = outdir / "pack.pdf"
    done = issue_pack(rita, approved_case, out)
    v = verify_pack(sam, out)
    assert v["ok"] and v["result"] == "issued" and v["pack_id"] == done["pack_id"] and v["issued_by"] == "rita"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01                                             # one byte altered
    altered = outdir / "altered.pdf"
    altered.write_bytes(bytes(data))
    v = verify_pack(sam, altered)
    assert not v["ok"] and v["result"] == "altered" and v["pack_id"] == done["pack_id"]
    other = outdir / "other.pdf"
    other.write_bytes(b"%PDF-1.4\n% not from this vault\n%%EOF\n")
    assert verify_pack(sam, other)["result"] == "not_issued"
    checks = [e for e in audit.entries(sam.conn) if e["action"] == "pack.verify"]
    assert [c["detail"]["result"] for c in checks] == ["issued", "altered", "not_issued"]


def test_cli_pack_and_verify_pack(cli, login, approved_case, submitted_case, outdir):
    out = outdir / "pack.pdf"
    code, stdout, err = cli("rita", "pack", approved_case, "--out", str(out), "--json")
    assert code == 0, err
    done = json.loads(stdout)
    code, stdout, err = cli("sam", "verify-pack", str(out))
    assert code == 0 and done["pack_id"] in stdout and "rita" in stdout
    data = bytearray(out.read_bytes())
    data[-200] ^= 0xFF
    (outdir / "x.pdf").write_bytes(bytes(data))
    code, stdout, err = cli("sam", "verify-pack", str(outdir / "x.pdf"))
    assert code == 1 and "altered" in err and len(err.strip().splitlines()) == 1
    code, stdout, err = cli("rita", "pack", submitted_case, "--out", str(outdir / "no.pdf"))
    assert code == 1 and "approved" in err and "Traceback" not in err
    assert not (outdir / "no.pdf").exists()
    code, _, err = cli("rita", "pack", approved_case, "--out", str(outdir / "missing" / "p.pdf"))
    assert code == 1 and "does not exist" in err


def test_linked_cases_listed_with_basis_and_their_victims_minimised(login, linked_case, approved_case, outdir):
    sam = login("sam")
    # The summary of this case names the linked case's victim: that name must not leave the vault either.
    with sam.change("import", "test.summary", case=approved_case):
        sam.conn.execute("UPDATE cases SET summary = ? WHERE ref = ?",
                         (f"{LINKED_VICTIM[0]} {LINKED_VICTIM[1]} was also seen at the flat.", approved_case))
    out = outdir / "pack.pdf"
    issue_pack(login("rita"), approved_case, out)
    text = _text(out)
    assert linked_case in text and "Strong" in text
    assert "T.O. was also seen at the flat" in text
    for name in (*LINKED_VICTIM, *VICTIM):
        assert name not in text and name.upper() not in text


def test_never_overwrites_a_file_that_is_not_a_pdf(login, approved_case, vault_path):
    before = digest(vault_path)
    with pytest.raises(BadInput, match="not a PDF"):
        issue_pack(login("rita"), approved_case, vault_path)
    assert digest(vault_path) == before


def test_the_pack_states_the_screens_as_its_review_found_them(login, approved_case):
    """The approval being packed must not make the case 'reviewed before' in its own referral,
    though the queue now counts it (a later review of the case would be a second one)."""
    from triage_app.pack.gather import gather
    rita = login("rita")
    queue_why = rita.one("SELECT eligibility_why, priority_factors FROM cases WHERE ref = ?", (approved_case,))
    assert "reviewed before" in (queue_why[0] + queue_why[1]).lower()
    data = gather(rita.conn, approved_case, "initials")
    assert not any("reviewed before" in f.reason.lower() for f in data.factors)
    assert not any("reviewed before" in w.lower() and "approved" in w.lower() for w in data.eligibility_why)


def test_the_sign_off_comment_is_minimised_too(login, outdir):
    """The supervisor's comment is printed in section 8; it names the victim as supervisors do."""
    from .conftest import REF, add_case, review_to
    add_case(login("sam"), REF, rationale="No further action.")
    review_to(login, REF, approve=True,
              comment=f"Agreed. {VICTIM[0]} {VICTIM[1]} must be told by letter; {VICTIM[1].upper()} asked for an ISVA.")
    out = outdir / "pack.pdf"
    issue_pack(login("rita"), REF, out)
    text = _text(out)
    assert "Agreed. K.A. must be told by letter; A. asked for an ISVA." in text
    for name in VICTIM:
        assert name.lower() not in text.lower()
