"""Issue 19, item 6: every screen by keyboard alone. Each screen's Alt+letters are unique in its
window; Tab walks each screen to its working fields; the checklist steps over headings and moves on
after an answer; buttons, the chart and text boxes show a focus ring."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from triage_app.gui import extras
from triage_app.gui.keys import clashes
from triage_app.review import workflow

from .conftest import REF, sign_in, submitted


def _case(qtbot, w):
    w.open_case(REF)
    view = w.tabs.currentWidget()
    view.tabs.setCurrentWidget(view.review)
    qtbot.waitUntil(lambda: view.review._loaded)
    return view


def _walk(start, stops: int = 80) -> list:
    """Press Tab from `start` and note where the focus goes, until it comes round again."""
    from pytestqt.qtbot import QtBot  # noqa: F401
    seen = []
    w = start
    w.setFocus()
    QApplication.processEvents()
    for _ in range(stops):
        w = QApplication.focusWidget()
        seen.append(w)
        from PySide6.QtTest import QTest
        QTest.keyClick(w, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is start:
            break
    return seen


def test_every_screen_offers_each_alt_letter_once(qtbot, window, monkeypatch):
    sign_in(window, "rita")
    screens = {"queue": clashes(window)}
    view = _case(qtbot, window)

    def walk_case(when: str) -> None:
        for i in range(view.tabs.count()):
            view.tabs.setCurrentIndex(i)
            if view.tabs.widget(i) is view.review:
                for j in range(view.review.parts.count()):
                    view.review.parts.setCurrentIndex(j)
                    screens[f"review part {view.review.parts.tabText(j)} ({when})"] = clashes(window)
            screens[f"case tab {view.tabs.tabText(i)} ({when})"] = clashes(window)
    walk_case("no review yet")
    # A review under way shows its Submit button (Alt+B) beside every case tab's letter.
    workflow.start_review(window.holder.session, REF)
    window.tabs.removeTab(window.tabs.indexOf(view))
    view = _case(qtbot, window)
    assert view.review.submit_button.isVisibleTo(window)
    walk_case("review started")
    screens["dashboard"] = (extras.open_screen(window, "dashboard"), clashes(window))[1]
    sign_in(window, "ada")
    admin = extras.open_screen(window, "admin")
    for i in range(admin.tabs.count() if hasattr(admin, "tabs") else 1):
        if hasattr(admin, "tabs"):
            admin.tabs.setCurrentIndex(i)
        screens[f"admin {i}"] = clashes(window)
    sign_in(window, "rita")
    submitted(window.holder.session, "CR/2015/000202")
    sign_in(window, "sam")
    inbox = extras.open_screen(window, "inbox")
    inbox.show_row(0)
    screens["inbox"] = clashes(window)
    from triage_app.gui.import_wizard import ImportWizard
    wizard = ImportWizard(window.holder, window)
    qtbot.addWidget(wizard)
    wizard.show()
    screens["import wizard"] = clashes(wizard)
    bad = {k: v for k, v in screens.items() if v}
    assert not bad, "\n".join(f"{screen}: {letter} = {' / '.join(whats)}" for screen, found in bad.items()
                              for letter, whats in found.items())


def test_tab_walks_the_review_forms_and_the_inbox(qtbot, window):
    sign_in(window, "rita")
    view = _case(qtbot, window)
    ws = view.review
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    ws.parts.setCurrentIndex(1)
    walked = _walk(ws.suggestion_list)
    for w in (ws.inq_title, ws.inq_category, ws.inq_priority, ws.inq_owner, ws.inq_rationale, ws.inq_raise):
        assert any(x is w or w.isAncestorOf(x) for x in walked), w.objectName()
    ws.parts.setCurrentIndex(2)
    walked = _walk(ws.c_date)
    order = [w for w in (ws.c_date, ws.c_method, ws.c_outcome, ws.c_wishes, ws.c_isva, ws.c_ictg, ws.c_record)
             if any(x is w or w.isAncestorOf(x) for x in walked)]
    assert order == [ws.c_date, ws.c_method, ws.c_outcome, ws.c_wishes, ws.c_isva, ws.c_ictg, ws.c_record]
    assert [x for x in walked[:7]].index(walked[1]) == 1 and walked[1] is not ws.c_date


def test_the_checklist_steps_over_headings_and_moves_on_after_an_answer(qtbot, window):
    sign_in(window, "rita")
    ws = _case(qtbot, window).review
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    ids = [ws.tree.items_in_order()[i].data(0, Qt.ItemDataRole.UserRole) for i in range(len(ws.items_by_id))]
    ws.tree.setFocus()
    for _ in range(len(ids) + 3):
        assert ws.current_item_id() is not None            # never on a section heading
        qtbot.keyClick(ws.tree, Qt.Key.Key_Down)
    assert ws.current_item_id() == ids[-1]
    for _ in range(len(ids) + 3):
        qtbot.keyClick(ws.tree, Qt.Key.Key_Up)
        assert ws.current_item_id() is not None
    assert ws.current_item_id() == ids[0]
    qtbot.keyClick(ws.tree, Qt.Key.Key_Y)
    assert ws.current_item_id() == ids[1]                   # answering moved to the next item
    qtbot.keyClick(ws.tree, Qt.Key.Key_N)
    assert ws.current_item_id() == ids[2]
    answers = {a["item"]: a["answer"] for a in ws.summary["answers"]}
    assert answers == {ids[0]: "yes", ids[1]: "no"}


@pytest.mark.parametrize("selector", ["QPushButton:focus", "QGraphicsView:focus", "QPlainTextEdit:focus",
                                      "QTextBrowser:focus", "QAbstractItemView:focus"])
def test_the_style_draws_a_focus_ring(selector):
    from triage_app.paths import resource
    sheet = resource("style", "app.qss").read_text("utf-8")
    assert any(selector in rule.split("{")[0] and "border" in rule.split("{")[1] and "highlight" in rule
               for rule in sheet.split("}") if "{" in rule)
