"""The supervisor's inbox: submitted reviews waiting for a decision, each shown read-only with what
changed since it was last returned, and Approve / Return with a comment.

Moving through the list reads nothing: a review is opened (an audited consultation) only when the
supervisor asks for it, with Enter or a double-click, and the focus then goes to its text, which
scrolls by keyboard. Approve and Return each ask first, saying what is decided: the case, the
author and the recommendation.

The list comes from the core's `inbox` (which already leaves out the user's own reviews); the
decide buttons are also hidden on a review the user wrote. Either way `workflow.decide` refuses
it: the screen only spares the supervisor a button they may not press.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget)

from triage_app.gui.keys import buddy

from triage_app.errors import TriageError
from triage_app.gui import messages, words
from triage_app.review import checklist as checklists
from triage_app.review import workflow

ANSWER_WORDS = {"yes": "Yes", "no": "No", "na": "N/A"}


def _esc(text) -> str:
    return ("" if text is None else str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list) and len(value) == 2 and value[0] in ANSWER_WORDS:
        return ANSWER_WORDS[value[0]] + (f" (note: {value[1]})" if value[1] else "")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v)
    return str(value)


def review_html(summary: dict, changes: list[dict]) -> str:
    """The read-only review as a supervisor reads it; what changed since the return comes first."""
    cl = checklists.load(summary["checklist"]["id"], summary["checklist"]["version"])
    out = [f"<h3>Review version {summary['version']} by {_esc(summary['author'])}</h3>"]
    if changes:
        out.append("<h4>Changed since it was returned</h4><table border='1' cellspacing='0' cellpadding='3'>"
                   "<tr><th>What</th><th>Before</th><th>After</th></tr>")
        for c in changes:
            what = c["what"] + (f" {c['key']}" if c["key"] else "")
            if c["what"] == "answer":
                text = cl.item(c["key"]).text
                what = "answer to “" + (text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + "…") + "”"
            after = _short(c["after"])
            if c["what"] == "contacts":
                what = "victim contact records"
                added = "; ".join(f"{words.day(a['date'])} by {a['method']}" for a in c.get("added", []))
                after = f"{c['after']} (added: {added})" if added else str(c["after"])
            out.append(f"<tr><td>{_esc(what)}</td><td>{_esc(_short(c['before']))}</td><td><b>{_esc(after)}</b>"
                       "</td></tr>")
        out.append("</table>")
    elif any(d["decision"] == "return" for d in summary["decisions"]):
        out.append("<p><b>Resubmitted with no change since it was returned.</b></p>")
    if summary["decisions"]:
        # The earlier return comments sit next to the changes they asked for.
        out.append("<h4>Decisions so far</h4><ul>")
        for d in summary["decisions"]:
            out.append(f"<li>{words.day(d['date'])} {d['decision']} by {_esc(d['by'])}: {_esc(d['comment'] or '')}</li>")
        out.append("</ul>")
    out.append(f"<h4>Recommendation: {_esc(words.recommendation(summary['recommendation']))}</h4>"
               f"<p>{_esc(summary['rationale'] or '')}</p>")
    answers = {a["item"]: a for a in summary["answers"]}
    for section_id, title in cl.sections:
        out.append(f"<h4>{_esc(title)}</h4><ul>")
        for it in cl.items:
            if it.section != section_id:
                continue
            a = answers.get(it.id)
            word = ANSWER_WORDS[a["answer"]] if a else "not answered"
            note = f" — <i>{_esc(a['note'])}</i>" if a and a["note"] else ""
            out.append(f"<li>{_esc(it.text)} <b>{word}</b>{note}</li>")
        out.append("</ul>")
    out.append("<h4>Lines of inquiry</h4><ol>")
    for i in summary["inquiries"]:
        out.append(f"<li>{_esc(i['title'])} ({_esc(i['category'])}, {i['priority']}, {i['status']})</li>")
    out.append("</ol>" + ("" if summary["inquiries"] else "<p>None raised.</p>"))
    out.append("<h4>Victim contact</h4>")
    if not summary["contacts"]:
        out.append("<p>Not yet contacted.</p>")
    for c in summary["contacts"]:
        support = ", ".join(x.upper() for x in c["support_offered"]) or "none"
        out.append(f"<p>{words.day(c['date'])} by {_esc(c['method'])}: {_esc(c['outcome'])}"
                   f"{' Wishes: ' + _esc(c['wishes']) if c['wishes'] else ''} (support offered: {support})</p>")
    return "".join(out)


class InboxTable(QTableWidget):
    """Enter reads the chosen review (a double-click too); Tab leaves the list."""
    read_requested = Signal(int)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.read_requested.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class Inbox(QWidget):
    open_case = Signal(str)
    decided = Signal(str)

    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.rows: list[dict] = []
        self.current: dict | None = None
        self.summary: dict | None = None
        self.last_decided: str | None = None    # Open case still goes there (to write its pack)
        self.title = QLabel()
        self.title.setObjectName("inboxTitle")
        self.table = InboxTable(0, 5)
        self.table.setObjectName("inboxTable")
        self.table.setHorizontalHeaderLabels(["Crime ref", "Ver.", "Author", "Submitted", "Again"])
        self.table.horizontalHeaderItem(4).setToolTip("Resubmitted after a return")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda r, *_: self._pointed(r))
        self.table.read_requested.connect(self.show_row)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.show_row(r))
        self.view = QTextBrowser()
        self.view.setObjectName("inboxReview")
        self.view.setOpenLinks(False)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setTabChangesFocus(True)
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("decisionComment")
        self.comment.setPlaceholderText("Comment (a return needs one: say what the author should change)")
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(90)
        self.approve = QPushButton("&Approve…")
        self.approve.setObjectName("approve")
        self.approve.clicked.connect(lambda: self.decide("approve"))
        self.send_back = QPushButton("&Return to author…")
        self.send_back.setObjectName("returnReview")
        self.send_back.clicked.connect(lambda: self.decide("return"))
        self.open_button = QPushButton("&Open case")
        self.open_button.setObjectName("openCase")
        self.open_button.clicked.connect(self._open)
        self.refresh_button = QPushButton("Re&fresh")
        self.refresh_button.setObjectName("refreshInbox")
        self.refresh_button.clicked.connect(self.reload)
        self.message = QLabel()
        self.message.setObjectName("inboxMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        buttons = QHBoxLayout()
        for b in (self.approve, self.send_back, self.open_button, self.refresh_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(buddy("Reviews &waiting (Enter reads one)", self.table))
        ll.addWidget(self.table, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(buddy("Review te&xt (arrows and Page Down scroll it)", self.view))
        rl.addWidget(self.view, 1)
        self.comment_label = buddy("Co&mment", self.comment)
        rl.addWidget(self.comment_label)
        rl.addWidget(self.comment)
        rl.addLayout(buttons)
        rl.addWidget(self.message)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([460, 860])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        for a, b in ((self.table, self.view), (self.view, self.comment), (self.comment, self.approve),
                     (self.approve, self.send_back), (self.send_back, self.open_button),
                     (self.open_button, self.refresh_button)):
            QWidget.setTabOrder(a, b)
        self.setFocusProxy(self.table)
        self.reload()

    def _open(self) -> None:
        ref = self.current["ref"] if self.current else self.last_decided
        if ref:
            self.open_case.emit(ref)

    def reload(self) -> None:
        s = self.holder.session
        if s is None:
            return
        self.rows = workflow.inbox(s.conn, s.user)
        self.title.setText(f"<b>Reviews waiting for a decision: {len(self.rows)}</b>"
                           + ("" if s.can("decide") else f" (a {s.role} may read them but not decide)"))
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, value in enumerate((row["ref"], row["version"], row["author"], words.when(row["submitted_at"]),
                                       "yes" if row["resubmission"] else "")):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))
        self._close_review("<p>Choose a review on the left and press Enter to read it.</p>" if self.rows
                           else "<p>Nothing is waiting.</p>")
        if self.rows:
            self.table.setCurrentCell(0, 0)

    def _close_review(self, html: str) -> None:
        self.current, self.summary = None, None
        self.view.setHtml(html)
        self.comment.clear()
        self._buttons()

    def _pointed(self, row: int) -> None:
        """The list's cursor moved: nothing is read (and nothing audited) until Enter."""
        if self.current is not None and 0 <= row < len(self.rows) and self.rows[row] is self.current:
            return
        if 0 <= row < len(self.rows):
            item = self.rows[row]
            self._close_review(f"<p>{_esc(item['ref'])}, version {item['version']} by {_esc(item['author'])}."
                               "</p><p>Press <b>Enter</b> to read the review.</p>")

    def _buttons(self) -> None:
        s = self.holder.session
        mine = bool(self.current and s and self.current["author"] == s.user)
        may = bool(self.current and s and s.can("decide") and not mine)
        for w in (self.approve, self.send_back, self.comment, self.comment_label):
            w.setVisible(may)
        self.open_button.setEnabled(self.current is not None or self.last_decided is not None)

    def show_row(self, row: int) -> None:
        """Read the review on this row: an audited consultation; the focus goes to its text."""
        s = self.holder.session
        if s is None or not 0 <= row < len(self.rows):
            return
        item = self.rows[row]
        try:
            summary = workflow.open_review(s, item["ref"], view="inbox")
        except TriageError as e:
            self.message.setText(e.message)
            return
        if summary is None or summary["review_id"] != item["review_id"] or summary["state"] != "submitted":
            self.message.setText(f"The review of {item['ref']} is no longer waiting; refresh the inbox.")
            return
        self.current, self.summary = item, summary
        changes = workflow.changes_since_return(s.conn, item["review_id"])
        self.view.setHtml(review_html(summary, changes))
        self.comment.clear()
        self.message.setText("")
        self._buttons()
        self.view.setFocus()

    def decision_words(self, decision: str) -> str:
        """What the supervisor is about to sign: the case, the author, the recommendation."""
        c, r = self.current, self.summary
        what = "Approve" if decision == "approve" else "Return to its author"
        text = (f"{what} the review of case {c['ref']}?\n\n"
                f"Review version {c['version']} by {c['author']}.\n"
                f"Recommendation: {words.recommendation(r['recommendation'])}.\n"
                f"Lines of inquiry: {len(r['inquiries'])}; victim contacts recorded: {len(r['contacts'])}.")
        comment = self.comment.toPlainText().strip()
        text += f"\n\nYour comment: {comment}" if comment else "\n\nNo comment."
        if decision == "approve":
            text += "\n\nAn approval is signed in your name and is never edited afterwards."
        return text

    def decide(self, decision: str) -> None:
        s = self.holder.session
        if s is None or self.current is None:
            return
        ref = self.current["ref"]
        if decision == "return" and not self.comment.toPlainText().strip():
            self.message.setText("A return needs a comment saying what the author should change.")
            self.comment.setFocus()
            return
        title = "Approve the review" if decision == "approve" else "Return the review"
        if not messages.ask(self, title, self.decision_words(decision), holder=self.holder,
                            yes="&Approve" if decision == "approve" else "&Return", no="&Cancel"):
            self.message.setText("Nothing was decided.")
            return
        try:
            workflow.decide(s, ref, decision, self.comment.toPlainText())
        except TriageError as e:
            self.message.setText(e.message)
            self.comment.setFocus()
            return
        self.last_decided = ref
        self.decided.emit(ref)
        self.reload()
        self.message.setText(f"{ref}: {'approved' if decision == 'approve' else 'returned to its author'}. "
                             "Alt+O opens the case (for its referral pack).")
        self.table.setFocus()
