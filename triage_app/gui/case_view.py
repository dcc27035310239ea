"""One case, read-only: details, nominals, the NFA rationale with victim-blaming words marked, the
priority reasons, eligibility screens, linked cases and the case's audit history.

Opening it is a consultation: the core writes that audit entry with the reason before anything is
shown. Linked cases open with Enter or a double-click.
"""
from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHeaderView, QLabel, QPlainTextEdit,
                               QScrollArea, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
                               QWidget)

from triage_app.gui import case_data, words
from triage_app.gui import queue_query as q
from triage_app.gui.review_parts import focus_page_on_change

CASE_FIELDS = (("offence_code", "Offence code"), ("offence_description", "Offence"),
               ("offence_date", "Offence date"), ("reported_date", "Reported"), ("nfa_date", "NFA date"),
               ("outcome_code", "Outcome"), ("officer_in_case", "Officer in case"), ("location", "Location"),
               ("exhibits_retained", "Exhibits retained"), ("previously_reviewed", "Reviewed before"))
NOMINAL_FIELDS = (("role", "Role"), ("surname", "Surname"), ("forenames", "Forenames"), ("dob", "Date of birth"),
                  ("age_at_offence", "Age at offence"), ("gender", "Gender"), ("ethnicity", "Ethnicity"),
                  ("address", "Address"), ("postcode", "Postcode"), ("phones", "Phones"), ("vehicles", "Vehicles"))


class BlamingHighlighter(QSyntaxHighlighter):
    """Marks the words the triage weights count as victim-blaming, so the reviewer sees why."""

    def __init__(self, document, patterns):
        super().__init__(document)
        self.patterns = patterns
        self.fmt = QTextCharFormat()
        self.fmt.setBackground(QColor(255, 214, 102))
        self.fmt.setForeground(QColor(0, 0, 0))
        self.fmt.setFontWeight(QFont.Weight.Bold)
        self.fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)

    def highlightBlock(self, text):  # noqa: N802
        for name, pattern in self.patterns:
            for m in pattern.finditer(text):
                fmt = QTextCharFormat(self.fmt)
                fmt.setToolTip(f"Victim-blaming indicator: {name}")
                self.setFormat(m.start(), m.end() - m.start(), fmt)


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    return str(value)


class LinkTable(QTableWidget):
    open_requested = Signal(str)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.open_requested.emit(self.item(self.currentRow(), 0).text())
            return
        super().keyPressEvent(event)


def _table(headers, rows, cls=QTableWidget) -> QTableWidget:
    t = cls(len(rows), len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setTabKeyNavigation(False)   # Tab leaves the table; arrows move inside it
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(_text(value)))
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class CaseView(QWidget):
    open_case = Signal(str)

    def __init__(self, session, ref: str, reason: str, parent=None):
        super().__init__(parent)
        self.ref = ref
        # The consultation entry is written here, before anything is on screen.
        self.detail = case_data.case_detail(session, ref, reason)
        queue = session.one("SELECT id, priority, priority_factors, beaconport, csarp, eligibility_why, status, "
                            "assigned_to FROM cases WHERE ref = ?", (ref,))
        self.case_id = queue[0] if queue else None
        self.links = case_data.linked_cases(session, self.case_id, ref)
        self.history, history_note = case_data.audit_history(session, ref)

        head = QLabel(self._headline(queue))
        head.setObjectName("caseHeadline")
        head.setTextFormat(Qt.TextFormat.PlainText)
        head.setWordWrap(True)
        self.head = head

        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        # An explicit minimum: a tall page (the review form) must not push the window, and with it
        # the bottom security marking, off a small screen.
        self.tabs.setMinimumSize(320, 240)
        self.tabs.addTab(self._details_tab(), "&Details")
        self.tabs.addTab(self._nominals_tab(), "&Nominals")
        self.tabs.addTab(self._rationale_tab(), "&Rationale")
        self.tabs.addTab(self._priority_tab(queue), "&Priority && eligibility")
        self.tabs.addTab(self._links_tab(), f"&Linked cases ({len(self.links)})")
        self.tabs.addTab(self._audit_tab(history_note), "&Audit")

        focus_page_on_change(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(head)
        layout.addWidget(self.tabs, 1)
        self.setFocusProxy(self.tabs)

    def refresh_headline(self, session) -> None:
        """The status in the headline follows the review (it said 'Not started' through a review)."""
        if session is None:
            return
        queue = session.one("SELECT id, priority, priority_factors, beaconport, csarp, eligibility_why, status, "
                            "assigned_to FROM cases WHERE ref = ?", (self.ref,))
        self.head.setText(self._headline(queue))

    def _headline(self, queue) -> str:
        d = self.detail
        parts = [self.ref, " ".join(x for x in (d.get("offence_code"), d.get("offence_description")) if x)]
        if queue:
            parts.append(f"priority {queue[1]}")
            parts.append(q.STATUS_WORDS.get(queue[6], queue[6]) + (f" ({queue[7]})" if queue[7] else ""))
            parts.append(q.eligibility_words(queue[3], queue[4]).replace("   ·   ", ", "))
        return "   ·   ".join(p for p in parts if p)

    # --- tabs -------------------------------------------------------------------------------
    def _details_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        form.addRow("Crime ref", QLabel(self.ref))
        for key, label in CASE_FIELDS:
            if key in self.detail:
                raw = self.detail.get(key)
                if key.endswith("_date") and raw:
                    raw = words.day(raw)
                elif key == "outcome_code" and raw:
                    raw = words.outcome(raw)
                value = QLabel(_text(raw))
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(label, value)
        extra = self.detail.get("other_recorded_fields") or self.detail.get("extra") or {}
        if isinstance(extra, str):
            try:
                extra = json.loads(extra)
            except ValueError:
                extra = {}
        if extra:
            form.addRow(QLabel("Other recorded fields"))
            for key, value in extra.items():
                form.addRow(str(key), QLabel(_text(value)))
        area = QScrollArea()
        area.setWidget(w)
        area.setWidgetResizable(True)
        return area

    def _nominals_tab(self) -> QWidget:
        nominals = self.detail.get("nominals") or []
        rows = [[words.day(n.get(k)) if k == "dob" and n.get(k) else n.get(k) for k, _ in NOMINAL_FIELDS]
                for n in nominals]
        self.nominals = _table([label for _, label in NOMINAL_FIELDS], rows)
        self.nominals.setObjectName("nominals")
        return self.nominals

    def _rationale_tab(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        patterns = case_data.blaming_patterns()
        self.highlighters = []
        for key, label in (("nfa_rationale", "NFA rationale"), ("summary", "Summary")):
            layout.addWidget(QLabel(f"<b>{label}</b>"))
            box = QPlainTextEdit(self.detail.get(key) or "")
            box.setObjectName(key)
            box.setReadOnly(True)
            box.setTabChangesFocus(True)
            self.highlighters.append(BlamingHighlighter(box.document(), patterns))
            layout.addWidget(box, 1)
        note = QLabel("Marked words are victim-blaming indicators counted by the triage weights.")
        note.setObjectName("muted")
        layout.addWidget(note)
        return w

    def _priority_tab(self, queue) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        factors = json.loads(queue[2]) if queue else []
        why = json.loads(queue[5]) if queue else []
        layout.addWidget(QLabel(f"<b>Priority {queue[1] if queue else '—'}</b>: why"))
        self.factors = _table(["Points", "Reason"], [[f.get("points"), f.get("reason")] for f in factors])
        self.factors.setObjectName("factors")
        layout.addWidget(self.factors, 2)
        layout.addWidget(QLabel("<b>Eligibility</b>"))
        screens = QLabel(q.eligibility_words(queue[3], queue[4]) if queue else "—")
        layout.addWidget(screens)
        explain = QLabel("\n".join((words.BEACONPORT, words.CSARP, words.UNKNOWN)))
        explain.setObjectName("muted")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.why = _table(["Screen notes"], [[text] for text in why])
        layout.addWidget(self.why, 1)
        return w

    def _links_tab(self) -> QWidget:
        # Judgement before basis, and each basis on its own line: the basis sentences are long and
        # must wrap inside the window rather than push the rest off to the right.
        rows = [[link["ref"], link["strength"], link.get("judgement") or "not yet judged", "\n".join(link["basis"])]
                for link in self.links]
        self.link_table = _table(["Crime ref", "Strength", "Judgement", "Basis"], rows, LinkTable)
        self.link_table.setObjectName("links")
        self.link_table.setWordWrap(True)
        self.link_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.link_table.resizeRowsToContents()
        self.link_table.open_requested.connect(self.open_case)
        self.link_table.cellDoubleClicked.connect(lambda r, _c: self.open_case.emit(self.link_table.item(r, 0).text()))
        return self.link_table

    def _audit_tab(self, note: str) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        label = QLabel(note)
        label.setObjectName("muted")
        layout.addWidget(label)
        rows = [[e["seq"], words.when(e["at"]), e["user"], e["action"], e["kind"], words.detail(e.get("detail"))]
                for e in self.history]
        self.audit = _table(["#", "When", "User", "Action", "Kind", "Detail"], rows)
        self.audit.setObjectName("audit")
        layout.addWidget(self.audit, 1)
        return w
