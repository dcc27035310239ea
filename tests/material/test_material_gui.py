"""The Material tab: lists with grades, a PDF drawn inside the app, drops, exports, removals,
intelligence with its grade, the link chart's tooltips, and nothing left on screen after a lock."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.conftest import PASS
from tests.material import files
from triage_app.gui import material_dialogs
from triage_app.gui.material import MaterialTab, annotate_chart
from triage_app.gui.vault_lock import VaultHolder
from triage_app.material import attachments, intel


@pytest.fixture
def holder(qtbot, vault_path, login, case):
    h = VaultHolder(vault_path)
    h.unlock("rita", PASS["rita"])
    yield h
    h.lock()


@pytest.fixture
def tab(qtbot, holder, case, put):
    s = holder.session
    attachments.add(s, case, put("statement.pdf", files.pdf(pages=3)), "Witness statement")
    attachments.add(s, case, put("photo.png", files.png()), "Photograph")
    intel.add(s, case, text="Seen at the school gates", source="IR 2011/0093", grade="1B-P")
    intel.add(s, case, text="Uses a second phone", source="IR 2011/0107", grade="2A-C", conditions="Police only")
    t = MaterialTab(holder, case)
    qtbot.addWidget(t)
    t.resize(1200, 800)
    t.show()
    qtbot.waitUntil(lambda: t.file_table.rowCount() == 2)
    return t


def test_lists_show_grades_and_pack_status_and_one_consultation(tab, holder, case):
    cells = [[tab.intel_table.item(r, c).text() for c in range(6)] for r in range(2)]
    assert cells[0][2] == "1B-P" and cells[1][2] == "2A-C"
    assert cells[1][4] == "no: needs a decision"
    assert "lawful sharing permitted with conditions (conditions: Police only)" in tab.intel_table.item(1, 2).toolTip()
    entries = holder.session.query("SELECT detail FROM audit WHERE action = 'material.list'")
    assert [json.loads(e[0]) for e in entries] == [{"attachments": 2, "intel": 2}]


def test_a_pdf_is_drawn_in_the_app_and_the_view_is_audited(tab, holder, qtbot):
    tab.file_table.selectRow(0)
    tab.view_selected()
    assert tab.viewer.showing()
    assert "page 1 of 3" in tab.viewer.caption.text()
    pixmap = tab.viewer.page.pixmap()
    assert pixmap.width() > 200
    assert pixmap.toImage().pixelColor(5, 5).lightness() > 200   # a white page, really drawn
    qtbot.mouseClick(tab.viewer.next, Qt.MouseButton.LeftButton)
    assert "page 2 of 3" in tab.viewer.caption.text()
    assert holder.session.one("SELECT count(*) FROM audit WHERE action = 'attach.view'")[0] == 1


def test_an_image_is_drawn_too(tab):
    tab.file_table.selectRow(1)
    tab.view_selected()
    assert tab.viewer.showing() and "page 1 of 1" in tab.viewer.caption.text()


def test_a_lock_leaves_nothing_on_screen(tab, holder):
    tab.file_table.selectRow(0)
    tab.view_selected()
    assert tab.viewer.showing()
    opened = tab.viewer.opened
    holder.lock()
    assert not tab.viewer.showing() and tab.viewer.page.pixmap().isNull()
    assert tab.viewer.opened is None and opened.reader is None and tab.viewer.doc is None
    assert tab.file_table.rowCount() == 0 and tab.intel_table.rowCount() == 0 and tab.files == []


def test_a_dropped_file_is_described_checked_and_attached(tab, holder, put, qtbot, monkeypatch):
    path = put("referral.docx", files.docx())
    monkeypatch.setattr(material_dialogs.AttachDialog, "ask", lambda self: ("referral.docx", "Referral, 2010"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    tab.dropEvent(event)
    qtbot.waitUntil(lambda: tab.file_table.rowCount() == 3, timeout=20000)
    assert tab.file_table.item(2, 2).text() == "Referral, 2010"
    assert tab.message.text() == "1 file attached."
    assert not holder.busy


def test_a_refused_drop_says_why_in_one_sentence(tab, put, qtbot, monkeypatch):
    path = put("fake.pdf", b"not a pdf at all")
    monkeypatch.setattr(material_dialogs.AttachDialog, "ask", lambda self: ("fake.pdf", "Statement"))
    tab.attach_paths([path])
    qtbot.waitUntil(lambda: "Nothing was stored." in tab.message.text(), timeout=20000)
    assert tab.file_table.rowCount() == 2


def test_export_asks_for_a_reason_and_remove_erases(tab, holder, tmp_path, monkeypatch):
    out = tmp_path / "exported.png"
    monkeypatch.setattr("triage_app.gui.material.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr("triage_app.gui.material.ask_reason", lambda *a: "For the CPS lawyer")
    tab.file_table.selectRow(1)
    tab.export_selected()
    assert out.read_bytes() == files.png()
    tab.file_table.selectRow(1)
    tab.remove_selected()
    assert tab.file_table.rowCount() == 1
    kinds = [r[0] for r in holder.session.query("SELECT kind FROM audit WHERE action IN ('attach.export', "
                                                "'attach.remove') ORDER BY seq")]
    assert kinds == ["disclosure", "erasure"]


def test_intelligence_recorded_and_sanitised_through_the_forms(tab, holder, monkeypatch, qtbot):
    dlg = material_dialogs.IntelDialog(tab, tab.nominals())
    dlg.text.setPlainText("A third report")
    dlg.source.setText("IR 2012/0001")
    dlg.source_grade.setCurrentIndex(2)
    dlg.intel_grade.setCurrentIndex(3)
    dlg.handling.setCurrentIndex(1)
    assert dlg.conditions.isEnabled()
    dlg.conditions.setText("Not beyond the Taskforce")
    dlg.about.setCurrentIndex(2)   # the suspect
    assert tab.record_intel(dlg.values())
    assert tab.intel_table.rowCount() == 3
    row = [tab.intel_table.item(r, 2).text() for r in range(3)].index("3D-C")
    assert tab.intel_table.item(row, 3).text().startswith("suspect ")
    monkeypatch.setattr(material_dialogs.SanitiseDialog, "ask", lambda self: ("Believed to hold a phone", "Agreed"))
    monkeypatch.setattr("triage_app.gui.material.SanitiseDialog", material_dialogs.SanitiseDialog)
    tab.intel_table.selectRow(row)
    tab.sanitise_selected()
    assert tab.intel_table.item(row, 4).text() == "yes, sanitised"


def test_the_link_chart_tooltips_carry_the_grading(qtbot, holder, case):
    from triage_app.gui.link_chart import LinkChart
    s = holder.session
    suspect = s.one("SELECT id FROM nominals WHERE role = 'suspect'")[0]
    intel.add(s, case, text="On the case", source="IR 1", grade="2C-P", item_date="2012-01-05")
    intel.add(s, case, text="On him", source="IR 2", grade="1A-C", conditions="Police only", nominal=suspect)
    chart = LinkChart(holder, case)
    qtbot.addWidget(chart)
    chart.reload()
    node = next(i for k, i in chart.items.items() if k.startswith("case:"))
    assert "graded 2C-P: source untested; known indirectly to the source" in node.toolTip()

    class Item:
        def __init__(self):
            self.tip = "Person: Imran Dalton (suspect)"

        def toolTip(self):  # noqa: N802
            return self.tip

        def setToolTip(self, t):  # noqa: N802
            self.tip = t

    people = {f"person:{suspect}": Item()}
    annotate_chart(s, people)
    assert "graded 1A-C" in people[f"person:{suspect}"].tip and "conditions: Police only" in people[f"person:{suspect}"].tip
    merged = Item()       # one person the linker matched across records: node person:P holds nominals [P, suspect]
    merged.node = {"id": "person:999", "type": "person", "nominals": [999, suspect]}
    annotate_chart(s, {"person:999": merged})
    assert "graded 1A-C" in merged.tip


def test_the_case_view_has_a_material_tab(qtbot, vault_path, case, make_main):
    w = make_main(vault_path)
    w.holder.unlock("rita", PASS["rita"])
    w.open_case(case)
    view = w.tabs.currentWidget()
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "Material (&Z)" in titles
    view.tabs.setCurrentWidget(view.material)
    qtbot.waitUntil(lambda: view.material._loaded)


def test_the_pack_dialog_appends_attachments_when_asked(qtbot, vault_path, login, tmp_path):
    from tests.pack.conftest import REF, add_case, review_to
    from triage_app.gui.pack_dialog import PackDialog
    add_case(login("sam"), REF, rationale="NFA.")
    review_to(login, REF, approve=True)
    h = VaultHolder(vault_path)
    h.unlock("rita", PASS["rita"])
    try:
        (tmp_path / "s.pdf").write_bytes(files.pdf(pages=2))
        number = attachments.add(h.session, REF, tmp_path / "s.pdf", "Statement")["id"]
        dialog = PackDialog(h, REF, folder=tmp_path)
        qtbot.addWidget(dialog)
        dialog.open_after.setChecked(False)
        assert not dialog.append.isChecked()       # appending is a choice, never the default
        dialog.append.setChecked(True)
        dialog.issue()
        qtbot.waitUntil(lambda: dialog.issued is not None, timeout=60000)
        entry = json.loads(h.session.one("SELECT detail FROM audit WHERE action = 'pack.issue'")[0])
        assert entry["attachments_appended"] == [number]
    finally:
        h.lock()
