"""Keyboard helpers: labels that lead to their field (Alt+letter), and the list of Alt+letter
mnemonics a window offers at the moment, so a test can check that none is used twice."""
from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget

_MNEMONIC = re.compile(r"&([^&\s])")


def buddy(text: str, field: QWidget) -> QLabel:
    """A label whose Alt+letter (the '&' in `text`) puts the focus on `field`."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def mnemonic(text: str) -> str | None:
    m = _MNEMONIC.search((text or "").replace("&&", ""))
    return m.group(1).upper() if m else None


def active_mnemonics(window: QWidget) -> list[tuple[str, str]]:
    """[(letter, what)] for every Alt+letter the window offers now: visible buttons, labels with a
    buddy, group boxes, the tabs of visible tab bars and the menu bar's menus."""
    out: list[tuple[str, str]] = []

    def add(text: str, what: str) -> None:
        key = mnemonic(text)
        if key:
            out.append((key, f"{what} '{text}'"))

    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window) and w is not window:
            continue
        if isinstance(w, QAbstractButton):
            add(w.text(), type(w).__name__)
        elif isinstance(w, QLabel) and w.buddy() is not None:
            add(w.text(), "label")
        elif isinstance(w, QGroupBox):
            add(w.title(), "group")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i):
                    add(w.tabText(i), "tab")
        elif isinstance(w, QMenuBar):
            for a in w.actions():
                if a.isVisible():
                    add(a.text(), "menu")
    return out


def clashes(window: QWidget) -> dict[str, list[str]]:
    """{letter: [what, what…]} for every Alt+letter offered twice or more."""
    seen: dict[str, list[str]] = {}
    for key, what in active_mnemonics(window):
        seen.setdefault(key, []).append(what)
    return {k: v for k, v in seen.items() if len(v) > 1}
