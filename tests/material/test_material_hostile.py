"""Hostile files are refused in one plain sentence, with nothing stored and no name echoed.

Through the real command line (in-process): exit 1, one line on stderr ending "Nothing was
stored.", no traceback, and no attachment row, content chunk or attach.add entry afterwards.
"""
import os
import struct
import sys
import zlib

import pytest

from tests.material import files
from triage_app.material import check


@pytest.fixture
def refused(cli, case, login):
    def _try(path, *extra, match: str):
        code, out, err = cli("rita", "attach", "add", case, str(path), "--description", "A hostile file", *extra)
        assert code == 1, (out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert "Traceback" not in err and lines[0].endswith("Nothing was stored.")
        assert match in lines[0], lines[0]
        stem = os.path.splitext(os.path.basename(str(path)))[0]
        assert len(stem) < 5 or stem not in err  # never the file's name
        s = login("sam")
        assert s.one("SELECT count(*) FROM attachments")[0] == 0
        assert s.one("SELECT count(*) FROM attachment_content")[0] == 0
        assert s.one("SELECT count(*) FROM audit WHERE action LIKE 'attach.%'")[0] == 0
        return lines[0]
    return _try


def test_a_zip_bomb_dressed_as_a_word_document(refused, put):
    bomb = files.zip_bomb_docx(600)
    assert len(bomb) < 1 << 20
    refused(put("Referral-bombastic.docx", bomb), match="zip bomb")


def test_a_zip_bomb_whose_directory_lies_is_caught_unpacking(refused, put):
    # The directory claims 1 KB; the member really unpacks to 600 MB (zipfile stops at the claimed
    # size and then fails the CRC, so nothing past the cap is ever held).
    import io
    import zipfile
    data = files.zip_bomb_docx(600, claim=1024)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size == 1024
    refused(put("Referral-liar.docx", data), match="damaged")


def test_a_plain_zip_archive_is_not_an_accepted_type(refused, put):
    refused(put("bundle-of-things.zip", files.zip_bomb_docx(10)), match="not '.zip' files")


def test_a_2_gb_file_is_refused_from_its_size_without_being_read(refused, tmp_path, monkeypatch):
    big = tmp_path / "Scan-enormous.pdf"
    with open(big, "wb") as f:
        f.truncate(2 << 30)   # sparse: no disk is filled
    assert big.stat().st_size == 2 << 30 and big.stat().st_blocks * 512 < 1 << 20
    from triage_app.material import intake

    def no_reading(*a, **k):
        raise AssertionError("a file over the limit must not be read")

    monkeypatch.setattr(intake, "_read_at_most", no_reading)
    line = refused(big, match="is 2 GB; an attachment may be at most 100 MB")
    assert line.startswith("The file to attach is 2 GB")


def test_a_pdf_that_floods_its_reader_is_refused_by_the_limited_checker(refused, put):
    # 2 MB on disk; PDFium inflates its content stream to 2 GB (3 GB of memory, 28 s, measured).
    line = refused(put("Statement-flood.pdf", files.flate_bomb_pdf(2048)), match="crash or run out")
    assert line.startswith("The PDF to attach made the reader crash")


def test_a_pdf_whose_page_tree_loops(refused, put):
    refused(put("Statement-loop.pdf", files.page_tree_loop_pdf()), match="can't be read")


def test_a_truncated_pdf(refused, put):
    refused(put("Statement-cut.pdf", files.pdf()[:700]), match="damaged")


def test_a_reader_that_crashes_or_hangs_is_a_refusal(refused, put, monkeypatch):
    """Whatever PDFium does with some future file — a segfault, a hang — is a refusal, not a crash here."""
    monkeypatch.setattr(check, "command", lambda kind: [sys.executable, "-c",
                                                        "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"])
    refused(put("Statement-segv.pdf", files.pdf()), match="crash")
    monkeypatch.setattr(check, "command", lambda kind: [sys.executable, "-c", "import time; time.sleep(30)"])
    from triage_app.material import limits
    monkeypatch.setitem(limits.checker(), "wall_seconds", 1)
    refused(put("Statement-hang.pdf", files.pdf(text="other")), match="took more than 1 seconds")


def test_names_with_path_separators(refused, put, tmp_path):
    refused(put("..\\..\\Windows\\evil.pdf", files.pdf()), match="path separator")
    good = put("fine.pdf", files.pdf())
    refused(good, "--name", "../../etc/evil.pdf", match="path separator")


def test_a_file_that_is_not_what_its_name_says(refused, put):
    refused(put("Photo-disguised.pdf", files.png()), match="is not a PDF")
    refused(put("Statement-disguised.png", files.pdf()), match="is not a .png image")
    refused(put("Minutes-disguised.docx", b"MZ\x90\x00" + bytes(100)), match="is not a .docx document")


def test_a_decompression_bomb_image(refused, put):
    # A PNG header claiming 60000 x 60000 pixels (3.6 gigapixels) over a tiny body.
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
    refused(put("Photo-bomb.png", png), match="megapixels")


def test_not_a_plain_file(refused, tmp_path):
    fifo = tmp_path / "Pipe-thing.txt"
    os.mkfifo(fifo)
    refused(fifo, match="not a plain file")
    refused("/dev/zero", "--name", "zero.txt", match="not a plain file")


def test_text_that_is_not_text(refused, put):
    refused(put("Notes-binary.txt", b"abc\x00def"), match="NUL")
