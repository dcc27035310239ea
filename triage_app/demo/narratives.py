"""What the original investigation did and didn't do, in the words officers wrote in the 2010s:
the sentences the demo adds to each case's summary and rationale, so the review workspace has
proposals to show (issue 16).

Varied on purpose: ABE/VRI interviews held or not, suspects interviewed under caution or never
traced, phones seized but not downloaded, hedges ("it is unclear whether…"), several actions in
one sentence, abbreviations (ABE, VRI, OIC, CPS, IUC, CAWN, ANPR, CSC, NFA). Drawn from an RNG of
its own, seeded from the generator's seed, so the rest of the synthetic data (people, dates, refs)
is exactly what it was before these sentences existed. Rationale sentences avoid the words the
triage weights count as victim-blaming, so the queue's scores stay as they were.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

# {V} the victim's first name or "the IP", {S} a suspect reference, {d} a date, {oic} an officer.
# Each statement carries the topics it speaks to: a case says one thing per topic, never two
# that contradict each other.
SUMMARY = [
    ("abe", "An ABE interview was conducted on {d} and {V} gave a full account."),
    ("abe", "{V} was ABE interviewed by {oic}; the DVD is exhibit {x}."),
    ("abe", "VRI completed at the suite on {d}."),
    ("abe", "No ABE was conducted; {V} gave a short written statement only."),
    ("abe", "{V} declined to be video interviewed."),
    ("abe", "An ABE was booked but {V} did not attend and it was never rearranged."),
    ("abe", "It is unclear whether an ABE took place: no DVD is listed."),
    ("interview", "{S} was arrested and interviewed under caution; no comment to all questions."),
    ("interview", "{S} attended a voluntary interview and denied knowing {V}."),
    ("interview", "{S} was never traced and has not been interviewed."),
    ("interview", "The second male was not interviewed."),
    ("interview", "It is not clear whether {S} was ever interviewed."),
    ("phone", "{V}'s phone was seized but never downloaded."),
    ("phone", "Phones belonging to {V} and {S} were seized and examined; messages recovered."),
    ("phone", "The suspect's handset was not seized."),
    ("digital", "ANPR checks on the car were requested and returned hits near the flat."),
    ("digital", "Taxi booking records were not requested."),
    ("third", "Children's services records were obtained and reviewed by the OIC."),
    ("third", "No request was made for school or health records."),
    ("warning", "A child abduction warning notice was served on {S} in {y}."),
    ("criminalised", "{V} was arrested for criminal damage at the children's home during the same period."),
    ("travel", "{V} was driven by {S} to hotels in other towns on several weekends."),
    ("others", "Other girls named by {V} were never traced or spoken to."),
    ("now", "{S} is believed to still live locally and now works as a school bus driver."),
    ("abroad", "{S} travels regularly to Pakistan and has property there."),
    # Several actions in one sentence, as officers write.
    ("interview abe", "{S} was interviewed under caution but {V} was not ABE interviewed."),
    ("abe interview", "{V} was ABE interviewed on {d}; however the suspects were never interviewed."),
    ("abe phone interview", "No ABE was conducted, the phone was not seized and the suspects were not interviewed."),
    ("digital", "ANPR was checked but taxi records and social media were not."),
]
RATIONALE = [
    ("", "CPS advice sought; insufficient evidence to charge."),
    ("interview", "Suspects not interviewed."),
    ("abe", "No ABE was conducted."),
    ("abe", "ABE completed; CPS advised NFA."),
    ("phone", "Phone seized but not examined due to backlog."),
    ("", "OIC notes that exhibits have not been submitted for examination."),
]
OFFICERS = ["DC 4471 HOLT", "DC 2290 BYRNE", "PC 1187 NAYLOR", "DS 3305 PRICE", "DC 5012 OKAFOR"]


class Narratives:
    def __init__(self, seed: int):
        self.rng = random.Random(f"triage-demo-narratives-{seed}")

    def _fill(self, text: str, victim_first: str, suspect: str, year: int, window=None) -> str:
        r = self.rng
        out = text.format(V=r.choice([victim_first, "the IP", "the victim", "the complainant"]),
                          S=suspect, d=_when(r.randint(1, 28), r.randint(1, 12), year, window),
                          oic=r.choice(OFFICERS), x=f"{r.choice('ABCDEFGHJK')}{r.choice('LMNPRST')}/{r.randint(1, 12)}",
                          y=year)
        return out[0].upper() + out[1:]

    def case(self, victim_first: str, suspect: str, year: int, window: tuple[date, date] | None = None) -> tuple[str, str]:
        """(summary sentences, rationale sentence): two to five statements about what was done,
        at most one per topic, the rationale's agreeing with the summary's. `window`: (reported,
        NFA decision), so an interview's date falls between them, where the chronology expects it."""
        r = self.rng
        used: set[str] = set()
        picks = []
        for topics, text in r.sample(SUMMARY, len(SUMMARY))[:r.randint(2, 5)]:
            if used.isdisjoint(topics.split()):
                used.update(topics.split())
                picks.append(text)
        summary = " ".join(self._fill(t, victim_first, suspect, year, window) for t in picks)
        topics, text = r.choice(RATIONALE)
        rationale = text if r.random() < 0.6 and used.isdisjoint(topics.split()) else ""
        return summary, rationale


def _when(day: int, month: int, year: int, window) -> str:
    """A date as DD/MM/YYYY: day and month of `year`; with a window, the same draw placed between
    its ends instead (the RNG is drawn exactly as before, so the rest of the text is unchanged)."""
    if window is None:
        return f"{day:02d}/{month:02d}/{year}"
    start, end = window
    d = start + timedelta(days=((month - 1) * 28 + day - 1) * max((end - start).days, 0) // (12 * 28))
    return d.strftime("%d/%m/%Y")
