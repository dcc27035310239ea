"""The case's Material tab: attachments (add by drag and drop or the file dialog, view PDFs and
images inside the app, export with a reason, remove with a reason) and intelligence graded 3x5x2
(record, sanitise). Everything goes through the core (triage_app.material), so each act is one
audited change; nothing of an attachment is written to disk unless the reviewer exports it.

Hooked into the shell by `extras.attach_case` (the tab) and `link_chart` (grading tooltips).
On lock the tab forgets everything it shows: rows, the page on screen, the open document.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from triage_app.errors import TriageError
from triage_app.gui.material_dialogs import AttachDialog, IntelDialog, SanitiseDialog, ask_reason
from triage_app.gui.material_viewer import Viewer
from triage_app.gui.worker import Job
from triage_app.material import attachments, intel
from triage_app.material.intake import WHAT, human_size


def _table(name: str, headers: list[str], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # The free-text column takes the room left and wraps, so nothing needs a sideways scroll.
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def _fill(table: QTableWidget, rows: list[list], tips: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("—" if value in (None, "") else str(value))
            if tips:
                item.setToolTip(tips[r])
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class MaterialTab(QWidget):
    def __init__(self, holder, ref: str, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.ref = ref
        self.files: list[dict] = []
        self.items: list[dict] = []
        self.job: Job | None = None
        self._loaded = False
        self.setAcceptDrops(True)

        self.file_table = _table("attachments", ["No.", "Name", "Description", "Type", "Added", "SHA-256"], 2)
        self.file_table.doubleClicked.connect(lambda _i: self.view_selected())
        add = QPushButton("Add &file…")
        add.setObjectName("addAttachment")
        add.clicked.connect(self.add_dialog)
        self.view_button = QPushButton("&Open here")
        self.view_button.setObjectName("viewAttachment")
        self.view_button.clicked.connect(self.view_selected)
        export = QPushButton("E&xport…")
        export.setObjectName("exportAttachment")
        export.clicked.connect(self.export_selected)
        remove = QPushButton("Era&se…")
        remove.setObjectName("removeAttachment")
        remove.clicked.connect(self.remove_selected)
        drop = QLabel("Drop PDFs, images, text or Office files here to attach them (stored encrypted in the vault). "
                      "PDFs and images open here, page by page (Page Up / Page Down); other files only by an "
                      "audited export.")
        drop.setObjectName("muted")
        drop.setWordWrap(True)
        files_box = QGroupBox("Attachments")
        fl = QVBoxLayout(files_box)
        row = QHBoxLayout()
        for b in (add, self.view_button, export, remove):
            row.addWidget(b)
        row.addStretch(1)
        fl.addLayout(row)
        fl.addWidget(self.file_table, 1)
        fl.addWidget(drop)

        self.intel_table = _table("intelligence", ["No.", "Date", "Grade", "About", "In packs", "Intelligence and source"],
                                  5)
        add_intel = QPushButton("Record &intelligence…")
        add_intel.setObjectName("addIntel")
        add_intel.clicked.connect(self.intel_dialog)
        sanitise = QPushButton("Record sanitisation de&cision…")
        sanitise.setObjectName("sanitiseIntel")
        sanitise.clicked.connect(self.sanitise_selected)
        intel_box = QGroupBox("Intelligence (graded 3x5x2)")
        il = QVBoxLayout(intel_box)
        irow = QHBoxLayout()
        irow.addWidget(add_intel)
        irow.addWidget(sanitise)
        irow.addStretch(1)
        il.addLayout(irow)
        il.addWidget(self.intel_table, 1)

        self.message = QLabel()
        self.message.setObjectName("materialMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.viewer = Viewer()
        self.viewer.setObjectName("attachmentViewer")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(files_box, 3)
        ll.addWidget(intel_box, 2)
        ll.addWidget(self.message)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.viewer)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        holder.locked.connect(self.forget)
        holder.unlocked.connect(lambda _s: self.isVisible() and self.reload())

    # --- loading and forgetting ---------------------------------------------------------------
    def showEvent(self, event):  # noqa: N802
        # Read (and the consultation recorded) when first looked at, not whenever a case opens.
        if not self._loaded:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        s = self.holder.session
        if s is None:
            return
        self._loaded = True
        cid = attachments.case_id(s.conn, self.ref)
        self.files = attachments.rows(s.conn, cid)
        self.items = intel.items(s.conn, cid)
        s.record("read", "material.list", case=self.ref,
                 detail={"attachments": len(self.files), "intel": len(self.items)})
        _fill(self.file_table, [[f["id"], f["name"], f["description"], WHAT[f["kind"]] + (
            f", {f['pages']} p." if f["pages"] else "") + f", {human_size(f['size'])}", f["added_at"][:10],
            f["sha256"][:12] + "…"] for f in self.files],
            [f"Added {f['added_at'][:19]}Z by {f['added_by']}\nSHA-256 {f['sha256']}" for f in self.files])
        _fill(self.intel_table, [[i["id"], i["date"], i["grade"], (f"{i['nominal']['role']} {i['nominal']['name']}"
                                                                   if i["nominal"] else "the case"),
                                  self._pack_words(i), f"{i['text']}\nSource: {i['source']}"] for i in self.items],
              [i["grade_words"] for i in self.items])
        for table in (self.file_table, self.intel_table):
            if table.rowCount() and table.currentRow() < 0:
                table.selectRow(0)     # View, Export… and Remove… act on a row without a click first

    @staticmethod
    def _pack_words(item: dict) -> str:
        if item["handling"] == "P":
            return "yes"
        return "yes, sanitised" if item["sanitisation"] else "no: needs a decision"

    def forget(self) -> None:
        """On lock: nothing of the case stays on screen or in memory here."""
        self.viewer.clear()
        self.files, self.items = [], []
        self.file_table.setRowCount(0)
        self.intel_table.setRowCount(0)
        self.message.clear()
        self._loaded = False

    def _selected(self, table: QTableWidget, rows: list[dict]) -> dict | None:
        r = table.currentRow()
        if not 0 <= r < len(rows):
            self.message.setText("Choose a row first.")
            return None
        return rows[r]

    def _run(self, fn, done) -> bool:
        s = self.holder.session
        if s is None:
            return False
        try:
            result = fn(s)
        except TriageError as e:
            self.message.setText(e.message)
            return False
        self.message.setText(done(result) if callable(done) else done)
        self.reload()
        return True

    # --- attachments ----------------------------------------------------------------------------
    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        self.attach_paths([Path(u.toLocalFile()) for u in event.mimeData().urls()])
        event.acceptProposedAction()

    def add_dialog(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Attach files", "", "Material (*.pdf *.png *.jpg *.jpeg *.gif *.tif *.tiff *.bmp *.webp *.txt *.csv "
                                      "*.doc *.docx *.xls *.xlsx *.ppt *.pptx *.odt *.ods *.odp *.rtf);;All files (*)")
        self.attach_paths([Path(n) for n in names])

    def attach_paths(self, paths: list[Path]) -> None:
        """Ask for a description of each file, then check and store them one by one off the GUI thread."""
        asked = []
        for p in paths:
            answer = AttachDialog(self, p.name).ask()
            if answer is None:
                continue
            asked.append((p, *answer))
        if asked:
            self.store(asked)

    def store(self, asked: list[tuple[Path, str, str]]) -> None:
        if self.job and self.job.running:
            return
        ref = self.ref

        def work(s, progress, cancelled):
            out = []
            for n, (path, name, description) in enumerate(asked):
                if cancelled():   # the app is closing: the files stored so far stay, each whole
                    break
                progress(n, len(asked))
                try:
                    out.append(attachments.add(s, ref, path, description, name=name)["id"])
                except TriageError as e:
                    out.append(e.message)
            return out

        # Exclusive (it changes the vault): a lock asked for meanwhile waits for it (gui/vault_lock.py).
        job = self.holder.run(work, self, exclusive=True)
        if job is None:
            return
        self.job = job
        self.message.setText("Checking and storing…")
        self.job.succeeded.connect(self._stored)
        self.job.failed.connect(self.message.setText)

    def _stored(self, results: list) -> None:
        added = [r for r in results if isinstance(r, int)]
        problems = [r for r in results if isinstance(r, str)]
        words = f"{len(added)} file{'s' if len(added) != 1 else ''} attached."
        self.reload()
        self.message.setText(" ".join([words, *problems]))

    def view_selected(self) -> None:
        row = self._selected(self.file_table, self.files)
        s = self.holder.session
        if row is None or s is None:
            return
        try:
            opened = attachments.view(s, self.ref, row["id"], reason="viewed in the case's material tab")
            self.viewer.show_attachment(opened)
        except TriageError as e:
            self.message.setText(e.message)
        except Exception as e:  # noqa: BLE001 — a reader problem is a sentence, never a crash or its text
            self.viewer.clear()
            self.message.setText(f"The attachment could not be drawn ({type(e).__name__}); export it to read it.")

    def export_selected(self) -> None:
        row = self._selected(self.file_table, self.files)
        if row is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Export the attachment", "", "")
        if not target:
            return
        reason = ask_reason(self, "Export an attachment", "Exporting writes the file outside the vault, "
                                                          "unencrypted: a disclosure in the audit log.")
        if reason is None:
            return
        self._run(lambda s: attachments.export(s, self.ref, row["id"], Path(target), reason),
                  lambda r: f"Attachment {r['id']} exported; its SHA-256 was checked.")

    def remove_selected(self) -> None:
        row = self._selected(self.file_table, self.files)
        if row is None:
            return
        reason = ask_reason(self, "Remove an attachment", f"Attachment {row['id']} will be erased from the vault; "
                                                          "its hash stays in the audit log.")
        if reason is None:
            return
        if self.viewer.opened is not None and self.viewer.opened.id == row["id"]:
            self.viewer.clear()
        self._run(lambda s: attachments.remove(s, self.ref, row["id"], reason),
                  lambda r: f"Attachment {r['id']} erased; its hash is kept.")

    # --- intelligence ---------------------------------------------------------------------------
    def nominals(self) -> list[tuple[int, str]]:
        s = self.holder.session
        if s is None:
            return []
        return [(r[0], f"{r[1]} {' '.join(x for x in (r[2], r[3]) if x) or 'unnamed'}") for r in s.query(
            "SELECT n.id, n.role, n.forenames, n.surname FROM nominals n JOIN cases c ON c.id = n.case_id "
            "WHERE c.ref = ? ORDER BY n.id", (self.ref,))]

    def intel_dialog(self) -> None:
        values = IntelDialog(self, self.nominals()).ask()
        if values is not None:
            self.record_intel(values)

    def record_intel(self, values: dict) -> bool:
        return self._run(lambda s: intel.add(s, self.ref, **values),
                         lambda r: f"Intelligence item {r['id']} recorded, graded {r['grade']}.")

    def sanitise_selected(self) -> None:
        item = self._selected(self.intel_table, self.items)
        if item is None:
            return
        if item["handling"] != "C":
            self.message.setText(f"Intelligence item {item['id']} is handled P; it goes into packs as it is.")
            return
        answer = SanitiseDialog(self, item).ask()
        if answer is None:
            return
        wording, reason = answer
        self._run(lambda s: intel.sanitise(s, self.ref, item["id"], reason=reason, text=wording),
                  lambda r: f"Sanitisation decision recorded: item {r['id']} may go into a pack.")


def annotate_chart(session, items: dict) -> None:
    """Add the grading of intelligence on each case and person of a link chart to its tooltip.
    A person node may stand for several nominals the linker matched (`node["nominals"]`): it shows
    the intelligence on any of them."""
    if session is None:
        return
    members: dict[str, list[str]] = {}
    for key, item in items.items():
        node = getattr(item, "node", None) or {}
        if key.startswith("person:"):
            members[key] = [f"person:{n}" for n in node.get("nominals") or [key.split(":", 1)[1]]]
        elif key.startswith("case:"):
            members[key] = [key]
    cases = [int(k.split(":", 1)[1]) for k in members if k.startswith("case:")]
    people = [int(m.split(":", 1)[1]) for k, ms in members.items() if k.startswith("person:") for m in ms]
    lines = intel.tooltips(session.conn, cases, people)
    for key, ms in members.items():
        found = [line for m in ms for line in lines.get(m, [])]
        if found:
            items[key].setToolTip(items[key].toolTip() + "\n" + "\n".join(found))
