"""Synthetic exports of historic NFA cases, for the demo and the tests. Never real data.

    from triage_app.demo.synthetic import generate
    data = generate(1000, seed=7)
    data.cases       # list of dicts, canonical cases.csv columns (docs/IMPORT_FORMAT.md) + previously_reviewed
    data.nominals    # list of dicts, canonical nominals.csv columns + nominal_id ("" when absent)
    data.truth       # {nominal row index: person id}: rows with the same id are the same person
    data.people      # {person id: {"forenames", "surname", "dob" (ISO or None)}} as the person really is
    data.write_csv(folder)  # → (cases_path, nominals_path), UTF-8, CRLF like most exports

What makes it look like the records reviewers inherit (issue 3; the review practice behind it is summed up in docs/USER_GUIDE.md):
- Home Office offence codes of these cases; outcome codes 14/15/16/18/21 after April 2013 and the
  free-text "detection" language before it; NFA dates 2008–2025 (some before 5 Jun 2013).
- Victims aged 10–17 at the offence; some victims appear on more than one case.
- Groups of suspects who recur across cases, each appearance recorded a little differently:
  spelling variants (Mohammed/Muhammad, Stephen/Steven, Tony/Anthony …), upper case, middle names
  present or not, keying slips, surname and forename swapped, dates of birth missing or with day and
  month swapped.
- Different people who share a common name, with dates of birth years apart.
- Phones in mixed UK formats from Ofcom's drama ranges only (07700 900xxx, 0113 496 0xxx …), each
  number held by one person so a shared number is a true link; vehicle marks in a form never issued
  (memory tag starting with Z) with mixed spacing and case.
- NFA rationales in the language of the time, victim-blaming phrases included, because spotting
  them is part of the review; summaries say what the investigation did and didn't do (ABE, suspect
  interviews, phones, ANPR …) with negations and hedges, so the demo shows proposed answers
  (`narratives.py`, its own RNG: the people, dates and refs are drawn exactly as before).
- Dated sentences (missing episodes, first account, strategy meeting, advice sought) placed where
  they fall in the case and written in UK forms, so the chronology has dates in the text to propose
  (`timeline.py`, its own RNG too); the narratives' interview dates fall between report and decision.

Speed: Faker (en_GB, seeded) fills small pools once; rows are drawn from them with `random.Random`,
so 100,000 cases and ~250,000 nominals take a few seconds.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from triage_app.demo.narratives import Narratives
from triage_app.demo.timeline import Timeline

CASE_COLUMNS = ["crime_ref", "offence_code", "offence_description", "offence_date", "reported_date", "nfa_date",
                "outcome_code", "nfa_rationale", "officer_in_case", "location", "exhibits_retained", "summary",
                "previously_reviewed"]
NOMINAL_COLUMNS = ["crime_ref", "nominal_id", "role", "surname", "forenames", "dob", "gender", "ethnicity",
                   "address", "postcode", "phones", "vehicles"]

OFFENCES = [
    ("19C", "Rape of a female aged 16 or over"), ("19D", "Rape of a female aged under 16"),
    ("19E", "Rape of a female child under 13"), ("19G", "Rape of a male aged under 16"),
    ("20A", "Sexual assault on a female aged 13 and over"), ("20B", "Sexual assault on a female child under 13"),
    ("17A", "Sexual assault on a male aged 13 and over"), ("21", "Sexual activity involving a child under 13"),
    ("22B", "Sexual activity involving a child under 16"), ("71", "Abuse of children through sexual exploitation"),
    ("72", "Trafficking for sexual exploitation"), ("73", "Abuse of position of trust of a sexual nature"),
    ("88A", "Sexual grooming"),
]
OFFENCE_WEIGHTS = [3, 10, 3, 1, 6, 2, 1, 2, 8, 6, 2, 1, 5]
OUTCOMES_AFTER_2013 = ["14", "15", "16", "18", "21", "10", "15", "16"]
OUTCOME_WEIGHTS = [10, 14, 30, 8, 6, 2, 0, 0]
OUTCOMES_BEFORE_2013 = ["NFA - insufficient evidence", "No further action", "Undetected - no further lines",
                        "NFA - victim withdrew", "NFA (CPS advice)", "Filed - undetected", "No crime"]
FRAMEWORK_START = date(2013, 4, 1)
# What an offence code says of its victim, so a demo case never contradicts itself (a "rape of a
# female child under 13" with a 16-year-old boy): sex where the code fixes it, and ages at the offence.
OFFENCE_VICTIM = {
    "19C": ("F", 16, 17), "19D": ("F", 13, 15), "19E": ("F", 10, 12), "19G": ("M", 13, 15),
    "20A": ("F", 13, 17), "20B": ("F", 10, 12), "17A": ("M", 13, 17), "21": (None, 10, 12),
    "22B": (None, 13, 15),
}

RATIONALE_OPENERS = [
    "Victim has not supported a prosecution.", "IP withdrew support and declined an ABE interview.",
    "Victim is not credible due to inconsistencies in her account.",
    "Victim appears to have consented to the activity.",
    "Injured party has made a lifestyle choice and continues to associate with the males.",
    "Victim has numerous missing episodes and is considered unreliable.",
    "Evidential difficulties: no independent witnesses.",
    "Suspect denies the offence and states the relationship was consensual.",
    "CPS advice sought; insufficient evidence to charge.", "Suspect not identified beyond a first name.",
    "Victim is known to put herself at risk and was willing to go with the males.",
    "Victim withdrew support and does not want police involvement.",
]
RATIONALE_MORE = [
    "Phone not seized.", "No forensic opportunities identified.", "Suspects not interviewed.",
    "Mother does not wish to pursue the matter.", "Victim described as promiscuous by staff at the home.",
    "Victim is 15 and stated she was his girlfriend.", "Case to be filed pending further information.",
    "Vehicle seen but VRM not obtained.", "Victim under the influence of alcohol; account unreliable.",
    "Exhibits not submitted for examination.", "Taxi firm records not requested.",
    "Intelligence suggests other girls involved; no further action taken on this.",
]
SUMMARY_PARTS = [
    "Victim reported being picked up from outside school by a group of males in a {colour} {car}.",
    "Victim was taken to a flat above a takeaway on {street} where alcohol and cannabis were supplied.",
    "Victim disclosed to a residential worker that she had been passed between several older males.",
    "Staff at the children's home reported repeated missing episodes; she returned in taxis late at night.",
    "Victim was given a mobile phone by a male known as \"{nick}\" and told to keep it secret.",
    "Victim met the suspect at a park and was later taken to a hotel in {town}.",
    "Victim states she was threatened that her family would be hurt if she told anyone.",
    "School raised concerns after she was seen getting into cars with older men.",
    "Victim's friend, also 14, was present on at least one occasion.",
    "Referral from children's services after a strategy meeting.",
]
NICKNAMES = ["Taz", "Bilal", "Kaz", "Sonny", "Dee", "Mo", "Jay", "Smiley", "Boss", "Rocky", "Sly", "Ace"]
COLOURS = ["silver", "black", "white", "red", "blue", "grey"]
CARS = ["Vauxhall Astra", "Toyota Prius", "Ford Focus", "BMW 3 Series", "VW Golf", "Skoda Octavia", "Honda Civic"]
EXHIBITS = ["yes", "no", "unknown", "Y", "N", "Yes", "NO", "", "Unknown"]
ETHNICITY = ["W1", "W2", "W9", "A1", "A2", "A3", "A9", "B1", "B2", "M1", "M3", "O2", "IC1", "IC2", "IC3", "IC4",
             "IC6", "NS", "", "", "", ""]
LOCATION_FORMS = ["Flat above takeaway, {street}, {town}", "{town} town centre", "Hotel, {town}",
                  "Vehicle, {street}", "Park off {street}, {town}", "Private address, {town}", ""]

# Names that vary between records of the same person; the first of each group is the canonical one.
VARIANT_GROUPS = [
    ["Mohammed", "Muhammad", "Mohammad", "Mohamed", "Mohammed"], ["Stephen", "Steven"], ["Anthony", "Tony"],
    ["Michael", "Mick", "Mike"], ["Jonathan", "Jon"], ["Daniel", "Danny"], ["Robert", "Rob", "Bob"],
    ["Christopher", "Chris"], ["Imran", "Imraan"], ["Hussain", "Hussein", "Husain"], ["Zakir", "Zakar"],
    ["Shabir", "Shabbir"], ["Ahmed", "Ahmad"], ["Mahmood", "Mahmud", "Mehmood"], ["Thomas", "Tom"],
    ["Abdul", "Abdhul"], ["Jamie", "James"], ["Nicholas", "Nick"], ["Catherine", "Katherine", "Kathryn"],
]
VARIANTS = {g[0]: g for g in VARIANT_GROUPS}
# A few names common enough that unrelated people share them (the linker must tell them apart by DOB).
COMMON_NAMES = [("Mohammed", "Khan"), ("John", "Smith"), ("David", "Jones"), ("Mohammed", "Hussain"),
                ("Stephen", "Brown"), ("Anthony", "Wilson"), ("Imran", "Ahmed"), ("Michael", "Taylor")]
EXTRA_MALE = ["Mohammed", "Imran", "Zakir", "Shabir", "Abdul", "Tariq", "Asif", "Usman", "Adil", "Hassan", "Kamran",
              "Stephen", "Anthony", "Michael", "Jonathan", "Daniel", "Robert", "Christopher", "Thomas", "Nicholas"]
EXTRA_SURNAMES = ["Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Rashid", "Shah", "Akhtar", "Mahmood", "Butt"]

# Ofcom numbers reserved for drama: (national prefix digits, first number, count).
PHONE_RANGES = [("7700900", 0, 1000), ("1134960", 0, 1000), ("1144960", 0, 1000), ("1154960", 0, 1000),
                ("1164960", 0, 1000), ("1174960", 0, 1000), ("1184960", 0, 1000), ("1214960", 0, 1000),
                ("1314960", 0, 1000), ("1414960", 0, 1000), ("1514960", 0, 1000), ("1614960", 0, 1000),
                ("2079460", 0, 1000), ("1914980", 0, 1000), ("2920180", 0, 1000), ("1632960", 0, 1000)]
ABBREVIATE = {"Road": "Rd", "Street": "St", "Avenue": "Ave", "Lane": "Ln", "Close": "Cl", "Drive": "Dr"}


@dataclass
class Person:
    pid: int
    first: str
    middle: str
    surname: str
    dob: date | None
    gender: str
    ethnicity: str
    address: str
    postcode: str
    phones: list = field(default_factory=list)
    vehicles: list = field(default_factory=list)
    rms_ids: list = field(default_factory=list)


@dataclass
class Synthetic:
    cases: list
    nominals: list
    truth: dict
    people: dict

    def write_csv(self, folder) -> tuple[Path, Path]:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for name, columns, rows in (("cases.csv", CASE_COLUMNS, self.cases),
                                    ("nominals.csv", NOMINAL_COLUMNS, self.nominals)):
            path = folder / name
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, columns, lineterminator="\r\n", extrasaction="ignore")
                w.writeheader()
                w.writerows(rows)
            out.append(path)
        return out[0], out[1]


class _Pools:
    def __init__(self, seed: int):
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        from faker.providers.person.en_GB import Provider as P
        self.male = sorted(set(P.first_names_male)) + EXTRA_MALE * 3
        self.female = sorted(set(P.first_names_female))
        self.surnames = sorted(set(P.last_names)) + EXTRA_SURNAMES * 5
        self.streets = [fake.street_name() for _ in range(1500)]
        self.towns = [fake.city() for _ in range(150)]
        self.postcodes = [fake.postcode() for _ in range(6000)]
        self.officers = [fake.last_name() for _ in range(300)]


class _Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.pools = _Pools(seed)
        self.people: list[Person] = []
        numbers = [f"{prefix}{start + i:03d}" for prefix, start, count in PHONE_RANGES for i in range(count)]
        self.rng.shuffle(numbers)
        self.free_numbers = numbers
        self.plates: set[str] = set()
        self.born: set[tuple] = set()    # (first name, surname, date of birth) of every person so far
        self.next_rms = 4_100_000

    # --- people -----------------------------------------------------------------------
    def _phone_number(self) -> str | None:
        return self.free_numbers.pop() if self.free_numbers else None

    def _plate(self) -> str:
        # Each mark on one person only, as each phone number is: a shared vehicle is a true link.
        # (Drawn again only on a clash, so data without one is drawn exactly as before.)
        r = self.rng
        letters = "ABCDEFGHJKLMNOPRSTUVWXY"
        while True:
            plate = ("Z" + r.choice(letters) + f"{r.choice([51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]):02d}"
                     + "".join(r.choice(letters) for _ in range(3)))
            if plate not in self.plates:
                self.plates.add(plate)
                return plate

    def new_person(self, gender: str, dob: date | None, *, name: tuple | None = None, phone_p: float = 0.3,
                   vehicle_p: float = 0.0, redraw=None) -> Person:
        """A new person; `redraw()` draws another date of birth like `dob` (see `_own_birthday`)."""
        r, p = self.rng, self.pools
        if name:
            first, surname = name
        else:
            first = r.choice(p.male if gender == "M" else p.female)
            surname = r.choice(p.surnames)
        dob = self._own_birthday(first, surname, dob, redraw)
        middle = r.choice(p.male if gender == "M" else p.female) if r.random() < 0.35 else ""
        if middle == first:
            middle = ""
        person = Person(len(self.people), first, middle, surname, dob, gender, r.choice(ETHNICITY),
                        f"{r.randint(1, 240)} {r.choice(p.streets)}, {r.choice(p.towns)}", r.choice(p.postcodes))
        if r.random() < phone_p:
            for _ in range(1 if r.random() < 0.8 else 2):
                n = self._phone_number()
                if n:
                    person.phones.append(n)
        if r.random() < vehicle_p:
            person.vehicles.append(self._plate())
        self.people.append(person)
        return person

    def _own_birthday(self, first: str, surname: str, dob: date | None, redraw) -> date | None:
        # Two different people with the same first name, surname and date of birth, and nothing else
        # recorded, are no two people a linker (or a reviewer) could tell apart, while the truth calls
        # them two: a date of birth already used under the name is drawn again. (Only on a clash, so
        # data without one is drawn exactly as before.)
        if dob is None or not surname or redraw is None:
            return dob
        while (first, surname, dob) in self.born:
            dob = redraw()
        self.born.add((first, surname, dob))
        return dob

    def adult(self, *, name=None, phone_p=0.5, vehicle_p=0.4) -> Person:
        def draw() -> date:
            return date(1950, 1, 1) + timedelta(days=self.rng.randint(0, 50 * 365))
        dob = draw()
        return self.new_person("M" if self.rng.random() < 0.95 else "F", dob, name=name, phone_p=phone_p,
                               vehicle_p=vehicle_p, redraw=draw)

    # --- rendering one appearance of a person on a record -------------------------------
    def _slip(self, s: str) -> str:
        if len(s) < 4:
            return s
        i = self.rng.randint(1, len(s) - 2)
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]

    def _phone_text(self, digits: str) -> str:
        r = self.rng
        if digits.startswith("7"):
            a, b = digits[:4], digits[4:]
            forms = [f"0{a} {b}", f"0{a}{b}", f"+44 {a} {b}", f"+44 (0){a} {b}", f"0044 {a} {b}",
                     f"0{a}-{b[:3]}-{b[3:]}"]
        elif digits.startswith("20"):
            forms = [f"020 {digits[2:6]} {digits[6:]}", f"(020) {digits[2:]}", f"+44 20 {digits[2:6]} {digits[6:]}"]
        else:
            a, b = digits[:3], digits[3:]
            forms = [f"0{a} {b[:3]} {b[3:]}", f"(0{a}) {b}", f"+44 {a} {b[:3]} {b[3:]}", f"0{a}{b}"]
        return r.choice(forms)

    def _plate_text(self, plate: str) -> str:
        r = self.rng.random()
        if r < 0.5:
            return f"{plate[:4]} {plate[4:]}"
        if r < 0.7:
            return plate.lower()
        if r < 0.85:
            return plate
        return f"{plate[:2]} {plate[2:4]} {plate[4:]}"

    def _date_text(self, d: date | None) -> str:
        if d is None:
            return ""
        r = self.rng.random()
        if r < 0.5:
            return d.isoformat()
        if r < 0.85:
            return d.strftime("%d/%m/%Y")
        if r < 0.95:
            return f"{d.day}/{d.month}/{d.year}"
        return d.strftime("%d/%m/%Y") + " 00:00"

    def render(self, person: Person, role: str, ref: str) -> dict:
        r = self.rng
        first, surname = person.first, person.surname
        if first in VARIANTS and r.random() < 0.35:
            first = r.choice(VARIANTS[first])
        forenames = first
        if person.middle and r.random() < 0.5:
            forenames = f"{first} {person.middle}"
        if r.random() < 0.04:
            surname = self._slip(surname)
        elif r.random() < 0.03:
            forenames = self._slip(forenames)
        if r.random() < 0.15:
            forenames, surname = forenames.upper(), surname.upper()
        if r.random() < 0.04:
            forenames, surname = surname, forenames
        dob = person.dob
        missing_p = 0.2 if role == "suspect" else 0.05
        if r.random() < missing_p:
            dob = None
        elif dob and dob.day <= 12 and dob.day != dob.month and r.random() < 0.02:
            dob = date(dob.year, dob.day, dob.month)
        phones = [self._phone_text(p) for p in person.phones if r.random() < 0.75]
        vehicles = [self._plate_text(v) for v in person.vehicles if r.random() < 0.7]
        address, postcode = "", ""
        if r.random() < 0.75:
            address = person.address
            if r.random() < 0.3:
                for long, short in ABBREVIATE.items():
                    address = address.replace(f" {long},", f" {short},")
            postcode = person.postcode if r.random() < 0.85 else ""
            if postcode and r.random() < 0.2:
                postcode = postcode.replace(" ", "").lower()
        nominal_id = ""
        if r.random() < 0.5:
            if not person.rms_ids or r.random() < 0.15:
                self.next_rms += r.randint(1, 40)
                person.rms_ids.append(f"P{self.next_rms}")
            nominal_id = r.choice(person.rms_ids)
        return {"crime_ref": ref, "nominal_id": nominal_id, "role": role if r.random() < 0.8 else role.upper(),
                "surname": surname, "forenames": forenames, "dob": self._date_of_birth(person, dob), "gender": person.gender,
                "ethnicity": person.ethnicity, "address": address, "postcode": postcode,
                "phones": "; ".join(phones), "vehicles": ";".join(vehicles)}

    def _date_of_birth(self, person: Person, dob: date | None) -> str:
        # Someone known only by a first name or nickname has no date of birth on record either:
        # with one, two such men born on the same day would be indistinguishable from one man
        # recorded twice, while the truth calls them two people. The text is drawn all the same,
        # so every other value of the export stays as it was.
        text = self._date_text(dob)
        return text if person.surname else ""

    # --- cases ----------------------------------------------------------------------------
    def _rationale(self, outcome: str) -> str:
        r = self.rng
        parts = [r.choice(RATIONALE_OPENERS)] + r.sample(RATIONALE_MORE, r.randint(0, 3))
        sep = "\n" if r.random() < 0.2 else " "
        return sep.join(parts)

    def _summary(self, victim_first: str) -> str:
        r, p = self.rng, self.pools
        parts = r.sample(SUMMARY_PARTS, r.randint(2, 4))
        text = " ".join(parts).format(colour=r.choice(COLOURS), car=r.choice(CARS), street=r.choice(p.streets),
                                      town=r.choice(p.towns), nick=r.choice(NICKNAMES))
        if r.random() < 0.3:
            text = f"{victim_first} (aged {r.randint(12, 17)}) seen by officers.\n{text}"
        return text


def generate(n_cases: int, seed: int = 0) -> Synthetic:
    """`n_cases` cases with about 2.5 nominals each; the same seed gives the same data."""
    g = _Generator(seed)
    r, pools = g.rng, g.pools
    narratives = Narratives(seed)   # its own RNG: everything else is drawn exactly as before
    timeline = Timeline(seed)       # dated sentences for the chronology: its own RNG too
    groups: list[list[Person]] = []
    for _ in range(max(3, n_cases // 40)):
        size = r.randint(3, 7)
        groups.append([g.adult(name=r.choice(COMMON_NAMES) if r.random() < 0.05 else None, phone_p=0.8,
                               vehicle_p=0.5) for _ in range(size)])
    victims: list[Person] = []
    cases, nominals, truth = [], [], {}
    refs = set()
    start, span = date(2008, 1, 1), (date(2025, 6, 30) - date(2008, 1, 1)).days
    for _ in range(n_cases):
        nfa = start + timedelta(days=r.randint(0, span))
        reported = nfa - timedelta(days=r.randint(14, 420))
        offence = reported - timedelta(days=r.randint(0, 700))
        while True:
            ref = f"{r.choice(['CR', 'OC', 'URN'])}/{reported.year}/{r.randint(100000, 999999)}"
            if ref not in refs:
                refs.add(ref)
                break
        code, description = r.choices(OFFENCES, OFFENCE_WEIGHTS)[0]
        if nfa < FRAMEWORK_START and r.random() < 0.8:
            outcome = r.choice(OUTCOMES_BEFORE_2013)
        else:
            outcome = r.choices(OUTCOMES_AFTER_2013, OUTCOME_WEIGHTS)[0]
        people: list[tuple[Person, str]] = []
        # Victims: 10–17 at the offence; some are victims on an earlier case too.
        sex, youngest, oldest = OFFENCE_VICTIM.get(code, (None, 10, 17))
        for _ in range(1 if r.random() < 0.9 else 2):
            victim = None
            if victims and r.random() < 0.08:
                v = r.choice(victims)
                if (v.dob and youngest <= _age(v.dob, offence) <= oldest and sex in (None, v.gender)
                        and all(v is not p for p, _ in people)):
                    victim = v
            if victim is None:
                age = r.randint(youngest, oldest)

                def draw(age=age, offence=offence) -> date:
                    return offence - timedelta(days=age * 365 + r.randint(5, 360))
                dob = draw()
                victim = g.new_person(sex or ("F" if r.random() < 0.85 else "M"), dob, phone_p=0.15, redraw=draw)
                victims.append(victim)
            people.append((victim, "victim"))
        n_suspects = r.choices([0, 1, 2, 3, 4], [20, 50, 15, 10, 5])[0]
        if n_suspects and r.random() < 0.35:
            group = r.choice(groups)
            for s in r.sample(group, min(n_suspects, len(group))):
                people.append((s, "suspect"))
        else:
            for _ in range(n_suspects):
                name = r.choice(COMMON_NAMES) if r.random() < 0.03 else None
                if r.random() < 0.1:      # known only by a first name or nickname
                    name = (r.choice(NICKNAMES + pools.male), "")
                people.append((g.adult(name=name, phone_p=0.2, vehicle_p=0.2), "suspect"))
        if r.random() < 0.1:
            people.append((g.adult(phone_p=0.05, vehicle_p=0.0), r.choice(["witness", "witness", "other"])))
        told = narratives.case(people[0][0].first, _suspect_word(people), offence.year, (reported, nfa))
        dated = timeline.case(people[0][0].first, _suspect_word(people), offence, reported, nfa)
        for person, role in people:
            truth[len(nominals)] = person.pid
            nominals.append(g.render(person, role, ref))
        cases.append({
            "crime_ref": ref, "offence_code": code, "offence_description": description,
            "offence_date": g._date_text(offence) if r.random() < 0.9 else "",
            "reported_date": g._date_text(reported), "nfa_date": g._date_text(nfa), "outcome_code": outcome,
            "nfa_rationale": _joined(g._rationale(outcome), told[1]),
            "officer_in_case": f"DC {r.randint(1000, 9999)} {r.choice(pools.officers)}",
            "location": r.choice(LOCATION_FORMS).format(street=r.choice(pools.streets), town=r.choice(pools.towns)),
            "exhibits_retained": r.choice(EXHIBITS),
            "summary": _joined(g._summary(people[0][0].first), told[0], dated),
            "previously_reviewed": r.choices(["no", "yes", ""], [77, 3, 20])[0],
        })
    people_out = {p.pid: {"forenames": " ".join(x for x in (p.first, p.middle) if x), "surname": p.surname,
                          "dob": p.dob.isoformat() if p.dob and p.surname else None} for p in g.people}
    return Synthetic(cases, nominals, truth, people_out)


def identifiers(row: dict) -> set[tuple[str, str]]:
    """A generated nominal row's phones, vehicle marks and address (with its postcode), normalised as
    the linker reads them: two rows of one person that share one must be linked (the measure of
    recall in tests/triage/test_linking_truth.py and bench/linking_truth.py)."""
    from triage_app.linking import normalise
    out = {("phone", p) for p in normalise.phones(row["phones"])}
    out |= {("vehicle", v) for v in normalise.vehicles(row["vehicles"])}
    key = normalise.address_key(row["address"], row["postcode"])
    if key:
        out.add(("address", key))
    return out


def _joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _suspect_word(people) -> str:
    suspects = [p for p, role in people if role == "suspect"]
    return suspects[0].first if suspects and suspects[0].surname else "the suspect"


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
