"""Re-import: idempotent, changed rows update with an audit entry, reviewers' work never touched."""
from __future__ import annotations

import json
import threading

import pytest

from triage_app import importing
from triage_app.importing import Cancelled

from .conftest import CASES, NOMINALS, count, import_entries


def test_import_same_files_again_adds_and_updates_nothing(login, export):
    s = login("sam")
    c, n = export()
    first = importing.run(s, c, n)
    snapshot = [tuple(r) for r in s.query("SELECT * FROM cases ORDER BY id")]
    again = importing.run(s, c, n)
    assert (first["cases_added"], first["nominals_added"]) == (2, 4)
    assert (again["cases_added"], again["cases_updated"], again["nominals_added"], again["nominals_updated"]) == (0, 0, 0, 0)
    assert (again["cases_unchanged"], again["nominals_unchanged"]) == (2, 4)
    assert [tuple(r) for r in s.query("SELECT * FROM cases ORDER BY id")] == snapshot
    entries = import_entries(s)
    assert [e["action"] for e in entries] == ["import", "import"]     # no alteration entries
    detail = json.loads(entries[0]["detail"])
    assert entries[0]["kind"] == "collection"
    assert [f["name"] for f in detail["files"]] == ["cases.csv", "nominals.csv"]
    assert all(len(f["sha256"]) == 64 for f in detail["files"])
    assert (detail["cases_added"], detail["nominals_added"]) == (2, 4)


def test_import_reformatted_dates_are_not_a_change(login, export):
    s = login("sam")
    importing.run(s, *export())
    same = CASES.replace("20/06/2016 14:30", "2016-06-20").replace("01/02/2015", "1/2/2015")
    again = importing.run(s, *export(same, NOMINALS, folder="second"))
    assert again["cases_updated"] == 0


def test_import_changed_row_updates_and_names_the_changed_fields(login, export):
    s = login("sam")
    importing.run(s, *export())
    # A reviewer's work and the core's columns on the case must survive the update.
    s.conn.execute("UPDATE cases SET status = 'in_review', assigned_to = 'rita' WHERE ref = 'CR/2016/200002'")
    changed_cases = CASES.replace("Victim withdrew support.", "Victim withdrew support; phone never examined.") \
                         .replace(",16,", ",15,")
    changed_noms = NOMINALS.replace("(07700) 900456,ZX51ABC", "(07700) 900789,ZX51ABC") + \
        "\nCR/2016/200002,witness,Other,Cara,1990-01-01,F,,,,,"
    result = importing.run(s, *export(changed_cases, changed_noms, folder="second"))
    assert (result["cases_added"], result["cases_updated"], result["cases_unchanged"]) == (0, 1, 1)
    assert (result["nominals_added"], result["nominals_updated"], result["nominals_unchanged"]) == (1, 1, 3)
    row = s.one("SELECT outcome_code, nfa_rationale, status, assigned_to FROM cases WHERE ref = 'CR/2016/200002'")
    assert tuple(row) == ("15", "Victim withdrew support; phone never examined.", "in_review", "rita")
    phones = {r[0] for r in s.query("SELECT value FROM identifiers WHERE kind = 'phone'")}
    assert "+447700900789" in phones
    alteration = [e for e in import_entries(s) if e["action"] == "import.update"]
    assert len(alteration) == 1 and alteration[0]["case_ref"] == "CR/2016/200002"
    assert alteration[0]["kind"] == "alteration"
    detail = json.loads(alteration[0]["detail"])
    assert detail["fields"] == ["outcome_code", "nfa_rationale"]
    assert detail["nominals_added"] == 1
    assert [n["fields"] for n in detail["nominals_changed"]] == [["phones"]]
    # Field names only: no values in the audit entry.
    assert "900789" not in alteration[0]["detail"] and "phone never" not in alteration[0]["detail"]
    assert s.one("SELECT count(*) FROM case_text WHERE case_text MATCH 'examined'")[0] == 1


def test_import_nominals_may_name_a_case_already_in_the_vault(login, export):
    s = login("sam")
    importing.run(s, *export())
    only_cases_header = CASES.splitlines()[0]
    extra = NOMINALS.splitlines()[0] + "\nCR/2012/100001,witness,Other,Dana,1985-05-05,F,,,,,"
    result = importing.run(s, *export(only_cases_header, extra, folder="second"))
    assert result["nominals_added"] == 1
    assert count(s, "nominals") == 5


def test_import_dry_run_counts_and_writes_nothing(login, export):
    s = login("sam")
    importing.run(s, *export())
    changed = CASES.replace(",16,", ",15,")
    plan = importing.preview(*export(changed, NOMINALS, folder="second"), session=s)
    assert plan.ok
    assert plan.as_json(dry_run=True)["cases_updated"] == 1
    assert s.one("SELECT outcome_code FROM cases WHERE ref = 'CR/2016/200002'")[0] == "16"


def test_import_unnamed_suspects_on_one_case_are_kept_apart(login, export):
    noms = NOMINALS + "\nCR/2016/200002,suspect,,,,M,,,,," + "\nCR/2016/200002,suspect,,,,M,,,,,"
    s = login("sam")
    c, n = export(CASES, noms)
    assert importing.run(s, c, n)["nominals_added"] == 6
    assert importing.run(s, c, n)["nominals_added"] == 0


def test_import_progress_is_reported_and_cancel_rolls_back_whole(login, export):
    s = login("sam")
    seen = []
    importing.run(s, *export(), progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] and all(a <= b for (a, _), (b, _) in zip(seen, seen[1:]))
    stop = threading.Event()
    audit_before = s.one("SELECT count(*) FROM audit")[0]

    def cancel_midway(done, total):
        stop.set()
    with pytest.raises(Cancelled):
        importing.run(s, *export(CASES.replace("CR/", "XR/"), NOMINALS.replace("CR/", "XR/"), folder="second"),
                      progress=cancel_midway, cancel=stop)
    assert count(s, "cases") == 2 and count(s, "nominals") == 4
    assert s.one("SELECT count(*) FROM audit")[0] == audit_before


def test_import_records_the_hash_of_the_bytes_it_parsed_and_refuses_a_file_changed_while_read(
        login, export, monkeypatch):
    # A file is scanned (hash, encoding) and then parsed block by block, never held whole in memory.
    # The bytes parsed are hashed again: a file edited between the two passes is refused, so the
    # SHA-256 in the entry is always of the rows that were checked and loaded.
    import hashlib
    from pathlib import Path

    from triage_app.errors import BadInput
    from triage_app.importing import reader
    s = login("sam")
    c, n = export()
    importing.run(s, c, n)
    detail = json.loads(import_entries(s)[0]["detail"])
    assert [(f["name"], f["sha256"]) for f in detail["files"]] == \
        [(Path(p).name, hashlib.sha256(Path(p).read_bytes()).hexdigest()) for p in (c, n)]

    c2, n2 = export(CASES.replace("CR/", "XR/"), NOMINALS.replace("CR/", "XR/"), folder="second")
    real = reader._Scan.__init__

    def edited_after_the_scan(self, path, encoding):
        real(self, path, encoding)
        if Path(path).name == "nominals.csv":
            Path(path).write_bytes(Path(path).read_bytes().replace(b"XR/", b"YR/"))
    monkeypatch.setattr(reader._Scan, "__init__", edited_after_the_scan)
    before = s.one("SELECT count(*) FROM audit")[0]
    with pytest.raises(BadInput) as e:
        importing.run(s, c2, n2)
    assert [(p["file"], p["message"]) for p in e.value.problems if "changed" in p["message"]] == \
        [("nominals.csv", "changed while it was being read; import it again")]
    assert count(s, "cases") == 2 and count(s, "nominals") == 4
    assert s.one("SELECT count(*) FROM audit")[0] == before
