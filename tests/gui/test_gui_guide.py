"""Help → User guide: the pages of docs/ read inside the app, offline, with their pictures and links."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from tests.gui.test_gui_queue import open_queue
from triage_app.gui.guide import GuideWindow, anchor
from triage_app.paths import docs_dir


def _anchors(doc: QTextDocument) -> set[str]:
    names, block = set(), doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            names.update(it.fragment().charFormat().anchorNames())
            it += 1
        block = block.next()
    return names


def test_the_menu_opens_each_page_and_headings_carry_github_anchors(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    guide = w.show_guide("import")
    qtbot.addWidget(guide)
    assert guide.isVisible() and not guide.isModal()
    text = guide.browser.toPlainText()
    assert "Import format" in text and "nominals.csv" in text
    assert {"dates", "cases.csv".replace(".", ""), "re-importing-and-updating"} <= _anchors(guide.browser.document())
    assert anchor("Re-importing and updating") == "re-importing-and-updating"
    # a link to another page of docs/ opens it here; one to the web is only named
    guide.browser.follow(QUrl("CLI.md"))
    assert guide.browser.source().fileName() == "CLI.md"
    assert "Command line reference" in guide.browser.toPlainText()
    assert "-->" not in guide.browser.toPlainText()         # notes for maintainers are not shown
    guide.browser.follow(QUrl("https://toml.io"))
    assert guide.browser.source().fileName() == "CLI.md" and "toml.io" in guide.note.text()
    assert w.show_guide("import") is guide            # one window, brought back


def test_shift_f1_opens_the_guide_even_on_the_unlock_screen(qtbot, queue_vault, make_main):
    w = open_queue(qtbot, make_main, queue_vault)
    w.lock_now()
    qtbot.keyClick(w.unlock.passphrase, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    guide = getattr(w, "guide_window", None)
    assert guide is not None and guide.isVisible()
    qtbot.addWidget(guide)


def test_find_in_the_page(qtbot):
    g = GuideWindow(None, "import")
    qtbot.addWidget(g)
    g.find.setText("Windows-1252")
    g.find_next()
    assert g.browser.textCursor().selectedText() == "Windows-1252" and g.note.text() == ""
    g.find.setText("no such words anywhere")
    g.find_next()
    assert "Not found" in g.note.text()


def test_a_missing_page_is_one_sentence(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr("triage_app.gui.guide.docs_dir", lambda: tmp_path)
    g = GuideWindow(None, "guide")
    qtbot.addWidget(g)
    assert "is not installed" in g.browser.toPlainText()


def test_the_guide_shows_its_pictures(qtbot):
    g = GuideWindow(None, "guide")
    qtbot.addWidget(g)
    doc = g.browser.document()
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (docs_dir() / "USER_GUIDE.md").read_text(encoding="utf-8"))
    assert shown
    for target in shown:
        image = doc.resource(QTextDocument.ResourceType.ImageResource, g.browser.source().resolved(QUrl(target)))
        assert image is not None and not image.isNull() and image.width() <= g.browser.MAX_WIDTH, target


def test_every_picture_a_page_shows_is_in_docs_screenshots():
    for page in ("USER_GUIDE.md", "IMPORT_FORMAT.md", "CLI.md"):
        path = docs_dir() / page
        if not path.exists():
            continue
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", path.read_text(encoding="utf-8")):
            assert target.startswith("screenshots/") and (docs_dir() / target).is_file(), (page, target)
