"""Validation: every problem in both files found in one pass, before anything is written.

Turns the two tables into rows ready to load (originals kept, normalised forms beside them) and
lists problems (which block the import) and warnings (which don't), each with file, line, column.
Messages name the rule and may quote a date or a code, never a name or free text.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from triage_app.importing import dates
from triage_app.importing.profile import (CASE_COLUMNS, CASE_REQUIRED, NOMINAL_COLUMNS, NOMINAL_REQUIRED,
                                          Profile)
from triage_app.importing.reader import Table, problem
from triage_app.linking import normalise

ROLES = ("victim", "suspect", "witness", "other")
YES_NO = {"yes": "yes", "y": "yes", "true": "yes", "1": "yes", "no": "no", "n": "no", "false": "no", "0": "no"}
EXHIBITS = {**YES_NO, "unknown": "unknown", "u": "unknown", "not known": "unknown"}
CASE_DATES = ("offence_date", "reported_date", "nfa_date")

# Stored columns in load order (load.py builds its SQL from these).
CASE_FIELDS = ("ref", "offence_code", "offence_description", "offence_date", "reported_date", "nfa_date",
               "outcome_code", "nfa_rationale", "officer_in_case", "location", "exhibits_retained", "summary",
               "previously_reviewed", "extra")
NOMINAL_FIELDS = ("nominal_id", "role", "surname", "forenames", "name_norm", "dob", "gender", "ethnicity",
                  "address", "postcode", "phones", "vehicles", "age_at_offence", "extra", "natural_key")
MAX_LISTED = 1000
_NO_PLACE = (None, False)
_PARTIAL_POSTCODE = (None, True)
EMPTY = "{}"      # one shared object for the many rows with no other recorded fields


@dataclass(slots=True)
class CaseRow:
    line: int
    ref: str
    values: tuple           # CASE_FIELDS order
    source_hash: str


@dataclass(slots=True)
class NominalRow:
    line: int
    ref: str
    values: tuple           # NOMINAL_FIELDS order
    identifiers: list       # [(kind, value)]
    source_hash: str


class Keys:
    """What a check keeps of each good row when nothing is to be written: enough to count what an
    import would add or change, not the rows themselves (a large export is never held in memory)."""

    def __init__(self):
        self.cases: list[tuple[str, str]] = []              # (ref, source hash)
        self.nominals: list[tuple[str, str, str]] = []      # (ref, natural key, source hash)

    def case(self, row: "CaseRow") -> None:
        self.cases.append((row.ref, row.source_hash))

    def nominal(self, row: "NominalRow") -> None:
        self.nominals.append((row.ref, row.values[-1], row.source_hash))


@dataclass
class Checked:
    sink: object = field(default_factory=Keys)             # .case(CaseRow), .nominal(NominalRow)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    problem_count: int = 0


def row_hash(values: tuple) -> str:
    return hashlib.sha256("\x1f".join([v if v.__class__ is str else "" if v is None else str(v) for v in values])
                          .encode("utf-8")).hexdigest()


class _Columns:
    """Where each canonical column sits in a file's header, and which headers are extra."""

    def __init__(self, table: Table, name: str, known: tuple, required: tuple, profile: Profile, out: Checked):
        self.index: dict[str, int] = {}
        self.extra: list[tuple[str, int]] = []
        self.header = table.header
        self.label = table.label
        folded: dict[str, int] = {}
        for i, h in enumerate(table.header):
            key = h.strip().casefold()
            if key in folded and key:
                out.problems.append(problem(table.label, 1, h.strip(), f"the header names column {h.strip()[:40]!r} twice"))
            folded.setdefault(key, i)
        used = set()
        for col in known:
            source = profile.source_header(name, col).casefold()
            if source in folded:
                self.index[col] = folded[source]
                used.add(folded[source])
            elif col in required:
                shown = profile.source_header(name, col)
                why = f"the required column {col} is missing" if shown == col else \
                    f"the required column {shown[:40]!r} ({col}) is missing"
                out.problems.append(problem(table.label, 1, shown, why))
        for i, h in enumerate(table.header):
            if i not in used:
                self.extra.append((h.strip() or f"column {i + 1}", i))
        self.required = [self.index[col] for col in required if col in self.index]

    def column_name(self, col: str) -> str:
        i = self.index.get(col)
        return self.header[i].strip() if i is not None else col


def _cell(cells: list, i: int | None) -> str | None:
    if i is None:
        return None
    v = cells[i].strip()
    return v or None


def _extra(cells: list, extra: list) -> str:
    kept = {name: cells[i] for name, i in extra if cells[i].strip()}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else EMPTY


class _Checker:
    def __init__(self, profile: Profile, out: Checked, today: date):
        self.profile = profile
        self.out = out
        self.today = today
        # The same values recur across thousands of rows (dates, phones, vehicles): each distinct
        # one is worked out once per check. Places and names are left to normalise's lru caches of
        # their parts: at 100k, 172k of 249k (address, postcode) pairs are distinct, and a cache of
        # the pairs made the null-sink check slower (/tmp/chk/parts.py: 5.1-6.2 CPU s with it,
        # 4.5-5.0 without, alternating).
        self._dates: dict[str, tuple[str | None, str | None]] = {}
        self._phones: dict[str, tuple[list, int]] = {}
        self._vehicles: dict[str, tuple[list, int]] = {}

    def day(self, raw: str) -> tuple[str | None, str | None]:
        """(ISO date, None) or (None, what is wrong as a phrase after the column's name)."""
        known = self._dates.get(raw)
        if known is None:
            try:
                d = dates.parse(raw, self.profile.date_format)
            except dates.BadDate as e:
                known = (None, str(e))
            else:
                if d is None:
                    known = (None, None)
                elif d > self.today:
                    known = (None, f"is in the future ({d.isoformat()})")
                elif d.year < 1900:
                    known = (None, f"is before 1900 ({d.isoformat()})")
                else:
                    known = (d.isoformat(), None)
            self._dates[raw] = known
        return known

    def error(self, file, line, column, message) -> None:
        self.out.problem_count += 1
        if len(self.out.problems) < MAX_LISTED:
            self.out.problems.append(problem(file, line, column, message))

    def warn(self, file, line, column, message) -> None:
        if len(self.out.warnings) < MAX_LISTED:
            self.out.warnings.append(problem(file, line, column, message))

    def date(self, cols: _Columns, cells, line, col) -> str | None:
        """A case date: ISO, or None with a problem (not a date, in the future, before 1900)."""
        i = cols.index.get(col)
        if i is None:
            return None
        raw = cells[i].strip()
        if not raw:
            return None
        if col in self.profile.values:
            raw = self.profile.map_value(col, raw)
        # Most dates recur: the cache is asked here before the call that works one out.
        iso, wrong = self._dates.get(raw) or self.day(raw)
        if wrong is not None:
            self.error(cols.label, line, cols.column_name(col), f"{col} {wrong}")
        return iso

    def date_of_birth(self, cols: _Columns, cells, line) -> str | None:
        """A person's date of birth, ISO when it is a real date. An impossible or partial one
        (31/02/1990, 00/00/1900, a year alone, a date in the future) is a warning, not a refusal:
        real exports hold them, and nothing else on the row is wrong. The value is kept as recorded
        (and shown so); `normalise.dob` tells the readers it is no date, so linking and ages treat
        it as unknown."""
        i = cols.index.get("dob")
        if i is None:
            return None
        raw = cells[i].strip()
        if not raw:
            return None
        if "dob" in self.profile.values:
            raw = self.profile.map_value("dob", raw)
        iso, wrong = self._dates.get(raw) or self.day(raw)
        if wrong is None:
            return iso
        self.warn(cols.label, line, cols.column_name("dob"),
                  f"dob {wrong}; kept as recorded and treated as unknown for linking and ages")
        return raw.strip() or None

    # --- identifiers, each distinct cell worked out once --------------------------------------
    def phones(self, cell: str) -> tuple[list, int]:
        """(the readable numbers in a phones cell, normalised and without repeats, how many parts
        could not be read)."""
        known = self._phones.get(cell)
        if known is None:
            values, bad = [], 0
            for part in normalise.split_list(cell):
                v = phone(part)
                if v is None:
                    bad += 1
                elif v not in values:
                    values.append(v)
            known = self._phones[cell] = (values, bad)
        return known

    def vehicles(self, cell: str) -> tuple[list, int]:
        known = self._vehicles.get(cell)
        if known is None:
            values, bad = [], 0
            for part in normalise.split_list(cell):
                v = normalise.vehicle(part)
                if v is None:
                    bad += 1
                elif v not in values:
                    values.append(v)
            known = self._vehicles[cell] = (values, bad)
        return known

    def place(self, address: str | None, code: str | None) -> tuple[str | None, bool]:
        """(the 'address' identifier or None, whether a postcode was given that is not a full one)."""
        if not code:    # a third of the people: no identifier, nothing to warn of
            return _NO_PLACE
        if normalise.postcode(code) is None:
            return _PARTIAL_POSTCODE
        # address_key is None without a full postcode: the address is worked out only with one
        return (normalise.address_key(address, code) if address else None), False

    def ragged(self, cols: _Columns, cells, line) -> bool:
        if len(cells) != len(cols.header):
            self.error(cols.label, line, None,
                       f"the row has {len(cells)} cells where the header has {len(cols.header)}")
            return True
        return False

    def required(self, cols: _Columns, cells, line, required) -> bool:
        for i in cols.required:         # all given (nearly every row): nothing more to look at
            if not cells[i].strip():
                break
        else:
            return True
        ok = True
        for col in required:
            if col in cols.index and _cell(cells, cols.index[col]) is None:
                self.error(cols.label, line, cols.column_name(col), f"the required value {col} is empty")
                ok = False
        return ok


def check(cases: Table, nominals: Table, profile: Profile, vault_cases: dict, today: date, sink=None) -> Checked:
    """vault_cases: {ref: (case id, offence_date, reported_date)} already in the vault.

    Each good row goes to `sink` as it is checked (cases first, then nominals); the default sink
    keeps only keys and hashes. Problems and warnings are collected in the result.
    """
    out = Checked(sink if sink is not None else Keys())
    c = _Checker(profile, out, today)
    ccols = _Columns(cases, "cases", CASE_COLUMNS, CASE_REQUIRED, profile, out)
    ncols = _Columns(nominals, "nominals", NOMINAL_COLUMNS, NOMINAL_REQUIRED, profile, out)
    if out.problems:    # a missing required column makes every row wrong; say it once
        out.problem_count = len(out.problems)
        return out
    offence_on: dict[str, date | None] = {ref: _iso(v[1] or v[2]) for ref, v in vault_cases.items()}
    seen: dict[str, int] = {}
    _check_cases(c, cases, ccols, seen, offence_on)
    _check_nominals(c, nominals, ncols, seen, vault_cases, offence_on)
    out.problem_count = max(out.problem_count, len(out.problems))
    return out


def _iso(s):
    return date.fromisoformat(s) if s else None


_CASE_TEXT = ("offence_code", "offence_description", "outcome_code", "nfa_rationale", "officer_in_case", "location",
              "summary")


def _texts(p: Profile, idx: dict, names: tuple):
    """A reader of free-text cells: (column index or None, the profile's value map or None) per name."""
    return [(idx.get(col), p.values.get(col) or None) for col in names]


def _plain(texts: list):
    """When every one of `texts` is in the file and none has a value map (the usual export): a getter
    of those cells in one call (operator.itemgetter), each then only trimmed. Else None."""
    return itemgetter(*[i for i, _ in texts]) if all(i is not None and m is None for i, m in texts) else None


def _getter(indexes: list):
    """cells → a tuple of the cells at `indexes` (operator.itemgetter, a tuple also for one or none)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    return lambda cells: tuple(cells[i] for i in indexes)


def _text(cells, i, mapping) -> str | None:
    """A text cell as the check stores it: trimmed, mapped by the profile, None when empty
    (the same as `profile.map_value(col, _cell(...) or "") or None`)."""
    if i is None:
        return None
    v = cells[i].strip()
    if v and mapping:
        v = mapping.get(v.casefold(), v)
    return v or None


def _check_cases(c: _Checker, table: Table, cols: _Columns, seen: dict, offence_on: dict) -> None:
    label = table.label
    idx = cols.index
    width = len(cols.header)
    i_ref, i_nfa = idx["crime_ref"], idx.get("nfa_date")
    texts = _texts(c.profile, idx, _CASE_TEXT)
    plain = _plain(texts)
    extra = cols.extra
    sink = c.out.sink.case
    # The usual row (every date already seen and good, every choice a known word) is read here
    # with no call per cell; anything else goes the long way (c.date, _choice), which says what
    # is wrong in the same words and the same order.
    dated = [idx.get(col) if col not in c.profile.values else -1 for col in CASE_DATES]
    i_offence, i_reported, i_nfa_day = dated
    known = c._dates
    choices = [(idx.get(col), {}) if col not in c.profile.values else (-1, {})
               for col in ("exhibits_retained", "previously_reviewed")]
    (i_exhibits, exhibits_of), (i_reviewed, reviewed_of) = choices
    sha256, strip = hashlib.sha256, str.strip
    required_of = _getter(cols.required)
    for line, cells in table.records:
        if len(cells) != width:
            c.ragged(cols, cells, line)
            continue
        # c.required(...) only when a required cell is empty (it says which, in the same words)
        ok = all(map(strip, required_of(cells))) or c.required(cols, cells, line, CASE_REQUIRED)
        ref = cells[i_ref].strip() or None
        if ref is not None:
            if ref in seen:
                c.error(label, line, cols.column_name("crime_ref"), f"crime_ref repeats the case on line {seen[ref]}")
                ok = False
            else:
                seen[ref] = line
        offence = _day(c, cols, cells, line, "offence_date", i_offence, known)
        reported = _day(c, cols, cells, line, "reported_date", i_reported, known)
        nfa = _day(c, cols, cells, line, "nfa_date", i_nfa_day, known)
        exhibits = _known_choice(c, cols, cells, line, "exhibits_retained", i_exhibits, exhibits_of, EXHIBITS,
                                 "yes, no or unknown")
        reviewed = _known_choice(c, cols, cells, line, "previously_reviewed", i_reviewed, reviewed_of, YES_NO,
                                 "yes or no")
        if not ok or (i_nfa is not None and nfa is None):
            continue
        if reported and nfa < reported:
            c.warn(label, line, cols.column_name("nfa_date"), "nfa_date is before reported_date")
        if offence and reported and offence > reported:
            c.warn(label, line, cols.column_name("offence_date"), "offence_date is after reported_date")
        flag = None if reviewed is None else int(reviewed == "yes")
        more = _extra(cells, extra) if extra else EMPTY
        if plain:
            s_code, s_description, s_outcome, s_rationale, s_officer, s_location, s_summary = map(strip, plain(cells))
            values = (ref, s_code or None, s_description or None, offence, reported, nfa, s_outcome or None,
                      s_rationale or None, s_officer or None, s_location or None, exhibits, s_summary or None, flag,
                      more)
            # row_hash(values), its strings written out (no test of each value's type)
            digest = sha256("\x1f".join((ref, s_code, s_description, offence or "", reported or "", nfa or "",
                                         s_outcome, s_rationale, s_officer, s_location, exhibits or "", s_summary,
                                         "" if flag is None else str(flag), more)).encode("utf-8")).hexdigest()
        else:
            code, description, outcome, rationale, officer, location, summary = \
                [_text(cells, i, m) for i, m in texts]
            values = (ref, code, description, offence, reported, nfa, outcome, rationale, officer, location,
                      exhibits, summary, flag, more)
            digest = row_hash(values)
        offence_on[ref] = _iso(offence or reported)
        sink(CaseRow(line, ref, values, digest))


def _day(c: _Checker, cols: _Columns, cells, line, col: str, i: int | None, known: dict) -> str | None:
    """c.date(...) for a column the profile does not map (i: its index, -1 when it maps it): a date
    already seen and good is taken straight from the check's cache."""
    if i is None:
        return None
    if i >= 0:
        raw = cells[i].strip()
        if not raw:
            return None
        k = known.get(raw)
        if k is not None and k[1] is None:
            return k[0]
    return c.date(cols, cells, line, col)


def _known_choice(c: _Checker, cols, cells, line, col, i: int | None, seen: dict, allowed: dict, words: str):
    """_choice(...) with the good answers remembered by their raw cell (i: -1 when the profile maps
    the column: then always _choice)."""
    if i is None:
        return None
    if i >= 0:
        raw = cells[i].strip()
        if not raw:
            return None
        v = seen.get(raw)
        if v is not None:
            return v
        v = _choice(c, cols, cells, line, col, allowed, words)
        if v is not None:
            seen[raw] = v
        return v
    return _choice(c, cols, cells, line, col, allowed, words)


def _quoted(value: str) -> str:
    """A short code-like value may be shown; anything longer or with spaces may be a name or free text."""
    v = value.strip()
    return f" ({v})" if len(v) <= 15 and v.replace("-", "").replace("_", "").isalnum() else ""


def _choice(c: _Checker, cols, cells, line, col, allowed: dict, words: str) -> str | None:
    raw = _cell(cells, cols.index.get(col))
    if raw is None:
        return None
    v = allowed.get(c.profile.map_value(col, raw).strip().casefold())
    if v is None:
        c.error(cols.label, line, cols.column_name(col), f"{col} must be {words}{_quoted(raw)}")
    return v


_NOMINAL_TEXT = ("nominal_id", "surname", "forenames", "gender", "ethnicity", "address", "postcode", "phones",
                 "vehicles")


def _check_nominals(c: _Checker, table: Table, cols: _Columns, case_lines: dict, vault_cases: dict,
                    offence_on: dict) -> None:
    p = c.profile
    label = table.label
    idx = cols.index
    width = len(cols.header)
    i_ref, i_role = idx["crime_ref"], idx["role"]
    texts = _texts(p, idx, _NOMINAL_TEXT)
    plain = _plain(texts)
    extra = cols.extra
    sink = c.out.sink.nominal
    keys_seen: dict[tuple, int] = {}
    # Each distinct value worked out once (see _check_cases): a date of birth already seen and good,
    # a role already read, a place already normalised are taken from these. Not names, nor a date of
    # birth and an offence date together: at 100k nearly every pair is new (173k names in 249k
    # people, 226k such dates), and keeping them cost more than the lru-cached parts they are made of.
    i_dob = idx.get("dob") if "dob" not in p.values else -1
    known_days = c._dates
    born_on: dict = {None: None}        # dob as stored → the date it is, None when it is no date
    roles: dict[str, str] = {}
    full_name, age_on = normalise.full_name, dates.age_on
    place_of = c.place
    sha256, strip = hashlib.sha256, str.strip
    required_of = _getter(cols.required)
    for line, cells in table.records:
        if len(cells) != width:
            c.ragged(cols, cells, line)
            continue
        # c.required(...) only when a required cell is empty (it says which, in the same words)
        ok = all(map(strip, required_of(cells))) or c.required(cols, cells, line, NOMINAL_REQUIRED)
        ref = cells[i_ref].strip() or None
        if ref is not None and ref not in case_lines and ref not in vault_cases:
            c.error(label, line, cols.column_name("crime_ref"),
                    "crime_ref names a case that is neither in the cases file nor in the vault")
            ok = False
        raw_role = cells[i_role].strip() or None
        role = None
        if raw_role is not None:
            role = roles.get(raw_role)
            if role is None:
                role = roles[raw_role] = p.map_value("role", raw_role).strip().casefold()
            if role not in ROLES:
                c.error(label, line, cols.column_name("role"),
                        f"role must be victim, suspect, witness or other{_quoted(raw_role)}")
                ok = False
        if i_dob is None:
            dob_iso = None
        else:
            raw = cells[i_dob].strip() if i_dob >= 0 else None
            if raw == "":
                dob_iso = None
            else:
                k = known_days.get(raw) if raw else None
                dob_iso = k[0] if k is not None and k[1] is None else c.date_of_birth(cols, cells, line)
        if not ok:
            continue
        if plain:
            strings = s_id, s_surname, s_forenames, s_gender, s_ethnicity, s_address, s_postcode, s_phones, \
                s_vehicles = tuple(map(strip, plain(cells)))
            nominal_id, surname, forenames, gender, ethnicity = \
                s_id or None, s_surname or None, s_forenames or None, s_gender or None, s_ethnicity or None
            address, postcode, phones, vehicles = s_address or None, s_postcode or None, s_phones or None, \
                s_vehicles or None
        else:
            strings = None
            nominal_id, surname, forenames, gender, ethnicity, address, postcode, phones, vehicles = \
                [_text(cells, i, m) for i, m in texts]
        name_norm = full_name(forenames, surname)
        on = offence_on.get(ref)
        born = born_on.get(dob_iso, born_on)
        if born is born_on:
            born = born_on[dob_iso] = _iso(normalise.dob(dob_iso))
        if born is None or on is None:
            age = None
        else:
            age = age_on(born, on)
            if born > on:
                c.warn(label, line, cols.column_name("dob"), "dob is after the case's offence date")
        if phones or vehicles:
            identifiers = _identifiers(c, cols, line, phones, vehicles, address, postcode)
        else:   # _identifiers(...) when there is only a place
            place, not_full = place_of(address, postcode)
            if not_full:
                c.warn(cols.label, line, cols.column_name("postcode"),
                       "postcode is not a full UK postcode; it is kept as recorded")
            identifiers = [("address", place)] if place else []
        key = nominal_id or f"{role}|{name_norm}|{dob_iso or ''}"
        # The same key twice on one case (two unnamed suspects, say): the later ones are told
        # apart by their order in the file, which a re-import of the same file repeats.
        n = keys_seen.get((ref, key), 0) + 1
        keys_seen[(ref, key)] = n
        if n > 1:
            key = f"{key}|#{n}"
        more = _extra(cells, extra) if extra else EMPTY
        values = (nominal_id, role, surname, forenames, name_norm or None, dob_iso, gender, ethnicity, address,
                  postcode, phones, vehicles, age, more, key)
        if strings is not None:
            # row_hash(values), its strings written out (no test of each value's type)
            digest = sha256("\x1f".join((s_id, role, s_surname, s_forenames, name_norm or "", dob_iso or "",
                                         s_gender, s_ethnicity, s_address, s_postcode, s_phones, s_vehicles,
                                         "" if age is None else str(age), more, key)).encode("utf-8")).hexdigest()
        else:
            digest = row_hash(values)
        sink(NominalRow(line, ref, values, identifiers, digest))


def _identifiers(c: _Checker, cols, line, phones, vehicles, address, code) -> list:
    out = []
    if phones:
        values, bad = c.phones(phones)
        for _ in range(bad):
            c.warn(cols.label, line, cols.column_name("phones"), "a phone number could not be read; it is kept as recorded")
        out.extend([("phone", v) for v in values])
    if vehicles:
        values, bad = c.vehicles(vehicles)
        for _ in range(bad):
            c.warn(cols.label, line, cols.column_name("vehicles"), "a vehicle mark could not be read; it is kept as recorded")
        out.extend([("vehicle", v) for v in values])
    key, not_full = c.place(address, code)
    if not_full:
        c.warn(cols.label, line, cols.column_name("postcode"), "postcode is not a full UK postcode; it is kept as recorded")
    if key:
        out.append(("address", key))
    return out


# UK numbers in the two forms exports hold most (07700 900123, +44 7700 900123), spacing and
# punctuation dropped: E.164 is "+44" and the ten digits, exactly what phonenumbers gives for them
# (tests/importing/test_import_normalise.py checks the two agree). Anything else goes to phonenumbers.
_UK_TEN = re.compile(r"(?:0|\+44)([1-9]\d{9})")
_PHONE_NOISE = re.compile(r"[\s\-.()/]")


def phone(part: str) -> str | None:
    m = _UK_TEN.fullmatch(_PHONE_NOISE.sub("", part))
    return "+44" + m.group(1) if m else normalise.phone(part)
