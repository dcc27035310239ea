"""Validation: every problem in both files found in one pass, before anything is written.

Turns the two tables into rows ready to load (originals kept, normalised forms beside them) and
lists problems (which block the import) and warnings (which don't), each with file, line, column.
Messages name the rule and may quote a date or a code, never a name or free text.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

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
    return hashlib.sha256("\x1f".join("" if v is None else str(v) for v in values).encode("utf-8")).hexdigest()


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

    def error(self, file, line, column, message) -> None:
        self.out.problem_count += 1
        if len(self.out.problems) < MAX_LISTED:
            self.out.problems.append(problem(file, line, column, message))

    def warn(self, file, line, column, message) -> None:
        if len(self.out.warnings) < MAX_LISTED:
            self.out.warnings.append(problem(file, line, column, message))

    def date(self, cols: _Columns, cells, line, col, *, not_after_today=True) -> str | None:
        raw = _cell(cells, cols.index.get(col))
        if raw is None:
            return None
        raw = self.profile.map_value(col, raw)
        try:
            d = dates.parse(raw, self.profile.date_format)
        except dates.BadDate as e:
            self.error(cols.label, line, cols.column_name(col), f"{col} {e}")
            return None
        if d and not_after_today and d > self.today:
            self.error(cols.label, line, cols.column_name(col), f"{col} is in the future ({d.isoformat()})")
            return None
        if d and d.year < 1900:
            self.error(cols.label, line, cols.column_name(col), f"{col} is before 1900 ({d.isoformat()})")
            return None
        return d.isoformat() if d else None

    def date_of_birth(self, cols: _Columns, cells, line) -> str | None:
        """A person's date of birth, ISO when it is a real date. An impossible or partial one
        (31/02/1990, 00/00/1900, a year alone, a date in the future) is a warning, not a refusal:
        real exports hold them, and nothing else on the row is wrong. The value is kept as recorded
        (and shown so); `normalise.dob` tells the readers it is no date, so linking and ages treat
        it as unknown."""
        raw = _cell(cells, cols.index.get("dob"))
        if raw is None:
            return None
        raw = self.profile.map_value("dob", raw)
        try:
            d = dates.parse(raw, self.profile.date_format)
        except dates.BadDate as e:
            why = f"dob {e}"
        else:
            if d is None:
                return None
            if d <= self.today and d.year >= 1900:
                return d.isoformat()
            why = f"dob is in the future ({d.isoformat()})" if d > self.today else f"dob is before 1900 ({d.isoformat()})"
        self.warn(cols.label, line, cols.column_name("dob"),
                  f"{why}; kept as recorded and treated as unknown for linking and ages")
        return raw.strip() or None

    def ragged(self, cols: _Columns, cells, line) -> bool:
        if len(cells) != len(cols.header):
            self.error(cols.label, line, None,
                       f"the row has {len(cells)} cells where the header has {len(cols.header)}")
            return True
        return False

    def required(self, cols: _Columns, cells, line, required) -> bool:
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


def _check_cases(c: _Checker, table: Table, cols: _Columns, seen: dict, offence_on: dict) -> None:
    p = c.profile
    label = table.label
    idx = cols.index
    for line, cells in table.records:
        if c.ragged(cols, cells, line):
            continue
        ok = c.required(cols, cells, line, CASE_REQUIRED)
        ref = _cell(cells, idx["crime_ref"])
        if ref is not None:
            if ref in seen:
                c.error(label, line, cols.column_name("crime_ref"), f"crime_ref repeats the case on line {seen[ref]}")
                ok = False
            else:
                seen[ref] = line
        d = {col: c.date(cols, cells, line, col) for col in CASE_DATES}
        exhibits = _choice(c, cols, cells, line, "exhibits_retained", EXHIBITS, "yes, no or unknown")
        reviewed = _choice(c, cols, cells, line, "previously_reviewed", YES_NO, "yes or no")
        if not ok or (idx.get("nfa_date") is not None and d["nfa_date"] is None):
            continue
        if d["reported_date"] and d["nfa_date"] < d["reported_date"]:
            c.warn(label, line, cols.column_name("nfa_date"), "nfa_date is before reported_date")
        if d["offence_date"] and d["reported_date"] and d["offence_date"] > d["reported_date"]:
            c.warn(label, line, cols.column_name("offence_date"), "offence_date is after reported_date")
        text = {col: p.map_value(col, _cell(cells, idx.get(col)) or "") or None
                for col in ("offence_code", "offence_description", "outcome_code", "nfa_rationale",
                            "officer_in_case", "location", "summary")}
        values = (ref, text["offence_code"], text["offence_description"], d["offence_date"], d["reported_date"],
                  d["nfa_date"], text["outcome_code"], text["nfa_rationale"], text["officer_in_case"],
                  text["location"], exhibits, text["summary"],
                  None if reviewed is None else int(reviewed == "yes"), _extra(cells, cols.extra))
        offence_on[ref] = _iso(d["offence_date"] or d["reported_date"])
        c.out.sink.case(CaseRow(line, ref, values, row_hash(values)))


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
    keys_seen: dict[tuple, int] = {}
    mapped = [col for col in _NOMINAL_TEXT if col in p.values]
    for line, cells in table.records:
        if c.ragged(cols, cells, line):
            continue
        ok = c.required(cols, cells, line, NOMINAL_REQUIRED)
        ref = _cell(cells, idx["crime_ref"])
        if ref is not None and ref not in case_lines and ref not in vault_cases:
            c.error(label, line, cols.column_name("crime_ref"),
                    "crime_ref names a case that is neither in the cases file nor in the vault")
            ok = False
        raw_role = _cell(cells, idx["role"])
        role = None
        if raw_role is not None:
            role = p.map_value("role", raw_role).strip().casefold()
            if role not in ROLES:
                c.error(label, line, cols.column_name("role"),
                        f"role must be victim, suspect, witness or other{_quoted(raw_role)}")
                ok = False
        dob_iso = c.date_of_birth(cols, cells, line)
        if not ok:
            continue
        get = {col: _cell(cells, idx.get(col)) for col in _NOMINAL_TEXT}
        for col in mapped:
            get[col] = p.map_value(col, get[col] or "") or None
        name_norm = normalise.full_name(get["forenames"], get["surname"])
        dob = _iso(normalise.dob(dob_iso))
        on = offence_on.get(ref)
        age = dates.age_on(dob, on)
        if dob and on and dob > on:
            c.warn(label, line, cols.column_name("dob"), "dob is after the case's offence date")
        identifiers = _identifiers(c, cols, line, get)
        key = get["nominal_id"] or f"{role}|{name_norm}|{dob_iso or ''}"
        # The same key twice on one case (two unnamed suspects, say): the later ones are told
        # apart by their order in the file, which a re-import of the same file repeats.
        n = keys_seen.get((ref, key), 0) + 1
        keys_seen[(ref, key)] = n
        if n > 1:
            key = f"{key}|#{n}"
        values = (get["nominal_id"], role, get["surname"], get["forenames"], name_norm or None, dob_iso,
                  get["gender"], get["ethnicity"], get["address"], get["postcode"], get["phones"], get["vehicles"],
                  age, _extra(cells, cols.extra), key)
        c.out.sink.nominal(NominalRow(line, ref, values, identifiers, row_hash(values)))


def _identifiers(c: _Checker, cols, line, get: dict) -> list:
    out = []
    for part in normalise.split_list(get["phones"]):
        v = normalise.phone(part)
        if v is None:
            c.warn(cols.label, line, cols.column_name("phones"), "a phone number could not be read; it is kept as recorded")
        elif ("phone", v) not in out:
            out.append(("phone", v))
    for part in normalise.split_list(get["vehicles"]):
        v = normalise.vehicle(part)
        if v is None:
            c.warn(cols.label, line, cols.column_name("vehicles"), "a vehicle mark could not be read; it is kept as recorded")
        elif ("vehicle", v) not in out:
            out.append(("vehicle", v))
    if get["postcode"] and normalise.postcode(get["postcode"]) is None:
        c.warn(cols.label, line, cols.column_name("postcode"), "postcode is not a full UK postcode; it is kept as recorded")
    key = normalise.address_key(get["address"], get["postcode"])
    if key:
        out.append(("address", key))
    return out
