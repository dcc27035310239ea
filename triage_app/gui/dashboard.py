"""The dashboard: where the team's work stands, as labelled bar charts drawn with QPainter (QtCharts
is not in the essentials wheel, and plain bars with the number written on each read in greyscale
and print), and a CSV export (`dashboard.export_csv`, as `triage-app dashboard --csv` makes it).
The numbers come from the Qt-free `triage_app.dashboard`; counting
runs on a worker thread so a big vault never freezes the window.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from triage_app import dashboard
from triage_app.errors import TriageError
from triage_app.gui.worker import Job


class BarChart(QWidget):
    """Horizontal bars, category on the left and the count written at the bar's end."""

    ROW = 26

    def __init__(self, title: str, rows: list[tuple[str, int]], parent=None, top: int | None = None):
        super().__init__(parent)
        self.title = title
        self.rows = rows
        self.top = top     # the dashboard's one scale: the same count draws the same bar on every panel
        self.setObjectName("barChart")
        self.setAccessibleName(title)
        self.setAccessibleDescription("; ".join(f"{c}: {n}" for c, n in rows) or "no data")
        self.setToolTip(self.accessibleDescription())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self):  # noqa: N802
        return QSize(420, 34 + self.ROW * max(1, len(self.rows)) + 8)

    def paintEvent(self, _event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        font = p.font()
        font.setBold(True)
        p.setFont(font)
        p.setPen(text)
        p.drawText(QRectF(0, 0, self.width(), 24), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self.title)
        font.setBold(False)
        p.setFont(font)
        if not self.rows:
            p.drawText(QRectF(0, 30, self.width(), self.ROW), Qt.AlignmentFlag.AlignLeft, "Nothing yet.")
            return
        fm = QFontMetrics(font)
        label_w = min(max(fm.horizontalAdvance(c) for c, _ in self.rows) + 12, self.width() // 2)
        top = max([self.top or 0] + [n for _, n in self.rows]) or 1
        room = self.width() - label_w - fm.horizontalAdvance(str(top)) - 16
        bar = QColor("#3d6fb6")
        for i, (category, n) in enumerate(self.rows):
            y = 32 + i * self.ROW
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w - 8, self.ROW - 6), Qt.AlignmentFlag.AlignRight |
                       Qt.AlignmentFlag.AlignVCenter, fm.elidedText(category, Qt.TextElideMode.ElideRight,
                                                                    label_w - 8))
            w = room * n / top
            p.fillRect(QRectF(label_w, y + 3, w, self.ROW - 12), bar)
            p.drawText(QRectF(label_w + w + 6, y, 80, self.ROW - 6), Qt.AlignmentFlag.AlignLeft |
                       Qt.AlignmentFlag.AlignVCenter, str(n))
        p.end()


class Dashboard(QWidget):
    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.data: dict = {}
        self.job: Job | None = None
        self.title = QLabel("<b>Dashboard</b> — exact counts for the team; the statistics return outside the "
                            "force is suppressed separately.")
        self.title.setWordWrap(True)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.reload)
        self.export_button = QPushButton("E&xport CSV…")
        self.export_button.setObjectName("exportCsv")
        self.export_button.clicked.connect(self.export_dialog)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("dashboardMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.progress)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(28)
        self.grid.setVerticalSpacing(18)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(area, 1)
        layout.addWidget(self.message)
        self.setFocusProxy(self.refresh_button)
        self.reload()

    def reload(self) -> None:
        if self.job and self.job.running:
            return
        job = self.holder.run(lambda s, _p, _c: dashboard.counts(s), self)
        if job is None:
            return
        self.job = job
        self.progress.setVisible(True)
        self.refresh_button.setEnabled(False)
        self.job.succeeded.connect(self.show_counts)
        self.job.failed.connect(self.message.setText)
        self.job.ended.connect(lambda: (self.progress.setVisible(False), self.refresh_button.setEnabled(True)))

    def show_counts(self, data: dict) -> None:
        self.data = data
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w:
                w.setParent(None)   # out of the window now (the counts drawn are only the new ones)
                w.deleteLater()
        # One honest scale for every panel: a count of 1 never draws a full bar beside a count of 900.
        top = max((n for rows in data.values() for _, n in rows if isinstance(n, (int, float))), default=1)
        for i, (title, rows) in enumerate(data.items()):
            self.grid.addWidget(BarChart(title, rows, top=top), i // 2, i % 2)
        self.grid.setRowStretch(len(data) // 2 + 1, 1)

    def export_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export the dashboard", "dashboard.csv", "CSV (*.csv)")
        if name:
            self.export(name)

    def export(self, path) -> bool:
        s = self.holder.session
        if s is None or not self.data:
            return False
        path = Path(path)
        try:
            dashboard.export_csv(s, path)     # the counts as they stand now, file and entry together
        except TriageError as e:
            self.message.setText(e.message)
            return False
        self.message.setText(f"Dashboard exported as {path.name}.")
        return True
