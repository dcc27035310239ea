"""The referral pack dialog: recipient, justification and victim identity level, then the core
issues the pack (one audited disclosure) on a worker thread, and the PDF opens in the system
viewer or goes straight to a printer. The case's pack history is listed under the form.

It shows case data, so it joins the lock (`holder.guard`): hidden on lock, back after the same
user's unlock. It is window-modal but not a nested event loop (`open()`), so a lock can hide it and
bring it back whole.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from triage_app.errors import TriageError
from triage_app.gui import words
from triage_app.gui.banner import mark_dialog
from triage_app.gui.worker import Job
from triage_app.review.summary import approved_review
from triage_app.pack.issue import DEFAULT_JUSTIFICATION, DEFAULT_RECIPIENT, issue_pack, pack_history

IDENTITY_CHOICES = (("initials", "Victim's initials only (recommended)"), ("full", "Victim's full name"))


def default_file(ref: str, folder: Path | None = None) -> Path:
    folder = folder or Path.home()
    return folder / ("referral-pack-" + "".join(c if c.isalnum() else "-" for c in ref) + ".pdf")


class PackDialog(QDialog):
    def __init__(self, holder, ref: str, parent=None, folder: Path | None = None):
        super().__init__(parent)
        self.holder = holder
        self.ref = ref
        self.job: Job | None = None
        self.issued: dict | None = None
        self.setWindowTitle(f"Referral pack — {ref} — OFFICIAL-SENSITIVE")
        self.recipient = QLineEdit(DEFAULT_RECIPIENT)
        self.recipient.setObjectName("recipient")
        self.justification = QLineEdit(DEFAULT_JUSTIFICATION)
        self.justification.setObjectName("justification")
        self.identity = QComboBox()
        self.identity.setObjectName("identity")
        for key, words in IDENTITY_CHOICES:
            self.identity.addItem(words, key)
        self.out = QLineEdit(str(default_file(ref, folder)))
        self.out.setObjectName("packFile")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.open_after = QCheckBox("&Open it in the system viewer when written")
        self.open_after.setObjectName("openAfter")
        self.open_after.setChecked(True)
        self.print_after = QCheckBox("&Print it when written")
        self.print_after.setObjectName("printAfter")
        self.print_after.setVisible(_can_print())
        self.append = QCheckBox("&Append the attached PDFs and images as pages (reproduced as held, not minimised)")
        self.append.setObjectName("appendAttachments")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.message = QLabel("The pack is a disclosure: it is written to the audit log with the recipient and "
                              "justification.")
        self.message.setObjectName("packMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.issue_button = QPushButton("&Write pack")
        self.issue_button.setObjectName("writePack")
        self.issue_button.setDefault(True)
        self.issue_button.clicked.connect(self.issue)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        self.history = QTableWidget(0, 6)
        self.history.setObjectName("packHistory")
        self.history.setHorizontalHeaderLabels(["Version", "Pack id", "Issued", "By", "Identity", "Recipient"])
        self.history.setTabKeyNavigation(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)

        self.source = QLabel()
        self.source.setObjectName("packSource")
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow("From", self.source)
        form.addRow("&Recipient", self.recipient)
        form.addRow("&Justification", self.justification)
        form.addRow("Victim &identity", self.identity)
        file_label = QLabel("&File")
        file_label.setBuddy(self.out)
        form.addRow(file_label, out_row)
        form.addRow("", self.append)
        form.addRow("", self.open_after)
        form.addRow("", self.print_after)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.issue_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Packs issued for this case</b>"))
        layout.addWidget(self.history, 1)
        mark_dialog(self)
        self.resize(760, 520)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        holder.guard(self)
        self.load_history()

    def load_history(self) -> None:
        s = self.holder.session
        if s is None:
            return
        case = s.one("SELECT id FROM cases WHERE ref = ?", (self.ref,))
        approved = approved_review(s.conn, case[0]) if case else None
        if approved is None:
            self.source.setText("No approved review yet: a pack is made only from an approved review.")
        else:
            d = approved.get("decision") or {}
            self.source.setText(f"Review version {approved['version']} by {approved['author']}, approved by "
                                f"{d.get('by', '—')} on {words.day(d.get('date', '—'))}; recommendation: "
                                f"{words.recommendation(approved['recommendation'])}.")
        self.issue_button.setEnabled(approved is not None)
        rows = pack_history(s, self.ref)
        self.history.setRowCount(len(rows))
        for r, p in enumerate(rows):
            for c, key in enumerate(("version", "pack_id", "issued_at", "issued_by", "identity", "recipient")):
                value = words.when(p[key]) if key == "issued_at" else p[key]
                self.history.setItem(r, c, QTableWidgetItem(str(value)))

    def browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save the referral pack", self.out.text(), "PDF (*.pdf)")
        if name:
            self.out.setText(name if name.lower().endswith(".pdf") else name + ".pdf")

    def issue(self) -> None:
        if self.job and self.job.running:
            return
        args = dict(out_path=self.out.text().strip(), identity=self.identity.currentData(),
                    recipient=self.recipient.text(), justification=self.justification.text(),
                    append_attachments=["all"] if self.append.isChecked() else None)
        ref = self.ref
        # Exclusive: no lock while the disclosure is being written (the lock follows it).
        job = self.holder.run(lambda s, _progress, _cancelled: issue_pack(s, ref, **args), self, exclusive=True)
        if job is None:
            return
        self.job = job
        self.issue_button.setEnabled(False)
        self.progress.setVisible(True)
        self.message.setText("Writing the pack…")
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.ended.connect(self._ended)

    def _ended(self) -> None:
        self.progress.setVisible(False)
        self.issue_button.setEnabled(True)

    def _failed(self, sentence: str) -> None:
        self.message.setText(sentence)

    def _done(self, result: dict) -> None:
        self.issued = result
        self.message.setText(f"Pack {result['pack_id']} (version {result['version']}) written to {result['path']}.")
        self.load_history()
        if self.open_after.isChecked() and not QDesktopServices.openUrl(QUrl.fromLocalFile(result["path"])):
            self.message.setText(self.message.text() + " No PDF viewer could be started on this computer: open "
                                 "the file from its folder, or tick 'Print it when written'.")
        if self.print_after.isChecked():
            try:
                print_pdf(result["path"], self)
            except TriageError as e:
                self.message.setText(e.message)


def _can_print() -> bool:
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return True


def print_pdf(path, parent=None) -> bool:
    """Print a written pack through the Qt print dialog; False when the user cancels."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(Path(path).name)
    if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return False
    return paint_pdf(path, printer)


def paint_pdf(path, printer) -> int:
    """Draw each page of the PDF on the printer, rendered at the printer's resolution by PDFium
    (Qt's own PDF module is not in the essentials wheel). Returns the pages printed."""
    import pypdfium2
    from PySide6.QtGui import QImage, QPainter

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except Exception:
        raise TriageError("The pack could not be read back for printing; open it in the viewer and print there.")
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise TriageError("The printer could not be started; nothing was printed.")
        scale = min(printer.resolution(), 300) / 72
        for n in range(len(pdf)):
            if n and not printer.newPage():
                raise TriageError(f"The printer stopped after page {n}.")
            bitmap = pdf[n].render(scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255))
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), size), image)
        return len(pdf)
    finally:
        if painter.isActive():
            painter.end()
        pdf.close()
