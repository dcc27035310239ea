"""Attachments: each add, list, view, export and remove is audited; hashes are checked on the way out."""
import hashlib
import json

import pypdfium2 as pdfium
import pytest

from tests.material import files
from tests.material.conftest import counts
from triage_app.errors import BadInput, NotFound, Refused, TriageError
from triage_app.material import attachments, content


def _entries(session, action):
    return [dict(r) for r in session.query("SELECT * FROM audit WHERE action = ? ORDER BY seq", (action,))]


def test_an_attached_pdf_is_kept_whole_with_its_hash_and_one_collection_entry(rita, case, put):
    data = files.pdf(pages=3)
    row = attachments.add(rita, case, put("statement.pdf", data), "Witness statement, 2011")
    assert row["sha256"] == hashlib.sha256(data).hexdigest() and row["size"] == len(data) and row["pages"] == 3
    assert content.read_all(rita.conn, row["id"]) == data
    [entry] = _entries(rita, "attach.add")
    detail = json.loads(entry["detail"])
    assert entry["kind"] == "collection" and entry["case_ref"] == case
    assert detail == {"sha256": row["sha256"], "size": len(data), "type": "pdf", "attachment": row["id"]}
    assert "statement" not in entry["detail"]  # the audit log never holds a file name


def test_list_shape_is_the_agreed_one_and_a_consultation(rita, case, put):
    attachments.add(rita, case, put("a.pdf", files.pdf()), "A statement")
    attachments.add(rita, case, put("b.png", files.png()), "A photograph")
    [a, b] = attachments.listing(rita, case)
    for key in ("id", "name", "description", "size", "sha256", "added_by", "added_at"):
        assert key in a
    assert (a["name"], b["name"], b["kind"], a["added_by"]) == ("a.pdf", "b.png", "image", "rita")
    assert _entries(rita, "attach.list")[0]["kind"] == "consultation"


def test_view_reads_a_pdf_on_demand_from_the_vault_and_is_audited(rita, case, put):
    data = files.pdf(pages=4)
    row = attachments.add(rita, case, put("s.pdf", data), "A statement")
    opened = attachments.view(rita, case, row["id"], reason="reading the statement")
    doc = pdfium.PdfDocument(opened.reader)
    assert len(doc) == 4
    assert "QZMATMARKER" in doc[0].get_textpage().get_text_range()
    doc.close()
    opened.close()
    [entry] = _entries(rita, "attach.view")
    assert entry["kind"] == "consultation"
    assert json.loads(entry["detail"]) == {"attachment": row["id"], "sha256": row["sha256"],
                                           "reason": "reading the statement"}


def test_the_reader_is_a_faithful_seekable_file():
    class Conn:
        def __init__(self, blob):
            self.blob = blob

        def execute(self, sql, params):
            _, n = params
            block = self.blob[n * content.CHUNK:(n + 1) * content.CHUNK]

            class R:
                def fetchone(_):
                    return (block,) if block else None
            return R()

    blob = bytes(range(256)) * 5000  # spans several chunks
    r = content.Reader(Conn(blob), 1, len(blob))
    for start, n in ((0, 10), (content.CHUNK - 3, 9), (len(blob) - 5, 50), (len(blob) + 4, 4)):
        r.seek(start)
        assert r.read(n) == blob[start:start + n]
    r.seek(-7, 2)
    assert r.read() == blob[-7:]


def test_other_kinds_are_not_shown_inside_the_app(rita, case, put):
    row = attachments.add(rita, case, put("referral.docx", files.docx()), "Referral")
    with pytest.raises(Refused, match="Export it, with a reason"):
        attachments.view(rita, case, row["id"])
    assert _entries(rita, "attach.view") == []


def test_export_writes_the_exact_bytes_and_a_disclosure_entry(rita, case, put, tmp_path):
    data = files.docx()
    row = attachments.add(rita, case, put("referral.docx", data), "Referral")
    out = tmp_path / "out.docx"
    attachments.export(rita, case, row["id"], out, "CPS charging advice")
    assert out.read_bytes() == data
    [entry] = _entries(rita, "attach.export")
    assert entry["kind"] == "disclosure"
    assert json.loads(entry["detail"])["reason"] == "CPS charging advice"


def test_export_refuses_content_that_no_longer_matches_its_hash(rita, case, put, tmp_path):
    row = attachments.add(rita, case, put("s.pdf", files.pdf()), "A statement")
    with rita.change("read", "test.tamper"):
        rita.conn.execute("UPDATE attachment_content SET data = ? WHERE attachment = ? AND n = 0",
                          (b"%PDF-1.4 tampered", row["id"]))
    before = counts(rita)
    out = tmp_path / "out.pdf"
    with pytest.raises(TriageError, match="fails its hash check"):
        attachments.export(rita, case, row["id"], out, "for the CPS")
    assert not out.exists() and list(tmp_path.glob(".export-*")) == []
    assert counts(rita) == before


def test_export_needs_a_reason_and_never_overwrites(rita, case, put, tmp_path):
    row = attachments.add(rita, case, put("s.pdf", files.pdf()), "A statement")
    with pytest.raises(BadInput, match="reason"):
        attachments.export(rita, case, row["id"], tmp_path / "o.pdf", "  ")
    (tmp_path / "o.pdf").write_bytes(b"mine")
    with pytest.raises(BadInput, match="already exists"):
        attachments.export(rita, case, row["id"], tmp_path / "o.pdf", "for the CPS")
    assert (tmp_path / "o.pdf").read_bytes() == b"mine"


def test_a_failed_audit_entry_removes_the_exported_file(rita, case, put, tmp_path, monkeypatch):
    row = attachments.add(rita, case, put("s.pdf", files.pdf()), "A statement")
    from triage_app import audit
    real = audit.append

    def failing(conn, user, action, *a, **k):
        if action == "attach.export":
            raise TriageError("the audit entry could not be written")
        return real(conn, user, action, *a, **k)

    monkeypatch.setattr(audit, "append", failing)
    out = tmp_path / "o.pdf"
    with pytest.raises(TriageError):
        attachments.export(rita, case, row["id"], out, "for the CPS")
    assert not out.exists()


def test_remove_erases_content_name_and_description_and_keeps_the_hash(rita, case, put):
    row = attachments.add(rita, case, put("Statement of someone.pdf", files.pdf()), "About someone")
    attachments.remove(rita, case, row["id"], "attached to the wrong case")
    kept = dict(rita.one("SELECT * FROM attachments WHERE id = ?", (row["id"],)))
    assert kept["sha256"] == row["sha256"] and kept["name"] == "" and kept["description"] == ""
    assert kept["removed_by"] == "rita"
    assert rita.one("SELECT count(*) FROM attachment_content")[0] == 0
    [entry] = _entries(rita, "attach.remove")
    assert entry["kind"] == "erasure" and json.loads(entry["detail"])["sha256"] == row["sha256"]
    assert attachments.listing(rita, case) == []
    with pytest.raises(NotFound, match="only its hash is kept"):
        attachments.view(rita, case, row["id"])


def test_the_same_file_twice_on_a_case_is_refused_with_nothing_stored(rita, case, put):
    p = put("s.pdf", files.pdf())
    attachments.add(rita, case, p, "A statement")
    before = counts(rita)
    with pytest.raises(BadInput, match="already attached"):
        attachments.add(rita, case, p, "Again")
    assert counts(rita) == before


def test_roles_and_unknown_cases(login, case, put):
    ada = login("ada")
    p = put("s.pdf", files.pdf())
    with pytest.raises(Refused):
        attachments.add(ada, case, p, "A statement")
    with pytest.raises(NotFound):
        attachments.add(login("rita"), "CR/0000/NONE", p, "A statement")


def test_a_case_has_a_ceiling_on_what_it_holds(rita, case, put, monkeypatch):
    from triage_app.material import limits
    monkeypatch.setitem(limits.attachments(), "max_case_bytes", 3000)
    attachments.add(rita, case, put("a.txt", b"x" * 2000), "Notes")
    before = counts(rita)
    with pytest.raises(BadInput, match="a case may hold"):
        attachments.add(rita, case, put("b.txt", b"y" * 2000), "More notes")
    assert counts(rita) == before


def test_verify_all_finds_a_changed_chunk(rita, case, put):
    row = attachments.add(rita, case, put("s.pdf", files.pdf()), "A statement")
    assert attachments.verify_all(rita.conn) == []
    with rita.change("read", "test.tamper"):
        block = rita.one("SELECT data FROM attachment_content WHERE attachment = ?", (row["id"],))[0]
        rita.conn.execute("UPDATE attachment_content SET data = ? WHERE attachment = ?", (block + b"\0", row["id"]))
    assert attachments.verify_all(rita.conn) == [f"attachment {row['id']} of case {case} fails its SHA-256 check"]


def test_a_page_claiming_to_be_kilometres_wide_is_drawn_within_the_pixel_limit(rita, case, put):
    from triage_app.material import limits, render
    row = attachments.add(rita, case, put("huge.pdf", files.huge_page_pdf()), "A hostile page size")
    opened = attachments.view(rita, case, row["id"])
    doc = render.open_pdf(opened.reader)
    image, (w, h) = render.pdf_page(doc, 0, dpi=300)
    assert w * h * (300 / 72) ** 2 > 100 * limits.max_render_pixels()   # at 300 dpi: 200 times too many
    assert image.width * image.height <= limits.max_render_pixels()
    doc.close()
    opened.close()
