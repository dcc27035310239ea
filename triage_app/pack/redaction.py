"""Finding a victim's identifiers inside free text, in whatever form a person typed them.

Each finder is built from the victims' recorded values (normalised the way the importer and linker
normalise them, `linking.normalise`) and replaces every written form of one of those values:

- dates of birth: ISO, dd/mm/yyyy and its variants (one-digit day or month, two-digit year, dots or
  dashes, 8 digits run together), and written out ("7 March 2000", "7th of Mar 2000", "March 7, 2000");
- phones: any spacing or punctuation, with +44, 0044, +44 (0) or 0 in front, or none;
- postcodes: any case, with or without the space;
- vehicle marks: any case and spacing;
- addresses: the whole recorded address, the house number with its street ("14 Holly Bank Rd"),
  and the street itself ("Holly Bank Road": the street a child lives on narrows her down to a few
  houses), with street words abbreviated or not.

Names are not here: `identity.VictimIdentity` matches them word by word with the linker's own
name functions. A finder over-redacts rather than under-redacts: a date that could be read two ways
is withheld if either reading is a victim's date of birth.
"""
from __future__ import annotations

import re
import tomllib
from datetime import date

import phonenumbers

from triage_app.linking import normalise
from triage_app.paths import resource

DOB, PHONE, POSTCODE, VEHICLE, ADDRESS = ("[date of birth withheld]", "[phone withheld]", "[postcode withheld]",
                                          "[vehicle withheld]", "[address withheld]")

_MONTHS = {m: i for i, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")), start=1) for m in names}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"['’]?(?P<year>\d{4}|\d{2})"
_DATES = [
    re.compile(r"(?<![\d])(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})(?![\d])"),
    re.compile(r"(?<![\d])(?P<day>\d{1,2})[-/.](?P<mon>\d{1,2})[-/.](?P<year>\d{4}|\d{2})(?![\d])"),
    re.compile(r"(?<![\d])(?P<run>\d{8})(?![\d])"),
    re.compile(r"(?<![\w])" + _DAY + r"[\s\-/]+(?:of\s+)?" + _MONTH + r"[\s\-/,]+" + _YEAR + r"(?![\d])", re.I),
    re.compile(r"(?<![\w])" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?![\d])", re.I),
]


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _years(text: str) -> list[int]:
    y = int(text)
    return [y] if len(text) == 4 else [1900 + y, 2000 + y]


def date_readings(m: re.Match) -> set[str]:
    """Every ISO date a matched text could mean (day/month either way round, either century)."""
    g = m.groupdict()
    out = set()
    if g.get("run"):
        r = g["run"]
        out |= {_iso(int(r[:4]), int(r[4:6]), int(r[6:])), _iso(int(r[4:]), int(r[2:4]), int(r[:2])),
                _iso(int(r[4:]), int(r[:2]), int(r[2:4]))}
        return out - {None}
    mon = g["mon"]
    months = [_MONTHS[mon.lower()]] if not mon.isdigit() else [int(mon)]
    day = int(g["day"])
    for y in _years(g["year"]):
        for mo in months:
            out.add(_iso(y, mo, day))
            if mon.isdigit():
                out.add(_iso(y, day, mo))         # written the US way round: withheld too
    return out - {None}


def redact_dates(text: str, dobs: set[str]) -> str:
    if not dobs:
        return text
    for pattern in _DATES:
        text = pattern.sub(lambda m: DOB if date_readings(m) & dobs else m.group(0), text)
    return text


# --- phones ---------------------------------------------------------------------------------

_SEP = r"[\s\-.()/]{0,3}"


def phone_pattern(e164: str) -> str | None:
    """A regular expression for every way one number may be written."""
    try:
        n = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    digits = str(n.national_number)
    cc = str(n.country_code)
    body = _SEP.join(digits)
    prefix = rf"(?:\(?(?:\+|00){_SEP}{_SEP.join(cc)}{_SEP}(?:0{_SEP})?|\(?0{_SEP})?"
    return rf"(?<![\d+]){prefix}{body}(?!\d)"


def raw_digits_pattern(raw: str) -> str | None:
    """A number recorded in a form the normaliser could not read: its digits, spaced any way."""
    digits = re.sub(r"\D", "", raw)
    return rf"(?<!\d){_SEP.join(digits)}(?!\d)" if len(digits) >= 6 else None


# --- postcodes, vehicles --------------------------------------------------------------------

_POSTCODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})(?![A-Za-z0-9])")


def redact_postcodes(text: str, postcodes: set[str]) -> str:
    if not postcodes:
        return text
    return _POSTCODE.sub(lambda m: POSTCODE if normalise.postcode(m.group(1) + m.group(2)) in postcodes
                         else m.group(0), text)


def vehicle_pattern(mark: str) -> str:
    return r"(?<![A-Za-z0-9])" + r"[\s\-]?".join(re.escape(ch) for ch in mark) + r"(?![A-Za-z0-9])"


# --- addresses ------------------------------------------------------------------------------

_SHORT = {}
for _short, _long in normalise._ABBREVIATIONS.items():    # the importer's own street abbreviations
    _SHORT.setdefault(_long, []).append(_short)
_ADDR_SEP = r"[\s,.'’]+"


def street_words() -> frozenset[str]:
    """Every word that ends a street's name (resources/pack/street_words.toml: the common UK street
    types and every suffix the synthetic data's Faker en_GB streets end in), with the importer's
    own abbreviations written out."""
    with open(resource("pack", "street_words.toml"), "rb") as f:
        words = tomllib.load(f)["words"]
    return frozenset(w.lower() for group in words.values() for w in group) | frozenset(_SHORT)


_STREET_WORDS = street_words()


def _token(word: str) -> str:
    forms = [word] + _SHORT.get(word, [])
    alts = []
    for f in forms:
        # The normaliser drops apostrophes ("st mary's" → "st marys"): allow one back anywhere.
        alts.append("['’]?".join(re.escape(ch) for ch in f) + (r"\.?" if f != word else ""))
    return "(?:" + "|".join(alts) + ")"


def address_patterns(address: str | None) -> list[str]:
    """The recorded address, and each house number with its street, as patterns (longest first)."""
    norm = normalise.address(address)
    if not norm:
        return []
    words = norm.split()
    windows = {tuple(words)}
    for i, w in enumerate(words):
        if any(ch.isdigit() for ch in w) and i + 1 < len(words):
            end = next((j for j in range(i + 1, len(words)) if words[j] in _STREET_WORDS), min(i + 2, len(words) - 1))
            while True:
                windows.add(tuple(words[i:end + 1]))
                windows.add(tuple(words[i + 1:end + 1]))      # the street without the number
                if end + 1 < len(words) and words[end + 1] in _STREET_WORDS:
                    end += 1                                  # "green park road" as well as "green park"
                else:
                    break
    if not any(any(ch.isdigit() for ch in w) for w in words):
        for end, w in enumerate(words):
            if end > 0 and w in _STREET_WORDS:
                windows.add(tuple(words[:end + 1]))     # a named house on a street: "Rose Cottage Mill Lane"
    out = []
    for win in sorted(windows, key=len, reverse=True):
        if len(win) >= 2:
            out.append(r"(?<![\w])" + _ADDR_SEP.join(_token(w) for w in win) + r"(?![\w])")
    return out


def streets_named(address: str | None) -> list[str]:
    """The streets an address names on its own lines (or between its commas), normalised: "Rose
    Cottage, Hughes Plains, Leeds" → ["hughes plains"]. A line counts when a street word ends a name
    of two words or more after any house number ("Flat 3", "14"); a named house's street is found
    this way, which the address run together (`normalise.address`) cannot show."""
    out = []
    for line in re.split(r"[,;\n]+", address or ""):
        words = (normalise.address(line) or "").split()
        start = max((i + 1 for i, w in enumerate(words) if any(ch.isdigit() for ch in w)), default=0)
        ends = [j for j in range(start + 1, len(words)) if words[j] in _STREET_WORDS]
        if ends:
            out.append(" ".join(words[start:ends[-1] + 1]))
    return out


def compile_any(patterns: list[str], flags=re.IGNORECASE) -> re.Pattern | None:
    patterns = [p for p in dict.fromkeys(patterns) if p]
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags) if patterns else None
