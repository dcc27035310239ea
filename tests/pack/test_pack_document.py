"""The document layer alone, from synthetic PackData: read back with pypdf."""
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from triage_app.pack.document import SECTIONS, render
from triage_app.pack.identity import initials, minimise, redact_text
from triage_app.pack.sample import sample_pack


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def small():
    data = sample_pack()
    return data, render(minimise(data))


@pytest.fixture(scope="module")
def big():
    data = sample_pack(inquiries=30, linked=20, long_text=True)
    return data, render(minimise(data))


@pytest.mark.parametrize("which", ["small", "big"])
def test_every_page_marked_twice_numbered_and_referenced(which, request):
    data, pdf = request.getfixturevalue(which)
    pages = _pages(pdf)
    assert len(pages) >= (2 if which == "small" else 8)
    for n, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {n}"
        assert f"Page {n} of {len(pages)}" in text
        assert data.ref in text


def test_every_section_present_in_order(small):
    text = "\n".join(_pages(small[1]))
    positions = [text.find(s) for s in SECTIONS]
    assert all(p >= 0 for p in positions), SECTIONS
    assert positions == sorted(positions)
    for cover in ("Crime reference", "Force", "Prepared by", "Signed off by", "Protective marking"):
        assert cover in text


def test_victim_minimised_by_default_even_inside_quoted_text(small):
    data, pdf = small
    victim = data.people[0]
    text = "\n".join(_pages(pdf))
    assert victim.surname not in text and victim.surname.upper() not in text
    assert victim.forenames not in text
    assert "Wolstenholme" not in text            # a victim on a linked case, named in no field of this one
    assert f"{initials(victim.forenames, victim.surname)}, aged 14 at the offence" in text
    assert "not a credible witness" in text      # the rationale is quoted, only the name is replaced


def test_full_identity_only_when_chosen(small):
    data, _ = small
    text = "\n".join(_pages(render(minimise(data, "full"))))
    assert data.people[0].surname.upper() in text
    assert "FULL victim identity" in text


def test_xml_special_characters_print_as_written(small):
    text = "\n".join(_pages(small[1]))
    assert "<no ABE interview>" in text
    assert "& the suspects' denials" in text


def test_long_tables_split_with_repeated_headers(big):
    pages = _pages(big[1])
    with_inquiry_header = [n for n, t in enumerate(pages) if "Priority" in t and "Rationale" in t and "Owner" in t]
    assert len(with_inquiry_header) >= 2          # the inquiry table runs over pages, its header on each
    text = "\n".join(pages)
    for n in (1, 15, 30):
        assert f"Action {n}:" in text
    assert "/200019" in text                       # the twentieth linked case


def test_metadata_font_and_pack_id(small):
    data, pdf = small
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert data.ref in meta.title and data.prepared_by in meta.author and data.control.pack_id in meta.subject
    fonts = {f["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].get_object().values()}
    assert any("DejaVuSans" in str(f) for f in fonts)
    assert all("Helvetica" not in str(f) for f in fonts)
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.5)    # A4


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_check_passes(big, tmp_path):
    f = tmp_path / "pack.pdf"
    f.write_bytes(big[1])
    done = subprocess.run(["qpdf", "--check", str(f)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_redaction_whole_words_any_case():
    names = [("Amelia Jane", "Clarke")]
    assert redact_text("CLARKE's phone; amelia jane clarke said; Clarkeson", names) == "C.'s phone; A.J.C. said; Clarkeson"
    assert redact_text("Clarke, Amelia left", names) == "A.J.C. left"
    assert redact_text("Smith-Jones met Jones", [("Ann", "Smith-Jones")]) == "S. met J."


def test_minimised_people_hold_nothing_of_a_victim_for_a_renderer_to_print():
    # Whatever a section prints of a person, the minimised data holds no victim's identity to print:
    # the victim's own fields are emptied, another's date of birth equal to hers is withheld, and
    # free-text fields of others are redacted.
    data = sample_pack()
    victim = next(p for p in data.people if p.role == "victim")
    suspect, other = [p for p in data.people if p.role == "suspect"]
    witness = next(p for p in data.people if p.role == "witness")
    suspect.dob = victim.dob
    witness.ethnicity = f"cousin of {victim.forenames} {victim.surname}"
    out = minimise(data)
    v = next(p for p in out.people if p.role == "victim")
    assert (v.forenames, v.surname, v.dob) == (None, None, None)
    assert v.shown_as.startswith(initials(victim.forenames, victim.surname))
    s, o = [p for p in out.people if p.role == "suspect"]
    assert s.dob == "Withheld" and o.dob == other.dob
    w = next(p for p in out.people if p.role == "witness")
    assert victim.forenames not in w.ethnicity and victim.surname not in w.ethnicity
    assert data.people[0].forenames == victim.forenames            # the input is left as it was
