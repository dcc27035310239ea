"""Hostile import files through the real `triage-app import` process: exit 1, one plain sentence per
problem (never quoting free text), no traceback, nothing written; `--json` keeps its shape."""
from __future__ import annotations

import json

import pytest

from tests.conftest import PASS
from tests.reliability import clirun, faults, tally
from triage_app.demo.synthetic import generate

MARK = "FREETEXTMARKER"


@pytest.fixture
def valid(tmp_path):
    data = generate(4, seed=9)
    for row in data.cases:
        row["summary"] = f"{MARK} " + row["summary"]
    return data.write_csv(tmp_path / "valid")


def _hostile(valid, tmp_path):
    cases, nominals = valid
    good = cases.read_bytes()
    header, _, body = good.partition(b"\r\n")
    return {
        "random bytes": bytes(range(256)) * 40,
        "NUL bytes": good.replace(b",", b"\x00,", 5),
        "invalid UTF-8 with a BOM": b"\xef\xbb\xbf" + header + b"\r\n" + body.replace(b"a", b"\xff\xfe", 3),
        "truncated inside a quoted field": good[: good.index(b'"') + 5] if b'"' in good else good[:-40],
        "only a header": header + b"\r\n",
        "empty": b"",
        "a formula as the crime ref": header + b"\r\n=cmd|' /C calc'!A0,19D,x,,,2012-01-01,,,,,,,\r\n",
        "an unterminated quote": header + b'\r\n"CR/2012/1,19D\r\n',
        "a date in US order": header + b"\r\nCR/2012/000001,19D,x,,,12/31/2012,,,,,,,\r\n",
    }


def _run_import(vault, cases, nominals, *extra):
    return clirun.run(vault, "sam", "import", cases, nominals, *extra, passphrase=PASS["sam"])


@pytest.mark.parametrize("case", ["random bytes", "NUL bytes", "invalid UTF-8 with a BOM",
                                  "truncated inside a quoted field", "only a header", "empty",
                                  "a formula as the crime ref", "an unterminated quote", "a date in US order"])
def test_a_hostile_cases_file_is_refused_plainly_and_writes_nothing(vault_path, valid, tmp_path, case):
    tally.add("fuzz", "examples")
    tally.add("fuzz[import command]", "examples")
    bad = tmp_path / "cases.csv"
    bad.write_bytes(_hostile(valid, tmp_path)[case])
    before = faults.check_whole(vault_path)
    r = _run_import(vault_path, bad, valid[1])
    if r.returncode == 0:  # e.g. "only a header" may be a valid empty import, but then nothing new
        assert faults.check_whole(vault_path)["cases"] == before["cases"]
        return
    clirun.assert_plain(r, 1)
    assert MARK not in r.stderr
    after = faults.check_whole(vault_path)
    assert (after["cases"], after["nominals"]) == (before["cases"], before["nominals"])
    rj = _run_import(vault_path, bad, valid[1], "--json")
    clirun.assert_plain(rj, 1)
    doc = json.loads(rj.stdout)
    assert doc["cases_added"] == 0 and doc["errors"], doc
    for e in doc["errors"]:
        assert set(e) >= {"file", "line", "column", "message"} and MARK not in e["message"]


def test_missing_files_and_folders_are_one_sentence(vault_path, valid, tmp_path):
    for cases, nominals in ((tmp_path / "nope.csv", valid[1]), (tmp_path, valid[1]), (valid[0], tmp_path / "x")):
        r = _run_import(vault_path, cases, nominals)
        clirun.assert_plain(r, 1)
        tally.add("fuzz", "examples")
        tally.add("fuzz[import command]", "examples")


def test_the_valid_files_import_whole_then_reimport_changes_nothing(vault_path, valid):
    r = _run_import(vault_path, *valid)
    clirun.assert_plain(r, 0)
    first = faults.check_whole(vault_path)
    assert first["cases"] == 4
    r = _run_import(vault_path, *valid)
    clirun.assert_plain(r, 0)
    again = faults.check_whole(vault_path)
    assert (again["cases"], again["nominals"]) == (first["cases"], first["nominals"])
