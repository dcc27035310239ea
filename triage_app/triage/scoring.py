"""Priority as a sum of readable factors: each (reason, points), the points never inside the reason."""
from __future__ import annotations

import re
from datetime import date

from triage_app.triage.facts import CaseFacts
from triage_app.triage.weights import Weights

_DIGITS = re.compile(r"^\s*0*(\d{1,3})\s*$")


def factors(f: CaseFacts, w: Weights, today: date, cues: dict | None = None) -> list[tuple[str, int]]:
    """`cues`, if given, remembers which language cues each rationale's text holds (a rescore passes
    one dict for all its cases: the same rationale recurs across many cases of one force)."""
    out: list[tuple[str, int]] = []
    add = out.append

    age = f.youngest_victim_age
    if age is not None:
        for max_age, points, reason in w.victim_age:
            if age <= max_age:
                add((reason.format(age=age), points))
                break

    offence = _offence(f, w)
    if offence:
        add(offence)

    m = _DIGITS.match(f.outcome_code or "")
    if m and m.group(1) in w.outcomes:
        points, label = w.outcomes[m.group(1)]
        add((label, points))

    text = f.nfa_rationale or ""
    if text:
        held = cues.get(text) if cues is not None else None
        if held is None:
            held = tuple(cue for cue in w.language if cue.pattern.search(text))
            if cues is not None:
                cues[text] = held
        for cue in held:
            if cue.under_16_only and (age is None or age >= 16):
                continue
            add((cue.reason, cue.points))

    if f.exhibits_retained == "yes":
        add((w.exhibits[1], w.exhibits[0]))

    for minimum, points, reason in w.suspects:
        if f.suspects >= minimum:
            add((reason.format(n=f.suspects), points))
            break

    lk = w.links
    for n, each, cap, reason in ((f.links_confirmed, lk["confirmed_each"], lk["confirmed_cap"], lk["confirmed_reason"]),
                                 (f.links_strong, lk["strong_each"], lk["strong_cap"], lk["strong_reason"]),
                                 (f.links_possible, lk["possible_each"], lk["possible_cap"], lk["possible_reason"])):
        if n:
            add((reason.format(n=n), min(cap, n * each)))

    years = _years_since(f.nfa_date, today)
    if years:
        t = w.time_since_nfa
        points = min(int(t["cap"]), int(years * float(t["points_per_year"])))
        if points:
            add((t["reason"].format(years=years), points))

    rb = w.reviewed_before
    if f.approved_review:
        add((rb["reason_vault"], rb["points"]))
    elif f.previously_reviewed == 1:
        add((rb["reason_import"], rb["points"]))
    return out


def _offence(f: CaseFacts, w: Weights) -> tuple[str, int] | None:
    code = (f.offence_code or "").strip().upper()
    if code in w.offences:
        points, label = w.offences[code]
        return f"offence: {label} ({code})", points
    words = f"{f.offence_description or ''} {f.offence_code or ''}".lower()
    best = None
    for word, (points, label) in w.offence_words.items():
        if word in words and (best is None or points > best[1]):
            best = (f"offence: {label}", points)
    return best


def _years_since(iso: str | None, today: date) -> int:
    try:
        d = date.fromisoformat((iso or "")[:10])
    except ValueError:
        return 0
    years = today.year - d.year - ((today.month, today.day) < (d.month, d.day))
    return max(0, years)


def reasons(fs: list[tuple[str, int]]) -> list[str]:
    """The factors as one line each, as a reviewer reads them: "victim aged 12 at the offence +30"."""
    return [f"{reason} {points:+d}" for reason, points in fs]
