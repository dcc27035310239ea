"""The import wizard: choose the two files and a profile → preview with every problem listed →
import with progress and Cancel → a summary. The core does the work (`importing.preview` and
`importing.run`); an import is one transaction, so Cancel or a failure leaves the vault unchanged.

The work runs through `holder.run(..., exclusive=True)`: while it uses the vault's connection,
`holder.busy` keeps the rest of the window off it, and a lock (idle or Ctrl+L) waits for it to end.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QStackedWidget,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from triage_app.gui.banner import mark_dialog
from triage_app.gui.worker import Job

FILES, PREVIEW, IMPORTING, DONE = range(4)
PHASE_WORDS = ("Check the files", "Write to the vault", "Link cases", "Score the queue")


class _Steps(QObject):
    """Carries the import's progress (importing.Step) from the worker thread to the window."""
    stepped = Signal(object)
CANONICAL = "Canonical columns (Help → Import file format)"


class ImportWizard(QDialog):
    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.plan = None
        self.result: dict | None = None
        self.imported = False
        self._job: Job | None = None
        self._alive: set[Job] = set()
        self.setWindowTitle("Import cases — triage-app")
        self.resize(860, 560)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._files_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._import_page())
        self.pages.addWidget(self._done_page())

        self.back = QPushButton("< &Back")
        self.next = QPushButton("Chec&k files >")
        self.next.setObjectName("next")
        self.next.setDefault(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("cancel")
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.cancel.clicked.connect(self.cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back, self.next, self.cancel):
            buttons.addWidget(b)

        self.step = QLabel()
        self.step.setObjectName("title")
        layout = QVBoxLayout(self)
        layout.addWidget(self.step)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        mark_dialog(self)
        # Tab goes path → path → profile → the buttons, so the keyboard fills the form in one sweep.
        order = [self.cases_path, self.nominals_path, self.profile, self.next, self.cancel, *self._browse_buttons]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)
        self._show(FILES)

    # --- pages ------------------------------------------------------------------------------
    def _files_page(self) -> QWidget:
        self._browse_buttons: list[QPushButton] = []
        w = QWidget()
        form = QFormLayout(w)
        intro = QLabel("Choose the two exported files: one row per case, and one row per person on a case. "
                       "Nothing is written until the files have been checked and you press Import.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.cases_path = QLineEdit()
        self.cases_path.setObjectName("casesPath")
        self.nominals_path = QLineEdit()
        self.nominals_path.setObjectName("nominalsPath")
        for label, field, what in (("&Cases file", self.cases_path, "cases"),
                                   ("&Nominals file", self.nominals_path, "nominals")):
            row = QHBoxLayout()
            row.addWidget(field, 1)
            browse = QPushButton("Browse…")
            browse.setAutoDefault(False)   # Enter in a path field checks the files, never opens a browser
            browse.clicked.connect(lambda _c=False, f=field, t=what: self._browse(f, t))
            self._browse_buttons.append(browse)
            row.addWidget(browse)
            lab = QLabel(label)
            lab.setBuddy(field)
            form.addRow(lab, row)
        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        self.profile.addItem(CANONICAL, None)
        from triage_app.importing.profile import shipped_profiles
        for p in shipped_profiles():
            self.profile.addItem(p.stem, str(p))
        self.profile.addItem("Another profile file…", "__other__")
        self.profile.activated.connect(self._profile_chosen)
        lab = QLabel("&Profile")
        lab.setBuddy(self.profile)
        form.addRow(lab, self.profile)
        self.files_error = QLabel()
        self.files_error.setObjectName("error")
        self.files_error.setWordWrap(True)
        self.files_error.setVisible(False)
        form.addRow(self.files_error)
        return w

    def _preview_page(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.problems = QTableWidget(0, 4)
        self.problems.setObjectName("problems")
        self.problems.setHorizontalHeaderLabels(["File", "Line", "Column", "Problem"])
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.verticalHeader().setVisible(False)
        self.problems.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.problems, 1)
        return w

    def _import_page(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        self.progress_text = QLabel("Importing…")
        layout.addWidget(self.progress_text)
        # The four phases, each ticked off as it ends, the current one in bold.
        self.phase_labels: list[QLabel] = []
        for i, words in enumerate(PHASE_WORDS):
            lab = QLabel(f"{i + 1}. {words}")
            lab.setObjectName(f"phase{i + 1}")
            self.phase_labels.append(lab)
            layout.addWidget(lab)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        layout.addWidget(self.progress)
        self.progress_counts = QLabel()
        self.progress_counts.setObjectName("progressCounts")
        layout.addWidget(self.progress_counts)
        layout.addStretch(1)
        self._steps = _Steps(self)
        self._steps.stepped.connect(self._stepped)
        return w

    def _done_page(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        return w

    # --- navigation -------------------------------------------------------------------------
    STEPS = ("Step 1 of 3: choose the files", "Step 2 of 3: check what would change",
             "Step 3 of 3: import", "Import finished")

    def _show(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.step.setText(self.STEPS[page])
        self.back.setVisible(page == PREVIEW)
        self.back.setEnabled(page == PREVIEW)
        self.next.setVisible(page in (FILES, PREVIEW))
        self.next.setText("Chec&k files >" if page == FILES else "&Import")
        self.next.setEnabled(page == FILES or bool(self.plan and self.plan.ok))
        self.cancel.setText("Close" if page == DONE else "Cancel")
        if page == FILES:
            self.cases_path.setFocus()
        elif page == PREVIEW:
            (self.next if self.next.isEnabled() else self.problems).setFocus()
        elif page == DONE:
            self.cancel.setFocus()

    def go_back(self) -> None:
        if self.pages.currentIndex() == PREVIEW:
            self._show(FILES)

    def go_next(self) -> None:
        page = self.pages.currentIndex()
        if page == FILES:
            self.check_files()
        elif page == PREVIEW and self.plan is not None and self.plan.ok:
            self.start_import()

    def cancel_or_close(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.progress_text.setText("Cancelling… nothing will be kept.")
            self.cancel.setEnabled(False)
            return
        if self.pages.currentIndex() == DONE:
            self.accept()
        else:
            self.reject()

    def reject(self):  # Esc: never leave a running import behind
        if self._job is not None:
            self.cancel_or_close()
            return
        super().reject()

    # --- work -------------------------------------------------------------------------------
    def _browse(self, field: QLineEdit, what: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"Choose the {what} file", field.text() or str(Path.home()),
                                              "CSV files (*.csv *.txt);;All files (*)")
        if path:
            field.setText(path)

    def _profile_chosen(self, index: int) -> None:
        if self.profile.itemData(index) == "__other__":
            path, _ = QFileDialog.getOpenFileName(self, "Choose an import profile", str(Path.home()),
                                                  "Import profiles (*.toml)")
            if path:
                self.profile.insertItem(index, Path(path).name, path)
                self.profile.setCurrentIndex(index)
            else:
                self.profile.setCurrentIndex(0)

    def _files(self) -> tuple[str, str, str | None] | None:
        cases, nominals = self.cases_path.text().strip(), self.nominals_path.text().strip()
        for text, name in ((cases, "cases"), (nominals, "nominals")):
            if not text:
                return self._files_problem(f"Choose the {name} file.")
            if not Path(text).is_file():
                return self._files_problem(f"There is no {name} file at {text}.")
        return cases, nominals, self.profile.currentData()

    def _files_problem(self, message: str):
        self.files_error.setText(message)
        self.files_error.setVisible(True)
        return None

    def _run(self, work, on_success) -> None:
        job = self.holder.run(work, exclusive=True)
        if job is None:   # locked meanwhile, or other work owns the connection
            self._show(self.pages.currentIndex())
            return
        self._job = job
        self._job.progressed.connect(self._progressed)
        self._job.succeeded.connect(on_success)
        self._job.failed.connect(self._failed)
        job = self._job
        self._alive.add(job)   # held until its thread has ended, even after the answer is shown
        job.ended.connect(lambda: self._alive.discard(job))
        for b in (self.back, self.next):
            b.setEnabled(False)

    def _ended(self) -> None:
        self._job = None
        self.cancel.setEnabled(True)

    def check_files(self) -> None:
        files = self._files()
        if files is None or self._job is not None:
            return
        self.files_error.setVisible(False)
        cases, nominals, profile = files
        from triage_app import importing
        self.next.setText("Checking…")
        self._run(lambda session, progress, cancelled: importing.preview(cases, nominals, profile=profile,
                                                                         session=session),
                  self._previewed)

    def _previewed(self, plan) -> None:
        self.plan = plan
        self._ended()
        self.problems.setRowCount(len(plan.problems) + len(plan.warnings))
        for r, (p, kind) in enumerate([(p, "") for p in plan.problems] + [(w, "warning: ") for w in plan.warnings]):
            for c, value in enumerate((p.get("file"), p.get("line"), p.get("column"), kind + str(p.get("message")))):
                self.problems.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        if plan.ok:
            c = plan.counts
            self.verdict.setText(
                f"The files are ready to import: {c.get('cases_added', 0)} new cases, "
                f"{c.get('cases_updated', 0)} updated, {c.get('cases_unchanged', 0)} unchanged; "
                f"{c.get('nominals_added', 0)} new nominals, {c.get('nominals_updated', 0)} updated."
                + (f" {len(plan.warnings)} warnings are listed below." if plan.warnings else ""))
            self.verdict.setObjectName("verdict")
        else:
            n = plan.problem_count or len(plan.problems)
            self.verdict.setText(f"{n} problem{'s' if n != 1 else ''} must be fixed in the files before they can be "
                                 "imported; nothing has been written.")
            self.verdict.setObjectName("error")
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)
        self._show(PREVIEW)

    def start_import(self) -> None:
        files = self._files()
        if files is None or self._job is not None:
            return
        cases, nominals, profile = files
        from triage_app import importing
        self.progress.setRange(0, 0)
        self.progress_text.setText("Importing… (Cancel stops it in any step and keeps nothing)")
        self.progress_counts.setText("")
        self._show_phase(0, done=False)
        self._show(IMPORTING)
        self._run(lambda session, progress, cancelled: importing.run(session, cases, nominals, profile=profile,
                                                                     progress=progress, cancel=cancelled,
                                                                     steps=self._steps.stepped.emit),
                  self._imported)

    def _progressed(self, done: int, total: int) -> None:
        pass    # the import's steps carry more (phase, counts, time left): _stepped draws them

    def _stepped(self, step) -> None:
        """One report from the import: its phase ticked in the list, the phase's own bar and counts."""
        if self._job is None:
            return
        self._show_phase(step.number, done=step.ended)
        self.progress.setRange(0, max(step.total, 1))
        self.progress.setValue(min(step.done, step.total) if step.total else int(step.ended))
        from triage_app.importing.progress import time_left
        counts = f"{step.done:,} of {step.total:,} {step.unit}" if step.total else ""
        self.progress_counts.setText(" · ".join(x for x in (counts, time_left(step.left)) if x))

    def _show_phase(self, number: int, done: bool) -> None:
        for i, lab in enumerate(self.phase_labels, 1):
            finished = i < number or (i == number and done)
            mark = "✓" if finished else ("▸" if i == number else " ")
            lab.setText(f"{mark} {i}. {PHASE_WORDS[i - 1]}")
            font = lab.font()
            font.setBold(i == number and not done)
            lab.setFont(font)

    def _imported(self, result: dict) -> None:
        self.result = result
        self.imported = True
        self._ended()
        self.summary.setText(
            "Import finished.\n\n"
            f"Cases: {result.get('cases_added', 0)} added, {result.get('cases_updated', 0)} updated, "
            f"{result.get('cases_unchanged', 0)} unchanged.\n"
            f"Nominals: {result.get('nominals_added', 0)} added, {result.get('nominals_updated', 0)} updated, "
            f"{result.get('nominals_unchanged', 0)} unchanged.\n"
            f"Warnings: {len(result.get('warnings') or [])}.\n\n"
            "The import is recorded in the audit log; the queue now shows the new priorities.")
        self._show(DONE)

    def _failed(self, message: str) -> None:
        page = self.pages.currentIndex()
        self._ended()
        if page == FILES:
            self._files_problem(message)
            self._show(FILES)
        else:
            self.summary.setText(message)
            self._show(DONE)
