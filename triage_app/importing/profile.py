"""Import profiles (docs/IMPORT_FORMAT.md): how one records system's export maps onto the canonical columns.

A profile is TOML: `[profile]` (name, optional encoding and date_format), `[cases]` and `[nominals]`
(canonical column = header in the source file), `[values.FIELD]` (source value = canonical value).
Without a profile the canonical headers are expected. Shipped profiles live in
resources/import_profiles/ and can be named without their path (`--profile example-rms`).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from triage_app.errors import BadInput
from triage_app.paths import resource

CASE_COLUMNS = ("crime_ref", "offence_code", "offence_description", "offence_date", "reported_date", "nfa_date",
                "outcome_code", "nfa_rationale", "officer_in_case", "location", "exhibits_retained", "summary",
                "previously_reviewed")
CASE_REQUIRED = ("crime_ref", "nfa_date")
NOMINAL_COLUMNS = ("crime_ref", "nominal_id", "role", "surname", "forenames", "dob", "gender", "ethnicity",
                   "address", "postcode", "phones", "vehicles")
NOMINAL_REQUIRED = ("crime_ref", "role")


@dataclass
class Profile:
    name: str = "canonical"
    version: str = ""
    encoding: str | None = None
    date_format: str | None = None
    cases: dict[str, str] = field(default_factory=dict)      # canonical → source header
    nominals: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → {source value casefolded: canonical}
    path: Path | None = None

    def source_header(self, table: str, column: str) -> str:
        return (self.cases if table == "cases" else self.nominals).get(column, column)

    def map_value(self, column: str, value: str) -> str:
        mapping = self.values.get(column)
        if mapping and value:
            return mapping.get(value.strip().casefold(), value)
        return value


def shipped_profiles() -> list[Path]:
    return sorted(resource("import_profiles").glob("*.toml"))


def resolve(spec: str | Path | None) -> Path | None:
    """A profile path as given, or a shipped profile's name (with or without .toml)."""
    if spec is None or spec == "":
        return None
    p = Path(spec)
    if p.exists():
        return p
    shipped = resource("import_profiles", p.name if p.suffix == ".toml" else p.name + ".toml")
    if shipped.exists():
        return shipped
    raise BadInput(f"There is no import profile at {spec}.",
                   [{"file": str(p.name), "line": None, "column": None, "message": "does not exist"}])


def load(spec: str | Path | None) -> Profile:
    path = resolve(spec)
    if path is None:
        return Profile()
    label = path.name

    def bad(message: str, line: int | None = None):
        return BadInput(f"The import profile {label} can't be used: {message}.",
                        [{"file": label, "line": line, "column": None, "message": message}])

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as e:
        raise bad(f"it can't be read ({e.strerror})")
    except UnicodeDecodeError:
        raise bad("it is not UTF-8 text")
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise bad("it is not valid TOML", int(m.group(1)) if m else None)
    head = data.get("profile", {})
    if not isinstance(head, dict):
        raise bad("[profile] must be a table")
    for key in ("encoding", "date_format"):
        if key in head and not isinstance(head[key], str):
            raise bad(f"[profile] {key} must be text in quotes")
    prof = Profile(name=str(head.get("name", path.stem)), version=str(head.get("version", "")),
                   encoding=head.get("encoding") or None, date_format=head.get("date_format") or None, path=path)
    for table, known in (("cases", CASE_COLUMNS), ("nominals", NOMINAL_COLUMNS)):
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise bad(f"[{table}] must be a table")
        for canonical, source in section.items():
            if canonical not in known:
                raise bad(f"[{table}] names {canonical[:40]!r}, which is not a canonical column")
            if not isinstance(source, str) or not source.strip():
                raise bad(f"[{table}] {canonical} must be a header name")
            getattr(prof, table)[canonical] = source.strip()
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise bad("[values] must hold one table per field")
    for column, mapping in values.items():
        if column not in CASE_COLUMNS + NOMINAL_COLUMNS or not isinstance(mapping, dict):
            raise bad(f"[values.{column[:40]}] does not name a canonical column")
        prof.values[column] = {str(k).strip().casefold(): str(v) for k, v in mapping.items()}
    if prof.date_format and "%" not in prof.date_format:
        raise bad("date_format must be a strftime pattern such as %d/%m/%Y")
    return prof
