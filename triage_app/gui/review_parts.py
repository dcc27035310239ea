"""Small pieces the review workspace's parts share: a text box that saves on leaving it, a
read-only table filler, and moving the focus into a page when its tab is chosen."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTableWidget, QTableWidgetItem, QTabWidget, QWidget


class FocusOut(QObject):
    """Calls `fn` when the watched field loses focus: the moment typed text is saved."""

    def __init__(self, fn, parent):
        super().__init__(parent)
        self.fn = fn

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            self.fn()
        return False


def text_box(name: str, placeholder: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMaximumHeight(height)
    return box


def submit_keys(form: QWidget, fn) -> None:
    """Ctrl+Enter anywhere in `form` does what its button does."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        sc = QShortcut(QKeySequence(keys), form)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(fn)


def fill(table: QTableWidget, rows: list[list]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


def focus_page_on_change(tabs: QTabWidget, first: dict | None = None) -> None:
    """Choosing a tab (Alt+letter or Ctrl+Tab) puts the focus in its page: on `first[index]` when
    given, else on the page's first focusable widget, so the keyboard user can start typing. A
    caller that sets the focus itself right after changing the tab keeps it."""
    def settle(index: int) -> None:
        page = tabs.widget(index)
        if page is None or tabs.currentIndex() != index or not page.isVisible():
            return
        focus = QApplication.focusWidget()
        target = (first or {}).get(index)
        if target is None or not target.isEnabled() or not target.isVisibleTo(page):
            if focus is not None and (page is focus or page.isAncestorOf(focus)):
                return
            target = _first_focusable(page)
        if target is not None and not (focus is target or target.isAncestorOf(focus)):
            target.setFocus(Qt.FocusReason.TabFocusReason)

    tabs.currentChanged.connect(lambda index: QTimer.singleShot(0, lambda: settle(index)))


def _first_focusable(page: QWidget) -> QWidget | None:
    w = page.nextInFocusChain()
    for _ in range(500):
        if w is None or w is page:
            return None
        if (page.isAncestorOf(w) and w.isEnabled() and w.isVisibleTo(page)
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            return w
        w = w.nextInFocusChain()
    return None
