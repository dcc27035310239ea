"""An import hands the C heap's free pages back (linking/heap.py) once the score and the index builds
are done, before its transaction commits: the commit's writing otherwise peaks on top of all the
score freed (100k cases: the import's peak memory)."""
from __future__ import annotations

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.linking import heap
from triage_app.vault import indexes


def test_the_heap_is_trimmed_after_the_score_and_before_the_commit(login, tmp_path, monkeypatch):
    files = generate(40, seed=7).write_csv(tmp_path)
    s = login("sam")
    phases: list[str] = []
    trims: list[tuple] = []

    def steps(step):
        phases.append(f"{step.phase} ended" if step.ended else step.phase)

    make = indexes.make
    monkeypatch.setattr(heap, "trim", lambda: trims.append(("trim", phases[-1], s.conn.in_transaction)) or True)
    monkeypatch.setattr(indexes, "make", lambda *a, **k: trims.append(("make", phases[-1], True)) or make(*a, **k))
    importing.run(s, *files, steps=steps)
    # last of all in the score phase, after the index builds, with the transaction still open
    assert trims[-1] == ("trim", "score", True)
    assert any(t[0] == "make" for t in trims)
