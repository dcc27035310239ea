"""Dates as exports write them: ISO YYYY-MM-DD or UK DD/MM/YYYY (D/M too), a trailing time ignored.

MM/DD/YYYY is never accepted: 12/25/2012 is refused (there is no month 25), and 05/06/2012 is read
as 5 June. A profile's `date_format` replaces the default forms.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_TIME = r"(?:[T ]+\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|[AaPp][Mm])?)?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + r"$")
_SHOWABLE = re.compile(r"[0-9/\-:. TZ+]{1,25}")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + r"$")


class BadDate(ValueError):
    """The message is a phrase to follow a column name: 'is not a real date (31/02/2012)'."""


@lru_cache(maxsize=131072)
def parse(text: str, fmt: str | None = None) -> date | None:
    """The date in `text`, None when blank; BadDate when it is not a date this reader accepts."""
    t = text.strip()
    if not t:
        return None
    if fmt is None and t.isascii():
        day = _plain(t)
        if day is not None:
            return day
    # Quote the value only when it is plainly a date-like run of digits: a date cell holding a
    # name or a note must never be echoed back.
    short = t if _SHOWABLE.fullmatch(t) else "value not shown"
    if fmt:
        for candidate in (t, t.split()[0], t.split("T")[0]):
            try:
                return datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
        raise BadDate(f"is not a date in the profile's form {fmt} ({short})")
    m = _ISO.match(t)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _UK.match(t)
        if not m:
            raise BadDate(f"is not a date in the form YYYY-MM-DD or DD/MM/YYYY ({short})")
        d, mo, y = (int(x) for x in m.groups())
        if mo > 12 and d <= 12:
            raise BadDate(f"is not a DD/MM/YYYY date ({short}): month/day order is never accepted")
    try:
        return date(y, mo, d)
    except ValueError:
        raise BadDate(f"is not a real date ({short})") from None


def _plain(t: str) -> date | None:
    """The usual good date without the regular expressions: Y-M-D or D/M/Y of ASCII digits alone
    (no time), the very date `parse` reads from it; None for anything else and for any date that
    is wrong (31/02/2012, 06/20/2016), which `parse` then reads the long way for its message."""
    parts = t.split("-")
    if len(parts) == 3:
        y, mo, d = parts
        if len(y) != 4:
            return None
    else:
        parts = t.split("/")
        if len(parts) != 3:
            return None
        d, mo, y = parts
        if len(y) != 4:
            return None
    if not (0 < len(mo) < 3 and 0 < len(d) < 3 and y.isdigit() and mo.isdigit() and d.isdigit()):
        return None
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def age_on(dob: date | None, on: date | None) -> int | None:
    """Whole years between a date of birth and a later date; None when either is unknown."""
    if dob is None or on is None or on < dob:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
