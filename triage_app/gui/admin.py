"""Administration: users (add, disable, role, reset passphrase) for admins through `triage_app.users`,
and the audit viewer (filters, "Verify chain", CSV export) for those who may read the log.

Passphrase work (Argon2id) and chain verification run on worker threads. The screen shows only the
parts the role may use; the core checks the role again on every call.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from triage_app import audit, audit_log, users
from triage_app.audit_log import filter_entries, to_csv as audit_csv  # noqa: F401  (the viewer's filters and CSV live in the core)
from triage_app.errors import BadInput, TriageError
from triage_app.gui import messages, words
from triage_app.gui.tables import read_only_table
from triage_app.gui.worker import Job
from triage_app.permissions import ROLES

ANYONE = "(anyone)"


def _passphrase_field(name: str, placeholder: str) -> QLineEdit:
    f = QLineEdit()
    f.setObjectName(name)
    f.setEchoMode(QLineEdit.EchoMode.Password)
    f.setPlaceholderText(placeholder)
    return f


def _iso_day(text: str) -> str | None:
    """'02/03/2014' (or ISO '2014-03-02') → '2014-03-02'; None when it is neither."""
    from datetime import datetime
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return None


class UsersPanel(QWidget):
    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.job: Job | None = None
        self.table = read_only_table("users", ["Name", "Role", "State", "Created", "Created by"])
        self.name = QLineEdit()
        self.name.setObjectName("newUserName")
        self.role = QComboBox()
        self.role.setObjectName("newUserRole")
        self.role.addItems(ROLES)
        self.pass1 = _passphrase_field("newPassphrase", "passphrase (long: several words)")
        self.pass2 = _passphrase_field("newPassphrase2", "the same again")
        self.add_button = QPushButton("&Add user")
        self.add_button.setObjectName("addUser")
        self.add_button.clicked.connect(self.add)
        add_box = QGroupBox("New user")
        f = QFormLayout(add_box)
        f.addRow("&Name", self.name)
        f.addRow("R&ole", self.role)
        f.addRow("&Passphrase", self.pass1)
        f.addRow("Con&firm", self.pass2)
        f.addRow("", self.add_button)

        self.set_role = QComboBox()
        self.set_role.setObjectName("setRole")
        self.set_role.addItems(ROLES)
        self.role_button = QPushButton("Change &role")
        self.role_button.setObjectName("changeRole")
        self.role_button.clicked.connect(self.change_role)
        self.disable_button = QPushButton("&Disable user…")
        self.disable_button.setObjectName("disableUser")
        self.disable_button.clicked.connect(self.disable)
        self.reset1 = _passphrase_field("resetPassphrase", "new passphrase")
        self.reset2 = _passphrase_field("resetPassphrase2", "the same again")
        self.reset_button = QPushButton("Re&set passphrase")
        self.reset_button.setObjectName("resetPassphraseButton")
        self.reset_button.clicked.connect(self.reset)
        chosen = QGroupBox("Selected user")
        g = QFormLayout(chosen)
        row = QHBoxLayout()
        row.addWidget(self.set_role)
        row.addWidget(self.role_button)
        g.addRow("Role", row)
        g.addRow("New passphrase", self.reset1)
        g.addRow("Confirm", self.reset2)
        g.addRow("", self.reset_button)
        g.addRow("", self.disable_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("usersMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        forms = QHBoxLayout()
        forms.addWidget(add_box)
        forms.addWidget(chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(forms)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self.table.currentCellChanged.connect(lambda r, *_: self._picked(r))
        self.reload()

    def reload(self) -> None:
        s = self.holder.session
        if s is None:
            return
        self.rows = users.list_users(s)
        self.table.setRowCount(len(self.rows))
        for r, u in enumerate(self.rows):
            for c, v in enumerate((u["name"], u["role"], "disabled" if u["disabled"] else "active",
                                   words.when(u["created_at"]) if u["created_at"] else "", u["created_by"] or "")):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def selected(self) -> str | None:
        r = self.table.currentRow()
        return self.rows[r]["name"] if 0 <= r < len(self.rows) else None

    def _picked(self, r: int) -> None:
        if 0 <= r < len(self.rows):
            self.set_role.setCurrentText(self.rows[r]["role"])

    def _run(self, fn, done: str, clear=()) -> None:
        """Run a users change off the GUI thread (passphrase hashing takes a second or two)."""
        if self.job and self.job.running:
            return
        job = self.holder.run(lambda s, _p, _c: fn(s), self, exclusive=True)
        if job is None:
            return
        self.job = job
        self.progress.setVisible(True)
        # The table is read again before the message says it is done, so what the message says is listed.
        self.job.succeeded.connect(lambda _r: (self.reload(), self.message.setText(done), [w.clear() for w in clear]))
        self.job.failed.connect(lambda sentence: (self.reload(), self.message.setText(sentence)))
        self.job.ended.connect(lambda: self.progress.setVisible(False))

    def _same(self, a: QLineEdit, b: QLineEdit) -> bool:
        if a.text() != b.text():
            self.message.setText("The two passphrases differ; type the same passphrase twice.")
            return False
        return True

    def add(self) -> None:
        if not self._same(self.pass1, self.pass2):
            return
        name, role, passphrase = self.name.text().strip(), self.role.currentText(), self.pass1.text()
        self._run(lambda s: users.add_user(s, name, role, passphrase), f"User {name} added as {role}.",
                  (self.name, self.pass1, self.pass2))

    def change_role(self) -> None:
        name, role = self.selected(), self.set_role.currentText()
        if name:
            self._run(lambda s: users.set_role(s, name, role), f"{name} is now {role}.")

    def reset(self) -> None:
        name = self.selected()
        if name and self._same(self.reset1, self.reset2):
            passphrase = self.reset1.text()
            self._run(lambda s: users.reset_passphrase(s, name, passphrase),
                      f"Passphrase of {name} reset; tell them through a separate channel.", (self.reset1, self.reset2))

    def disable(self) -> None:
        name = self.selected()
        if not name:
            return
        if messages.ask(self, "Disable user", f"Disable {name}? Their key slot is removed; the name stays in the "
                        "audit log.", yes="&Disable", no="&Cancel", holder=self.holder):
            self._run(lambda s: users.disable_user(s, name), f"{name} disabled.")


class AuditPanel(QWidget):
    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.all: list[dict] = []
        self.shown: list[dict] = []
        self.job: Job | None = None
        self.user = QComboBox()
        self.user.setObjectName("auditUser")
        self.user.setMinimumContentsLength(14)
        self.user.addItem(ANYONE)
        self.action = QLineEdit()
        self.action.setObjectName("auditAction")
        self.action.setPlaceholderText("e.g. review. or pack")
        self.case = QLineEdit()
        self.case.setObjectName("auditCase")
        self.case.setPlaceholderText("crime ref, or part of one")
        self.since = QLineEdit()
        self.since.setObjectName("auditSince")
        self.since.setPlaceholderText("dd/mm/yyyy")
        self.until = QLineEdit()
        self.until.setObjectName("auditUntil")
        self.until.setPlaceholderText("dd/mm/yyyy")
        for w in (self.action, self.case, self.since, self.until):
            w.returnPressed.connect(self.apply)
        self.user.activated.connect(lambda _i: self.apply())
        filters = QHBoxLayout()
        for label, w in (("U&ser", self.user), ("&Action", self.action), ("&Case", self.case), ("&From", self.since),
                         ("T&o", self.until)):
            lab = QLabel(label)
            lab.setBuddy(w)
            filters.addWidget(lab)
            filters.addWidget(w)
        load = QPushButton("Loa&d log")
        load.setObjectName("loadAudit")
        load.clicked.connect(self.load)
        self.verify_button = QPushButton("Verif&y chain")
        self.verify_button.setObjectName("verifyChain")
        self.verify_button.clicked.connect(self.verify)
        export = QPushButton("E&xport CSV…")
        export.setObjectName("exportAudit")
        export.clicked.connect(self.export_dialog)
        buttons = QHBoxLayout()
        for b in (load, self.verify_button, export):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.table = read_only_table("auditLog", ["#", "When", "User", "Action", "Kind", "Case", "Detail"])
        self.verdict = QLabel("Press Verify chain to recompute every entry's hash.")
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setObjectName("auditMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(self.message)

    def load(self) -> None:
        s = self.holder.session
        if s is None:
            return
        try:
            s.require("audit_read")
            self.all = audit.entries(s.conn)
            s.record("audit_read", "audit.read", kind="consultation", detail={"entries": len(self.all),
                                                                             "screen": "admin"})
        except TriageError as e:
            self.message.setText(e.message)
            return
        current = self.user.currentText()
        self.user.clear()
        self.user.addItems([ANYONE] + sorted({r["user"] for r in self.all}))
        self.user.setCurrentText(current)
        self.apply()

    def apply(self) -> None:
        bounds = []
        for w in (self.since, self.until):
            v = w.text().strip()
            iso = _iso_day(v)
            if v and iso is None:
                self.message.setText(f"The date '{v[:12]}' is not dd/mm/yyyy; the filter was not applied.")
                return
            bounds.append(iso or "")
        user = "" if self.user.currentText() == ANYONE else self.user.currentText()
        self.shown = filter_entries(self.all, user, self.action.text(), self.case.text(),
                                    bounds[0], bounds[1])
        # Newest first: the viewer is mostly used to see what just happened.
        rows = list(reversed(self.shown))
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            detail = words.detail(e["detail"])
            for c, v in enumerate((e["seq"], words.when(e["at"]), e["user"], e["action"], e["kind"], e["case"] or "",
                                   detail)):
                self.table.setItem(r, c, QTableWidgetItem(str(v)))
        self.message.setText(f"{len(self.shown)} of {len(self.all)} entries shown.")

    def verify(self) -> None:
        if self.job and self.job.running:
            return
        job = self.holder.run(lambda s, _p, _c: s.verify_audit(), self)
        if job is None:
            return
        self.job = job
        self.verify_button.setEnabled(False)
        self.verdict.setText("Verifying…")
        self.job.succeeded.connect(self._verdict)
        self.job.failed.connect(self.verdict.setText)
        self.job.ended.connect(lambda: self.verify_button.setEnabled(True))

    def _verdict(self, v) -> None:
        if v.ok:
            self.verdict.setText(f"✓ The audit log is intact: {v.entries} entries, head {v.head.seq} "
                                 f"{v.head.hash[:16]}….")
        else:
            self.verdict.setText("✗ " + v.problem)

    def export_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export the audit entries shown", "audit.csv", "CSV (*.csv)")
        if name:
            self.export(name)

    def export(self, path) -> bool:
        s = self.holder.session
        if s is None:
            return False
        path = Path(path)
        try:
            if not self.shown:
                raise BadInput("No entries are shown; load the log (and loosen the filters) first.")
            # The core reads the entries the filters show and writes the file with its entry.
            user = "" if self.user.currentText() == ANYONE else self.user.currentText()
            since, until = (_iso_day(w.text().strip()) or "" for w in (self.since, self.until))
            done = audit_log.export_csv(s, path, user=user, action=self.action.text(), case=self.case.text(),
                                        since=since, until=until)
        except TriageError as e:
            self.message.setText(e.message)
            return False
        self.message.setText(f"{done['entries']} entries exported as {path.name}.")
        return True


class AdminView(QWidget):
    """Users for admins, the audit log for admins and supervisors: only the parts the role may use."""

    def __init__(self, holder, parent=None):
        super().__init__(parent)
        s = holder.session
        self.tabs = QTabWidget()
        self.tabs.setObjectName("adminTabs")
        self.users = UsersPanel(holder) if s and s.can("users") else None
        self.audit = AuditPanel(holder) if s and s.can("audit_read") else None
        if self.users:
            self.tabs.addTab(self.users, "&Users")
        if self.audit:
            self.tabs.addTab(self.audit, "Audit &log")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        if not (self.users or self.audit):
            layout.addWidget(QLabel(f"A {s.role if s else 'locked session'} has no administration to do here."))
        layout.addWidget(self.tabs, 1)
        self.setFocusProxy(self.tabs)
