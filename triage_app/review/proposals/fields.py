"""Field rules: proposals from the structured record, the links and the review's contact record.

Each rule has an id (it is what an audit entry names) and reads its settings from the rules file's
[fields] table. The wording of each piece of evidence names the field and what it holds, never a
person: identities stay out of evidence (a linked case is named by its reference only).
"""
from __future__ import annotations

from datetime import date

from triage_app.review.proposals.facts import CaseFacts
from triage_app.review.proposals.model import Candidate, Evidence

MSA_WORDS = "the Modern Slavery Act 2015 came into force on 31 July 2015 and is not retrospective"


def _field(item, answer, source, text, words, rule, rank=0):
    start = text.find(words) if words else 0
    span = (start, start + len(words)) if words and start >= 0 else (0, len(text))
    return Candidate(item, answer, Evidence(source, text, span), rule, rank)


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def after_modern_slavery_act(facts: CaseFacts, rules) -> bool | None:
    """True/False when the offence (or, with no offence date, the NFA decision) is on/after or
    before 31 July 2015; None when neither date is known."""
    cutoff = date.fromisoformat(rules.fields.get("modern_slavery_act", "2015-07-31"))
    when = _iso(facts.offence_date) or _iso(facts.nfa_date)
    return None if when is None else when >= cutoff


def _exhibits(facts: CaseFacts, rules) -> list:
    value = (facts.exhibits_retained or "").strip()
    low = value.lower()
    for answer, key in (("yes", "exhibits_yes"), ("no", "exhibits_no")):
        if low in rules.fields.get(key, []):
            return [_field("exhibits_retained", answer, "exhibits_retained", f"Exhibits retained: {value}", value,
                           "exhibits_retained.field")]
    return []


def _suspects(facts: CaseFacts, rules) -> list:
    if not facts.suspects:
        return []
    n = len(facts.suspects)
    no_surname = sum(1 for s in facts.suspects if not (s.surname or "").strip() or not (s.forenames or "").strip())
    no_dob = sum(1 for s in facts.suspects if not s.dob)
    head = f"{n} suspect{'s' if n != 1 else ''} recorded"
    if no_surname or no_dob:
        gaps = [f"{k} without a full name" for k in [no_surname] if k] + [f"{k} without a date of birth" for k in [no_dob] if k]
        words = "; ".join(gaps)
        return [_field("suspects_identified", "no", "nominals", f"{head}: {words}", words, "suspects_identified.nominals")]
    words = "each with a full name and a date of birth"
    return [_field("suspects_identified", "yes", "nominals", f"{head}, {words}", words, "suspects_identified.nominals",
                   rank=2)]


def _age(facts: CaseFacts, rules) -> list:
    age = facts.youngest_victim_age
    if age is None or age < int(rules.fields.get("under_16", 16)):
        return []
    words = f"aged {age} at the offence"
    return [_field("under16_consent", "na", "age_at_offence", f"Youngest victim {words}", words,
                   "under16_consent.victim_age")]


def _modern_slavery(facts: CaseFacts, rules) -> list:
    if after_modern_slavery_act(facts, rules) is not False:
        return []
    field_name, value = ("offence_date", facts.offence_date) if _iso(facts.offence_date) else ("nfa_date", facts.nfa_date)
    label = "Offence date" if field_name == "offence_date" else "NFA date (no offence date recorded)"
    return [_field("modern_slavery", "na", field_name, f"{label} {value[:10]}: before 31 July 2015 ({MSA_WORDS})",
                   value[:10], "modern_slavery.dates")]


def _links(facts: CaseFacts, rules) -> list:
    if facts.links is None:
        return []
    out = []
    firm = [l for l in facts.links if l.strength == "strong" or l.judgement == "confirmed"]
    if firm:
        parts = [f"{l.other} ({'confirmed' if l.judgement == 'confirmed' else 'strong'} link"
                 f"{': shared ' + ', '.join(l.kinds) if l.kinds else ''})" for l in firm[:5]]
        text = f"Linked to {len(firm)} other case{'s' if len(firm) != 1 else ''}: " + "; ".join(parts)
        out.append(_field("linked_cases", "yes", "links", text, parts[0], "linked_cases.links"))
    places = [l for l in facts.links if "address" in l.kinds and (l.strength == "strong" or l.judgement == "confirmed")]
    if places:
        refs = ", ".join(l.other for l in places[:5])
        text = f"An address on this case is also on {refs}"
        out.append(_field("honeypot_locations", "yes", "links", text, "An address on this case is also on",
                          "honeypot_locations.links", rank=1))
    others = {ref: n for ref, n in facts.cluster_victims.items() if n}
    if others:
        total = sum(others.values())
        text = (f"{total} other victim{'s' if total != 1 else ''} on {len(others)} linked "
                f"case{'s' if len(others) != 1 else ''} in this case's cluster: " + ", ".join(sorted(others)[:5]))
        out.append(_field("other_victims", "yes", "links", text, text.split(" in this")[0], "other_victims.cluster",
                          rank=1))
    return out


def _contacts(facts: CaseFacts, rules) -> list:
    if facts.contacts is None:
        return []
    out = []
    with_wishes = [c for c in facts.contacts if (c.get("wishes") or "").strip()]
    if with_wishes:
        c = with_wishes[-1]
        out.append(_field("victim_wishes", "yes", "contacts", f"Contact on {c['date']} records the victim's wishes",
                          "records the victim's wishes", "victim_wishes.contacts"))
    else:
        text = ("No contact with the victim is recorded in this review" if not facts.contacts
                else "The contacts recorded in this review hold no wishes of the victim")
        out.append(_field("victim_wishes", "no", "contacts", text, text, "victim_wishes.contacts"))
    offered = {s for c in facts.contacts for s in (c.get("support_offered") or [])}
    minors = [_age_now(v.dob, facts.today) for v in facts.victims]
    under_18 = any(a is not None and a < 18 for a in minors)
    unknown = any(a is None for a in minors) or not minors
    if "isva" in offered and ("ictg" in offered or not under_18):
        if "ictg" in offered or not unknown:
            words = "ISVA and ICTG offered" if "ictg" in offered else "ISVA offered (victim 18 or over now)"
            out.append(_field("support_offered", "yes", "contacts", f"Contact record: {words}", words,
                              "support_offered.contacts"))
    else:
        missing = "no ISVA offer" if "isva" not in offered else "no ICTG offer for a victim under 18 now"
        text = f"Contact record: {missing} recorded" if facts.contacts else "No contact with the victim is recorded in this review"
        out.append(_field("support_offered", "no", "contacts", text, text if not facts.contacts else missing,
                          "support_offered.contacts"))
    return out


def _age_now(dob: str | None, today: date | None) -> int | None:
    d = _iso(dob)
    if d is None:
        return None
    today = today or date.today()
    return today.year - d.year - ((today.month, today.day) < (d.month, d.day))


def _location(facts: CaseFacts, rules) -> list:
    text = (facts.location or "").strip()
    place = next((r for r in rules.text if r.item == "honeypot_locations"), None)
    if not text or place is None or place.concept is None:
        return []
    m = place.concept.search(text)
    if not m:
        return []
    return [_field("honeypot_locations", "yes", "location", text, m.group(), "honeypot_locations.location", rank=1)]


RULES = (_exhibits, _suspects, _age, _modern_slavery, _links, _contacts, _location)


def candidates(facts: CaseFacts, rules) -> list:
    out = []
    for rule in RULES:
        out += rule(facts, rules)
    return out


def derived(settled: dict, rules) -> list:
    """Answers that follow from another item's: a decision resting on an under-16's apparent
    consent would not stand under current CPS guidance (a child cannot consent)."""
    got = settled.get("under16_consent")
    if not got or got[0] != "yes":
        return []
    answer, chosen = got
    return [Candidate("cps_guidance", "no", c.evidence, "cps_guidance.under16_consent") for c in chosen
            if c.rule != "under16_consent.victim_age"]
