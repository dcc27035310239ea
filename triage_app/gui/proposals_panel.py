"""Proposed answers in the review workspace: each proposal beside its item, clearly marked as
proposed, its evidence beneath with the deciding words highlighted, and keys to confirm.

- P confirms the proposal of the item under the cursor and moves on, as Y, N and A do; Shift+P
  confirms every proposal of the
  item's section whose item has no answer yet (never overwriting an answer the reviewer gave).
- Y, N and A still answer from scratch, as before: a typed answer is audited as typed.
- In the checklist, an unanswered item with a proposal reads "proposed: No" in italics; an answer
  confirmed from a proposal reads "No · confirmed proposal".

The panel reads through `review.proposals.service` (the command line's functions) and saves
through the workspace's undo stack; it adds no rules of its own. Proposals are read once when
the workspace first loads (an audited consultation) and again only when the review's victim
contacts change (they feed the victim-wishes and support items). It clears on lock.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from triage_app.errors import TriageError
from triage_app.gui.review_commands import ServiceCommand
from triage_app.review.proposals import service
from triage_app.review.withdraw import withdraw

ANSWER_WORDS = {"yes": "Yes", "no": "No", "na": "N/A"}
SOURCE_WORDS = {"summary": "Summary", "nfa_rationale": "NFA rationale", "links": "Links",
                "exhibits_retained": "Field: exhibits retained", "nominals": "Nominals",
                "age_at_offence": "Field: victim's age at the offence", "offence_date": "Field: offence date",
                "nfa_date": "Field: NFA date", "contacts": "This review's contact record", "location": "Field: location"}
HIGHLIGHT = "background-color:#ffe28a; color:#000000; font-weight:bold"


def evidence_html(e: dict) -> str:
    """One piece of evidence as rich text: its source, then the sentence with the deciding words
    highlighted. Everything from the case is escaped."""
    t, (a, b) = e["text"], e["highlight"]
    source = SOURCE_WORDS.get(e["source"], e["source"])
    return (f"<span style='color:#555555'>{html.escape(source)}:</span> “{html.escape(t[:a])}"
            f"<span style='{HIGHLIGHT}'>{html.escape(t[a:b])}</span>{html.escape(t[b:])}”")


class _Keys(QObject):
    """P confirms the proposal under the cursor; Shift+P all of the section's."""

    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_P:
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.NoModifier:
                self.panel.accept_current()
                return True
            if mods == Qt.KeyboardModifier.ShiftModifier:
                self.panel.accept_section()
                return True
        return False


class ProposalsPanel(QGroupBox):
    def __init__(self, workspace):
        super().__init__("Proposed answer (from the record: confirm or answer otherwise)")
        self.setObjectName("proposalsPanel")
        self.ws = workspace
        self.result: dict | None = None
        self.provenance: dict = {}
        self._key = None
        self.badge = QLabel()
        self.badge.setObjectName("proposalBadge")
        self.badge.setTextFormat(Qt.TextFormat.PlainText)
        self.rule = QLabel()
        self.rule.setObjectName("muted")
        self.rule.setTextFormat(Qt.TextFormat.PlainText)
        self.rule.setWordWrap(True)
        self.evidence = QLabel()
        self.evidence.setObjectName("proposalEvidence")
        self.evidence.setTextFormat(Qt.TextFormat.RichText)
        self.evidence.setWordWrap(True)
        self.evidence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.accept_button = QPushButton("Confirm proposal (P)")
        self.accept_button.setObjectName("acceptProposal")
        self.accept_button.clicked.connect(self.accept_current)
        self.section_button = QPushButton("Confirm the section's proposals (Shift+P)")
        self.section_button.setObjectName("acceptSectionProposals")
        self.section_button.setToolTip("Confirm every proposal in this section whose item has no answer yet; "
                                       "read them first")
        self.section_button.clicked.connect(self.accept_section)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.section_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.badge)
        layout.addWidget(self.evidence)
        layout.addWidget(self.rule)
        layout.addLayout(buttons)
        workspace.tree.installEventFilter(_Keys(self))
        workspace.tree.currentItemChanged.connect(lambda *_: self.show_item())
        workspace.holder.about_to_lock.connect(self.clear)
        self.setVisible(False)

    # --- reading --------------------------------------------------------------------------
    def _proposals(self) -> dict:
        return {p["item"]: p for p in (self.result or {}).get("proposals", [])}

    def _provenance(self) -> dict:
        r = self.ws.summary
        s = self.ws.holder.session
        if not r or s is None:
            return {}
        return service.provenance(s.conn, r["review_id"])

    def refresh(self) -> None:
        """After the workspace (re)loads: read proposals when they may have changed, then mark the
        checklist and show the current item's proposal."""
        s = self.ws.holder.session
        if s is None:
            self.clear()
            return
        r = self.ws.summary
        key = (r or {}).get("review_id"), len((r or {}).get("contacts", []))
        try:
            if self.result is None:
                self.result = service.proposals_for(s, self.ws.ref)      # the first read is audited
            elif key != self._key:
                self.result = service.compute(s.conn, self.ws.ref)
            self._key = key
            self.provenance = self._provenance()
        except TriageError as e:
            self.ws.say(e.message)
            return
        self._mark_tree()
        self.show_item()

    def _mark_tree(self) -> None:
        proposals = self._proposals()
        answered = {a["item"]: a for a in (self.ws.summary or {}).get("answers", [])}
        for item_id, node in self.ws.items_by_id.items():
            p, a = proposals.get(item_id), answered.get(item_id)
            font = node.font(1)
            if a is None and p is not None:
                needed = "needed — " if node.text(1) == "needed" else ""    # Submit still needs an answer
                node.setText(1, f"{needed}proposed: {ANSWER_WORDS[p['answer']]}")
                font.setItalic(True)
                node.setToolTip(1, "Proposed from the record, not an answer: P confirms it")
            else:
                font.setItalic(False)
                if a is not None and item_id in self.provenance:
                    node.setText(1, node.text(1) + " · confirmed proposal")
                    node.setToolTip(1, self.provenance[item_id]["proposed_by"] + ", confirmed")
                else:
                    node.setToolTip(1, "")
            node.setFont(1, font)

    def show_item(self) -> None:
        item_id = self.ws.current_item_id()
        p = self._proposals().get(item_id) if item_id else None
        self.setVisible(p is not None)
        if p is None:
            return
        answered = next((a for a in (self.ws.summary or {}).get("answers", []) if a["item"] == item_id), None)
        confirmed = answered is not None and item_id in self.provenance and answered["answer"] == p["answer"]
        state = ("confirmed" if confirmed else
                 f"your answer is {ANSWER_WORDS[answered['answer']]}" if answered else "not an answer until you confirm it")
        self.badge.setText(f"PROPOSED: {ANSWER_WORDS[p['answer']]}  —  {state}")
        self.evidence.setText("<br/>".join(evidence_html(e) for e in p["evidence"]))
        self.rule.setText(f"Rule {p['rule']} (rules v{p['rules_version']}, checklist "
                          f"v{(self.result or {}).get('checklist_version')})")
        editable = self.ws.editable
        self.accept_button.setEnabled(editable and not confirmed)
        self.section_button.setEnabled(editable)

    def clear(self) -> None:
        self.result, self._key, self.provenance = None, None, {}
        self.badge.setText("")
        self.evidence.setText("")
        self.rule.setText("")
        self.setVisible(False)

    # --- confirming -----------------------------------------------------------------------
    def _command(self, item_id: str, before) -> ServiceCommand:
        """Undo puts back what was there (an earlier answer, or none); redo confirms again."""
        ref, run = self.ws.ref, self.ws.run
        from triage_app.review import workflow

        def back(s):
            if before is None:
                withdraw(s, ref, "answer", item_id)
            else:
                workflow.answer_item(s, ref, item_id, before[0], before[1])
        return ServiceCommand(f"confirm proposal on {item_id}", run, lambda s: service.accept(s, ref, item_id), back)

    def accept_current(self) -> None:
        item_id = self.ws.current_item_id()
        if not item_id or not self.ws.editable or item_id not in self._proposals():
            return
        before = self.ws._answer_of(item_id)
        if self.ws._edit(lambda s: service.accept(s, self.ws.ref, item_id), lambda _r: self._command(item_id, before)):
            self.ws.say(f"Confirmed the proposed answer to “{self.ws._item_words(item_id)}”.")
            self.ws.next_item()     # as Y, N and A do: one key per item

    def accept_section(self) -> None:
        item_id = self.ws.current_item_id()
        node = self.ws.tree.currentItem()
        if not self.ws.editable or node is None:
            return
        section = self.ws.checklist.item(item_id).section if item_id else self._section_of(node)
        answered = {a["item"] for a in (self.ws.summary or {}).get("answers", [])}
        items = [p["item"] for p in (self.result or {}).get("proposals", [])
                 if p["item"] not in answered and self.ws.checklist.item(p["item"]).section == section]
        if not items:
            self.ws.say("Every proposal in this section is answered already.")
            return
        self.ws.undo_stack.beginMacro(f"confirm {len(items)} proposals")
        try:
            for i in items:
                if not self.ws._edit(lambda s, i=i: service.accept(s, self.ws.ref, i),
                                     lambda _r, i=i: self._command(i, None)):
                    break
        finally:
            self.ws.undo_stack.endMacro()
        self.ws.say(f"Confirmed {len(items)} proposal{'s' if len(items) != 1 else ''} in this section.")

    def _section_of(self, node) -> str | None:
        title = node.text(0)
        return next((sid for sid, t in self.ws.checklist.sections if t == title), None)
