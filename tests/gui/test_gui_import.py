"""The import wizard driven by clicks: a bad file (every problem listed, nothing written), a good
one (progress, summary, queue filled), and Cancel (nothing kept)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from triage_app.demo.synthetic import generate
from triage_app.gui import import_wizard as iw
from triage_app.gui.vault_lock import VaultHolder


@pytest.fixture
def holder(qtbot, login, vault_path):
    h = VaultHolder(vault_path)
    h.adopt(login("sam"))       # a supervisor may import
    return h


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    return generate(40, seed=11).write_csv(tmp_path)


def wizard_for(qtbot, holder):
    w = iw.ImportWizard(holder)
    qtbot.addWidget(w)
    w.show()
    return w


def choose(qtbot, w, cases, nominals):
    w.cases_path.clear()
    qtbot.keyClicks(w.cases_path, str(cases))
    w.nominals_path.clear()
    qtbot.keyClicks(w.nominals_path, str(nominals))
    qtbot.mouseClick(w.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w._job is None, timeout=20000)


def case_count(holder) -> int:
    return holder.session.one("SELECT count(*) FROM cases")[0]


def test_a_bad_file_lists_every_problem_and_imports_nothing(qtbot, holder, files, tmp_path):
    import csv
    _cases, nominals = files
    data = generate(40, seed=11)
    rows = [dict(r) for r in data.cases[:5]]
    rows[1]["nfa_date"] = "12/31/2012"        # month first: never accepted
    rows[3]["nfa_date"] = ""                  # required
    bad = tmp_path / "bad-cases.csv"
    with open(bad, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]))
        out.writeheader()
        for r in rows:
            out.writerow({k: (v.replace("\n", " ") if isinstance(v, str) else v) for k, v in r.items()})
    w = wizard_for(qtbot, holder)
    choose(qtbot, w, bad, nominals)
    assert w.pages.currentIndex() == iw.PREVIEW
    assert not w.next.isEnabled()
    assert "must be fixed" in w.verdict.text()
    rows = [[w.problems.item(r, c).text() for c in range(4)] for r in range(w.problems.rowCount())]
    problems = [r for r in rows if not r[3].startswith("warning")]
    assert ["bad-cases.csv", "3", "nfa_date"] in [r[:3] for r in problems]
    assert ["bad-cases.csv", "5", "nfa_date"] in [r[:3] for r in problems]
    assert case_count(holder) == 0
    # Back to the files and on with the good one: the same wizard goes on.
    qtbot.mouseClick(w.back, Qt.MouseButton.LeftButton)
    assert w.pages.currentIndex() == iw.FILES
    choose(qtbot, w, files[0], nominals)
    assert w.plan.ok and w.next.isEnabled()


def test_a_missing_file_is_named_before_anything_is_read(qtbot, holder, files, tmp_path):
    w = wizard_for(qtbot, holder)
    choose(qtbot, w, tmp_path / "nowhere.csv", files[1])
    assert w.pages.currentIndex() == iw.FILES
    assert w.files_error.text() == f"There is no cases file at {tmp_path / 'nowhere.csv'}."


def test_a_good_file_imports_with_progress_and_a_summary(qtbot, holder, files):
    cases, nominals = files
    w = wizard_for(qtbot, holder)
    choose(qtbot, w, cases, nominals)
    assert w.pages.currentIndex() == iw.PREVIEW and w.plan.ok
    assert "40 new cases" in w.verdict.text()
    assert w.next.isEnabled() and w.next.text() == "&Import"
    seen = []     # (phase, bar value, bar maximum, counts and time left) as the window showed them
    w._steps.stepped.connect(lambda step: seen.append((step.number, w.progress.value(), w.progress.maximum(),
                                                       w.progress_counts.text())))
    qtbot.mouseClick(w.next, Qt.MouseButton.LeftButton)
    assert holder.busy                               # the rest of the window keeps off the connection
    qtbot.waitUntil(lambda: w.pages.currentIndex() == iw.DONE, timeout=30000)
    assert not holder.busy
    assert w.imported and w.result["cases_added"] == 40
    assert "Cases: 40 added" in w.summary.text()
    # Every phase was shown in turn, each with its own bar run to its end, counts and a time left.
    assert [n for n, *_ in seen] == sorted(n for n, *_ in seen) and {n for n, *_ in seen} == {1, 2, 3, 4}
    for phase in (1, 2, 3, 4):
        last = [s for s in seen if s[0] == phase][-1]
        assert last[1] == last[2]
    assert "40 of 40 cases" in [s for s in seen if s[0] == 4][-1][3]
    assert any(" left" in s[3] for s in seen)
    assert [lab.text()[0] for lab in w.phase_labels] == ["✓"] * 4
    assert case_count(holder) == 40
    last = holder.session.one("SELECT action, kind, user FROM audit ORDER BY seq DESC LIMIT 1")
    assert tuple(last) == ("import", "collection", "sam")
    qtbot.mouseClick(w.cancel, Qt.MouseButton.LeftButton)   # now "Close"
    assert not w.isVisible()


def test_cancel_during_import_keeps_nothing(qtbot, holder, tmp_path):
    cases, nominals = generate(400, seed=5).write_csv(tmp_path)
    w = wizard_for(qtbot, holder)
    choose(qtbot, w, cases, nominals)
    assert w.plan.ok
    # Cancel as soon as the first rows are written.
    w.progress.valueChanged.connect(lambda v: v > 0 and w.cancel.isEnabled() and w.cancel.click())
    qtbot.mouseClick(w.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.pages.currentIndex() == iw.DONE, timeout=30000)
    assert not w.imported
    assert w.summary.text() == "The import was cancelled; nothing was changed."
    assert case_count(holder) == 0


def test_reviewers_are_not_offered_the_import(qtbot, queue_vault, make_main):
    from tests.gui.test_gui_queue import open_queue
    w = open_queue(qtbot, make_main, queue_vault, user="rita")
    assert not w.actions["import"].isVisible()
    w.lock_now()
    w.unlock.user.clear()
    from tests.conftest import PASS
    qtbot.keyClicks(w.unlock.user, "sam")
    qtbot.keyClicks(w.unlock.passphrase, PASS["sam"])
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.holder.session is not None, timeout=10000)
    assert w.actions["import"].isVisible()
