"""Priority as a sum of readable factors: each (reason, points), the points never inside the reason."""
from __future__ import annotations

import re
from datetime import date

from triage_app.triage.facts import CaseFacts
from triage_app.triage.weights import Weights

_DIGITS = re.compile(r"^\s*0*(\d{1,3})\s*$")


def factors(f: CaseFacts, w: Weights, today: date, cues: dict | None = None) -> list[tuple[str, int]]:
    """`cues`, if given, remembers which language cues each rationale's text holds (a rescore passes
    one dict for all its cases: the same rationale recurs across many cases of one force).
    The factors come in PIECES' order, each piece worked out from the few facts it reads (a rescore
    makes each piece once per distinct value of them: triage/rows.py)."""
    age = f.youngest_victim_age
    return [*age_factors(w, age), *offence_factors(w, f.offence_code, f.offence_description),
            *outcome_factors(w, f.outcome_code), *language_factors(w, f.nfa_rationale, under_16(age), cues),
            *exhibits_factors(w, f.exhibits_retained), *suspects_factors(w, f.suspects),
            *links_factors(w, f.links_confirmed, f.links_strong, f.links_possible),
            *time_factors(w, f.nfa_date, today), *reviewed_factors(w, f.approved_review, f.previously_reviewed)]


def under_16(age) -> bool:
    """Whether the 'under 16 only' cues count: as `not (age is None or age >= 16)` reads."""
    return not (age is None or age >= 16)


def age_factors(w: Weights, age) -> list:
    if age is not None:
        for max_age, points, reason in w.victim_age:
            if age <= max_age:
                return [(reason.format(age=age), points)]
    return []


def offence_factors(w: Weights, code, description) -> list:
    offence = _offence(code, description, w)
    return [offence] if offence else []


def outcome_factors(w: Weights, code) -> list:
    m = _DIGITS.match(code or "")
    if m and m.group(1) in w.outcomes:
        points, label = w.outcomes[m.group(1)]
        return [(label, points)]
    return []


def language_factors(w: Weights, text, under16: bool, cues: dict | None = None) -> list:
    text = text or ""
    if not text:
        return []
    held = cues.get(text) if cues is not None else None
    if held is None:
        held = tuple(cue for cue in w.language if cue.search(text))
        if cues is not None:
            cues[text] = held
    return [(cue.reason, cue.points) for cue in held if under16 or not cue.under_16_only]


def exhibits_factors(w: Weights, retained) -> list:
    return [(w.exhibits[1], w.exhibits[0])] if retained == "yes" else []


def suspects_factors(w: Weights, n) -> list:
    for minimum, points, reason in w.suspects:
        if n >= minimum:
            return [(reason.format(n=n), points)]
    return []


def links_factors(w: Weights, confirmed, strong, possible) -> list:
    lk = w.links
    return [(reason.format(n=n), min(cap, n * each)) for n, each, cap, reason in (
        (confirmed, lk["confirmed_each"], lk["confirmed_cap"], lk["confirmed_reason"]),
        (strong, lk["strong_each"], lk["strong_cap"], lk["strong_reason"]),
        (possible, lk["possible_each"], lk["possible_cap"], lk["possible_reason"])) if n]


def time_factors(w: Weights, nfa_date, today: date) -> list:
    years = _years_since(nfa_date, today)
    if years:
        t = w.time_since_nfa
        points = min(int(t["cap"]), int(years * float(t["points_per_year"])))
        if points:
            return [(t["reason"].format(years=years), points)]
    return []


def reviewed_factors(w: Weights, approved_review, previously_reviewed) -> list:
    rb = w.reviewed_before
    if approved_review:
        return [(rb["reason_vault"], rb["points"])]
    if previously_reviewed == 1:
        return [(rb["reason_import"], rb["points"])]
    return []


def _offence(offence_code, offence_description, w: Weights) -> tuple[str, int] | None:
    code = (offence_code or "").strip().upper()
    if code in w.offences:
        points, label = w.offences[code]
        return f"offence: {label} ({code})", points
    words = f"{offence_description or ''} {offence_code or ''}".lower()
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
