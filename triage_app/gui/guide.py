"""Help → User guide: the Markdown pages of docs/ (USER_GUIDE.md, IMPORT_FORMAT.md, CLI.md) read inside
the app, offline. QTextBrowser renders the Markdown; pictures come from docs/screenshots/ and are
scaled to the window; links between the pages work, links to the web are only named (no network).

The pages ship with the program (packaging/triage-app.spec copies docs/ into the bundle); they hold
no case data, so the window stays open across a lock.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextBrowser, QVBoxLayout)

from triage_app.gui.banner import mark_dialog
from triage_app.paths import docs_dir

PAGES = {"guide": ("USER_GUIDE.md", "User guide"), "import": ("IMPORT_FORMAT.md", "Import format"),
         "cli": ("CLI.md", "Command line")}


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading, so `[x](#the-queue)` links work here and there alike."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


class GuideBrowser(QTextBrowser):
    """A QTextBrowser whose pictures fit the window and whose headings carry GitHub's anchors."""

    MAX_WIDTH = 1000

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("guide")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self.follow)
        self.external = None   # set by the window: shows a web address instead of opening it

    def loadResource(self, kind, url):  # noqa: N802 (Qt's name)
        if kind == QTextDocument.ResourceType.MarkdownResource and url.isLocalFile():
            # Notes for the pages' maintainers (<!-- ... -->) are not for readers; Qt would show them.
            try:
                text = Path(url.toLocalFile()).read_text(encoding="utf-8")
            except OSError:
                return super().loadResource(kind, url)
            return re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)
        if kind == QTextDocument.ResourceType.ImageResource and url.isLocalFile():
            image = QImage(url.toLocalFile())
            if not image.isNull():
                width = min(self.MAX_WIDTH, max(320, self.viewport().width() - 40))
                if image.width() > width:
                    image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
                return image
        return super().loadResource(kind, url)

    def setSource(self, url, kind=QTextDocument.ResourceType.UnknownResource):  # noqa: N802
        super().setSource(url, kind)
        self._name_headings()
        if url.hasFragment():
            self.scrollToAnchor(url.fragment())

    def _name_headings(self) -> None:
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                cursor = QTextCursor(block)
                cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
                fmt = QTextCharFormat()
                fmt.setAnchor(True)
                fmt.setAnchorNames([anchor(block.text())])
                cursor.mergeCharFormat(fmt)
            block = block.next()

    def follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            if self.external:
                self.external(url.toString())
            return
        target = self.source().resolved(url)
        if target.isLocalFile() and target.toLocalFile() == self.source().toLocalFile():
            self.scrollToAnchor(url.fragment())
        elif target.isLocalFile() and target.toLocalFile().endswith(".md"):
            self.setSource(target)
        elif self.external:
            self.external(url.toString())


class GuideWindow(QDialog):
    """Non-modal: the guide can stay open beside the work."""

    def __init__(self, parent=None, page: str = "guide"):
        super().__init__(parent)
        self.setWindowTitle("User guide — triage-app")
        self.setModal(False)
        self.browser = GuideBrowser(self)
        self.browser.external = lambda address: self.note.setText(
            f"{address} is on the web; open it on a machine with internet access.")
        self.find = QLineEdit()
        self.find.setObjectName("guideFind")
        self.find.setPlaceholderText("Find in the page (Enter: next)")
        self.find.returnPressed.connect(self.find_next)
        top = QHBoxLayout()
        self.buttons = {}
        for name, (_file, title) in PAGES.items():
            b = QPushButton(title)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _c=False, n=name: self.show_page(n))
            top.addWidget(b)
            self.buttons[name] = b
        back = QPushButton("< Back")
        back.setAutoDefault(False)
        back.clicked.connect(self.browser.backward)
        top.addWidget(back)
        top.addStretch(1)
        top.addWidget(self.find)
        self.note = QLabel()
        self.note.setObjectName("guideNote")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.note)
        QShortcut(QKeySequence.StandardKey.Find, self, self.find.setFocus)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self, self.browser.backward)
        mark_dialog(self)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1100, screen.width() - 40), min(860, screen.height() - 60))   # title bar on screen
        self.show_page(page)

    def show_page(self, page: str, fragment: str = "") -> bool:
        name, title = PAGES[page]
        path = docs_dir() / name
        if not path.exists():
            self.browser.setPlainText(f"The {title.lower()} ({name}) is not installed with this copy of the program.")
            return False
        url = QUrl.fromLocalFile(str(path))
        if fragment:
            url.setFragment(fragment)
        self.browser.setSource(url)
        self.setWindowTitle(f"{title} — triage-app")
        return True

    def find_next(self) -> None:
        text = self.find.text()
        if text and not self.browser.find(text):
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)   # wrap round once
            if not self.browser.find(text):
                self.note.setText("Not found in this page.")
                return
        self.note.setText("")


def open_guide(window, page: str = "guide") -> GuideWindow:
    """Show (or bring back) the window's one guide, at `page`."""
    guide = getattr(window, "guide_window", None)
    if guide is None:
        guide = window.guide_window = GuideWindow(window, page)
    else:
        guide.show_page(page)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide
