"""Settings a large import raises for its bulk statements (importing/load.py, importing/__init__.py) are
in force while those statements run and are back as they were when the import ends or is cancelled:
the full-text index's pending-terms size for the one fill of new cases' text, and the page cache
while the cases' indexes are built again after the score, and Python's cycle collector, paused for the
whole import."""
from __future__ import annotations

import gc

import pytest

from triage_app import importing
from triage_app.errors import BadInput
from triage_app.demo.synthetic import generate
from triage_app.importing import load
from triage_app.vault import indexes

from .conftest import cancel_as_statement_starts

FILL = "INSERT INTO case_text(rowid, summary, nfa_rationale) SELECT"


def _config(s) -> list:
    return sorted(tuple(r) for r in s.query("SELECT k, v FROM case_text_config"))


def test_the_text_index_fill_gathers_more_in_memory_and_its_settings_are_back_after(login, tmp_path):
    files = generate(300, seed=4).write_csv(tmp_path)
    s = login("sam")
    before = _config(s)
    said: list[str] = []
    s.conn.set_trace_callback(said.append)
    try:
        result = importing.run(s, *files)
    finally:
        s.conn.set_trace_callback(None)
    assert result["cases_added"] == 300 >= load.BULK_FTS_FROM
    fill = next(i for i, sql in enumerate(said) if sql.startswith(FILL))
    raised = [i for i, sql in enumerate(said) if "'hashsize'" in sql and str(load.FILL_HASH) in sql]
    back = [i for i, sql in enumerate(said) if "'hashsize'" in sql and str(load.FTS_DEFAULT_HASH) in sql]
    assert raised and raised[-1] < fill, "the fill ran with FTS5's default pending-terms size"
    assert back and back[0] > fill
    # Nothing of the setting stays in the vault, and the index agrees with the cases' text.
    assert _config(s) == before
    s.conn.execute("INSERT INTO case_text(case_text, rank) VALUES ('integrity-check', 1)")
    words = s.one("SELECT count(*) FROM case_text WHERE case_text MATCH 'victim'")[0]
    assert words == s.one("SELECT count(*) FROM cases WHERE summary LIKE '%victim%' "
                          "OR nfa_rationale LIKE '%victim%'")[0] > 0


def test_an_import_cancelled_inside_the_text_index_fill_leaves_its_settings(login, tmp_path, monkeypatch):
    files = generate(300, seed=4).write_csv(tmp_path)
    s = login("sam")
    monkeypatch.setattr(importing.progress, "SQL_STEPS", 50)
    before = (_config(s), s.one("SELECT count(*) FROM cases")[0])
    cancel_as_statement_starts(s, files, FILL)     # heard inside the fill itself
    assert (_config(s), s.one("SELECT count(*) FROM cases")[0]) == before
    assert s.verify_audit().ok


def test_the_score_and_the_cases_indexes_have_a_roomier_page_cache_then_it_is_put_back(login, tmp_path, monkeypatch):
    from triage_app import linking, triage
    files = generate(120, seed=6).write_csv(tmp_path)
    s = login("sam")
    monkeypatch.setattr(indexes, "FROM_ROWS", 1)
    cache_before = s.one("PRAGMA cache_size")[0]
    seen = []
    real, rescore, relink = indexes.make, triage.rescore, linking.relink

    def make(conn, made):
        if any(name.startswith("cases_") for name, _ in made):
            seen.append(("make", conn.execute("PRAGMA cache_size").fetchone()[0]))
        return real(conn, made)

    def step(name, real_step):
        def run(conn, *a, **k):
            seen.append((name, conn.execute("PRAGMA cache_size").fetchone()[0]))
            return real_step(conn, *a, **k)
        return run
    monkeypatch.setattr(indexes, "make", make)
    monkeypatch.setattr(triage, "rescore", step("score", rescore))
    monkeypatch.setattr(linking, "relink", step("link", relink))
    importing.run(s, *files)
    # the link (where the import's memory peaks) keeps the import's cache; the score has the larger one
    assert seen == [("link", -importing.IMPORT_CACHE_KIB), ("score", -importing.SCORE_CACHE_KIB),
                    ("make", -importing.SCORE_CACHE_KIB)]
    assert importing.SCORE_CACHE_KIB > importing.IMPORT_CACHE_KIB
    assert s.one("PRAGMA cache_size")[0] == cache_before


def test_the_cycle_collector_is_paused_in_every_phase_and_resumed_when_the_import_ends(login, tmp_path, export):
    files = generate(60, seed=5).write_csv(tmp_path)
    s = login("sam")
    assert gc.isenabled()
    seen = {}

    def steps(step):
        seen.setdefault(step.phase, set()).add(gc.isenabled())
    importing.run(s, *files, steps=steps)
    assert seen.keys() == {"check", "load", "link", "score"}
    assert all(v == {False} for v in seen.values()), seen
    assert gc.isenabled()
    # refused (bad input): resumed too; paused by the caller: left paused
    bad = export(nominals="crime_ref,role\nCR/9/1,victim", folder="bad")
    with pytest.raises(BadInput):
        importing.run(s, *bad)
    assert gc.isenabled()
    gc.disable()
    try:
        importing.run(s, *files)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_cycle_collector_is_paused_while_a_preview_checks_the_files(tmp_path, monkeypatch):
    files = generate(20, seed=5).write_csv(tmp_path)
    seen = []
    real = importing.check

    def check(*a, **k):
        seen.append(gc.isenabled())
        return real(*a, **k)
    monkeypatch.setattr(importing, "check", check)
    assert importing.preview(*files).ok
    assert seen == [False] and gc.isenabled()
