"""docs/IMPORT_FORMAT.md stays true to the importer: the same columns, the same required ones, and the
shipped example profile quoted whole; its minimal example imports without a problem or a warning."""
import re
from pathlib import Path

from triage_app import importing
from triage_app.importing.profile import CASE_COLUMNS, CASE_REQUIRED, NOMINAL_COLUMNS, NOMINAL_REQUIRED

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "IMPORT_FORMAT.md").read_text(encoding="utf-8")


def _table(heading: str) -> dict[str, bool]:
    """{column: required} from the first table after the heading."""
    part = PAGE[PAGE.index(heading):]
    rows = re.findall(r"^\| `(\w+)` \| (\*\*yes\*\*|no) \|", part.split("\n## ", 1)[0].split("\n### ", 1)[0], re.M)
    return {col: req == "**yes**" for col, req in rows}


def test_every_canonical_column_is_described_with_whether_it_is_required():
    for heading, columns, required in (("## cases.csv", CASE_COLUMNS, CASE_REQUIRED),
                                       ("## nominals.csv", NOMINAL_COLUMNS, NOMINAL_REQUIRED)):
        described = _table(heading)
        assert set(described) == set(columns), heading
        assert {c for c, r in described.items() if r} == set(required), heading


def test_the_shipped_example_profile_is_quoted_whole():
    shipped = (ROOT / "resources" / "import_profiles" / "example-rms.toml").read_text(encoding="utf-8")
    body = "".join(line for line in shipped.splitlines(True) if not line.startswith("#"))
    quoted = re.search(r"```toml\n(.*?)```", PAGE, re.S).group(1)
    assert quoted == body, "copy resources/import_profiles/example-rms.toml (less its comment header) into the page"


def test_the_minimal_example_imports_cleanly(tmp_path):
    cases, nominals = re.findall(r"```\n(crime_ref,.*?)```", PAGE, re.S)
    (tmp_path / "cases.csv").write_text(cases, encoding="utf-8")
    (tmp_path / "nominals.csv").write_text(nominals, encoding="utf-8")
    plan = importing.preview(tmp_path / "cases.csv", tmp_path / "nominals.csv")
    assert plan.problems == [] and plan.warnings == []
    assert plan.counts["cases_added"] == 1 and plan.counts["nominals_added"] == 3
