"""The review workspace, a tab of the case view: the checklist by section with answers, notes and
guidance; the lines of inquiry the answers suggest; the inquiries (table + form); the victim
contact record; the recommendation; and Submit, which says what is still missing.

Each edit is one call of the workflow service the command line makes, pushed on a QUndoStack
(Ctrl+Z / Ctrl+Shift+Z). Typed text (a note, the rationale) is saved when its field loses focus
and before a lock, so an idle lock or a crash loses at most the text of a note whose item has no
answer yet (the core keeps notes with answers). The screen adds no rules: the core refuses what
the user may not do; the screen only hides what can't apply.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDateEdit, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from triage_app.errors import TriageError
from triage_app.gui import review_commands as cmd
from triage_app.gui.tables import read_only_table
from triage_app.review import checklist as checklists
from triage_app.review import workflow

ANSWER_WORDS = {"yes": "Yes", "no": "No", "na": "N/A"}
STATE_WORDS = {"in_review": "in review", "submitted": "submitted — waiting for a supervisor",
               "returned": "returned to the author", "approved": "approved"}
RECOMMENDATION_WORDS = {"reopen": "Reopen the investigation", "refer": "Refer (e.g. to the CSE Taskforce)",
                        "confirm-nfa": "Confirm no further action"}
CONTACT_METHODS = ("phone", "in person", "letter", "email", "through an ISVA")


class _FocusOut(QObject):
    """Calls `fn` when the watched field loses focus: the moment typed text is saved."""

    def __init__(self, fn, parent):
        super().__init__(parent)
        self.fn = fn

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            self.fn()
        return False


class _AnswerKeys(QObject):
    """Y, N and A answer the item under the cursor: a checklist is answered without the mouse."""

    KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}

    def __init__(self, workspace):
        super().__init__(workspace)
        self.workspace = workspace

    def eventFilter(self, obj, event):  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and event.key() in self.KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier and self.workspace.editable):
            self.workspace.answer(self.KEYS[event.key()])
            return True
        return False


def _text_box(name: str, placeholder: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMaximumHeight(height)
    return box


def _fill(table: QTableWidget, rows: list[list]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


class ReviewWorkspace(QWidget):
    changed = Signal()          # a change was saved (the case view may refresh what it shows)
    open_pack = Signal(str)     # the user asked for a referral pack of this case

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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
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

    # --- the checklist ----------------------------------------------------------------------
    def _checklist_part(self) -> QWidget:
        self.tree = QTreeWidget()
        self.tree.setObjectName("checklist")
        self.tree.setHeaderLabels(["Item (* must be answered before submitting; keys Y, N, A answer)", "Answer"])
        self.tree.setRootIsDecorated(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.items_by_id: dict[str, QTreeWidgetItem] = {}
        for section_id, title in self.checklist.sections:
            node = QTreeWidgetItem([title, ""])
            node.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = node.font(0)
            font.setBold(True)
            node.setFont(0, font)
            self.tree.addTopLevelItem(node)
            for it in self.checklist.items:
                if it.section == section_id:
                    child = QTreeWidgetItem([("* " if it.mandatory else "") + it.text, "—"])
                    child.setData(0, Qt.ItemDataRole.UserRole, it.id)
                    child.setToolTip(0, it.text + ("\n(* must be answered before submitting)" if it.mandatory else ""))
                    node.addChild(child)
                    self.items_by_id[it.id] = child
        self.tree.expandAll()
        self.tree.currentItemChanged.connect(self._show_item)
        self.tree.installEventFilter(_AnswerKeys(self))

        self.item_text = QLabel("Choose an item on the left (arrow keys).")
        self.item_text.setObjectName("itemText")
        self.item_text.setWordWrap(True)
        self.item_text.setTextFormat(Qt.TextFormat.PlainText)
        self.guidance = QLabel()
        self.guidance.setObjectName("guidance")
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.PlainText)
        guidance_box = QGroupBox("Guidance")
        QVBoxLayout(guidance_box).addWidget(self.guidance)
        self.answer_group = QButtonGroup(self)
        self.answer_group.setExclusive(True)
        answers = QHBoxLayout()
        self.answer_buttons = {}
        for key, label in (("yes", "Yes (Y)"), ("no", "No (N)"), ("na", "N/A (A)")):
            b = QPushButton(label)
            b.setObjectName(f"answer_{key}")
            b.setCheckable(True)
            self.answer_group.addButton(b)
            b.clicked.connect(lambda _c=False, k=key: self.answer(k))
            answers.addWidget(b)
            self.answer_buttons[key] = b
        answers.addStretch(1)
        self.note = _text_box("note", "Note for this item (saved when you leave the field)", 110)
        self.note.installEventFilter(_FocusOut(self.save_note, self))
        self.note_hint = QLabel()
        self.note_hint.setObjectName("muted")

        right = QWidget()
        form = QVBoxLayout(right)
        form.addWidget(self.item_text)
        form.addLayout(answers)
        form.addWidget(QLabel("Note:"))
        form.addWidget(self.note)
        form.addWidget(self.note_hint)
        form.addWidget(guidance_box)
        form.addStretch(1)
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def current_item_id(self) -> str | None:
        node = self.tree.currentItem()
        return node.data(0, Qt.ItemDataRole.UserRole) if node else None

    def _answer_of(self, item_id: str):
        for a in (self.summary or {}).get("answers", []):
            if a["item"] == item_id:
                return (a["answer"], a["note"])
        return None

    def _show_item(self, *_):
        item_id = self.current_item_id()
        self.answer_group.setExclusive(False)
        for b in self.answer_buttons.values():
            b.setChecked(False)
        self.answer_group.setExclusive(True)
        if item_id is None:
            self.item_text.setText("Choose an item on the left (arrow keys).")
            self.guidance.setText("")
            self.note.setPlainText("")
            self._saved_note = None
            return
        it = self.checklist.item(item_id)
        self.item_text.setText(it.text + ("  (must be answered)" if it.mandatory else ""))
        self.guidance.setText(it.guidance)
        current = self._answer_of(item_id)
        for key, b in self.answer_buttons.items():
            # The chosen answer says so in words as well as by its pressed look.
            b.setText(("✓ " if current and current[0] == key else "") + {"yes": "Yes (Y)", "no": "No (N)",
                                                                          "na": "N/A (A)"}[key])
        if current:
            self.answer_buttons[current[0]].setChecked(True)
        self.note.setPlainText((current or (None, ""))[1] or "")
        self._saved_note = (item_id, self.note.toPlainText())
        self.note_hint.setText("" if current else "Choose an answer to save a note with it.")

    # --- lines of inquiry -------------------------------------------------------------------
    def _inquiry_part(self) -> QWidget:
        self.suggestion_list = QListWidget()
        self.suggestion_list.setObjectName("suggestions")
        self.suggestion_list.itemActivated.connect(lambda _i: self.raise_suggestion())
        self.raise_suggested = QPushButton("Raise the suggestion as a line of inquiry (Enter)")
        self.raise_suggested.setObjectName("raiseSuggestion")
        self.raise_suggested.clicked.connect(self.raise_suggestion)
        suggested = QGroupBox("Suggested by your answers")
        sl = QVBoxLayout(suggested)
        sl.addWidget(self.suggestion_list)
        sl.addWidget(self.raise_suggested)

        self.inquiry_table = read_only_table("inquiries", ["#", "Title", "Category", "Priority", "Status", "Owner",
                                                  "Raised from"])
        self.status_choice = QComboBox()
        self.status_choice.setObjectName("inquiryStatus")
        self.status_choice.addItems(workflow.INQUIRY_STATUSES)
        self.status_button = QPushButton("Set stat&us")
        self.status_button.setObjectName("setInquiryStatus")
        self.status_button.clicked.connect(self.set_status)
        status_row = QHBoxLayout()
        status_row.addWidget(QLabel("Selected line of inquiry:"))
        status_row.addWidget(self.status_choice)
        status_row.addWidget(self.status_button)
        status_row.addStretch(1)

        self.inq_title = QLineEdit()
        self.inq_title.setObjectName("inquiryTitle")
        self.inq_category = QComboBox()
        self.inq_category.setEditable(True)
        self.inq_category.setObjectName("inquiryCategory")
        cats = sorted({s.category for it in self.checklist.items for s in it.suggests.values()})
        self.inq_category.addItems(cats)
        self.inq_priority = QComboBox()
        self.inq_priority.setObjectName("inquiryPriority")
        self.inq_priority.addItems(["high", "medium", "low"])
        self.inq_owner = QLineEdit()
        self.inq_owner.setObjectName("inquiryOwner")
        self.inq_rationale = _text_box("inquiryRationale", "Why this line of inquiry (optional)")
        self.inq_raise = QPushButton("Raise line of in&quiry")
        self.inq_raise.setObjectName("raiseInquiry")
        self.inq_raise.clicked.connect(self.raise_by_hand)
        new = QGroupBox("New line of inquiry")
        f = QFormLayout(new)
        f.addRow("&Title", self.inq_title)
        f.addRow("Cate&gory", self.inq_category)
        f.addRow("Priorit&y", self.inq_priority)
        f.addRow("&Owner", self.inq_owner)
        f.addRow("Rationale", self.inq_rationale)
        f.addRow("", self.inq_raise)

        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addWidget(suggested, 1)
        layout.addWidget(self.inquiry_table, 2)
        layout.addLayout(status_row)
        layout.addWidget(new)
        return w

    # --- victim contact ---------------------------------------------------------------------
    def _contact_part(self) -> QWidget:
        self.contact_state = QLabel()
        self.contact_state.setObjectName("contactState")
        self.contact_table = read_only_table("contacts", ["Date", "Method", "Outcome", "Wishes", "Support offered"])
        self.c_date = QDateEdit(QDate.currentDate())
        self.c_date.setObjectName("contactDate")
        self.c_date.setCalendarPopup(True)
        self.c_date.setDisplayFormat("dd/MM/yyyy")
        self.c_date.setMaximumDate(QDate.currentDate())
        self.c_method = QComboBox()
        self.c_method.setEditable(True)
        self.c_method.setObjectName("contactMethod")
        self.c_method.addItems(CONTACT_METHODS)
        self.c_outcome = _text_box("contactOutcome", "What happened (required)")
        self.c_wishes = _text_box("contactWishes", "The victim's wishes, in their words where possible")
        self.c_isva = QCheckBox("ISVA offered")
        self.c_isva.setObjectName("supportIsva")
        self.c_ictg = QCheckBox("ICTG offered")
        self.c_ictg.setObjectName("supportIctg")
        support = QHBoxLayout()
        support.addWidget(self.c_isva)
        support.addWidget(self.c_ictg)
        support.addStretch(1)
        self.c_record = QPushButton("Record &contact")
        self.c_record.setObjectName("recordContact")
        self.c_record.clicked.connect(self.record_contact)
        new = QGroupBox("Record a contact with the victim")
        f = QFormLayout(new)
        f.addRow("Dat&e", self.c_date)
        f.addRow("Me&thod", self.c_method)
        f.addRow("Outcome", self.c_outcome)
        f.addRow("Wishes", self.c_wishes)
        f.addRow("Support", support)
        f.addRow("", self.c_record)
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addWidget(self.contact_state)
        layout.addWidget(self.contact_table, 1)
        layout.addWidget(new)
        return w

    # --- recommendation ---------------------------------------------------------------------
    def _recommendation_part(self) -> QWidget:
        self.rec_choice = QComboBox()
        self.rec_choice.setObjectName("recommendation")
        self.rec_choice.addItem("— choose —", None)
        for key, words in RECOMMENDATION_WORDS.items():
            self.rec_choice.addItem(words, key)
        self.rec_choice.activated.connect(lambda _i: self.save_recommendation())
        self.rec_rationale = _text_box("rationale", "Why: the reasons a supervisor and the pack will read "
                                       "(saved when you leave the field)", 260)
        self.rec_rationale.installEventFilter(_FocusOut(self.save_recommendation, self))
        self.rec_hint = QLabel()
        self.rec_hint.setObjectName("muted")
        w = QWidget()
        f = QFormLayout(w)
        f.addRow("Recomm&endation", self.rec_choice)
        f.addRow("Rationale", self.rec_rationale)
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
            self.returned_box.setText(f"Returned by {d['by']} on {d['date']}: {d['comment']}")
        can_start = self.can_review and (r is None or r["state"] == "approved"
                                         or (r["state"] == "returned" and r["author"] == self.user))
        self.start_button.setVisible(can_start and not self.editable)
        self.start_button.setText("&Start review" if r is None else
                                  "&Start a new version" if r["state"] == "approved" else "&Resume review")
        editable = self.editable
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
        # checklist answers
        answered = {a["item"]: a for a in (r or {}).get("answers", [])}
        for item_id, node in self.items_by_id.items():
            a = answered.get(item_id)
            node.setText(1, (ANSWER_WORDS[a["answer"]] + (" ✎" if a["note"] else "")) if a else
                         "needed" if editable and item_id in missing else "—")
            font = node.font(1)
            font.setBold(bool(a) or item_id in missing)
            node.setFont(1, font)
        self._show_item()
        # suggestions and inquiries
        self.suggestion_list.clear()
        for s in self.suggested:
            item = QListWidgetItem(f"{s['title']}  ({s['category']}, {s['priority']} priority)\n"
                                   f"    because you answered {ANSWER_WORDS[s['answer']]} to "
                                   f"“{self._item_words(s['item'])}”")
            item.setData(Qt.ItemDataRole.UserRole, s["item"])
            self.suggestion_list.addItem(item)
        if self.suggested:
            self.suggestion_list.setCurrentRow(0)
        self.raise_suggested.setEnabled(editable and bool(self.suggested))
        inquiries = (r or {}).get("inquiries", [])
        _fill(self.inquiry_table, [[i["number"], i["title"], i["category"], i["priority"], i["status"],
                                    i["owner"] or "", self._item_words(i["from_item"]) if i["from_item"] else "by hand"]
                                   for i in inquiries])
        contacts = (r or {}).get("contacts", [])
        self.contact_state.setText("Victim contacted ({} record{}).".format(len(contacts), "" if len(contacts) == 1
                                                                             else "s")
                                   if contacts else "Not yet contacted.")
        _fill(self.contact_table, [[c["date"], c["method"], c["outcome"], c["wishes"] or "",
                                    ", ".join(x.upper() for x in c["support_offered"]) or "none"] for c in contacts])
        rec = (r or {}).get("recommendation")
        self.rec_choice.setCurrentIndex(max(0, self.rec_choice.findData(rec)))
        self.rec_rationale.setPlainText((r or {}).get("rationale") or "")
        self._saved_rationale = self.rec_rationale.toPlainText()
        self.rec_hint.setText("" if rec else "Choose a recommendation; the rationale is saved with it.")

    def _missing_words(self, missing: list[str]) -> str:
        if not missing:
            return "Nothing is missing: the review can be submitted."
        items = [m for m in missing if m in self.items_by_id]
        words = [f"{len(items)} checklist item{'s' if len(items) != 1 else ''} marked “needed”"] if items else []
        words += [f"the {m}" for m in missing if m not in self.items_by_id]
        return "Still missing before submitting: " + ", ".join(words) + "."

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
            self.tree.setFocus()
            first = next(iter(self.items_by_id.values()), None)
            if first:
                self.tree.setCurrentItem(first)

    def answer(self, key: str) -> None:
        item_id = self.current_item_id()
        if item_id is None:
            return
        before = self._answer_of(item_id)
        note = self.note.toPlainText().strip() or None
        if before == (key, note):
            return
        after = (key, note)
        self._edit(lambda s: workflow.answer_item(s, self.ref, item_id, key, note),
                   lambda _r: cmd.answer(self.run, self.ref, item_id, before, after))
        self._saved_note = (item_id, self.note.toPlainText())

    def save_note(self) -> None:
        item_id = self.current_item_id()
        if not self.editable or item_id is None or self._saved_note == (item_id, self.note.toPlainText()):
            return
        before = self._answer_of(item_id)
        if before is None:
            return  # a note is kept with its answer; the hint says so
        note = self.note.toPlainText().strip() or None
        if before[1] == note:
            return
        after = (before[0], note)
        self._saved_note = (item_id, self.note.toPlainText())
        self._edit(lambda s: workflow.answer_item(s, self.ref, item_id, after[0], note),
                   lambda _r: cmd.answer(self.run, self.ref, item_id, before, after))

    def raise_suggestion(self) -> None:
        item = self.suggestion_list.currentItem()
        if item is None or not self.editable:
            return
        fields = {"from_item": item.data(Qt.ItemDataRole.UserRole)}
        self._edit(lambda s: workflow.raise_inquiry(s, self.ref, **fields),
                   lambda number: cmd.raise_inquiry(self.run, self.ref, number, fields))

    def raise_by_hand(self) -> None:
        fields = {"title": self.inq_title.text(), "category": self.inq_category.currentText(),
                  "priority": self.inq_priority.currentText(), "owner": self.inq_owner.text() or None,
                  "rationale": self.inq_rationale.toPlainText() or None}
        if self._edit(lambda s: workflow.raise_inquiry(s, self.ref, **fields),
                      lambda number: cmd.raise_inquiry(self.run, self.ref, number, fields)):
            self.inq_title.clear()
            self.inq_owner.clear()
            self.inq_rationale.clear()

    def set_status(self) -> None:
        row = self.inquiry_table.currentRow()
        if row < 0:
            self.say("Choose a line of inquiry in the table first.")
            return
        number = int(self.inquiry_table.item(row, 0).text())
        before, after = self.inquiry_table.item(row, 4).text(), self.status_choice.currentText()
        if before == after:
            return
        self._edit(lambda s: workflow.set_inquiry_status(s, self.ref, number, after),
                   lambda _r: cmd.inquiry_status(self.run, self.ref, number, before, after))

    def record_contact(self) -> None:
        support = [k for k, box in (("isva", self.c_isva), ("ictg", self.c_ictg)) if box.isChecked()]
        fields = {"contact_date": self.c_date.date().toString("yyyy-MM-dd"), "method": self.c_method.currentText(),
                  "outcome": self.c_outcome.toPlainText(), "wishes": self.c_wishes.toPlainText() or None,
                  "support": support}
        if self._edit(lambda s: workflow.record_contact(s, self.ref, **fields),
                      lambda _r: cmd.contact(self.run, self.ref, fields)):
            self.c_outcome.clear()
            self.c_wishes.clear()

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
        sure = QMessageBox.question(self, "Submit for sign-off",
                                    "Submit this review to a supervisor? Nobody can edit it until it is decided.")
        if sure != QMessageBox.StandardButton.Yes:
            return
        if self.run(lambda s: workflow.submit(s, self.ref)):
            self.undo_stack.clear()  # a submitted review is edited by nobody: nothing left to undo
            self.say("Submitted: it now waits in a supervisor's inbox.")
