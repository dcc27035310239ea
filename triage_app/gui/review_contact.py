"""The victim-contact part of the review workspace: the contacts recorded and a form for a new one.

Nothing typed is lost without a word: Tab leaves the date field (it used to walk the day, month
and year, so text typed "in the next field" went into the date and vanished); a letter typed into
the date is refused out loud; closing the case with a contact half-written asks first.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QPushButton, QVBoxLayout, QWidget)

from triage_app.gui import review_commands as cmd
from triage_app.gui import words
from triage_app.gui.review_parts import fill, submit_keys, text_box
from triage_app.gui.tables import read_only_table
from triage_app.review import workflow

CONTACT_METHODS = ("phone", "in person", "letter", "email", "through an ISVA")


class DateField(QDateEdit):
    """dd/mm/yyyy; Left and Right move between day, month and year, Tab leaves the field."""
    refused = Signal(str)

    def __init__(self, parent=None):
        super().__init__(QDate.currentDate(), parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMaximumDate(QDate.currentDate())

    def focusNextPrevChild(self, forward):  # noqa: N802  (QDateTimeEdit's own steps through sections)
        return QWidget.focusNextPrevChild(self, forward)

    def keyPressEvent(self, event):  # noqa: N802
        text = event.text()
        if text and text.isprintable() and not text.isdigit() and text not in "/ ":
            self.refused.emit("The date takes digits only (dd/mm/yyyy); press Tab to go on to the method.")
            return
        super().keyPressEvent(event)


class ContactPart:
    """Mixed into ReviewWorkspace."""

    def _contact_part(self) -> QWidget:
        self.contact_state = QLabel()
        self.contact_state.setObjectName("contactState")
        self.contact_table = read_only_table("contacts", ["Date", "Method", "Outcome", "Wishes", "Support offered"])
        self.contact_table.setTabKeyNavigation(False)
        self.c_date = DateField()
        self.c_date.setObjectName("contactDate")
        self.c_date.refused.connect(self.say)
        self.c_method = QComboBox()
        self.c_method.setEditable(True)
        self.c_method.setObjectName("contactMethod")
        self.c_method.addItems(CONTACT_METHODS)
        self.c_outcome = text_box("contactOutcome", "What happened (required)")
        self.c_wishes = text_box("contactWishes", "The victim's wishes, in their words where possible")
        self.c_isva = QCheckBox("ISVA offered")
        self.c_isva.setObjectName("supportIsva")
        self.c_ictg = QCheckBox("ICTG offered")
        self.c_ictg.setObjectName("supportIctg")
        support = QHBoxLayout()
        support.addWidget(self.c_isva)
        support.addWidget(self.c_ictg)
        support.addStretch(1)
        self.c_record = QPushButton("Record this contact (Ctrl+Enter)")
        self.c_record.setObjectName("recordContact")
        self.c_record.clicked.connect(self.record_contact)
        new = QGroupBox("Record a contact with the victim (Tab from field to field)")
        f = QFormLayout(new)
        f.addRow("Date (dd/mm/yyyy)", self.c_date)
        f.addRow("Method", self.c_method)
        f.addRow("Outcome", self.c_outcome)
        f.addRow("Wishes", self.c_wishes)
        f.addRow("Support", support)
        f.addRow("", self.c_record)
        submit_keys(new, self.record_contact)
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addWidget(self.contact_state)
        layout.addWidget(self.contact_table, 1)
        layout.addWidget(new)
        order = (self.c_date, self.c_method, self.c_outcome, self.c_wishes, self.c_isva, self.c_ictg, self.c_record,
                 self.contact_table)
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)
        return w

    def _show_contacts(self, r) -> None:
        contacts = (r or {}).get("contacts", [])
        self.contact_state.setText("Victim contacted ({} record{}).".format(len(contacts), "" if len(contacts) == 1
                                                                             else "s")
                                   if contacts else "Not yet contacted.")
        fill(self.contact_table, [[words.day(c["date"]), c["method"], c["outcome"], c["wishes"] or "",
                                   ", ".join(x.upper() for x in c["support_offered"]) or "none"] for c in contacts])

    def record_contact(self) -> None:
        support = [k for k, box in (("isva", self.c_isva), ("ictg", self.c_ictg)) if box.isChecked()]
        fields = {"contact_date": self.c_date.date().toString("yyyy-MM-dd"), "method": self.c_method.currentText(),
                  "outcome": self.c_outcome.toPlainText(), "wishes": self.c_wishes.toPlainText() or None,
                  "support": support}
        if self._edit(lambda s: workflow.record_contact(s, self.ref, **fields),
                      lambda _r: cmd.contact(self.run, self.ref, fields)):
            self.c_outcome.clear()
            self.c_wishes.clear()
            self.c_isva.setChecked(False)
            self.c_ictg.setChecked(False)
            self.say(f"Contact of {words.day(fields['contact_date'])} recorded"
                     + (" with the victim's wishes." if fields["wishes"] else " (no wishes written)."))

    def contact_draft(self) -> bool:
        return bool(self.c_outcome.toPlainText().strip() or self.c_wishes.toPlainText().strip())
