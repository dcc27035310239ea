"""The lines-of-inquiry part of the review workspace: what the answers suggest (Enter raises
one), the lines raised so far with their status, and a form for a line raised by hand.

Laid out in two columns so it works at 1366×768: the raised lines on the left, the new line's form
(with a rationale box that grows) on the right. Raising a line says so, names it, and selects it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget)

from triage_app.gui import review_commands as cmd
from triage_app.gui.review_parts import fill, submit_keys, text_box
from triage_app.gui.tables import read_only_table
from triage_app.review import workflow


class InquiryPart:
    """Mixed into ReviewWorkspace."""

    def _inquiry_part(self) -> QWidget:
        self.suggestion_list = QListWidget()
        self.suggestion_list.setObjectName("suggestions")
        self.suggestion_list.itemActivated.connect(lambda _i: self.raise_suggestion())
        self.raise_suggested = QPushButton("Raise the suggestion (Enter)")
        self.raise_suggested.setObjectName("raiseSuggestion")
        self.raise_suggested.clicked.connect(self.raise_suggestion)
        suggested = QGroupBox("Suggested by your answers")
        sl = QVBoxLayout(suggested)
        sl.setContentsMargins(6, 4, 6, 4)
        sl.addWidget(self.suggestion_list, 1)
        sl.addWidget(self.raise_suggested)

        self.inquiry_table = read_only_table("inquiries", ["#", "Title", "Category", "Priority", "Status", "Owner",
                                                           "Raised from"])
        self.inquiry_table.setTabKeyNavigation(False)
        self.status_choice = QComboBox()
        self.status_choice.setObjectName("inquiryStatus")
        self.status_choice.addItems(workflow.INQUIRY_STATUSES)
        self.status_button = QPushButton("Set stat&us")
        self.status_button.setObjectName("setInquiryStatus")
        self.status_button.clicked.connect(self.set_status)
        status_row = QHBoxLayout()
        status_row.addWidget(QLabel("Selected line:"))
        status_row.addWidget(self.status_choice)
        status_row.addWidget(self.status_button)
        status_row.addStretch(1)
        raised = QGroupBox("Lines of inquiry raised")
        rl = QVBoxLayout(raised)
        rl.setContentsMargins(6, 4, 6, 4)
        rl.addWidget(self.inquiry_table, 1)
        rl.addLayout(status_row)

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
        self.inq_rationale = text_box("inquiryRationale", "Why this line of inquiry (optional)", 16777215)
        self.inq_raise = QPushButton("Raise line of in&quiry (Ctrl+Enter)")
        self.inq_raise.setObjectName("raiseInquiry")
        self.inq_raise.clicked.connect(self.raise_by_hand)
        new = QGroupBox("New line of inquiry (Tab from field to field)")
        f = QFormLayout(new)
        f.setContentsMargins(6, 4, 6, 4)
        f.addRow("Title", self.inq_title)
        pair = QHBoxLayout()
        pair.addWidget(self.inq_category, 1)
        pair.addWidget(QLabel("Priority"))
        pair.addWidget(self.inq_priority)
        f.addRow("Category", pair)
        f.addRow("Owner", self.inq_owner)
        f.addRow("Rationale", self.inq_rationale)
        f.addRow("", self.inq_raise)

        submit_keys(new, self.raise_by_hand)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(suggested, 2)
        ll.addWidget(raised, 3)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(new)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        order = (self.suggestion_list, self.raise_suggested, self.inquiry_table, self.status_choice,
                 self.status_button, self.inq_title, self.inq_category, self.inq_priority, self.inq_owner,
                 self.inq_rationale, self.inq_raise)
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)
        return split

    def _show_inquiries(self, r, editable: bool) -> None:
        self.suggestion_list.clear()
        for s in self.suggested:
            item = QListWidgetItem(f"{s['title']}  ({s['category']}, {s['priority']} priority)\n"
                                   f"    because you answered {self.ANSWER_WORDS[s['answer']]} to "
                                   f"“{self._item_words(s['item'])}”")
            item.setData(Qt.ItemDataRole.UserRole, s["item"])
            self.suggestion_list.addItem(item)
        if self.suggested:
            self.suggestion_list.setCurrentRow(0)
        self.raise_suggested.setEnabled(editable and bool(self.suggested))
        inquiries = (r or {}).get("inquiries", [])
        fill(self.inquiry_table, [[i["number"], i["title"], i["category"], i["priority"], i["status"],
                                   i["owner"] or "", self._item_words(i["from_item"]) if i["from_item"] else "by hand"]
                                  for i in inquiries])

    def _raised(self, number) -> None:
        """Say which line was raised and put the table's cursor on it."""
        for row in range(self.inquiry_table.rowCount()):
            if self.inquiry_table.item(row, 0).text() == str(number):
                self.inquiry_table.setCurrentCell(row, 1)
                self.inquiry_table.scrollToItem(self.inquiry_table.item(row, 1))
                self.say(f"Line of inquiry {number} raised: “{self.inquiry_table.item(row, 1).text()}”. "
                         f"{self.inquiry_table.rowCount()} raised so far.")
                return

    def raise_suggestion(self) -> None:
        item = self.suggestion_list.currentItem()
        if item is None or not self.editable:
            return
        fields = {"from_item": item.data(Qt.ItemDataRole.UserRole)}
        got = {}
        if self._edit(lambda s: got.setdefault("n", workflow.raise_inquiry(s, self.ref, **fields)),
                      lambda number: cmd.raise_inquiry(self.run, self.ref, number, fields)):
            self._raised(got["n"])
            self.suggestion_list.setFocus()

    def raise_by_hand(self) -> None:
        fields = {"title": self.inq_title.text(), "category": self.inq_category.currentText(),
                  "priority": self.inq_priority.currentText(), "owner": self.inq_owner.text() or None,
                  "rationale": self.inq_rationale.toPlainText() or None}
        got = {}
        if self._edit(lambda s: got.setdefault("n", workflow.raise_inquiry(s, self.ref, **fields)),
                      lambda number: cmd.raise_inquiry(self.run, self.ref, number, fields)):
            self.inq_title.clear()
            self.inq_owner.clear()
            self.inq_rationale.clear()
            self._raised(got["n"])
            self.inq_title.setFocus()

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

    def inquiry_draft(self) -> bool:
        return bool(self.inq_title.text().strip() or self.inq_rationale.toPlainText().strip())
