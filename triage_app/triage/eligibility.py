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
    return victim_criterion(f.youngest_victim_age, f.victims, f.victims_age_unknown)


def victim_criterion(youngest, victims, unknown) -> tuple[bool | None, str]:
    if youngest is not None and youngest < 18:
        return True, f"a victim was aged {youngest} at the offence"
    if victims == 0:
        return None, "no victim is recorded on the case, so the victim's age is not known"
    if unknown:
        return None, "a victim's age at the offence is not known (date of birth or offence date missing)"
    return False, "no victim was under 18 at the offence"


def beaconport_static(f: CaseFacts) -> tuple[list[bool | None], list[str]]:
    """Every criterion except 'suspects believed alive', which is asked of the review capability."""
    pieces = [window_criterion(f.nfa_date), suspects_criterion(f.suspects),
              beaconport_victim(victim_under_18(f)), reviewed_criterion(f.approved_review, f.previously_reviewed)]
    return [v for v, _ in pieces], [why for _, why in pieces]


# Each criterion from the few facts it reads (a rescore works each out once per distinct value: rows.py).

def window_criterion(nfa_date: str) -> tuple[bool, str]:
    inside = BEACONPORT_FROM <= nfa_date[:10] <= BEACONPORT_TO
    return inside, (f"Beaconport: NFA decided {nfa_date[:10]}, "
                    f"{'inside' if inside else 'outside'} 1 Jan 2010 – 31 Mar 2025")


def suspects_criterion(suspects) -> tuple[bool, str]:
    enough = suspects >= 2
    return enough, (f"Beaconport: {suspects} suspect{'s' if suspects != 1 else ''} on the case"
                    f"{'' if enough else ', two or more needed'}")


def beaconport_victim(victim: tuple[bool | None, str]) -> tuple[bool | None, str]:
    return victim[0], f"Beaconport: {victim[1]}"


def reviewed_criterion(approved_review, previously_reviewed) -> tuple[bool, str]:
    if approved_review:
        return False, "Beaconport: reviewed before (an approved review in this vault)"
    if previously_reviewed == 1:
        return False, "Beaconport: reviewed before (recorded in the import)"
    return True, "Beaconport: not reviewed before"


def alive_criterion(answer: bool | None) -> tuple[bool | None, str]:
    if answer is None:
        return None, "Beaconport: are the suspects believed alive? needs an answer"
    if answer:
        return True, "Beaconport: suspects believed alive"
    return False, "Beaconport: suspects not believed alive"


def csarp(f: CaseFacts) -> tuple[bool | None, list[str]]:
    before, text = csarp_window(f.nfa_date)
    v, vtext = csarp_victim(victim_under_18(f))
    return combine([before, v]), [text, vtext]


def csarp_window(nfa_date: str) -> tuple[bool, str]:
    before = nfa_date[:10] < CSARP_BEFORE
    return before, f"CSARP: NFA decided {nfa_date[:10]}, {'before' if before else 'on or after'} 5 Jun 2013"


def csarp_victim(victim: tuple[bool | None, str]) -> tuple[bool | None, str]:
    return victim[0], f"CSARP: {victim[1]}"
