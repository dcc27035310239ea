"""Eligibility screens (docs/USER_GUIDE.md, Eligibility): Operation Beaconport and CSARP, each three-valued.

False as soon as a known criterion fails; None when none fails but one is unknown; True when all
hold. Every criterion says why, so a reviewer can see what decided the screen.
"""
from __future__ import annotations

from triage_app.triage.facts import CaseFacts

BEACONPORT_FROM, BEACONPORT_TO = "2010-01-01", "2025-03-31"
CSARP_BEFORE = "2013-06-05"


def combine(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def victim_under_18(f: CaseFacts) -> tuple[bool | None, str]:
    if f.youngest_victim_age is not None and f.youngest_victim_age < 18:
        return True, f"a victim was aged {f.youngest_victim_age} at the offence"
    if f.victims == 0:
        return None, "no victim is recorded on the case, so the victim's age is not known"
    if f.victims_age_unknown:
        return None, "a victim's age at the offence is not known (date of birth or offence date missing)"
    return False, "no victim was under 18 at the offence"


def beaconport_static(f: CaseFacts) -> tuple[list[bool | None], list[str]]:
    """Every criterion except 'suspects believed alive', which is asked of the review capability."""
    values, why = [], []
    inside = BEACONPORT_FROM <= f.nfa_date[:10] <= BEACONPORT_TO
    values.append(inside)
    why.append(f"Beaconport: NFA decided {f.nfa_date[:10]}, "
               f"{'inside' if inside else 'outside'} 1 Jan 2010 – 31 Mar 2025")
    enough = f.suspects >= 2
    values.append(enough)
    why.append(f"Beaconport: {f.suspects} suspect{'s' if f.suspects != 1 else ''} on the case"
               f"{'' if enough else ', two or more needed'}")
    v, text = victim_under_18(f)
    values.append(v)
    why.append(f"Beaconport: {text}")
    if f.approved_review:
        values.append(False)
        why.append("Beaconport: reviewed before (an approved review in this vault)")
    elif f.previously_reviewed == 1:
        values.append(False)
        why.append("Beaconport: reviewed before (recorded in the import)")
    else:
        values.append(True)
        why.append("Beaconport: not reviewed before")
    return values, why


def alive_criterion(answer: bool | None) -> tuple[bool | None, str]:
    if answer is None:
        return None, "Beaconport: are the suspects believed alive? needs an answer"
    if answer:
        return True, "Beaconport: suspects believed alive"
    return False, "Beaconport: suspects not believed alive"


def csarp(f: CaseFacts) -> tuple[bool | None, list[str]]:
    before = f.nfa_date[:10] < CSARP_BEFORE
    why = [f"CSARP: NFA decided {f.nfa_date[:10]}, {'before' if before else 'on or after'} 5 Jun 2013"]
    v, text = victim_under_18(f)
    why.append(f"CSARP: {text}")
    return combine([before, v]), why
