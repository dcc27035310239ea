"""Desktop part 2 fixtures: a vault with synthetic cases (through the review tests' helper), the
shell's holder, and widgets made and locked away at the end."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings

from tests.conftest import PASS
from triage_app.gui import settings as S
from triage_app.gui.vault_lock import VaultHolder

REF = "CR/2014/000101"
OTHER = "CR/2015/000202"


def add_case(session, ref: str, nfa="2014-03-02") -> None:
    with session.change("import", "test.case", kind="collection", case=ref):
        session.conn.execute(
            "INSERT INTO cases(ref, offence_code, offence_description, nfa_date, outcome_code, summary, "
            "nfa_rationale, imported_at, updated_at, priority, status) VALUES (?, '19D', "
            "'rape of a female under 16', ?, '16', 'Synthetic summary.', 'Synthetic rationale.', "
            "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 50, 'not_started')", (ref, nfa))


@pytest.fixture
def cases_vault(vault_path, login):
    s = login("sam")
    add_case(s, REF)
    add_case(s, OTHER, "2015-05-05")
    s.close()
    return vault_path


@pytest.fixture
def holder_for(qtbot, cases_vault):
    """holder_for('rita') → a VaultHolder unlocked as that user (closed at the end)."""
    made = []

    def _make(user):
        h = VaultHolder(cases_vault)
        h.unlock(user, PASS[user])
        made.append(h)
        return h

    yield _make
    for h in made:
        h.close()


@pytest.fixture
def gui_settings(tmp_path):
    return S.Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
