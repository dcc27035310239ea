"""The other part-2 screens: the inbox never offers a decision on one's own review, the link chart
(shapes, dashes, judging, exports), the dashboard's counts and escaped CSV, administration (users,
audit filters, verify, export), the pack dialog's refusal of an unapproved review."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt

from triage_app import audit, dashboard
from triage_app.errors import Refused
from triage_app.gui.admin import AdminView, audit_csv, filter_entries
from triage_app.gui.dashboard import Dashboard
from triage_app.gui.inbox import Inbox
from triage_app.gui.link_chart import LinkChart, NodeItem
from triage_app.gui.pack_dialog import PackDialog
from triage_app.linking import relink
from triage_app.review import checklist, workflow

from .conftest import OTHER, REF

# Adding a user derives a key slot (Argon2id) in a worker: seconds on a loaded machine. waitUntil returns as
# soon as the message shows, so a generous bound costs nothing when the machine is quiet.
WORKER_WAIT_MS = 30000


def _complete_and_submit(s, ref):
    workflow.start_review(s, ref)
    for item_id in checklist.current().mandatory_ids:
        workflow.answer_item(s, ref, item_id, "no" if checklist.current().item(item_id).yes_needs else "yes")
    workflow.recommend(s, ref, "refer", "Synthetic rationale for the test.")
    workflow.submit(s, ref)


def _actions(s, **kw):
    return [e["action"] for e in audit.entries(s.conn, **kw)]


def test_gui2_inbox_never_offers_a_decision_on_ones_own_review(qtbot, holder_for):
    sam = holder_for("sam")
    _complete_and_submit(sam.session, REF)                 # a supervisor may write a review too
    mine = Inbox(sam)
    qtbot.addWidget(mine)
    assert mine.table.rowCount() == 0                      # not in one's own inbox
    mine.current = {"ref": REF, "author": "sam", "review_id": 1}
    mine._buttons()
    assert not mine.approve.isVisibleTo(mine) and not mine.send_back.isVisibleTo(mine)
    try:
        workflow.decide(sam.session, REF, "approve")       # and the core refuses it anyway
        raise AssertionError("the author decided their own review")
    except Refused:
        pass
    sue = Inbox(holder_for("sue"))
    qtbot.addWidget(sue)
    assert sue.table.rowCount() == 1
    sue.show_row(0)                                        # read it (Enter): then the decision is offered
    assert sue.approve.isVisibleTo(sue)
    reviewer = Inbox(holder_for("rob"))                    # a reviewer may look but never decide
    qtbot.addWidget(reviewer)
    assert not reviewer.approve.isVisibleTo(reviewer)


def _linked_pair(holder):
    """Two cases sharing a (synthetic, Ofcom drama range) phone: a strong link; plus a possible one."""
    s = holder.session
    with s.change("import", "test.nominals", kind="collection"):
        ids = dict(s.conn.execute("SELECT ref, id FROM cases"))
        for ref, forenames, dob in ((REF, "Jordan", "1990-02-03"), (OTHER, "Jordan", None)):
            s.conn.execute("INSERT INTO nominals(case_id, role, surname, forenames, name_norm, dob, phones, natural_key)"
                           " VALUES (?, 'suspect', 'Hallworth', ?, ?, ?, '07700 900123', ?)",
                           (ids[ref], forenames, f"{forenames.lower()} hallworth", dob, f"k{ref}"))
            nid = s.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            s.conn.execute("INSERT INTO identifiers(nominal, kind, value) VALUES (?, 'phone', '+447700900123')", (nid,))
        relink(s.conn)


def test_gui2_link_chart_draws_judges_and_exports(qtbot, holder_for, tmp_path):
    sam = holder_for("sam")
    _linked_pair(sam)
    chart = LinkChart(sam, REF)
    qtbot.addWidget(chart)
    chart.show()
    kinds = {i.node["type"] for i in chart.scene.items() if isinstance(i, NodeItem)}
    assert {"case", "person", "phone"} <= kinds
    assert chart.cases.count() == 2 and chart.links.count() == 1
    assert "strong" in chart.links.item(0).text() and "phone" in chart.links.item(0).text().lower()
    opened = []
    chart.open_case.connect(opened.append)
    chart.cases.setCurrentRow(1)
    qtbot.keyClick(chart.cases, Qt.Key.Key_Return)
    assert opened == [OTHER]
    # Zoom keys change the view's scale.
    chart.view.setFocus()
    before = chart.view.transform().m11()
    qtbot.keyClick(chart.view, Qt.Key.Key_Plus)
    assert chart.view.transform().m11() > before
    # A judgement needs a reason; with one it is recorded, audited and drawn.
    chart.links.setCurrentRow(0)
    qtbot.mouseClick(chart.confirm, Qt.MouseButton.LeftButton)
    assert "reason" in chart.message.text().lower()
    qtbot.keyClicks(chart.reason, "Same phone and name; checked against the PNC print")
    qtbot.mouseClick(chart.confirm, Qt.MouseButton.LeftButton)
    assert "confirmed" in chart.links.item(0).text()
    assert "link.confirm" in _actions(sam.session)
    assert chart.export("png", tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.export("graphml", tmp_path / "chart.graphml")
    root = ET.parse(tmp_path / "chart.graphml").getroot()
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert len(root.findall(f"{ns}graph/{ns}node")) == len(chart.chart["nodes"])
    assert _actions(sam.session).count("links.chart_export") == 2


def test_gui2_link_chart_draws_possible_links_dashed():
    from triage_app.gui.link_chart import _edge_pen
    strong = _edge_pen({"type": "link", "strength": "strong", "judgement": None})
    possible = _edge_pen({"type": "link", "strength": "possible", "judgement": None})
    confirmed = _edge_pen({"type": "link", "strength": "possible", "judgement": "confirmed"})
    assert possible.style() == Qt.PenStyle.DashLine and strong.style() == Qt.PenStyle.SolidLine
    assert confirmed.style() == Qt.PenStyle.SolidLine
    assert strong.widthF() > possible.widthF()            # not told apart by colour alone


def test_gui2_dashboard_counts_and_escaped_csv(qtbot, holder_for, tmp_path):
    sam = holder_for("sam")
    rita = holder_for("rita")
    _complete_and_submit(rita.session, REF)
    data = dashboard.counts(sam.session)
    assert dict(data["Cases by review status"]) == {"Not started": 1, "In review": 0, "Submitted": 1,
                                                     "Returned": 0, "Approved": 0}
    assert dict(data["Reviews waiting on a supervisor, by author"]) == {"rita": 1}
    assert sum(n for _, n in data["Cases by priority band"]) == 2
    text = dashboard.to_csv({"=cmd|' /C calc'!A0": [("+1", 3)]})
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=cmd|' /C calc'!A0", "'+1", "3"]
    board = Dashboard(sam)
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: bool(board.data), timeout=10000)
    assert board.grid.count() == len(data)
    assert board.export(tmp_path / "dash.csv")
    assert "dashboard.export" in _actions(sam.session)


def test_gui2_admin_users_and_audit(qtbot, holder_for, tmp_path):
    ada = holder_for("ada")
    view = AdminView(ada)
    qtbot.addWidget(view)
    panel = view.users
    qtbot.keyClicks(panel.name, "tess")
    panel.role.setCurrentText("reviewer")
    qtbot.keyClicks(panel.pass1, "a long synthetic passphrase")
    qtbot.keyClicks(panel.pass2, "a long synthetic passphrase differs")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert "differ" in panel.message.text()
    panel.pass2.clear()
    qtbot.keyClicks(panel.pass2, "a long synthetic passphrase")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "added" in panel.message.text(), timeout=WORKER_WAIT_MS)
    assert "tess" in [u["name"] for u in panel.rows]
    row = [u["name"] for u in panel.rows].index("tess")
    panel.table.setCurrentCell(row, 0)
    panel.set_role.setCurrentText("supervisor")
    qtbot.mouseClick(panel.role_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now supervisor" in panel.message.text(), timeout=WORKER_WAIT_MS)
    # The last admin can't be demoted: one plain sentence, nothing changed.
    panel.table.setCurrentCell([u["name"] for u in panel.rows].index("ada"), 0)
    panel.set_role.setCurrentText("reviewer")
    qtbot.mouseClick(panel.role_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "last admin" in panel.message.text(), timeout=WORKER_WAIT_MS)

    log = view.audit
    qtbot.mouseClick(log.findChild(type(panel.add_button), "loadAudit"), Qt.MouseButton.LeftButton)
    assert log.table.rowCount() == len(log.all) > 0
    qtbot.keyClicks(log.action, "user.")
    qtbot.keyClick(log.action, Qt.Key.Key_Return)
    assert {log.table.item(r, 3).text() for r in range(log.table.rowCount())} <= {"user.add", "user.role"}
    assert log.table.rowCount() >= 6                       # five fixture users, tess, and her new role
    qtbot.mouseClick(log.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "intact" in log.verdict.text(), timeout=WORKER_WAIT_MS)
    assert log.export(tmp_path / "audit.csv")
    assert {"audit.read", "audit.export", "user.add", "user.role"} <= set(_actions(ada.session))
    # A supervisor sees the audit log and no users; a reviewer sees neither.
    sup = AdminView(holder_for("sam"))
    qtbot.addWidget(sup)
    assert sup.users is None and sup.audit is not None
    rev = AdminView(holder_for("rob"))
    qtbot.addWidget(rev)
    assert rev.users is None and rev.audit is None


def test_gui2_audit_filters_and_csv_escape():
    rows = [{"seq": 1, "at": "2026-01-02T10:00:00Z", "user": "rita", "action": "review.answer", "kind": "alteration",
             "case": "CR/1", "detail": {}},
            {"seq": 2, "at": "2026-01-05T10:00:00Z", "user": "=sam", "action": "review.decide", "kind": "alteration",
             "case": "CR/2", "detail": {"c": "@x"}}]
    assert [r["seq"] for r in filter_entries(rows, since="2026-01-03")] == [2]
    assert [r["seq"] for r in filter_entries(rows, until="2026-01-02")] == [1]
    assert [r["seq"] for r in filter_entries(rows, user="rita", action="ANSWER", case="cr/1")] == [1]
    out = list(csv.reader(io.StringIO(audit_csv(rows))))
    assert out[2][2] == "'=sam"


def test_gui2_pack_dialog_refuses_an_unapproved_review(qtbot, holder_for, tmp_path):
    rita = holder_for("rita")
    workflow.start_review(rita.session, REF)
    dialog = PackDialog(rita, REF, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.open_after.setChecked(False)
    before = len(audit.entries(rita.session.conn))
    assert not dialog.issue_button.isEnabled() and "No approved review" in dialog.source.text()
    dialog.issue()                                         # pressed anyway: the core refuses
    # Wait for what is asserted (the refusal), then for the thread: never for a proxy of either.
    qtbot.waitUntil(lambda: "approved" in dialog.message.text().lower(), timeout=30000)
    qtbot.waitUntil(lambda: not dialog.job.running and dialog.progress.isHidden(), timeout=30000)
    assert not list(tmp_path.glob("*.pdf"))
    assert len(audit.entries(rita.session.conn)) == before
    assert not rita.busy


def test_gui2_pack_prints_every_page(qtbot, holder_for, tmp_path):
    """Printing draws each page of the issued pack (here on Qt's PDF printer, so it can be read back)."""
    from PySide6.QtPrintSupport import QPrinter
    from pypdf import PdfReader

    from triage_app.gui.pack_dialog import paint_pdf
    from triage_app.pack.issue import issue_pack

    rita, sam = holder_for("rita"), holder_for("sam")
    _complete_and_submit(rita.session, REF)
    workflow.decide(sam.session, REF, "approve")
    pack = issue_pack(rita.session, REF, tmp_path / "pack.pdf")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = paint_pdf(pack["path"], printer)
    assert pages == len(PdfReader(pack["path"]).pages) >= 1
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages
