"""The review workspace, a tab of the case view: the checklist by section with answers, notes and
guidance (`review_checklist`); the lines of inquiry the answers suggest (`review_inquiries`); the
victim contact record (`review_contact`); the recommendation; and Submit, which says what is still
missing.

Each edit is one call of the workflow service the command line makes, pushed on a QUndoStack
(Ctrl+Z / Ctrl+Shift+Z). Typed text (a note, the rationale) is saved when its field loses focus
and before a lock, so an idle lock or a crash loses at most the text of a note whose item has no
answer yet (the core keeps notes with answers). The screen adds no rules: the core refuses what
the user may not do; the screen only hides what can't apply.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from triage_app.errors import TriageError
from triage_app.gui import messages, review_commands as cmd, words
from triage_app.gui.keys import buddy
from triage_app.gui.review_checklist import ANSWER_WORDS, ChecklistPart
from triage_app.gui.review_contact import CONTACT_METHODS, ContactPart  # noqa: F401
from triage_app.gui.review_inquiries import InquiryPart
from triage_app.gui.review_parts import FocusOut, focus_page_on_change, text_box
from triage_app.review import checklist as checklists
from triage_app.review import workflow

STATE_WORDS = {"in_review": "in review", "submitted": "submitted — waiting for a supervisor",
               "returned": "returned to the author", "approved": "approved"}
RECOMMENDATION_WORDS = {"reopen": "Reopen the investigation", "refer": "Refer (e.g. to the CSE Taskforce)",
                        "confirm-nfa": "Confirm no further action"}


class ReviewWorkspace(ChecklistPart, InquiryPart, ContactPart, QWidget):
    changed = Signal()          # a change was saved (the case view may refresh what it shows)
    open_pack = Signal(str)     # the user asked for a referral pack of this case
    ANSWER_WORDS = ANSWER_WORDS

    def __init__(self, holder, ref: str, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.ref = ref
        self.summary: dict | None = None
        self.user, self.can_review, self.has_approved, self.suggested = None, False, False, []
        self.checklist = checklists.current()
        self.undo_stack = QUndoStack(self)
        self._saved_note: tuple | None = None
        self._saved_rationale: str = ""

        self.headline = QLabel()
        self.headline.setObjectName("reviewHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setVisible(False)
        self.returned_box = QLabel()
        self.returned_box.setObjectName("returnComment")
        self.returned_box.setWordWrap(True)
        self.returned_box.setTextFormat(Qt.TextFormat.PlainText)
        self.returned_box.setFrameShape(QLabel.Shape.StyledPanel)
        self.missing = QLabel()
        self.missing.setObjectName("missingForSubmit")
        self.missing.setWordWrap(True)
        self.missing.setTextFormat(Qt.TextFormat.PlainText)

        self.start_button = QPushButton("&Start review")
        self.start_button.setObjectName("startReview")
        self.start_button.clicked.connect(self.start)
        self.submit_button = QPushButton("Su&bmit for sign-off…")
        self.submit_button.setObjectName("submitReview")
        self.submit_button.clicked.connect(self.submit)
        self.pack_button = QPushButton("Re&ferral pack…")
        self.pack_button.setObjectName("referralPack")
        self.pack_button.setToolTip("Write the referral pack of the approved review")
        self.pack_button.clicked.connect(lambda: self.open_pack.emit(self.ref))
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undo")
        self.undo_button.setToolTip("Undo the last change (Ctrl+Z); the undo is itself saved and audited")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton("Redo")
        self.redo_button.setObjectName("redo")
        self.redo_button.setToolTip("Redo (Ctrl+Shift+Z)")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        for b in (self.undo_button, self.redo_button, self.start_button, self.submit_button, self.pack_button):
            top.addWidget(b)

        self.parts = QTabWidget()
        self.parts.setObjectName("reviewParts")
        self.parts.addTab(self._checklist_part(), "&Checklist")
        self.parts.addTab(self._inquiry_part(), "Lines of &inquiry")
        self.parts.addTab(self._contact_part(), "Victim c&ontact")
        self.parts.addTab(self._recommendation_part(), "Reco&mmendation")
        focus_page_on_change(self.parts, {0: self.tree, 1: self.suggestion_list, 2: self.c_date, 3: self.rec_choice})

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.returned_box)
        layout.addWidget(self.missing)
        layout.addWidget(self.message)
        layout.addWidget(self.parts, 1)
        self.setFocusProxy(self.parts)

        holder.about_to_lock.connect(self.save_drafts)
        self._loaded = False

    def showEvent(self, event):  # noqa: N802
        # Read (an audited consultation) when the reviewer first looks, not whenever a case opens.
        if not self._loaded:
            self._loaded = True
            self.load(consult=True)
        super().showEvent(event)

    # --- recommendation ---------------------------------------------------------------------
    def _recommendation_part(self) -> QWidget:
        self.rec_choice = QComboBox()
        self.rec_choice.setObjectName("recommendation")
        self.rec_choice.addItem("— choose —", None)
        for key, text in RECOMMENDATION_WORDS.items():
            self.rec_choice.addItem(text, key)
        self.rec_choice.activated.connect(lambda _i: self.save_recommendation())
        self.rec_rationale = text_box("rationale", "Why: the reasons a supervisor and the pack will read "
                                      "(saved when you leave the field)", 260)
        self.rec_rationale.installEventFilter(FocusOut(self.save_recommendation, self))
        self.rec_hint = QLabel()
        self.rec_hint.setObjectName("muted")
        w = QWidget()
        f = QFormLayout(w)
        f.addRow(QLabel("Recommendation"), self.rec_choice)
        f.addRow(buddy("Rationale (Tab):", self.rec_rationale), self.rec_rationale)
        f.addRow("", self.rec_hint)
        return w

    # --- loading ----------------------------------------------------------------------------
    def _session(self):
        session = self.holder.session
        if session is None:
            raise TriageError("The vault is locked; unlock it to carry on.")
        return session

    def load(self, consult: bool = False) -> None:
        """Read the latest review. The first read is an audited consultation; later reads follow
        the user's own audited edits."""
        try:
            s = self._session()
            if consult:
                self.summary = workflow.open_review(s, self.ref, view="workspace")
            else:
                case_id = s.one("SELECT id FROM cases WHERE ref = ?", (self.ref,))[0]
                self.summary = workflow.review_summary(s.conn, case_id)
            self.suggested = (workflow.suggestions(s.conn, self.summary["review_id"])
                              if self.summary and self.summary["state"] in ("in_review", "returned") else [])
            self.user, self.can_review = s.user, s.can("review")
            self.has_approved = s.one("SELECT 1 FROM reviews r JOIN cases c ON c.id = r.case_id "
                                      "WHERE c.ref = ? AND r.state = 'approved'", (self.ref,)) is not None
        except TriageError as e:
            self.say(e.message)
            return
        self._show()

    @property
    def editable(self) -> bool:
        r = self.summary
        return bool(r and r["author"] == self.user and r["state"] in ("in_review", "returned"))

    def _show(self) -> None:
        r = self.summary
        if r is None:
            self.headline.setText("No review yet.")
        else:
            self.headline.setText(f"Review version {r['version']} · {STATE_WORDS.get(r['state'], r['state'])} · "
                                  f"by {r['author']} · checklist {r['checklist']['id']} v{r['checklist']['version']}")
        returns = [d for d in (r or {}).get("decisions", []) if d["decision"] == "return"]
        self.returned_box.setVisible(bool(returns) and r["state"] in ("in_review", "returned"))
        if returns:
            d = returns[-1]
            self.returned_box.setText(f"Returned by {d['by']} on {words.day(d['date'])}: {d['comment']}")
        can_start = self.can_review and (r is None or r["state"] == "approved")
        editable = self.editable
        self.start_button.setVisible(can_start)
        self.start_button.setText("&Start review" if r is None else "&Start a new version")
        self.submit_button.setVisible(editable)
        self.pack_button.setVisible(self.can_review and self.has_approved)
        for w in (*self.answer_buttons.values(), self.note, self.raise_suggested, self.suggestion_list,
                  self.status_button, self.status_choice, self.inq_raise, self.inq_title, self.inq_category,
                  self.inq_priority, self.inq_owner, self.inq_rationale, self.c_record, self.c_date, self.c_method,
                  self.c_outcome, self.c_wishes, self.c_isva, self.c_ictg, self.rec_choice, self.rec_rationale):
            w.setEnabled(editable)
        missing = (r or {}).get("missing_for_submit") or []
        self.missing.setVisible(editable)
        self.missing.setText(self._missing_words(missing))
        self._show_checklist(r, editable, missing)
        self._show_inquiries(r, editable)
        self._show_contacts(r)
        rec = (r or {}).get("recommendation")
        self.rec_choice.setCurrentIndex(max(0, self.rec_choice.findData(rec)))
        self.rec_rationale.setPlainText((r or {}).get("rationale") or "")
        self._saved_rationale = self.rec_rationale.toPlainText()
        self.rec_hint.setText("" if rec else "Choose a recommendation; the rationale is saved with it.")

    def _missing_words(self, missing: list[str]) -> str:
        if not missing:
            return "Nothing is missing: the review can be submitted (Alt+B)."
        items = [m for m in missing if m in self.items_by_id]
        parts = [f"{len(items)} checklist item{'s' if len(items) != 1 else ''} marked “needed”"] if items else []
        parts += [f"the {m}" for m in missing if m not in self.items_by_id]
        return "Still missing before submitting: " + ", ".join(parts) + "."

    def _item_words(self, item_id: str) -> str:
        """An item named by its question (cut at a word), never by its id."""
        try:
            text = self.checklist.item(item_id).text
        except TriageError:
            return item_id
        return text if len(text) <= 70 else text[:70].rsplit(" ", 1)[0] + "…"

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def has_draft(self) -> bool:
        """Text typed into a form and not yet saved (a contact or a line of inquiry)."""
        return self.editable and (self.contact_draft() or self.inquiry_draft())

    # --- doing things -----------------------------------------------------------------------
    def run(self, fn) -> bool:
        """Run one service call; show its one sentence if refused. Used by the undo commands too."""
        try:
            fn(self._session())
        except TriageError as e:
            self.say(e.message)
            if self.undo_stack.index() or self.undo_stack.canRedo():
                # An undo the core refuses (the review was submitted meanwhile) leaves nothing to undo.
                QTimer.singleShot(0, self.undo_stack.clear)
            self.load()
            return False
        self.say("")
        self.load()
        self.changed.emit()
        return True

    def _edit(self, fn, make_command) -> bool:
        """Save now through the core; on success, push the command that can undo it."""
        try:
            result = fn(self._session())
        except TriageError as e:
            self.say(e.message)
            self.load()
            return False
        self.say("Saved.")
        self.undo_stack.push(make_command(result))
        self.load()
        self.changed.emit()
        return True

    def start(self) -> None:
        if self.run(lambda s: workflow.start_review(s, self.ref)):
            self.undo_stack.clear()
            self.parts.setCurrentIndex(0)
            self.tree.setFocus()
            first = next(iter(self.items_by_id.values()), None)
            if first:
                self.tree.setCurrentItem(first)
            self.say("Review started: answer with Y, N or A; each answer moves to the next item.")

    def save_recommendation(self) -> None:
        if not self.editable:
            return
        r = self.summary
        choice = self.rec_choice.currentData()
        text = self.rec_rationale.toPlainText().strip()
        before = (r["recommendation"], r["rationale"]) if r["recommendation"] else None
        if choice is None or (before and before == (choice, text)):
            return
        if not text:
            self.rec_hint.setText("Write the rationale; the recommendation is saved with it.")
            return
        self._saved_rationale = self.rec_rationale.toPlainText()
        self._edit(lambda s: workflow.recommend(s, self.ref, choice, text),
                   lambda _r: cmd.recommendation(self.run, self.ref, before, (choice, text)))

    def save_drafts(self) -> None:
        """Before a lock: save what is being typed, as leaving the field would."""
        if self.holder.session is None or not self.editable:
            return
        self.save_note()
        self.save_recommendation()

    def submit(self) -> None:
        self.save_drafts()
        missing = (self.summary or {}).get("missing_for_submit") or []
        if missing:
            self.say(self._missing_words(missing))
            first = next((m for m in missing if m in self.items_by_id), None)
            if first:
                self.parts.setCurrentIndex(0)
                self.tree.setCurrentItem(self.items_by_id[first])
                self.tree.setFocus()
            else:
                self.parts.setCurrentIndex(3)
                self.rec_choice.setFocus()
            return
        r = self.summary
        text = (f"Submit the review of case {self.ref} to a supervisor?\n\nRecommendation: "
                f"{words.recommendation(r['recommendation'])}.\nLines of inquiry: {len(r['inquiries'])}; "
                f"victim contacts recorded: {len(r['contacts'])}.\n\nNobody can edit it until it is decided.")
        if not messages.ask(self, "Submit for sign-off", text, yes="&Submit", no="&Cancel", holder=self.holder):
            return
        if self.run(lambda s: workflow.submit(s, self.ref)):
            self.undo_stack.clear()  # a submitted review is edited by nobody: nothing left to undo
            self.say("Submitted: it now waits in a supervisor's inbox.")
