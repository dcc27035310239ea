"""How the queue's cells are painted: from the texts the model works out once per row, each laid out
once (a QStaticText, cut to the column's width with '…') and kept while its text, width and font stay.

A cell painted the standard way asks the model about ten questions through Python (text, alignment,
font, colours, icon, check state…) and lays its text out again on every paint: about two thirds of
what a change of filter, search or sort cost on screen. Painted here, a cell is one lookup and one
draw. The row the cursor is on (its selection colour and focus ring) and any row chosen are still
painted the standard way, so they look exactly as before; the model's `data()` still answers
everything else (tooltips, screen readers, tests).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

_LAID_OUT_MAX = 20_000   # texts kept laid out (a few screens of every width); forgotten all at once past it
_TEXT = QPalette.ColorRole.Text
_RESTYLED = {QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.PaletteChange}


class QueueCells(QStyledItemDelegate):
    def __init__(self, model, view):
        super().__init__(view)
        self.model = model
        self.view = view
        self._laid_out: dict[tuple[str, int], QStaticText] = {}
        self._margin: int | None = None
        # Rows painted the standard way: the one with the cursor and any chosen (single selection:
        # the same row, as a rule). Kept from the view's signals, not read from each cell's option.
        self._special: set[int] = set()
        view.selectionModel().selectionChanged.connect(self._note_selection)
        view.selectionModel().currentRowChanged.connect(self._note_selection)
        model.modelReset.connect(self._note_selection)
        model.modelReset.connect(self._forget_if_empty)
        view.installEventFilter(self)
        self.fast = 0   # cells painted here rather than the standard way (tests)

    def paint(self, painter, option, index):
        row = index.row()
        text = self.model.cell_text(row, index.column())
        if text is None or row in self._special:
            super().paint(painter, option, index)
            return
        margin = self._margin
        if margin is None:
            margin = self._margin = self.view.style().pixelMetric(
                QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1
        rect = option.rect
        width = rect.width() - 2 * margin
        if width <= 0:
            return
        laid = self._laid_out.get((text, width))
        if laid is None:
            laid = self._lay_out(text, width, option)
        # The palette the view hands over is already in the window's colour group (active or not).
        painter.setPen(option.palette.color(_TEXT))
        size = laid.size()
        x = rect.x() + (rect.width() - margin - size.width() if self.model.right_aligned(index.column()) else margin)
        painter.drawStaticText(x, rect.y() + (rect.height() - size.height()) / 2, laid)
        self.fast += 1

    def _note_selection(self, *_args) -> None:
        selection = self.view.selectionModel()
        if selection is None:
            self._special = set()
            return
        self._special = {i.row() for i in selection.selection().indexes()}
        current = selection.currentIndex()
        if current.isValid():
            self._special.add(current.row())

    def _forget_if_empty(self) -> None:
        # The queue emptied (on lock, the model drops every row): the texts go with it.
        if self.model.rowCount() == 0:
            self._laid_out.clear()

    def held(self) -> int:
        """How many texts are kept laid out (tests)."""
        return len(self._laid_out)

    def eventFilter(self, obj, event):  # noqa: N802
        if obj is self.view and event.type() in _RESTYLED:
            self._laid_out.clear()   # laid out in the old font
            self._margin = None
        return False

    def _lay_out(self, text: str, width: int, option) -> QStaticText:
        if len(self._laid_out) >= _LAID_OUT_MAX:
            self._laid_out.clear()
        shown = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        laid = QStaticText(shown)
        laid.setTextFormat(Qt.TextFormat.PlainText)
        laid.prepare(font=option.font)
        self._laid_out[(text, width)] = laid
        return laid
