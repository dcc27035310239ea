"""The small forms of the material tab: describe a file to attach, record intelligence with its
3x5x2 grade, record a sanitisation decision, give a reason. Each returns plain values; the tab
calls the core."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout)

from triage_app.gui.banner import mark_dialog
from triage_app.material.intel import HANDLING, INTEL, SOURCE


def _dialog(parent, title: str) -> tuple[QDialog, QFormLayout, QDialogButtonBox]:
    d = QDialog(parent)
    d.setWindowTitle(f"{title} — OFFICIAL-SENSITIVE")
    form = QFormLayout()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(d.accept)
    buttons.rejected.connect(d.reject)
    layout = QVBoxLayout(d)
    layout.addLayout(form)
    layout.addWidget(buttons)
    mark_dialog(d)
    return d, form, buttons


class AttachDialog:
    """'Keep it as' (the file's name, editable: a name may hold a victim's name) and a description."""

    def __init__(self, parent, file_name: str):
        self.dialog, form, _ = _dialog(parent, "Attach a file")
        self.name = QLineEdit(file_name)
        self.name.setObjectName("attachName")
        self.description = QLineEdit()
        self.description.setObjectName("attachDescription")
        self.description.setPlaceholderText("What it is, e.g. 'ABE transcript, 14 Sept 2011' (required)")
        note = QLabel("The file is stored encrypted in the vault and checked before it is kept. Its name "
                      "appears in referral packs (victims' names shortened to initials).")
        note.setWordWrap(True)
        form.addRow("Keep it &as", self.name)
        form.addRow("&Description", self.description)
        form.addRow(note)
        self.dialog.resize(560, 160)

    def ask(self) -> tuple[str, str] | None:
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.name.text(), self.description.text()


class IntelDialog:
    def __init__(self, parent, nominals: list[tuple[int, str]]):
        self.dialog, form, _ = _dialog(parent, "Record intelligence")
        self.text = QPlainTextEdit()
        self.text.setObjectName("intelText")
        self.text.setTabChangesFocus(True)
        self.source = QLineEdit()
        self.source.setObjectName("intelSource")
        self.source.setPlaceholderText("e.g. intelligence report number")
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy")
        self.source_grade = QComboBox()
        self.source_grade.setObjectName("sourceGrade")
        for k, words in SOURCE.items():
            self.source_grade.addItem(f"{k} — {words}", k)
        self.intel_grade = QComboBox()
        self.intel_grade.setObjectName("intelGrade")
        for k, words in INTEL.items():
            self.intel_grade.addItem(f"{k} — {words}", k)
        self.handling = QComboBox()
        self.handling.setObjectName("handling")
        for k, words in HANDLING.items():
            self.handling.addItem(f"{k} — {words}", k)
        self.conditions = QLineEdit()
        self.conditions.setObjectName("conditions")
        self.conditions.setPlaceholderText("Required with handling code C")
        self.handling.currentIndexChanged.connect(self._conditions)
        self.about = QComboBox()
        self.about.setObjectName("intelAbout")
        self.about.addItem("The case", None)
        for nid, words in nominals:
            self.about.addItem(words, nid)
        form.addRow("&Intelligence", self.text)
        form.addRow("&Source", self.source)
        form.addRow("&Date", self.when)
        form.addRow("Source &evaluation", self.source_grade)
        form.addRow("Intelligence &assessment", self.intel_grade)
        form.addRow("&Handling code", self.handling)
        form.addRow("&Conditions", self.conditions)
        form.addRow("A&bout", self.about)
        self._conditions()
        self.dialog.resize(620, 420)

    def _conditions(self) -> None:
        self.conditions.setEnabled(self.handling.currentData() == "C")

    def ask(self) -> dict | None:
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.values()

    def values(self) -> dict:
        return {"text": self.text.toPlainText(), "source": self.source.text(),
                "grade": f"{self.source_grade.currentData()}{self.intel_grade.currentData()}-{self.handling.currentData()}",
                "conditions": self.conditions.text() if self.handling.currentData() == "C" else None,
                "nominal": self.about.currentData(),
                "item_date": self.when.date().toString("yyyy-MM-dd") or date.today().isoformat()}


class SanitiseDialog:
    def __init__(self, parent, item: dict):
        self.dialog, form, _ = _dialog(parent, f"Sanitisation decision — intelligence item {item['id']}")
        grade = QLabel(item["grade_words"])
        grade.setWordWrap(True)
        grade.setTextFormat(Qt.TextFormat.PlainText)
        self.wording = QPlainTextEdit(item["text"])
        self.wording.setObjectName("sanitisedWording")
        self.wording.setTabChangesFocus(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("sanitiseReason")
        self.reason.setPlaceholderText("The basis of the decision (required; kept in the audit log)")
        form.addRow("Grade", grade)
        form.addRow("&Wording a pack may carry", self.wording)
        form.addRow("&Reason", self.reason)
        self.dialog.resize(620, 320)

    def ask(self) -> tuple[str, str] | None:
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.wording.toPlainText(), self.reason.text()


def ask_reason(parent, title: str, prompt: str) -> str | None:
    d, form, _ = _dialog(parent, title)
    reason = QLineEdit()
    reason.setObjectName("reason")
    form.addRow(QLabel(prompt))
    form.addRow("&Reason", reason)
    d.resize(520, 140)
    return reason.text() if d.exec() == QDialog.DialogCode.Accepted else None
