"""Victim identity minimisation: whatever leaves the vault names a victim by initials and age only.

The rule (issue 13): at the default level ("initials") no identifier of ANY victim — of this case
or of a linked case — appears anywhere in an output: her name and every variant the linker would
match (nicknames, transliterations, one keying slip), date of birth, address, postcode, phone,
vehicle mark. Suspects' and witnesses' details stay (they are the investigative point) except
where they coincide with a victim's value (a shared phone, a mother's surname). Full identity
("full") is an explicit choice the caller records in the audit log with its justification.

How to use it (pack sections, exports, charts):

- A new pack section puts its content in `PackData` fields; `minimise(data, level)` sends every
  free-text field (strings, lists, dicts, dataclasses, at any depth) through `VictimIdentity.redact`,
  so a section needs nothing of its own. Add the field name to `_NOT_FREE_TEXT` only for staff or
  document fields, never for anything a case's records say.
- To print a person: `shown_as(role, forenames, surname, age, victims, level)`.
- To print one structured value (a phone in a table, a date of birth): `victims.withholds(kind, value)`
  with kind phone / vehicle / address / postcode / dob says whether it must be left out.
- Outside a pack (chart, CSV): `VictimIdentity.from_vault(conn, case_ids)`, then `.redact(text)`,
  `.withholds(kind, value)` and `shown_as(...)`. The link section's lines are built from structured
  link data by `pack.links_section.basis_lines`, never by editing the linker's sentences.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import re
from functools import cached_property

from triage_app.errors import BadInput
from triage_app.linking import names, normalise
from triage_app.pack import redaction
from triage_app.pack.model import PackData, Person, VictimRecord

IDENTITY_LEVELS = ("initials", "full")

# Structured fields that name staff or the document, never a victim: left as they are.
_NOT_FREE_TEXT = {"ref", "force", "marking", "prepared_by", "control", "other_victim_names", "people", "signoff",
                  "victims"}
# Extra import columns that hold another name for a person (a nickname, an alias, a maiden name).
_ALIAS_COLUMN = re.compile(r"alias|aka|nick|known|maiden|other.?name|previous.?name|birth.?name", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def check_level(identity: str) -> str:
    if identity not in IDENTITY_LEVELS:
        raise BadInput(f"The victim identity level must be 'initials' or 'full', not '{str(identity)[:20]}'.")
    return identity


def _tokens(text: str | None) -> list[str]:
    return [t for t in re.split(r"\s+", (text or "").strip()) if t]


def initials(forenames: str | None, surname: str | None) -> str:
    letters = [t[0].upper() for t in _tokens(forenames) + _tokens(surname) if t[0].isalpha()]
    return ".".join(letters) + "." if letters else "Unnamed"


def _word(token: str) -> str:
    return r"(?<![\w'’-])" + re.escape(token) + r"(?![\w-])"


class VictimIdentity:
    """Every identifier of a set of victims, and the means to keep them out of an output."""

    def __init__(self, records: list[VictimRecord]):
        self.records = [r for r in records if r is not None]
        self.tokens: dict[str, str] = {}        # a clean name token → the recorded initial
        self.dobs: set[str] = set()
        self.phones: set[str] = set()
        self.raw_phones: list[str] = []          # recorded numbers the normaliser could not read
        self.vehicles: set[str] = set()
        self.postcodes: set[str] = set()
        self.addresses: list[str] = []
        for r in self.records:
            for text in (r.forenames, r.surname, *r.aliases):
                for word in _tokens(text):
                    parts = names.clean_tokens(word)
                    first = next((ch for ch in word if ch.isalpha()), "")
                    for t in parts:
                        # The recorded word's own initial ('É' for Élodie) unless it holds several names.
                        self.tokens.setdefault(t, first.upper() if len(parts) == 1 and first else t[0].upper())
            if r.dob and re.match(r"\d{4}-\d\d-\d\d", r.dob):
                self.dobs.add(r.dob[:10])
            for raw in r.phones:
                for part in normalise.split_list(raw):
                    n = normalise.phone(part)
                    if n:
                        self.phones.add(n)
                    else:
                        self.raw_phones.append(part)
            for raw in r.vehicles:
                self.vehicles.update(normalise.vehicles(raw))
            self._add_address(r.address, r.postcode)
        self.heads: dict[str, str] = {}          # every variant-group head of a victim token → initial
        for t, initial in self.tokens.items():
            for h in names.canon(t):
                self.heads.setdefault(h, initial)
        self._words: dict[str, str | None] = {}

    def _add_address(self, address: str | None, postcode: str | None) -> None:
        pc = normalise.postcode(postcode)
        if pc:
            self.postcodes.add(pc)
        if not address:
            return
        words = address.replace(",", " ").split()
        for n in (2, 1):        # a postcode written at the end of the address
            tail = normalise.postcode(" ".join(words[-n:])) if len(words) >= n else None
            if tail:
                self.postcodes.add(tail)
                break
        for norm in [normalise.address(address)] + redaction.streets_named(address):
            if norm and norm not in self.addresses:
                self.addresses.append(norm)          # the whole address, and the street of each of its lines

    # --- building from the vault ------------------------------------------------------------
    @classmethod
    def from_vault(cls, conn, case_ids=None) -> "VictimIdentity":
        return cls(victim_records(conn, case_ids))

    # --- structured values ------------------------------------------------------------------
    def withholds(self, kind: str, value) -> bool:
        """Must this value (of a victim, or equal to one of a victim's) be left out?"""
        if value is None or value == "":
            return False
        value = str(value)
        if kind == "phone":
            return (normalise.phone(value) or value) in self.phones
        if kind == "vehicle":
            return (normalise.vehicle(value) or value) in self.vehicles
        if kind == "postcode":
            return normalise.postcode(value) in self.postcodes
        if kind == "dob":
            return value[:10] in self.dobs
        if kind == "address":
            # A linker address key is "normalised address POSTCODE": either half is enough to withhold.
            words = value.split()
            pc = normalise.postcode(" ".join(words[-2:])) if len(words) >= 2 else None
            addr = normalise.address(" ".join(words[:-2]) if pc else value)
            return bool((pc and pc in self.postcodes) or (addr and addr in self.addresses)
                        or self.redact(value) != value)
        if kind == "name":
            return any(self.name_initial(w) for w in _WORD.findall(value))
        raise ValueError(f"unknown kind of identifier {kind!r}")

    # --- names ------------------------------------------------------------------------------
    def name_initial(self, word: str) -> str | None:
        """The initial to print for `word` when it is (a variant of) a victim's name, else None.

        A word agrees with a victim's name when the linker would say so (`linking.names`): the same
        token, a token in the same variants group (Becky ≈ Rebecca), or one keying slip (Smith ≈
        Smyth; two for long names). Slips count only in a capitalised word, as names are written:
        'call' is not 'Hall'."""
        if word in self._words:
            return self._words[word]
        found = None
        cleaned = names.clean_tokens(word)
        for x in cleaned:
            if x in self.tokens:
                found = self.tokens[x]
                break
            head = next((h for h in names.canon(x) if h in self.heads), None)
            if head:
                found = self.heads[head]
                break
        if found is None and word[:1].isupper():
            for x in cleaned:
                found = next((i for t, i in self.tokens.items()
                              if abs(len(t) - len(x)) <= 2 and names.tokens_agree(x, t)), None)
                if found:
                    break
        self._words[word] = found
        return found

    def shown_name(self, forenames: str | None, surname: str | None) -> str:
        """A non-victim's name as printed ('Imran DALTON'), with any word that is a victim's name
        (a mother's surname, a brother's) cut to its initial."""
        parts = [self.name_initial(t) and f"{self.name_initial(t)}." or t for t in _tokens(forenames)]
        parts += [self.name_initial(t) and f"{self.name_initial(t)}." or t.upper() for t in _tokens(surname)]
        return " ".join(parts) or "Unnamed"

    # --- free text --------------------------------------------------------------------------
    @cached_property
    def _value_patterns(self):
        phones = [redaction.phone_pattern(p) for p in sorted(self.phones)]
        phones += [redaction.raw_digits_pattern(p) for p in self.raw_phones]
        vehicles = [redaction.vehicle_pattern(v) for v in sorted(self.vehicles)]
        addresses = [p for a in self.addresses for p in redaction.address_patterns(a)]
        return [(redaction.compile_any(addresses), redaction.ADDRESS), (redaction.compile_any(phones), redaction.PHONE),
                (redaction.compile_any(vehicles), redaction.VEHICLE)]

    @cached_property
    def _reversed_names(self):
        """'Surname, Forename' (as records list people) → the full recorded initials."""
        rules = []
        for r in self.records:
            fs, ss = _tokens(r.forenames), _tokens(r.surname)
            if fs and ss:
                rules.append((re.compile(_word(ss[-1]) + r",\s*" + _word(fs[0]), re.I), initials(r.forenames, r.surname)))
        return rules

    def redact(self, text):
        """`text` with every victim identifier replaced: names by initials ('Becky Smyth' → 'R.S.'),
        the rest by a bracketed word ('[phone withheld]')."""
        if not isinstance(text, str) or not text:
            return text
        text = redaction.redact_dates(text, self.dobs)
        for pattern, marker in self._value_patterns:
            if pattern is not None:
                text = pattern.sub(marker, text)
        text = redaction.redact_postcodes(text, self.postcodes)
        for pattern, repl in self._reversed_names:
            text = pattern.sub(repl, text)
        return self._redact_names(text) if self.tokens else text

    def _redact_names(self, text: str) -> str:
        out, pos, run_end = [], 0, None
        for m in _WORD.finditer(text):
            word, suffix = m.group(0), ""
            initial = None
            if len(word) > 3 and word[-2:].lower() in ("'s", "’s"):      # 'Smyth's' → 'S.'s'
                initial = self.name_initial(word[:-2])
                if initial is not None:
                    suffix = word[-2:]
            if initial is None:
                initial = self.name_initial(word)
            if initial is None:
                continue
            gap = text[pos:m.start()]
            if run_end is not None and gap.strip() == "" and gap != "":
                out.append(initial + ".")             # 'Becky Smyth' → 'R.S.': one run of initials
            else:
                out.append(gap + initial + ".")
            out.append(suffix)
            pos = m.end()
            run_end = None if suffix else m.end()
        out.append(text[pos:])
        return "".join(out)


def victim_records(conn, case_ids=None) -> list[VictimRecord]:
    """The victims recorded on these cases (None: every case), with their identifiers as recorded
    and as the importer normalised them."""
    sql = ("SELECT id, forenames, surname, dob, address, postcode, phones, vehicles, extra FROM nominals "
           "WHERE role = 'victim'")
    rows = []
    if case_ids is None:
        rows = conn.execute(sql).fetchall()
    else:
        ids = sorted(set(case_ids))
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            rows += conn.execute(f"{sql} AND case_id IN ({','.join('?' * len(part))})", part).fetchall()
    out: dict[int, VictimRecord] = {}
    more_addresses: list[VictimRecord] = []
    for nid, fore, sur, dob, address, postcode, phones, vehicles, extra in rows:
        try:
            more = json.loads(extra or "{}")
        except ValueError:
            more = {}
        aliases = [str(v) for k, v in (more.items() if isinstance(more, dict) else []) if v and _ALIAS_COLUMN.search(k)]
        out[nid] = VictimRecord(fore, sur, dob, address, postcode, [phones] if phones else [],
                                [vehicles] if vehicles else [], aliases)
    ids = sorted(out)
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for nid, kind, value in conn.execute(
                f"SELECT nominal, kind, value FROM identifiers WHERE nominal IN ({','.join('?' * len(part))})", part):
            r = out[nid]
            if kind == "phone":
                r.phones.append(value)
            elif kind == "vehicle":
                r.vehicles.append(value)
            elif kind == "address":          # "normalised address POSTCODE", as the linker keys it
                words = value.split()
                more_addresses.append(VictimRecord(address=" ".join(words[:-2]), postcode=" ".join(words[-2:])))
    return list(out.values()) + more_addresses


def redact_text(text: str | None, names_: list[tuple[str | None, str | None]]) -> str | None:
    """Names only (for callers that know no more than the victims' names)."""
    return VictimIdentity([VictimRecord(f, s) for f, s in names_]).redact(text)


def _redact_value(value, redact):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(v, redact) for v in value]
    if isinstance(value, tuple):
        return tuple(_redact_value(v, redact) for v in value)
    if isinstance(value, dict):
        return {k: _redact_value(v, redact) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            setattr(value, f.name, _redact_value(getattr(value, f.name), redact))
        return value
    return value


def shown_as(role: str, forenames: str | None, surname: str | None, age: int | None, victims: VictimIdentity,
             identity: str) -> str:
    """How a person is printed: a victim by initials and age (full name only at 'full'); anyone
    else by name, with any word that is a victim's name cut to its initial."""
    if role != "victim":
        if identity == "full":
            return " ".join(_tokens(forenames) + [s.upper() for s in _tokens(surname)]) or "Unnamed"
        return victims.shown_name(forenames, surname)
    age_text = f", aged {age} at the offence" if age is not None else ", age at the offence unknown"
    if identity == "full":
        return (" ".join(_tokens(forenames) + [s.upper() for s in _tokens(surname)]) or "Unnamed") + age_text
    return initials(forenames, surname) + age_text


def _show(p: Person, identity: str, victims: VictimIdentity) -> Person:
    p.shown_as = shown_as(p.role, p.forenames, p.surname, p.age_at_offence, victims, identity)
    if identity == "initials":
        if p.role == "victim":
            p.forenames = p.surname = p.dob = None  # nothing left for a careless renderer to print
        elif victims.withholds("dob", p.dob):
            p.dob = "Withheld"
        for f in ("gender", "ethnicity"):
            setattr(p, f, victims.redact(getattr(p, f)))
    return p


def minimise(data: PackData, identity: str = "initials") -> PackData:
    """A copy of `data` fit to leave the vault at the chosen identity level."""
    from triage_app.pack.links_section import basis_lines
    check_level(identity)
    out = copy.deepcopy(data)
    out.control.identity = identity
    records = [VictimRecord(p.forenames, p.surname, p.dob) for p in out.people if p.role == "victim"]
    records += [VictimRecord(f, s) for f, s in out.other_victim_names] + list(out.victims)
    victims = VictimIdentity(records)
    for link in out.linked:
        if link.evidence:
            link.basis = basis_lines(link.evidence, victims, identity, here=out.ref)
        link.evidence = []
    if identity == "initials":
        for f in dataclasses.fields(out):
            if f.name not in _NOT_FREE_TEXT:
                setattr(out, f.name, _redact_value(getattr(out, f.name), victims.redact))
        out.signoff.comment = victims.redact(out.signoff.comment)
    out.people = [_show(p, identity, victims) for p in out.people]
    out.other_victim_names = []
    out.victims = []
    return out
