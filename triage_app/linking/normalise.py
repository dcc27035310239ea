"""Normal forms of what people, phones, vehicles and places look like on a record.

Pure functions, no database: the importer stores these beside the originals, and linking compares
them; the common ones are cached because the same people recur across thousands of rows. Each returns None when the input holds nothing usable, so a caller never stores a blank
identifier that would "link" every record with a blank field.

- `phone("07700 900123")` → "+447700900123" (E.164, UK numbers assumed when no country is given)
- `phones("07700 900123; +44 113 496 0123")` → list of E.164 numbers, unreadable parts skipped
- `vehicle("ab12 cde")` → "AB12CDE"
- `postcode("sw1a1aa")` → "SW1A 1AA"
- `name("  MOHAMMED   khan ")` → "mohammed khan"
- `full_name(forenames, surname)` → "forenames surname" normalised (nominals.name_norm)
- `address("12, Mill Rd.")` → "12 mill road"
- `address_key(address, postcode)` → "12 mill road SW1A 1AA" only when both are usable
- `dob("1990-03-04")` → "1990-03-04"; a date of birth kept as recorded because it is no real date
  ("31/02/1990", "00/00/1900") → None: unknown for linking and ages
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import phonenumbers

from triage_app.vault import residue

_SPLIT = re.compile(r"[;\n]+")
_SPACES = re.compile(r"\s+")

# --- phones -------------------------------------------------------------------------------


_PHONE_NOISE = re.compile(r"[\s\-.()/]")


def phone(text: str | None) -> str | None:
    """One phone number in E.164 form, or None.

    Ofcom's drama ranges (07700 900xxx, 0113 496 0xxx …) are "possible" but not "valid" numbers,
    and records hold such numbers too, so a possible number of full UK length is accepted.
    """
    if not text or not text.strip():
        return None
    # Spacing and punctuation never change the number; dropping them first lets the cache see
    # "07700 900123" and "07700-900123" as one entry (parsing is the slow part of an import).
    return _phone(_PHONE_NOISE.sub("", text.strip()))


@lru_cache(maxsize=131072)
def _phone(compact: str) -> str | None:
    try:
        n = phonenumbers.parse(compact, "GB")
    except phonenumbers.NumberParseException:
        return None
    if len(str(n.national_number)) < 9 or not phonenumbers.is_possible_number(n):
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


def split_list(text: str | None) -> list[str]:
    """The parts of a `;`-separated cell (phones, vehicles), trimmed, blanks dropped."""
    if not text:
        return []
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def _each(text: str | None, normalise) -> list[str]:
    """Every readable value in a `;`-separated cell, normalised, in order, without repeats."""
    out: list[str] = []
    for part in split_list(text):
        v = normalise(part)
        if v and v not in out:
            out.append(v)
    return out


def phones(text: str | None) -> list[str]:
    """Every readable number in a `;`-separated cell, normalised, in order, without repeats."""
    return _each(text, phone)


# --- vehicles -----------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def vehicle(text: str | None) -> str | None:
    """A registration mark upper-case with spaces and punctuation removed (2–8 characters), or None."""
    if not text:
        return None
    v = _NOT_ALNUM.sub("", text.upper())
    return v if 2 <= len(v) <= 8 else None


def vehicles(text: str | None) -> list[str]:
    return _each(text, vehicle)


# --- postcodes ----------------------------------------------------------------------------

# The shapes of a full UK postcode (outward code, then digit + two letters); GIR 0AA is historic.
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR)[0-9][A-Z]{2}$")


@lru_cache(maxsize=65536)
def postcode(text: str | None) -> str | None:
    """A full UK postcode as "SW1A 1AA", or None when it is not one (partial codes are not enough to link)."""
    if not text:
        return None
    p = re.sub(r"[^0-9A-Z]", "", text.upper())
    if not _POSTCODE.match(p):
        return None
    return f"{p[:-3]} {p[-3:]}"


# --- names --------------------------------------------------------------------------------

_NAME_PUNCT = re.compile(r"[^\w'\- ]+")


@lru_cache(maxsize=65536)
def name(text: str | None) -> str:
    """Lower case, single spaces, punctuation other than hyphen and apostrophe removed.

    Typographic apostrophes become plain ones so O’Brien and O'Brien agree. Accents are kept:
    stripping them is a matching decision, left to the name matcher.
    """
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    t = _NAME_PUNCT.sub(" ", t.casefold()).replace("_", " ")
    return _SPACES.sub(" ", t).strip()


def full_name(forenames: str | None, surname: str | None) -> str:
    """nominals.name_norm: normalised "forenames surname"; empty when neither is known."""
    f, s = name(forenames), name(surname)
    return f"{f} {s}" if f and s else f or s     # " ".join of the non-empty ones, at a third of its cost


def display_name(text: str | None) -> str:
    """Names' case and spacing for showing: "MOHAMMED  khan" → "Mohammed Khan"."""
    n = name(text)
    return " ".join("-".join(w[:1].upper() + w[1:] for w in part.split("-")) for part in n.split(" "))


# --- addresses ----------------------------------------------------------------------------

_ABBREVIATIONS = {
    "rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "ln": "lane", "dr": "drive",
    "cl": "close", "cres": "crescent", "ct": "court", "sq": "square", "pl": "place", "gdns": "gardens",
    "tce": "terrace", "gr": "grove", "pk": "park", "hse": "house", "flt": "flat",
}
_ADDRESS_PUNCT = re.compile(r"[^\w/\- ]+")
_DIGIT = re.compile("[0-9]")


# Not larger: room for every distinct address of a 100,000-case import (1 << 18) lets the link reuse
# the check's ~140k (features._columns ~1.5 CPU s less) but raised the import's peak memory by ~40 MB
# (953 -> 992 MB), even with the cache emptied and the heap trimmed before the link's own work.
@lru_cache(maxsize=65536)
def address(text: str | None) -> str | None:
    """Lower case, punctuation and extra spaces removed, common street abbreviations written out.

    "St" becomes "street" only after the first word ("St Mary's Road" keeps its saint).
    A postcode at the end of the address is dropped: it is compared separately.
    """
    if not text or not text.strip():
        return None
    t = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("\u2019", "")
    t = _ADDRESS_PUNCT.sub(" ", t).replace("_", " ")
    words = t.split()
    tail = " ".join(words[-2:])
    # A postcode holds a digit 0-9 (and upper() makes none): most addresses end in a town, and skip
    # both tests; most have no abbreviation either (a 100k import's 140k: 3.2 -> 2.5 us an address).
    if _DIGIT.search(tail):
        if len(words) >= 2 and postcode(tail):
            words = words[:-2]
        elif postcode(words[-1]):
            words = words[:-1]
    if _ABBREVIATIONS.keys().isdisjoint(words):
        return " ".join(words) or None
    out = []
    for i, w in enumerate(words):
        full = _ABBREVIATIONS.get(w)
        if full and not (w == "st" and (i == 0 or words[i - 1].isdigit())):
            w = full
        out.append(w)
    return " ".join(out) or None


def address_key(addr: str | None, code: str | None) -> str | None:
    """The 'address' identifier: normalised address + ' ' + normalised postcode, only with both."""
    a, p = address(addr), postcode(code)
    return f"{a} {p}" if a and p else None


# --- dates of birth -----------------------------------------------------------------------

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=65536)
def dob(value: str | None) -> str | None:
    """A stored date of birth when it is a real date (YYYY-MM-DD), else None. The importer keeps an
    impossible or partial one as recorded ("31/02/1990") with a warning; it is no date to compare."""
    if not value or not _ISO_DAY.match(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


@residue.register
def forget() -> None:
    """Drop the caches of normal forms (they hold names, phones, addresses and dates of birth read
    from the vault): when a relink ends, and when the vault locks."""
    for f in (_phone, postcode, name, address, dob):
        f.cache_clear()
