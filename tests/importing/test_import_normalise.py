"""Normal forms shared with linking: pure functions, originals never needed to compare."""
from __future__ import annotations

import pytest

from triage_app.linking import normalise as n


@pytest.mark.parametrize("raw", ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900123",
                                 "0044 7700 900123", "07700-900-123", " (07700) 900 123 "])
def test_import_phone_forms_become_one(raw):
    assert n.phone(raw) == "+447700900123"


@pytest.mark.parametrize("raw", ["", "  ", "12345", "not known", "0"])
def test_import_unreadable_phones_are_none(raw):
    assert n.phone(raw) is None


def test_import_phone_lists_and_landlines():
    assert n.phones("0113 496 0123; (0113) 4960123;; 020 7946 0001") == ["+441134960123", "+442079460001"]


def test_import_vehicles_postcodes_names_addresses():
    assert n.vehicles("zx51 abc; ZX51ABC ; z x 5 1-a b c;x") == ["ZX51ABC"]
    assert n.postcode("ls14ab") == "LS1 4AB" and n.postcode(" sw1a 1aa ") == "SW1A 1AA"
    assert n.postcode("LS1") is None and n.postcode("12345") is None
    assert n.full_name("  MOHAMMED   Ali ", "o\u2019brien") == "mohammed ali o'brien"
    assert n.full_name(None, None) == ""
    assert n.display_name("mARY-ann  SMITH") == "Mary-Ann Smith"
    assert n.address("12, Mill Rd.") == "12 mill road"
    assert n.address("Flat 2, 5 St Mary's Rd, Leeds LS1 4AB") == "flat 2 5 st marys road leeds"
    assert n.address_key("12 Mill Road", "ls1 4ab") == "12 mill road LS1 4AB"
    assert n.address_key("12 Mill Road", "") is None and n.address_key("", "LS1 4AB") is None


@pytest.mark.parametrize("raw", ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "(07700) 900-123",
                                 "07700.900.123", "020 7946 0018", "+44 (0)20 7946 0018", "0044 7700 900123",
                                 "7700 900123", "077009001234", "0770090012", "+1 202 555 0143", "01632 960 001",
                                 "not a phone", "", "08000 000000", "+44 07700 900123"])
def test_import_fast_phone_path_agrees_with_phonenumbers(raw):
    # The check reads the two common UK forms without phonenumbers; the answer must be the same.
    from triage_app.importing.validate import phone
    assert phone(raw) == n.phone(raw)


def test_import_full_name_is_the_parts_joined():
    # full_name is written out for speed (nominals.name_norm, once per person): it must stay the
    # non-empty normalised parts joined by one space, for any pair of cells.
    parts = [None, "", " ", "  MOHAMMED   Ali ", "o\u2019brien", "!!", "Ann-Marie", "_", "\u00c9lodie", "x", "-"]
    for f in parts:
        for s in parts:
            assert n.full_name(f, s) == " ".join(p for p in (n.name(f), n.name(s)) if p), (f, s)


def _address_as_written_first(text):
    """normalise.address before its shortcuts (no digit, no abbreviation): the reference it must match."""
    import unicodedata
    if not text or not text.strip():
        return None
    t = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("\u2019", "")
    t = n._ADDRESS_PUNCT.sub(" ", t).replace("_", " ")
    words = t.split()
    if len(words) >= 2 and n.postcode(" ".join(words[-2:])):
        words = words[:-2]
    elif words and n.postcode(words[-1]):
        words = words[:-1]
    out = []
    for i, w in enumerate(words):
        full = n._ABBREVIATIONS.get(w)
        if full and not (w == "st" and (i == 0 or words[i - 1].isdigit())):
            w = full
        out.append(w)
    return " ".join(out) or None


def test_import_address_shortcuts_change_nothing():
    import random
    # the digit shortcut rests on this: no character but 0-9 has a 0-9 in its upper case
    digits = set("0123456789")
    assert all(c in digits for c in map(chr, range(0x110000)) if digits & set(c.upper()))
    rnd = random.Random(7)
    words = ["12", "2", "St", "st", "ST.", "Mill", "Rd", "rd.", "Road", "Mary's", "Leeds", "LS1", "4AB", "ls14ab",
             "SW1A", "1AA", "GIR", "0AA", "M1", "1AE", "flat", "Flt", "ave", "Ln", "\uff11\uff12", "L\uff33\uff11",
             "\u00e9cole", "O\u2019Neil", "_", "-", "/", ",", "B33", "8TH", "12a", "x1", "1x", "AB12", "3CD", "\u0661"]
    corpus = ["", " ", "12, Mill Rd.", "Flat 2, 5 St Mary's Rd, Leeds LS1 4AB", "St Mary's Road", "LS1 4AB",
              "ls14ab", "4 St", "Mill Rd LS1", "1 Road GIR 0AA", "\uff11\uff12 Mill Rd \uff2c\uff33\uff11 \uff14\uff21\uff22"]
    for _ in range(20000):
        corpus.append(rnd.choice([" ", ", ", " ,"]).join(rnd.choice(words) for _ in range(rnd.randint(1, 6))))
    for text in corpus:
        assert n.address.__wrapped__(text) == _address_as_written_first(text), text
