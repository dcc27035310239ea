"""The chronology tab of a case: the timeline of the case and its linked cluster, with a table beside it.

Drawn from `triage_app.chronology.view` (which writes the consultation entry) when the tab is first
looked at. Lanes per case or per suspect; suggested links from a chosen probability; the table sorts
by any column and filters by kind or text, and the timeline shows only what the table shows.
Selecting in either selects in both; Enter opens the event's case. Dates found in the case's free
text can be confirmed or dismissed, and events added, each one audited change through the core.
On lock everything shown is dropped, and drawn again (a new consultation) when next looked at.
"""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from triage_app import chronology
from triage_app.errors import TriageError
from triage_app.gui.help import SHORTCUTS
from triage_app.gui.timeline_canvas import SHAPE_WORDS, TimelineCanvas

COLUMNS = ("Date", "Case", "Kind", "What happened", "Source", "People", "Link")
SHORTCUTS.update({"timeline": ("← → ↑ ↓ / + − F / Enter",
                               "In the chronology: previous/next event, lane above/below, zoom, fit, open its case")})


def attach(window, view) -> None:
    """Add the chronology tab to a case view (called once per case opened)."""
    view.timeline = TimelineView(window.holder, view.ref)
    view.timeline.open_case.connect(window.open_case)
    view.tabs.addTab(view.timeline, "Chronolog&y")


def _people(e) -> str:
    return "; ".join(f"{p.role}: {p.shown_as}" for p in e.people)


class EventTable(QTableView):
    open_requested = Signal()

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = ""
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def set_kind(self, kind: str) -> None:
        if hasattr(self, "beginFilterChange"):     # Qt 6.9+; invalidateFilter is deprecated there
            self.beginFilterChange()
            self.kind = kind
            self.endFilterChange()
        else:
            self.kind = kind
            self.invalidateFilter()

    def filterAcceptsRow(self, row, parent):  # noqa: N802
        if self.kind:
            item = self.sourceModel().item(row, 2)
            if item is None or item.data(Qt.ItemDataRole.UserRole + 1) != self.kind:
                return False
        return super().filterAcceptsRow(row, parent)


class TimelineView(QWidget):
    open_case = Signal(str)

    def __init__(self, holder, ref: str, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.ref = ref
        self.chron = None
        self._loaded = False

        self.canvas = TimelineCanvas()
        self.canvas.open_case.connect(self.open_case)
        self.canvas.selected.connect(self._canvas_selected)

        self.lanes = QComboBox()
        self.lanes.setObjectName("timelineLanes")
        self.lanes.addItem("Lane per case", "case")
        self.lanes.addItem("Lane per suspect", "suspect")
        self.lanes.currentIndexChanged.connect(lambda _i: self.canvas.set_lanes(self.lanes.currentData()))
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("timelineThreshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(chronology.settings().min_probability)
        self.threshold.setToolTip("Cases joined by a suggested link of at least this match probability are shown "
                                  "(marked suggested); confirmed links always count.")
        self.threshold.editingFinished.connect(self.reload)
        fit = QPushButton("Fit")
        fit.clicked.connect(self.canvas.fit)
        self.add_button = QPushButton("Add event…")
        self.add_button.setObjectName("addEvent")
        self.add_button.clicked.connect(self.add_dialog)
        self.dates_button = QPushButton("Dates in the text…")
        self.dates_button.setObjectName("textDates")
        self.dates_button.clicked.connect(self.dates_dialog)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.table = EventTable()
        self.table.setObjectName("timelineTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._table_selected)
        self.table.open_requested.connect(self._open_from_table)
        self.table.doubleClicked.connect(lambda _i: self._open_from_table())
        self.search = QLineEdit()
        self.search.setObjectName("timelineFilter")
        self.search.setPlaceholderText("Filter the events (any column)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.kind = QComboBox()
        self.kind.setObjectName("timelineKind")
        self.kind.addItem("All kinds", "")
        for k in chronology.KINDS:
            self.kind.addItem(chronology.KIND_WORDS[k], k)
        self.kind.currentIndexChanged.connect(lambda _i: self._filter())

        self.summary = QLabel()
        self.summary.setObjectName("timelineSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        legend = QLabel(SHAPE_WORDS + "   ·   shaded box: burst of offences at one place   ·   hatched: a gap   ·   "
                        "dashed lane: case joined by a suggested link")
        legend.setObjectName("muted")
        legend.setWordWrap(True)

        tools = QHBoxLayout()
        lanes_label = QLabel("Lane&s")
        lanes_label.setBuddy(self.lanes)
        tools.addWidget(lanes_label)
        tools.addWidget(self.lanes)
        p_label = QLabel("S&uggested links from p ≥")
        p_label.setBuddy(self.threshold)
        tools.addWidget(p_label)
        tools.addWidget(self.threshold)
        tools.addWidget(fit)
        tools.addStretch(1)
        tools.addWidget(self.dates_button)
        tools.addWidget(self.add_button)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(tools)
        ll.addWidget(self.canvas, 1)
        ll.addWidget(legend)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.kind, 1)
        rl.addLayout(filters)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.summary)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([820, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.setFocusProxy(self.canvas)
        holder.locked.connect(self.forget)

    # --- loading ----------------------------------------------------------------------------
    def showEvent(self, event):  # noqa: N802
        # Drawn (and the consultation recorded) when first looked at, and again after an unlock.
        if not self._loaded:
            self._loaded = True
            self.reload()
        super().showEvent(event)

    def forget(self) -> None:
        """On lock: drop every event, name and date shown."""
        self.chron = None
        self.canvas.clear()
        self.model.removeRows(0, self.model.rowCount())
        self.summary.clear()
        self._loaded = False

    def reload(self) -> None:
        s = self.holder.session
        if s is None:
            return
        try:
            self.chron = chronology.view(s, self.ref, round(self.threshold.value(), 4), reason="chronology tab")
        except TriageError as e:
            self.summary.setText(e.message)
            return
        self.canvas.set_chronology(self.chron, self.lanes.currentData())
        self._fill_table()
        c = self.chron
        words = [f"{len(c.events)} events across {len(c.members)} cases "
                 f"({sum(1 for m in c.members if m.link == 'confirmed')} confirmed, "
                 f"{sum(1 for m in c.members if m.link == 'suggested')} suggested links)."]
        words += [f"Burst: offences on {len(b.cases)} cases at {b.place}, {b.start} to {b.end}." for b in c.bursts]
        words += [f"Gap: nothing recorded from {g.start} to {g.end} ({g.days} days)." for g in c.gaps]
        self.summary.setText("\n".join(words))
        self.add_button.setEnabled(s.can("review"))
        self.dates_button.setEnabled(s.can("review"))

    def _fill_table(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        prob = {m.ref: m.probability for m in self.chron.members}
        for i, e in enumerate(self.chron.events):
            link = "this case" if e.link is None else f"{e.link} ({prob[e.case]:.2f})"
            cells = [e.date, e.case, chronology.KIND_WORDS.get(e.kind, e.kind), e.text, e.source, _people(e), link]
            items = []
            for text in cells:
                item = QStandardItem(text)
                item.setToolTip(text)
                items.append(item)
            items[0].setData(i, Qt.ItemDataRole.UserRole)
            items[0].setData(f"{e.date} {i:06d}", Qt.ItemDataRole.UserRole + 2)
            items[2].setData(e.kind, Qt.ItemDataRole.UserRole + 1)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 320))
        self._filter()

    # --- filter and selection ---------------------------------------------------------------
    def _filter(self) -> None:
        self.proxy.set_kind(self.kind.currentData() or "")
        self.proxy.setFilterFixedString(self.search.text())
        shown = [self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.proxy.rowCount())]
        self.canvas.set_visible(None if len(shown) == self.model.rowCount() else shown)

    def _row_of(self, index: int) -> int:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) == index:
                return r
        return -1

    def _canvas_selected(self, index: int) -> None:
        row = self._row_of(index)
        if row >= 0:
            self.table.blockSignals(True)
            self.table.selectRow(row)
            self.table.blockSignals(False)
            self.table.scrollTo(self.proxy.index(row, 0))

    def _table_selected(self, current, _previous) -> None:
        if current.isValid():
            index = self.proxy.index(current.row(), 0).data(Qt.ItemDataRole.UserRole)
            if index is not None and index != self.canvas.current:
                self.canvas.select(index, emit=False)

    def _open_from_table(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.open_case.emit(self.proxy.index(index.row(), 1).data())

    # --- a reviewer's events ----------------------------------------------------------------
    def add_dialog(self) -> None:
        dialog = AddEventDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add(dialog.values())

    def add(self, values: dict) -> bool:
        s = self.holder.session
        if s is None:
            return False
        try:
            chronology.add_event(s, self.ref, values["date"], values["text"], values["source"])
        except TriageError as e:
            QMessageBox.warning(self, "Event not added", e.message)
            return False
        self.reload()
        return True

    def dates_dialog(self) -> None:
        s = self.holder.session
        if s is None:
            return
        TextDatesDialog(self, chronology.proposals(s, self.ref)).exec()
        self.reload()

    def decide(self, proposal_id: str, confirm: bool) -> bool:
        s = self.holder.session
        if s is None:
            return False
        try:
            (chronology.confirm if confirm else chronology.dismiss)(s, self.ref, proposal_id)
        except TriageError as e:
            QMessageBox.warning(self, "Date not changed", e.message)
            return False
        return True


class AddEventDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        from triage_app.gui.banner import mark_dialog
        self.setWindowTitle("Add an event to the chronology")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.text = QLineEdit()
        self.text.setPlaceholderText("What happened (one line)")
        self.source = QLineEdit()
        self.source.setPlaceholderText("Where it is recorded (document, statement, system and reference)")
        form = QFormLayout()
        form.addRow("&Date", self.date)
        form.addRow("&What happened", self.text)
        form.addRow("&Source", self.source)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("The event is saved at once and recorded in the audit log; it is never edited later."))
        layout.addWidget(buttons)
        mark_dialog(self)
        parent.holder.locked.connect(self.reject)   # never left on screen over the lock
        self.resize(560, 220)

    def values(self) -> dict:
        return {"date": self.date.date().toString("yyyy-MM-dd"), "text": self.text.text(), "source": self.source.text()}


class TextDatesDialog(QDialog):
    """Dates found in the case's free text: confirm each as an event, or dismiss it."""

    def __init__(self, view: TimelineView, proposals: list[dict]):
        super().__init__(view)
        from triage_app.gui.banner import mark_dialog
        self.view = view
        self.setWindowTitle("Dates in the case's text")
        self.list = QListWidget()
        self.list.setObjectName("textDatesList")
        self.list.setWordWrap(True)
        for p in proposals:
            item = QListWidgetItem(f"{p['date']}   {p['text']}")
            item.setData(Qt.ItemDataRole.UserRole, p["id"])
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        confirm = QPushButton("&Confirm as an event")
        confirm.clicked.connect(lambda: self._decide(True))
        dismiss = QPushButton("D&ismiss")
        dismiss.clicked.connect(lambda: self._decide(False))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(confirm)
        row.addWidget(dismiss)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Each date below was found in the case's summary or NFA rationale. Confirm it to put "
                                "it on the chronology, or dismiss it; either is recorded in the audit log."
                                if proposals else "No dates in the case's text wait to be confirmed."))
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        mark_dialog(self)
        view.holder.locked.connect(self.reject)   # never left on screen over the lock
        self.resize(720, 380)

    def _decide(self, confirm: bool) -> None:
        item = self.list.currentItem()
        if item is not None and self.view.decide(item.data(Qt.ItemDataRole.UserRole), confirm):
            self.list.takeItem(self.list.row(item))
