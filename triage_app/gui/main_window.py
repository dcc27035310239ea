"""The main window: the unlock screen or the workspace (queue + case tabs), behind the banners.

Locking (Ctrl+L or idle) first lets editors save (`about_to_lock`), then closes the vault, drops the
rows the queue holds, clears what we put on the clipboard and shows the unlock screen. The case tabs
stay (hidden) for the same user; another user starts with the queue alone.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QLabel, QMainWindow, QMenuBar, QMessageBox, QStackedWidget, QStatusBar, QTabWidget,
                               QVBoxLayout, QWidget)

from triage_app.errors import TriageError
from triage_app.gui import settings as S
from triage_app.gui.backup_notice import BackupNotice
from triage_app.gui.banner import Banner
from triage_app.gui.case_view import CaseView
from triage_app.gui.clipboard import Clipboard
from triage_app.gui.help import SHORTCUTS, HelpDialog
from triage_app.gui.idle import IdleWatcher
from triage_app.gui.queue_view import QueueView
from triage_app.gui.unlock import UnlockPanel
from triage_app.gui import extras, messages
from triage_app.gui.vault_lock import VaultHolder

DEMO_NOTICE = "DEMO — synthetic data. Nothing here is about real people."


class MainWindow(QMainWindow):
    def __init__(self, app, vault_path, settings: S.Settings, *, demo_credentials: dict | None = None,
                 idle_ms: int | None = None):
        super().__init__()
        self.settings = settings
        self.demo = bool(demo_credentials)
        self.holder = VaultHolder(vault_path, self)
        self.clipboard = Clipboard()
        self._last_user: str | None = None
        # The window manager's title bar gets " — triage-app" appended by Qt (the display name).
        self.setWindowTitle("OFFICIAL-SENSITIVE")

        self.unlock = UnlockPanel(vault_path, settings.get(S.LAST_USER), demo_credentials)
        self.unlock.opened.connect(self.holder.adopt)

        self.queue = QueueView(self.holder)
        self.queue.open_case.connect(self.open_case)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("workTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.queue, "Triage queue")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self.close_tab)

        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.setSpacing(0)
        self.demo_notice = QLabel(DEMO_NOTICE)
        self.demo_notice.setObjectName("demoNotice")
        self.demo_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_notice.setVisible(self.demo)
        work_layout.addWidget(self.demo_notice)
        self.notice = QLabel()
        self.notice.setObjectName("unlockNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setVisible(False)
        work_layout.addWidget(self.notice)
        work_layout.addWidget(self.tabs, 1)
        self.workspace = work

        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock)
        self.stack.addWidget(work)
        # The marking is the first and last thing in the window: above the menus, below the status line.
        self.status = QStatusBar()
        self.status.setSizeGripEnabled(False)
        self.who = QLabel()
        self.status.addPermanentWidget(self.who)
        self.backup_notice = BackupNotice(self.holder)
        self.status.addPermanentWidget(self.backup_notice)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.stack, 1)
        central_layout.addWidget(self.status)
        central_layout.addWidget(Banner())
        self.setCentralWidget(central)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(Banner())
        self.menus = QMenuBar()
        top_layout.addWidget(self.menus)
        self.setMenuWidget(top)

        self.actions = self._make_actions()
        extras.install(self)  # Team menu: inbox, dashboard, administration
        self.holder.unlocked.connect(self._on_unlocked)
        self.holder.locked.connect(self._on_locked)

        minutes = settings.get(S.IDLE_LOCK_MINUTES)
        self.idle = IdleWatcher(app, idle_ms if idle_ms is not None else minutes * 60_000, self)
        self.idle.idle.connect(self._on_idle)

        geometry = settings.get(S.WINDOW_GEOMETRY)
        screen = app.primaryScreen().availableGeometry()
        if geometry.isEmpty() or not self.restoreGeometry(geometry) or self.height() > screen.height():
            # Room for the window manager's frame: the bottom marking must be on screen at 1366×768.
            self.resize(min(1440, screen.width()), min(900, screen.height() - 40))
            if screen.height() <= 800:
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        self._show_locked_state()

    # --- actions and menus ------------------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        handlers = {
            "search": self.focus_search, "queue": lambda: self.tabs.setCurrentIndex(0),
            "close_case": lambda: self.close_tab(self.tabs.currentIndex()), "copy_ref": self.copy_ref,
            "refresh": self.queue.reload, "import": self.open_import, "lock": self.lock_now,
            "help": self.show_help, "preferences": self.show_preferences, "quit": self.close,
            "guide": lambda: self.show_guide(),
        }
        titles = {"search": "&Search", "queue": "Triage &queue", "close_case": "&Close case",
                  "copy_ref": "&Copy crime ref", "refresh": "&Refresh", "import": "&Import cases…",
                  "lock": "&Lock now", "help": "&Keyboard shortcuts", "preferences": "&Preferences…", "quit": "&Quit",
                  "guide": "&User guide"}
        actions = {}
        for name, handler in handlers.items():
            action = QAction(titles[name], self)
            action.setObjectName(name)
            action.setShortcut(QKeySequence(SHORTCUTS[name][0]))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut if name in ("lock", "quit", "help", "guide")
                                      else Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(handler)
            self.addAction(action)
            actions[name] = action
        bar = self.menus
        menus = {"&Vault": ("import", "lock", "preferences", "quit"), "&Go": ("search", "queue", "close_case", "refresh"),
                 "&Edit": ("copy_ref",), "&Help": ("guide", "help")}
        for title, names in menus.items():
            menu = bar.addMenu(title)
            for name in names:
                menu.addAction(actions[name])
            if title == "&Help":
                fmt = menu.addAction("&Import file format")
                fmt.setObjectName("guide_import")
                fmt.triggered.connect(lambda: self.show_guide("import"))
                cli = menu.addAction("&Command line")
                cli.setObjectName("guide_cli")
                cli.triggered.connect(lambda: self.show_guide("cli"))
        return actions

    def _work_actions_enabled(self, on: bool) -> None:
        for name in ("search", "queue", "close_case", "copy_ref", "refresh", "import", "lock"):
            self.actions[name].setEnabled(on)
        session = self.holder.session
        self.actions["import"].setVisible(bool(session and session.can("import")))

    # --- lock and unlock --------------------------------------------------------------------
    def _on_unlocked(self, session) -> None:
        if self._last_user is not None and self._last_user != session.user:
            while self.tabs.count() > 1:
                self._drop_tab(1)
            self.queue.reset_filters()   # the next user never inherits the last one's search
        self._last_user = session.user
        self.unlock.user.setText(session.user)   # the lock screen offers the same user back
        self.settings.set(S.LAST_USER, session.user)
        self.settings.set(S.LAST_VAULT, str(session.path))
        self.who.setText(f"{session.user} ({session.role})" + (" — DEMO" if self.demo else ""))
        if session.audit_warning:
            self.status.showMessage(session.audit_warning)
        self.backup_notice.refresh()
        self.refresh_notice()
        self._work_actions_enabled(True)
        self.stack.setCurrentWidget(self.workspace)
        self.queue.reload()
        self.tabs.currentWidget().setFocus()
        self.idle.start()

    def refresh_notice(self) -> None:
        """Reviews returned to the user or waiting for their decision, said above the tabs."""
        from triage_app.gui.notices import at_unlock
        told = at_unlock(self.holder.session) if self.holder.session is not None else ""
        self.notice.setText(told)
        self.notice.setVisible(bool(told))

    def _on_locked(self) -> None:
        self.backup_notice.hide()
        self.queue.model.clear()
        self.clipboard.clear_own()
        self._show_locked_state()

    def _show_locked_state(self) -> None:
        self.idle.stop()
        self.who.setText("Locked")
        self._work_actions_enabled(False)
        self.stack.setCurrentWidget(self.unlock)
        self.unlock.reset()

    def lock_now(self) -> None:
        if not self.holder.lock():   # the holder locks as soon as the work ends
            self.status.showMessage("An import or a pack is being written; the app will lock when it finishes.", 5000)

    def _on_idle(self) -> None:
        self.holder.lock()   # never under running work that changes the vault: then as soon as it ends

    # --- cases ------------------------------------------------------------------------------
    def open_case(self, ref: str) -> None:
        for i in range(1, self.tabs.count()):
            if getattr(self.tabs.widget(i), "ref", None) == ref:
                self.tabs.setCurrentIndex(i)
                return
        session = self.holder.session
        if session is None:
            return
        try:
            view = CaseView(session, ref, self.settings.get(S.CONSULTATION_REASON))
        except TriageError as e:
            messages.tell(self, "Case not opened", e.message)
            return
        view.open_case.connect(self.open_case)
        extras.attach_case(self, view)  # review workspace and link chart tabs
        index = self.tabs.addTab(view, ref)
        self.tabs.setCurrentIndex(index)
        view.setFocus()

    def close_tab(self, index: int) -> None:
        if index <= 0:
            return
        review = getattr(self.tabs.widget(index), "review", None)
        if review is not None and review.has_draft() and not messages.ask(
                self, "Close the case", "A victim contact or a line of inquiry is typed but not yet recorded. "
                "Close the case and lose that text?", yes="&Close and lose it", no="&Keep the case open",
                holder=self.holder):
            return
        self._drop_tab(index)

    def _drop_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        self.tabs.removeTab(index)
        widget.deleteLater()

    def current_ref(self) -> str | None:
        widget = self.tabs.currentWidget()
        if widget is self.queue:
            index = self.queue.table.currentIndex()
            return self.queue.model.ref_at(index.row()) if index.isValid() else None
        return getattr(widget, "ref", None)

    def copy_ref(self) -> None:
        ref = self.current_ref()
        if ref:
            self.clipboard.copy(ref)
            self.status.showMessage("Crime reference copied; it is cleared from the clipboard on lock.", 4000)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.queue.focus_search()

    # --- dialogs ----------------------------------------------------------------------------
    def show_preferences(self) -> None:
        from triage_app.gui.preferences import PreferencesDialog
        if PreferencesDialog(self.settings, self).exec():
            self.idle.set_timeout(self.settings.get(S.IDLE_LOCK_MINUTES) * 60_000)

    def show_help(self) -> None:
        HelpDialog(self).exec()

    def show_guide(self, page: str = "guide"):
        from triage_app.gui.guide import open_guide
        return open_guide(self, page)

    def open_import(self) -> None:
        session = self.holder.session
        if session is None:
            return
        if not session.can("import"):
            messages.tell(self, "Import", f"A {session.role} may not import cases.")
            return
        from triage_app.gui.import_wizard import ImportWizard
        wizard = ImportWizard(self.holder, self)
        wizard.exec()
        if wizard.imported and self.holder.is_unlocked:
            self.queue.reload()

    def closeEvent(self, event):  # noqa: N802
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.holder.close()   # stops any running work first (an import rolls back whole)
        super().closeEvent(event)
