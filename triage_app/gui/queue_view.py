"""The triage queue screen: filters on top, the table below; keyboard first.

Arrows move, Home/End go to the first/last case in the queue, Enter opens the case, Ctrl+F goes to the search box (Esc there clears it and returns
to the table). The cursor stays on the same case when the queue is re-sorted or refreshed (a
decision moves cases about): Enter never opens a case the reviewer did not choose. Typing in the search box filters after a short pause, so a fast typist costs one
query, not one per letter.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QTableView, QVBoxLayout, QWidget)

from triage_app.gui import queue_query as q
from triage_app.gui.queue_cells import QueueCells
from triage_app.gui.queue_model import REF_ROLE, QueueModel

SEARCH_PAUSE_MS = 150
FOLLOW_PAGES = 2            # pages of ids read a turn while the cursor follows a case down the queue
FOLLOW_MAX_ROWS = 10_000    # how far down it is followed; further, no row is chosen


class QueueTable(QTableView):
    open_requested = Signal(str)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return
        super().keyPressEvent(event)

    def moveCursor(self, action, modifiers):  # noqa: N802
        # Rows are chosen whole, so Home and End go to the first and last case (a table's own Home and
        # End go to the first and last column, which moves nothing a reviewer can see). End goes to
        # the last case of the whole queue: the model reads the last page, not every page above it.
        A = QAbstractItemView.CursorAction
        if action in (A.MoveHome, A.MoveEnd) and self.model() is not None and self.model().rowCount():
            row = 0 if action == A.MoveHome else self.model().to_end()
            return self.model().index(row, max(self.currentIndex().column(), 0))
        return super().moveCursor(action, modifiers)

    def open_current(self) -> None:
        index = self.currentIndex()
        if index.isValid():
            ref = self.model().data(index, REF_ROLE)
            if ref:
                self.open_requested.emit(ref)


class QueueView(QWidget):
    open_case = Signal(str)

    def __init__(self, holder, parent=None):
        super().__init__(parent)
        self.holder = holder
        self.model = QueueModel(holder, self)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search summaries and rationales, or a crime ref (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.status = self._combo("status", "Any status", [(k, q.STATUS_WORDS[k]) for k in q.STATUSES])
        self.eligibility = self._combo("eligibility", "Any eligibility",
                                       [(k, v[0]) for k, v in q.ELIGIBILITY.items()])
        self.band = self._combo("band", "Any priority", [(k, v[0]) for k, v in q.BANDS.items()])
        self.mine = QCheckBox("Assigned to &me")
        self.mine.setObjectName("mine")
        self.count = QLabel()
        self.count.setObjectName("muted")

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._pause.start())
        self.search.returnPressed.connect(self._search_done)
        for combo in (self.status, self.eligibility, self.band):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.mine.toggled.connect(lambda _b: self.apply_filter())

        self.table = QueueTable()
        self.table.setObjectName("queue")
        self.table.setTabKeyNavigation(False)
        self.table.setModel(self.model)
        self.cells = QueueCells(self.model, self.table)
        self.table.setItemDelegate(self.cells)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        # Wide enough for the header and its sort arrow; free-text outcomes show whole in a tooltip.
        for col, width in enumerate((84, 150, 290, 96, 100, 120, 180)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.table.open_current())
        self.table.open_requested.connect(self.open_case)
        self.model.total_changed.connect(self._show_count)
        self._kept: str | None = None
        self._kept_column = 0
        self._following: str | None = None     # the case the cursor is on its way to (see _find_case)
        self._following_column = 0
        self._first_if_lost = False
        self._choosing = False
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(0)
        self._follow.timeout.connect(self._follow_on)
        self.model.modelAboutToBeReset.connect(self._keep_case)
        self.model.modelReset.connect(self._find_case)
        self.table.selectionModel().currentChanged.connect(self._reviewer_moved)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for w in (self.status, self.eligibility, self.band, self.mine):
            bar.addWidget(w)
        bar.addStretch(0)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

    @staticmethod
    def _combo(name: str, anything: str, items) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(anything, None)
        for key, label in items:
            combo.addItem(label, key)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    # --- filtering --------------------------------------------------------------------------
    def current_filter(self) -> q.QueueFilter:
        session = self.holder.session
        return q.QueueFilter(status=self.status.currentData(), eligibility=self.eligibility.currentData(),
                             band=self.band.currentData(), mine=self.mine.isChecked(),
                             user=session.user if session else None, text=self.search.text())

    def apply_filter(self) -> None:
        self._pause.stop()
        self.model.set_filter(self.current_filter(), refresh=False)
        self._select_first()

    def reload(self) -> None:
        # A case that was chosen stays chosen (or nothing is, if it left the view): never another.
        had = self.table.currentIndex().isValid() or self._following is not None
        self.model.set_filter(self.current_filter())
        if not had:
            self._select_first()

    def reset_filters(self) -> None:
        """Another user unlocked: nothing of the last user's search or filters is kept."""
        for w in (self.search, self.status, self.eligibility, self.band, self.mine):
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.status, self.eligibility, self.band):
            combo.setCurrentIndex(0)
        self.mine.setChecked(False)
        for w in (self.search, self.status, self.eligibility, self.band, self.mine):
            w.blockSignals(False)
        self._pause.stop()
        self._kept = None
        self._stop_following()
        self.table.setCurrentIndex(self.model.index(-1, -1))

    def _keep_case(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._kept, self._kept_column = self.model.ref_at(index.row()), index.column()
        elif self._following is not None:      # still on its way to the case: keep following it
            self._kept, self._kept_column = self._following, self._following_column
        else:
            self._kept, self._kept_column = None, 0
        self._stop_following()

    def _find_case(self) -> None:
        """After a reset: the cursor back on the case it was on, wherever that case now sits.

        Among the ids already read it is chosen at once. Further down (a sort that sends it deep),
        the ids are read on a few pages at a time between events (`FOLLOW_PAGES` a turn, up to
        `FOLLOW_MAX_ROWS`), the new order shown meanwhile with no row chosen, so Enter opens
        nothing; the cursor lands on the case when it is reached, unless the reviewer moved first.
        Read in one go, a case 20,000 rows down held the screen ~100 ms at 100,000 cases."""
        ref, self._kept = self._kept, None
        if ref is None:
            return
        row, further = self.model.loaded_row_of(ref)
        if row is not None:
            self._choose(row, self._kept_column)
        elif further:
            self._following, self._following_column, self._first_if_lost = ref, self._kept_column, False
            self._follow.start()

    def _follow_on(self) -> None:
        ref = self._following
        if ref is None:
            return
        if self.model.read_from_top() < FOLLOW_MAX_ROWS and self.model.can_read_on():
            self.model.read_on(FOLLOW_PAGES)
            row, further = self.model.loaded_row_of(ref)
            if row is not None:
                column = self._following_column
                self._stop_following()
                self._choose(row, column)
                return
            if further:
                self._follow.start()
                return
        first = self._first_if_lost
        self._stop_following()     # not within reach: no row chosen (or the first, after a filter)
        if first:
            self._select_first()

    def _stop_following(self) -> None:
        self._follow.stop()
        self._following = None

    def _reviewer_moved(self, current, _previous) -> None:
        if current.isValid() and not self._choosing:
            self._stop_following()   # the reviewer chose a row: the cursor is theirs

    def _choose(self, row: int, column: int = 0) -> None:
        self._choosing = True
        try:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, column), QItemSelectionModel.SelectionFlag.ClearAndSelect |
                QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._choosing = False
        self.table.scrollTo(self.model.index(row, 0))

    def _select_first(self) -> None:
        if self._following is not None:
            self._first_if_lost = True     # the first row only if the case followed is not found
            return
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self._choosing = True
            try:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect |
                    QItemSelectionModel.SelectionFlag.Rows)
            finally:
                self._choosing = False

    def _show_count(self, total: int) -> None:
        if total < 0:
            self.count.setText(f"{self.model.rowCount():,}+ cases, counting…")
        else:
            self.count.setText("1 case" if total == 1 else f"{total:,} cases")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_done(self) -> None:
        if self._pause.isActive():
            self.apply_filter()
        self.table.setFocus()

    def eventFilter(self, obj, event):  # noqa: N802
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.search.clear()
                self.apply_filter()
                self.table.setFocus()
                return True
            if event.key() == Qt.Key.Key_Down:
                self._search_done()
                return True
        return super().eventFilter(obj, event)
