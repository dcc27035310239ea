"""Triage: explainable priority and the eligibility screens (Operation Beaconport, CSARP)."""
from __future__ import annotations

import json
from datetime import date
from json.encoder import encode_basestring as _quote   # the encoder's own (C) quoting

from triage_app.review.summary import suspects_alive_answers
from triage_app.triage import eligibility, scoring
from triage_app.triage.facts import gather
from triage_app.triage.rows import Rows
from triage_app.triage.weights import load
from triage_app.vault import indexes


def rescore(conn, case_ids=None, *, today: date | None = None, weights=None, progress=None) -> int:
    """Recompute victim_age, priority, priority_factors, beaconport, csarp, eligibility_why for the
    given case ids (None: every case). Runs inside the caller's transaction; returns cases changed.
    `progress(done, total)`, if given, hears how many cases have been worked out (an import's bar)."""
    w = weights or load()
    today = today or date.today()
    facts = gather(conn, case_ids)
    # Every case's answer in one read: _row asks it only where no other Beaconport criterion fails.
    alive = suspects_alive_answers(conn, [f.id for f in facts])
    rows = []
    total = len(facts)
    make = Rows(w, today, alive).row     # the same rows as _row, each piece worked out once (rows.py)
    for i, f in enumerate(facts, 1):
        # Each case's facts let go once its row is made: the rows then take the facts' memory rather
        # than adding to it (at 100k ~150 MB of facts, ~140 MB of rows, beside the score's page cache).
        facts[i - 1] = None
        row = make(f)
        # Each row written is costly in the encrypted vault: leave unchanged ones alone.
        if row != f.current:
            rows.append((*row, f.id))
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(i, total)
    f = None
    _write(conn, rows)
    if progress is not None:
        progress(total, total)
    return len(rows)


PROGRESS_EVERY = 1000


_PER_STATEMENT = 999 // 7


# The columns the score writes.
SCORED = {"victim_age", "priority", "priority_factors", "beaconport", "csarp", "eligibility_why"}


def _write(conn, rows: list) -> None:
    # When half the vault's cases or more change (a first import, new weights, a relink after a new
    # linker model), the indexes holding the score's columns (the queue's, 15 of them) are made again
    # after the rows rather than updated row by row (vault/indexes.py): a full rescore of 20,000 cases
    # took 18.6 CPU s with them kept, 7.7 s set aside and made again.
    aside = indexes.on(conn, "cases", SCORED) if indexes.worth_it(conn, "cases", len(rows), 0.5) else []
    with indexes.set_aside(conn, aside):
        _update(conn, rows)


def _update(conn, rows: list) -> None:
    """Write `rows`, letting each go once it is handed to its statement (`rows` is left all None):
    the page cache grows into their memory as the rows are rewritten."""
    # One UPDATE … FROM (VALUES …) per batch rather than one execution per case: under SQLCipher's
    # memory security each executed statement costs many wiped allocations.
    for i in range(0, len(rows), _PER_STATEMENT):
        part = rows[i:i + _PER_STATEMENT]
        rows[i:i + _PER_STATEMENT] = [None] * len(part)
        values = ",".join(["(?,?,?,?,?,?,?)"] * len(part))
        conn.execute("UPDATE cases SET victim_age = v.column1, priority = v.column2, priority_factors = v.column3, "
                     "beaconport = v.column4, csarp = v.column5, eligibility_why = v.column6 "
                     f"FROM (VALUES {values}) AS v WHERE cases.id = v.column7", [x for r in part for x in r])


# json.dumps(x, ensure_ascii=False) makes a new encoder on every call; this one is made once.
_json = json.JSONEncoder(ensure_ascii=False).encode


def _factors_json(fs: list) -> str:
    """_json([{"reason": r, "points": p} ...]), the same text, written out: each string quoted by the
    encoder's own function, each whole number as it writes one; anything else goes to _json."""
    parts = []
    for r, p in fs:
        if r.__class__ is not str or p.__class__ is not int:
            return _json([{"reason": r, "points": p} for r, p in fs])
        parts.append(f'{{"reason": {_quote(r)}, "points": {int.__repr__(p)}}}')
    return f"[{', '.join(parts)}]"


def _texts_json(texts: list) -> str:
    """_json(texts) for a list of strings, the same text (see _factors_json)."""
    for t in texts:
        if t.__class__ is not str:
            return _json(texts)
    return f"[{', '.join(map(_quote, texts))}]"


def _row(f, w, today: date, alive: dict, cues: dict | None = None) -> tuple:
    """`alive`: the suspects-alive answers of (at least) the cases where no other Beaconport
    criterion fails; a case missing from it has no answer. `cues`: see scoring.factors."""
    fs = scoring.factors(f, w, today, cues)
    values, why = eligibility.beaconport_static(f)
    if False not in values:
        v, text = eligibility.alive_criterion(alive.get(f.id))
        values.append(v)
        why.append(text)
    c, cwhy = eligibility.csarp(f)
    return (f.youngest_victim_age, sum(p for _, p in fs), _factors_json(fs),
            _flag(eligibility.combine(values)), _flag(c), _texts_json(why + cwhy))


def assess(conn, case_id: int, *, exclude_review: int | None = None, today: date | None = None) -> dict:
    """The triage result of one case without writing it; `exclude_review` is an approved review
    that does not count as "reviewed before" (a referral pack shows the case as its review found it)."""
    facts = gather(conn, [case_id], exclude_review=exclude_review)
    if not facts:
        raise KeyError(case_id)
    f = facts[0]
    age, priority, factors, beaconport, csarp, why = _row(f, load(), today or date.today(), _alive_answers(conn, facts))
    return {"priority": priority, "factors": json.loads(factors), "beaconport": beaconport, "csarp": csarp,
            "eligibility_why": json.loads(why)}


def _flag(v: bool | None) -> int | None:
    return None if v is None else int(v)


def _alive_answers(conn, facts) -> dict[int, bool | None]:
    """The reviewers' answers to 'are the suspects believed alive?', asked only where it can matter."""
    wanted = [f.id for f in facts if False not in eligibility.beaconport_static(f)[0]]
    return dict(suspects_alive_answers(conn, wanted)) if wanted else {}
