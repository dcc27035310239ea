"""Start-up: the QApplication, its look, the main window; `triage-app` and `triage-app demo`."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from triage_app.gui import settings as S
from triage_app.paths import default_vault_path, resource


def application() -> QApplication:
    """The one QApplication, with our style; high-DPI scaling is on by default in Qt 6."""
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
        app.setOrganizationName(S.ORGANISATION)
        app.setApplicationName(S.APPLICATION)
        app.setApplicationDisplayName("triage-app")
        app.setWindowIcon(QIcon(str(resource("icons", "app.svg"))))
        app.setStyle("Fusion")
        apply_palette(app)
        app.styleHints().colorSchemeChanged.connect(lambda _s: apply_palette(app))
    return app


def apply_palette(app: QApplication, scheme: Qt.ColorScheme | None = None) -> None:
    """Follow the system's light or dark scheme (Fusion ignores it on some desktops)."""
    scheme = app.styleHints().colorScheme() if scheme is None else scheme
    if scheme == Qt.ColorScheme.Dark:
        p = QPalette()
        for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e8e8e8"),
                             (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#262626"),
                             (QPalette.ColorRole.Text, "#e8e8e8"), (QPalette.ColorRole.Button, "#353535"),
                             (QPalette.ColorRole.ButtonText, "#e8e8e8"), (QPalette.ColorRole.Highlight, "#3d6fb6"),
                             (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.ToolTipBase, "#353535"),
                             (QPalette.ColorRole.ToolTipText, "#e8e8e8"), (QPalette.ColorRole.PlaceholderText, "#9a9a9a"),
                             (QPalette.ColorRole.Mid, "#555555"), (QPalette.ColorRole.Midlight, "#444444")):
            p.setColor(role, QColor(colour))
    else:
        p = app.style().standardPalette()
    app.setPalette(p)
    try:
        app.setStyleSheet(resource("style", "app.qss").read_text("utf-8"))
    except OSError:
        pass  # unstyled is still usable


def make_window(vault_path, *, settings: S.Settings | None = None, demo_credentials: dict | None = None,
                idle_ms: int | None = None):
    from triage_app.gui.main_window import MainWindow
    app = application()
    return MainWindow(app, Path(vault_path), settings or S.Settings(), demo_credentials=demo_credentials,
                      idle_ms=idle_ms)


def show(window) -> None:
    # Ask for focus as well: without it (no window manager, some kiosk desktops) no window of the
    # app is active and Qt ignores every keyboard shortcut.
    window.show()
    window.raise_()
    window.activateWindow()


def run(vault_path=None, user=None) -> int:
    app = application()
    settings = S.Settings()
    window = make_window(vault_path or default_vault_path(), settings=settings)
    if user:
        window.unlock.user.setText(user)
        window.unlock.passphrase.setFocus()
    show(window)
    return app.exec()


def run_demo(vault_path=None, cases: int = 3000) -> int:
    from triage_app.demo import vault as demo
    from triage_app.paths import demo_vault_path
    path = Path(vault_path) if vault_path else demo_vault_path()
    app = application()
    if not demo.demo_vault_exists(path):
        made = prepare_demo_vault(path, cases)
        if made is not None:
            from triage_app.gui import messages
            messages.tell(None, "triage-app demo", made)
            return 1
    # Its own preferences, so the demo's user name is never offered on the real vault's unlock screen.
    from PySide6.QtCore import QSettings
    settings = S.Settings(QSettings(S.ORGANISATION, S.APPLICATION + "-demo"))
    window = make_window(path, settings=settings, demo_credentials=demo.CREDENTIALS)
    window.holder.adopt(demo.open_as_reviewer(path))
    show(window)
    return app.exec()


def prepare_demo_vault(path: Path, cases: int) -> str | None:
    """Make the demo vault in a worker behind a progress window; None when made, else the problem."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout
    from triage_app.demo import vault as demo
    from triage_app.gui.banner import mark_dialog
    from triage_app.gui.worker import Job

    # No Cancel: a half-made demo vault is removed anyway, and it takes seconds.
    dialog = QDialog()
    dialog.setWindowTitle("triage-app demo")
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(f"Making a demo vault of {cases:,} synthetic cases (DEMO — synthetic data)…"))
    bar = QProgressBar()
    bar.setRange(0, 0)
    layout.addWidget(bar)
    mark_dialog(dialog)
    dialog.resize(480, 120)
    dialog.show()
    loop = QEventLoop()
    outcome: list = []
    job = Job(lambda progress, cancelled: demo.ensure_demo_vault(path, cases, progress=progress))

    def progressed(done: int, total: int) -> None:
        if total:
            bar.setRange(0, total)
            bar.setValue(min(done, total))
    job.progressed.connect(progressed)
    job.succeeded.connect(lambda _p: outcome.append(None))
    job.failed.connect(outcome.append)
    job.ended.connect(loop.quit)
    job.start()
    loop.exec()
    dialog.close()
    return outcome[0] if outcome else "The demo vault could not be made."
