"""A synthetic linked cluster with known dates, for the chronology's tests, benchmark and demo.

    from triage_app.demo.cluster import generate_cluster
    c = generate_cluster(12, seed=3)
    c.write_csv(folder)   # cases.csv, nominals.csv in the canonical import format
    c.expected            # [(ref, kind, ISO date)] of every offence, report and NFA event
    c.text_dates          # {ref: ISO date written in that case's summary}
    c.victims             # the victims as written (to check they never leave the vault)
    c.suspects            # {suspect name: [refs]}; c.burst: refs of offences at one place within weeks
    c.outsider            # a case in the same files that shares nothing with the cluster

Every case shares a suspect's mobile (an Ofcom drama number) with its neighbours, so the linker
ties all of them together with strong links. Victims are Faker en_GB people; nothing is real.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from triage_app.demo.synthetic import CASE_COLUMNS, NOMINAL_COLUMNS

BURST_PLACE = "Flat above takeaway, Mill Street, Rochdale"
PLACES = ["Hotel, Oldham", "Park off Deansgate, Bolton", "Vehicle, Station Road", "Rochdale town centre",
          "Private address, Heywood", "Taxi office car park, Bury"]
OUTCOMES = ["16", "15", "14", "18", "21", "NFA - victim withdrew"]


@dataclass
class Cluster:
    cases: list
    nominals: list
    expected: list = field(default_factory=list)
    text_dates: dict = field(default_factory=dict)
    victims: list = field(default_factory=list)
    suspects: dict = field(default_factory=dict)
    burst: list = field(default_factory=list)
    outsider: str = ""

    @property
    def refs(self) -> list[str]:
        return [c["crime_ref"] for c in self.cases if c["crime_ref"] != self.outsider]

    def write_csv(self, folder) -> tuple[Path, Path]:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for name, columns, rows in (("cases.csv", CASE_COLUMNS, self.cases),
                                    ("nominals.csv", NOMINAL_COLUMNS, self.nominals)):
            path = folder / name
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
                w.writeheader()
                w.writerows(rows)
            out.append(path)
        return out[0], out[1]


def _uk(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def generate_cluster(n_cases: int, seed: int = 0, start: date = date(2009, 1, 5)) -> Cluster:
    r = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    n_suspects = max(2, min(6, n_cases // 3))
    suspects = []
    for i in range(n_suspects):
        suspects.append({"forenames": fake.first_name_male(), "surname": fake.last_name(),
                         "dob": date(1970 + i, 1 + i % 12, 3 + i), "phone": f"07700 900{100 + i:03d}",
                         "vehicle": f"ZX{10 + i} ABC"})
    c = Cluster([], [])
    day = start
    for i in range(n_cases):
        ref = f"CR/{day.year}/{700000 + i}"
        # The first three offences happen at one place within three weeks: the burst to be seen.
        offence = day + timedelta(days=r.randint(0, 5))
        day = offence + (timedelta(days=7) if i < 2 else timedelta(days=r.randint(25, 70)))
        if i == n_cases // 2:
            day += timedelta(days=900)      # a long quiet spell: the gap to be seen
        reported = offence + timedelta(days=r.randint(3, 120))
        nfa = reported + timedelta(days=r.randint(30, 300))
        missing = offence - timedelta(days=r.randint(2, 40))
        place = BURST_PLACE if i < 3 else r.choice(PLACES)
        if i < 3:
            c.burst.append(ref)
        age = r.randint(12, 15)
        first, last = fake.first_name_female(), fake.last_name()
        victim = {"forenames": first, "surname": last,
                  "dob": date(offence.year - age - 1, r.randint(1, 12), r.randint(1, 28)),
                  "address": f"{r.randint(2, 99)} {fake.street_name()}", "postcode": f"OL{r.randint(1, 16)} {r.randint(1, 9)}XY",
                  "phone": f"07700 900{500 + i:03d}", "ref": ref}
        c.victims.append(victim)
        on_case = [suspects[i % n_suspects], suspects[(i + 1) % n_suspects]]
        c.cases.append({
            "crime_ref": ref, "offence_code": "19D", "offence_description": "Rape of a female aged under 16",
            "offence_date": _uk(offence), "reported_date": offence.isoformat() if i % 2 else _uk(reported),
            "nfa_date": _uk(nfa), "outcome_code": OUTCOMES[i % len(OUTCOMES)],
            "nfa_rationale": f"{first} {last} is not credible. Victim withdrew support.",
            "officer_in_case": f"DC {4000 + i} Hale", "location": place, "exhibits_retained": "no",
            "summary": (f"{first} {last} (phone {victim['phone']}, of {victim['address']}) was reported missing "
                        f"on {_uk(missing)} and found in a car. Born {_uk(victim['dob'])}."),
            "previously_reviewed": "no"})
        if i % 2:   # odd cases: the report date is the offence date, as many records give it
            c.cases[-1]["reported_date"] = _uk(reported)
        c.text_dates[ref] = missing.isoformat()
        c.expected += [(ref, "offence", offence.isoformat()), (ref, "report", reported.isoformat()),
                       (ref, "nfa", nfa.isoformat())]
        c.nominals.append({"crime_ref": ref, "role": "victim", "surname": last, "forenames": first,
                           "dob": _uk(victim["dob"]), "gender": "F", "address": victim["address"],
                           "postcode": victim["postcode"], "phones": victim["phone"], "vehicles": ""})
        for s in on_case:
            c.nominals.append({"crime_ref": ref, "role": "suspect", "surname": s["surname"].upper(),
                               "forenames": s["forenames"], "dob": _uk(s["dob"]), "gender": "M", "address": "",
                               "postcode": "", "phones": s["phone"], "vehicles": s["vehicle"]})
            c.suspects.setdefault(f"{s['forenames']} {s['surname'].upper()}", []).append(ref)
    out_ref = f"CR/{start.year}/699999"
    c.outsider = out_ref
    c.cases.append({"crime_ref": out_ref, "offence_code": "20A", "offence_description": "Sexual assault",
                    "offence_date": _uk(start + timedelta(days=40)), "reported_date": _uk(start + timedelta(days=50)),
                    "nfa_date": _uk(start + timedelta(days=90)), "outcome_code": "18", "nfa_rationale": "",
                    "officer_in_case": "DC 1 Vale", "location": "Elsewhere", "exhibits_retained": "no",
                    "summary": "", "previously_reviewed": "no"})
    c.nominals.append({"crime_ref": out_ref, "role": "suspect", "surname": "ZEBEDEE", "forenames": "Quentin",
                       "dob": "01/01/1950", "gender": "M", "address": "", "postcode": "", "phones": "07700 900999",
                       "vehicles": ""})
    return c
