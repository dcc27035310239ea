"""The checklist part of the review workspace: items by section, answered with Y, N and A.

Down and Up move between items only (the section headings are skipped), and answering an item
moves on to the next one, so a checklist is answered at one key per item.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from triage_app.gui import review_commands as cmd
from triage_app.gui.keys import buddy
from triage_app.gui.proposals_panel import ProposalsPanel
from triage_app.gui.review_parts import FocusOut, text_box
from triage_app.review import workflow

ANSWER_WORDS = {"yes": "Yes", "no": "No", "na": "N/A"}
BUTTON_WORDS = {"yes": "Yes (Y)", "no": "No (N)", "na": "N/A (A)"}


class AnswerKeys(QObject):
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


class ChecklistTree(QTreeWidget):
    """Arrow keys step over the section headings: the cursor is always on an item to answer."""

    UP = {QAbstractItemView.CursorAction.MoveUp, QAbstractItemView.CursorAction.MovePrevious,
          QAbstractItemView.CursorAction.MovePageUp, QAbstractItemView.CursorAction.MoveHome}

    def moveCursor(self, action, modifiers):  # noqa: N802
        index = super().moveCursor(action, modifiers)
        node = self.itemFromIndex(index) if index.isValid() else None
        if node is None or node.data(0, Qt.ItemDataRole.UserRole) is not None:
            return index
        items = self.items_in_order()
        top = self.indexOfTopLevelItem(node)
        if action in self.UP:
            before = [it for it in items if self.indexOfTopLevelItem(it.parent()) < top]
            target = before[-1] if before else None
        else:
            after = [it for it in items if self.indexOfTopLevelItem(it.parent()) >= top]
            target = after[0] if after else None
        return self.indexFromItem(target) if target is not None else self.currentIndex()

    def items_in_order(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            out += [top.child(j) for j in range(top.childCount())]
        return out


class ChecklistPart:
    """Mixed into ReviewWorkspace: builds the checklist page and answers items."""

    def _checklist_part(self) -> QWidget:
        self.tree = ChecklistTree()
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
        self.tree.installEventFilter(AnswerKeys(self))

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
        for key, label in BUTTON_WORDS.items():
            b = QPushButton(label)
            b.setObjectName(f"answer_{key}")
            b.setCheckable(True)
            self.answer_group.addButton(b)
            b.clicked.connect(lambda _c=False, k=key: self.answer(k, advance=False))
            answers.addWidget(b)
            self.answer_buttons[key] = b
        answers.addStretch(1)
        self.note = text_box("note", "Note for this item (saved when you leave the field)", 110)
        self.note.installEventFilter(FocusOut(self.save_note, self))
        self.note_hint = QLabel()
        self.note_hint.setObjectName("muted")

        right = QWidget()
        form = QVBoxLayout(right)
        form.addWidget(self.item_text)
        self.proposals = ProposalsPanel(self)   # proposed answers with their evidence (issue 16)
        form.addWidget(self.proposals)
        form.addLayout(answers)
        form.addWidget(buddy("Note (Tab from the list):", self.note))
        form.addWidget(self.note)
        form.addWidget(self.note_hint)
        form.addWidget(guidance_box)
        form.addStretch(1)
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        QWidget.setTabOrder(self.tree, self.note)
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
            b.setText(("✓ " if current and current[0] == key else "") + BUTTON_WORDS[key])
        if current:
            self.answer_buttons[current[0]].setChecked(True)
        self.note.setPlainText((current or (None, ""))[1] or "")
        self._saved_note = (item_id, self.note.toPlainText())
        self.note_hint.setText("" if current else "Choose an answer to save a note with it.")

    def _show_checklist(self, r, editable: bool, missing: list[str]) -> None:
        answered = {a["item"]: a for a in (r or {}).get("answers", [])}
        for item_id, node in self.items_by_id.items():
            a = answered.get(item_id)
            node.setText(1, (ANSWER_WORDS[a["answer"]] + (" ✎" if a["note"] else "")) if a else
                         "needed" if editable and item_id in missing else "—")
            if a and editable and item_id in missing:
                node.setText(1, ANSWER_WORDS[a["answer"]] + " — needs a contact record")
            font = node.font(1)
            font.setBold(bool(a) or item_id in missing)
            node.setFont(1, font)
        self._show_item()
        self.proposals.refresh()

    def next_item(self) -> None:
        """Move the cursor to the item after the current one (the end stays put)."""
        items = self.tree.items_in_order()
        node = self.tree.currentItem()
        if node in items and items.index(node) + 1 < len(items):
            self.tree.setCurrentItem(items[items.index(node) + 1])

    def answer(self, key: str, advance: bool = True) -> None:
        item_id = self.current_item_id()
        if item_id is None:
            return
        before = self._answer_of(item_id)
        note = self.note.toPlainText().strip() or None
        if before == (key, note):
            if advance:
                self.next_item()
            return
        after = (key, note)
        done = self._edit(lambda s: workflow.answer_item(s, self.ref, item_id, key, note),
                          lambda _r: cmd.answer(self.run, self.ref, item_id, before, after))
        self._saved_note = (item_id, self.note.toPlainText())
        if done:
            self.say(f"Answered {ANSWER_WORDS[key]}: “{self._item_words(item_id)}”.")
            if advance:
                self.next_item()

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
