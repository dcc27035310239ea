"""Drawing up a chronology from the vault (reads only; the caller writes the audit entry).

Events of each case in the cluster: the offence, the report and the NFA decision (with its outcome
spelled out) from the crime record; dates in the free text a reviewer confirmed and events a
reviewer added (`chronology_events`); the review's steps (started, submitted, returned, approved).
Every event carries its case's people by role, victims minimised (`minimise`).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache

from triage_app.chronology import cluster, patterns, suspects
from triage_app.chronology.minimise import Cleaner, person
from triage_app.chronology.model import KINDS, Chronology, Event
from triage_app.chronology.settings import settings
from triage_app.importing.dates import BadDate, parse
from triage_app.pack.identity import check_level
from triage_app.paths import resource

FIELD_WORDS = {"summary": "summary", "nfa_rationale": "NFA rationale"}
ROLE_ORDER = {"victim": 0, "suspect": 1, "witness": 2, "other": 3}
DECISION_KINDS = {"approve": ("review-approved", "approved by"), "return": ("review-returned", "returned to its author by")}


@lru_cache(maxsize=1)
def outcome_words() -> dict[str, str]:
    with open(resource("pack", "outcome_codes.toml"), "rb") as f:
        return tomllib.load(f)["codes"]


def outcome_text(code) -> str:
    if code in (None, ""):
        return "NFA decision; no outcome recorded"
    words = outcome_words().get(str(code).strip())
    if words:
        return f"NFA decision, outcome {str(code).strip()}: {words}"
    return f"NFA decision, outcome recorded as “{code}”"


def iso(value) -> str | None:
    if not value:
        return None
    try:
        d = parse(str(value))
    except BadDate:
        return None
    return d.isoformat() if d else None


def _marks(n: int) -> str:
    return ",".join("?" * n)


def build(conn, ref: str, min_probability: float | None = None, identity: str = "initials") -> Chronology:
    s = settings()
    check_level(identity)
    p = s.min_probability if min_probability is None else cluster.check_probability(min_probability)
    members = cluster.members(conn, ref, p)
    by_id = {m.id: m for m in members}
    order = {m.ref: i for i, m in enumerate(members)}
    ids = list(by_id)
    cases = {r["id"]: r for r in conn.execute(
        f"SELECT id, ref, offence_code, offence_description, offence_date, reported_date, nfa_date, outcome_code, "
        f"officer_in_case, location FROM cases WHERE id IN ({_marks(len(ids))})", ids)}
    nominals = conn.execute(
        f"SELECT id, case_id, role, forenames, surname, dob, age_at_offence, address, postcode, phones, vehicles "
        f"FROM nominals WHERE case_id IN ({_marks(len(ids))}) ORDER BY case_id, id", ids).fetchall()
    cleaner = Cleaner([n for n in nominals if n["role"] == "victim"], identity)
    lanes = suspects.resolve(conn, nominals, identity)
    on_case: dict[int, list] = {cid: [] for cid in ids}
    for n in sorted(nominals, key=lambda n: (n["case_id"], ROLE_ORDER.get(n["role"], 9), n["id"])):
        on_case[n["case_id"]].append(person(n, identity, lanes.keys.get(n["id"]), n["id"] in lanes.victims_too,
                                            cleaner))

    events: list[Event] = []
    to_clean: list[tuple[Event, str]] = []   # (event, attribute) whose text is free text

    def add(case_id: int, eid: str, when, kind: str, text: str, source: str, *, free=(), **extra) -> Event | None:
        day = iso(when)
        if day is None:
            return None
        m = by_id[case_id]
        e = Event(f"{m.ref}#{eid}", day, m.ref, kind, text, source, list(on_case[case_id]), m.link, **extra)
        events.append(e)
        to_clean.extend((e, attr) for attr in free)
        return e

    for cid, c in cases.items():
        offence = " ".join(x for x in (c["offence_code"], c["offence_description"]) if x) or "offence not described"
        e = add(cid, "offence", c["offence_date"], "offence", f"Offence: {offence}", "Crime record: offence date")
        if e is not None and c["location"]:
            e.place = c["location"]
            e.text += f", at {c['location']}"
            to_clean += [(e, "text"), (e, "place")]
        add(cid, "report", c["reported_date"], "report", "Reported to police", "Crime record: reported date")
        text = outcome_text(c["outcome_code"]) + (f"; officer in case {c['officer_in_case']}" if c["officer_in_case"] else "")
        add(cid, "nfa", c["nfa_date"], "nfa", text, "Crime record: NFA date and outcome", free=("text",))

    for r in conn.execute(f"SELECT id, case_id, event_date, text, source, origin, field, added_by FROM chronology_events "
                          f"WHERE case_id IN ({_marks(len(ids))}) ORDER BY id", ids):
        if r["origin"] == "added":
            add(r["case_id"], f"event-{r['id']}", r["event_date"], "added", r["text"], r["source"],
                free=("text", "source"), added_by=r["added_by"])
        else:
            where = FIELD_WORDS.get(r["field"], r["field"])
            add(r["case_id"], f"event-{r['id']}", r["event_date"], "text", r["text"],
                f"Crime record: {where}, date confirmed by {r['added_by']}", free=("text",), added_by=r["added_by"])

    for r in conn.execute(f"SELECT id, case_id, version, author, started_at, submitted_at FROM reviews "
                          f"WHERE case_id IN ({_marks(len(ids))}) ORDER BY id", ids):
        add(r["case_id"], f"review-{r['id']}-started", r["started_at"], "review-started",
            f"Review version {r['version']} started by {r['author']}", "Review record", time=r["started_at"])
        if r["submitted_at"]:
            add(r["case_id"], f"review-{r['id']}-submitted", r["submitted_at"], "review-submitted",
                f"Review version {r['version']} submitted by {r['author']}", "Review record", time=r["submitted_at"])
    for r in conn.execute(f"SELECT d.id, r.case_id, r.version, d.decision, d.by_user, d.by_role, d.decided_at "
                          f"FROM review_decisions d JOIN reviews r ON r.id = d.review_id "
                          f"WHERE r.case_id IN ({_marks(len(ids))}) ORDER BY d.id", ids):
        kind, words = DECISION_KINDS.get(r["decision"], ("review-approved", r["decision"]))
        add(r["case_id"], f"decision-{r['id']}", r["decided_at"], kind,
            f"Review version {r['version']} {words} {r['by_user']} ({r['by_role']})", "Review record",
            time=r["decided_at"])

    cleaned = cleaner.clean_all([getattr(e, attr) for e, attr in to_clean])
    for (e, attr), value in zip(to_clean, cleaned):
        setattr(e, attr, value)
    rank = {k: i for i, k in enumerate(KINDS)}
    events.sort(key=lambda e: (e.date, rank.get(e.kind, 99), order[e.case], e.time or "", e.id))
    chron = Chronology(ref, identity, p, s.version, members, events, lanes.labels)
    chron.bursts = patterns.bursts(events, s.burst_window_days, s.burst_min_cases)
    chron.gaps = patterns.gaps(events, s.gap_days)
    return chron
