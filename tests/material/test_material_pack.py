"""The pack's annex: a schedule of attachments, graded intelligence (C-coded items only after a
sanitisation decision), and attachments appended as pages, victims minimised in all of it."""
import io
import json

import pytest
from pypdf import PdfReader

from tests.material import files
from tests.pack.conftest import VICTIM, approved_case, outdir  # noqa: F401 (fixtures)
from triage_app.errors import BadInput
from triage_app.material import attachments, intel
from triage_app.pack.issue import issue_pack
from triage_app.pack.material import words_of_name

C_TEXT = "QZCCODED the suspect's brother keeps a flat above the takeaway"
P_TEXT = "QZPCODED seen with two girls in a silver Vauxhall Astra"


def _text(path) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


def _words(path) -> str:
    """The whole pack's text with every run of white space one space (table cells wrap anywhere)."""
    return " ".join(" ".join(_text(path)).split())


def _entry(session, pack_id):
    for r in session.query("SELECT detail FROM audit WHERE action = 'pack.issue' ORDER BY seq DESC"):
        d = json.loads(r[0])
        if d["pack_id"] == pack_id:
            return d


@pytest.fixture
def graded(login, approved_case):
    rita = login("rita")
    p = intel.add(rita, approved_case, text=P_TEXT, source="IR 2011/0093", grade="1B-P", item_date="2011-10-02")
    suspect = rita.one("SELECT id FROM nominals WHERE role = 'suspect'")[0]
    c = intel.add(rita, approved_case, text=C_TEXT, source="IR 2011/0107", grade="2A-C", item_date="2011-11-12",
                  conditions="Not to be shared outside policing without the originator's consent", nominal=suspect)
    return rita, p["id"], c["id"]


def test_a_c_coded_item_stays_out_of_the_pack_until_a_sanitisation_decision(graded, approved_case, outdir):
    rita, p_id, c_id = graded
    first = issue_pack(rita, approved_case, outdir / "v1.pdf")
    text = "\n".join(_text(outdir / "v1.pdf"))
    assert "QZPCODED" in text and "1B-P" in text
    assert "QZCCODED" not in text and "2A-C" not in text
    assert _entry(rita, first["pack_id"])["intel_withheld"] == [c_id]

    intel.sanitise(rita, approved_case, c_id, reason="Originator consulted; source not identifiable",
                   text="QZSANITISED a relative of the suspect is believed to have use of a flat nearby")
    decision = rita.one("SELECT kind, detail FROM audit WHERE action = 'intel.sanitise'")
    assert decision["kind"] == "alteration" and json.loads(decision["detail"])["item"] == c_id
    second = issue_pack(rita, approved_case, outdir / "v2.pdf")
    text = _words(outdir / "v2.pdf")
    assert "QZSANITISED" in text and "2A-C" in text
    assert "QZCCODED" not in text          # the sanitised wording, never the original
    assert "originator's consent" in text  # the conditions bind the recipient, so they are printed
    assert _entry(rita, second["pack_id"])["intel_withheld"] == []
    assert _entry(rita, second["pack_id"])["intel_included"] == [p_id, c_id]


def test_a_p_coded_item_needs_no_decision(graded, approved_case):
    rita, p_id, _ = graded
    with pytest.raises(BadInput, match="handled P"):
        intel.sanitise(rita, approved_case, p_id, reason="not needed")


def test_the_grading_shows_with_each_item(graded, approved_case, outdir):
    rita, _, _ = graded
    issue_pack(rita, approved_case, outdir / "p.pdf")
    text = "\n".join(_text(outdir / "p.pdf"))
    assert "Intelligence (graded 3x5x2)" in text
    assert "source reliable; known indirectly to the source but corroborated; lawful sharing permitted" in " ".join(
        text.split())


def test_the_schedule_lists_every_attachment_with_its_hash_and_minimises_names(login, approved_case, outdir, tmp_path):
    rita = login("rita")
    f = tmp_path / f"Statement_{VICTIM[0]}{VICTIM[1]}-2011.pdf"
    f.write_bytes(files.pdf())
    a = attachments.add(rita, approved_case, f, f"ABE transcript, {VICTIM[0]} {VICTIM[1]}")
    g = tmp_path / "referral.docx"
    g.write_bytes(files.docx())
    b = attachments.add(rita, approved_case, g, "Children's services referral, 2010")
    issue_pack(rita, approved_case, outdir / "p.pdf")
    text = "\n".join(_text(outdir / "p.pdf"))
    flat = "".join(text.split())
    for row in (a, b):
        assert row["sha256"] in flat
        assert row["added_at"][:10] in text
    assert "Children's services referral, 2010" in text
    for name in VICTIM:
        assert name not in text and name.upper() not in text
    assert "Statement K.A. 2011 (pdf)" in text and "ABE transcript, K.A." in text
    assert "QZMATMARKER" not in text       # listed, not appended: the statement itself is not in the pack


def test_words_of_a_file_name():
    assert words_of_name("Statement_KeeleyAshworth-2011.pdf") == "Statement Keeley Ashworth 2011 (pdf)"
    assert words_of_name("nfa.letter.PDF") == "nfa letter (pdf)"
    assert words_of_name("README") == "README"


def test_chosen_attachments_are_appended_as_marked_pages(login, approved_case, outdir, tmp_path):
    rita = login("rita")
    (tmp_path / "s.pdf").write_bytes(files.pdf(pages=2))
    (tmp_path / "p.png").write_bytes(files.png())
    (tmp_path / "r.docx").write_bytes(files.docx())
    a = attachments.add(rita, approved_case, tmp_path / "s.pdf", "Statement")
    b = attachments.add(rita, approved_case, tmp_path / "p.png", "Photograph")
    attachments.add(rita, approved_case, tmp_path / "r.docx", "Referral")
    issue_pack(rita, approved_case, outdir / "plain.pdf")
    done = issue_pack(rita, approved_case, outdir / "full.pdf", append_attachments=["all"])
    plain, full = _text(outdir / "plain.pdf"), _text(outdir / "full.pdf")
    assert len(full) == len(plain) + 3
    for n, text in enumerate(full, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2 and f"Page {n} of {len(full)}" in text
    tail = "\n".join(full[-3:])
    assert f"Attachment {a['id']}, page 1 of 2" in tail and f"Attachment {b['id']}, page 1 of 1" in tail
    assert "QZMATMARKER" not in "\n".join(full)   # drawn as images: no text, script or form carried over
    assert _entry(rita, done["pack_id"])["attachments_appended"] == [a["id"], b["id"]]
    reader = PdfReader(io.BytesIO((outdir / "full.pdf").read_bytes()))
    assert "/JavaScript" not in str(reader.trailer["/Root"])


def test_only_pdfs_and_images_can_be_appended(login, approved_case, outdir, tmp_path):
    rita = login("rita")
    (tmp_path / "r.docx").write_bytes(files.docx())
    r = attachments.add(rita, approved_case, tmp_path / "r.docx", "Referral")
    with pytest.raises(BadInput, match="not a PDF or an image"):
        issue_pack(rita, approved_case, outdir / "p.pdf", append_attachments=[str(r["id"])])
    assert list(outdir.iterdir()) == []


def test_the_pack_command_appends_on_request(cli, login, approved_case, outdir, tmp_path):
    (tmp_path / "s.pdf").write_bytes(files.pdf(pages=1))
    code, out, err = cli("rita", "attach", "add", approved_case, str(tmp_path / "s.pdf"), "--description", "Statement",
                         "--json")
    assert code == 0, err
    number = json.loads(out)["id"]
    code, out, err = cli("rita", "pack", approved_case, "--out", str(outdir / "p.pdf"), "--append-attachment",
                         str(number))
    assert code == 0, err
    assert f"Attachment {number}, page 1 of 1" in _text(outdir / "p.pdf")[-1]
