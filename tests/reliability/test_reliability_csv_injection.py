"""CSV formula injection: hostile strings imported into the vault never leave it as a live formula in
any CSV export (links csv, stats csv, and the audit log if it gains a CSV form)."""
from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import PASS
from tests.reliability import clirun, tally
from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.session import open_vault

PAYLOADS = ["=cmd|' /C calc'!A0", "+HYPERLINK(\"http://example.invalid\")", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
LIVE = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_vault(vault_path, tmp_path):
    data = generate(12, seed=21)
    for i, row in enumerate(data.cases):
        p = PAYLOADS[i % len(PAYLOADS)]
        row.update(outcome_code=p, offence_code=p, location=p, officer_in_case=p)
    for i, row in enumerate(data.nominals):
        p = PAYLOADS[i % len(PAYLOADS)]
        row.update(ethnicity=p, gender=p)
    # two cases share a phone so the links export has rows
    data.nominals[0]["phones"] = data.nominals[-1]["phones"] = "07700 900123"
    cases, nominals = data.write_csv(tmp_path / "in")
    s = open_vault(vault_path, "sam", PASS["sam"])
    try:
        importing.run(s, cases, nominals)
    finally:
        s.close()
    return vault_path


def _live_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row if c.startswith(LIVE) and not _number(c)]


def _number(c: str) -> bool:
    try:
        float(c)
        return True
    except ValueError:
        return False


def test_stats_csv_never_carries_a_live_formula(hostile_vault):
    r = clirun.run(hostile_vault, "sam", "stats", "--csv", passphrase=PASS["sam"])
    clirun.assert_plain(r, 0)
    assert r.stdout.count("\n") > 3
    tally.add("csv injection", "stats_cells_checked", sum(len(row) for row in csv.reader(io.StringIO(r.stdout))))
    assert _live_cells(r.stdout) == []


def test_links_csv_never_carries_a_live_formula(hostile_vault, tmp_path):
    out = tmp_path / "links.csv"
    r = clirun.run(hostile_vault, "sam", "links", "--format", "csv", "--out", out, passphrase=PASS["sam"])
    clirun.assert_plain(r, 0)
    text = out.read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) >= 2, "the shared phone must give at least one link"
    tally.add("csv injection", "links_cells_checked", sum(len(row) for row in rows))
    assert _live_cells(text) == []


def test_audit_log_json_keeps_hostile_refs_as_data(hostile_vault):
    """The audit log has no CSV form; its JSON must still carry values as plain strings."""
    r = clirun.run(hostile_vault, "sam", "audit", "log", "--json", passphrase=PASS["sam"])
    clirun.assert_plain(r, 0)
    import json
    assert isinstance(json.loads(r.stdout), list)
