"""Fixtures for the desktop tests: a vault with a known queue, private settings, the main window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from triage_app.gui import settings as S
from triage_app.session import open_vault

NOW = "2026-01-01T00:00:00Z"

# (ref, priority, nfa_date, status, assigned_to, beaconport, csarp, summary, rationale)
QUEUE = [
    ("CR/2011/000101", 90, "2011-03-02", "not_started", None, 1, 1,
     "Met older males at a takeaway on the high street.", "Victim not credible; lifestyle choice."),
    ("CR/2012/000202", 75, "2012-06-11", "in_review", "rita", 1, 0,
     "Taken to a flat above a shop by car.", "The child consented and later withdrew support."),
    ("CR/2013/000303", 75, "2010-01-20", "not_started", None, None, 0,
     "Reported missing from care on several nights.", "Missing episodes; no further action."),
    ("CR/2014/000404", 40, "2014-09-30", "submitted", "rob", 0, 0,
     "Messages on a phone were never examined.", "Insufficient evidence."),
    ("CR/2015/000505", 20, "2015-02-14", "approved", "rita", None, None,
     "Hotel booking in a false name.", "Suspect not identified."),
    ("CR/2016/000606", 5, "2016-12-01", "returned", "rita", 0, None,
     "Taxi driver seen collecting the girl from school.", "Declined to engage with officers."),
]


def seed_queue(path, rows=QUEUE):
    s = open_vault(path, "ada", "admin passphrase one two")
    with s.change("import", "test.seed", kind="collection"):
        for ref, priority, nfa, status, who, beacon, csarp, summary, rationale in rows:
            s.conn.execute(
                "INSERT INTO cases(ref, offence_code, offence_description, nfa_date, outcome_code, summary, nfa_rationale,"
                " imported_at, updated_at, priority, status, assigned_to, beaconport, csarp, victim_age,"
                " priority_factors, eligibility_why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (ref, "19D", "rape of a female under 16", nfa, "16", summary, rationale, NOW, NOW, priority, status,
                 who, beacon, csarp, 14, '[{"reason": "victim aged 14 at the offence", "points": 20}]',
                 '["NFA decided before 5 Jun 2013"]'))
    s.close()


@pytest.fixture
def queue_vault(vault_path):
    seed_queue(vault_path)
    return vault_path


@pytest.fixture
def gui_settings(tmp_path):
    """Settings in a private file: tests never read or write the user's own preferences."""
    return S.Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_main(qtbot, gui_settings):
    from triage_app.gui.app import make_window
    made = []

    def _make(path, **kw):
        w = make_window(path, settings=gui_settings, **kw)
        qtbot.addWidget(w)
        w.show()
        made.append(w)
        return w

    yield _make
    for w in made:
        w.holder.close()

