"""dates.parse reads the usual Y-M-D and D/M/Y dates without its regular expressions: every string
must come out the same (date, None, or BadDate with the same words) as the long way gives."""
from __future__ import annotations

import random

from triage_app.importing import dates


def _read(text):
    try:
        return dates.parse.__wrapped__(text)
    except dates.BadDate as e:
        return ("bad", str(e))


def _corpus():
    rnd = random.Random(20)
    pieces = ["", "0", "1", "01", "12", "13", "29", "30", "31", "32", "00", "002", "1990", "2000", "2016", "0000",
              "1899", "9999", "99", "٣", "²", "x", " ", "T10:00", " 14:30", "+"]
    out = ["2011-03-01", "1/2/2015", "20/06/2016 14:30", "06/20/2016", "31/02/2012", "2011-02-30", "2012-2-29",
           "2013-2-29", "29/2/2000", "1/13/2001", "13/13/2001", "2011-03-01T09:00", " 2011-03-01 ", "2011/03/01",
           "01-03-2011", "2011-003-01", "12/05/80", "٢٠١١-٠٣-٠١", "2011-03-01-", "1-1-1111", "0/0/0"]
    for _ in range(20000):
        sep = rnd.choice("-/-/ .")
        a, b, c = rnd.choice(pieces), rnd.choice(pieces), rnd.choice(pieces)
        out.append(f"{a}{sep}{b}{sep}{c}" + (rnd.choice(pieces) if rnd.random() < 0.1 else ""))
    return out


def test_fast_dates_read_as_the_long_way(monkeypatch):
    corpus = _corpus()
    fast = [_read(t) for t in corpus]
    monkeypatch.setattr(dates, "_plain", lambda t: None)
    assert [_read(t) for t in corpus] == fast
    assert sum(1 for f in fast if f is not None and not isinstance(f, tuple)) > 50    # good ones among them


def test_fast_dates_are_taken_for_plain_dates():
    assert dates._plain("2011-03-01") == dates._plain("1/3/2011") == dates.parse("01/03/2011")
    assert dates._plain("31/02/2012") is None and dates._plain("06/20/2016") is None
    assert dates._plain("2011-03-01 10:00") is None and dates._plain("20110301") is None
