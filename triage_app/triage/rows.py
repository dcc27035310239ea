"""A rescore's stored row for each case, put together from pieces each worked out once per distinct value.

Each factor (scoring.py) and each screen criterion (eligibility.py) reads one or two facts, and 100,000
cases share few distinct values of them (at 100k: 6,391 NFA dates, 31k rationales, a few dozen ages,
suspect and link counts). So each piece's JSON text is made once, the first time its value is seen,
and a case's row is a handful of lookups and two joins: the same texts as triage._row, which works
every piece out again for each case (the per-case loop: 2.4 CPU s of a 100k import's score).

The lookups are keyed by the facts as SQLite gives them (int, str or None): 12 and 12.0 never both
occur, so no two values that format differently share a key.
"""
from __future__ import annotations

import json
from datetime import date
from json.encoder import encode_basestring as _quote   # the encoder's own (C) quoting

from triage_app.triage import eligibility, scoring
from triage_app.triage.eligibility import combine

# json.dumps(x, ensure_ascii=False) makes a new encoder on every call; this one is made once.
_json = json.JSONEncoder(ensure_ascii=False).encode


class Rows:
    """row(f) == triage._row(f, w, today, alive), for many cases in turn."""

    def __init__(self, w, today: date, alive: dict):
        self.w, self.today, self.alive = w, today, alive
        self.cues: dict = {}
        # One table per piece: value -> (points or None, JSON text of its factors, the factors).
        self.age, self.offence, self.outcome, self.language, self.exhibits = {}, {}, {}, {}, {}
        self.suspects, self.links, self.time, self.reviewed = {}, {}, {}, {}
        # One per criterion: value -> (value, quoted text[, second value, second quoted text]).
        self.window, self.count, self.victim, self.review, self.answer = {}, {}, {}, {}, {}
        self.screen: dict = {}   # the criteria's values -> the screen's flag (eligibility.combine)

    def row(self, f) -> tuple:
        w = self.w
        age = f.youngest_victim_age
        under16 = scoring.under_16(age)
        factors = (
            self.age.get(age) or _factors(self.age, age, scoring.age_factors(w, age)),
            self.offence.get((f.offence_code, f.offence_description)) or _factors(
                self.offence, (f.offence_code, f.offence_description),
                scoring.offence_factors(w, f.offence_code, f.offence_description)),
            self.outcome.get(f.outcome_code) or _factors(
                self.outcome, f.outcome_code, scoring.outcome_factors(w, f.outcome_code)),
            self.language.get((f.nfa_rationale, under16)) or _factors(
                self.language, (f.nfa_rationale, under16),
                scoring.language_factors(w, f.nfa_rationale, under16, self.cues)),
            self.exhibits.get(f.exhibits_retained) or _factors(
                self.exhibits, f.exhibits_retained, scoring.exhibits_factors(w, f.exhibits_retained)),
            self.suspects.get(f.suspects) or _factors(
                self.suspects, f.suspects, scoring.suspects_factors(w, f.suspects)),
            self.links.get((f.links_confirmed, f.links_strong, f.links_possible)) or _factors(
                self.links, (f.links_confirmed, f.links_strong, f.links_possible),
                scoring.links_factors(w, f.links_confirmed, f.links_strong, f.links_possible)),
            self.time.get(f.nfa_date) or _factors(
                self.time, f.nfa_date, scoring.time_factors(w, f.nfa_date, self.today)),
            self.reviewed.get((f.approved_review, f.previously_reviewed)) or _factors(
                self.reviewed, (f.approved_review, f.previously_reviewed),
                scoring.reviewed_factors(w, f.approved_review, f.previously_reviewed)),
        )
        try:
            priority = sum(p for p, _, _ in factors)
        except TypeError:   # a piece with points other than whole numbers: added up in order, as _row does
            priority = sum(p for _, _, fs in factors for _, p in fs)
        texts = [t for _, t, _ in factors if t]

        window = self.window.get(f.nfa_date) or _criteria(
            self.window, f.nfa_date, eligibility.window_criterion(f.nfa_date), eligibility.csarp_window(f.nfa_date))
        count = self.count.get(f.suspects) or _criteria(
            self.count, f.suspects, eligibility.suspects_criterion(f.suspects))
        key = (age, f.victims, f.victims_age_unknown)
        victim = self.victim.get(key)
        if victim is None:
            v = eligibility.victim_criterion(*key)
            victim = _criteria(self.victim, key, eligibility.beaconport_victim(v), eligibility.csarp_victim(v))
        key = (f.approved_review, f.previously_reviewed)
        review = self.review.get(key) or _criteria(
            self.review, key, eligibility.reviewed_criterion(*key))
        values = (window[0], count[0], victim[0], review[0])
        why = [window[1], count[1], victim[1], review[1]]
        if False not in values:
            answer = self.alive.get(f.id)
            alive = self.answer.get(answer) or _criteria(self.answer, answer, eligibility.alive_criterion(answer))
            values += (alive[0],)
            why.append(alive[1])
        why += (window[3], victim[3])
        return (age, priority, f"[{', '.join(texts)}]", self._flag(values), self._flag((window[2], victim[2])),
                f"[{', '.join(why)}]")

    def _flag(self, values: tuple) -> int | None:
        try:
            return self.screen[values]
        except KeyError:
            v = combine(list(values))
            flag = self.screen[values] = None if v is None else int(v)
            return flag


def _factors(table: dict, key, fs: list) -> tuple:
    """The piece's factors as the stored JSON writes them: each {"reason": …, "points": …} as the
    encoder writes it within the list, ", " between them; the points added up when all are whole
    numbers (which add up alike in any grouping), else None."""
    points = sum(p for _, p in fs) if all(p.__class__ is int for _, p in fs) else None
    out = table[key] = (points, ", ".join(_factor(r, p) for r, p in fs), fs)
    return out


def _factor(reason, points) -> str:
    """_json({"reason": reason, "points": points}), the same text: a string quoted by the encoder's own
    function and a whole number as it writes one, written out (as triage._factors_json does) rather
    than through the encoder, which took 0.32 of the 1.5 CPU s of a 100k import's rows; else _json."""
    if reason.__class__ is str and points.__class__ is int:
        return f'{{"reason": {_quote(reason)}, "points": {int.__repr__(points)}}}'
    return _json({"reason": reason, "points": points})


def _criteria(table: dict, key, *criteria: tuple) -> tuple:
    out = table[key] = tuple(x for value, text in criteria for x in (value, _quote(text)))
    return out
