"""What a referral pack says, as plain data: the document is built from this and nothing else.

Kept apart from the vault so the document can be built and tested from synthetic data alone; the
gatherer (`gather.py`) fills it from an approved review.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MARKING = "OFFICIAL-SENSITIVE"


@dataclass
class Person:
    role: str                           # victim / suspect / witness / other
    forenames: str | None = None
    surname: str | None = None
    dob: str | None = None
    age_at_offence: int | None = None
    gender: str | None = None
    ethnicity: str | None = None
    shown_as: str | None = None         # the name the pack prints; set by identity.minimise


@dataclass
class Factor:
    reason: str
    points: int | float | None = None


@dataclass
class Finding:
    item_id: str
    answer: str                         # yes / no / na
    note: str | None = None
    section: str | None = None
    text: str | None = None             # the checklist question
    proposed_by: str | None = None      # "Proposed by rule R (checklist vN, rules vM), confirmed by U"
    evidence: list = field(default_factory=list)   # [(source, before, words, after)] it rested on


@dataclass
class Inquiry:
    number: int | str
    priority: str
    category: str
    title: str
    rationale: str | None = None
    owner: str | None = None
    status: str | None = None


@dataclass
class LinkEnd:
    """One nominal behind a link: its role and case (and, to word a person match, its name and date
    of birth; never printed as such)."""
    role: str                           # victim / suspect / witness / other / unknown
    ref: str
    forenames: str | None = None
    surname: str | None = None
    dob: str | None = None


@dataclass
class LinkEvidence:
    """One shared detail behind a link, as the linker found it (`links.evidence`)."""
    kind: str                           # phone / vehicle / address / person
    value: str                          # the normalised identifier; for a person, how the dates of birth compare
    strength: str                       # strong / possible
    ends: tuple[LinkEnd, LinkEnd]
    probability: float | None = None    # a person match's probability, when the linker gives one


@dataclass
class LinkedCase:
    ref: str
    strength: str | None = None         # strong / possible
    basis: list[str] = field(default_factory=list)    # the printed lines; made by identity.minimise
    judgement: str | None = None        # confirmed / None
    evidence: list[LinkEvidence] = field(default_factory=list)   # structured; never printed as such


@dataclass
class VictimRecord:
    """What identifies a victim of this case or of a linked case: used only to minimise, never printed."""
    forenames: str | None = None
    surname: str | None = None
    dob: str | None = None              # ISO
    address: str | None = None
    postcode: str | None = None
    phones: list[str] = field(default_factory=list)      # as recorded or normalised
    vehicles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)     # other names recorded for her (nickname, maiden name)


@dataclass
class Contact:
    date: str | None = None
    method: str | None = None
    outcome: str | None = None
    wishes: str | None = None


@dataclass
class SignOff:
    by: str
    role: str | None = None
    date: str | None = None
    comment: str | None = None
    decision: str = "approve"


@dataclass
class DocumentControl:
    pack_id: str
    version: int
    generated_by: str
    generated_at: str                   # ISO 8601 UTC
    audit_seq: int
    audit_hash: str
    identity: str = "initials"          # initials / full
    review_version: int | None = None


@dataclass
class PackData:
    ref: str
    force: str
    prepared_by: str
    signoff: SignOff
    control: DocumentControl
    case: dict = field(default_factory=dict)          # canonical case fields by name
    people: list[Person] = field(default_factory=list)
    priority: int | None = None
    factors: list[Factor] = field(default_factory=list)
    beaconport: bool | None = None
    csarp: bool | None = None
    eligibility_why: list[str] = field(default_factory=list)
    checklist_id: str | None = None
    checklist_version: str | None = None
    findings: list[Finding] = field(default_factory=list)
    inquiries: list[Inquiry] = field(default_factory=list)
    linked: list[LinkedCase] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    support: list[str] = field(default_factory=list)  # support offered to the victim (ISVA, ICTG …)
    recommendation: str | None = None                 # reopen / refer / confirm-nfa
    recommendation_rationale: str | None = None
    # Names of victims on linked cases: never printed, only used to minimise free text.
    other_victim_names: list[tuple[str | None, str | None]] = field(default_factory=list)
    # Every victim of this case and of the linked cases, with her identifiers: never printed.
    victims: list[VictimRecord] = field(default_factory=list)
    marking: str = MARKING
    # The case's chronology across its linked cluster (triage_app.chronology.Chronology), built at the
    # pack's identity level; None: the pack has no chronology annex.
    chronology: object | None = None
    material: object = None     # pack/material.py Material: attachments schedule, intelligence, appended pages
