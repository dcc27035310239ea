"""The chronology tab with real keys (pytest-qt): every event drawn on its lane, arrows walk the
events, Enter opens the event's case, the table filters the timeline, and a lock drops it all."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt

from tests.conftest import PASS
from triage_app import audit
from triage_app.gui.timeline import TimelineView
from triage_app.gui.vault_lock import VaultHolder


@pytest.fixture
def view(qtbot, vault_path, cluster):
    holder = VaultHolder(vault_path)
    holder.unlock("rita", PASS["rita"])
    v = TimelineView(holder, cluster.refs[0])
    qtbot.addWidget(v)
    v.resize(1300, 600)
    v.show()
    qtbot.waitExposed(v)
    yield v
    holder.lock()


def test_drawn_on_first_look_with_every_event_on_its_lane(view, cluster):
    c = view.canvas
    assert len(c.events) == len(cluster.expected) == view.model.rowCount()
    lanes = [k for k, _ in c.lanes]
    assert lanes[0] == cluster.refs[0] and set(lanes) == set(cluster.refs)
    for e, on in zip(c.events, c.lane_of):
        assert [lanes[i] for i in on] == [e.case]
    entries = [e for e in audit.entries(view.holder.session.conn, cluster.refs[0]) if e["action"] == "chronology.view"]
    assert len(entries) == 1 and entries[0]["user"] == "rita"


def test_arrow_keys_walk_events_and_enter_opens_the_case(qtbot, view):
    c = view.canvas
    c.setFocus()
    assert c.current == 0
    for _ in range(4):
        qtbot.keyClick(c, Qt.Key.Key_Right)
    assert c.current == 4
    row = view.table.currentIndex().row()
    assert view.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole) == 4     # the table follows
    lane = c.lane_of[4][0]
    qtbot.keyClick(c, Qt.Key.Key_Down)
    assert c.lane_of[c.current][0] == lane + 1
    qtbot.keyClick(c, Qt.Key.Key_End)
    assert c.current == len(c.events) - 1
    with qtbot.waitSignal(view.open_case) as opened:
        qtbot.keyClick(c, Qt.Key.Key_Return)
    assert opened.args == [c.events[-1].case]
    span = c.t1 - c.t0
    qtbot.keyClick(c, Qt.Key.Key_Plus)
    assert c.t1 - c.t0 < span
    qtbot.keyClick(c, Qt.Key.Key_F)
    assert c.t1 - c.t0 == pytest.approx(span)


def test_table_filter_is_what_the_timeline_shows_and_enter_opens(qtbot, view, cluster):
    qtbot.keyClicks(view.search, "NFA decision")
    nfa = {i for i, e in enumerate(view.canvas.events) if e.kind == "nfa"}
    assert view.canvas.visible == nfa and view.proxy.rowCount() == len(cluster.refs)
    view.table.setFocus()
    view.table.selectRow(2)
    with qtbot.waitSignal(view.open_case) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [view.proxy.index(2, 1).data()]
    view.search.clear()
    assert view.canvas.visible is None


def test_lanes_per_suspect(view, cluster):
    view.lanes.setCurrentIndex(1)
    labels = [label.split(" (b.")[0] for _, label in view.canvas.lanes]
    assert set(labels) == set(cluster.suspects)
    assert all(len(on) == 2 for on in view.canvas.lane_of)


def test_lock_drops_everything_shown_and_unlock_draws_again(view, cluster):
    holder = view.holder
    holder.lock()
    assert view.canvas.events == [] and view.model.rowCount() == 0 and view.summary.text() == ""
    holder.unlock("rita", PASS["rita"])
    view.hide()
    view.show()
    assert len(view.canvas.events) == len(cluster.expected)


def test_added_event_is_audited_and_drawn(view, cluster):
    assert view.add({"date": "2009-02-02", "text": "Strategy meeting", "source": "Minutes 2009/17"})
    added = [e for e in view.canvas.events if e.kind == "added"]
    assert [(e.date, e.case, e.source) for e in added] == [("2009-02-02", cluster.refs[0], "Minutes 2009/17")]
    assert "chronology.add" in [e["action"] for e in audit.entries(view.holder.session.conn, cluster.refs[0])]


def test_tab_hooked_into_the_case_view(qtbot, view, cluster):
    from triage_app.gui.case_view import CaseView
    from triage_app.gui.timeline import attach

    class Window:
        holder = view.holder
        opened: list = []

        def open_case(self, ref):
            self.opened.append(ref)

    case = CaseView(view.holder.session, cluster.refs[0], "test")
    qtbot.addWidget(case)
    attach(Window(), case)
    assert case.tabs.tabText(case.tabs.count() - 1) == "Chronolog&y" and case.timeline.ref == cluster.refs[0]


@pytest.fixture
def long_lanes(login, tmp_path):
    """The generated cluster with a suspect whose recorded names run far past the label column, and
    an earlier victim who is a suspect later (her lane must stay initials, whole or cut)."""
    from triage_app import importing
    from triage_app.demo.cluster import generate_cluster
    c = generate_cluster(12, seed=5)
    first = next(n for n in c.nominals if n["role"] == "suspect" and n["crime_ref"] != c.outsider)
    long_name = (first["forenames"], first["surname"])
    for n in c.nominals:
        if (n["forenames"], n["surname"]) == long_name:
            n["forenames"], n["surname"] = "Christopher-Alexander Maximilian Bartholomew", "FOTHERINGHAM-WORTHINGTON"
    v = c.victims[1]
    c.nominals.append({"crime_ref": c.refs[6], "role": "suspect", "surname": v["surname"].upper(),
                       "forenames": v["forenames"], "dob": v["dob"].strftime("%d/%m/%Y"), "gender": "F",
                       "address": v["address"], "postcode": v["postcode"], "phones": v["phone"], "vehicles": ""})
    cases_csv, nominals_csv = c.write_csv(tmp_path / "export")
    importing.run(login("sam"), cases_csv, nominals_csv)
    return c


def test_a_long_lane_label_is_cut_with_an_ellipsis_and_shown_whole_when_pointed_at(qtbot, vault_path, long_lanes):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QToolTip

    from triage_app.chronology.model import ALSO_VICTIM
    from triage_app.gui.timeline_canvas import AXIS_H, LABEL_W, LANE_H
    holder = VaultHolder(vault_path)
    holder.unlock("rita", PASS["rita"])
    v = TimelineView(holder, long_lanes.refs[0])
    qtbot.addWidget(v)
    v.resize(1300, 900)
    v.show()
    qtbot.waitExposed(v)
    v.lanes.setCurrentIndex(1)                      # a lane per suspect
    c = v.canvas
    victim = long_lanes.victims[1]
    seen = {}
    for i, (_, label) in enumerate(c.lanes):
        y = int(AXIS_H + i * LANE_H - c.top + LANE_H / 2)
        if y > c.height() - 4:
            break
        QToolTip.hideText()
        qtbot.mouseMove(c, QPoint(40, y))
        qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
        seen[label] = QToolTip.text()
        text, bold = c.lane_text(i)
        font = QFont(c.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        font.setBold(bold)
        shown = c.lane_shown(text, font)
        assert QFontMetrics(font).horizontalAdvance(shown) <= LABEL_W - 12
        assert shown == text or (shown.endswith("…") and text.startswith(shown[:-1].rstrip()))
    long = next(label for label in seen if "FOTHERINGHAM-WORTHINGTON" in label)
    assert seen[long] == long and c.lane_shown(long, QFont(c.font())) != long     # cut on screen, whole in the tip
    hers = [tip for tip in seen.values() if ALSO_VICTIM in tip]
    assert hers == [f"{victim['forenames'][0]}.{victim['surname'][0].upper()}. ({ALSO_VICTIM})"]
    for tip in seen.values():
        assert victim["forenames"] not in tip and victim["surname"].upper() not in tip
    QToolTip.hideText()
    qtbot.mouseMove(c, QPoint(LABEL_W + 300, c.height() - 3))     # off the label column: no lane's label
    assert c.lane_tooltip(QPoint(LABEL_W + 300, AXIS_H + 5)) is None
    holder.lock()
