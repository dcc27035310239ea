"""A PDF or image attachment shown inside the app, from memory only.

The pages are drawn by PDFium straight from the vault (a seekable reader over the encrypted
database; no temp file) or by Pillow from the bytes, into a QImage copied into a pixmap: nothing of
the file touches the disk. `clear()` drops the pixmap, closes the document and the reader; the
material tab calls it on lock.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from triage_app.material import render


def to_qimage(im) -> QImage:
    """An RGB PIL image as a QImage that owns its own pixels."""
    data = im.tobytes("raw", "RGB")
    return QImage(data, im.width, im.height, 3 * im.width, QImage.Format.Format_RGB888).copy()


class Viewer(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.opened = None
        self.doc = None
        self.index = 0
        self.pages = 0
        self.page = QLabel()
        self.page.setObjectName("attachmentPage")
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.area = QScrollArea()
        self.area.setWidget(self.page)
        self.area.setWidgetResizable(True)
        self.caption = QLabel("Choose a PDF or an image and press Open here.")
        self.caption.setObjectName("viewerCaption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.prev = QPushButton("◀ Previous page")
        self.prev.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.prev.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next = QPushButton("Next page ▶")
        self.next.setShortcut(QKeySequence(Qt.Key.Key_PageDown))
        self.next.clicked.connect(lambda: self.show_page(self.index + 1))
        nav = QHBoxLayout()
        nav.addWidget(self.caption, 1)
        nav.addWidget(self.prev)
        nav.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(nav)
        layout.addWidget(self.area, 1)
        self._resize = QTimer(self)
        self._resize.setSingleShot(True)
        self._resize.setInterval(150)
        self._resize.timeout.connect(lambda: self.show_page(self.index))
        self._buttons()

    def show_attachment(self, opened) -> None:
        """Take an `attachments.Opened` (already audited) and draw its first page."""
        self.clear()
        self.opened = opened
        if opened.kind == "pdf":
            self.doc = render.open_pdf(opened.reader)
            self.pages = len(self.doc)
        else:
            self.pages = render.image_frames(opened.data)
        self.show_page(0)

    def show_page(self, index: int) -> None:
        if self.opened is None or not 0 <= index < self.pages:
            return
        self.index = index
        width = max(200, self.area.viewport().width() - 24) * self.devicePixelRatioF()
        if self.opened.kind == "pdf":
            w_pt, _ = self.doc[index].get_size()
            im, _ = render.pdf_page(self.doc, index, dpi=72.0 * width / max(w_pt, 1))
        else:
            im = render.image_frame(self.opened.data, index)
            if im.width > width:
                im = im.resize((int(width), max(1, int(im.height * width / im.width))))
        pixmap = QPixmap.fromImage(to_qimage(im))
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.page.setPixmap(pixmap)
        self.caption.setText(f"Attachment {self.opened.id}: {self.opened.name} — page {index + 1} of {self.pages}")
        self._buttons()

    def _buttons(self) -> None:
        self.prev.setEnabled(self.opened is not None and self.index > 0)
        self.next.setEnabled(self.opened is not None and self.index + 1 < self.pages)

    def showing(self) -> bool:
        return self.opened is not None and not self.page.pixmap().isNull()

    def clear(self) -> None:
        """Forget the attachment: pixmap, document, reader and bytes."""
        self.page.clear()
        if self.doc is not None:
            self.doc.close()
            self.doc = None
        if self.opened is not None:
            self.opened.close()
            self.opened = None
        self.pages = self.index = 0
        self.caption.setText("Choose a PDF or an image and press Open here.")
        self._buttons()

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        if self.opened is not None:
            self._resize.start()
