"""Opening a case from the queue by keyboard: the consultation is audited, every part is shown,
victim-blaming words are marked, and a linked case opens with Enter."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gui.test_gui_queue import open_queue
from triage_app import audit, importing
from triage_app.demo.synthetic import generate
from triage_app.gui.case_view import CaseView


@pytest.fixture
def imported_vault(vault_path, login, tmp_path):
    cases, nominals = generate(120, seed=3).write_csv(tmp_path)
    importing.run(login("sam"), cases, nominals)
    return vault_path


def test_enter_opens_the_selected_case_and_audits_the_read(qtbot, imported_vault, make_main):
    w = open_queue(qtbot, make_main, imported_vault)
    table = w.queue.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)               # the second case in the queue
    ref = w.queue.model.ref_at(1)
    before = len(audit.entries(w.holder.session.conn, ref))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert w.tabs.count() == 2
    view = w.tabs.currentWidget()
    assert isinstance(view, CaseView) and view.ref == ref
    assert w.tabs.tabText(1) == ref
    entries = audit.entries(w.holder.session.conn, ref)
    assert len(entries) == before + 1
    assert entries[-1]["user"] == "rita" and entries[-1]["kind"] == "consultation"
    assert "Historic NFA review" in str(entries[-1]["detail"])
    # Every part is there: nominals, priority reasons, and the read itself in the case's history.
    assert view.nominals.rowCount() == len(view.detail["nominals"]) > 0
    assert view.factors.rowCount() == len(view.detail["factors"])
    # A reviewer sees her own entries only, this very read among them.
    assert [view.audit.item(r, 2).text() for r in range(view.audit.rowCount())] == ["rita"]
    assert view.audit.item(0, 4).text() == "consultation"
    # Enter again on the same row goes to the open tab, no second read.
    qtbot.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.currentIndex() == 0
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert w.tabs.count() == 2 and w.tabs.currentIndex() == 1
    assert len(audit.entries(w.holder.session.conn, ref)) == before + 1
    qtbot.keyClick(w, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.count() == 1


def test_supervisor_sees_the_whole_case_history(qtbot, imported_vault, make_main):
    w = open_queue(qtbot, make_main, imported_vault, user="sam")
    w.queue.table.setFocus()
    qtbot.keyClick(w.queue.table, Qt.Key.Key_Return)
    view = w.tabs.currentWidget()
    users = {view.audit.item(r, 2).text() for r in range(view.audit.rowCount())}
    assert "sam" in users and view.audit.rowCount() >= 1


def test_victim_blaming_words_are_marked(qtbot, imported_vault, make_main):
    from triage_app.gui.case_data import blaming_patterns
    w = open_queue(qtbot, make_main, imported_vault)
    conn = w.holder.session.conn
    patterns = blaming_patterns()
    assert patterns
    ref = next(r[0] for r in conn.execute("SELECT ref, nfa_rationale FROM cases ORDER BY id")
               if r[1] and any(p.search(r[1]) for _n, p in patterns))
    w.open_case(ref)
    view = w.tabs.currentWidget()
    from PySide6.QtWidgets import QPlainTextEdit
    box = view.findChild(QPlainTextEdit, "nfa_rationale")

    def marks():
        out, block = [], box.document().firstBlock()
        while block.isValid():
            out += [block.text()[r.start:r.start + r.length] for r in block.layout().formats()]
            block = block.next()
        return out

    qtbot.waitUntil(lambda: bool(marks()), timeout=3000)   # the highlighter runs once the event loop turns
    marked = marks()
    assert all(any(p.search(m) for _n, p in patterns) for m in marked)


def test_linked_case_opens_with_enter(qtbot, imported_vault, make_main):
    w = open_queue(qtbot, make_main, imported_vault)
    conn = w.holder.session.conn
    from triage_app.linking import links_for_case
    case_id, ref = next((r[0], r[1]) for r in conn.execute("SELECT id, ref FROM cases ORDER BY priority DESC")
                        if links_for_case(conn, r[0]))
    w.open_case(ref)
    view = w.tabs.currentWidget()
    assert view.link_table.rowCount() == len(view.links) > 0
    other = view.link_table.item(0, 0).text()
    assert other != ref
    view.tabs.setCurrentWidget(view.link_table)
    view.link_table.setFocus()
    view.link_table.setCurrentCell(0, 0)
    qtbot.keyClick(view.link_table, Qt.Key.Key_Return)
    assert w.tabs.currentWidget().ref == other
    assert w.tabs.count() == 3


def test_an_unknown_case_says_so_and_opens_nothing(qtbot, imported_vault, make_main, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    said = []
    from triage_app.gui import messages
    monkeypatch.setattr(messages, "tell", lambda *a: said.append(a[2]))
    w = open_queue(qtbot, make_main, imported_vault)
    w.open_case("CR/1999/NOPE")
    assert w.tabs.count() == 1
    assert said and said[0].startswith("There is no case")
