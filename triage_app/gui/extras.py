"""Where the part-2 screens join the shell: tabs in each case view (the review workspace, the link
chart, the referral pack button) and a Team menu (supervisor inbox, dashboard, administration).

Kept apart from main_window.py so the shell needs two calls: `install(window)` once and
`attach_case(window, view)` for each case opened.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from triage_app.gui.admin import AdminView
from triage_app.gui.dashboard import Dashboard
from triage_app.gui.help import SHORTCUTS
from triage_app.gui.inbox import Inbox
from triage_app.gui.link_chart import LinkChart
from triage_app.gui.review_workspace import ReviewWorkspace

# name: (menu title, shortcut, tab title, who sees it)
SCREENS = {
    "inbox": ("Supervisor &inbox", "Ctrl+Shift+I", "Inbox", lambda s: s.can("decide")),
    "dashboard": ("&Dashboard", "Ctrl+Shift+D", "Dashboard", lambda s: s.can("read")),
    "admin": ("&Administration and audit", "Ctrl+Shift+A", "Administration",
              lambda s: s.can("users") or s.can("audit_read")),
}
# Declared in the shell's one list too, so the help dialog (F1) shows them.
SHORTCUTS.update({
    "open_inbox": ("Ctrl+Shift+I", "Supervisor inbox: reviews waiting for a decision (supervisors)"),
    "open_dashboard": ("Ctrl+Shift+D", "Dashboard: counts and charts"),
    "open_admin": ("Ctrl+Shift+A", "Administration: users (admins), audit log (supervisors, admins)"),
    "answer": ("Y / N / A", "In the review checklist: answer yes, no or n/a"),
    "proposal": ("P / Shift+P", "In the review checklist: confirm the proposed answer of the item / of every "
                                "unanswered item in its section"),
    "record_form": ("Ctrl+Enter", "In a review form (victim contact, new line of inquiry): record it"),
    "undo": ("Ctrl+Z", "Undo the last review edit (saved and audited)"),
    "redo": ("Ctrl+Shift+Z", "Redo a review edit"),
    "chart_zoom": ("+ / − / F", "In the link chart: zoom in, zoom out, fit"),
})


def install(window) -> None:
    menu = window.menus.addMenu("&Team")
    window.team_actions = {}
    for name, (title, keys, _tab, _who) in SCREENS.items():
        action = QAction(title, window)
        action.setObjectName(f"open_{name}")
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False, n=name: open_screen(window, n))
        window.addAction(action)
        menu.addAction(action)
        window.team_actions[name] = action
    window.holder.unlocked.connect(lambda s: _show_for(window, s))
    window.holder.locked.connect(lambda: _show_for(window, None))
    _show_for(window, window.holder.session)


def _show_for(window, session) -> None:
    for name, action in window.team_actions.items():
        ok = bool(session and SCREENS[name][3](session))
        action.setVisible(ok)
        action.setEnabled(ok)


def open_screen(window, name: str):
    """Open (or go to) the screen's tab; returns its widget."""
    session = window.holder.session
    if session is None or not SCREENS[name][3](session):
        return None
    for i in range(1, window.tabs.count()):
        w = window.tabs.widget(i)
        if getattr(w, "screen_name", None) == name:
            window.tabs.setCurrentIndex(i)
            if hasattr(w, "reload"):
                w.reload()
            return w
    if name == "inbox":
        w = Inbox(window.holder)
        w.open_case.connect(window.open_case)
        w.decided.connect(lambda _ref: window.queue.reload())
        w.decided.connect(lambda _ref: window.refresh_notice())
    elif name == "dashboard":
        w = Dashboard(window.holder)
    else:
        w = AdminView(window.holder)
    w.screen_name = name
    index = window.tabs.addTab(w, SCREENS[name][2])
    window.tabs.setCurrentIndex(index)
    w.setFocus()
    return w


def attach_case(window, view) -> None:
    """Add the review workspace and the link chart to a case view."""
    view.review = ReviewWorkspace(window.holder, view.ref)
    view.review.open_pack.connect(lambda ref: open_pack(window, ref))
    view.review.changed.connect(window.queue.reload)
    view.review.changed.connect(lambda: view.refresh_headline(window.holder.session))
    view.tabs.addTab(view.review, "Revie&w")
    view.chart = LinkChart(window.holder, view.ref)
    view.chart.open_case.connect(window.open_case)
    view.tabs.addTab(view.chart, "Lin&k chart")
    from triage_app.gui.timeline import attach as attach_timeline
    attach_timeline(window, view)  # the chronology tab
    from triage_app.gui.material import MaterialTab
    view.material = MaterialTab(window.holder, view.ref)   # attachments and graded intelligence
    view.tabs.addTab(view.material, "Material (&Z)")   # the one letter free on every case tab and review part (B is Submit)


def open_pack(window, ref: str):
    """Open the referral pack dialog (window-modal, not a nested loop: a lock can hide it)."""
    from triage_app.gui.pack_dialog import PackDialog
    dialog = PackDialog(window.holder, ref, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
