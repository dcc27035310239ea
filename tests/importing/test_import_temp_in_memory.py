"""Staged case text never reaches a file: while an import runs, its TEMP staging tables and the sorts
of its index builds stay in memory (temp_store = MEMORY, vault/connection.py), even when SQLite's
caches are far smaller than the export. SQLite names its temporary files etilqs_* and unlinks them
at once, so they are looked for among the process's open files, inside every SQL statement."""
from __future__ import annotations

import os
import sys

import pytest

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.vault import indexes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _open_files() -> set[str]:
    out = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            out.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return out


def test_an_import_opens_no_temporary_file_even_with_tiny_caches(login, tmp_path, monkeypatch):
    cases, nominals = generate(150, seed=3).write_csv(tmp_path)
    s = login("sam")
    s.conn.execute("PRAGMA temp.cache_size = 4")           # a few pages: anything on disk would spill
    monkeypatch.setattr(importing, "IMPORT_CACHE_KIB", 16)
    monkeypatch.setattr(importing.progress, "SQL_STEPS", 1000)
    monkeypatch.setattr(indexes, "FROM_ROWS", 1)              # the index builds (sorts) run too
    opened = set()
    looks = []

    def look():                                             # asked at every report and inside statements
        looks.append(1)
        opened.update(_open_files())
        return False
    result = importing.run(s, cases, nominals, cancel=look)
    assert result["cases_added"] == 150
    assert len(looks) > 100
    assert [p for p in opened if "etilqs_" in p] == []
